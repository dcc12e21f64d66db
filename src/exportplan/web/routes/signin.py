"""Signing in and out (rate limited, the refusal in the page's language), and the site's
root."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from exportplan.errors import AuthenticationError, TooManyAttemptsError
from exportplan.i18n import label as t
from exportplan.services import users
from exportplan.views.format import digits
from exportplan.web.site import SESSION, Site, lang_of, safe_next


def refusal(exc: AuthenticationError, lang: str) -> str:
    """A refused sign-in in the page's language; a lockout says when to try again."""
    if isinstance(exc, TooManyAttemptsError):
        return t("too many failed sign-ins; try again in {seconds} seconds", lang).format(
            seconds=digits(str(exc.retry_after), lang)
        )
    return t(exc.message, lang)


def router(site: Site) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status_code=204)

    @r.get("/")
    def home() -> Response:
        return RedirectResponse("/dashboard", status_code=303)

    @r.get("/login")
    def login_page(req: Request, next: str = "/dashboard") -> Response:
        lang = lang_of(req)
        html = site.page(
            req, "login", lang, None, title=t("Sign in", lang), next=safe_next(next), error=None
        )
        return HTMLResponse(html)

    @r.post("/login")
    def login(
        req: Request,
        username: str = Form(...),
        password: str = Form(...),
        csrf: str = Form(""),
        next: str = Form("/dashboard"),
    ) -> Response:
        lang = lang_of(req)
        site.check_csrf(req, csrf)
        try:
            token, _exp = users.sign_in(
                site.db,
                username,
                password,
                limits=site.signin_limits,
                address=req.client.host if req.client else None,
            )
        except AuthenticationError as exc:
            html = site.page(
                req,
                "login",
                lang,
                None,
                title=t("Sign in", lang),
                next=safe_next(next),
                error=refusal(exc, lang),
            )
            if isinstance(exc, TooManyAttemptsError):
                headers = {"Retry-After": str(exc.retry_after)}
                return HTMLResponse(html, status_code=429, headers=headers)
            return HTMLResponse(html, status_code=401)
        resp = RedirectResponse(safe_next(next), status_code=303)
        site.set_session(resp, token)
        return resp

    @r.post("/logout")
    def logout(req: Request, csrf: str = Form("")) -> Response:
        site.check_csrf(req, csrf)
        token = req.cookies.get(SESSION)
        if token:
            users.sign_out(site.db, token)
        resp = RedirectResponse("/login", status_code=303)
        site.set_session(resp, None)
        return resp

    return r
