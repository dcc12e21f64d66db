"""The part of each target-tree node's achievement that comes from investment projects: the
exports, in the node's slice and months, of the firms of operating projects since each went
operating. It is a component of the node's achieved figure, never added to it: the firms'
exports are already in the province's exports the tree measures (docs/investment.md).

Which projects a node counts: the total, every operating project with a firm; a node for a
priority (and the nodes under it), the projects linked to that priority (``priority_id``),
only their firm's exports of the priority's products to its markets. A firm shared by several
projects is counted once per node, from the earliest day one of them went operating. Nodes
the tree does not measure (an agency's share, a label only) get no figure."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jdatetime

from exportplan.services import monitor
from exportplan.services.invest.figures import not_trackable
from exportplan.services.program.dossier import show
from exportplan.services.program.progress import months_of, tree_progress
from exportplan.store.invest.queries import project_rows
from exportplan.store.program.db import ProgramDB
from exportplan.workspace import Workspace

__all__ = ["operating_firms", "tree_investment"]


def _operating_since(p: dict[str, Any]) -> dt.date:
    """The day a project entered ``operating`` (its log's last entry into it; its creation
    when the log does not say)."""
    days: list[dt.date] = [d for d, s in p["log"] if s == "operating"]
    created: dt.date = p["created_on"]
    return max(days) if days else created


def operating_firms(db: ProgramDB) -> list[dict[str, Any]]:
    """Operating projects whose exports can be followed: code, firm, priority id, since."""
    return [
        {
            "code": p["code"],
            "firm": p["exporter_name"],
            "priority_id": p["priority_id"],
            "since": _operating_since(p),
        }
        for p in project_rows(db)
        if p["stage"] == "operating" and not not_trackable(p)
    ]


def _sh_month(day: dt.date) -> tuple[int, int]:
    j = jdatetime.date.fromgregorian(date=day)
    return int(j.year), int(j.month)


def _firm_months(
    ws: Workspace, scope: monitor.Scope, year: int, firms: list[str]
) -> dict[str, dict[int, float]]:
    """Each firm's exports in ``scope`` per month of Solar Hijri ``year`` (customs rows)."""
    if not firms:
        return {}
    where, params = scope.where()
    marks = ", ".join("?" for _ in firms)
    sql = (
        "SELECT exporter, sh_month, sum(value_usd) FROM region_flows "
        f"WHERE {where} AND sh_year = ? AND exporter IN ({marks}) AND isfinite(value_usd) "
        "GROUP BY exporter, sh_month"
    )
    out: dict[str, dict[int, float]] = {}
    with ws.warehouse(read_only=True) as con:
        for firm, month, value in con.execute(sql, [*params, year, *firms]).fetchall():
            out.setdefault(str(firm), {})[int(month)] = float(value)
    return out


def tree_investment(
    ws: Workspace,
    db: ProgramDB,
    program_id: int,
    *,
    view: dict[str, Any] | None = None,
    progress: dict[str, dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """For each measured node by code: ``from_investment_usd`` (the component of
    ``achieved_usd`` from investment projects, through the same last month with data),
    ``projects`` (the codes counted) and ``firms``. ``view`` and ``progress``: the program
    and its tree's progress, if read already."""
    view = view or show(db, program_id)
    progress = progress or tree_progress(ws, db, program_id, view=view)
    prog = view["program"]
    year = int(prog["sh_year"])
    prio = {p["code"]: p for p in view["priorities"]}
    by_id = {p["id"]: p["code"] for p in view["priorities"]}
    projects = operating_firms(db)
    cache: dict[str, dict[str, dict[int, float]]] = {}

    def exports_of(priority: str | None, firms: list[str]) -> dict[str, dict[int, float]]:
        key = priority or ""
        if key not in cache:
            p = prio.get(priority or "")
            scope = monitor.Scope(
                region=prog["region"],
                definition=prog["definition"],
                hs=tuple(p["hs_codes"]) if p else (),
                partners=tuple(p["markets"]) if p else (),
            )
            cache[key] = _firm_months(ws, scope, year, firms)
        return cache[key]

    out: dict[str, dict[str, Any]] = {}

    def walk(node: dict[str, Any], priority: str | None, period: str | None) -> None:
        priority = node["priority"] or priority
        period = node["period"] or period
        got = progress.get(node["code"], {})
        if got.get("measured"):
            mine = [
                x for x in projects if priority is None or by_id.get(x["priority_id"]) == priority
            ]
            since: dict[str, tuple[int, int]] = {}
            for x in mine:
                start = _sh_month(x["since"])
                since[x["firm"]] = min(since.get(x["firm"], start), start)
            months = [m for m in months_of(period) if m <= int(got.get("through") or 0)]
            values = exports_of(priority, sorted(since))
            total = 0.0
            for firm, start in since.items():
                total += sum(
                    v for m, v in values.get(firm, {}).items() if m in months and (year, m) >= start
                )
            out[node["code"]] = {
                "from_investment_usd": total,
                "projects": sorted(x["code"] for x in mine),
                "firms": sorted(since),
            }
        for c in node["children"]:
            walk(c, priority, period)

    walk(view["targets"], None, None)
    return out
