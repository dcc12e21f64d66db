"""The weekly digest of each agency's investment work: its open enquiries past their target,
its dormant projects, and the event follow-ups not yet made whose window closes within the
week (or closed in the past week: missed); also the agency's projects for its handover
dossier. An item belongs to the agency of its
project (an enquiry to its own agency; a follow-up to the agency of the investor's project
from the event); items with none are ``unassigned``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from exportplan.errors import NotFoundError
from exportplan.services.invest.figures import (
    dormant_projects,
    enquiries_inbox,
    events_follow_up,
    project_rows,
)
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import Agency

__all__ = ["UNASSIGNED", "agency_digest", "digests"]

UNASSIGNED = "unassigned"


def _sections(db: ProgramDB, as_of: dt.date, days: int) -> dict[str, dict[str, list[Any]]]:
    projects = {p["code"]: p for p in project_rows(db)}
    out: dict[str, dict[str, list[Any]]] = {}

    def of(agency: str | None) -> dict[str, list[Any]]:
        return out.setdefault(
            agency or UNASSIGNED,
            {"overdue_enquiries": [], "dormant": [], "follow_ups_due": [], "projects": []},
        )

    for p in projects.values():
        of(p["agency"])["projects"].append(
            {
                "code": p["code"],
                "investor": p["investor"],
                "stage": p["stage"],
                "status": p["status"],
                "capex_usd": p["capex_usd"],
                "last_interaction": p["last_interaction"],
            }
        )
    for e in enquiries_inbox(db, as_of):
        if e["overdue"]:
            of(e["agency"])["overdue_enquiries"].append(
                {
                    "ref": e["ref"],
                    "investor": e["investor"],
                    "received_on": e["received_on"],
                    "working_days": e["working_days"],
                    "left": e["left"],
                }
            )
    for code in dormant_projects(db, as_of):
        p = projects[code]
        since = p["last_interaction"] or p["created_on"]
        of(p["agency"])["dormant"].append(
            {
                "code": code,
                "investor": p["investor"],
                "stage": p["stage"],
                "last_contact": p["last_interaction"],
                "days_without_contact": (as_of - since).days,
            }
        )
    week_end, week_ago = as_of + dt.timedelta(days=days), as_of - dt.timedelta(days=days)
    for ev in events_follow_up(db):
        # the window still open, or closed in the past week (a follow-up after its window no
        # longer counts on the checklist: older misses are the event page's, not the week's)
        if ev["held_on"] > as_of or not week_ago <= ev["due"] <= week_end:
            continue
        for c in ev["checklist"]:
            if c["done"]:
                continue
            mine = sorted(
                code for code in ev["projects"] if projects[code]["investor_id"] == c["investor_id"]
            )
            agency = projects[mine[0]]["agency"] if mine else None
            of(agency)["follow_ups_due"].append(
                {
                    "event": ev["code"],
                    "investor": c["investor"],
                    "project": mine[0] if mine else None,
                    "due": ev["due"],
                    "overdue": ev["due"] < as_of,
                }
            )
    for sec in out.values():
        sec["overdue_enquiries"].sort(key=lambda r: (r["left"], r["ref"]))
        sec["dormant"].sort(key=lambda r: (-r["days_without_contact"], r["code"]))
        sec["follow_ups_due"].sort(key=lambda r: (r["due"], r["event"], str(r["investor"])))
    return out


def digests(db: ProgramDB, as_of: dt.date, *, days: int = 7) -> dict[str, dict[str, Any]]:
    """Every agency's digest (agencies with nothing included), and ``unassigned`` when some
    item has no agency; in the agencies' code order."""
    with db.session() as s:
        codes = sorted(a.code for a in s.scalars(select(Agency)))
    got = _sections(db, as_of, days)
    order = [*codes, *([UNASSIGNED] if UNASSIGNED in got else [])]
    empty: dict[str, list[Any]] = {
        "overdue_enquiries": [],
        "dormant": [],
        "follow_ups_due": [],
        "projects": [],
    }
    return {
        a: {
            "agency": a,
            "as_of": as_of.isoformat(),
            "week_end": (as_of + dt.timedelta(days=days)).isoformat(),
            **got.get(a, empty),
        }
        for a in order
    }


def agency_digest(db: ProgramDB, agency: str, as_of: dt.date, *, days: int = 7) -> dict[str, Any]:
    """One agency's digest as of ``as_of``: ``overdue_enquiries``, ``dormant``,
    ``follow_ups_due`` (windows closing by ``as_of`` + ``days``, or missed in the ``days``
    before) and ``projects``."""
    every = digests(db, as_of, days=days)
    if agency not in every:
        raise NotFoundError(
            f"no agency {agency!r}", hint=f"one of {', '.join(every) or 'none (add one)'}"
        )
    return every[agency]
