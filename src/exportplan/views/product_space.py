"""The product space page: the world's proximity network of products with the region's
products highlighted, coloured by RCA band or HS section, its table as the text alternative,
and a click on a product opening its markets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from exportplan.i18n import label as t
from exportplan.reference import products as products_ref
from exportplan.services import product_space as ps
from exportplan.services import products
from exportplan.views import analyst_charts
from exportplan.views.common import synthetic
from exportplan.views.context import PageContext
from exportplan.views.format import digits, product_label
from exportplan.views.tables import table
from exportplan.workspace import Workspace

__all__ = ["COLOURS", "ProductSpaceContext", "product_space_page", "section_label"]

#: What the nodes may be coloured by
COLOURS = {"rca": "RCA band", "section": "HS section"}
BAND_LABELS = dict(zip(("rca>=1", "0.5-1", "<0.5"), analyst_charts.BANDS, strict=True))


@dataclass(kw_only=True)
class ProductSpaceContext(PageContext):
    """The product space of the world's ``year`` under ``definition`` (the region's RCA),
    coloured by ``colour`` (a key of :data:`COLOURS`)."""

    year: int
    definition: str
    colour: str
    colours: dict[str, str]
    counts: dict[str, int]


def section_label(section: str, lang: str) -> str:
    """An HS section by its numeral and name in the page's language (Persian: its name)."""
    if not section:
        return t("no section", lang)
    name = products_ref.name(section, lang)
    return name if lang == "fa" else f"{section} {name}".strip()


def product_space_page(
    ws: Workspace, lang: str, colour: str = "rca", definition: str = "customs"
) -> ProductSpaceContext:
    """The page; an unknown ``colour`` is the default (RCA band), as the form offers."""
    colour = colour if colour in COLOURS else "rca"
    definition = definition if definition in ("customs", "origin") else "customs"
    space = ps.product_space(ws, level="hs4", definition=definition)
    names = products.extra(ws)
    year_text = digits(str(space.year), lang)
    nodes: list[dict[str, Any]] = []
    where: dict[str, tuple[float, float]] = {}
    for r in space.nodes.iter_rows(named=True):
        code = str(r["prod"])
        where[code] = (float(r["x"]), float(r["y"]))
        nodes.append(
            {
                "prod": code,
                "product": product_label(code, lang, names),
                "x": round(float(r["x"]), 3),
                "y": round(float(r["y"]), 3),
                "world_usd": float(r["world_usd"]),
                "region_usd": float(r["region_usd"]),
                "rca": r["rca"],
                "band": t(BAND_LABELS[str(r["band"])], lang),
                "section": section_label(str(r["section"]), lang),
                "mine": r["band"] == "rca>=1",
                "href": f"/opportunities?product={quote(code)}",
                "period": year_text,
            }
        )
    edges = [
        {
            "x": round(where[s][0], 3),
            "y": round(where[s][1], 3),
            "x2": round(where[d][0], 3),
            "y2": round(where[d][1], 3),
        }
        for s, d in zip(space.edges["src"].to_list(), space.edges["dst"].to_list(), strict=True)
    ]
    title = f"{t('Product space', lang)}: {t('world', lang)} {year_text}"
    mine = sorted(
        (n for n in nodes if n["mine"]), key=lambda n: (-float(n["rca"] or 0.0), n["prod"])
    )
    rest = sorted((n for n in nodes if not n["mine"]), key=lambda n: -n["world_usd"])
    rows = [{**n, "shown_rca": n["rca"]} for n in (*mine, *rest)]
    return ProductSpaceContext(
        page="product-space",
        title=t("Product space", lang),
        lang=lang,
        year=space.year,
        definition=definition,
        colour=colour,
        colours={k: t(v, lang) for k, v in COLOURS.items()},
        counts={"products": len(nodes), "mine": len(mine), "edges": len(edges)},
        synthetic=synthetic(ws),
        charts={"space": analyst_charts.product_space(nodes, edges, lang, colour, title)},
        tables={
            "products": table(
                title,
                rows,
                [
                    ("product", "product", "text"),
                    ("section", "HS section", "text"),
                    ("band", "RCA band", "text"),
                    ("shown_rca", "RCA", "num"),
                    ("world_usd", "world trade (USD)", "usd"),
                    ("region_usd", "the region's exports (USD)", "usd"),
                ],
                lang,
            )
        },
        notes=space.notes,
    )
