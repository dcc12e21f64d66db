"""The "acceptable pace" of an industrial zone as numbers (issue 18), in calendar days:
``days_to_decision`` (decision day minus submission day, over applications allotted or
rejected), ``days_to_contract`` (contract day minus decision day, over allotted applications
with a contract), their median and 90th percentile (linear interpolation between closest
ranks: Hyndman and Fan's type 7, numpy's default), ``share_allotted_area`` (area allotted,
contracted, under construction, operating or idle over the zone's plot area), ``idle_plots``
(construction-start deadline passed on the day asked, no construction start recorded by then),
the backlog by Solar Hijri month (applications submitted and not yet allotted or rejected at
the month's end; a waitlisted one is still waiting), decisions per month, readiness (share of
vacant area with every service ready) and deadline risk (a deadline in the next 90 days with
its milestone not reached). Pure functions of plain records; docs/zones.md defines each.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import jdatetime

from exportplan.domain import ALLOTTED_STATES

DECIDING = ("allot", "reject")


@dataclass(frozen=True)
class AppDates:
    """An application's days: submitted, decided (with the decision), contract signed."""

    ref: str
    submitted: dt.date
    decided: dt.date | None = None
    decision: str | None = None
    contract: dt.date | None = None


@dataclass(frozen=True)
class ContractDates:
    """A contract's plot, signature, deadlines and the milestones reached (None: not yet)."""

    plot: str
    signed: dt.date
    construction_deadline: dt.date
    construction_started: dt.date | None = None
    completion_deadline: dt.date | None = None
    completed: dt.date | None = None
    operation_deadline: dt.date | None = None
    operating: dt.date | None = None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) by linear interpolation between closest ranks (type 7);
    None for no values."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return float(xs[lo] + (xs[hi] - xs[lo]) * (pos - lo))


def days_to_decision(apps: Iterable[AppDates], *, as_of: dt.date) -> list[int]:
    """Days from submission to an allotment or a rejection decided on or before ``as_of``."""
    return [
        (a.decided - a.submitted).days
        for a in apps
        if a.decided is not None and a.decision in DECIDING and a.decided <= as_of
    ]


def days_to_contract(apps: Iterable[AppDates], *, as_of: dt.date) -> list[int]:
    """Days from an allotment to its contract, signed on or before ``as_of``."""
    return [
        (a.contract - a.decided).days
        for a in apps
        if a.decision == "allot"
        and a.decided is not None
        and a.contract is not None
        and a.contract <= as_of
    ]


def share_allotted_area(areas_by_status: dict[str, float]) -> float | None:
    """Area in :data:`~exportplan.domain.ALLOTTED_STATES` over the total; None for no area."""
    total = sum(areas_by_status.values())
    if total <= 0:
        return None
    return sum(areas_by_status.get(s, 0.0) for s in ALLOTTED_STATES) / total


def idle_plots(contracts: Iterable[ContractDates], *, as_of: dt.date) -> list[str]:
    """Plots whose construction-start deadline is before ``as_of`` with no construction start
    recorded on or before it (contracts signed by then), in code order."""
    return sorted(
        {
            c.plot
            for c in contracts
            if c.signed <= as_of
            and c.construction_deadline < as_of
            and (c.construction_started is None or c.construction_started > as_of)
        }
    )


def month_end(year: int, month: int) -> dt.date:
    """The last day of a Solar Hijri month, as a Gregorian date."""
    ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
    first_next: dt.date = jdatetime.date(ny, nm, 1).togregorian()
    return first_next - dt.timedelta(days=1)


def sh_months(until: dt.date, count: int) -> list[tuple[int, int]]:
    """The ``count`` Solar Hijri months up to the one holding ``until``, oldest first."""
    j = jdatetime.date.fromgregorian(date=until)
    y, m = j.year, j.month
    out = []
    for _ in range(count):
        out.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def waiting_on(apps: Iterable[AppDates], day: dt.date) -> int:
    """Applications submitted on or before ``day`` and not allotted or rejected by then."""
    return sum(
        1
        for a in apps
        if a.submitted <= day
        and not (a.decided is not None and a.decision in DECIDING and a.decided <= day)
    )


def backlog_by_month(
    apps: Sequence[AppDates], months: Sequence[tuple[int, int]], *, as_of: dt.date
) -> list[dict[str, object]]:
    """For each month: the applications waiting at its end (at ``as_of`` for the current
    month) and the decisions (allot or reject) made in it."""
    out: list[dict[str, object]] = []
    for y, m in months:
        end = min(month_end(y, m), as_of)
        start: dt.date = jdatetime.date(y, m, 1).togregorian()
        decided = sum(
            1
            for a in apps
            if a.decided is not None and a.decision in DECIDING and start <= a.decided <= end
        )
        out.append(
            {"month": f"{y:04d}-{m:02d}", "waiting": waiting_on(apps, end), "decisions": decided}
        )
    return out


def readiness(vacant: Iterable[tuple[float, bool]]) -> float | None:
    """Share of vacant area (area, all services ready) that has every service; None if no
    vacant area."""
    items = list(vacant)
    total = sum(a for a, _ in items)
    if total <= 0:
        return None
    return sum(a for a, ready in items if ready) / total


def deadline_risk(
    contracts: Iterable[ContractDates], *, as_of: dt.date, days: int = 90
) -> list[dict[str, object]]:
    """Contracts with a deadline in (``as_of``, ``as_of`` + ``days``] whose milestone is not
    reached by ``as_of``: plot, which deadline, its day."""
    horizon = as_of + dt.timedelta(days=days)
    out: list[dict[str, object]] = []
    for c in contracts:
        for kind, deadline, reached in (
            ("construction_start", c.construction_deadline, c.construction_started),
            ("completion", c.completion_deadline, c.completed),
            ("operation", c.operation_deadline, c.operating),
        ):
            if deadline is None or not (as_of < deadline <= horizon):
                continue
            if reached is not None and reached <= as_of:
                continue
            out.append({"plot": c.plot, "deadline": kind, "day": deadline})
    return sorted(out, key=lambda r: (str(r["day"]), str(r["plot"])))
