"""The council pack: the dashboard's and the monitor's contexts, the target tree's achievement
against each target (the program page's figures, with the nodes behind their path), the
program's priorities with their targets and KPIs, overdue actions by agency and the
opportunities worth discussing, as PDF in Persian or English."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from exportplan.errors import NotFoundError
from exportplan.i18n import label as t
from exportplan.reference.countries import country_name
from exportplan.reference.text import to_persian_digits
from exportplan.reports.render import FONTS, check_lang, pdf, png, write
from exportplan.services import opportunities, program
from exportplan.services.plan_of_record import choose_program
from exportplan.services.products import naming
from exportplan.store.program import ProgramDB
from exportplan.views.context import FieldMapping, direction
from exportplan.views.dashboard import DashboardContext, dashboard
from exportplan.views.format import today_text
from exportplan.views.monitor import MonitorContext, monitor_page
from exportplan.views.program import priority_name
from exportplan.views.program_edit import path_note, progress_rows
from exportplan.views.status_notes import status_footnote
from exportplan.workspace import Workspace

__all__ = ["CouncilContext", "council", "council_context"]


@dataclass(kw_only=True)
class CouncilContext(FieldMapping):
    """What the council pack shows: ``dash`` and ``mon`` are the dashboard's and the monitor's
    page contexts (the report's numbers are the screen's); ``charts`` are PNG data URIs."""

    lang: str
    dir: str
    title: str
    program: dict[str, Any]
    dash: DashboardContext
    mon: MonitorContext
    heading: str = ""
    targets: list[dict[str, Any]] = field(default_factory=list)
    behind: list[dict[str, Any]] = field(default_factory=list)
    path_note: str = ""
    footnote: str = ""
    priorities: list[dict[str, Any]] = field(default_factory=list)
    agencies: list[dict[str, Any]] = field(default_factory=list)
    opportunities: list[dict[str, Any]] = field(default_factory=list)
    charts: dict[str, str] = field(default_factory=dict)
    generated: str = ""
    synthetic: bool = False
    fonts: str = ""


def _priorities(view: dict[str, Any]) -> list[dict[str, Any]]:
    """Each priority with its target and the year to date of its KPIs in USD."""
    by_priority = {c["priority"]: c for c in view["targets"]["children"] if c.get("priority")}
    kpi_by_priority: dict[int | None, list[dict[str, Any]]] = {}
    for k in view["kpis"]:
        kpi_by_priority.setdefault(k["priority_id"], []).append(k)
    out = []
    for p in view["priorities"]:
        node = by_priority.get(p["code"])
        kp = kpi_by_priority.get(p["id"], [])
        ytd = sum(k["year_to_date"] or 0 for k in kp if k["unit"] == "USD")
        target = node["value_usd"] if node else None
        out.append(
            {
                "code": p["code"],
                "hs_codes": " ".join(p["hs_codes"]),
                "markets": " ".join(p["markets"]),
                "target": target,
                "kpi_ytd": ytd if kp else None,
                "share": 100 * ytd / target if kp and target else None,
            }
        )
    return out


def _agencies(view: dict[str, Any], today: dt.date) -> list[dict[str, Any]]:
    """Actions by agency: done, late, and due within 30 days."""
    soon = today + dt.timedelta(days=30)
    agencies: dict[str, dict[str, Any]] = {}
    for a in view["actions"]:
        g = agencies.setdefault(
            a["agency"], {"agency": a["agency"], "done": 0, "late": [], "due": []}
        )
        deadline = dt.date.fromisoformat(a["deadline"])
        if a["status"] == "done":
            g["done"] += 1
        elif a["overdue"]:
            g["late"].append(a)
        elif a["status"] != "cancelled" and deadline <= soon:
            g["due"].append(a)
    return sorted(agencies.values(), key=lambda g: g["agency"])


def _opportunities(ws: Workspace, lang: str) -> list[dict[str, Any]]:
    """The eight largest untapped product-market pairs, with the reason of their rank."""
    table = opportunities.table(ws, opportunities.Params(level="hs4")).table
    worth = (
        table.filter(pl.col("untapped_pos_usd") > 0)
        .sort(["untapped_pos_usd", "prod", "market"], descending=[True, False, False])
        .head(8)
    )
    opp_rows = []
    for r in worth.iter_rows(named=True):
        ranked = opportunities.markets(
            ws, r["prod"], params=opportunities.Params(level="hs4"), top=None, lang=lang
        )
        row = ranked.table.filter(pl.col("market") == r["market"])
        opp_rows.append(
            {
                "prod": r["prod"],
                "market": country_name(r["market"], lang),
                "untapped": r["untapped_pos_usd"],
                "reason": row.get_column("reason")[0] if row.height else "",
            }
        )
    return opp_rows


def unmeasured_note(n: int, lang: str) -> str:
    """Why the pack leaves ``n`` sub-targets out of its table."""
    count = to_persian_digits(str(n)) if lang == "fa" else str(n)
    return t(
        "{n} sub-targets that only name an agency are not shown: an agency's share of its "
        "parent's exports is not in the data.",
        lang,
    ).replace("{n}", count)


def council_context(
    ws: Workspace,
    db: ProgramDB,
    *,
    year: int | None = None,
    month: int | None = None,
    lang: str = "fa",
    today: dt.date | None = None,
) -> CouncilContext:
    """What the council pack shows: the dashboard's status and drivers, the monitor's drivers
    by product, the program's priorities with their targets and KPIs, actions by agency (done,
    late, due within 30 days) and the opportunities worth discussing."""
    today = today or dt.date.today()
    dash = dashboard(ws, db, lang, year, month)
    year = dash.year
    mon = monitor_page(ws, lang, year, "customs", "hs4")
    chosen = choose_program(db, region=ws.home_region, year=year).program
    if chosen is None:
        raise NotFoundError(
            f"no program for {year} in {ws.home_region}",
            hint=f"create it with `exportplan program create --year {year} --target ...`",
        )
    view = program.show(db, chosen.id, today=today)
    rows = progress_rows(ws, db, view, lang)
    names = {p["code"]: p for p in view["priorities"]}
    for r in rows:
        pr = names.get(r.get("priority") or "")
        if pr is not None:
            r["name"] = priority_name(pr, lang)  # in Persian from its products and markets
    behind = [r for r in rows if r.get("behind")]
    unmeasured = sum(1 for r in rows if not r.get("measured"))
    rows = [r for r in rows if r.get("measured")]  # an agency's part has no figure to show
    priorities = _priorities(view)
    agencies = _agencies(view, today)
    opp_rows = _opportunities(ws, lang)
    charts = {k: png(v) for k, v in dash.charts.items()}
    charts["products"] = png(mon.charts["drivers"])
    region = t(ws.home_region, lang)
    shown_year = to_persian_digits(str(year)) if lang == "fa" else str(year)
    return CouncilContext(
        lang=lang,
        dir=direction(lang),
        title=t("Council report", lang),
        heading=t("{region} export program {year}", lang)
        .replace("{region}", region)
        .replace("{year}", shown_year),
        targets=rows,
        behind=behind,
        path_note=(path_note(rows, year, lang) if rows else "")
        + (" " + unmeasured_note(unmeasured, lang) if unmeasured else ""),
        footnote=status_footnote(dash.status, lang),
        program=view["program"],
        dash=dash,
        mon=mon,
        priorities=priorities,
        agencies=agencies,
        opportunities=opp_rows,
        charts=charts,
        generated=today_text(lang, today),
        synthetic=dash.synthetic,
        fonts=FONTS.as_uri(),
    )


def council(
    ws: Workspace,
    db: ProgramDB,
    out: Path | None = None,
    *,
    year: int | None = None,
    month: int | None = None,
    lang: str = "fa",
    today: dt.date | None = None,
) -> bytes:
    """The council pack as PDF bytes (and written to ``out`` when given)."""
    check_lang(lang)
    with naming(ws):  # products by the tariff books' names where loaded
        ctx = council_context(ws, db, year=year, month=month, lang=lang, today=today)
        return write(pdf("report_council.html", ctx), out)
