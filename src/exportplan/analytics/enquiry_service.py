"""Enquiry service as of a day (the World Bank GIPB's measure made internal): days from receipt
to the first substantive response, in calendar days and in working days (Fridays, Thursdays
unless said, and the holiday table off); the share answered within a target of working days;
those never answered; by agency and channel. Pure functions over plain rows.

An enquiry is *judged* once it is answered or its target has passed: the share within target
is ``answered within target / judged`` (an enquiry still inside its window is not counted
either way); ``unanswered`` lists every enquiry with no response by the day.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

from exportplan.reference.holidays import WorkingDays

__all__ = ["EnquiryRow", "countdown", "service"]


@dataclass(frozen=True)
class EnquiryRow:
    """An enquiry: its reference (the project's id, or ``ENQ-<n>``), days and grouping."""

    ref: str
    received: dt.date
    responded: dt.date | None
    agency: str = ""
    channel: str = ""


def countdown(received: dt.date, as_of: dt.date, wd: WorkingDays, target: int) -> int:
    """Working days left to the target on ``as_of`` (0 on the last day, negative when
    overdue by that many working days)."""
    return target - wd.between(received, as_of)


def _group(rows: list[EnquiryRow], as_of: dt.date, wd: WorkingDays, target: int) -> dict[str, Any]:
    seen = [r for r in rows if r.received <= as_of]
    answered = [r for r in seen if r.responded is not None and r.responded <= as_of]
    cal = [(r.responded - r.received).days for r in answered if r.responded]
    work = [wd.between(r.received, r.responded) for r in answered if r.responded]
    within = sum(w <= target for w in work)
    late_open = [r for r in seen if r not in answered and wd.between(r.received, as_of) > target]
    judged = len(answered) + len(late_open)
    return {
        "enquiries": len(seen),
        "answered": len(answered),
        "median_days_to_first_response": statistics.median(cal) if cal else None,
        "median_working_days_to_first_response": statistics.median(work) if work else None,
        "answered_within_target": within,
        "judged": judged,
        "share_answered_within_target": within / judged if judged else None,
        "unanswered": sorted(r.ref for r in seen if r not in answered),
        "overdue": sorted(r.ref for r in late_open),
        "share_never_answered": (len(seen) - len(answered)) / len(seen) if seen else None,
    }


def service(
    rows: list[EnquiryRow], as_of: dt.date, wd: WorkingDays, *, target: int
) -> dict[str, Any]:
    """The figures over every enquiry received by ``as_of``, by agency and by channel, and
    the Solar Hijri years the count could not take holidays for."""
    out = _group(rows, as_of, wd, target)
    out["target_working_days"] = target
    for key in ("agency", "channel"):
        groups: dict[str, list[EnquiryRow]] = {}
        for r in rows:
            groups.setdefault(getattr(r, key) or "-", []).append(r)
        out[f"by_{key}"] = {
            k: {
                f: v
                for f, v in _group(g, as_of, wd, target).items()
                if f not in ("unanswered", "overdue")
            }
            for k, g in sorted(groups.items())
        }
    seen = [r for r in rows if r.received <= as_of]
    first = min((r.received for r in seen), default=as_of)
    out["holidays_unknown_years"] = wd.missing_years(first, as_of)
    return out
