"""The opportunities page: the markets for a product, the products for a market, and new
products by feasibility and attractiveness."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from exportplan.i18n import label as t
from exportplan.reference import products as products_ref
from exportplan.reference.countries import country_name
from exportplan.reference.regions import lookup as region_lookup
from exportplan.services import opportunities, products
from exportplan.views import charts
from exportplan.views.context import PageContext
from exportplan.views.format import digits, product_label
from exportplan.views.tables import table
from exportplan.workspace import Workspace

__all__ = ["META_FIELDS", "OpportunitiesContext", "opportunities_page", "terms_of"]

#: What the page tells of the ranking's terms
META_FIELDS = (
    "region",
    "definition",
    "unit",
    "world_years",
    "horizon_years",
    "distance_from",
    "weights",
    "excluded",
)


@dataclass(kw_only=True)
class OpportunitiesContext(PageContext):
    """The opportunities of ``product`` (HS4) and of ``market`` (ISO3) under a strategy."""

    product: str
    market: str
    region: str  # the home region's name in the page's language
    preset: str
    presets: dict[str, str]
    meta: dict[str, Any] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)  # which ITC terms the rankings applied


def terms_of(meta: dict[str, Any], lang: str) -> list[str]:
    """What the potential's demand growth, ease of trade, tariffs and exporters' GDP rest on,
    in the page's language (from a ranking's ``meta``)."""
    growth = (
        "Demand growth: GDP and population projections"
        if meta.get("projections")
        else "Demand growth: none (today's imports)"
        if str(meta.get("demand_growth", "")).startswith("none")
        else "Demand growth: the market's own trend (shrunk, capped)"
    )
    ease = (
        "Ease of trade: the region's ratio"
        if meta.get("ease_basis") == "region"
        else "Ease of trade: the country's ratio"
    )
    tariffs = (
        "Tariffs: from the tariff file" if meta.get("tariffs") else "Tariffs: neutral (no file)"
    )
    gdp = (
        "Exporters' GDP projection: applied"
        if meta.get("projections")
        else "Exporters' GDP projection: not applied"
    )
    return [t(x, lang) for x in (growth, ease, tariffs, gdp)]


def _pct(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**r, "growth_pct": None if r["growth_pct"] is None else 100 * r["growth_pct"]}
        for r in rows
    ]


def _named(
    rows: list[dict[str, Any]], lang: str, names: dict[str, dict[str, str]]
) -> list[dict[str, Any]]:
    """Rows with ``product``: the name of their HS code (``prod``) in the page's language."""
    return [{**r, "product": products_ref.name(str(r["prod"]), lang, names)} for r in rows]


def window_text(years: list[int], lang: str) -> str:
    """The world years a ranking rests on, as the page writes them (``2020–2024``)."""
    first, last = digits(str(years[0]), lang), digits(str(years[-1]), lang)
    return first if first == last else f"{first}–{last}"


def region_name(name: str, lang: str) -> str:
    """A province's name in the page's language (as given when it is not a province)."""
    r = region_lookup(name)
    return r.name_fa if r is not None and lang == "fa" else name


def opportunities_page(
    ws: Workspace,
    lang: str,
    product: str | None = None,
    market: str | None = None,
    preset: str = "balanced",
) -> OpportunitiesContext:
    """Markets for the product (default: the region's largest export), products for the market
    (default: Iraq) and new products by the strategy's weights."""
    params = opportunities.Params(level="hs4")
    base = opportunities.table(ws, params)
    names = products.extra(ws)
    if product:  # a code, or a name to search (the product box: «سیب» is 0808)
        product = products.resolve(ws, product, lang, digits=4)
    else:
        product = str(
            base.table.group_by("prod")
            .agg(pl.col("region_usd").first())
            .sort(["region_usd", "prod"], descending=[True, False])
            .get_column("prod")[0]
        )
    market = market or "IRQ"
    every = opportunities.markets(ws, product, params=params, top=None, lang=lang)
    mk = opportunities.Result(every.table.head(15), every.meta)
    pr = opportunities.products(ws, market, params=params, top=15, lang=lang)
    new = opportunities.new_products(ws, params=params, preset=preset, top=40)
    new_rows = _named(new.table.to_dicts(), lang, names)
    cols_m = [
        ("rank", "rank", "num"),
        ("market", "code", "text"),
        ("potential_usd", "potential", "usd"),
        ("actual_usd", "actual", "usd"),
        ("untapped_usd", "untapped", "usd"),
        ("imports_usd", "market imports", "usd"),
        ("growth_pct", "growth %/yr", "num"),
        ("reason", "reason", "text"),
    ]
    cols_p = [
        ("rank", "rank", "num"),
        ("prod", "HS code", "text"),
        ("product", "product", "text"),
        ("potential_usd", "potential", "usd"),
        ("actual_usd", "actual", "usd"),
        ("untapped_usd", "untapped", "usd"),
        ("growth_pct", "growth %/yr", "num"),
        ("reason", "reason", "text"),
    ]
    with_pct = _pct(mk.table.rename({"growth_pa": "growth_pct"}).to_dicts())
    prod_rows = _named(_pct(pr.table.rename({"growth_pa": "growth_pct"}).to_dicts()), lang, names)
    return OpportunitiesContext(
        page="opportunities",
        title=t("Opportunities", lang),
        lang=lang,
        product=product,
        market=market,
        region=region_name(str(mk.meta["region"]), lang),
        preset=preset,
        presets={p: t(p, lang) for p in ("low-hanging", "balanced", "long-jumps")},
        meta={k: mk.meta[k] for k in META_FIELDS},
        terms=terms_of(mk.meta, lang),
        synthetic=mk.meta["synthetic"],
        charts={
            "markets": charts.world_map(
                {
                    str(r["market"]): float(r["untapped_usd"])
                    for r in every.table.select("market", "untapped_usd").to_dicts()
                    if r["untapped_usd"] is not None and r["untapped_usd"] > 0
                },
                lang,
                f"{t('Untapped potential by market', lang)}: {product_label(product, lang, names)}",
                period=window_text(mk.meta["world_years"], lang),
                what="market",
                measure="untapped potential (USD)",
                scheme="oranges",
            ),
            "feasibility": charts.feasibility(new_rows, lang),
        },
        tables={
            "markets": table(
                f"{t('Markets for a product', lang)}: {product_label(product, lang, names)}",
                with_pct,
                cols_m,
                lang,
            ),
            "products": table(
                f"{t('Products for a market', lang)}: {country_name(market, lang)}",
                prod_rows,
                cols_p,
                lang,
            ),
            "new_products": table(
                t("New products", lang),
                new_rows,
                [
                    ("rank", "rank", "num"),
                    ("prod", "HS code", "text"),
                    ("product", "product", "text"),
                    ("density", "feasibility (density)", "num"),
                    ("pci", "PCI", "num"),
                    ("cog", "COG", "num"),
                    ("world_usd", "world trade", "usd"),
                    ("score", "score", "num"),
                    ("markets", "largest markets", "text"),
                ],
                lang,
            ),
        },
        notes=[],
    )
