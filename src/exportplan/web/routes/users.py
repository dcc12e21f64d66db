"""The users page and the form that adds a user (the services check the role)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from exportplan.services import users
from exportplan.views.users import users_page
from exportplan.web.site import Site, lang_of


def router(site: Site) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/users")
    @r.get("/users.json")
    def users_list(req: Request) -> Response:
        who = site.actor_of(req)
        lang = lang_of(req)
        ctx = site.cache.get(
            ("users", (), lang, who.username),
            site.versions(),
            lambda: users_page(site.db, lang, who),
        )
        return site.render(req, ctx, who, lang)

    @r.post("/users")
    def add_user(
        req: Request,
        username: str = Form(...),
        password: str = Form(...),
        role: str = Form(...),
        agency: str = Form(""),
        csrf: str = Form(""),
    ) -> Response:
        who = site.actor_of(req)
        site.check_csrf(req, csrf)
        users.create_user(
            site.db, who, username=username, password=password, role=role, agency=agency or None
        )
        return RedirectResponse("/users?msg=saved", status_code=303)

    return r
