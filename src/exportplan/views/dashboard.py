"""The dashboard page: the year to date against the target, the forecast of the year, the top
drivers of the change and the overdue actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from exportplan.analytics.forecast import MIN_BACKTEST
from exportplan.errors import ExportPlanError
from exportplan.i18n import label as t
from exportplan.services import monitor, program
from exportplan.store.program import ProgramDB
from exportplan.views import charts
from exportplan.views.common import current_year, driver_rows, program_id, synthetic
from exportplan.views.context import PageContext
from exportplan.views.format import digits, fmt, period_text
from exportplan.views.tables import table
from exportplan.workspace import Workspace

__all__ = ["STATUS_FIELDS", "DashboardContext", "dashboard", "forecast_text"]

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
    "p_target_text",
    "needed_monthly",
    "coverage80",
    "coverage95",
    "backtest_years",
    "no_interval_reason",
    "data",
    "method",
)


@dataclass(kw_only=True)
class DashboardContext(PageContext):
    """The dashboard: ``status`` holds :data:`STATUS_FIELDS` of the customs definition and
    ``shown``, the forecast's figures as the page writes them (:func:`forecast_text`);
    ``origin`` the year to date of goods made in the region (None when there are none)."""

    year: int
    status: dict[str, Any]
    period: str
    origin: dict[str, Any] | None = None


def probability_text(text: str, lang: str) -> str:
    """The forecast's probability as written by the model (">99%", "<1%", "98%", "-") in the
    page's digits and percent sign."""
    if text in ("", "-"):
        return "–"
    return digits(text, lang).replace("%", "٪") if lang == "fa" else text


def _no_interval_text(st: monitor.Status, lang: str) -> str:
    """Why the forecast is a point only, in the page's language."""
    reason = st.no_interval_reason or ""
    if not reason or lang != "fa":
        return reason
    if st.backtest_years < MIN_BACKTEST:
        return t(
            "only {n} back-test years (at least {k} are needed): no interval or probability", lang
        ).format(n=digits(str(st.backtest_years), lang), k=digits(str(MIN_BACKTEST), lang))
    return t("the year to date is zero: no interval", lang)


def _needed_text(st: monitor.Status, lang: str) -> str:
    """What is needed per month; once the year to date has reached the target, it says so
    rather than showing a negative amount."""
    if st.target and st.needed_monthly == 0.0 and st.ytd >= st.target:
        return t("none: the target is already reached", lang)
    return fmt(st.needed_monthly, "usd", lang)


def forecast_text(st: monitor.Status, lang: str) -> dict[str, str]:
    """The forecast as the dashboard and the council pack write it: the central forecast, its
    80% and 95% intervals (or why there are none), the probability of reaching the target as
    the model rounds it, what is needed per month, and the back-test's coverage (in how many
    of the back-test years the true total fell inside the 80% and the 95% interval)."""
    out = {
        "central": fmt(st.forecast_central or st.forecast, "usd", lang),
        "interval80": "",
        "interval95": "",
        "no_interval": _no_interval_text(st, lang),
        "probability": probability_text(st.p_target_text, lang) if st.target else "–",
        "needed": _needed_text(st, lang),
        "coverage": "",
    }
    if st.low80 is not None and st.high80 is not None:
        out["interval80"] = (
            f"{fmt(st.low80, 'usd', lang)} {t('to', lang)} {fmt(st.high80, 'usd', lang)}"
        )
    if st.low95 is not None and st.high95 is not None:
        out["interval95"] = (
            f"{fmt(st.low95, 'usd', lang)} {t('to', lang)} {fmt(st.high95, 'usd', lang)}"
        )
    n = st.backtest_years
    if st.coverage80 is not None and st.coverage95 is not None and n:
        out["coverage"] = t(
            "{a80} of {n} years inside the 80% interval, {a95} inside the 95%", lang
        ).format(
            a80=digits(str(round(st.coverage80 * n)), lang),
            a95=digits(str(round(st.coverage95 * n)), lang),
            n=digits(str(n), lang),
        )
    return out


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
        status={**{k: getattr(st, k) for k in STATUS_FIELDS}, "shown": forecast_text(st, lang)},
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
        rows = driver_rows(d, lang)
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
            ("title", "title", "data"),
            ("deadline_day", "deadline", "date"),
            ("status", "Status", "status"),
            ("progress", "Progress", "num"),
        ],
        lang,
    )
    return ctx
