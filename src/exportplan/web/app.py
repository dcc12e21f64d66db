"""The web application: the program's pages in Persian (right to left) and English, their
JSON twins, downloads, sign-in, and the JSON API, over one workspace.

Pages call the services through :mod:`.pages` and add no computation. Everything is served
from the package (fonts, scripts, Vega, world shapes): no request leaves the machine.

Safety: every page needs a signed-in user (a session cookie, HttpOnly, SameSite=Lax); every
form carries a CSRF token that must match the ``ep_csrf`` cookie (double submit); the services
check the user's role on every write. Errors are shown as messages, never a traceback.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.exceptions import HTTPException as StarletteHTTPException

from exportplan import i18n
from exportplan.errors import AuthenticationError, ExportPlanError, PermissionDeniedError
from exportplan.services import program, users
from exportplan.services.plan_of_record import choose_program
from exportplan.services.users import Actor
from exportplan.web import api, pages
from exportplan.web.labels import t
from exportplan.workspace import Workspace

SESSION, CSRF, LANG = "ep_session", "ep_csrf", "ep_lang"
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


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("exportplan.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = fmt
    env.filters["chartjson"] = _chart_json
    env.globals["t"] = t
    return env


_SPEC_TEXT: dict[int, tuple[dict[str, Any], Markup]] = {}


def _chart_json(spec: dict[str, Any]) -> Markup:
    """The spec's JSON, computed once per spec object (contexts are cached, so the same
    object comes back on every request until the data change)."""
    hit = _SPEC_TEXT.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    text = Markup(pages.chart_json(spec))
    if len(_SPEC_TEXT) > 512:
        _SPEC_TEXT.clear()
    _SPEC_TEXT[id(spec)] = (spec, text)
    return text


def fmt(value: Any, kind: str, lang: str) -> str:
    """A cell as the page's language writes it: Persian digits and separators in Persian,
    Solar Hijri days in Persian and Gregorian in English."""
    if value is None or value == "":
        return "–"
    lg: i18n.Lang = "fa" if lang == "fa" else "en"
    if kind == "usd":
        return i18n.number(float(value), lg)
    if kind == "pct":
        return i18n.percent(float(value), lg)
    if kind == "share":
        return i18n.percent(float(value), lg, signed=False)
    if kind == "num":
        if isinstance(value, int):
            return i18n.number(value, lg)
        v = float(value)
        return i18n.number(v, lg, decimals=0 if abs(v) >= 1000 else 2)
    if kind == "date":
        return pages.sh_date(str(value), lang)
    if kind == "status":
        return t(str(value), lang)
    if kind == "bool":
        return t("yes", lang) if value else ""
    s = str(value)
    return pages._digits(s, lang) if lang == "fa" and kind == "digits" else s


class PageCache:
    """Rendered contexts by (page, parameters, language), valid while neither store changes:
    the warehouse file's size and time, and the program store's latest audit row."""

    def __init__(self, size: int = 256) -> None:
        self.items: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], dict[str, Any]]] = (
            OrderedDict()
        )
        self.lock = threading.Lock()
        self.size = size

    def get(
        self, key: tuple[Any, ...], version: tuple[Any, ...], build: Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        with self.lock:
            hit = self.items.get(key)
            if hit is not None and hit[0] == version:
                self.items.move_to_end(key)
                return hit[1]
        value = build()
        with self.lock:
            self.items[key] = (version, value)
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


def create_app(ws: Workspace) -> FastAPI:
    db = ws.program()
    app = FastAPI(
        title="exportplan",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.db = db
    app.state.ws = ws
    env = _env()
    cache_ = PageCache()
    static = Path(str(files("exportplan.web").joinpath("static")))

    @app.get("/static/vega.js", include_in_schema=False)
    def vega() -> Response:
        return Response(
            vega_bundle(), media_type="text/javascript", headers={"Cache-Control": "max-age=86400"}
        )

    app.mount("/static", StaticFiles(directory=static), name="static")
    app.include_router(api.router(db, ws))

    def versions() -> tuple[Any, ...]:
        st = ws.warehouse_path.stat()
        wal = ws.warehouse_path.with_suffix(".duckdb.wal")
        return (
            st.st_mtime_ns,
            st.st_size,
            wal.exists() and wal.stat().st_mtime_ns,
            program.latest_change(db),
        )

    # ---- errors ----------------------------------------------------------------------------

    def wants_json(req: Request) -> bool:
        return req.url.path.startswith("/api/") or req.url.path.endswith(".json")

    async def on_error(req: Request, exc: Exception) -> Response:
        if wants_json(req):
            return api.json_error(req, exc)
        lang = _lang(req)
        if isinstance(exc, AuthenticationError):
            return RedirectResponse(f"/login?next={quote(req.url.path)}", status_code=303)
        if isinstance(exc, ExportPlanError):
            code, msg, hint = api.error_status(exc), exc.message, exc.hint
        elif isinstance(exc, StarletteHTTPException):
            code, msg, hint = exc.status_code, str(exc.detail), ""
        else:
            code, msg, hint = 422, str(exc).splitlines()[0], ""
        html = env.get_template("error.html").render(
            **_base(req, lang, None), title=t("Error", lang), message=msg, hint=hint, code=code
        )
        return HTMLResponse(html, status_code=code)

    for kind in (ExportPlanError, StarletteHTTPException, RequestValidationError):
        app.add_exception_handler(kind, on_error)

    # ---- helpers ---------------------------------------------------------------------------

    tokens: dict[str, tuple[float, Actor]] = {}

    def actor_of(req: Request) -> Actor:
        """The signed-in user; a token is re-checked against the store every 5 seconds (a
        sign-out here drops it at once)."""
        token = req.cookies.get(SESSION)
        if not token:
            raise AuthenticationError("sign in first")
        now = time.monotonic()
        hit = tokens.get(token)
        if hit is not None and now - hit[0] < 5.0:
            return hit[1]
        who = users.actor_for_token(db, token)
        if len(tokens) > 10_000:
            tokens.clear()
        tokens[token] = (now, who)
        return who

    def check_csrf(req: Request, token: str) -> None:
        cookie = req.cookies.get(CSRF, "")
        if not cookie or not secrets.compare_digest(cookie, token):
            raise PermissionDeniedError(
                "the form has expired or did not come from this site (CSRF check); reload the "
                "page and try again"
            )

    def _base(req: Request, lang: str, who: Actor | None) -> dict[str, Any]:
        path = req.url.path.removesuffix(".json")
        q = dict(req.query_params)
        other = "en" if lang == "fa" else "fa"
        return {
            "lang": lang,
            "dir": "rtl" if lang == "fa" else "ltr",
            "who": who,
            "nav": [(p, t(p.capitalize(), lang)) for p in pages.PAGES],
            "switch_url": f"{path}?{urlencode({**q, 'lang': other})}",
            "switch_label": t("English" if other == "en" else "Persian", lang),
            "csrf": req.cookies.get(CSRF) or req.state.csrf,
            "query": urlencode({k: v for k, v in q.items() if k != "lang"}),
            "path": path,
            "msg": req.query_params.get("msg"),
        }

    def render(req: Request, name: str, ctx: dict[str, Any], who: Actor, lang: str) -> Response:
        if req.url.path.endswith(".json"):
            return JSONResponse(_jsonable(ctx))
        html = env.get_template(f"{name}.html").render(**_base(req, lang, who), **ctx)
        return HTMLResponse(html)

    @app.middleware("http")
    async def cookies(req: Request, call_next: Callable[[Request], Any]) -> Response:
        lang_param = req.query_params.get("lang")
        req.state.csrf = req.cookies.get(CSRF) or secrets.token_urlsafe(24)
        resp: Response = await call_next(req)
        if CSRF not in req.cookies:
            resp.set_cookie(CSRF, req.state.csrf, httponly=False, samesite="strict")
        if lang_param in ("fa", "en"):
            resp.set_cookie(LANG, lang_param, samesite="lax", max_age=3600 * 24 * 365)
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        return resp

    # ---- static, sign-in -------------------------------------------------------------------

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/", include_in_schema=False)
    def home() -> Response:
        return RedirectResponse("/dashboard", status_code=303)

    @app.get("/login", include_in_schema=False)
    def login_page(req: Request, next: str = "/dashboard") -> Response:
        lang = _lang(req)
        html = env.get_template("login.html").render(
            **_base(req, lang, None), title=t("Sign in", lang), next=_safe_next(next), error=None
        )
        return HTMLResponse(html)

    @app.post("/login", include_in_schema=False)
    def login(
        req: Request,
        username: str = Form(...),
        password: str = Form(...),
        csrf: str = Form(""),
        next: str = Form("/dashboard"),
    ) -> Response:
        lang = _lang(req)
        check_csrf(req, csrf)
        try:
            token, _exp = users.sign_in(db, username, password)
        except AuthenticationError as exc:
            html = env.get_template("login.html").render(
                **_base(req, lang, None),
                title=t("Sign in", lang),
                next=_safe_next(next),
                error=exc.message,
            )
            return HTMLResponse(html, status_code=401)
        resp = RedirectResponse(_safe_next(next), status_code=303)
        resp.set_cookie(SESSION, token, httponly=True, samesite="lax")
        return resp

    @app.post("/logout", include_in_schema=False)
    def logout(req: Request, csrf: str = Form("")) -> Response:
        check_csrf(req, csrf)
        token = req.cookies.get(SESSION)
        if token:
            users.sign_out(db, token)
            tokens.pop(token, None)
        resp = RedirectResponse("/login", status_code=303)
        resp.delete_cookie(SESSION)
        return resp

    # ---- pages and their JSON twins --------------------------------------------------------

    def page(name: str, per_user: bool = False) -> None:
        def handler(req: Request) -> Response:
            who = actor_of(req)
            lang = _lang(req)
            query = {k: v for k, v in req.query_params.items() if k != "lang"}
            key = (name, tuple(sorted(query.items())), lang, who.username if per_user else "")
            build = pages.builders(ws, db, lang, who, query)[name]
            ctx = cache_.get(key, versions(), build)
            return render(req, name, ctx, who, lang)

        app.add_api_route(f"/{name}", handler, methods=["GET"], include_in_schema=False)
        app.add_api_route(f"/{name}.json", handler, methods=["GET"], include_in_schema=False)

    for name in pages.PAGES:
        page(name, per_user=name == "program")

    @app.get("/users", include_in_schema=False)
    def users_page(req: Request) -> Response:
        who = actor_of(req)
        lang = _lang(req)
        return render(req, "users", pages.users_page(db, lang, who), who, lang)

    # ---- edits -----------------------------------------------------------------------------

    @app.post("/program/actions/{action_id}", include_in_schema=False)
    def edit_action(
        req: Request,
        action_id: int,
        version: int = Form(...),
        status: str = Form(""),
        progress: str = Form(""),
        note: str = Form(""),
        csrf: str = Form(""),
    ) -> Response:
        who = actor_of(req)
        check_csrf(req, csrf)
        prog = int(progress) if progress.strip().isdigit() else None
        program.update_action(
            db,
            who,
            action_id,
            version=version,
            status=status or None,
            progress=prog,
            note=note or None,
        )
        return RedirectResponse(f"/program?msg=saved#action-{action_id}", status_code=303)

    @app.post("/users", include_in_schema=False)
    def add_user(
        req: Request,
        username: str = Form(...),
        password: str = Form(...),
        role: str = Form(...),
        agency: str = Form(""),
        csrf: str = Form(""),
    ) -> Response:
        who = actor_of(req)
        check_csrf(req, csrf)
        users.create_user(
            db, who, username=username, password=password, role=role, agency=agency or None
        )
        return RedirectResponse("/users?msg=saved", status_code=303)

    @app.post("/data/upload", include_in_schema=False)
    async def upload(
        req: Request, file: UploadFile, definition: str = Form("customs"), csrf: str = Form("")
    ) -> Response:
        who = actor_of(req)
        check_csrf(req, csrf)
        who.require("admin", "secretary")
        from exportplan.ingest import customs

        name = Path(file.filename or "upload.csv").name
        if Path(name).suffix.lower() not in (".csv", ".xlsx", ".xls", ".txt"):
            raise ExportPlanError(f"{name}: a customs file is .csv or .xlsx")
        data = await file.read()
        folder = ws.path / "uploads"
        folder.mkdir(exist_ok=True)
        target = folder / f"{hashlib.sha256(data).hexdigest()[:12]}-{name}"
        target.write_bytes(data)
        with ws.warehouse() as con:
            summary = customs.import_file(
                con, target, customs.CustomsOptions(region=ws.home_region, definition=definition)
            )
        lang = _lang(req)
        ctx = pages.data_page(ws, lang)
        ctx["summary"] = {
            k: getattr(summary, k)
            for k in (
                "file_name",
                "dataset_id",
                "rows_read",
                "rows_accepted",
                "rows_rejected",
                "already_imported",
                "notes",
            )
        }
        return render(req, "data", ctx, who, lang)

    @app.get("/data/rejects/{dataset_id}.csv", include_in_schema=False)
    def rejects(req: Request, dataset_id: int) -> Response:
        actor_of(req)
        from exportplan.services import data as data_svc

        df = data_svc.rejects(ws, dataset_id)
        return Response(
            df.write_csv(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="rejects-{dataset_id}.csv"'},
        )

    # ---- reports (the same as `exportplan report ...`) ---------------------------------------

    def _pdf(data: bytes, name: str) -> Response:
        return Response(
            data,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @app.get("/reports/council.pdf", include_in_schema=False)
    def council_pdf(req: Request) -> Response:
        actor_of(req)
        from exportplan import reports

        lang = _lang(req)
        pdf = reports.council(
            ws,
            db,
            year=pages.query_int(req.query_params, "year"),
            month=pages.query_int(req.query_params, "month"),
            lang=lang,
        )
        return _pdf(pdf, f"council-{lang}.pdf")

    @app.get("/reports/handover/{agency}.pdf", include_in_schema=False)
    def handover_pdf(req: Request, agency: str) -> Response:
        actor_of(req)
        from exportplan import reports
        from exportplan.services.facts import facts

        lang = _lang(req)
        pdf = reports.handover(db, agency, lang=lang, synthetic=facts(ws).synthetic)
        return _pdf(pdf, f"handover-{agency}-{lang}.pdf")

    @app.get("/reports/workbook.xlsx", include_in_schema=False)
    def tables_xlsx(req: Request) -> Response:
        actor_of(req)
        from exportplan import reports

        data = reports.workbook(ws, db, lang=_lang(req))
        return Response(
            data,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": 'attachment; filename="exportplan-tables.xlsx"'},
        )

    @app.get("/program/export.xlsx", include_in_schema=False)
    def program_xlsx(req: Request) -> Response:
        actor_of(req)
        import tempfile

        from exportplan.services import program_io

        year = pages.query_int(req.query_params, "year")
        chosen = choose_program(db, region=ws.home_region, year=year).program
        if chosen is None:
            raise StarletteHTTPException(404, "no program")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "program.xlsx"
            program_io.export(db, chosen.id, path, lang=_lang(req))
            data = path.read_bytes()
        return Response(
            data,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={
                "Content-Disposition": f'attachment; filename="program-{chosen.sh_year}.xlsx"'
            },
        )

    @app.get("/download/{name}/{table}.{ext}", include_in_schema=False)
    def download(req: Request, name: str, table: str, ext: str) -> Response:
        who = actor_of(req)
        lang = _lang(req)
        query = {k: v for k, v in req.query_params.items() if k != "lang"}
        builders = pages.builders(ws, db, lang, who, query)
        if name not in builders or ext not in ("csv", "xlsx"):
            raise StarletteHTTPException(404, "no such download")
        ctx = builders[name]()
        tab = ctx["tables"].get(table)
        if tab is None:
            raise StarletteHTTPException(404, f"page {name} has no table {table!r}")
        fname = f"{name}-{table}.{ext}"
        if ext == "csv":
            return Response(
                _csv(tab),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="{fname}"'},
            )
        return Response(
            _xlsx(tab, lang),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{fname}"'},
        )

    return app


def _safe_next(url: str) -> str:
    return url if url.startswith("/") and not url.startswith("//") else "/dashboard"


def _lang(req: Request) -> str:
    q = req.query_params.get("lang")
    if q in ("fa", "en"):
        return q
    c = req.cookies.get(LANG)
    return c if c in ("fa", "en") else "fa"


def _jsonable(ctx: dict[str, Any]) -> Any:
    import json

    return json.loads(json.dumps(ctx, default=str))


def _csv(tab: dict[str, Any]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(tab["columns"])
    for r in tab["rows"]:
        w.writerow(["" if r[c] is None else r[c] for c in tab["columns"]])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens Persian text right


def _xlsx(tab: dict[str, Any], lang: str) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    sh = wb.active
    assert sh is not None
    sh.title = "exportplan"
    pages.write_sheet(sh, tab, lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
