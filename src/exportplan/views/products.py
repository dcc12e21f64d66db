"""The product search page: codes found by name or code in the page's language, each with its
level, its name and a link to its markets (the product box of every page submits here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from exportplan.i18n import label as t
from exportplan.reference.products import name as product_name
from exportplan.services import products
from exportplan.views.context import PageContext
from exportplan.views.format import digits, product_label
from exportplan.workspace import Workspace

__all__ = ["ProductsContext", "products_page"]

#: At most this many matches are listed; the query is cut to this many characters
LIMIT, MAX_QUERY = 30, 100


@dataclass(kw_only=True)
class ProductsContext(PageContext):
    """The matches of ``q``: ``code``, ``level`` (its word), ``name``, ``label`` (code with
    name, as tables show it) and ``href`` (its markets on the opportunities page)."""

    q: str
    hits: list[dict[str, Any]] = field(default_factory=list)


def products_page(ws: Workspace | None, lang: str, q: str = "") -> ProductsContext:
    """Codes matching ``q`` (nothing asked, nothing listed), best first."""
    q = q.strip()[:MAX_QUERY]
    hits: list[dict[str, Any]] = []
    if q and any(ch.isalnum() for ch in q):
        names = products.extra(ws)
        for h in products.find(ws, q, None, limit=LIMIT):
            p = h.product
            hits.append(
                {
                    "code": p.code,
                    "shown_code": digits(p.code, lang),
                    "level": t(p.level, lang),
                    "name": p.name(lang) or product_name(p.code, lang, names),
                    "label": product_label(p.code, lang, names),
                    "match": h.match,
                    "href": f"/opportunities?product={quote(p.code[:4])}"
                    if p.code[:1].isdigit() and len(p.code) >= 4
                    else "",
                }
            )
    return ProductsContext(
        page="products",
        title=t("Search products", lang),
        lang=lang,
        q=q,
        hits=hits,
        notes=[] if hits or not q else [t("no product matches {text}", lang).format(text=repr(q))],
    )
