"""The web application: the program's pages in Persian (right to left) and English, their
JSON twins, downloads, sign-in, and the JSON API, over one workspace.

This module assembles the app: security headers and cookies, error pages, the packaged assets
at ``/static``, the API, and the routes of each page family (:mod:`exportplan.web.routes`).
Pages render the views' contexts (:mod:`exportplan.views`) and add no computation. Everything
is served from the package (fonts, scripts, Vega, world shapes): no request leaves the machine.

Safety: every page needs a signed-in user (a session cookie, HttpOnly, SameSite=Lax, Secure
behind HTTPS); every form carries a CSRF token bound to the session (an HMAC of it, also in the
``ep_csrf`` cookie); every write (POST, PUT, PATCH, DELETE) but a bearer-token API call must
come from this site (its ``Origin`` or ``Referer``); the services check the user's role on
every write. Errors are shown as messages, never a traceback.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from exportplan.errors import AuthenticationError, ExportPlanError
from exportplan.i18n import error_text
from exportplan.i18n import label as t
from exportplan.services import products as product_names
from exportplan.views.templating import ASSETS
from exportplan.web import api, limits, suppliers_api
from exportplan.web.api_app import include_routers
from exportplan.web.cookies import Cookies
from exportplan.web.routes import (
    claims,
    data,
    downloads,
    imports,
    invest,
    pages,
    products,
    program,
    program_edit,
    program_import,
    signin,
    suppliers,
    users,
    zones,
)
from exportplan.web.site import SESSION, Site, lang_of
from exportplan.web.warm import WarmLayer
from exportplan.workspace import Workspace, open_workspace

__all__ = ["CSP", "app_from_env", "create_app", "vega_bundle"]

# Vega compiles expressions with Function() and Vega-Embed adds a style element
CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-eval'; connect-src 'self'; font-src 'self'"
)


@cache
def vega_bundle() -> bytes:
    import vl_convert as vlc

    bundle: str = vlc.javascript_bundle()  # type: ignore[call-arg]
    return bundle.encode("utf-8")


def create_app(ws: Workspace) -> FastAPI:
    site = Site(ws)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        site.imports.start()  # the server holds the warehouse; its writer lands the imports
        try:
            yield
        finally:
            site.imports.stop()

    app = FastAPI(
        form_limits=site.limits.form_limits(),  # type: ignore[arg-type]
        lifespan=lifespan,
        title="exportplan",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.db = site.db
    app.state.ws = ws
    app.state.site = site

    @app.get("/static/vega.js", include_in_schema=False)
    def vega() -> Response:
        return Response(
            vega_bundle(), media_type="text/javascript", headers={"Cache-Control": "max-age=86400"}
        )

    app.mount("/static", StaticFiles(directory=ASSETS), name="static")
    include_routers(app, site.db, ws, site.signin_limits)  # the program's, zones', investment's
    app.include_router(  # suppliers matched to demand (issue 17)
        suppliers_api.router(site.db, home_region=ws.home_region, home_country=ws.home_country)
    )

    # ---- errors ----------------------------------------------------------------------------

    def wants_json(req: Request) -> bool:
        return req.url.path.startswith("/api/") or req.url.path.endswith(".json")

    def error_lang(req: Request) -> str:
        """The language of a refusal: the page's; English on the API unless ``lang`` asks."""
        api_call = req.url.path.startswith("/api/") and "lang" not in req.query_params
        return "en" if api_call else lang_of(req)

    async def on_error(req: Request, exc: Exception) -> Response:
        if isinstance(exc, StarletteHTTPException):  # the form parser's refusals: 413
            exc = limits.refusal_of(exc, error_lang(req)) or exc
        resp = await error_response(req, exc)
        if isinstance(exc, limits.RequestRefused) and exc.status_code == 413:
            resp.headers["Connection"] = "close"  # the rest of the body is not read
        return resp

    async def error_response(req: Request, exc: Exception) -> Response:
        if wants_json(req):
            return api.json_error(req, exc)
        lang = lang_of(req)
        if isinstance(exc, AuthenticationError):
            return RedirectResponse(f"/login?next={quote(req.url.path)}", status_code=303)
        if isinstance(exc, ExportPlanError):
            code, (msg, hint) = api.error_status(exc), error_text(exc, lang)
        elif isinstance(exc, StarletteHTTPException):
            code, msg = exc.status_code, t(str(exc.detail), lang)
            hint = getattr(exc, "hint", "") or (
                t("check the address, or start again from the dashboard", lang)
                if code == 404
                else ""
            )
        else:
            code, msg, hint = 422, str(exc).splitlines()[0], ""
        html = site.page(
            req, "error", lang, None, title=t("Error", lang), message=msg, hint=hint, code=code
        )
        return HTMLResponse(html, status_code=code)

    for kind in (ExportPlanError, StarletteHTTPException, RequestValidationError):
        app.add_exception_handler(kind, on_error)

    # ---- request limits (web/limits.py): before the cookies, so refusals get the headers --

    async def may_upload(req: Request) -> bool:
        try:
            who = await run_in_threadpool(site.actor_of, req)
        except ExportPlanError:
            return False
        return who.role in limits.UPLOAD_ROLES

    app.add_middleware(
        limits.BodyLimit,
        limits=site.limits,
        refuse=on_error,
        may_upload=may_upload,
        lang_of=error_lang,
    )

    # ---- cookies, the Origin check and headers ---------------------------------------------

    def origin_refusal(req: Request) -> limits.RequestRefused | None:
        """Why a write (no API token) is refused before anything runs: it came from another
        site (its ``Origin``, else its ``Referer``), or it carries this browser's cookies and
        names neither; the message in the user's language."""
        lang, foreign = error_lang(req), site.foreign_origin(req)
        if foreign is not None:
            msg = t("a change sent from another site ({site}) is refused (Origin check)", lang)
            msg = msg.format(site=foreign)
        elif site.names_no_origin(req):
            msg = t("a change that names no site (no Origin or Referer header) is refused", lang)
        else:
            return None
        return limits.RequestRefused(
            403, msg, t("make the change from this site's own pages", lang)
        )

    # the warm pages (web/warm.py) below the framework, inside the cookies' layer
    app.add_middleware(
        WarmLayer,
        pages=site.warm,
        answer=site.warm_answer,
        session_cookie=SESSION,
        inline=site.db.engine.dialect.name == "sqlite",
    )
    app.add_middleware(  # outermost of ours: every answer gets the cookies and the headers
        Cookies,
        site=site,
        csp=CSP,
        refusal=origin_refusal,
        refuse=on_error,
        naming=lambda: product_names.naming(site.ws),
    )

    # ---- the routes of each page family ----------------------------------------------------

    for family in (
        signin,
        pages,
        users,
        program,
        program_edit,
        program_import,
        invest,
        data,
        imports,
        downloads,
        claims,
        zones,
        suppliers,
        products,
    ):
        app.include_router(family.router(site))
    app.include_router(claims.api_router())  # claims: POST /api/v1/claims/check
    return app


def app_from_env() -> FastAPI:
    """The app over the workspace of the settings (``EXPORTPLAN_WORKSPACE``): the factory that
    ``exportplan serve`` and ``exportplan demo`` hand to uvicorn by name
    (``uvicorn.run("exportplan.web.app:app_from_env", factory=True)``), so the command line
    starts the server without importing the web app."""
    return create_app(open_workspace())
