"""Following up an event: an interaction with one of its attendee investors, entered from the
event's page, checked field by field (each refusal names its field, so the form shows it
beside the input) and written in one audited write, linked to the investor's project from the
event when there is one (whose agency's members may then enter it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from exportplan.auth import Actor
from exportplan.errors import InputError, NotFoundError
from exportplan.store.invest.models import Event, EventAttendee, Interaction, Investor, Project
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import as_dict
from exportplan.store.program.writes import write

__all__ = ["KINDS", "FollowUpError", "record_follow_up"]

KINDS = ("meeting", "call", "site_visit", "event_meeting", "email", "aftercare")


class FollowUpError(InputError):
    """A follow-up refused: ``errors`` maps each form field to its reason's English template
    and values (the page words them in its language beside the field)."""

    def __init__(self, errors: dict[str, tuple[str, dict[str, Any]]]) -> None:
        self.errors = errors
        super().__init__(
            "; ".join(f"{f}: {tpl.format(**v)}" for f, (tpl, v) in errors.items()),
            hint="correct the fields named and send the form again",
        )


def _day(text: str | dt.date) -> dt.date | None:
    if isinstance(text, dt.date):
        return text
    text = text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    from exportplan.ingest.invest import sh_day
    from exportplan.reference.calendar import PeriodError

    try:
        return sh_day(text)
    except (PeriodError, ValueError):
        return None


def record_follow_up(
    db: ProgramDB,
    actor: Actor,
    event_code: str,
    *,
    investor: str | int,
    kind: str,
    on: str | dt.date,
    notes: str = "",
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Record an interaction of kind ``kind`` on day ``on`` with attendee ``investor`` (an
    investor id) of event ``event_code``. Refused whole, with every field's reason
    (:class:`FollowUpError`): an investor who did not attend, an unknown kind, a day that is
    not one, in the future, or before the event."""
    today = today or dt.date.today()
    errors: dict[str, tuple[str, dict[str, Any]]] = {}
    with write(db, actor, "invest.edit", f"follow-up of event {event_code}") as ch:
        ev = ch.session.scalars(select(Event).where(Event.code == event_code)).first()
        if ev is None:
            raise NotFoundError(f"no investment event {event_code!r}")
        attendees = set(
            ch.session.scalars(
                select(EventAttendee.investor_id).where(EventAttendee.event_id == ev.id)
            )
        )
        inv_id = int(investor) if str(investor).strip().isdigit() else None
        if inv_id is None or inv_id not in attendees:
            errors["investor"] = (
                "choose one of the event's attendees",
                {"value": str(investor)},
            )
        if kind not in KINDS:
            errors["kind"] = ("{value} is not one of {allowed}", {"value": kind, "allowed": KINDS})
        day = _day(on)
        if day is None:
            errors["on"] = ("{value} is not a day such as 2026-11-28 or 1405/09/07", {"value": on})
        elif day > today:
            errors["on"] = ("{value} is in the future", {"value": day})
        elif day < ev.held_on:
            errors["on"] = (
                "{value} is before the event ({held})",
                {"value": day, "held": ev.held_on},
            )
        if errors:
            raise FollowUpError(errors)
        assert inv_id is not None and day is not None
        project = ch.session.scalars(
            select(Project)
            .where(Project.source_event_id == ev.id, Project.investor_id == inv_id)
            .order_by(Project.code)
        ).first()
        agency = project.agency_id if project else None
        ch.require("invest.edit", agency_id=agency)
        row = Interaction(
            project_id=project.id if project else None,
            investor_id=inv_id,
            kind=kind,
            at=day,
            notes=notes.strip(),
        )
        ch.add(row)
        ch.flush()
        ch.audit("create", "invest_interaction", row.id, None, as_dict(row), agency_id=agency)
        name = ch.session.get(Investor, inv_id)
        return {
            "id": row.id,
            "event": event_code,
            "investor": name.name if name else None,
            "project": project.code if project else None,
            "on": day.isoformat(),
        }
