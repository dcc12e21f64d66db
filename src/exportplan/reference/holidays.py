"""Iranian working days: Fridays off, Thursdays off unless said, and the official holidays of a
shipped table (``data/iran_holidays.csv``, with its source), counted between two days.

Lunar (Hijri) holidays move about eleven days earlier every Solar Hijri year and depend on the
moon's sighting, so they are data, never computed: a year the table does not cover is counted
with weekends only, and every count that touches it says so (:attr:`WorkingDays.missing_years`,
"holidays unknown for 1406: counted as working days").
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import jdatetime

__all__ = [
    "Holiday",
    "WorkingDays",
    "covered_years",
    "holiday_table",
    "working_days",
]

FRIDAY, THURSDAY = 4, 3  # date.weekday()


@dataclass(frozen=True)
class Holiday:
    """One official holiday: its day, Solar Hijri text, kind (solar, lunar, special), whether
    the source still estimates it, and its English name."""

    day: dt.date
    sh_date: str
    kind: str
    estimated: bool
    name: str


@cache
def holiday_table() -> tuple[Holiday, ...]:
    """The shipped table (comment lines, starting ``#``, carry its source)."""
    text = files("exportplan.reference").joinpath("data", "iran_holidays.csv").read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    out = []
    for r in csv.DictReader(lines):
        y, m, d = (int(x) for x in r["sh_date"].split("/"))
        day = jdatetime.date(y, m, d).togregorian()
        if day.isoformat() != r["gregorian"]:  # the two columns must agree
            raise ValueError(f"iran_holidays.csv: {r['sh_date']} is {day}, not {r['gregorian']}")
        out.append(Holiday(day, r["sh_date"], r["kind"], r["estimated"] == "yes", r["name_en"]))
    return tuple(out)


@cache
def covered_years() -> frozenset[int]:
    """The Solar Hijri years the table covers."""
    return frozenset(int(h.sh_date[:4]) for h in holiday_table())


@dataclass(frozen=True)
class WorkingDays:
    """Counts working days with a holiday set (the shipped table by default) and the Thursday
    rule; :attr:`missing_years` collects the Solar Hijri years counted without holidays."""

    holidays: frozenset[dt.date]
    years: frozenset[int]
    thursday_working: bool = False

    def is_working(self, day: dt.date) -> bool:
        wd = day.weekday()
        if wd == FRIDAY or (wd == THURSDAY and not self.thursday_working):
            return False
        return day not in self.holidays

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end`` is
        ``start`` or earlier): an enquiry received on Saturday and answered on Sunday took 1."""
        n, d = 0, start + dt.timedelta(days=1)
        while d <= end:
            n += self.is_working(d)
            d += dt.timedelta(days=1)
        return n

    def add(self, start: dt.date, days: int) -> dt.date:
        """The day on which ``days`` working days after ``start`` have passed."""
        d, left = start, days
        while left > 0:
            d += dt.timedelta(days=1)
            left -= self.is_working(d)
        return d

    def missing_years(self, start: dt.date, end: dt.date) -> list[int]:
        """The Solar Hijri years between the two days that the holiday set does not cover."""
        first = jdatetime.date.fromgregorian(date=min(start, end)).year
        last = jdatetime.date.fromgregorian(date=max(start, end)).year
        return [y for y in range(first, last + 1) if y not in self.years]


def working_days(
    *, thursday_working: bool = False, holidays: list[Holiday] | None = None
) -> WorkingDays:
    """A counter over ``holidays`` (default: the shipped table), its years the covered ones."""
    table = holiday_table() if holidays is None else tuple(holidays)
    years = covered_years() if holidays is None else frozenset(int(h.sh_date[:4]) for h in table)
    return WorkingDays(frozenset(h.day for h in table), years, thursday_working)
