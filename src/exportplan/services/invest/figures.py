"""The pipeline's figures from the store: the funnel as of a day (``invest funnel``), the
enquiry service in working days, the enquiries inbox with countdowns, dormant projects, event
follow-up, the data debt (waived gate fields) and the export outcome of operating projects.
Every number is computed here once, whichever front door asks (docs/investment.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from exportplan import settings
from exportplan.analytics import enquiry_service, invest_funnel
from exportplan.analytics.enquiry_service import EnquiryRow
from exportplan.analytics.invest_funnel import ProjectRow
from exportplan.reference.holidays import WorkingDays, working_days
from exportplan.store.invest.queries import enquiry_rows, event_rows, project_rows
from exportplan.store.program.db import ProgramDB

__all__ = [
    "data_debt",
    "dormant_projects",
    "enquiries_inbox",
    "events_follow_up",
    "funnel_figures",
    "not_trackable",
    "project_rows",
    "rows_of",
    "service_days",
    "time_in_stage_by",
]


def service_days() -> WorkingDays:
    """The working-day counter of the settings (Thursday rule) and the shipped holidays."""
    return working_days(thursday_working=bool(settings.value("invest_thursday_working")))


def rows_of(projects: list[dict[str, Any]]) -> list[ProjectRow]:
    return [
        ProjectRow(
            code=p["code"],
            created=p["created_on"],
            stage=p["stage"],
            status=p["status"],
            capex_usd=p["capex_usd"],
            capex_is_estimate=bool(p["capex_is_estimate"]),
            log=tuple(p["log"]),
            last_interaction=p["last_interaction"],
        )
        for p in projects
    ]


def _enquiries(db: ProgramDB, only: Collection[str] | None = None) -> list[EnquiryRow]:
    return [
        EnquiryRow(e["ref"], e["received_on"], e["first_response_on"], e["agency"], e["channel"])
        for e in enquiry_rows(db)
        if only is None or e["ref"] in only
    ]


def funnel_figures(
    db: ProgramDB,
    as_of: dt.date,
    *,
    target_days: int | None = None,
    wd: WorkingDays | None = None,
    only: Collection[str] | None = None,
) -> dict[str, Any]:
    """``invest funnel --json``: the funnel, the conversions, time in stage, dormant
    projects and the enquiry service, as of ``as_of``; with ``only`` (project codes, the
    board's filters) of those projects and their enquiries alone."""
    target = target_days or int(settings.value("invest_response_days"))
    wd = wd or service_days()
    projects = [p for p in project_rows(db) if only is None or p["code"] in only]
    rows = rows_of(projects)
    svc = enquiry_service.service(_enquiries(db, only), as_of, wd, target=target)
    out: dict[str, Any] = {"as_of": as_of.isoformat()}
    out.update(invest_funnel.funnel(rows, as_of))
    out["conversion"] = invest_funnel.conversion(rows, as_of)
    out["conversion_by_quarter"] = invest_funnel.conversion_by_quarter(rows, as_of)
    out["time_in_stage"] = invest_funnel.time_in_stage(rows, as_of)
    for key, by in (
        ("sector", "time_in_stage_by_sector"),
        ("priority", "time_in_stage_by_priority"),
    ):
        out[by] = time_in_stage_by(projects, rows, key, as_of)
    out["dormant"] = invest_funnel.dormant(
        rows, as_of, days=int(settings.value("invest_dormant_days"))
    )
    for key in (
        "median_days_to_first_response",
        "median_working_days_to_first_response",
        "share_answered_within_target",
        "answered_within_target",
        "judged",
        "target_working_days",
        "unanswered",
        "overdue",
        "share_never_answered",
        "by_agency",
        "by_channel",
        "holidays_unknown_years",
    ):
        out[key] = svc[key]
    return out


def time_in_stage_by(
    projects: list[dict[str, Any]], rows: list[ProjectRow], key: str, as_of: dt.date
) -> dict[str, dict[str, dict[str, Any]]]:
    """:func:`~exportplan.analytics.invest_funnel.time_in_stage` for each value of a project
    field (``sector``, ``priority``; projects without one under ``"none"``), in sorted order."""
    groups: dict[str, list[ProjectRow]] = {}
    for p, r in zip(projects, rows, strict=True):
        groups.setdefault(str(p.get(key) or "none"), []).append(r)
    return {g: invest_funnel.time_in_stage(groups[g], as_of) for g in sorted(groups)}


def dormant_projects(db: ProgramDB, as_of: dt.date, *, days: int | None = None) -> list[str]:
    n = days or int(settings.value("invest_dormant_days"))
    return invest_funnel.dormant(rows_of(project_rows(db)), as_of, days=n)


def enquiries_inbox(
    db: ProgramDB,
    as_of: dt.date,
    *,
    target_days: int | None = None,
    wd: WorkingDays | None = None,
) -> list[dict[str, Any]]:
    """Every enquiry with its working days taken (answered) or its countdown (open: working
    days left to the target, negative when overdue), oldest open first."""
    target = target_days or int(settings.value("invest_response_days"))
    wd = wd or service_days()
    out = []
    for e in enquiry_rows(db):
        if e["received_on"] > as_of:
            continue
        done = e["first_response_on"] is not None and e["first_response_on"] <= as_of
        row = dict(e)
        row["working_days"] = wd.between(
            e["received_on"], e["first_response_on"] if done else as_of
        )
        row["left"] = (
            None if done else enquiry_service.countdown(e["received_on"], as_of, wd, target)
        )
        row["overdue"] = (not done) and row["left"] < 0
        row["answered"] = done
        row["cannot_become_project"] = e["investor"] is None
        out.append(row)
    out.sort(
        key=lambda r: (r["answered"], r["left"] if r["left"] is not None else 0, r["received_on"])
    )
    return out


def events_follow_up(db: ProgramDB) -> list[dict[str, Any]]:
    """For each event: attendees, which had an interaction within ``follow_up_due_days``
    calendar days after it, the share, and the projects created from it."""
    out = []
    for e in event_rows(db):
        due = e["held_on"] + dt.timedelta(days=e["follow_up_due_days"])
        checklist = []
        for a in e["attendees"]:
            hit = next((d for d in a["contacts"] if e["held_on"] <= d <= due), None)
            checklist.append({**a, "followed_up_on": hit, "done": hit is not None})
        n = len(checklist)
        out.append(
            {
                **e,
                "due": due,
                "checklist": checklist,
                "followed_up": sum(c["done"] for c in checklist),
                "share_followed_up": sum(c["done"] for c in checklist) / n if n else None,
            }
        )
    return out


def data_debt(db: ProgramDB) -> list[dict[str, Any]]:
    """Projects whose gate fields were waived on import, with the fields still waived."""
    return [
        {"code": p["code"], "stage": p["stage"], "waived_fields": p["waived_fields"]}
        for p in project_rows(db)
        if p["waived_fields"]
    ]


def not_trackable(p: dict[str, Any]) -> bool:
    """An operating project whose exports cannot be followed: no firm link (the customs data
    name exporters, so ``exporter_name`` is the key; a trade card or national id alone is not
    in the customs data)."""
    return p["stage"] == "operating" and not p.get("exporter_name")
