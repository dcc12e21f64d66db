"""The handover dossier: everything an agency owns, for the day its head changes, as PDF; its
sections are whatever the registry (:mod:`exportplan.reports.sections`) holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from exportplan.i18n import label as t
from exportplan.reports.render import check_lang, pdf, write
from exportplan.reports.sections import Section, SectionContext, registered
from exportplan.store.program import ProgramDB
from exportplan.views.context import FieldMapping, direction
from exportplan.views.format import today_text

__all__ = ["DossierContext", "DossierSection", "dossier_context", "handover"]


@dataclass(frozen=True)
class DossierSection:
    """A registered section with what it shows for this agency and day."""

    section: Section
    context: SectionContext


@dataclass(frozen=True, kw_only=True)
class DossierContext(FieldMapping):
    """What the dossier's template renders: the registered sections, each with what it shows
    for the agency and the day."""

    lang: str
    dir: str
    title: str
    agency: str
    generated: str
    synthetic: bool
    sections: list[DossierSection] = field(default_factory=list)


def dossier_context(
    db: ProgramDB,
    agency: str,
    *,
    lang: str = "fa",
    today: dt.date | None = None,
    synthetic: bool = False,
) -> DossierContext:
    """Every registered section, built for the agency and the day (default: today)."""
    day = today or dt.date.today()
    return DossierContext(
        lang=lang,
        dir=direction(lang),
        title=t("Handover dossier", lang),
        agency=agency,
        generated=today_text(lang, today),
        synthetic=synthetic,
        sections=[DossierSection(s, s.build(db, agency, day)) for s in registered()],
    )


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
    check_lang(lang)
    ctx = dossier_context(db, agency, lang=lang, today=today, synthetic=synthetic)
    return write(pdf("report_handover.html", ctx), out)
