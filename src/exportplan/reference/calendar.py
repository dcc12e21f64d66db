"""The two calendars: Solar Hijri (Iranian official) and Gregorian.

The Iranian year starts at Nowruz (1 Farvardin, about 21 March); months 1-6 have 31 days,
7-11 have 30, Esfand has 29 or 30 (leap years: 1403 is leap, 1404 is not). Conversions use
``jdatetime`` (khayyam gets leap years wrong and is not used).

Periods in files come as ``1402/12/29`` (a day), ``1402/12`` (a month), ``1402`` (a year),
or Gregorian ``2024-03-19`` / ``2024/03``; a year above 1700 is Gregorian, below is Solar Hijri.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

import jdatetime

from exportplan.reference.text import digits

MONTHS_FA = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
MONTHS_EN = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)

#: Gregorian months as an English page abbreviates them (fixed: not the server's locale)
GREGORIAN_MONTHS_EN = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)

_PERIOD = re.compile(r"^\s*(\d{4})(?:\s*[/\-.]\s*(\d{1,2}))?(?:\s*[/\-.]\s*(\d{1,2}))?\s*$")


class PeriodError(ValueError):
    """A period string that is not a real date or month."""


@dataclass(frozen=True)
class Period:
    """A parsed period: calendar ``"sh"`` or ``"g"``, year, month (or None), day (or None)."""

    calendar: str
    year: int
    month: int | None
    day: int | None

    def sh_year_month(self) -> tuple[int, int | None]:
        """Solar Hijri (year, month) of this period (month None for a bare year)."""
        if self.calendar == "sh":
            return self.year, self.month
        if self.month is None:
            raise PeriodError("a Gregorian year does not fall in one Solar Hijri year")
        d = dt.date(self.year, self.month, self.day or 1)
        j = jdatetime.date.fromgregorian(date=d)
        if self.day is None:
            raise PeriodError(
                f"Gregorian month {self.year}-{self.month:02d} spans two Solar Hijri months; "
                "give days or Solar Hijri months"
            )
        return j.year, j.month

    def gregorian_date(self) -> dt.date | None:
        if self.day is None or self.month is None:
            return None
        if self.calendar == "g":
            return dt.date(self.year, self.month, self.day)
        g: dt.date = jdatetime.date(self.year, self.month, self.day).togregorian()
        return g


def sh_month_length(year: int, month: int) -> int:
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if jdatetime.date(year, 1, 1).isleap() else 29


def parse_period(raw: str) -> Period:
    """Parse a period as written in files; raises :class:`PeriodError` with the reason."""
    s = digits(raw)
    m = _PERIOD.match(s)
    if not m:
        raise PeriodError(f"{raw!r} is not a date or month (expected like 1402/12/29 or 1402/12)")
    y = int(m.group(1))
    mo = int(m.group(2)) if m.group(2) else None
    d = int(m.group(3)) if m.group(3) else None
    cal = "g" if y > 1700 else "sh"
    if mo is not None and not 1 <= mo <= 12:
        raise PeriodError(f"{raw!r}: month {mo} does not exist")
    if d is not None and mo is not None:
        if cal == "sh":
            last = sh_month_length(y, mo)
            if not 1 <= d <= last:
                leap = " (not a leap year)" if mo == 12 and d == 30 else ""
                raise PeriodError(
                    f"{raw!r} does not exist in the Solar Hijri calendar: month {mo} of {y} "
                    f"has {last} days{leap}"
                )
        else:
            try:
                dt.date(y, mo, d)
            except ValueError as exc:
                raise PeriodError(f"{raw!r} does not exist in the Gregorian calendar") from exc
    return Period(cal, y, mo, d)


def sh_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """First and last Gregorian day of a Solar Hijri year."""
    start = jdatetime.date(year, 1, 1).togregorian()
    end = jdatetime.date(year + 1, 1, 1).togregorian() - dt.timedelta(days=1)
    return start, end


def calendar_rows(start: dt.date, end: dt.date) -> list[tuple[object, ...]]:
    """One row per day: date, Gregorian y/m/d/quarter, Solar Hijri y/m/d/quarter, SH day of year.

    Walks the Solar Hijri months (jdatetime once per month for the month's length, not once per
    day: a workspace's calendar of 93,000 days builds in a fraction of the time) and is cached,
    since every workspace gets the same table."""
    return list(_calendar(start, end))


@cache
def _calendar(start: dt.date, end: dt.date) -> tuple[tuple[object, ...], ...]:
    rows: list[tuple[object, ...]] = []
    j = jdatetime.date.fromgregorian(date=start)
    year, month = j.year, j.month
    first = start - dt.timedelta(days=j.day - 1)  # day 1 of start's Solar Hijri month
    one = dt.timedelta(days=1)
    while first <= end:
        days_before = (month - 1) * 31 if month <= 7 else 186 + (month - 7) * 30
        g = first
        for day in range(1, sh_month_length(year, month) + 1):
            if start <= g <= end:
                rows.append(
                    (
                        g,
                        g.year,
                        g.month,
                        g.day,
                        (g.month - 1) // 3 + 1,
                        year,
                        month,
                        day,
                        (month - 1) // 3 + 1,
                        days_before + day,
                    )
                )
            g += one
        first = g
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(rows)


CALENDAR_COLUMNS = (
    "date",
    "g_year",
    "g_month",
    "g_day",
    "g_quarter",
    "sh_year",
    "sh_month",
    "sh_day",
    "sh_quarter",
    "sh_yday",
)
