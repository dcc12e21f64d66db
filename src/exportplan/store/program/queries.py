"""Reads of the program store that several services share: the programs of a year (what the
plan-of-record resolver chooses among) and the lookups by code that every write starts from."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportplan.domain import DEFINITIONS
from exportplan.errors import NotFoundError
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import Agency, Priority, Program, Region, Target


@dataclass(frozen=True)
class ProgramRef:
    """A program's identity and total: what the plan-of-record resolver chooses among."""

    id: int
    region: str
    region_fa: str
    sh_year: int
    definition: str
    name: str
    target_usd: float
    version: int


def program_refs(
    db: ProgramDB,
    *,
    region: str | None = None,
    sh_year: int | None = None,
    definition: str | None = None,
) -> list[ProgramRef]:
    """The programs in the store, by year, then definition in the order of ``DEFINITIONS``."""
    q = select(Program, Region).join(Region, Region.id == Program.region_id)
    if region is not None:
        q = q.where(Region.name_en == region)
    if sh_year is not None:
        q = q.where(Program.sh_year == sh_year)
    if definition is not None:
        q = q.where(Program.definition == definition)
    with db.session() as s:
        rows = s.execute(q).all()
        refs = [
            ProgramRef(
                id=p.id,
                region=r.name_en,
                region_fa=r.name_fa,
                sh_year=p.sh_year,
                definition=p.definition,
                name=p.name,
                target_usd=float(p.target_usd),
                version=p.version,
            )
            for p, r in rows
        ]
    order: dict[str, int] = {d: i for i, d in enumerate(DEFINITIONS)}
    return sorted(refs, key=lambda r: (r.sh_year, order.get(r.definition, 99), r.region, r.id))


def get_program(s: Session, program_id: int) -> Program:
    p = s.get(Program, program_id)
    if p is None:
        raise NotFoundError(f"no program {program_id}")
    return p


def get_agency(s: Session, code: str) -> Agency:
    a = s.scalar(select(Agency).where(Agency.code == code))
    if a is None:
        known = ", ".join(s.scalars(select(Agency.code).order_by(Agency.code)).all()) or "none"
        raise NotFoundError(f"no agency with code {code!r} (known: {known})")
    return a


def get_priority(s: Session, program_id: int, code: str) -> Priority:
    p = s.scalar(select(Priority).where(Priority.program_id == program_id, Priority.code == code))
    if p is None:
        raise NotFoundError(f"no priority {code!r} in program {program_id}")
    return p


def root_target(s: Session, program_id: int) -> Target:
    t = s.scalar(select(Target).where(Target.program_id == program_id, Target.parent_id.is_(None)))
    if t is None:
        raise NotFoundError(f"program {program_id} has no target tree")
    return t


def children_sum(s: Session, target_id: int, *, without: int | None = None) -> float:
    """What the targets directly under ``target_id`` add up to (without one of them)."""
    q = select(func.coalesce(func.sum(Target.value_usd), 0.0)).where(Target.parent_id == target_id)
    if without is not None:
        q = q.where(Target.id != without)
    return float(s.scalar(q) or 0.0)
