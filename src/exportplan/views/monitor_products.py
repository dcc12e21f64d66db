"""The monitor's product views: the treemap of the year's exports by HS section, chapter and
heading (the squarified layout of :mod:`exportplan.analytics.treemap`) and one product's
months against the same months of last year, each chart with its table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from exportplan.analytics.treemap import nested
from exportplan.i18n import label as t
from exportplan.reference.calendar import MONTHS_EN, MONTHS_FA
from exportplan.reference.hs import section_of
from exportplan.services import monitor
from exportplan.views import analyst_charts
from exportplan.views.format import digits, product_label
from exportplan.views.product_space import section_label
from exportplan.views.tables import table

__all__ = ["HEIGHT", "WIDTH", "exports_treemap", "product_months"]

#: The treemap's box (the chart's scales: 100 wide, 60 high)
WIDTH, HEIGHT = 100.0, 60.0
SERIES_TITLE = "A product's exports by month"
#: A heading's code is written on its tile when the tile holds this share of the box or more
LABELLED = 0.02


def _section(code: str) -> str:
    try:
        return section_of(code)
    except ValueError:  # chapters 77, 98, 99: in no section
        return ""


def exports_treemap(
    rows: list[dict[str, Any]],
    lang: str,
    period: str,
    names: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    """``rows``: the monitor's drivers by heading (``key``, ``now``); the chart, its table
    (headings by value, with section, chapter and share) and the rows (``code``, ``usd``)."""
    leaves = {
        str(r["key"]): float(r["now"])
        for r in rows
        if str(r["key"])[:4].isdigit() and r["now"] is not None and float(r["now"]) > 0
    }
    total = sum(leaves.values())
    items = [((_section(c), c[:2], c), v) for c, v in sorted(leaves.items())]
    rects = nested(items, (0.0, 0.0, WIDTH, HEIGHT))
    shown: list[dict[str, Any]] = []
    for r in rects:
        section, chapter, code = (*r.path, "", "")[:3]
        shown.append(
            {
                "depth": r.depth,
                "x0": round(r.x0, 4),
                "y0": round(r.y0, 4),
                "x1": round(r.x1, 4),
                "y1": round(r.y1, 4),
                "cx": round((r.x0 + r.x1) / 2, 4),
                "cy": round((r.y0 + r.y1) / 2, 4),
                "usd": r.value,
                "share": r.value / total if total else 0.0,
                "section": section_label(section, lang),
                "chapter": product_label(chapter, lang, names) if chapter else "",
                "product": product_label(code, lang, names) if code else "",
                "code": digits(code, lang),
                "big": r.area >= LABELLED * WIDTH * HEIGHT,
                "period": period,
            }
        )
    title = f"{t('Exports by product', lang)}: {period}"
    heads = sorted(
        (
            {
                "code": r.path[2],
                "product": s["product"],
                "chapter": s["chapter"],
                "section": s["section"],
                "usd": r.value,
                "share": 100 * s["share"],
            }
            for r, s in zip(rects, shown, strict=True)
            if r.depth == 3
        ),
        key=lambda h: (-h["usd"], h["code"]),
    )
    return {
        "chart": analyst_charts.treemap(shown, lang, title),
        "rows": heads,
        "table": table(
            title,
            heads,
            [
                ("product", "product", "text"),
                ("chapter", "HS chapter", "text"),
                ("section", "HS section", "text"),
                ("usd", "USD", "usd"),
                ("share", "share", "share"),
            ],
            lang,
        ),
    }


def _values(series: np.ndarray | None) -> list[float | None]:
    if series is None:
        return [None] * 12
    return [float(v) if np.isfinite(v) else None for v in series]


def _change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def product_months(
    ws: Any,
    scope: monitor.Scope,
    year: int,
    product: str,
    lang: str,
    names: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    """``product``'s exports by month of ``year`` and of the year before (the chart and its
    table: month, this year, last year, change)."""
    per_year = monitor.monthly(ws, replace(scope, hs=(product,)))
    this, last = _values(per_year.get(year)), _values(per_year.get(year - 1))
    months = MONTHS_FA if lang == "fa" else MONTHS_EN
    label = product_label(product, lang, names)
    title = f"{t(SERIES_TITLE, lang)}: {label}"
    rows = [
        {
            "month": months[i],
            "this": this[i],
            "last": last[i],
            "change": _change(this[i], last[i]),
        }
        for i in range(12)
        if this[i] is not None or last[i] is not None
    ]
    return {
        "chart": analyst_charts.product_series(year, this, last, lang, title),
        "table": table(
            title,
            rows,
            [
                ("month", "month", "text"),
                ("this", "this year (USD)", "usd"),
                ("last", "last year (USD)", "usd"),
                ("change", "change (USD)", "usd"),
            ],
            lang,
        ),
    }
