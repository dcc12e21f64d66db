"""The pages of the navigation (dashboard, monitor, opportunities, program, data) and their
JSON twins, built by the views and cached until the data change."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response

from exportplan.views.pages import LINKED_PAGES, PAGES, builders
from exportplan.web.site import Site, lang_of, query_of

#: The query parameters the pages read (views/pages.builders)
QUERY_KEYS = frozenset(
    {"year", "month", "definition", "by", "product", "market", "preset", "q", "code", "cert"}
    | {"colour"}  # the product space's colouring (issue 16)
    | {
        "sector",
        "priority",
        "agency",
        "country",
        "status",
        "likelihood",
    }  # the investment board's filters
)


def router(site: Site) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    def handler_of(name: str, per_user: bool) -> Callable[[Request], Response]:
        def handler(req: Request) -> Response:
            who = site.actor_of(req)
            lang = lang_of(req)
            query = query_of(req)
            # the key holds only the parameters a page reads: junk ones cannot force rebuilds
            used = tuple(sorted((k, v) for k, v in query.items() if k in QUERY_KEYS))
            # whose: a page may show what a role or an agency may do (the program page also
            # the user's own work)
            key = (name, used, lang, who.username if per_user else "", who.role, who.agency_id)
            build = builders(site.ws, site.db, lang, who, query)[name]
            ctx = site.cache.get(key, site.versions(), build)
            return site.render(req, ctx, who, lang)

        return handler

    for name in (*PAGES, *LINKED_PAGES):
        handler = handler_of(name, per_user=name == "program")
        r.add_api_route(f"/{name}", handler, methods=["GET"])
        r.add_api_route(f"/{name}.json", handler, methods=["GET"])
    return r
