"""The target tree under a program's total: nodes for a priority, an agency or a period (or a
combination), whose children never add up to more than the node."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from exportplan.auth import Actor
from exportplan.errors import NotFoundError
from exportplan.services.program.validation import ROOT, RuleError, check_code, check_period
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import Agency, Priority, Program, Target, as_dict
from exportplan.store.program.queries import children_sum, get_agency, get_priority, get_program
from exportplan.store.program.writes import Change, write


def put_target(
    ch: Change,
    p: Program,
    *,
    code: str,
    value_usd: float,
    parent: str = ROOT,
    label: str = "",
    priority: str | None = None,
    agency: str | None = None,
    period: str | None = None,
    version: int | None = None,
) -> Target:
    """Create or change a node of ``p``'s target tree in an open write (the rules of
    :func:`set_target`)."""
    ch.require("target.edit")
    code = check_code(code, "target")
    if code == ROOT:
        raise RuleError("code", f"{ROOT} is the program's total: change it with `program update`")
    if not 0 <= value_usd < float("inf"):  # NaN and infinities fail too
        raise RuleError("value_usd", "a target is a finite amount in USD of at least 0")
    s, program_id = ch.session, p.id
    par = s.scalar(select(Target).where(Target.program_id == program_id, Target.code == parent))
    if par is None:
        raise NotFoundError(f"no target {parent!r} in program {program_id}")
    node = s.scalar(select(Target).where(Target.program_id == program_id, Target.code == code))
    if node is not None:
        ch.check_version(node, version, f"target {code}")
        if node.parent_id != par.id:
            raise RuleError("parent", f"target {code} sits under another parent; it cannot move")
        kids = children_sum(s, node.id)
        if value_usd < kids:
            raise RuleError(
                "value_usd",
                f"target {code} cannot go below what its own children add up to (USD {kids:,.0f})",
            )
    siblings = children_sum(s, par.id, without=node.id if node else None)
    if siblings + value_usd > par.value_usd + 1e-6:
        raise RuleError(
            "value_usd",
            f"target {code} (USD {value_usd:,.0f}) would take the targets under {parent} to "
            f"USD {siblings + value_usd:,.0f}, above {parent}'s USD {par.value_usd:,.0f} "
            f"(unallocated: USD {par.value_usd - siblings:,.0f})",
        )
    pr_id = get_priority(s, program_id, priority).id if priority else None
    ag_id = get_agency(s, agency).id if agency else None
    per = check_period(period, p.sh_year)
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
        ch.add(node)
    else:
        node.value_usd = float(value_usd)
        node.label = label or node.label
        node.priority_id = pr_id if priority else node.priority_id
        node.agency_id = ag_id if agency else node.agency_id
        node.period = per if period else node.period
    ch.touch(par, "value_usd")  # the parent's version guards concurrent siblings
    ch.flush(f"the targets under {parent}")
    ch.audit(
        "create" if before is None else "update",
        "target",
        node.id,
        before,
        as_dict(node),
        program_id=program_id,
        agency_id=node.agency_id,
    )
    return node


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
    with write(db, actor, "target.edit", f"target {code.strip()}") as ch:
        node = put_target(
            ch,
            get_program(ch.session, program_id),
            code=code,
            value_usd=value_usd,
            parent=parent,
            label=label,
            priority=priority,
            agency=agency,
            period=period,
            version=version,
        )
        return as_dict(node)


def delete_target(
    db: ProgramDB, actor: Actor, program_id: int, code: str, *, version: int | None = None
) -> None:
    with write(db, actor, "target.edit", f"target {code}") as ch:
        s = ch.session
        node = s.scalar(select(Target).where(Target.program_id == program_id, Target.code == code))
        if node is None or node.parent_id is None:
            raise NotFoundError(f"no target {code!r} to delete in program {program_id}")
        ch.check_version(node, version)
        if s.scalar(select(func.count()).where(Target.parent_id == node.id)):
            raise RuleError("code", f"target {code} has targets under it; delete those first")
        before = as_dict(node)
        ch.delete(node)
        ch.flush()
        ch.audit("delete", "target", before["id"], before, None, program_id=program_id)


def target_tree(db: ProgramDB, program_id: int) -> dict[str, Any]:
    """The tree under the program's total: each node with its children and what is not yet
    allocated among them."""
    with db.session() as s:
        get_program(s, program_id)
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


__all__ = ["delete_target", "put_target", "set_target", "target_tree"]
