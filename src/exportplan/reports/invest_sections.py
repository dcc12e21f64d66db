"""The investment pipeline's section of the handover dossier: the agency's projects by stage
and status, and what its weekly digest holds on the day (overdue enquiries, dormant projects,
follow-ups due), so a new head sees the pipeline the agency answers for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from exportplan.reports import program_sections as program_sections  # registered first
from exportplan.reports.sections import SectionContext, register
from exportplan.services.invest.digest import digests
from exportplan.store.program import ProgramDB

__all__ = ["InvestmentSection", "investment_section"]


@dataclass(frozen=True, kw_only=True)
class InvestmentSection(SectionContext):
    """The agency's investment projects and its digest of the day."""

    projects: list[dict[str, Any]] = field(default_factory=list)
    overdue_enquiries: list[dict[str, Any]] = field(default_factory=list)
    dormant: list[dict[str, Any]] = field(default_factory=list)
    follow_ups_due: list[dict[str, Any]] = field(default_factory=list)

    template: ClassVar[str] = "dossier/investment.html"


def investment_section(db: ProgramDB, agency: str, today: dt.date) -> InvestmentSection:
    d = digests(db, today).get(agency)
    if d is None:  # an agency the store does not hold: nothing of it to show
        return InvestmentSection()
    return InvestmentSection(
        projects=d["projects"],
        overdue_enquiries=d["overdue_enquiries"],
        dormant=d["dormant"],
        follow_ups_due=d["follow_ups_due"],
    )


register(
    "investment",
    title_en="Investment pipeline",
    title_fa="خط لوله سرمایه‌گذاری",
    build=investment_section,
)
