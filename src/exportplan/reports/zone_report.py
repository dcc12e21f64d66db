"""The monthly zone report (PDF, Persian or English): the zone dashboard's KPI tiles, plot
map and backlog chart (rendered to PNG by vl-convert), the deadline risk and the idle-plot
worklist with each plot's next legal step, built from the same contexts as the pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exportplan.i18n import label as t
from exportplan.reports.render import FONTS, check_lang, pdf, png, write
from exportplan.services.products import naming
from exportplan.store.program import ProgramDB
from exportplan.views.context import FieldMapping, direction
from exportplan.views.format import today_text
from exportplan.views.zones import WorklistPage, ZoneDashboard, worklist_page, zone_dashboard
from exportplan.workspace import Workspace


@dataclass(kw_only=True)
class ZoneReportContext(FieldMapping):
    lang: str
    dir: str
    title: str
    dash: ZoneDashboard
    work: WorklistPage
    charts: dict[str, str] = field(default_factory=dict)
    generated: str = ""
    synthetic: bool = False
    fonts: str = ""


def zone_report_context(
    ws: Workspace, db: ProgramDB, code: str, *, as_of: dt.date, lang: str
) -> ZoneReportContext:
    dash = zone_dashboard(ws, db, lang, code, as_of)
    work = worklist_page(ws, db, lang, code, as_of)
    charts: dict[str, Any] = {k: png(v) for k, v in dash.charts.items()}
    return ZoneReportContext(
        lang=lang,
        dir=direction(lang),
        title=f"{t('Monthly zone report', lang)}: {dash.title}",
        dash=dash,
        work=work,
        charts=charts,
        generated=today_text(lang, as_of),
        synthetic=dash.synthetic,
        fonts=FONTS.as_uri(),
    )


def zone_report(
    ws: Workspace,
    db: ProgramDB,
    code: str,
    out: Path | None = None,
    *,
    as_of: dt.date,
    lang: str = "fa",
) -> bytes:
    """The monthly zone report as PDF bytes (and written to ``out`` when given)."""
    check_lang(lang)
    with naming(ws):  # products by the tariff books' names where loaded
        ctx = zone_report_context(ws, db, code, as_of=as_of, lang=lang)
        return write(pdf("report_zone.html", ctx), out)
