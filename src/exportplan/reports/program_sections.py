"""The program's sections of the handover dossier, registered in the order the dossier shows
them: the agency and its heads (which head the dossier), its targets, open actions, KPIs, users
and recent changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from exportplan.reports.sections import SectionContext, register
from exportplan.services import program
from exportplan.store.program import ProgramDB
from exportplan.views.program_audit import audit_changes

__all__ = [
    "ActionsSection",
    "AgencySection",
    "HistorySection",
    "KpisSection",
    "TargetsSection",
    "UsersSection",
]


# The sections of one dossier read the same structure: it is read once while the store has not
# changed (its latest audit row) and the agency and the day are the same.
_LAST: dict[str, tuple[tuple[Any, ...], ProgramDB, dict[str, Any]]] = {}


def _handover(db: ProgramDB, agency: str, today: dt.date) -> dict[str, Any]:
    key = (agency, today, program.latest_change(db))
    hit = _LAST.get("h")
    if hit is not None and hit[0] == key and hit[1] is db:
        return hit[2]
    h = program.handover(db, agency, today=today)
    _LAST["h"] = (key, db, h)
    return h


@dataclass(frozen=True, kw_only=True)
class AgencySection(SectionContext):
    """The agency (its names and code), the day of the dossier and the agency's heads."""

    agency: dict[str, Any]
    as_of: str
    terms: list[dict[str, Any]] = field(default_factory=list)

    template: ClassVar[str] = "dossier/agency.html"


@dataclass(frozen=True, kw_only=True)
class TargetsSection(SectionContext):
    """The targets the agency owns, across the programs."""

    targets: list[dict[str, Any]] = field(default_factory=list)

    template: ClassVar[str] = "dossier/targets.html"


@dataclass(frozen=True, kw_only=True)
class ActionsSection(SectionContext):
    """The agency's open actions and, among them, the overdue."""

    open_actions: list[dict[str, Any]] = field(default_factory=list)
    overdue: list[dict[str, Any]] = field(default_factory=list)

    template: ClassVar[str] = "dossier/actions.html"


@dataclass(frozen=True, kw_only=True)
class KpisSection(SectionContext):
    """The agency's KPIs with their latest values and targets."""

    kpis: list[dict[str, Any]] = field(default_factory=list)

    template: ClassVar[str] = "dossier/kpis.html"


@dataclass(frozen=True, kw_only=True)
class UsersSection(SectionContext):
    """The agency's users (inactive ones marked)."""

    users: list[dict[str, Any]] = field(default_factory=list)

    template: ClassVar[str] = "dossier/users.html"


@dataclass(frozen=True, kw_only=True)
class HistorySection(SectionContext):
    """The latest changes to what the agency owns, each described in one line."""

    history: list[dict[str, Any]] = field(default_factory=list)

    template: ClassVar[str] = "dossier/history.html"


def agency_section(db: ProgramDB, agency: str, today: dt.date) -> AgencySection:
    h = _handover(db, agency, today)
    return AgencySection(agency=h["agency"], as_of=h["as_of"], terms=h["terms"])


def targets_section(db: ProgramDB, agency: str, today: dt.date) -> TargetsSection:
    return TargetsSection(targets=_handover(db, agency, today)["targets"])


def actions_section(db: ProgramDB, agency: str, today: dt.date) -> ActionsSection:
    h = _handover(db, agency, today)
    return ActionsSection(open_actions=h["open_actions"], overdue=h["overdue"])


def kpis_section(db: ProgramDB, agency: str, today: dt.date) -> KpisSection:
    return KpisSection(kpis=_handover(db, agency, today)["kpis"])


def users_section(db: ProgramDB, agency: str, today: dt.date) -> UsersSection:
    return UsersSection(users=_handover(db, agency, today)["users"])


def history_section(db: ProgramDB, agency: str, today: dt.date) -> HistorySection:
    rows = _handover(db, agency, today)["history"]  # the latest 50 audit rows
    # the fields changed as the audit page names them, in each language (issue 16: a Persian
    # dossier reads "وضعیت: برنامه‌ریزی‌شده ← در حال اجرا", not "status: planned → ...")
    return HistorySection(
        history=[
            {
                **r,
                "change": program.describe_change(r["before"], r["after"]),
                "changes": {lang: audit_changes(r, lang) for lang in ("fa", "en")},
            }
            for r in rows
        ]
    )


register("agency", title_en="Heads", title_fa="مدیران", build=agency_section)
register("targets", title_en="Targets", title_fa="اهداف", build=targets_section)
register("actions", title_en="Open actions", title_fa="اقدامات باز", build=actions_section)
register("kpis", title_en="KPIs", title_fa="شاخص‌ها", build=kpis_section)
register("users", title_en="Users", title_fa="کاربران", build=users_section)
register("history", title_en="Recent history", title_fa="تاریخچه اخیر", build=history_section)
