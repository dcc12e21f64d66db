"""What every route of the web app shares: the workspace and its program store, the signed-in
user (session cookie), the CSRF check (double submit), the page's language, the cache of
built contexts and the rendering of a context as a page or its JSON twin."""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from exportplan.auth import Actor
from exportplan.errors import AuthenticationError, PermissionDeniedError
from exportplan.i18n import label as t
from exportplan.services import program, users
from exportplan.store.program import ProgramDB
from exportplan.views.context import PageContext
from exportplan.views.pages import PAGES
from exportplan.views.templating import render as render_template
from exportplan.web.limits import Limits
from exportplan.workspace import Workspace

__all__ = ["CSRF", "LANG", "SESSION", "PageCache", "Site", "lang_of", "query_of", "safe_next"]

SESSION, CSRF, LANG = "ep_session", "ep_csrf", "ep_lang"


def lang_of(req: Request) -> str:
    """The page's language: the ``lang`` parameter, else the cookie, else Persian."""
    q = req.query_params.get("lang")
    if q in ("fa", "en"):
        return q
    c = req.cookies.get(LANG)
    return c if c in ("fa", "en") else "fa"


def query_of(req: Request) -> dict[str, str]:
    """The query's parameters but the language."""
    return {k: v for k, v in req.query_params.items() if k != "lang"}


def safe_next(url: str) -> str:
    """Where to go after signing in: a path of this site only."""
    return url if url.startswith("/") and not url.startswith("//") else "/dashboard"


class PageCache:
    """Rendered contexts by (page, parameters, language), valid while neither store changes:
    the warehouse file's size and time, and the program store's latest audit row."""

    def __init__(self, size: int = 256) -> None:
        self.items: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], PageContext]] = (
            OrderedDict()
        )
        self.lock = threading.Lock()
        self.size = size

    def get(
        self, key: tuple[Any, ...], version: tuple[Any, ...], build: Callable[[], PageContext]
    ) -> PageContext:
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


class Site:
    """The state of one app over one workspace, and the helpers its routes call."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.db: ProgramDB = ws.program()
        self.cache = PageCache()
        self.tokens: dict[str, tuple[float, Actor]] = {}
        self.limits = Limits.from_settings()

    def versions(self) -> tuple[Any, ...]:
        """What the cached contexts depend on: the warehouse's file and the latest change."""
        st = self.ws.warehouse_path.stat()
        wal = self.ws.warehouse_path.with_suffix(".duckdb.wal")
        return (
            st.st_mtime_ns,
            st.st_size,
            wal.exists() and wal.stat().st_mtime_ns,
            program.latest_change(self.db),
        )

    def actor_of(self, req: Request) -> Actor:
        """The signed-in user; a token is re-checked against the store every 5 seconds (a
        sign-out here drops it at once)."""
        token = req.cookies.get(SESSION)
        if not token:
            raise AuthenticationError("sign in first")
        now = time.monotonic()
        hit = self.tokens.get(token)
        if hit is not None and now - hit[0] < 5.0:
            return hit[1]
        who = users.actor_for_token(self.db, token)
        if len(self.tokens) > 10_000:
            self.tokens.clear()
        self.tokens[token] = (now, who)
        return who

    def forget(self, token: str) -> None:
        """Drop a signed-out token from the cache at once."""
        self.tokens.pop(token, None)

    @staticmethod
    def check_csrf(req: Request, token: str) -> None:
        """The form's token must match the ``ep_csrf`` cookie."""
        cookie = req.cookies.get(CSRF, "")
        if not cookie or not secrets.compare_digest(cookie, token):
            raise PermissionDeniedError(
                "the form has expired or did not come from this site (CSRF check); reload the "
                "page and try again"
            )

    @staticmethod
    def base(req: Request, lang: str, who: Actor | None) -> dict[str, Any]:
        """What every page's frame shows: language, navigation, the switch, the user."""
        path = req.url.path.removesuffix(".json")
        q = dict(req.query_params)
        other = "en" if lang == "fa" else "fa"
        return {
            "lang": lang,
            "dir": "rtl" if lang == "fa" else "ltr",
            "who": who,
            "nav": [(p, t(p.capitalize(), lang)) for p in PAGES],
            "switch_url": f"{path}?{urlencode({**q, 'lang': other})}",
            "switch_label": t("English" if other == "en" else "Persian", lang),
            "csrf": req.cookies.get(CSRF) or req.state.csrf,
            "query": urlencode({k: v for k, v in q.items() if k != "lang"}),
            "path": path,
            "msg": req.query_params.get("msg"),
        }

    def page(
        self, req: Request, template: str, lang: str, who: Actor | None, **values: Any
    ) -> str:
        """A template in the site's frame."""
        return render_template(f"{template}.html", **{**self.base(req, lang, who), **values})

    def render(self, req: Request, ctx: PageContext, who: Actor, lang: str) -> Response:
        """A context as its page, or as its JSON twin when the path ends in ``.json``."""
        if req.url.path.endswith(".json"):
            return JSONResponse(ctx.to_json())
        values = {**self.base(req, lang, who), **ctx}
        return HTMLResponse(render_template(f"{ctx.page}.html", **values))
