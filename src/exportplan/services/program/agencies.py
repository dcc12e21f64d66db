"""The agencies that carry the program, their heads and the terms they serve, and the regions
programs are for; the agency owns the work, not the person."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportplan.auth import Actor
from exportplan.services.program.validation import RuleError, parse_date, sh_text
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import AGENCY_KINDS, Agency, Person, Region, Term, as_dict
from exportplan.store.program.queries import get_agency
from exportplan.store.program.writes import Change, write


def ensure_region(ch: Change, name_en: str, country: str, name_fa: str = "") -> Region:
    """The region named ``name_en``, created if the store does not know it yet."""
    r = ch.session.scalar(select(Region).where(Region.name_en == name_en))
    if r is None:
        if not name_fa:
            from exportplan.reference import regions

            known = regions.lookup(name_en)
            name_fa = known.name_fa if known else ""
        r = Region(name_en=name_en, name_fa=name_fa, country=country)
        ch.add(r)
        ch.flush()
    return r


def _agency_fields(name_en: str, name_fa: str, kind: str) -> dict[str, str]:
    if kind not in AGENCY_KINDS:
        raise RuleError(
            "kind", f"agency kind must be one of {', '.join(AGENCY_KINDS)}; got {kind!r}"
        )
    if not name_en.strip():
        raise RuleError("name_en", "an agency needs an English name")
    return {"name_en": name_en.strip(), "name_fa": name_fa.strip(), "kind": kind}


def new_agency(
    ch: Change, *, code: str, name_en: str, name_fa: str = "", kind: str = "other"
) -> Agency:
    """Create an agency in an open write (the rules of :func:`add_agency`)."""
    ch.require("agency.edit")
    code = code.strip()
    if not code or len(code) > 40 or " " in code:
        raise RuleError("code", f"agency code {code!r} must be 1-40 characters without spaces")
    fields = _agency_fields(name_en, name_fa, kind)
    if ch.session.scalar(select(Agency).where(Agency.code == code)) is not None:
        raise RuleError("code", f"agency {code!r} exists already")
    a = Agency(code=code, **fields)
    ch.add(a)
    ch.flush(f"agency {code}")
    ch.audit("create", "agency", a.id, None, as_dict(a), agency_id=a.id)
    return a


def change_agency(ch: Change, a: Agency, *, name_en: str, name_fa: str, kind: str) -> Agency:
    """Rename an agency or change its kind in an open write."""
    ch.require("agency.edit")
    fields = _agency_fields(name_en, name_fa, kind)
    before = as_dict(a)
    for k, v in fields.items():
        setattr(a, k, v)
    ch.flush(f"agency {a.code}")
    ch.audit("update", "agency", a.id, before, as_dict(a), agency_id=a.id)
    return a


def add_agency(
    db: ProgramDB,
    actor: Actor,
    *,
    code: str,
    name_en: str,
    name_fa: str = "",
    kind: str = "other",
) -> dict[str, Any]:
    with write(db, actor, "agency.edit", f"agency {code.strip()}") as ch:
        return as_dict(new_agency(ch, code=code, name_en=name_en, name_fa=name_fa, kind=kind))


def agencies(db: ProgramDB) -> list[dict[str, Any]]:
    with db.session() as s:
        out = []
        for a in s.scalars(select(Agency).order_by(Agency.code)):
            d = as_dict(a)
            d["head"] = head(s, a.id)
            out.append(d)
        return out


def head(s: Session, agency_id: int) -> dict[str, Any] | None:
    """The agency's current head (name, since when), or None."""
    row = s.execute(
        select(Term, Person)
        .join(Person, Person.id == Term.person_id)
        .where(Term.agency_id == agency_id, Term.end.is_(None), Term.title == "head")
        .order_by(Term.start.desc())
    ).first()
    if row is None:
        return None
    term, person = row
    return {
        "name_en": person.name_en,
        "name_fa": person.name_fa,
        "since": term.start.isoformat(),
        "since_sh": sh_text(term.start),
    }


def new_head(
    ch: Change,
    a: Agency,
    *,
    name_en: str,
    name_fa: str = "",
    start: str | dt.date,
    email: str = "",
    what: str = "start",
) -> Term:
    """A new head of agency ``a`` from ``start`` in an open write: the previous head's term
    ends the day before."""
    ch.require("agency.edit")
    day = parse_date(start, what)
    s = ch.session
    current = s.scalars(
        select(Term).where(Term.agency_id == a.id, Term.end.is_(None), Term.title == "head")
    ).all()
    for t in current:
        if t.start >= day:
            raise RuleError(
                what,
                f"the current head of {a.code} started on {sh_text(t.start)}; a new head "
                f"must start after that (got {sh_text(day)})",
            )
    for t in current:
        t.end = day - dt.timedelta(days=1)
    person = s.scalar(select(Person).where(Person.name_en == name_en.strip()))
    if person is None:
        person = Person(name_en=name_en.strip(), name_fa=name_fa.strip(), email=email)
        ch.add(person)
        ch.flush()
    term = Term(agency_id=a.id, person_id=person.id, title="head", start=day, end=None)
    ch.add(term)
    ch.flush()
    after = {"agency": a.code, "head": name_en, "start": day.isoformat()}
    ch.audit("create", "term", term.id, None, after, agency_id=a.id)
    return term


def set_head(
    db: ProgramDB,
    actor: Actor,
    agency: str,
    *,
    name_en: str,
    name_fa: str = "",
    start: str | dt.date,
    email: str = "",
) -> dict[str, Any]:
    """A new head of an agency from ``start``: the previous head's term ends the day before.
    Nothing the agency owns changes hands: targets, actions and KPIs belong to the agency."""
    with write(db, actor, "agency.edit", f"the head of {agency}") as ch:
        day = parse_date(start, "start")
        t = new_head(
            ch,
            get_agency(ch.session, agency),
            name_en=name_en,
            name_fa=name_fa,
            start=day,
            email=email,
        )
        return {"agency": agency, "head": name_en, "start": t.start.isoformat()}


def terms(db: ProgramDB, agency: str) -> list[dict[str, Any]]:
    with db.session() as s:
        a = get_agency(s, agency)
        rows = s.execute(
            select(Term, Person)
            .join(Person, Person.id == Term.person_id)
            .where(Term.agency_id == a.id)
            .order_by(Term.start)
        ).all()
        return [
            {
                "person": p.name_en,
                "person_fa": p.name_fa,
                "title": t.title,
                "start": t.start.isoformat(),
                "end": t.end.isoformat() if t.end else None,
            }
            for t, p in rows
        ]


__all__ = [
    "add_agency",
    "agencies",
    "change_agency",
    "ensure_region",
    "head",
    "new_agency",
    "new_head",
    "set_head",
    "terms",
]
