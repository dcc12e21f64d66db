"""Curating matches and following them up: shortlist, reject with a reason, send to the
buyer, the buyer's answer; introductions that expire when nobody answers (b2match-style);
every decision audited and kept as a label for evaluation."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from sqlalchemy import select

from exportplan.auth import Actor, check
from exportplan.domain import INTRODUCTION_OUTCOMES, INTRODUCTION_STATUSES, REJECT_REASONS
from exportplan.errors import InputError, NotFoundError
from exportplan.services.suppliers.matching import the_list
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import as_dict, utcnow
from exportplan.store.program.writes import write
from exportplan.store.suppliers import queries
from exportplan.store.suppliers.models import DemandItem, Firm, Introduction, Match

INTRODUCTION_DAYS = 14
#: the states a curator or the buyer may move a match to, from each state
MOVES: dict[str, tuple[str, ...]] = {
    "proposed": ("shortlisted", "rejected"),
    "shortlisted": ("sent_to_buyer", "rejected", "proposed"),
    "sent_to_buyer": ("accepted_by_buyer", "rejected"),
    "accepted_by_buyer": ("introduced", "rejected"),
    "rejected": ("proposed",),
    "introduced": (),
}


def matches(db: ProgramDB, actor: Actor, *, buyer: str) -> list[dict[str, Any]]:
    """The stored matches of a buyer's list, by item and score, with their rank."""
    check(actor, "read")
    lst = the_list(db, buyer)
    codes = {i.id: i for i in lst.items}
    firms = {f.id: f for f in queries.registry(db)}
    out: list[dict[str, Any]] = []
    rank: dict[int, int] = {}
    for m in queries.matches(db, list(codes)):
        rank[m.item_id] = rank.get(m.item_id, 0) + 1
        f = firms[m.firm_id]
        out.append(
            {
                "match_id": m.id,
                "version": m.version,
                "item_id": codes[m.item_id].code,
                "item": codes[m.item_id].text,
                "firm_id": f.code,
                "firm": f.name_fa or f.name_en,
                "score": round(m.score, 4),
                "rank": rank[m.item_id],
                "reasons": m.reasons,
                "state": m.state,
                "decision_reason": m.decision_reason,
                "decided_by": m.decided_by,
            }
        )
    return out


def decide(
    db: ProgramDB,
    actor: Actor,
    match_id: int,
    *,
    state: str,
    reason: str = "",
    note: str = "",
    version: int | None = None,
) -> dict[str, Any]:
    """Move a match to ``state`` (a rejection needs one of the reasons)."""
    if state == "rejected" and reason not in REJECT_REASONS:
        raise InputError(
            f"a rejection needs a reason: one of {', '.join(REJECT_REASONS)}; got {reason!r}"
        )
    with write(db, actor, "match.curate", f"match {match_id}") as ch:
        m = ch.session.get(Match, match_id)
        if m is None:
            raise NotFoundError(f"no match {match_id}")
        ch.check_version(m, version)
        if state not in MOVES.get(m.state, ()):
            raise InputError(
                f"match {match_id} is {m.state}; it can go to "
                f"{', '.join(MOVES.get(m.state, ())) or 'no other state'}, "
                f"not {state}"
            )
        before = as_dict(m)
        m.state = state
        m.decision_reason = reason if state == "rejected" else ""
        m.decision_note = note
        m.decided_by = actor.username
        m.decided_at = utcnow()
        ch.flush()
        ch.audit("update", "supplier_match", m.id, before, as_dict(m))
        return as_dict(m)


def send_shortlist(db: ProgramDB, actor: Actor, *, buyer: str) -> int:
    """Send every shortlisted match of the buyer's list to the buyer; how many went."""
    sent = 0
    for m in matches(db, actor, buyer=buyer):
        if m["state"] == "shortlisted":
            decide(db, actor, m["match_id"], state="sent_to_buyer", version=m["version"])
            sent += 1
    return sent


def introduce(
    db: ProgramDB,
    actor: Actor,
    match_id: int,
    *,
    days: int = INTRODUCTION_DAYS,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """Request an introduction of the matched firm to the buyer; it expires after ``days``."""
    now = now or utcnow()
    with write(db, actor, "match.curate", f"introduction for match {match_id}") as ch:
        m = ch.session.get(Match, match_id)
        if m is None:
            raise NotFoundError(f"no match {match_id}")
        if m.state == "rejected":
            raise InputError(f"match {match_id} was rejected; it cannot be introduced")
        intro = Introduction(
            match_id=m.id, requested_at=now, expires_at=now + dt.timedelta(days=days)
        )
        ch.add(intro)
        ch.flush()
        ch.audit("create", "supplier_introduction", intro.id, None, as_dict(intro))
        return as_dict(intro)


def record_outcome(
    db: ProgramDB,
    actor: Actor,
    intro_id: int,
    *,
    status: str,
    outcome: str = "none",
    value_usd: float | None = None,
    version: int | None = None,
) -> dict[str, Any]:
    if status not in INTRODUCTION_STATUSES:
        raise InputError(f"status must be one of {', '.join(INTRODUCTION_STATUSES)}")
    if outcome not in INTRODUCTION_OUTCOMES:
        raise InputError(f"outcome must be one of {', '.join(INTRODUCTION_OUTCOMES)}")
    if value_usd is not None and not (math.isfinite(value_usd) and value_usd >= 0):
        raise InputError(
            f"a contract's value must be a number of USD, 0 or more, not {value_usd!r}"
        )
    if value_usd is not None and outcome != "contract":
        raise InputError(
            "a value is kept for a contract only",
            hint="choose the outcome contract, or leave the value empty",
        )
    with write(db, actor, "match.curate", f"introduction {intro_id}") as ch:
        intro = ch.session.get(Introduction, intro_id)
        if intro is None:
            raise NotFoundError(f"no introduction {intro_id}")
        ch.check_version(intro, version)
        before = as_dict(intro)
        intro.status, intro.outcome, intro.contract_value_usd = status, outcome, value_usd
        if status == "held":
            intro.held_at = utcnow()
        ch.flush()
        ch.audit("update", "supplier_introduction", intro.id, before, as_dict(intro))
        return as_dict(intro)


def introductions(
    db: ProgramDB, actor: Actor, *, now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Every introduction with its firm and item; one still requested past its expiry is
    shown as expired (and :func:`expire_overdue` records it)."""
    check(actor, "read")
    now = now or utcnow()
    with db.session() as s:
        rows = s.execute(
            select(Introduction, Match, Firm, DemandItem)
            .join(Match, Match.id == Introduction.match_id)
            .join(Firm, Firm.id == Match.firm_id)
            .join(DemandItem, DemandItem.id == Match.item_id)
            .order_by(Introduction.expires_at, Introduction.id)
        ).all()
    out = []
    for intro, m, f, item in rows:
        status = intro.status
        if status == "requested" and intro.expires_at < now:
            status = "expired"
        out.append(
            {
                "introduction_id": intro.id,
                "version": intro.version,
                "match_id": m.id,
                "firm_id": f.code,
                "firm": f.name_fa or f.name_en,
                "item_id": item.code,
                "item": item.text,
                "requested_at": intro.requested_at,
                "expires_at": intro.expires_at,
                "days_left": (intro.expires_at - now).days,
                "status": status,
                "outcome": intro.outcome,
                "contract_value_usd": intro.contract_value_usd,
            }
        )
    return out


def expire_overdue(db: ProgramDB, actor: Actor, *, now: dt.datetime | None = None) -> int:
    """Record as expired every introduction still requested past its expiry."""
    now = now or utcnow()
    with write(db, actor, "match.curate", "expiring introductions") as ch:
        n = 0
        for intro in ch.session.scalars(
            select(Introduction).where(
                Introduction.status == "requested", Introduction.expires_at < now
            )
        ):
            before = as_dict(intro)
            intro.status = "expired"
            ch.flush()
            ch.audit("update", "supplier_introduction", intro.id, before, as_dict(intro))
            n += 1
        return n
