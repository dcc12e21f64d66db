"""The dashboard page: the year to date against the target for a chosen year, month and
definition (the pickers, whose state is the page's address), the forecast of the year with its
probability and back-test coverage, what is needed per month, the top drivers of the change,
the sub-targets behind their monthly path and the overdue actions by agency."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from exportplan.analytics.forecast import MIN_BACKTEST
from exportplan.domain import DEFINITIONS
from exportplan.errors import ExportPlanError, InputError
from exportplan.i18n import label as t
from exportplan.reference.calendar import MONTHS_EN, MONTHS_FA
from exportplan.services import monitor, program
from exportplan.services.plan_of_record import choose_program
from exportplan.services.program.progress import tree_progress
from exportplan.store.program import ProgramDB
from exportplan.views import charts
from exportplan.views.common import current_year, driver_rows, synthetic
from exportplan.views.context import FieldMapping, PageContext, Table
from exportplan.views.format import digits, fmt, period_text
from exportplan.views.program_edit import path_note
from exportplan.views.tables import table
from exportplan.workspace import Workspace

__all__ = ["STATUS_FIELDS", "DashboardContext", "Pickers", "dashboard", "forecast_text"]

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
class Pickers(FieldMapping):
    """The dashboard's choices as its form offers them: the years with data of the chosen
    definition, the months with data of the chosen year (value, name), the definitions, and
    the choice made (``month`` is the month the page reports through)."""

    year: int
    month: int
    definition: str
    years: list[int]
    months: list[tuple[int, str]]
    definitions: list[tuple[str, str]]


@dataclass(kw_only=True)
class DashboardContext(PageContext):
    """The dashboard: ``status`` holds :data:`STATUS_FIELDS` of the chosen definition and
    ``shown``, the forecast's figures as the page writes them (:func:`forecast_text`);
    ``other`` the year to date of the other definition beside it (never added; None when it
    has no records), ``origin`` that of goods made in the region when the page shows the
    customs definition (the council pack's card); ``pickers`` the year, month and definition
    chosen and offered."""

    year: int
    status: dict[str, Any]
    period: str
    origin: dict[str, Any] | None = None
    other: dict[str, Any] | None = None
    pickers: Pickers | None = None
    #: how the sub-targets' monthly path is drawn (its years), stated beside their table
    behind_note: str = ""


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
    ws: Workspace,
    db: ProgramDB,
    lang: str,
    year: int | None = None,
    month: int | None = None,
    definition: str | None = None,
) -> DashboardContext:
    """The year to date of ``definition`` (default customs) through ``month`` (default the
    last with data) of ``year`` (default the latest with data) against the target."""
    definition = definition or "customs"
    if definition not in DEFINITIONS:
        raise InputError(
            t("definition must be one of {choices}; got {value}", lang).format(
                choices=", ".join(DEFINITIONS), value=repr(definition[:40])
            ),
            hint=t("choose the definition on the page", lang),
        )
    year = year or current_year(ws, definition)
    scope = monitor.Scope(region=ws.home_region, definition=definition)
    st = monitor.status(ws, scope, year, month)
    series = dict(monitor.monthly(ws, scope))
    recorded = series[year]
    this = recorded.copy()
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
        tables={"cumulative": _cumulative_table(series[year], series.get(year - 1), lang)},
        notes=st.notes,
        pickers=_pickers(sorted(series), recorded, year, st.months, definition, lang),
    )
    other = "origin" if definition == "customs" else "customs"
    try:
        o = monitor.status(
            ws, monitor.Scope(region=ws.home_region, definition=other), year, st.months
        )
        ctx.other = {
            "definition": other,
            "ytd": o.ytd,
            "growth_pct": o.growth_pct,
            "months": o.months,
        }
    except ExportPlanError as exc:  # no records of the other definition for the period
        ctx.notes.append(f"{t(other, lang)}: {exc.message}")
    if other == "origin":
        ctx.origin = ctx.other
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
    chosen = choose_program(
        db,
        region=ws.home_region,
        year=year,
        definition=None if definition == "customs" else definition,
    ).program
    behind, ctx.behind_note = _behind(ws, db, chosen.id, lang) if chosen else ([], "")
    ctx.tables["behind"] = table(
        t("Sub-targets behind their path", lang), behind, _BEHIND_COLUMNS, lang
    )
    overdue = program.actions(db, chosen.id, overdue=True) if chosen else []
    ctx.tables["overdue_by_agency"] = table(
        t("Overdue actions by agency", lang), _by_agency(overdue), _BY_AGENCY_COLUMNS, lang
    )
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


_BEHIND_COLUMNS = [
    ("code", "code", "text"),
    ("label", "label", "text"),
    ("agency", "agency", "text"),
    ("value_usd", "Target", "usd"),
    ("achieved_usd", "achieved to date", "usd"),
    ("due_usd", "path to date", "usd"),
    ("gap_usd", "behind by", "usd"),
    ("needed_per_month_usd", "needed per remaining month", "usd"),
]


def _behind(
    ws: Workspace, db: ProgramDB, program_id: int, lang: str
) -> tuple[list[dict[str, Any]], str]:
    """The program's sub-targets behind their monthly path (:func:`tree_progress`: their
    exports to date below the part of their target due by the data's last month), furthest
    behind first, and how the path is drawn (its years), stated."""
    view = program.show(db, program_id)
    progress = tree_progress(ws, db, program_id, view=view)
    rows: list[dict[str, Any]] = []

    def walk(node: dict[str, Any]) -> None:
        p = progress.get(node["code"], {})
        if node["code"] != "TOTAL" and p.get("measured") and p.get("behind"):
            rows.append(
                {
                    "code": node["code"],
                    "label": node["label"],
                    "agency": node["agency"],
                    "value_usd": node["value_usd"],
                    "achieved_usd": p["achieved_usd"],
                    "due_usd": p["due_usd"],
                    "gap_usd": p["due_usd"] - p["achieved_usd"],
                    "needed_per_month_usd": p["needed_per_month_usd"],
                }
            )
        for c in node["children"]:
            walk(c)

    walk(view["targets"])
    rows.sort(key=lambda r: (-r["gap_usd"], r["code"]))
    root = {"code": "TOTAL", **progress.get("TOTAL", {})}
    return rows, path_note([root], int(view["program"]["sh_year"]), lang)


_BY_AGENCY_COLUMNS = [
    ("agency", "agency", "text"),
    ("overdue", "overdue", "num"),
    ("oldest", "oldest deadline", "date"),
    ("blocked", "blocked", "num"),
]


def _by_agency(overdue: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The overdue actions counted by agency, most first: how many, the oldest deadline, how
    many of them are blocked."""
    out: dict[str, dict[str, Any]] = {}
    for a in overdue:
        row = out.setdefault(
            str(a["agency"]), {"agency": a["agency"], "overdue": 0, "oldest": None, "blocked": 0}
        )
        row["overdue"] += 1
        row["blocked"] += a["status"] == "blocked"
        if a["deadline"] and (row["oldest"] is None or str(a["deadline"]) < str(row["oldest"])):
            row["oldest"] = a["deadline"]
    return sorted(out.values(), key=lambda r: (-r["overdue"], str(r["agency"])))


def _pickers(
    years: list[int],
    recorded: np.ndarray,
    year: int,
    month: int,
    definition: str,
    lang: str,
) -> Pickers:
    """The pickers' options: the definition's years with data (latest first), the chosen
    year's months through its last with data."""
    names = MONTHS_FA if lang == "fa" else MONTHS_EN
    known = np.flatnonzero(np.isfinite(recorded))
    last = int(known.max()) + 1 if known.size else month
    return Pickers(
        year=year,
        month=month,
        definition=definition,
        years=sorted(years, reverse=True),
        months=[(m, names[m - 1]) for m in range(1, max(last, month) + 1)],
        definitions=[(d, t(d, lang)) for d in DEFINITIONS],
    )


def _running(values: np.ndarray | None) -> list[float | None]:
    """Totals so far, month by month, up to the first month without a value (then None)."""
    out: list[float | None] = []
    total: float | None = 0.0
    for i in range(12):
        v = float(values[i]) if values is not None and i < len(values) else float("nan")
        total = total + v if total is not None and np.isfinite(v) else None
        out.append(total)
    return out


def _cumulative_table(this: np.ndarray, last: np.ndarray | None, lang: str) -> Table:
    """The cumulative chart's figures (its text alternative): each month's total so far this
    year and last year, as the chart draws them."""
    names = MONTHS_FA if lang == "fa" else MONTHS_EN
    rows = [
        {"month": names[i], "this_year": a, "last_year": b}
        for i, (a, b) in enumerate(zip(_running(this), _running(last), strict=True))
        if a is not None or b is not None
    ]
    return table(
        t("Cumulative exports by month", lang),
        rows,
        [
            ("month", "month", "text"),
            ("this_year", "this year", "usd"),
            ("last_year", "last year", "usd"),
        ],
        lang,
    )
