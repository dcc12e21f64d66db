"""Changing a project: a stage move through its gate (the missing fields filled from the gate
form in the same write, refused with the list of what is still missing), its status with a
reason, an interaction, and merging two investors that are one. Each change is one checked,
audited write (:func:`exportplan.store.program.writes.write`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from exportplan.auth import Actor
from exportplan.domain import INVEST_STAGES, INVEST_STATUSES, stage_index
from exportplan.errors import GateError, InputError, NotFoundError
from exportplan.services.invest.gates import missing, related_of
from exportplan.store.invest.models import (
    Agreement,
    Enquiry,
    EventAttendee,
    Interaction,
    Investor,
    Milestone,
    Project,
    Proposition,
    StageLog,
)
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import Base, as_dict
from exportplan.store.program.writes import Change, write

__all__ = [
    "FORM_FIELDS",
    "MoveInputError",
    "add_interaction",
    "gate_check",
    "merge_investors",
    "move_stage",
    "set_status",
]

#: what the gate form may fill: the project's own fields ...
FORM_FIELDS = (
    "sector",
    "project_type",
    "project_manager",
    "likelihood",
    "capex_usd",
    "capex_unknown",
    "jobs_new",
    "competitor_locations",
    "plot_code",
    "concession_ref",
    "trade_card_no",
    "exporter_name",
)
#: ... and the related rows, each from one date (and a text)
RELATED_INPUTS = {
    "site_visit_planned": "site_visit_on",
    "proposition": "proposition_deadline",
    "agreement_signed": "agreement_signed_on",
    "milestone_plan": "commissioning_planned_on",
    "operation_licence": "operation_licence_on",
}
#: the gate form's other inputs: the capex's currency and rate
EXTRA_INPUTS = ("capex_currency", "capex_rate", "proposition_what")
REASON_STATUSES = ("delayed", "lost", "abandoned", "dormant")


def _project(ch: Change, code: str) -> Project:
    p = ch.session.scalars(select(Project).where(Project.code == code)).first()
    if p is None:
        raise NotFoundError(f"no investment project {code!r}", hint="exportplan invest funnel")
    return p


def _day(value: dt.date, created: dt.date, today: dt.date, what: str) -> dt.date:
    if value > today:
        raise InputError(f"{what} {value.isoformat()} is in the future")
    if value < created:
        raise InputError(
            f"{what} {value.isoformat()} is before the project was created ({created.isoformat()})"
        )
    return value


def gate_check(db: ProgramDB, code: str, stage: str) -> dict[str, Any]:
    """What the gate form shows: the project, its stage, and what it lacks to enter ``stage``."""
    stage_index(stage)
    with db.session() as s:
        p = s.scalars(select(Project).where(Project.code == code)).first()
        if p is None:
            raise NotFoundError(f"no investment project {code!r}")
        lacking = missing(p, related_of(s, p.id), stage)
        return {
            "code": code,
            "stage": p.stage,
            "to": stage,
            "version": p.version,
            "missing": lacking,
            "back": stage_index(stage) < stage_index(p.stage),
        }


class MoveInputError(InputError):
    """A gate form's value refused: ``template`` with ``values`` (worded in Persian too by
    :func:`exportplan.i18n.error_text`), ``field`` the input it is about."""

    def __init__(self, field: str, template: str, hint: str = "", **values: object) -> None:
        self.field = field
        self.template = template
        self.hint_template = hint
        self.values: dict[str, object] = dict(values)
        super().__init__(template.format(**values), hint=hint.format(**values))


def _number(field: str, v: Any) -> float:
    try:
        return float(str(v).replace(",", ""))
    except ValueError:
        raise MoveInputError(field, "{value} is not a number", value=v) from None


def _capex(p: Project, fields: dict[str, Any], on: dt.date) -> float:
    """The capex in USD from the form: a figure over USD 10 bn is taken for rials or tomans
    and asks for its currency; one given in IRR or IRT needs the rate, and the value as given
    is kept (``capex_original``)."""
    v = _number("capex_usd", fields["capex_usd"])
    currency = str(fields.get("capex_currency") or "USD").upper()
    if currency not in ("USD", "IRR", "IRT"):
        raise MoveInputError(
            "capex_currency", "{value} is not USD, IRR (rial) or IRT (toman)", value=currency
        )
    if v < 0:
        raise MoveInputError("capex_usd", "{value} is negative", value=v)
    if currency != "USD":
        rate = _number("capex_rate", fields.get("capex_rate") or 0)
        if rate <= 0:
            raise MoveInputError(
                "capex_rate",
                "a capex in {currency} needs the rate (rials per USD) to be converted",
                currency=currency,
            )
        p.capex_original = {
            "value": v,
            "currency": currency,
            "rate_irr_per_usd": rate,
            "on": on.isoformat(),
        }
        v = v * (10 if currency == "IRT" else 1) / rate
    if v > 10_000_000_000:
        raise MoveInputError(
            "capex_usd",
            "capex {value} is larger than USD 10 bn: is this rial or toman? choose its "
            "currency (IRR or IRT) and give the rate, or give it in USD",
            value=f"{v:,.0f}",
        )
    return v


def _fill(ch: Change, p: Project, fields: dict[str, Any], on: dt.date) -> None:
    for f in FORM_FIELDS:
        v = fields.get(f)
        if v is None or v == "":
            continue
        if f == "capex_usd":
            v = _capex(p, fields, on)
        if f == "jobs_new":
            n = _number("jobs_new", v)
            if not n.is_integer() or n < 0:
                raise MoveInputError("jobs_new", "{value} is not a whole number of jobs", value=v)
            v = int(n)
        if f == "competitor_locations" and isinstance(v, str):
            v = [x.strip() for x in v.split(";") if x.strip()] or ["none"]
        setattr(p, f, v)
    today = dt.date.today()
    made: list[Base] = []
    for gate, key in RELATED_INPUTS.items():
        v = fields.get(key)
        if not v:
            continue
        day = v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))
        if gate == "site_visit_planned":
            made.append(
                Interaction(
                    project_id=p.id,
                    investor_id=p.investor_id,
                    kind="site_visit",
                    at=day,
                    planned=day > on,
                )
            )
        elif gate == "proposition":
            made.append(
                Proposition(
                    project_id=p.id,
                    what=str(fields.get("proposition_what") or "proposition"),
                    deadline=day,
                )
            )
        elif gate == "agreement_signed":
            made.append(
                Agreement(
                    project_id=p.id, signed_on=_day(day, p.created_on, today, "agreement signed")
                )
            )
        elif gate == "milestone_plan":
            made.append(Milestone(project_id=p.id, kind="commissioning", planned_on=day))
        else:
            made.append(
                Milestone(
                    project_id=p.id,
                    kind="operation_licence",
                    planned_on=day,
                    actual_on=_day(day, p.created_on, today, "operation licence"),
                )
            )
    for row in made:
        ch.add(row)


def move_stage(
    db: ProgramDB,
    actor: Actor,
    code: str,
    stage: str,
    *,
    on: dt.date,
    version: int | None = None,
    reason: str = "",
    fields: dict[str, Any] | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Move project ``code`` to ``stage`` on day ``on``: forward only through the gate (the
    form's ``fields`` fill what is missing first), back only with a ``reason``; ``operating``
    needs the ``invest.operate`` right. Refused whole (:class:`GateError` lists the missing
    fields), or done with its stage-log and audit rows."""
    to = stage_index(stage)
    today = today or dt.date.today()
    with write(db, actor, "invest.edit", f"project {code}") as ch:
        p = _project(ch, code)
        ch.require("invest.edit", agency_id=p.agency_id)
        if stage == "operating":
            ch.require("invest.operate")
        ch.check_version(p, version)
        _day(on, p.created_on, today, "the day of the move")
        before = as_dict(p)
        frm = stage_index(p.stage)
        if to == frm:
            raise InputError(f"project {code} is at stage {stage} already")
        if to < frm and not reason.strip():
            raise InputError(
                f"moving project {code} back from {p.stage} to {stage} needs a reason",
                hint="say why in the reason field",
            )
        _fill(ch, p, fields or {}, on)
        p.stage = stage  # one flush, one version: the fields and the stage together
        ch.flush()
        if to > frm:
            lacking = missing(p, related_of(ch.session, p.id), stage)
            if lacking:
                raise GateError(code, stage, lacking)
        ch.add(
            StageLog(
                project_id=p.id,
                from_stage=INVEST_STAGES[frm],
                to_stage=stage,
                at=on,
                by=actor.username,
                reason=reason.strip(),
                source="move",
            )
        )
        ch.flush()
        ch.audit("update", "invest_project", p.id, before, as_dict(p), agency_id=p.agency_id)
        return {"code": code, "from": INVEST_STAGES[frm], "to": stage, "version": p.version}


def set_status(
    db: ProgramDB,
    actor: Actor,
    code: str,
    status: str,
    *,
    reason: str = "",
    version: int | None = None,
) -> dict[str, Any]:
    """Set a project's status (independent of its stage); delayed, lost, abandoned and
    dormant need a reason."""
    if status not in INVEST_STATUSES:
        raise InputError(f"status must be one of {', '.join(INVEST_STATUSES)}; got {status!r}")
    if status in REASON_STATUSES and not reason.strip():
        raise InputError(f"status {status} needs a reason", hint="say why in --reason")
    with write(db, actor, "invest.edit", f"project {code}") as ch:
        p = _project(ch, code)
        ch.require("invest.edit", agency_id=p.agency_id)
        ch.check_version(p, version)
        before = as_dict(p)
        p.status, p.status_reason = status, reason.strip()
        ch.flush()
        ch.audit("update", "invest_project", p.id, before, as_dict(p), agency_id=p.agency_id)
        return {"code": code, "status": status, "version": p.version}


def add_interaction(
    db: ProgramDB,
    actor: Actor,
    code: str,
    *,
    kind: str,
    on: dt.date,
    notes: str = "",
    today: dt.date | None = None,
) -> int:
    """Record a meeting, call, e-mail, site visit or aftercare contact with a project."""
    kinds = ("meeting", "call", "site_visit", "event_meeting", "email", "aftercare")
    if kind not in kinds:
        raise InputError(f"kind must be one of {', '.join(kinds)}; got {kind!r}")
    with write(db, actor, "invest.edit", f"project {code}") as ch:
        p = _project(ch, code)
        ch.require("invest.edit", agency_id=p.agency_id)
        _day(on, p.created_on, today or dt.date.today(), "the interaction's day")
        row = Interaction(project_id=p.id, investor_id=p.investor_id, kind=kind, at=on, notes=notes)
        ch.add(row)
        ch.flush()
        ch.audit("create", "invest_interaction", row.id, None, as_dict(row), agency_id=p.agency_id)
        return row.id


def merge_investors(db: ProgramDB, actor: Actor, keep: int, drop: int) -> dict[str, int]:
    """Merge investor ``drop`` into ``keep``: its projects, enquiries, interactions and event
    attendance move to ``keep``; ``drop`` stays, pointing at ``keep`` (nothing is lost)."""
    if keep == drop:
        raise InputError("an investor cannot be merged into itself")
    with write(db, actor, "invest.import", f"investors {keep} and {drop}") as ch:
        a, b = ch.session.get(Investor, keep), ch.session.get(Investor, drop)
        if a is None or b is None:
            raise NotFoundError(f"no investor {keep if a is None else drop}")
        if b.merged_into_id is not None:
            raise InputError(f"investor {drop} was merged into {b.merged_into_id} already")
        moved: dict[str, int] = {}
        for model in (Project, Enquiry, Interaction):
            col = model.__table__.c.investor_id
            rows: list[Any] = list(ch.session.scalars(select(model).where(col == drop)))
            for row in rows:
                row.investor_id = keep
            moved[model.__tablename__] = len(rows)
        kept = set(
            ch.session.scalars(
                select(EventAttendee.event_id).where(EventAttendee.investor_id == keep)
            )
        )
        for att in ch.session.scalars(
            select(EventAttendee).where(EventAttendee.investor_id == drop)
        ):
            if att.event_id in kept:
                ch.delete(att)
            else:
                att.investor_id = keep
        before = as_dict(b)
        b.merged_into_id = keep
        ch.flush()
        ch.audit("update", "invest_investor", b.id, before, as_dict(b))
        return moved
