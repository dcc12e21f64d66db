"""The cookies' layer: a pure ASGI middleware (no BaseHTTPMiddleware, whose extra task and
streams cost every request) around the whole app, the warm pages' layer included, so every
answer gets the same cookies and security headers.

On every request: the browser's CSRF token (bound to its session, else to its ``ep_anon``
nonce, which a browser without either gets here) is put in the request's state; a write (POST,
PUT, PATCH, DELETE; not a bearer-token API call) that came from another site or names none is
refused before anything runs (``refusal``); the product names of the workspace's tariff books
are in force while the app answers. On every answer: the ``ep_anon`` and ``ep_csrf`` cookies
when the browser lacks them (unless the answer sets them itself), the ``ep_lang`` cookie when
the address names a language, a Content-Security-Policy and ``X-Content-Type-Options``.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exportplan.web.limits import RequestRefused
from exportplan.web.site import ANON, CSRF, LANG, SESSION, UNSAFE, Site, csrf_token

__all__ = ["Cookies"]


class Cookies:
    """ASGI middleware: the CSRF token, the Origin check, the cookies and the headers."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        site: Site,
        csp: str,
        refusal: Callable[[Request], RequestRefused | None],
        refuse: Callable[[Request, Exception], Awaitable[Response]],
        naming: Callable[[], AbstractContextManager[None]],
    ) -> None:
        self.app = app
        self.site = site
        self.csp = csp
        self.refusal = refusal
        self.refuse = refuse
        self.naming = naming

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        req = Request(scope, receive)
        lang_param = req.query_params.get("lang")
        session, anon = req.cookies.get(SESSION), req.cookies.get(ANON)
        new_anon = None
        if not session and not anon:
            new_anon = anon = secrets.token_urlsafe(24)
        csrf = csrf_token(session, anon)
        req.state.csrf = csrf
        sent_csrf = req.cookies.get(CSRF)
        bearer_api = req.url.path.startswith("/api/") and "authorization" in req.headers
        refusal = self.refusal(req) if req.method in UNSAFE and not bearer_api else None

        async def finish(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                sets = " ".join(headers.getlist("set-cookie"))
                cookies = Response()
                if new_anon is not None and f"{ANON}=" not in sets:
                    self.site.set_cookie(cookies, ANON, new_anon, samesite="strict")
                if sent_csrf != csrf and f"{CSRF}=" not in sets:
                    self.site.set_cookie(cookies, CSRF, csrf, httponly=False, samesite="strict")
                if lang_param in ("fa", "en"):
                    self.site.set_cookie(
                        cookies, LANG, lang_param, httponly=False, max_age=3600 * 24 * 365
                    )
                for value in cookies.headers.getlist("set-cookie"):
                    headers.append("set-cookie", value)
                headers.setdefault("Content-Security-Policy", self.csp)
                headers.setdefault("X-Content-Type-Options", "nosniff")
            await send(message)

        if refusal is not None:
            resp = await self.refuse(req, refusal)
            await resp(scope, receive, finish)
            return
        with self.naming():  # products named by the workspace's tariff books (issue 16)
            await self.app(scope, receive, finish)
