"""The monthly investment pipeline report (PDF, Persian or English): the funnel with and
without estimates, conversion, the enquiry service in working days, the top projects, lost
reasons and the data debt, as of the last day of a Solar Hijri month (the screen's numbers:
:mod:`exportplan.services.invest.figures`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jdatetime

from exportplan.errors import InputError
from exportplan.i18n import label as t
from exportplan.reference.calendar import MONTHS_EN, MONTHS_FA, sh_month_length
from exportplan.reference.invest_labels import field_label
from exportplan.reports.render import FONTS, check_lang, pdf, write
from exportplan.services.invest import figures
from exportplan.store.program import ProgramDB
from exportplan.views.context import FieldMapping, direction
from exportplan.views.format import digits, today_text

__all__ = ["InvestReportContext", "invest_report", "report_context"]


@dataclass(kw_only=True)
class InvestReportContext(FieldMapping):
    lang: str
    dir: str
    title: str
    period: str
    funnel: dict[str, Any]
    stages: list[dict[str, Any]] = field(default_factory=list)
    top: list[dict[str, Any]] = field(default_factory=list)
    lost: list[dict[str, Any]] = field(default_factory=list)
    debt: list[dict[str, Any]] = field(default_factory=list)
    generated: str = ""
    synthetic: bool = False
    fonts: str = ""


def month_end(sh_year: int, month: int) -> dt.date:
    if not 1 <= month <= 12:
        raise InputError(f"month must be 1 to 12; got {month}")
    g: dt.date = jdatetime.date(sh_year, month, sh_month_length(sh_year, month)).togregorian()
    return g


def report_context(
    db: ProgramDB, *, sh_year: int, month: int, lang: str, synthetic: bool = False
) -> InvestReportContext:
    as_of = min(month_end(sh_year, month), dt.date.today())
    f = figures.funnel_figures(db, as_of)
    rows = figures.project_rows(db)
    stages = [
        {
            "stage": t(s, lang),
            "projects": n,
            "capex": f["capex_by_stage_usd"][s],
            "firm": f["capex_by_stage_usd_excluding_estimates"][s],
            "conversion": (f["conversion"].get(f"{s}->{nxt}") or {}).get("rate"),
        }
        for (s, n), nxt in zip(
            f["projects_by_stage"].items(), [*list(f["projects_by_stage"])[1:], ""], strict=True
        )
    ]
    top = sorted(
        (r for r in rows if r["status"] not in ("lost", "abandoned")),
        key=lambda r: -(r["capex_usd"] or 0),
    )[:10]
    months = MONTHS_FA if lang == "fa" else MONTHS_EN
    return InvestReportContext(
        lang=lang,
        dir=direction(lang),
        title=t("Monthly pipeline report", lang),
        period=f"{months[month - 1]} {digits(str(sh_year), lang)}",
        funnel=f,
        stages=stages,
        top=[{**r, "stage_label": t(r["stage"], lang)} for r in top],
        lost=[r for r in rows if r["status"] in ("lost", "abandoned")],
        debt=[
            {**d, "waived_labels": ", ".join(field_label(f, lang) for f in d["waived_fields"])}
            for d in figures.data_debt(db)
        ],
        generated=today_text(lang),
        synthetic=synthetic,
        fonts=FONTS.as_uri(),
    )


def invest_report(
    db: ProgramDB,
    out: Path | None = None,
    *,
    sh_year: int,
    month: int,
    lang: str = "fa",
    synthetic: bool = False,
) -> bytes:
    """The monthly pipeline report as PDF bytes (and written to ``out`` when given)."""
    check_lang(lang)
    ctx = report_context(db, sh_year=sh_year, month=month, lang=lang, synthetic=synthetic)
    return write(pdf("report_invest.html", ctx), out)
