"""The dashboard page: the year to date against the target, the forecast of the year, the top
drivers of the change and the overdue actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from exportplan.errors import ExportPlanError
from exportplan.i18n import label as t
from exportplan.services import monitor, program
from exportplan.store.program import ProgramDB
from exportplan.views import charts
from exportplan.views.common import current_year, named, program_id, synthetic
from exportplan.views.context import PageContext
from exportplan.views.format import period_text
from exportplan.views.tables import table
from exportplan.workspace import Workspace

__all__ = ["STATUS_FIELDS", "DashboardContext", "dashboard"]

#: The monitor's status fields the dashboard (and the council pack) show
STATUS_FIELDS = (
    "definition",
    "months",
    "ytd",
    "same_period_last_year",
    "growth_pct",
    "target",
    "share_of_target_pct",
    "forecast",
    "forecast_central",
    "low80",
    "high80",
    "low95",
    "high95",
    "p_target",
    "needed_monthly",
    "data",
    "method",
)


@dataclass(kw_only=True)
class DashboardContext(PageContext):
    """The dashboard: ``status`` holds :data:`STATUS_FIELDS` of the customs definition;
    ``origin`` the year to date of goods made in the region (None when there are none)."""

    year: int
    status: dict[str, Any]
    period: str
    origin: dict[str, Any] | None = None


def dashboard(
    ws: Workspace, db: ProgramDB, lang: str, year: int | None = None, month: int | None = None
) -> DashboardContext:
    """The year to date (through ``month``, default the last with data) against the target."""
    year = year or current_year(ws)
    scope = monitor.Scope(region=ws.home_region, definition="customs")
    st = monitor.status(ws, scope, year, month)
    series = dict(monitor.monthly(ws, scope))
    this = series[year].copy()
    this[st.months :] = np.nan  # only the months reported on
    series[year] = this
    central = st.forecast_central or st.forecast
    fc = (central, st.low80, st.high80) if central and st.low80 and st.high80 else None
    ctx = DashboardContext(
        page="dashboard",
        title=t("Dashboard", lang),
        lang=lang,
        year=year,
        status={k: getattr(st, k) for k in STATUS_FIELDS},
        period=period_text(year, st.months, lang),
        synthetic=synthetic(ws),
        charts={
            "cumulative": charts.cumulative(
                year, series[year], series.get(year - 1), st.target, fc, lang
            )
        },
        tables={},
        notes=st.notes,
    )
    try:
        origin = monitor.status(
            ws, monitor.Scope(region=ws.home_region, definition="origin"), year, st.months
        )
        ctx.origin = {
            "ytd": origin.ytd,
            "growth_pct": origin.growth_pct,
            "months": origin.months,
        }
    except ExportPlanError as exc:  # no origin records for the period: say so
        ctx.origin = None
        ctx.notes.append(f"{t('goods made in the region', lang)}: {exc.message}")
    try:
        d = monitor.drivers(ws, scope, year, month=st.months, by="partner", top=6)
        rows = named(d.table.to_dicts(), lang, "partner")
        ctx.charts["drivers"] = charts.contributions(
            rows, lang, t("Top drivers of the change", lang)
        )
        ctx.tables["drivers"] = table(
            t("Top drivers of the change", lang),
            rows,
            [
                ("label", "destination", "text"),
                ("before", "before", "usd"),
                ("now", "now", "usd"),
                ("change", "change", "usd"),
                ("contribution_pp", "contribution (points)", "num"),
            ],
            lang,
        )
    except ExportPlanError as exc:
        ctx.notes.append(exc.message)
    pid = program_id(db, ws, year)
    overdue = program.actions(db, pid, overdue=True) if pid else []
    ctx.tables["overdue"] = table(
        t("Overdue actions", lang),
        [{**a, "deadline_day": a["deadline"]} for a in overdue],
        [
            ("code", "code", "text"),
            ("agency", "agency", "text"),
            ("title", "title", "text"),
            ("deadline_day", "deadline", "date"),
            ("status", "Status", "status"),
            ("progress", "Progress", "num"),
        ],
        lang,
    )
    return ctx
