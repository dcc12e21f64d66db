"""The program's actions: who does what by when, their status, progress, evidence and notes;
an agency member changes only their own agency's actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportplan.auth import Actor
from exportplan.errors import InputError, NotFoundError
from exportplan.services.program.validation import RuleError, check_code, parse_date, sh_text
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import (
    ACTION_STATUSES,
    Action,
    ActionNote,
    Agency,
    Priority,
    as_dict,
)
from exportplan.store.program.queries import get_agency, get_priority, get_program
from exportplan.store.program.writes import Change, write


def _check_status(status: str) -> None:
    if status not in ACTION_STATUSES:
        raise RuleError("status", f"status must be one of {', '.join(ACTION_STATUSES)}")


def _check_progress(progress: int) -> None:
    if not 0 <= progress <= 100:
        raise RuleError("progress", f"progress is a percentage from 0 to 100; got {progress}")


def new_action(
    ch: Change,
    program_id: int,
    *,
    agency: str,
    title: str,
    start: str | dt.date,
    deadline: str | dt.date,
    priority: str | None = None,
    description: str = "",
    code: str | None = None,
    status: str = "planned",
    progress: int | None = None,
    evidence: str = "",
) -> Action:
    """Add an action in an open write (the rules of :func:`add_action`); ``progress`` is
    100 for one done, else 0, unless given."""
    if not title.strip():
        raise RuleError("title", "an action needs a title")
    d0, d1 = parse_date(start, "start"), parse_date(deadline, "deadline")
    if d1 < d0:
        raise RuleError(
            "deadline",
            f"the deadline {sh_text(d1)} ({d1}) is before the start {sh_text(d0)} ({d0})",
        )
    _check_status(status)
    if progress is not None:
        _check_progress(progress)
    s = ch.session
    get_program(s, program_id)
    ag = get_agency(s, agency)
    ch.require("action.edit", agency_id=ag.id)
    pr_id = get_priority(s, program_id, priority).id if priority else None
    if code is None:
        n = s.scalar(select(func.count()).where(Action.program_id == program_id)) or 0
        code = f"A{n + 1:03d}"
        while s.scalar(select(Action).where(Action.program_id == program_id, Action.code == code)):
            n += 1
            code = f"A{n + 1:03d}"
    code = check_code(code, "action")
    if s.scalar(select(Action).where(Action.program_id == program_id, Action.code == code)):
        raise RuleError("code", f"action {code!r} exists already in program {program_id}")
    a = Action(
        program_id=program_id,
        agency_id=ag.id,
        priority_id=pr_id,
        code=code,
        title=title.strip(),
        description=description,
        start=d0,
        deadline=d1,
        status=status,
        progress=progress if progress is not None else 100 if status == "done" else 0,
        evidence=evidence,
    )
    ch.add(a)
    ch.flush(f"action {code}")
    ch.audit("create", "action", a.id, None, as_dict(a), program_id=program_id, agency_id=ag.id)
    return a


def change_action(
    ch: Change,
    a: Action,
    *,
    status: str | None = None,
    progress: int | None = None,
    note: str | None = None,
    evidence: str | None = None,
    start: str | dt.date | None = None,
    deadline: str | dt.date | None = None,
    title: str | None = None,
    description: str | None = None,
    agency: str | None = None,
    priority: str | None = None,
) -> Action:
    """Change an action in an open write (the rules of :func:`update_action`)."""
    ch.require("action.edit", agency_id=a.agency_id)
    s = ch.session
    if status is not None:
        _check_status(status)
    if progress is not None:
        _check_progress(progress)
    if title is not None and not title.strip():
        raise RuleError("title", "an action needs a title")
    d0 = parse_date(start, "start") if start is not None else a.start
    d1 = parse_date(deadline, "deadline") if deadline is not None else a.deadline
    if (start is not None or deadline is not None) and d1 < d0:
        raise RuleError("deadline", f"the deadline {sh_text(d1)} is before the start {sh_text(d0)}")
    ag_id = pr_id = None
    if agency is not None:
        ch.require("program.edit")  # only an editor gives an action to another agency
        ag_id = get_agency(s, agency).id
    if priority is not None:
        pr_id = get_priority(s, a.program_id, priority).id if priority else None
    before = as_dict(a)
    if status is not None:
        a.status = status
        if status == "done":
            a.progress = 100
    if progress is not None:
        a.progress = int(progress)
    if evidence is not None:
        a.evidence = evidence
    if title is not None:
        a.title = title.strip()
    if description is not None:
        a.description = description
    if start is not None:
        a.start = d0
    if deadline is not None:
        a.deadline = d1
    if ag_id is not None:
        a.agency_id = ag_id
    if priority is not None:
        a.priority_id = pr_id
    if note:
        assert ch.actor is not None
        ch.add(ActionNote(action_id=a.id, author=ch.actor.username, text=note))
    if not ch.dirty and not note:
        raise InputError("nothing to change")
    ch.touch(a, "status")  # a note also bumps the version
    ch.flush(f"action {a.code}")
    after = as_dict(a)
    if note:
        after = {**after, "note": note}
    ch.audit(
        "update", "action", a.id, before, after, program_id=a.program_id, agency_id=a.agency_id
    )
    return a


def add_action(
    db: ProgramDB,
    actor: Actor,
    program_id: int,
    *,
    agency: str,
    title: str,
    start: str | dt.date,
    deadline: str | dt.date,
    priority: str | None = None,
    description: str = "",
    code: str | None = None,
    status: str = "planned",
) -> dict[str, Any]:
    with write(db, actor, "action.edit", f"action {code or ''}".strip()) as ch:
        a = new_action(
            ch,
            program_id,
            agency=agency,
            title=title,
            start=start,
            deadline=deadline,
            priority=priority,
            description=description,
            code=code,
            status=status,
        )
        return action_view(ch.session, a)


def update_action(
    db: ProgramDB,
    actor: Actor,
    action_id: int,
    *,
    version: int,
    status: str | None = None,
    progress: int | None = None,
    note: str | None = None,
    evidence: str | None = None,
    deadline: str | dt.date | None = None,
    title: str | None = None,
    description: str | None = None,
    agency: str | None = None,
) -> dict[str, Any]:
    """Change an action; ``version`` is the one read. An agency member may change only their
    agency's actions, and may not give one to another agency."""
    with write(db, actor, "action.edit", f"action {action_id}") as ch:
        a = ch.session.get(Action, action_id)
        if a is None:
            raise NotFoundError(f"no action {action_id}")
        ch.what = f"action {a.code}"
        ch.require("action.edit", agency_id=a.agency_id)
        ch.check_version(a, version)
        change_action(
            ch,
            a,
            status=status,
            progress=progress,
            note=note,
            evidence=evidence,
            deadline=deadline,
            title=title,
            description=description,
            agency=agency,
        )
        return action_view(ch.session, a)


@dataclass(frozen=True)
class _Names:
    """What the actions of a program refer to, read once for all of them: agency and priority
    codes by id, and each action's notes (one query each, not three per action)."""

    agencies: dict[int, str]
    priorities: dict[int, str]
    notes: dict[int, list[dict[str, Any]]]


def _names(s: Session, program_id: int, action_id: int | None = None) -> _Names:
    """The codes of ``program_id``'s agencies and priorities, and the notes of its actions
    (of the one action ``action_id`` only, when given)."""
    q = (
        select(ActionNote)
        .join(Action, Action.id == ActionNote.action_id)
        .where(Action.program_id == program_id)
    )
    if action_id is not None:
        q = q.where(ActionNote.action_id == action_id)
    notes: dict[int, list[dict[str, Any]]] = {}
    for n in s.scalars(q.order_by(ActionNote.id)):
        notes.setdefault(n.action_id, []).append(
            {"at": n.at.isoformat(), "author": n.author, "text": n.text}
        )
    return _Names(
        agencies={ag.id: ag.code for ag in s.scalars(select(Agency))},
        priorities={
            p.id: p.code
            for p in s.scalars(select(Priority).where(Priority.program_id == program_id))
        },
        notes=notes,
    )


def action_view(
    s: Session, a: Action, today: dt.date | None = None, names: _Names | None = None
) -> dict[str, Any]:
    """An action as the pages show it: codes, Solar Hijri dates, overdue or not, its notes
    (``names``: the program's codes and notes read once, when viewing many actions)."""
    today = today or dt.date.today()
    names = names or _names(s, a.program_id, a.id)
    d = as_dict(a)
    d["agency"] = names.agencies.get(a.agency_id)
    d["priority"] = names.priorities.get(a.priority_id) if a.priority_id else None
    d["start_sh"] = sh_text(a.start)
    d["deadline_sh"] = sh_text(a.deadline)
    d["overdue"] = a.deadline < today and a.status not in ("done", "cancelled")
    d["notes"] = names.notes.get(a.id, [])
    return d


def actions(
    db: ProgramDB,
    program_id: int,
    *,
    agency: str | None = None,
    overdue: bool | None = None,
    today: dt.date | None = None,
) -> list[dict[str, Any]]:
    with db.session() as s:
        get_program(s, program_id)
        q = select(Action).where(Action.program_id == program_id)
        if agency:
            q = q.where(Action.agency_id == get_agency(s, agency).id)
        names = _names(s, program_id)
        out = [action_view(s, a, today, names) for a in s.scalars(q.order_by(Action.code))]
    if overdue is not None:
        out = [a for a in out if a["overdue"] == overdue]
    return out


def get_action(db: ProgramDB, action_id: int) -> dict[str, Any]:
    with db.session() as s:
        a = s.get(Action, action_id)
        if a is None:
            raise NotFoundError(f"no action {action_id}")
        return action_view(s, a)


def action_id(db: ProgramDB, program_id: int, code: str) -> int:
    with db.session() as s:
        a = s.scalar(select(Action).where(Action.program_id == program_id, Action.code == code))
        if a is None:
            raise NotFoundError(f"no action {code!r} in program {program_id}")
        return a.id


__all__ = [
    "action_id",
    "action_view",
    "actions",
    "add_action",
    "change_action",
    "get_action",
    "new_action",
    "update_action",
]
