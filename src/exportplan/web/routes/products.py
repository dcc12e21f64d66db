"""The product search: ``/products?q=`` (the product box of every page, a plain form) and its
JSON twin ``/products.json?q=``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from exportplan.views.products import products_page
from exportplan.web.site import Site, lang_of


def router(site: Site) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    def search(req: Request) -> Response:
        who = site.actor_of(req)
        lang = lang_of(req)
        q = req.query_params.get("q", "")[:200]
        ctx = site.cached("products", (q,), lang, who, lambda: products_page(site.ws, lang, q))
        return site.render(req, ctx, who, lang)

    r.add_api_route("/products", search, methods=["GET"])
    r.add_api_route("/products.json", search, methods=["GET"])
    return r
