"""The zones' value rules shared by single edits and the imports: days (Solar Hijri on input),
codes and areas, each refusal a :class:`~exportplan.errors.ZoneRuleError` naming its field."""

from __future__ import annotations

import datetime as dt
import math
import re

import jdatetime

from exportplan.errors import ZoneRuleError
from exportplan.reference.calendar import PeriodError, parse_period
from exportplan.reference.text import digits


def sh_text(d: dt.date) -> str:
    """A day in Solar Hijri, as typed on input (1404/05/02)."""
    j = jdatetime.date.fromgregorian(date=d)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"


_SH_DAY = re.compile(r"(1[2-5]\d\d)/(\d{1,2})/(\d{1,2})")


def day(value: object, field: str) -> dt.date:
    """A Solar Hijri day (``1403/05/02``; ISO ``2024-07-23`` and spreadsheet dates are
    accepted too); a day that does not exist (``1403/12/31`` in a common year) is refused,
    saying why."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = digits(str(value)).strip()
    m = _SH_DAY.fullmatch(text)
    if m is not None:
        y, mo, dd = (int(g) for g in m.groups())
        if not 1 <= mo <= 12:
            raise ZoneRuleError(
                field,
                "{field}: {value!r} is not a day: there is no month {month}",
                field=field,
                value=text,
                month=mo,
            )
        length = jdatetime.j_days_in_month[mo - 1] + (
            1 if mo == 12 and jdatetime.date(y, 1, 1).isleap() else 0
        )
        if not 1 <= dd <= length:
            raise ZoneRuleError(
                field,
                "{field}: {value!r} is not a day: month {month} of {year} has {days} days",
                field=field,
                value=text,
                month=mo,
                year=str(y),
                days=length,
            )
    try:
        p = parse_period(text)
    except PeriodError as exc:
        raise ZoneRuleError(
            field, "{field}: {value!r} is not a day ({why})", field=field, value=text, why=str(exc)
        ) from exc
    d = p.gregorian_date()
    if d is None:
        raise ZoneRuleError(
            field,
            "{field}: {value!r} is not a day (give year/month/day)",
            field=field,
            value=text,
        )
    return d


def optional_day(value: object, field: str) -> dt.date | None:
    """A day, or None for a blank (a step that has not happened)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return day(value, field)


def code(value: object, field: str = "code") -> str:
    c = digits(str(value if value is not None else "")).strip()
    if not c or len(c) > 40 or any(ch.isspace() for ch in c):
        raise ZoneRuleError(
            field,
            "{field} {value!r} must be 1-40 characters without spaces",
            field=field,
            value=c,
        )
    return c


def area(value: object, field: str) -> float:
    """An area in m², positive and finite."""
    try:
        a = float(digits(str(value)).replace("٬", "").replace(",", "").replace("٫", ".").strip())
    except ValueError:
        raise ZoneRuleError(
            field,
            "{field}: {value!r} is not a number of square metres",
            field=field,
            value=str(value),
        ) from None
    if not math.isfinite(a) or a <= 0 or a > 1e9:
        raise ZoneRuleError(
            field,
            "{field}: {value!r} must be a positive area up to 1e9 m²",
            field=field,
            value=str(value),
        )
    return a
