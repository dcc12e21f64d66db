"""The export program: agencies and their heads, programs, priorities, the target tree,
actions, KPIs, the audit log and the handover dossier.

Every function takes the store and the :class:`~exportplan.services.users.Actor`; every write
checks the actor's role here, on the server side, and writes its audit row (who, when, before,
after) in the same transaction. Updates carry the ``version`` the caller read: if the row has
changed since, :class:`~exportplan.errors.ConflictError` is raised and nothing is saved.
Dates are accepted in the Solar Hijri calendar (``1404/05/01``) or ISO Gregorian
(``2025-07-23``) and stored as Gregorian dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import jdatetime
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from exportplan.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError
from exportplan.reference import countries
from exportplan.reference.calendar import PeriodError, parse_period
from exportplan.reference.hs import hs_prefix
from exportplan.services.users import Actor
from exportplan.store.program_db import (
    ACTION_STATUSES,
    AGENCY_KINDS,
    DEFINITIONS,
    Action,
    ActionNote,
    Agency,
    Audit,
    Base,
    Kpi,
    Measurement,
    Person,
    Priority,
    Program,
    ProgramDB,
    Region,
    Target,
    Term,
    User,
    as_dict,
)

EDITORS = ("admin", "secretary")
ROOT = "TOTAL"


# ---- helpers -------------------------------------------------------------------------------


def audit(
    s: Session,
    actor: Actor,
    op: str,
    entity: str,
    entity_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    program_id: int | None = None,
    agency_id: int | None = None,
) -> None:
    s.add(
        Audit(
            username=actor.username,
            op=op,
            entity=entity,
            entity_id=entity_id,
            program_id=program_id,
            agency_id=agency_id,
            before=before,
            after=after,
        )
    )


def _save(s: Session, what: str) -> None:
    """Flush, turning a lost optimistic-locking race into a clear conflict."""
    try:
        s.flush()
    except StaleDataError as exc:
        raise ConflictError(
            f"{what} was changed by someone else while you were editing it; nothing was saved",
            hint="reload it and apply your change again",
        ) from exc
    except IntegrityError as exc:  # two people created the same code at the same moment
        raise ConflictError(
            f"{what} was created or changed by someone else at the same moment; nothing was saved",
            hint="reload and try again",
        ) from exc
    except OperationalError as exc:
        if "locked" not in str(exc).lower():
            raise
        raise ConflictError(
            f"{what} is being changed by someone else right now; nothing was saved",
            hint="try again in a moment",
        ) from exc


def _check_version(obj: Base, version: int | None, what: str) -> None:
    current = getattr(obj, "version")  # noqa: B009
    if version is not None and version != current:
        raise ConflictError(
            f"{what} has changed since you read it (your version {version}, now {current}); "
            "nothing was saved",
            hint="reload it and apply your change again",
        )


def parse_date(text: str | dt.date, what: str) -> dt.date:
    """A Solar Hijri (1404/05/01) or Gregorian (2025-07-23) day; one that does not exist is an
    error that says why."""
    if isinstance(text, dt.date):
        return text
    try:
        p = parse_period(str(text))
    except PeriodError as exc:
        raise InputError(f"{what}: {exc}") from exc
    d = p.gregorian_date()
    if d is None:
        raise InputError(f"{what}: {text!r} is not a day (give year/month/day)")
    return d


def sh_text(d: dt.date) -> str:
    j = jdatetime.date.fromgregorian(date=d)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"


def clean_hs_list(codes: Iterable[str], what: str = "HS codes") -> list[str]:
    out: list[str] = []
    for raw in codes:
        for part in str(raw).replace(",", " ").split():
            if len(part) in (8, 10) and part.isdigit():
                out.append(part)  # national tariff lines are kept as given
                continue
            out.append(hs_prefix(part, where=f"{what}: "))
    if not out:
        raise InputError(f"{what}: at least one HS code is needed")
    return sorted(set(out))


def clean_markets(names: Iterable[str], what: str = "markets") -> list[str]:
    """ISO3 codes of markets given as codes or names (English or Persian); an unknown one is
    an error with the nearest known name."""
    out: list[str] = []
    for part in names:
        iso = countries.lookup(part)
        if iso is None:
            hint = countries.suggest(part)
            raise InputError(
                f"{what}: unknown country {part!r}" + (f"; did you mean {hint}?" if hint else "")
            )
        out.append(iso)
    if not out:
        raise InputError(f"{what}: at least one market is needed")
    return sorted(set(out))


def _markets_list(raw: Iterable[str] | str) -> list[str]:
    """Markets as written: separated by commas, or ISO3 codes separated by spaces (names may
    hold spaces: 'United Arab Emirates')."""
    parts = raw.split(",") if isinstance(raw, str) else [str(x) for x in raw]
    out: list[str] = []
    for p in (x.strip() for x in parts):
        if not p:
            continue
        toks = p.split()
        if len(toks) > 1 and all(len(t) == 3 and t.isalpha() and t.isupper() for t in toks):
            out.extend(toks)
        else:
            out.append(p)
    return clean_markets(out)


def _program(s: Session, program_id: int) -> Program:
    p = s.get(Program, program_id)
    if p is None:
        raise NotFoundError(f"no program {program_id}")
    return p


def _agency(s: Session, code: str) -> Agency:
    a = s.scalar(select(Agency).where(Agency.code == code))
    if a is None:
        known = ", ".join(s.scalars(select(Agency.code).order_by(Agency.code)).all()) or "none"
        raise NotFoundError(f"no agency with code {code!r} (known: {known})")
    return a


def _priority(s: Session, program_id: int, code: str) -> Priority:
    p = s.scalar(select(Priority).where(Priority.program_id == program_id, Priority.code == code))
    if p is None:
        raise NotFoundError(f"no priority {code!r} in program {program_id}")
    return p


def _member_may(actor: Actor, agency_id: int, what: str) -> None:
    if actor.role in EDITORS:
        return
    if actor.role == "member" and actor.agency_id == agency_id:
        return
    if actor.role == "member":
        raise PermissionDeniedError(f"{actor.username} may edit only their own agency's {what}")
    raise PermissionDeniedError(f"{actor.username} ({actor.role}) may not edit {what}")


# ---- regions, agencies, people ---------------------------------------------------------------


def ensure_region(s: Session, name_en: str, country: str, name_fa: str = "") -> Region:
    r = s.scalar(select(Region).where(Region.name_en == name_en))
    if r is None:
        if not name_fa:
            from exportplan.reference import regions

            known = regions.lookup(name_en)
            name_fa = known.name_fa if known else ""
        r = Region(name_en=name_en, name_fa=name_fa, country=country)
        s.add(r)
        s.flush()
    return r


def add_agency(
    db: ProgramDB,
    actor: Actor,
    *,
    code: str,
    name_en: str,
    name_fa: str = "",
    kind: str = "other",
) -> dict[str, Any]:
    actor.require(*EDITORS)
    code = code.strip()
    if not code or len(code) > 40 or " " in code:
        raise InputError(f"agency code {code!r} must be 1-40 characters without spaces")
    if kind not in AGENCY_KINDS:
        raise InputError(f"agency kind must be one of {', '.join(AGENCY_KINDS)}; got {kind!r}")
    if not name_en.strip():
        raise InputError("an agency needs an English name")
    with db.session() as s:
        if s.scalar(select(Agency).where(Agency.code == code)) is not None:
            raise InputError(f"agency {code!r} exists already")
        a = Agency(code=code, name_en=name_en.strip(), name_fa=name_fa.strip(), kind=kind)
        s.add(a)
        _save(s, f"agency {code}")
        after = as_dict(a)
        audit(s, actor, "create", "agency", a.id, None, after, agency_id=a.id)
        return after


def agencies(db: ProgramDB) -> list[dict[str, Any]]:
    with db.session() as s:
        out = []
        for a in s.scalars(select(Agency).order_by(Agency.code)):
            d = as_dict(a)
            d["head"] = _head(s, a.id)
            out.append(d)
        return out


def _head(s: Session, agency_id: int) -> dict[str, Any] | None:
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
    actor.require(*EDITORS)
    day = parse_date(start, "start")
    with db.session() as s:
        a = _agency(s, agency)
        current = s.scalars(
            select(Term).where(Term.agency_id == a.id, Term.end.is_(None), Term.title == "head")
        ).all()
        for t in current:
            if t.start >= day:
                raise InputError(
                    f"the current head of {agency} started on {sh_text(t.start)}; a new head "
                    f"must start after that (got {sh_text(day)})"
                )
            t.end = day - dt.timedelta(days=1)
        person = s.scalar(select(Person).where(Person.name_en == name_en.strip()))
        if person is None:
            person = Person(name_en=name_en.strip(), name_fa=name_fa.strip(), email=email)
            s.add(person)
            s.flush()
        term = Term(agency_id=a.id, person_id=person.id, title="head", start=day, end=None)
        s.add(term)
        s.flush()
        after = {"agency": agency, "head": name_en, "start": day.isoformat()}
        audit(s, actor, "create", "term", term.id, None, after, agency_id=a.id)
        return after


def terms(db: ProgramDB, agency: str) -> list[dict[str, Any]]:
    with db.session() as s:
        a = _agency(s, agency)
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


# ---- programs ------------------------------------------------------------------------------


def create_program(
    db: ProgramDB,
    actor: Actor,
    *,
    region: str,
    country: str,
    sh_year: int,
    target_usd: float,
    definition: str = "customs",
    name: str = "",
) -> dict[str, Any]:
    actor.require(*EDITORS)
    if definition not in DEFINITIONS:
        raise InputError(f"definition must be customs or origin; got {definition!r}")
    if not 1300 <= sh_year <= 1500:
        raise InputError(f"{sh_year} is not a Solar Hijri year (for example 1405)")
    if not target_usd > 0:
        raise InputError("the program's target must be a positive amount in USD")
    with db.session() as s:
        r = ensure_region(s, region, country)
        exists = s.scalar(
            select(Program).where(
                Program.region_id == r.id,
                Program.sh_year == sh_year,
                Program.definition == definition,
            )
        )
        if exists is not None:
            raise InputError(
                f"{region} has a {definition} program for {sh_year} already (program {exists.id})"
            )
        p = Program(
            region_id=r.id,
            sh_year=sh_year,
            definition=definition,
            name=name or f"{region} export program {sh_year}",
            target_usd=float(target_usd),
        )
        s.add(p)
        s.flush()
        root = Target(
            program_id=p.id,
            parent_id=None,
            code=ROOT,
            label="the program's total",
            value_usd=float(target_usd),
        )
        s.add(root)
        _save(s, "program")
        after = as_dict(p)
        audit(s, actor, "create", "program", p.id, None, after, program_id=p.id)
        return after


def programs(db: ProgramDB) -> list[dict[str, Any]]:
    with db.session() as s:
        rows = s.execute(
            select(Program, Region)
            .join(Region, Region.id == Program.region_id)
            .order_by(Program.sh_year, Program.id)
        ).all()
        return [{**as_dict(p), "region": r.name_en, "region_fa": r.name_fa} for p, r in rows]


def update_program(
    db: ProgramDB,
    actor: Actor,
    program_id: int,
    *,
    version: int,
    target_usd: float | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    actor.require(*EDITORS)
    with db.session() as s:
        p = _program(s, program_id)
        _check_version(p, version, f"program {program_id}")
        before = as_dict(p)
        if name is not None:
            p.name = name
        if target_usd is not None:
            if not target_usd > 0:
                raise InputError("the program's target must be a positive amount in USD")
            root = _root(s, program_id)
            allocated = _children_sum(s, root.id)
            if target_usd < allocated:
                raise InputError(
                    f"the program's target cannot go below what is allocated under it "
                    f"(USD {allocated:,.0f})"
                )
            p.target_usd = float(target_usd)
            root.value_usd = float(target_usd)
        _save(s, f"program {program_id}")
        after = as_dict(p)
        audit(s, actor, "update", "program", p.id, before, after, program_id=p.id)
        return after


# ---- priorities ----------------------------------------------------------------------------


def add_priority(
    db: ProgramDB,
    actor: Actor,
    program_id: int,
    *,
    code: str,
    hs_codes: Iterable[str],
    markets: Iterable[str] | str,
    name_en: str = "",
    name_fa: str = "",
    reason: str = "",
    opportunity: dict[str, Any] | None = None,
) -> dict[str, Any]:
    actor.require(*EDITORS)
    code = _code(code, "priority")
    hs = clean_hs_list(hs_codes)
    mk = _markets_list(markets)
    with db.session() as s:
        _program(s, program_id)
        if s.scalar(
            select(Priority).where(Priority.program_id == program_id, Priority.code == code)
        ):
            raise InputError(f"priority {code!r} exists already in program {program_id}")
        pr = Priority(
            program_id=program_id,
            code=code,
            name_en=name_en or f"HS {' '.join(hs)} to {' '.join(mk)}",
            name_fa=name_fa,
            hs_codes=hs,
            markets=mk,
            reason=reason,
            opportunity=opportunity,
        )
        s.add(pr)
        _save(s, f"priority {code}")
        after = as_dict(pr)
        audit(s, actor, "create", "priority", pr.id, None, after, program_id=program_id)
        return after


def _code(code: str, what: str) -> str:
    c = code.strip()
    if not c or len(c) > 40 or any(ch.isspace() for ch in c):
        raise InputError(f"{what} code {code!r} must be 1-40 characters without spaces")
    return c


def priority_from_opportunity(
    ws: Any,
    db: ProgramDB,
    actor: Actor,
    program_id: int,
    *,
    code: str,
    product: str,
    market: str,
) -> dict[str, Any]:
    """A priority proposed by the opportunity engine: its reason and figures are kept with it,
    with the data version they came from."""
    from exportplan.services import opportunities as opp
    from exportplan.services.data import data_version

    with db.session() as s:
        p = _program(s, program_id)
        definition = p.definition
    res = opp.markets(ws, product, params=opp.Params(definition=definition), top=None)
    iso = countries.lookup(market)
    rows = res.table.filter(res.table["market"] == iso)
    if rows.height == 0:
        raise NotFoundError(f"the opportunities for HS {product} do not include {market!r}")
    r = rows.row(0, named=True)
    figures = {
        k: r[k]
        for k in (
            "prod",
            "market",
            "rank",
            "potential_usd",
            "actual_usd",
            "untapped_usd",
            "imports_usd",
            "growth_pa",
            "ease_trade",
        )
    }
    opportunity = {
        **figures,
        "ranked_among": res.meta["ranked_among"],
        "world_years": res.meta["world_years"],
        "definition": res.meta["definition"],
        "unit": res.meta["unit"],
        "data_version": data_version(ws),
        "synthetic": res.meta["synthetic"],
    }
    return add_priority(
        db,
        actor,
        program_id,
        code=code,
        hs_codes=[r["prod"]],
        markets=[iso or market],
        reason=str(r["reason"]),
        opportunity=opportunity,
    )


def priorities(db: ProgramDB, program_id: int) -> list[dict[str, Any]]:
    with db.session() as s:
        _program(s, program_id)
        return [
            as_dict(p)
            for p in s.scalars(
                select(Priority).where(Priority.program_id == program_id).order_by(Priority.code)
            )
        ]


# ---- targets -------------------------------------------------------------------------------


def _root(s: Session, program_id: int) -> Target:
    t = s.scalar(select(Target).where(Target.program_id == program_id, Target.parent_id.is_(None)))
    if t is None:
        raise NotFoundError(f"program {program_id} has no target tree")
    return t


def _children_sum(s: Session, target_id: int, *, without: int | None = None) -> float:
    q = select(func.coalesce(func.sum(Target.value_usd), 0.0)).where(Target.parent_id == target_id)
    if without is not None:
        q = q.where(Target.id != without)
    return float(s.scalar(q) or 0.0)


def _check_period(period: str | None, year: int) -> str | None:
    if period is None or period == "":
        return None
    p = period.strip().upper()
    if len(p) == 7 and p[4] == "-" and p[5] == "Q" and p[6] in "1234" and p[:4].isdigit():
        if int(p[:4]) != year:
            raise InputError(f"period {period!r} is not in the program's year {year}")
        return p
    try:
        parsed = parse_period(p)
    except PeriodError as exc:
        raise InputError(f"period: {exc}") from exc
    if parsed.calendar != "sh" or parsed.month is None or parsed.day is not None:
        raise InputError(
            f"period {period!r} must be a Solar Hijri month (1404-05) or quarter (1404-Q2)"
        )
    if parsed.year != year:
        raise InputError(f"period {period!r} is not in the program's year {year}")
    return f"{parsed.year:04d}-{parsed.month:02d}"


def set_target(
    db: ProgramDB,
    actor: Actor,
    program_id: int,
    *,
    code: str,
    value_usd: float,
    parent: str = ROOT,
    label: str = "",
    priority: str | None = None,
    agency: str | None = None,
    period: str | None = None,
    version: int | None = None,
) -> dict[str, Any]:
    """Create or change a node of the target tree. A node's children never add up to more
    than the node; a node cannot go below what its children add up to."""
    actor.require(*EDITORS)
    code = _code(code, "target")
    if code == ROOT:
        raise InputError(f"{ROOT} is the program's total: change it with `program update`")
    if not value_usd >= 0:
        raise InputError("a target is an amount in USD of at least 0")
    with db.session() as s:
        p = _program(s, program_id)
        par = s.scalar(select(Target).where(Target.program_id == program_id, Target.code == parent))
        if par is None:
            raise NotFoundError(f"no target {parent!r} in program {program_id}")
        node = s.scalar(select(Target).where(Target.program_id == program_id, Target.code == code))
        if node is not None:
            _check_version(node, version, f"target {code}")
            if node.parent_id != par.id:
                raise InputError(f"target {code} sits under another parent; it cannot move")
            kids = _children_sum(s, node.id)
            if value_usd < kids:
                raise InputError(
                    f"target {code} cannot go below what its own children add up to "
                    f"(USD {kids:,.0f})"
                )
        siblings = _children_sum(s, par.id, without=node.id if node else None)
        if siblings + value_usd > par.value_usd + 1e-6:
            raise InputError(
                f"target {code} (USD {value_usd:,.0f}) would take the targets under {parent} to "
                f"USD {siblings + value_usd:,.0f}, above {parent}'s USD {par.value_usd:,.0f} "
                f"(unallocated: USD {par.value_usd - siblings:,.0f})"
            )
        pr_id = _priority(s, program_id, priority).id if priority else None
        ag_id = _agency(s, agency).id if agency else None
        per = _check_period(period, p.sh_year)
        before = as_dict(node) if node is not None else None
        if node is None:
            node = Target(
                program_id=program_id,
                parent_id=par.id,
                code=code,
                label=label,
                priority_id=pr_id,
                agency_id=ag_id,
                period=per,
                value_usd=float(value_usd),
            )
            s.add(node)
        else:
            node.value_usd = float(value_usd)
            node.label = label or node.label
            node.priority_id = pr_id if priority else node.priority_id
            node.agency_id = ag_id if agency else node.agency_id
            node.period = per if period else node.period
        flag_modified(par, "value_usd")  # the parent's version guards concurrent siblings
        _save(s, f"the targets under {parent}")
        after = as_dict(node)
        audit(
            s,
            actor,
            "create" if before is None else "update",
            "target",
            node.id,
            before,
            after,
            program_id=program_id,
            agency_id=node.agency_id,
        )
        return after


def delete_target(
    db: ProgramDB, actor: Actor, program_id: int, code: str, *, version: int | None = None
) -> None:
    actor.require(*EDITORS)
    with db.session() as s:
        node = s.scalar(select(Target).where(Target.program_id == program_id, Target.code == code))
        if node is None or node.parent_id is None:
            raise NotFoundError(f"no target {code!r} to delete in program {program_id}")
        _check_version(node, version, f"target {code}")
        if s.scalar(select(func.count()).where(Target.parent_id == node.id)):
            raise InputError(f"target {code} has targets under it; delete those first")
        before = as_dict(node)
        s.delete(node)
        _save(s, f"target {code}")
        audit(s, actor, "delete", "target", before["id"], before, None, program_id=program_id)


def target_tree(db: ProgramDB, program_id: int) -> dict[str, Any]:
    """The tree under the program's total: each node with its children and what is not yet
    allocated among them."""
    with db.session() as s:
        _program(s, program_id)
        rows = s.scalars(select(Target).where(Target.program_id == program_id)).all()
        pri = {
            p.id: p.code
            for p in s.scalars(select(Priority).where(Priority.program_id == program_id))
        }
        ags = {a.id: a.code for a in s.scalars(select(Agency))}
    kids: dict[int | None, list[Target]] = {}
    for t in rows:
        kids.setdefault(t.parent_id, []).append(t)

    def node(t: Target) -> dict[str, Any]:
        children = [node(c) for c in sorted(kids.get(t.id, []), key=lambda c: c.code)]
        allocated = sum(c["value_usd"] for c in children)
        return {
            "id": t.id,
            "code": t.code,
            "label": t.label,
            "value_usd": t.value_usd,
            "priority": pri.get(t.priority_id) if t.priority_id else None,
            "agency": ags.get(t.agency_id) if t.agency_id else None,
            "period": t.period,
            "version": t.version,
            "allocated_usd": allocated,
            "unallocated_usd": t.value_usd - allocated if children else None,
            "children": children,
        }

    roots = kids.get(None, [])
    if not roots:
        raise NotFoundError(f"program {program_id} has no target tree")
    return node(roots[0])


# ---- actions -------------------------------------------------------------------------------


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
    if not title.strip():
        raise InputError("an action needs a title")
    d0, d1 = parse_date(start, "start"), parse_date(deadline, "deadline")
    if d1 < d0:
        raise InputError(
            f"the deadline {sh_text(d1)} ({d1}) is before the start {sh_text(d0)} ({d0})"
        )
    if status not in ACTION_STATUSES:
        raise InputError(f"status must be one of {', '.join(ACTION_STATUSES)}")
    with db.session() as s:
        _program(s, program_id)
        ag = _agency(s, agency)
        _member_may(actor, ag.id, "actions")
        if actor.role == "viewer":
            raise PermissionDeniedError(f"{actor.username} (viewer) may not add actions")
        pr_id = _priority(s, program_id, priority).id if priority else None
        if code is None:
            n = s.scalar(select(func.count()).where(Action.program_id == program_id)) or 0
            code = f"A{n + 1:03d}"
            while s.scalar(
                select(Action).where(Action.program_id == program_id, Action.code == code)
            ):
                n += 1
                code = f"A{n + 1:03d}"
        code = _code(code, "action")
        if s.scalar(select(Action).where(Action.program_id == program_id, Action.code == code)):
            raise InputError(f"action {code!r} exists already in program {program_id}")
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
            progress=100 if status == "done" else 0,
            evidence="",
        )
        s.add(a)
        _save(s, f"action {code}")
        after = as_dict(a)
        audit(
            s, actor, "create", "action", a.id, None, after, program_id=program_id, agency_id=ag.id
        )
        return _action_view(s, a)


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
    with db.session() as s:
        a = s.get(Action, action_id)
        if a is None:
            raise NotFoundError(f"no action {action_id}")
        _member_may(actor, a.agency_id, "actions")
        _check_version(a, version, f"action {a.code}")
        before = as_dict(a)
        if status is not None:
            if status not in ACTION_STATUSES:
                raise InputError(f"status must be one of {', '.join(ACTION_STATUSES)}")
            a.status = status
            if status == "done":
                a.progress = 100
        if progress is not None:
            if not 0 <= progress <= 100:
                raise InputError(f"progress is a percentage from 0 to 100; got {progress}")
            a.progress = int(progress)
        if evidence is not None:
            a.evidence = evidence
        if title is not None:
            if not title.strip():
                raise InputError("an action needs a title")
            a.title = title.strip()
        if description is not None:
            a.description = description
        if deadline is not None:
            d1 = parse_date(deadline, "deadline")
            if d1 < a.start:
                raise InputError(
                    f"the deadline {sh_text(d1)} is before the start {sh_text(a.start)}"
                )
            a.deadline = d1
        if agency is not None:
            actor.require(*EDITORS)
            a.agency_id = _agency(s, agency).id
        if note:
            s.add(ActionNote(action_id=a.id, author=actor.username, text=note))
        if not s.dirty and not note:
            raise InputError("nothing to change")
        flag_modified(a, "status")  # a note also bumps the version
        _save(s, f"action {a.code}")
        after = as_dict(a)
        if note:
            after = {**after, "note": note}
        audit(
            s,
            actor,
            "update",
            "action",
            a.id,
            before,
            after,
            program_id=a.program_id,
            agency_id=a.agency_id,
        )
        return _action_view(s, a)


def _action_view(s: Session, a: Action, today: dt.date | None = None) -> dict[str, Any]:
    today = today or dt.date.today()
    d = as_dict(a)
    ag = s.get(Agency, a.agency_id)
    pr = s.get(Priority, a.priority_id) if a.priority_id else None
    d["agency"] = ag.code if ag else None
    d["priority"] = pr.code if pr else None
    d["start_sh"] = sh_text(a.start)
    d["deadline_sh"] = sh_text(a.deadline)
    d["overdue"] = a.deadline < today and a.status not in ("done", "cancelled")
    d["notes"] = [
        {"at": n.at.isoformat(), "author": n.author, "text": n.text}
        for n in s.scalars(
            select(ActionNote).where(ActionNote.action_id == a.id).order_by(ActionNote.id)
        )
    ]
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
        _program(s, program_id)
        q = select(Action).where(Action.program_id == program_id)
        if agency:
            q = q.where(Action.agency_id == _agency(s, agency).id)
        out = [_action_view(s, a, today) for a in s.scalars(q.order_by(Action.code))]
    if overdue is not None:
        out = [a for a in out if a["overdue"] == overdue]
    return out


def get_action(db: ProgramDB, action_id: int) -> dict[str, Any]:
    with db.session() as s:
        a = s.get(Action, action_id)
        if a is None:
            raise NotFoundError(f"no action {action_id}")
        return _action_view(s, a)


def action_id(db: ProgramDB, program_id: int, code: str) -> int:
    with db.session() as s:
        a = s.scalar(select(Action).where(Action.program_id == program_id, Action.code == code))
        if a is None:
            raise NotFoundError(f"no action {code!r} in program {program_id}")
        return a.id


# ---- KPIs ----------------------------------------------------------------------------------


def add_kpi(
    db: ProgramDB,
    actor: Actor,
    program_id: int,
    *,
    code: str,
    agency: str,
    name: str,
    source: str,
    hs_codes: Iterable[str] = (),
    partners: Iterable[str] | str = (),
    unit: str = "USD",
    target_value: float | None = None,
    priority: str | None = None,
) -> dict[str, Any]:
    """A KPI from data (``source='data'``: the region's exports of ``hs_codes`` to ``partners``
    under the program's definition, month by month, from the monitoring service) or entered
    by hand (``'manual'``)."""
    code = _code(code, "KPI")
    if source not in ("data", "manual"):
        raise InputError("a KPI's source is data (from the warehouse) or manual")
    hs = clean_hs_list(hs_codes, "KPI HS codes") if source == "data" or list(hs_codes) else []
    pt = _markets_list(partners) if partners else []
    if source == "data" and unit != "USD":
        raise InputError("a KPI from data counts exports in USD")
    if not name.strip():
        raise InputError("a KPI needs a name")
    with db.session() as s:
        _program(s, program_id)
        ag = _agency(s, agency)
        _member_may(actor, ag.id, "KPIs")
        if actor.role == "viewer":
            raise PermissionDeniedError(f"{actor.username} (viewer) may not add KPIs")
        if s.scalar(select(Kpi).where(Kpi.program_id == program_id, Kpi.code == code)):
            raise InputError(f"KPI {code!r} exists already in program {program_id}")
        pr_id = _priority(s, program_id, priority).id if priority else None
        k = Kpi(
            program_id=program_id,
            agency_id=ag.id,
            priority_id=pr_id,
            code=code,
            name=name.strip(),
            unit=unit,
            source=source,
            hs_codes=hs,
            partners=pt,
            target_value=target_value,
        )
        s.add(k)
        _save(s, f"KPI {code}")
        after = as_dict(k)
        audit(s, actor, "create", "kpi", k.id, None, after, program_id=program_id, agency_id=ag.id)
        return after


def measure(
    db: ProgramDB,
    actor: Actor,
    program_id: int,
    kpi: str,
    *,
    period: str,
    value: float,
    source: str = "entered by hand",
) -> dict[str, Any]:
    """Record (or correct) a KPI's value for a Solar Hijri month."""
    with db.session() as s:
        p = _program(s, program_id)
        k = s.scalar(select(Kpi).where(Kpi.program_id == program_id, Kpi.code == kpi))
        if k is None:
            raise NotFoundError(f"no KPI {kpi!r} in program {program_id}")
        _member_may(actor, k.agency_id, "KPIs")
        if actor.role == "viewer":
            raise PermissionDeniedError(f"{actor.username} (viewer) may not record measurements")
        if k.source == "data" and source == "entered by hand":
            raise InputError(
                f"KPI {kpi} comes from the data; refresh it with `program refresh-kpis`"
            )
        per = _check_period(period, p.sh_year)
        if per is None or "Q" in per:
            raise InputError("a measurement is for a Solar Hijri month, e.g. 1404-05")
        m = s.scalar(
            select(Measurement).where(Measurement.kpi_id == k.id, Measurement.period == per)
        )
        before = as_dict(m) if m else None
        if m is None:
            m = Measurement(
                kpi_id=k.id,
                period=per,
                value=float(value),
                source=source,
                recorded_by=actor.username,
            )
            s.add(m)
        else:
            m.value, m.source, m.recorded_by = float(value), source, actor.username
        s.flush()
        after = as_dict(m)
        audit(
            s,
            actor,
            "create" if before is None else "update",
            "measurement",
            m.id,
            before,
            after,
            program_id=program_id,
            agency_id=k.agency_id,
        )
        return after


def refresh_kpis(ws: Any, db: ProgramDB, actor: Actor, program_id: int) -> int:
    """Measure every data KPI for each month of the program's year that the warehouse covers,
    with the monitoring service's numbers; returns how many values were recorded."""
    import math

    from exportplan.services import monitor
    from exportplan.services.data import data_version

    actor.require(*EDITORS)
    with db.session() as s:
        p = _program(s, program_id)
        region = s.get(Region, p.region_id)
        assert region is not None
        kpis = [
            (k.code, tuple(k.hs_codes), tuple(k.partners))
            for k in s.scalars(
                select(Kpi).where(Kpi.program_id == program_id, Kpi.source == "data")
            )
        ]
        year, definition = p.sh_year, p.definition
    version = data_version(ws)
    n = 0
    for code, hs, partners in kpis:
        scope = monitor.Scope(
            region=region.name_en, definition=definition, hs=hs, partners=partners
        )
        series = monitor.monthly(ws, scope).get(year)
        if series is None:
            continue
        for month, v in enumerate(series, start=1):
            if math.isnan(float(v)):
                continue
            measure(
                db,
                actor,
                program_id,
                code,
                period=f"{year:04d}-{month:02d}",
                value=float(v),
                source=f"warehouse ({definition}; data {version[-24:]})",
            )
            n += 1
    return n


def kpis(db: ProgramDB, program_id: int) -> list[dict[str, Any]]:
    with db.session() as s:
        _program(s, program_id)
        out = []
        for k in s.scalars(select(Kpi).where(Kpi.program_id == program_id).order_by(Kpi.code)):
            d = as_dict(k)
            ag = s.get(Agency, k.agency_id)
            d["agency"] = ag.code if ag else None
            ms = s.scalars(
                select(Measurement).where(Measurement.kpi_id == k.id).order_by(Measurement.period)
            ).all()
            d["measurements"] = [
                {"period": m.period, "value": m.value, "source": m.source} for m in ms
            ]
            d["year_to_date"] = sum(m.value for m in ms) if k.unit == "USD" else None
            d["latest"] = ms[-1].value if ms else None
            out.append(d)
        return out


# ---- views ---------------------------------------------------------------------------------


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
) -> list[dict[str, Any]]:
    with db.session() as s:
        q = select(Audit).order_by(Audit.id.desc()).limit(limit)
        if program_id is not None:
            q = q.where(Audit.program_id == program_id)
        if agency is not None:
            q = q.where(Audit.agency_id == _agency(s, agency).id)
        return [as_dict(a) for a in s.scalars(q)]


def handover(db: ProgramDB, agency: str, *, today: dt.date | None = None) -> dict[str, Any]:
    """Everything an agency owns across the programs, for the day its head changes."""
    today = today or dt.date.today()
    with db.session() as s:
        a = _agency(s, agency)
        ag = as_dict(a)
        ag["head"] = _head(s, a.id)
        users = [
            {"username": u.username, "display_name": u.display_name, "active": u.active}
            for u in s.scalars(select(User).where(User.agency_id == a.id).order_by(User.username))
        ]
        targets = [
            {**as_dict(t), "program_id": t.program_id}
            for t in s.scalars(select(Target).where(Target.agency_id == a.id).order_by(Target.code))
        ]
        action_rows = [
            _action_view(s, x, today)
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
