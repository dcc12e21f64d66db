"""Vega-Lite specs (altair, data inlined) of the views trade analysts expect: the product space
(its nodes and edges at the positions the layout computed), the treemap of exports by product
(rectangles of :mod:`exportplan.analytics.treemap`) and a product's months against last
year's. Labels and tooltips in the page's language, through :mod:`exportplan.views.charts`'
shared look (the Persian locale on Persian pages)."""

from __future__ import annotations

from typing import Any

import altair as alt

from exportplan.i18n import label as t
from exportplan.reference.calendar import MONTHS_EN, MONTHS_FA
from exportplan.views.charts import LAST_YEAR, THIS_YEAR, _config, _data, _month_expr

__all__ = ["BANDS", "BAND_COLOURS", "product_series", "product_space", "treemap"]

#: The RCA bands in their legend's order (English labels) and their colours
BANDS = ("RCA at least 1", "RCA 0.5 to 1", "RCA below 0.5")
BAND_COLOURS = ("#1e8449", "#d4ac0d", "#85929e")


def _named(name: str) -> Any:
    """A layer's data by name: the rows go in the spec's ``datasets`` after altair has built
    and validated it (validating a thousand inline rows took seconds)."""
    return alt.NamedData(name=name)


def _with_data(spec: dict[str, Any], **datasets: list[dict[str, Any]]) -> dict[str, Any]:
    spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    return spec


def product_space(
    nodes: list[dict[str, Any]], edges: list[dict[str, Any]], lang: str, colour: str, title: str
) -> dict[str, Any]:
    """The network: edges as thin grey lines, nodes sized by world trade and coloured by RCA
    band (``colour="rca"``) or HS section (``"section"``), the region's products (RCA >= 1)
    opaque and the others faint; a click on a node opens its ``href`` (its markets)."""
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    x = alt.X("x:Q", axis=axis, scale=alt.Scale(zero=False, nice=False))
    y = alt.Y("y:Q", axis=axis, scale=alt.Scale(zero=False, nice=False))
    lines = (
        alt.Chart(_named("edges"))
        .mark_rule(color="#b3b6b7", strokeWidth=0.6, opacity=0.7)
        .encode(x=x, y=y, x2="x2:Q", y2="y2:Q")
    )
    if colour == "section":
        color = alt.Color(
            "section:N", title=t("HS section", lang), legend=alt.Legend(labelLimit=220, columns=1)
        )
    else:
        color = alt.Color(
            "band:N",
            title=t("RCA", lang),
            scale=alt.Scale(domain=[t(b, lang) for b in BANDS], range=list(BAND_COLOURS)),
            legend=alt.Legend(orient="top"),
        )
    points = (
        alt.Chart(_named("nodes"))
        .mark_circle(stroke="#17202a", strokeWidth=0.3, cursor="pointer")
        .encode(
            x=x,
            y=y,
            size=alt.Size("world_usd:Q", scale=alt.Scale(range=[12, 420]), legend=None, title=None),
            color=color,
            opacity=alt.condition("datum.mine", alt.value(1.0), alt.value(0.28)),
            href="href:N",
            tooltip=[
                alt.Tooltip("product:N", title=t("product", lang)),
                alt.Tooltip("section:N", title=t("HS section", lang)),
                alt.Tooltip("rca:Q", format=".2f", title=t("RCA", lang)),
                alt.Tooltip("world_usd:Q", format=",.0f", title=t("world trade (USD)", lang)),
                alt.Tooltip(
                    "region_usd:Q", format=",.0f", title=t("the region's exports (USD)", lang)
                ),
                alt.Tooltip("period:N", title=t("period", lang)),
            ],
        )
    )
    spec = _with_data(
        _config(alt.layer(lines, points).properties(height=560), title, lang),
        nodes=nodes,
        edges=edges,
    )
    # a click on a product opens its markets in this tab (Vega's default is a new window)
    spec["usermeta"] = {"embedOptions": {"loader": {"target": "_self"}}}
    return spec


def treemap(rects: list[dict[str, Any]], lang: str, title: str) -> dict[str, Any]:
    """Rectangles (``x0, y0, x1, y1`` in a 100 x 60 box) of the headings, coloured by their
    HS section, with the chapters' and sections' outlines over them."""
    scale_x = alt.Scale(domain=[0, 100], nice=False, zero=True)
    scale_y = alt.Scale(domain=[0, 60], nice=False, zero=True, reverse=True)
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    leaves = [r for r in rects if r["depth"] == 3]

    def enc(**extra: Any) -> dict[str, Any]:
        return {
            "x": alt.X("x0:Q", scale=scale_x, axis=axis),
            "x2": "x1:Q",
            "y": alt.Y("y0:Q", scale=scale_y, axis=axis),
            "y2": "y1:Q",
            **extra,
        }

    tiles = (
        alt.Chart(_named("leaves"))
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            **enc(
                color=alt.Color("section:N", title=t("HS section", lang), legend=None),
                tooltip=[
                    alt.Tooltip("product:N", title=t("product", lang)),
                    alt.Tooltip("chapter:N", title=t("HS chapter", lang)),
                    alt.Tooltip("section:N", title=t("HS section", lang)),
                    alt.Tooltip("usd:Q", format=",.0f", title=t("USD", lang)),
                    alt.Tooltip("share:Q", format=".1%", title=t("share", lang)),
                    alt.Tooltip("period:N", title=t("period", lang)),
                ],
            )
        )
    )
    outlines = [
        alt.Chart(_named(f"depth{depth}"))
        .mark_rect(fill=None, stroke="white", strokeWidth=width)
        .encode(**enc())
        for depth, width in ((2, 1.5), (1, 3.5))
    ]
    labels = (
        alt.Chart(_named("labels"))
        .mark_text(align="center", baseline="middle", color="white", fontSize=11)
        .encode(
            x=alt.X("cx:Q", scale=scale_x, axis=axis),
            y=alt.Y("cy:Q", scale=scale_y, axis=axis),
            text="code:N",
        )
    )
    chart = alt.layer(tiles, *outlines, labels).properties(height=420)
    return _with_data(
        _config(chart, title, lang),
        leaves=leaves,
        depth1=[r for r in rects if r["depth"] == 1],
        depth2=[r for r in rects if r["depth"] == 2],
        labels=[r for r in leaves if r["big"]],
    )


def product_series(
    year: int, this: list[float | None], last: list[float | None], lang: str, title: str
) -> dict[str, Any]:
    """A product's exports month by month, this year's against last year's (the same colours
    in both languages)."""
    names = MONTHS_FA if lang == "fa" else MONTHS_EN
    rows: list[dict[str, Any]] = []
    for label, series, y in (
        (t("this year", lang), this, year),
        (t("last year", lang), last, year - 1),
    ):
        for i, v in enumerate(series):
            if v is not None:
                rows.append({"m": i + 1, "month": names[i], "series": label, "usd": v, "y": y})
    chart = (
        alt.Chart(_data(rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("m:O", title=None, axis=alt.Axis(labelExpr=_month_expr(names), labelAngle=0)),
            y=alt.Y("usd:Q", title=t("USD", lang), axis=alt.Axis(format="~s")),
            color=alt.Color(
                "series:N",
                title=None,
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(
                    domain=[t("this year", lang), t("last year", lang)],
                    range=[THIS_YEAR, LAST_YEAR],
                ),
            ),
            tooltip=[
                alt.Tooltip("month:N", title=t("month", lang)),
                alt.Tooltip("series:N", title=t("year", lang)),
                alt.Tooltip("usd:Q", format=",.0f", title=t("USD", lang)),
            ],
        )
        .properties(height=240)
    )
    return _config(chart, title, lang)
