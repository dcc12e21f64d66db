"""What a reader asks of the whole store: a program in one structure, the audit log and its
changes in words, and the handover dossier of an agency for the day its head changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from exportplan.errors import NotFoundError
from exportplan.services.program.actions import action_view, actions
from exportplan.services.program.agencies import agencies, head, terms
from exportplan.services.program.kpis import kpis
from exportplan.services.program.plan import priorities, programs
from exportplan.services.program.targets import target_tree
from exportplan.services.program.validation import sh_text
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import Action, Audit, Kpi, Target, User, as_dict
from exportplan.store.program.queries import get_agency


def show(db: ProgramDB, program_id: int, *, today: dt.date | None = None) -> dict[str, Any]:
    """Everything about a program in one structure (the CLI, the web pages and the reports
    render it)."""
    progs = {p["id"]: p for p in programs(db)}
    if program_id not in progs:
        raise NotFoundError(f"no program {program_id}")
    acts = actions(db, program_id, today=today)
    return {
        "program": progs[program_id],
        "priorities": priorities(db, program_id),
        "targets": target_tree(db, program_id),
        "actions": acts,
        "overdue": [a for a in acts if a["overdue"]],
        "kpis": kpis(db, program_id),
        "agencies": agencies(db),
    }


def describe_change(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """An audit row's change in one line: created, deleted, or the fields that changed."""
    if before is None:
        return "created"
    if after is None:
        return "deleted"
    keys = [k for k in after if k != "version" and before.get(k) != after.get(k)]
    return "; ".join(f"{k}: {before.get(k)} → {after.get(k)}" for k in keys)[:200]


def latest_change(db: ProgramDB) -> int:
    """The id of the newest audit row: changes whenever anything in the store does."""
    with db.session() as s:
        return int(s.scalar(select(func.max(Audit.id))) or 0)


def audit_log(
    db: ProgramDB,
    *,
    program_id: int | None = None,
    agency: str | None = None,
    limit: int = 200,
    username: str | None = None,
    entity: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[dict[str, Any]]:
    """The newest changes first, filtered by program, agency, who (``username``), what
    (``entity``: action, target, kpi, measurement, kpi-refresh...) and the days ``since`` to
    ``until`` (UTC, both included)."""
    with db.session() as s:
        q = select(Audit).order_by(Audit.id.desc()).limit(limit)
        if program_id is not None:
            q = q.where(Audit.program_id == program_id)
        if agency is not None:
            q = q.where(Audit.agency_id == get_agency(s, agency).id)
        if username:
            q = q.where(Audit.username == username)
        if entity:
            q = q.where(Audit.entity == entity)
        if since is not None:
            q = q.where(Audit.at >= dt.datetime.combine(since, dt.time()))
        if until is not None:
            q = q.where(Audit.at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time()))
        return [as_dict(a) for a in s.scalars(q)]


def audit_filters(db: ProgramDB) -> dict[str, list[str]]:
    """What the audit log can be filtered by: the users and the kinds of thing it names."""
    with db.session() as s:
        return {
            "users": sorted(s.scalars(select(Audit.username).distinct()).all()),
            "entities": sorted(s.scalars(select(Audit.entity).distinct()).all()),
        }


def handover(db: ProgramDB, agency: str, *, today: dt.date | None = None) -> dict[str, Any]:
    """Everything an agency owns across the programs, for the day its head changes."""
    today = today or dt.date.today()
    with db.session() as s:
        a = get_agency(s, agency)
        ag = as_dict(a)
        ag["head"] = head(s, a.id)
        users = [
            {"username": u.username, "display_name": u.display_name, "active": u.active}
            for u in s.scalars(select(User).where(User.agency_id == a.id).order_by(User.username))
        ]
        targets = [
            {**as_dict(t), "program_id": t.program_id}
            for t in s.scalars(select(Target).where(Target.agency_id == a.id).order_by(Target.code))
        ]
        action_rows = [
            action_view(s, x, today)
            for x in s.scalars(
                select(Action)
                .where(Action.agency_id == a.id)
                .order_by(Action.program_id, Action.code)
            )
        ]
        kpi_ids = [k.id for k in s.scalars(select(Kpi).where(Kpi.agency_id == a.id))]
    kpi_rows = [
        k
        for p in {t["program_id"] for t in targets}
        | {x["program_id"] for x in action_rows}
        | _kpi_programs(db, kpi_ids)
        for k in kpis(db, p)
        if k["id"] in kpi_ids
    ]
    open_actions = [x for x in action_rows if x["status"] not in ("done", "cancelled")]
    return {
        "agency": ag,
        "terms": terms(db, agency),
        "users": users,
        "targets": targets,
        "actions": action_rows,
        "open_actions": open_actions,
        "overdue": [x for x in open_actions if x["overdue"]],
        "kpis": kpi_rows,
        "history": audit_log(db, agency=agency, limit=50),
        "as_of": today.isoformat(),
        "as_of_sh": sh_text(today),
    }


def _kpi_programs(db: ProgramDB, kpi_ids: list[int]) -> set[int]:
    if not kpi_ids:
        return set()
    with db.session() as s:
        return {int(p) for p in s.scalars(select(Kpi.program_id).where(Kpi.id.in_(kpi_ids)))}


__all__ = ["audit_filters", "audit_log", "describe_change", "handover", "latest_change", "show"]
