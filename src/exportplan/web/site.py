"""What every route of the web app shares: the workspace and its program store, the import
queue (the warehouse's one writer), the signed-in user (session cookie, checked against the
store on every request), the CSRF check (a token bound to the session) and the Origin check,
the cookies' flags, the sign-in limits, the page's language, the cache of built contexts and
the rendering of a context as a page or its JSON twin (a cached context's HTML is rendered once
per frame, the browser's CSRF token put in per request)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from exportplan import settings
from exportplan.auth import Actor
from exportplan.errors import AuthenticationError, ExportPlanError, PermissionDeniedError
from exportplan.i18n import label as t
from exportplan.services import demo_program, program, users
from exportplan.services.imports.worker import ImportWorker
from exportplan.services.signin_limits import SignInLimits
from exportplan.store.program import ProgramDB
from exportplan.views.context import PageContext
from exportplan.views.imports import import_rows
from exportplan.views.pages import PAGES
from exportplan.views.templating import render as render_template
from exportplan.web.limits import Limits
from exportplan.web.warm import WarmPage, WarmPages
from exportplan.workspace import Workspace

__all__ = [
    "ANON",
    "CSRF",
    "LANG",
    "SESSION",
    "UNSAFE",
    "PageCache",
    "Site",
    "csrf_token",
    "lang_of",
    "query_of",
    "safe_next",
]

SESSION, CSRF, LANG, ANON = "ep_session", "ep_csrf", "ep_lang", "ep_anon"
#: The methods that write, whose requests must come from this site's pages
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def csrf_token(session: str | None, anon: str | None) -> str:
    """The CSRF token of a browser: an HMAC of its session token (HttpOnly, never seen by a
    page's script or another site), or before signing in of its ``ep_anon`` nonce; a new
    session has a new token."""
    key = f"session:{session}" if session else f"anon:{anon or ''}"
    return hmac.new(key.encode(), b"exportplan csrf v1", hashlib.sha256).hexdigest()


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


def _hashable(value: Any) -> Any:
    """A frame's value as part of a cache key (lists and dicts as tuples)."""
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


def _filled(html: str, fill: dict[str, str]) -> str:
    """A cached page with its per-request parts put in their slots."""
    for slot, value in fill.items():
        html = html.replace(slot, value)
    return html


class PageCache:
    """Built contexts by (page, parameters, language), valid while neither store changes:
    the warehouse file's size and time, the program store's latest audit row, the day
    (:meth:`Site.versions`); a context's rendered HTML (``Site.html``) lives as long as it."""

    def __init__(self, size: int = 256) -> None:
        self.items: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], PageContext]] = (
            OrderedDict()
        )
        self.lock = threading.Lock()
        self.size = size

    def holds(self, ctx: PageContext) -> bool:
        """Whether ``ctx`` is one of the cached contexts (a page built per request is not:
        its HTML is not kept either)."""
        return self.version_of(ctx) is not None

    def version_of(self, ctx: PageContext) -> tuple[Any, ...] | None:
        """The data's version ``ctx`` was cached for, or None when it is not cached."""
        with self.lock:
            return next((ver for ver, v in self.items.values() if v is ctx), None)

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
        self.limits = Limits.from_settings()
        self.secure: bool = settings.value("behind_https")
        self.signin_limits = SignInLimits.from_settings()
        self._demo: tuple[int, list[str]] | None = None
        self.imports = ImportWorker(ws)
        #: a cached context's page by its frame (user, language, address), rendered once with
        #: ``csrf_slot`` where the browser's CSRF token goes (a random word no page holds)
        self.html: OrderedDict[tuple[Any, ...], tuple[PageContext, str]] = OrderedDict()
        self.html_lock = threading.Lock()
        self.csrf_slot = "csrf-slot-" + secrets.token_hex(16)
        #: where the Data page's import queue goes (rendered on every request)
        self.imports_slot = "imports-slot-" + secrets.token_hex(16)
        #: the warm pages' answers, sent below the framework (web/warm.py)
        self.warm = WarmPages()

    def versions(self) -> tuple[Any, ...]:
        """What the cached contexts depend on: the warehouse's file, the program store's latest
        change (every write through the store's write helper adds an audit row) and the day
        (an action becomes overdue at midnight without any write)."""
        st = self.ws.warehouse_path.stat()
        wal = self.ws.warehouse_path.with_suffix(".duckdb.wal")
        return (
            st.st_mtime_ns,
            st.st_size,
            wal.exists() and wal.stat().st_mtime_ns,
            program.latest_change(self.db),
            dt.date.today(),
        )

    def cached(
        self,
        name: str,
        params: tuple[Any, ...],
        lang: str,
        who: Actor,
        build: Callable[[], PageContext],
    ) -> PageContext:
        """A page's context from the page cache: keyed by the page, the parameters it reads
        (``params``, never the raw query: junk parameters cannot force rebuilds), the language
        and whose it is (user, role, agency: what a page shows may depend on them), valid while
        the data's version (:meth:`versions`) holds."""
        key = (name, params, lang, who.username, who.role, who.agency_id)
        return self.cache.get(key, self.versions(), build)

    def actor_of(self, req: Request) -> Actor:
        """The signed-in user, from the session cookie, checked against the store on every
        request (no cache: a sign-out, a password change or a disabled user ends the session
        at once, whichever process made the change); an API token is no session."""
        token = req.cookies.get(SESSION)
        if not token:
            raise AuthenticationError("sign in first")
        return users.actor_for_token(self.db, token, kind="session")

    @staticmethod
    def check_csrf(req: Request, token: str) -> None:
        """The form's token must be the one bound to this browser's session
        (:func:`csrf_token`)."""
        session, anon = req.cookies.get(SESSION), req.cookies.get(ANON)
        expected = csrf_token(session, anon)
        # without either cookie the expected token is a constant anyone can compute
        if not (session or anon) or not token or not secrets.compare_digest(expected, token):
            raise PermissionDeniedError(
                "the form has expired or did not come from this site (CSRF check); reload the "
                "page and try again"
            )

    @staticmethod
    def foreign_origin(req: Request) -> str | None:
        """The other site a write came from (its ``Origin``, else its ``Referer``), or None
        when it came from this one (the request's ``Host``) or names none; ``Origin: null``
        (a sandboxed frame, a privacy redirect) counts as foreign."""
        origin = req.headers.get("origin")
        if origin is None:
            referer = req.headers.get("referer")
            if not referer:
                return None  # names none: see names_no_origin
            origin = referer
        if origin.strip().lower() == "null":
            return "null"
        host = req.headers.get("host", "").lower()
        try:
            netloc = urlsplit(origin).netloc.lower()
        except ValueError:
            return origin[:200]
        return None if netloc and netloc == host else origin[:200]

    @staticmethod
    def names_no_origin(req: Request) -> bool:
        """A write that carries this browser's cookies (a session, or the sign-in form's
        ``ep_anon`` nonce) but names no origin at all: neither ``Origin`` nor ``Referer``
        (OWASP's CSRF cheat sheet: block it). Browsers send ``Origin`` on every form POST, so
        only a stripped or forged request names none; a request without these cookies carries
        nobody's authority (a script's API sign-in, the command line's hand-off with its
        token) and is not refused here."""
        if req.headers.get("origin") is not None or req.headers.get("referer"):
            return False
        return bool(req.cookies.get(SESSION) or req.cookies.get(ANON))

    def set_cookie(
        self, resp: Response, name: str, value: str, *, httponly: bool = True, **kw: Any
    ) -> None:
        """A cookie with the site's flags: HttpOnly unless said, ``Secure`` when served
        behind HTTPS (setting ``behind_https``), SameSite Lax unless said."""
        kw.setdefault("samesite", "lax")
        resp.set_cookie(name, value, httponly=httponly, secure=self.secure, **kw)

    def set_session(self, resp: Response, token: str | None) -> None:
        """Start (``token``) or end (None) the browser's session, with its CSRF token."""
        if token is None:
            resp.delete_cookie(SESSION, secure=self.secure, httponly=True, samesite="lax")
            anon = secrets.token_urlsafe(24)
            self.set_cookie(resp, ANON, anon, samesite="strict")
            self.set_cookie(resp, CSRF, csrf_token(None, anon), httponly=False, samesite="strict")
            return
        self.set_cookie(resp, SESSION, token)
        self.set_cookie(resp, CSRF, csrf_token(token, None), httponly=False, samesite="strict")

    def demo_password_users(self) -> list[str]:
        """The active users who still have the demo's password (checked again after any
        change in the store)."""
        version = program.latest_change(self.db)
        if self._demo is None or self._demo[0] != version:
            self._demo = (version, users.users_with_password(self.db, demo_program.DEMO_PASSWORD))
        return self._demo[1]

    def base(self, req: Request, lang: str, who: Actor | None) -> dict[str, Any]:
        """What every page's frame shows: language, navigation, the switch, the user."""
        path = req.url.path.removesuffix(".json")
        q = dict(req.query_params)
        other = "en" if lang == "fa" else "fa"
        return {
            "lang": lang,
            "dir": "rtl" if lang == "fa" else "ltr",
            "who": who,
            "nav": [(p, t(p.capitalize(), lang)) for p in PAGES]
            + ([("users", t("Users", lang))] if who is not None and who.may("users.list") else []),
            "switch_url": f"{path}?{urlencode({**q, 'lang': other})}",
            "switch_label": t("English" if other == "en" else "Persian", lang),
            "csrf": getattr(req.state, "csrf", None)
            or csrf_token(req.cookies.get(SESSION), req.cookies.get(ANON)),
            "demo_password": (
                self.demo_password_users() if who is not None and who.role == "admin" else []
            ),
            "query": urlencode({k: v for k, v in q.items() if k != "lang"}),
            "path": path,
            "msg": req.query_params.get("msg"),
            "params": {k: v[:100] for k, v in q.items()},
        }

    def page(self, req: Request, template: str, lang: str, who: Actor | None, **values: Any) -> str:
        """A template in the site's frame."""
        return render_template(f"{template}.html", **{**self.base(req, lang, who), **values})

    def render(
        self,
        req: Request,
        ctx: PageContext,
        who: Actor,
        lang: str,
        *,
        status: int = 200,
        **extra: Any,
    ) -> Response:
        """A context as its page, or as its JSON twin when the path ends in ``.json``;
        ``extra``: what this answer adds to the cached context (a refused form's state)."""
        version = self.cache.version_of(ctx)
        # kept for the warm layer: a GET's plain answer of a cached context
        keep = version is not None and not extra and status == 200 and req.method == "GET"
        if req.url.path.endswith(".json"):
            resp = JSONResponse(ctx.to_json(), status_code=status)
            if keep and version is not None:
                page = WarmPage(version, bytes(resp.body), "application/json")
                self.warm.keep(self.warm_key(req, lang, who), page)
            return resp
        base = self.base(req, lang, who)
        if extra or version is None:  # a refused form's state, a page built per
            # request (the zones', the pipeline's, the suppliers' pages): rendered, not kept
            values = {**base, **ctx, **extra}
            if ctx.page == "data":
                values["imports"] = import_rows(self.imports.jobs(), lang)
            return HTMLResponse(render_template(f"{ctx.page}.html", **values), status_code=status)
        csrf = base["csrf"]
        fill: dict[str, str] = {self.csrf_slot: csrf}
        if ctx.page == "data":  # the queue's state is not cached with the page: its part is
            fill[self.imports_slot] = self.imports_html(lang)  # rendered on every request
        frame = tuple((k, _hashable(v)) for k, v in base.items() if k not in ("csrf", "who", "nav"))
        key = (id(ctx), ctx.page, who.username, who.role, who.agency_id, frame)
        with self.html_lock:
            hit = self.html.get(key)
            if hit is not None and hit[0] is ctx:
                self.html.move_to_end(key)
                html = hit[1]
            else:
                html = ""
        if not html:
            slots = {"csrf": self.csrf_slot, "imports_slot": self.imports_slot}
            html = render_template(f"{ctx.page}.html", **{**base, **ctx, **slots})
            with self.html_lock:
                self.html[key] = (ctx, html)
                while len(self.html) > 256:
                    self.html.popitem(last=False)
        if keep and version is not None:
            page = WarmPage(version, html.encode("utf-8"), "text/html", ctx.page == "data")
            self.warm.keep(self.warm_key(req, lang, who), page)
        return HTMLResponse(_filled(html, fill), status_code=status)

    def imports_html(self, lang: str) -> str:
        """The Data page's import queue as it is now (not cached with the page)."""
        return render_template(
            "_imports.html", lang=lang, imports=import_rows(self.imports.jobs(), lang)
        )

    @staticmethod
    def warm_key(req: Request, lang: str, who: Actor) -> tuple[Any, ...]:
        """A warm page's key: the address as sent, the language and whose it is."""
        return WarmPages.key(
            req.scope["path"],
            req.scope["query_string"],
            lang,
            who.username,
            who.role,
            who.agency_id,
        )

    def warm_answer(self, req: Request, token: str) -> tuple[bytes, str] | None:
        """The warm layer's answer (web/warm.py) to a GET with the session ``token``: the kept
        page with this browser's CSRF token, when the token is live for an active user (asked
        of the store now, as :meth:`actor_of` does), a page is kept for the address, language
        and user, and the data's version is the page's; else None (the app answers)."""
        try:
            who = users.actor_for_token(self.db, token, kind="session")
        except ExportPlanError:
            return None  # signed out, expired, disabled: the app sends to the sign-in
        page = self.warm.get(self.warm_key(req, lang_of(req), who))
        if page is None or page.version != self.versions():
            return None
        csrf = getattr(req.state, "csrf", None) or csrf_token(token, req.cookies.get(ANON))
        body = page.body.replace(self.csrf_slot.encode(), csrf.encode())
        if page.imports:
            body = body.replace(
                self.imports_slot.encode(), self.imports_html(lang_of(req)).encode()
            )
        return body, page.media_type
