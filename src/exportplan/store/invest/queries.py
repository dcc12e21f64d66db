"""Shared reads of the investment pipeline: projects with their stage logs and last
interactions, enquiries with their project and agency, events with attendees and follow-ups."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from exportplan.store.invest.models import (
    Agreement,
    Enquiry,
    Event,
    EventAttendee,
    Interaction,
    Investor,
    Milestone,
    Opportunity,
    Project,
    Proposition,
    StageLog,
)
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import Agency, Priority, as_dict

__all__ = ["enquiry_rows", "event_rows", "project_detail", "project_rows"]


def project_rows(db: ProgramDB) -> list[dict[str, Any]]:
    """Every project as a plain row with ``log`` [(day, stage)] in order, its investor's name,
    its country, agency code, priority code, and the day of its last held interaction (None without one)."""
    with db.session() as s:
        every = list(s.scalars(select(Investor)))
        investors = {i.id: i.name for i in every}
        countries = {i.id: i.country for i in every}
        agencies = {a.id: a.code for a in s.scalars(select(Agency))}
        priorities = {p.id: p.code for p in s.scalars(select(Priority))}
        logs: dict[int, list[tuple[dt.date, str]]] = {}
        for x in s.scalars(select(StageLog).order_by(StageLog.at, StageLog.id)):
            logs.setdefault(x.project_id, []).append((x.at, x.to_stage))
        last: dict[int | None, dt.date] = {
            pid: day
            for pid, day in s.execute(
                select(Interaction.project_id, func.max(Interaction.at))
                .where(Interaction.planned.is_(False))
                .group_by(Interaction.project_id)
            )
        }
        out = []
        for p in s.scalars(select(Project).order_by(Project.code)):
            row = as_dict(p)
            row["investor"] = investors.get(p.investor_id) if p.investor_id else None
            row["country"] = countries.get(p.investor_id) if p.investor_id else None
            row["agency"] = agencies.get(p.agency_id) if p.agency_id else None
            row["priority"] = priorities.get(p.priority_id) if p.priority_id else None
            row["log"] = logs.get(p.id, [])
            row["last_interaction"] = last.get(p.id)
            row["created_on"] = p.created_on
            out.append(row)
        return out


def enquiry_rows(db: ProgramDB) -> list[dict[str, Any]]:
    """Every enquiry with its project's code (``ENQ-<id>`` without one) and agency code."""
    with db.session() as s:
        agencies = {a.id: a.code for a in s.scalars(select(Agency))}
        codes = {p.id: p.code for p in s.scalars(select(Project))}
        investors = {i.id: i.name for i in s.scalars(select(Investor))}
        return [
            {
                "id": e.id,
                "ref": codes.get(e.project_id, f"ENQ-{e.id}") if e.project_id else f"ENQ-{e.id}",
                "project_id": e.project_id,
                "investor": investors.get(e.investor_id) if e.investor_id else None,
                "agency": agencies.get(e.agency_id, "") if e.agency_id else "",
                "channel": e.channel,
                "received_on": e.received_on,
                "acknowledged_on": e.acknowledged_on,
                "first_response_on": e.first_response_on,
                "status": e.status,
                "version": e.version,
            }
            for e in s.scalars(select(Enquiry).order_by(Enquiry.received_on, Enquiry.id))
        ]


def event_rows(db: ProgramDB) -> list[dict[str, Any]]:
    """Every event with its attendees (investor id, name, days of their interactions) and
    the codes of the projects created from it."""
    with db.session() as s:
        investors = {i.id: i.name for i in s.scalars(select(Investor))}
        contacts: dict[int, list[dt.date]] = {}
        for i in s.scalars(select(Interaction).where(Interaction.planned.is_(False))):
            if i.investor_id is not None:
                contacts.setdefault(i.investor_id, []).append(i.at)
        out = []
        for e in s.scalars(select(Event).order_by(Event.held_on)):
            att = s.scalars(select(EventAttendee).where(EventAttendee.event_id == e.id)).all()
            made = s.scalars(select(Project.code).where(Project.source_event_id == e.id)).all()
            out.append(
                {
                    **as_dict(e),
                    "held_on": e.held_on,
                    "attendees": [
                        {
                            "investor_id": a.investor_id,
                            "investor": investors.get(a.investor_id),
                            "contacts": sorted(contacts.get(a.investor_id, [])),
                        }
                        for a in att
                    ],
                    "projects": sorted(made),
                }
            )
        return out


def project_detail(db: ProgramDB, code: str) -> dict[str, Any] | None:
    """One project with its stage log, interactions, propositions, agreements, milestones and
    opportunity (None if unknown)."""
    with db.session() as s:
        p = s.scalars(select(Project).where(Project.code == code)).first()
        if p is None:
            return None
        log = s.scalars(
            select(StageLog).where(StageLog.project_id == p.id).order_by(StageLog.at, StageLog.id)
        ).all()
        inter = s.scalars(
            select(Interaction).where(Interaction.project_id == p.id).order_by(Interaction.at)
        ).all()
        miles = s.scalars(select(Milestone).where(Milestone.project_id == p.id)).all()
        props = s.scalars(select(Proposition).where(Proposition.project_id == p.id)).all()
        agree = s.scalars(select(Agreement).where(Agreement.project_id == p.id)).all()
        inv = s.get(Investor, p.investor_id) if p.investor_id else None
        opp = s.get(Opportunity, p.opportunity_id) if p.opportunity_id else None
        return {
            "project": as_dict(p),
            "investor": inv.name if inv else None,
            "log": [as_dict(x) for x in log],
            "interactions": [as_dict(x) for x in inter],
            "milestones": [as_dict(x) for x in miles],
            "propositions": [as_dict(x) for x in props],
            "agreements": [as_dict(x) for x in agree],
            "opportunity": as_dict(opp) if opp else None,
        }
