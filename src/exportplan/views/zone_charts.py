"""The zones' Vega-Lite charts, data inlined so they draw offline in the browser and render to
PNG for the monthly report: the plot map (``geoshape`` of the plots' GeoJSON on a Mercator
projection fitted to the zone, no tiles, coloured by status) and the backlog by month."""

from __future__ import annotations

import itertools
from typing import Any

from exportplan.domain import PLOT_STATES
from exportplan.i18n import label as t
from exportplan.reference.text import to_persian_digits
from exportplan.views.charts import FONT, localise

#: One colour per plot state (the map's legend keeps this order)
STATE_COLOURS = {
    "vacant": "#d5d8dc",
    "reserved": "#f9e79f",
    "allotted": "#aed6f1",
    "contracted": "#5dade2",
    "under_construction": "#f5b041",
    "operating": "#27ae60",
    "idle": "#e74c3c",
    "notice": "#922b21",
    "reclaim_pending": "#6c3483",
    "reclaimed": "#7f8c8d",
}


def _config(spec: dict[str, Any], title: str, lang: str) -> dict[str, Any]:
    spec["$schema"] = "https://vega.github.io/schema/vega-lite/v5.json"
    spec["title"] = title
    spec["description"] = title  # the drawing's name for screen readers (its box's label)
    spec["width"] = "container"
    spec["config"] = {
        "font": FONT,
        "title": {"font": FONT, "fontSize": 14, "anchor": "start"},
        "legend": {"labelFont": FONT, "titleFont": FONT},
        "axis": {"labelFont": FONT, "titleFont": FONT},
        "view": {"stroke": None},
    }
    return localise(spec, lang)


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in itertools.pairwise(ring))


def d3_winding(geometry: dict[str, Any]) -> dict[str, Any]:
    """A Polygon wound as d3-geo (Vega's ``geoshape``) reads it: the outer ring clockwise,
    holes counter-clockwise. RFC 7946, which the store keeps, winds the other way; d3-geo
    reads such a ring as the whole globe less the plot, so every plot filled the map."""
    if geometry.get("type") != "Polygon":
        return geometry
    rings = []
    for i, ring in enumerate(geometry["coordinates"]):
        outer = i == 0
        ccw = _signed_area(ring) > 0
        rings.append(list(reversed(ring)) if ccw == outer else ring)
    return {"type": "Polygon", "coordinates": rings}


def plot_map(
    plots: list[dict[str, Any]], boundary: dict[str, Any] | None, lang: str, title: str
) -> dict[str, Any] | None:
    """The zone's plots coloured by status; None when no plot has a geometry yet."""
    feats = [
        {
            "type": "Feature",
            "geometry": d3_winding(p["geometry"]),
            "properties": {
                "code": p["code"],
                "status": t(p["status_on"], lang),
                "area": round(float(p["area_m2_declared"])),
                "firm": p.get("holder") or "",
            },
        }
        for p in plots
        if p.get("geometry")
    ]
    if not feats:
        return None
    layers: list[dict[str, Any]] = []
    if boundary:
        layers.append(
            {
                "data": {
                    "values": [
                        {"type": "Feature", "geometry": d3_winding(boundary), "properties": {}}
                    ],
                    "format": {"type": "json"},
                },
                "mark": {
                    "type": "geoshape",
                    "fill": "#fbfcfc",
                    "stroke": "#909497",
                    "strokeWidth": 1,
                },
            }
        )
    layers.append(
        {
            "data": {"values": feats, "format": {"type": "json"}},
            "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.6},
            "encoding": {
                "color": {
                    "field": "properties.status",
                    "type": "nominal",
                    "title": t("status", lang),
                    "scale": {
                        "domain": [t(s, lang) for s in PLOT_STATES],
                        "range": [STATE_COLOURS[s] for s in PLOT_STATES],
                    },
                },
                "tooltip": [
                    {"field": "properties.code", "title": t("plot", lang)},
                    {"field": "properties.status", "title": t("status", lang)},
                    {"field": "properties.area", "title": t("area m²", lang), "format": ","},
                    {"field": "properties.firm", "title": t("applicant", lang)},
                ],
            },
        }
    )
    spec = {"height": 420, "projection": {"type": "mercator"}, "layer": layers}
    return _config(spec, title, lang)


def persian_digits_expr(field: str = "datum.label") -> str:
    """A Vega expression writing ``field``'s digits in Persian (an axis's ``labelExpr``)."""
    expr = field
    for i, d in enumerate("۰۱۲۳۴۵۶۷۸۹"):
        expr = f"replace({expr}, regexp('{i}', 'g'), '{d}')"
    return expr


def backlog(rows: list[dict[str, Any]], lang: str, title: str) -> dict[str, Any]:
    """Applications waiting at each month's end and decisions made in it (lines); in Persian
    the months and the counts in Persian digits."""
    values = [
        {
            "month": to_persian_digits(r["month"]) if lang == "fa" else r["month"],
            "what": t(k, lang),
            "n": r[k],
        }
        for r in rows
        for k in ("waiting", "decisions")
    ]
    spec = {
        "height": 220,
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "month", "type": "ordinal", "title": t("month", lang)},
            "y": {
                "field": "n",
                "type": "quantitative",
                "title": "",
                **({"axis": {"labelExpr": persian_digits_expr()}} if lang == "fa" else {}),
            },
            "color": {"field": "what", "type": "nominal", "title": ""},
            "tooltip": [
                {"field": "month", "title": t("month", lang)},
                {"field": "what", "title": t("what", lang)},
                {"field": "n", "title": t("number", lang)},
            ],
        },
    }
    return _config(spec, title, lang)
