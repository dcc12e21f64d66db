"""The monitor page: the drivers of the change by product, destination, customs office or
exporter size, price and volume, the monthly series of both definitions and the map."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from exportplan.errors import InputError
from exportplan.i18n import label as t
from exportplan.services import monitor, products
from exportplan.views import charts
from exportplan.views.common import current_year, driver_rows, named, synthetic
from exportplan.views.context import PageContext
from exportplan.views.format import digits, period_text
from exportplan.views.monitor_products import exports_treemap, product_months
from exportplan.views.tables import table
from exportplan.workspace import Workspace

__all__ = ["BY_LABELS", "MonitorContext", "monitor_page"]

BY_LABELS = {
    "hs2": "product (HS2)",
    "hs4": "product (HS4)",
    "partner": "destination",
    "office": "customs office",
    "size": "exporter size",
}


@dataclass(kw_only=True)
class MonitorContext(PageContext):
    """The monitor: the year's drivers ``by`` one of :data:`BY_LABELS` under a definition."""

    year: int
    definition: str
    by: str
    by_options: dict[str, str]
    period: str
    product: str = ""  # the HS4 code whose months are shown
    summary: dict[str, Any] = field(default_factory=dict)
    price_volume: dict[str, Any] = field(default_factory=dict)


def monitor_page(
    ws: Workspace,
    lang: str,
    year: int | None = None,
    definition: str = "customs",
    by: str = "hs4",
    product: str | None = None,
) -> MonitorContext:
    """The drivers of the year's change against the same months of the year before, the
    treemap of the year's exports by product and ``product``'s months (a code or a name;
    default: the largest heading) against last year's."""
    if definition not in ("customs", "origin"):
        raise InputError("definition must be customs or origin")
    if by not in BY_LABELS:
        raise InputError(f"by must be one of {', '.join(BY_LABELS)}")
    year = year or current_year(ws, definition)
    scope = monitor.Scope(region=ws.home_region, definition=definition)
    d = monitor.drivers(ws, scope, year, by=by, top=15)
    rows = driver_rows(d, lang, products.extra(ws))
    by_partner = monitor.drivers(ws, scope, year, by="partner")
    pv = d.price_volume
    # monthly series of both definitions, never added together
    series_rows: list[dict[str, Any]] = []
    for dfn in ("customs", "origin"):
        for y, vals in sorted(
            monitor.monthly(ws, monitor.Scope(region=ws.home_region, definition=dfn)).items()
        ):
            if y < year - 2:
                continue
            for i, v in enumerate(vals):
                if np.isfinite(v):
                    series_rows.append(
                        {
                            "period": digits(f"{y}/{i + 1:02d}", lang),
                            "definition": t(dfn, lang),
                            "usd": float(v),
                        }
                    )
    map_values = {r["key"]: r["now"] for r in by_partner.table.to_dicts() if r["now"] > 0}
    period = period_text(year, d.months, lang)
    by_heading = monitor.drivers(ws, scope, year, by="hs4")
    names = products.extra(ws)
    tree = exports_treemap(by_heading.table.to_dicts(), lang, period, names)
    if product:  # a code, or a name to search (the product box's way)
        product = products.resolve(ws, product, lang, digits=4)
    elif tree["rows"]:
        product = str(tree["rows"][0]["code"])
    series = product_months(ws, scope, year, product, lang, names) if product else None
    return MonitorContext(
        page="monitor",
        title=t("Monitor", lang),
        lang=lang,
        year=year,
        definition=definition,
        by=by,
        by_options={k: t(v, lang) for k, v in BY_LABELS.items()},
        period=period,
        product=product or "",
        synthetic=synthetic(ws),
        summary={"before": d.total_before, "now": d.total_now, "growth_pct": d.growth_pct},
        price_volume={
            "volume": pv.volume,
            "price": pv.price,
            "volume_growth_pct": pv.volume_growth_pct,
            "price_growth_pct": pv.price_growth_pct,
            "unpriced": pv.unpriced,
        },
        charts={
            "drivers": charts.contributions(
                rows, lang, f"{t('Top drivers of the change', lang)}: {t(BY_LABELS[by], lang)}"
            ),
            "series": charts.monthly(series_rows, lang),
            "map": charts.world_map(map_values, lang, t("Destinations", lang), period=period),
            "treemap": tree["chart"],
            **({"product": series["chart"]} if series else {}),
        },
        tables={
            "drivers": table(
                f"{t('Top drivers of the change', lang)}: {t(BY_LABELS[by], lang)}",
                rows,
                [
                    ("key", "code", "text"),
                    ("label", "name", "text"),
                    ("before", "before", "usd"),
                    ("now", "now", "usd"),
                    ("change", "change", "usd"),
                    ("contribution_pp", "contribution (points)", "num"),
                ],
                lang,
            ),
            "series": table(
                t("Monthly exports", lang),
                series_rows,
                [
                    ("period", "period", "text"),
                    ("definition", "definition", "text"),
                    ("usd", "USD", "usd"),
                ],
                lang,
            ),
            "destinations": table(
                t("Destinations", lang),
                named(by_partner.table.to_dicts(), lang, "partner"),
                [
                    ("key", "code", "text"),
                    ("label", "name", "text"),
                    ("before", "before", "usd"),
                    ("now", "now", "usd"),
                    ("change", "change", "usd"),
                ],
                lang,
            ),
            "treemap": tree["table"],
            **({"product": series["table"]} if series else {}),
        },
        notes=d.notes,
    )
