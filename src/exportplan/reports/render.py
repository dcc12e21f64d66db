"""Build and render the reports (see the package's docstring)."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import io
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jdatetime

from exportplan.errors import InputError, NotFoundError
from exportplan.reference.countries import country_name
from exportplan.services import opportunities, program
from exportplan.services.plan_of_record import choose_program
from exportplan.store.program_db import ProgramDB
from exportplan.web import pages
from exportplan.web.labels import t
from exportplan.workspace import Workspace

FONTS = Path(str(files("exportplan.web").joinpath("static", "fonts")))


@cache
def _vl() -> Any:
    import vl_convert as vlc

    vlc.register_font_directory(str(FONTS))
    return vlc


def png(spec: dict[str, Any], width: int = 640) -> str:
    """A Vega-Lite spec as a PNG data URI (fixed width: a PDF has no container to fill)."""
    s = copy.deepcopy(spec)
    s["width"] = width
    data = _vl().vegalite_to_png(s, scale=2)
    return "data:image/png;base64," + base64.b64encode(data).decode()


def _env() -> Any:
    from exportplan.web.app import _env as web_env

    return web_env()


def _today(lang: str, today: dt.date | None = None) -> str:
    d = today or dt.date.today()
    if lang != "fa":
        return d.isoformat()
    j = jdatetime.date.fromgregorian(date=d)
    return pages._digits(f"{j.year}/{j.month:02d}/{j.day:02d}", lang)


def _pdf(html: str) -> bytes:
    import weasyprint

    return bytes(weasyprint.HTML(string=html, base_url=str(FONTS)).write_pdf())


def council_context(
    ws: Workspace,
    db: ProgramDB,
    *,
    year: int | None = None,
    month: int | None = None,
    lang: str = "fa",
    today: dt.date | None = None,
) -> dict[str, Any]:
    """What the council pack shows: the dashboard's status and drivers, the monitor's drivers
    by product, the program's priorities with their targets and KPIs, actions by agency (done,
    late, due within 30 days) and the opportunities worth discussing."""
    today = today or dt.date.today()
    dash = pages.dashboard(ws, db, lang, year, month)
    year = int(dash["year"])
    mon = pages.monitor_page(ws, lang, year, "customs", "hs4")
    chosen = choose_program(db, region=ws.home_region, year=year).program
    if chosen is None:
        raise NotFoundError(
            f"no program for {year} in {ws.home_region}",
            hint=f"create it with `exportplan program create --year {year} --target ...`",
        )
    view = program.show(db, chosen.id, today=today)
    tree = view["targets"]
    by_priority = {c["priority"]: c for c in tree["children"] if c.get("priority")}
    kpi_by_priority: dict[int | None, list[dict[str, Any]]] = {}
    for k in view["kpis"]:
        kpi_by_priority.setdefault(k["priority_id"], []).append(k)
    priorities = []
    for p in view["priorities"]:
        node = by_priority.get(p["code"])
        kp = kpi_by_priority.get(p["id"], [])
        ytd = sum(k["year_to_date"] or 0 for k in kp if k["unit"] == "USD")
        target = node["value_usd"] if node else None
        priorities.append(
            {
                "code": p["code"],
                "hs_codes": " ".join(p["hs_codes"]),
                "markets": " ".join(p["markets"]),
                "target": target,
                "kpi_ytd": ytd if kp else None,
                "share": 100 * ytd / target if kp and target else None,
            }
        )
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
    table = opportunities.table(ws, opportunities.Params(level="hs4")).table
    import polars as pl

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
    charts = {k: png(v) for k, v in dash["charts"].items()}
    charts["products"] = png(mon["charts"]["drivers"])
    return {
        "lang": lang,
        "dir": "rtl" if lang == "fa" else "ltr",
        "title": t("Council report", lang),
        "program": view["program"],
        "dash": dash,
        "mon": mon,
        "priorities": priorities,
        "agencies": sorted(agencies.values(), key=lambda g: g["agency"]),
        "opportunities": opp_rows,
        "charts": charts,
        "generated": _today(lang, today),
        "synthetic": dash["synthetic"],
        "fonts": FONTS.as_uri(),
    }


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
    if lang not in ("fa", "en"):
        raise InputError(f"lang must be fa or en; got {lang!r}")
    ctx = council_context(ws, db, year=year, month=month, lang=lang, today=today)
    html = _env().get_template("report_council.html").render(**ctx)
    pdf = _pdf(html)
    if out is not None:
        out.write_bytes(pdf)
    return pdf


def handover(
    db: ProgramDB,
    agency: str,
    out: Path | None = None,
    *,
    lang: str = "fa",
    today: dt.date | None = None,
    synthetic: bool = False,
) -> bytes:
    """Everything an agency owns, as PDF bytes (and written to ``out`` when given)."""
    if lang not in ("fa", "en"):
        raise InputError(f"lang must be fa or en; got {lang!r}")
    h = program.handover(db, agency, today=today)
    for r in h["history"]:
        r["change"] = program.describe_change(r["before"], r["after"])
    ctx = {
        "lang": lang,
        "dir": "rtl" if lang == "fa" else "ltr",
        "title": t("Handover dossier", lang),
        "h": h,
        "generated": _today(lang, today),
        "synthetic": synthetic,
        "fonts": FONTS.as_uri(),
    }
    pdf = _pdf(_env().get_template("report_handover.html").render(**ctx))
    if out is not None:
        out.write_bytes(pdf)
    return pdf


def workbook(ws: Workspace, db: ProgramDB, out: Path | None = None, *, lang: str = "fa") -> bytes:
    """Every table of every page in one workbook (right-to-left sheets in Persian), each
    sheet headed by its title; what the pages' Excel downloads hold, together."""
    from openpyxl import Workbook

    from exportplan.services.users import local_actor

    every = pages.builders(ws, db, lang, local_actor(), {})
    builders = {name: every[name] for name in pages.PAGES}  # not the users: personal data
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for page, build in builders.items():
        ctx = build()
        for name, tab in ctx["tables"].items():
            pages.write_sheet(wb.create_sheet(f"{page}-{name}"[:31]), tab, lang)
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    if out is not None:
        out.write_bytes(data)
    return data
