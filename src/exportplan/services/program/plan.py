"""A region's program for a Solar Hijri year (its total under a definition) and its
priorities: product groups x markets, and why (from the opportunity engine or by hand)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from exportplan.auth import Actor
from exportplan.domain import DEFINITIONS
from exportplan.errors import NotFoundError
from exportplan.reference import countries
from exportplan.services.program.agencies import ensure_region
from exportplan.services.program.validation import (
    ROOT,
    RuleError,
    check_code,
    clean_hs_list,
    markets_list,
)
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import Priority, Program, Region, Target, as_dict
from exportplan.store.program.queries import children_sum, get_program, root_target
from exportplan.store.program.writes import Change, write


def _check_target(target_usd: float | None) -> None:
    if target_usd is None or not 0 < target_usd < float("inf"):  # NaN and infinities fail
        raise RuleError("target_usd", "the program's target must be a positive amount in USD")


def new_program(
    ch: Change,
    *,
    region: str,
    country: str,
    sh_year: int,
    target_usd: float,
    definition: str = "customs",
    name: str = "",
    region_fa: str = "",
) -> Program:
    """Create a program and the root of its target tree in an open write."""
    ch.require("program.edit")
    if definition not in DEFINITIONS:
        raise RuleError("definition", f"definition must be customs or origin; got {definition!r}")
    if not 1300 <= sh_year <= 1500:
        raise RuleError("sh_year", f"{sh_year} is not a Solar Hijri year (for example 1405)")
    _check_target(target_usd)
    r = ensure_region(ch, region, country, region_fa)
    exists = find_program(ch, r, sh_year, definition)
    if exists is not None:
        raise RuleError(
            "definition",
            f"{region} has a {definition} program for {sh_year} already (program {exists.id})",
        )
    p = Program(
        region_id=r.id,
        sh_year=sh_year,
        definition=definition,
        name=name or f"{region} export program {sh_year}",
        target_usd=float(target_usd),
    )
    ch.add(p)
    ch.flush()
    root = Target(
        program_id=p.id,
        parent_id=None,
        code=ROOT,
        label="the program's total",
        value_usd=float(target_usd),
    )
    ch.add(root)
    ch.flush("program")
    ch.audit("create", "program", p.id, None, as_dict(p), program_id=p.id)
    return p


def find_program(ch: Change, region: Region, sh_year: int, definition: str) -> Program | None:
    return ch.session.scalar(
        select(Program).where(
            Program.region_id == region.id,
            Program.sh_year == sh_year,
            Program.definition == definition,
        )
    )


def change_program(
    ch: Change, p: Program, *, target_usd: float | None = None, name: str | None = None
) -> Program:
    """Rename a program or change its total (never below what is allocated under it)."""
    ch.require("program.edit")
    before = as_dict(p)
    if target_usd is not None:
        _check_target(target_usd)
        root = root_target(ch.session, p.id)
        allocated = children_sum(ch.session, root.id)
        if target_usd < allocated:
            raise RuleError(
                "target_usd",
                f"the program's target cannot go below what is allocated under it "
                f"(USD {allocated:,.0f})",
            )
    if name is not None:
        p.name = name
    if target_usd is not None:
        p.target_usd = float(target_usd)
        root.value_usd = float(target_usd)
    ch.flush(f"program {p.id}")
    ch.audit("update", "program", p.id, before, as_dict(p), program_id=p.id)
    return p


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
    with write(db, actor, "program.edit", "program") as ch:
        p = new_program(
            ch,
            region=region,
            country=country,
            sh_year=sh_year,
            target_usd=target_usd,
            definition=definition,
            name=name,
        )
        return as_dict(p)


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
    with write(db, actor, "program.edit", f"program {program_id}") as ch:
        p = get_program(ch.session, program_id)
        ch.check_version(p, version)
        return as_dict(change_program(ch, p, target_usd=target_usd, name=name))


# ---- priorities ----------------------------------------------------------------------------


def _priority_fields(
    hs_codes: Iterable[str], markets: Iterable[str] | str, name_en: str
) -> dict[str, Any]:
    hs = clean_hs_list(hs_codes)
    mk = markets_list(markets)
    return {
        "hs_codes": hs,
        "markets": mk,
        "name_en": name_en or f"HS {' '.join(hs)} to {' '.join(mk)}",
    }


def new_priority(
    ch: Change,
    program_id: int,
    *,
    code: str,
    hs_codes: Iterable[str],
    markets: Iterable[str] | str,
    name_en: str = "",
    name_fa: str = "",
    reason: str = "",
    opportunity: dict[str, Any] | None = None,
) -> Priority:
    """Add a priority to a program in an open write (the rules of :func:`add_priority`)."""
    ch.require("priority.edit")
    code = check_code(code, "priority")
    fields = _priority_fields(hs_codes, markets, name_en)
    get_program(ch.session, program_id)
    if ch.session.scalar(
        select(Priority).where(Priority.program_id == program_id, Priority.code == code)
    ):
        raise RuleError("code", f"priority {code!r} exists already in program {program_id}")
    pr = Priority(
        program_id=program_id,
        code=code,
        name_fa=name_fa,
        reason=reason,
        opportunity=opportunity,
        **fields,
    )
    ch.add(pr)
    ch.flush(f"priority {code}")
    ch.audit("create", "priority", pr.id, None, as_dict(pr), program_id=program_id)
    return pr


def change_priority(
    ch: Change,
    pr: Priority,
    *,
    hs_codes: Iterable[str],
    markets: Iterable[str] | str,
    name_en: str = "",
    name_fa: str = "",
    reason: str = "",
) -> Priority:
    """Change a priority's products, markets, names or reason in an open write."""
    ch.require("priority.edit")
    fields = _priority_fields(hs_codes, markets, name_en)
    before = as_dict(pr)
    for k, v in {**fields, "name_fa": name_fa, "reason": reason}.items():
        setattr(pr, k, v)
    ch.flush(f"priority {pr.code}")
    ch.audit("update", "priority", pr.id, before, as_dict(pr), program_id=pr.program_id)
    return pr


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
    with write(db, actor, "priority.edit", f"priority {code.strip()}") as ch:
        pr = new_priority(
            ch,
            program_id,
            code=code,
            hs_codes=hs_codes,
            markets=markets,
            name_en=name_en,
            name_fa=name_fa,
            reason=reason,
            opportunity=opportunity,
        )
        return as_dict(pr)


def priority_from_opportunity(
    ws: Any,
    db: ProgramDB,
    actor: Actor,
    program_id: int,
    *,
    code: str | None = None,
    product: str,
    market: str,
) -> dict[str, Any]:
    """A priority proposed by the opportunity engine: its reason and figures are kept with it,
    with the data version they came from. Without ``code`` it is the next free ``P<n>``; the
    same product and market twice in one program is refused (naming the priority)."""
    from exportplan.services import opportunities as opp
    from exportplan.services.data import data_version

    with db.session() as s:
        definition = get_program(s, program_id).definition
        held = list(s.scalars(select(Priority).where(Priority.program_id == program_id)))
    iso_asked = countries.lookup(market) or market
    for pr in held:
        if pr.hs_codes == [product.strip()] and pr.markets == [iso_asked]:
            raise RuleError(
                "code", f"HS {product.strip()} to {iso_asked} is priority {pr.code} already"
            )
    if code is None:
        taken, n = {pr.code for pr in held}, len(held) + 1
        while f"P{n}" in taken:
            n += 1
        code = f"P{n}"
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
        # the reason in Persian too, for the pages in Persian (``reason`` is the English)
        "reason_fa": opp.reason(r, n=res.meta["ranked_among"], key="market", lang="fa"),
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
        get_program(s, program_id)
        return [
            as_dict(p)
            for p in s.scalars(
                select(Priority).where(Priority.program_id == program_id).order_by(Priority.code)
            )
        ]


__all__ = [
    "add_priority",
    "change_priority",
    "change_program",
    "create_program",
    "find_program",
    "new_priority",
    "new_program",
    "priorities",
    "priority_from_opportunity",
    "programs",
    "update_program",
]
