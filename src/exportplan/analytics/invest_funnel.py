"""The investment funnel as of a day: projects and capex by current stage (with and without
estimated capex, the fDi Markets toggle), stage-to-stage conversion (overall and by the
Solar Hijri quarter a stage was entered), time in stage, and dormant projects (no interaction
for N days). Pure functions on plain rows; the stage a project is at on a day is the last
stage-log entry up to that day (Data Hub's stage log, docs/investment.md).
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from dataclasses import dataclass, field
from typing import Any

import jdatetime

from exportplan.domain import INVEST_STAGES

__all__ = [
    "ProjectRow",
    "conversion",
    "conversion_by_quarter",
    "dormant",
    "funnel",
    "stage_on",
    "time_in_stage",
]

CLOSED = ("lost", "abandoned")


@dataclass(frozen=True)
class ProjectRow:
    """What the funnel reads of a project: its log as (day, stage) in order."""

    code: str
    created: dt.date
    stage: str
    status: str
    capex_usd: float | None
    capex_is_estimate: bool
    log: tuple[tuple[dt.date, str], ...] = ()
    last_interaction: dt.date | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def stage_on(p: ProjectRow, day: dt.date) -> str | None:
    """The stage ``p`` was at on ``day`` (None before it was created): its last log entry up
    to ``day``; its stage now when it has no log."""
    if p.created > day:
        return None
    if not p.log:
        return p.stage
    entries = [s for d, s in p.log if d <= day]
    return entries[-1] if entries else INVEST_STAGES[0]


def _reached(p: ProjectRow, day: dt.date) -> int:
    """The furthest stage ``p`` had reached by ``day`` (a project logged at a stage has passed
    the earlier ones)."""
    now = stage_on(p, day)
    if now is None:
        return -1
    idx = [INVEST_STAGES.index(s) for d, s in p.log if d <= day] + [INVEST_STAGES.index(now)]
    return max(idx)


def funnel(projects: list[ProjectRow], as_of: dt.date) -> dict[str, Any]:
    """Counts and capex by the stage each project was at on ``as_of`` (every status), and the
    same for ongoing projects; capex without estimates leaves out estimated figures."""
    by: dict[str, int] = dict.fromkeys(INVEST_STAGES, 0)
    capex: dict[str, float] = dict.fromkeys(INVEST_STAGES, 0.0)
    firm: dict[str, float] = dict.fromkeys(INVEST_STAGES, 0.0)
    ongoing: dict[str, int] = dict.fromkeys(INVEST_STAGES, 0)
    ongoing_capex: dict[str, float] = dict.fromkeys(INVEST_STAGES, 0.0)
    for p in projects:
        s = stage_on(p, as_of)
        if s is None:
            continue
        by[s] += 1
        value = p.capex_usd or 0.0
        capex[s] += value
        if not p.capex_is_estimate:
            firm[s] += value
        if p.status == "ongoing":
            ongoing[s] += 1
            ongoing_capex[s] += value
    return {
        "projects_by_stage": by,
        "capex_by_stage_usd": capex,
        "capex_by_stage_usd_excluding_estimates": firm,
        "ongoing_projects_by_stage": ongoing,
        "ongoing_capex_by_stage_usd": ongoing_capex,
    }


def conversion(projects: list[ProjectRow], as_of: dt.date) -> dict[str, dict[str, Any]]:
    """For each stage and the next: how many projects had reached the stage by ``as_of``, how
    many of them the next one, and the share (None when none reached the stage)."""
    out: dict[str, dict[str, Any]] = {}
    reached = [_reached(p, as_of) for p in projects]
    for i, (a, b) in enumerate(itertools.pairwise(INVEST_STAGES)):
        n = sum(r >= i for r in reached)
        m = sum(r >= i + 1 for r in reached)
        out[f"{a}->{b}"] = {"reached": n, "reached_next": m, "rate": m / n if n else None}
    return out


def sh_quarter(day: dt.date) -> str:
    """A day's Solar Hijri quarter as ``1404-Q2``."""
    j = jdatetime.date.fromgregorian(date=day)
    return f"{j.year}-Q{(j.month - 1) // 3 + 1}"


def conversion_by_quarter(projects: list[ProjectRow], as_of: dt.date) -> list[dict[str, Any]]:
    """Per quarter a project ENTERED a stage (its stage-log entry), how many of those entrants
    had reached the next stage by ``as_of``; projects with no log entry into a stage (imported
    past it) are in the overall :func:`conversion` only."""
    cells: dict[tuple[str, str], list[int]] = {}
    for p in projects:
        top = _reached(p, as_of)
        for d, s in p.log:
            i = INVEST_STAGES.index(s)
            if d > as_of or i == len(INVEST_STAGES) - 1:
                continue
            cell = cells.setdefault((sh_quarter(d), s), [0, 0])
            cell[0] += 1
            cell[1] += top >= i + 1
    return [
        {
            "quarter": q,
            "from": s,
            "to": INVEST_STAGES[INVEST_STAGES.index(s) + 1],
            "entered": n,
            "reached_next": m,
            "rate": m / n,
        }
        for (q, s), (n, m) in sorted(
            cells.items(), key=lambda kv: (kv[0][0], INVEST_STAGES.index(kv[0][1]))
        )
    ]


def time_in_stage(projects: list[ProjectRow], as_of: dt.date) -> dict[str, dict[str, Any]]:
    """Days spent in each stage: completed stays (entered and left by ``as_of``) and the
    current stays' age, their medians (None when there is none)."""
    done: dict[str, list[int]] = {s: [] for s in INVEST_STAGES}
    open_: dict[str, list[int]] = {s: [] for s in INVEST_STAGES}
    for p in projects:
        log = [(d, s) for d, s in p.log if d <= as_of]
        for (d, s), (d2, _s2) in itertools.pairwise(log):
            done[s].append((d2 - d).days)
        if log:
            open_[log[-1][1]].append((as_of - log[-1][0]).days)
    return {
        s: {
            "completed": len(done[s]),
            "median_days": statistics.median(done[s]) if done[s] else None,
            "current": len(open_[s]),
            "median_days_current": statistics.median(open_[s]) if open_[s] else None,
        }
        for s in INVEST_STAGES
    }


def dormant(projects: list[ProjectRow], as_of: dt.date, *, days: int) -> list[str]:
    """Projects open on ``as_of`` (not operating, lost or abandoned) whose last interaction
    (or, with none, their creation) is more than ``days`` days before it; idempotent: a
    project's own status (already ``dormant`` or not) does not enter the rule."""
    out = []
    for p in projects:
        s = stage_on(p, as_of)
        if s is None or s == "operating" or p.status in CLOSED:
            continue
        last = max(p.last_interaction or p.created, p.created)
        if (as_of - last).days > days:
            out.append(p.code)
    return sorted(out)
