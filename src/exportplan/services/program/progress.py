"""How far each node of a program's target tree has come: achieved to date against its target
(the warehouse's exports of the node's slice), its share, what is needed per remaining month,
and whether it is behind its monthly path (the seasonal profile of earlier years,
:mod:`exportplan.analytics.target_path`).

A node is measured when it names a slice of the province's exports: the total, a node for a
priority (its HS codes to its markets) or a period (its months), or one below such a node. A
node that only names an agency under its parent is not: which agency's work an export came
from is not in the data, so it is shown without a figure and says why."""

from __future__ import annotations

from typing import Any

import numpy as np

from exportplan.analytics.target_path import due_by, seasonal_profile
from exportplan.services.program.dossier import show
from exportplan.store.program.db import ProgramDB

__all__ = ["NOT_MEASURED", "NO_SLICE", "months_of", "tree_progress"]

NOT_MEASURED = "an agency's share of its parent's exports is not in the data"
NO_SLICE = "it names no priority or period: no slice of the data to measure"


def months_of(period: str | None) -> list[int]:
    """The months (1-12) of a node's period: a month, a quarter, or the whole year."""
    if not period:
        return list(range(1, 13))
    tail = period[5:]
    if tail.startswith("Q"):
        q = int(tail[1])
        return [3 * q - 2, 3 * q - 1, 3 * q]
    return [int(tail)]


def tree_progress(
    ws: Any, db: ProgramDB, program_id: int, *, view: dict[str, Any] | None = None
) -> dict[str, dict[str, Any]]:
    """Each node's progress by code: ``measured`` (else ``why``), ``achieved_usd``, ``share``
    (of its target), ``needed_per_month_usd`` (over the node's months after the data's last),
    ``due_usd`` (its path to date), ``behind``, ``through`` (the last month with data),
    ``profile_years`` (the years its path comes from; empty: an even path). ``view``: the
    program as :func:`~exportplan.services.program.dossier.show` gave it, if read already."""
    from exportplan.services import monitor

    view = view or show(db, program_id)
    prog = view["program"]
    year = int(prog["sh_year"])
    slices = {p["code"]: (tuple(p["hs_codes"]), tuple(p["markets"])) for p in view["priorities"]}
    keys = [((), ()), *dict.fromkeys(slices.values())]
    scopes = [
        monitor.Scope(region=prog["region"], definition=prog["definition"], hs=h, partners=m)
        for h, m in keys
    ]
    series = dict(zip(keys, monitor.monthly_many(ws, scopes), strict=True))

    def monthly(key: tuple[tuple[str, ...], tuple[str, ...]]) -> dict[int, np.ndarray]:
        return series[key]

    out: dict[str, dict[str, Any]] = {}

    def walk(node: dict[str, Any], key: tuple[Any, ...], period: str | None) -> None:
        # measured: the total, or a node naming its own slice (a priority, a period); a node
        # naming only an agency (or nothing) is a part of its parent's slice
        measured = node["code"] == "TOTAL" or bool(node["priority"]) or bool(node["period"])
        if node["priority"]:
            key = slices.get(node["priority"], ((), ()))
        period = node["period"] or period
        out[node["code"]] = _progress(node, monthly(key), year, period, measured)
        for c in node["children"]:
            walk(c, key, period)

    walk(view["targets"], ((), ()), None)
    return out


def _progress(
    node: dict[str, Any], years: dict[int, np.ndarray], year: int, period: str | None,
    measured: bool,
) -> dict[str, Any]:  # fmt: skip
    if not measured:
        return {"measured": False, "why": NOT_MEASURED if node["agency"] else NO_SLICE}
    months = months_of(period)
    this = years.get(year)
    target = float(node["value_usd"])
    if this is None:
        through, achieved = 0, 0.0
    else:
        have = [m for m in range(1, 13) if not np.isnan(this[m - 1])]
        through = max(have) if have else 0
        achieved = float(sum(this[m - 1] for m in months if m <= through))
    profile, used = seasonal_profile(years, before=year)
    due = due_by(target, profile, months, through)
    left = [m for m in months if m > through]
    gap = max(target - achieved, 0.0)
    return {
        "measured": True,
        "achieved_usd": achieved,
        "share": achieved / target if target > 0 else None,
        "needed_per_month_usd": gap / len(left) if left else None,
        "months_left": len(left),
        "due_usd": due,
        "behind": through >= min(months) and achieved < due,
        "through": through,
        "profile_years": used,
    }
