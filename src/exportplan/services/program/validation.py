"""The program's value rules shared by single edits and the workbook import: dates (Solar
Hijri or ISO), HS codes, markets, codes and periods, each refusal naming the field it is about.

Dates are accepted in the Solar Hijri calendar (``1404/05/01``) or ISO Gregorian
(``2025-07-23``) and stored as Gregorian dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import jdatetime

from exportplan.errors import ExportPlanError, InputError
from exportplan.reference import countries
from exportplan.reference.calendar import PeriodError, parse_period
from exportplan.reference.hs import hs_prefix

ROOT = "TOTAL"


class RuleError(InputError):
    """A value a rule refuses; ``field`` names what it is about ("deadline", "markets"), so
    the workbook import can name the column."""

    def __init__(self, field: str, message: str, *, hint: str = "") -> None:
        self.field = field
        super().__init__(message, hint=hint)


def parse_date(text: str | dt.date, what: str) -> dt.date:
    """A Solar Hijri (1404/05/01) or Gregorian (2025-07-23) day; one that does not exist is an
    error that says why."""
    if isinstance(text, dt.date):
        return text
    try:
        p = parse_period(str(text))
    except PeriodError as exc:
        raise RuleError(what, f"{what}: {exc}") from exc
    d = p.gregorian_date()
    if d is None:
        raise RuleError(what, f"{what}: {text!r} is not a day (give year/month/day)")
    return d


def sh_text(d: dt.date) -> str:
    j = jdatetime.date.fromgregorian(date=d)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"


def clean_hs_list(
    codes: Iterable[str], what: str = "HS codes", *, field: str = "hs_codes"
) -> list[str]:
    out: list[str] = []
    for raw in codes:
        for part in str(raw).replace(",", " ").split():
            if len(part) in (8, 10) and part.isdigit():
                out.append(part)  # national tariff lines are kept as given
                continue
            try:
                out.append(hs_prefix(part, where=f"{what}: "))
            except ExportPlanError as exc:
                raise RuleError(field, exc.message, hint=exc.hint) from exc
    if not out:
        raise RuleError(field, f"{what}: at least one HS code is needed")
    return sorted(set(out))


def clean_markets(
    names: Iterable[str], what: str = "markets", *, field: str = "markets"
) -> list[str]:
    """ISO3 codes of markets given as codes or names (English or Persian); an unknown one is
    an error with the nearest known name."""
    out: list[str] = []
    for part in names:
        iso = countries.lookup(part)
        if iso is None:
            hint = countries.suggest(part)
            raise RuleError(
                field,
                f"{what}: unknown country {part!r}" + (f"; did you mean {hint}?" if hint else ""),
            )
        out.append(iso)
    if not out:
        raise RuleError(field, f"{what}: at least one market is needed")
    return sorted(set(out))


def markets_list(raw: Iterable[str] | str, *, field: str = "markets") -> list[str]:
    """Markets as written: separated by commas, or ISO3 codes separated by spaces (names may
    hold spaces: 'United Arab Emirates')."""
    parts = raw.split(",") if isinstance(raw, str) else [str(x) for x in raw]
    out: list[str] = []
    for p in (x.strip() for x in parts):
        if not p:
            continue
        toks = p.split()
        if len(toks) > 1 and all(len(t) == 3 and t.isalpha() and t.isupper() for t in toks):
            out.extend(toks)
        else:
            out.append(p)
    return clean_markets(out, field=field)


def check_code(code: str, what: str) -> str:
    """A code as the store keeps it: 1-40 characters without spaces."""
    c = code.strip()
    if not c or len(c) > 40 or any(ch.isspace() for ch in c):
        raise RuleError("code", f"{what} code {code!r} must be 1-40 characters without spaces")
    return c


def check_period(period: str | None, year: int) -> str | None:
    """A Solar Hijri month (``1404-05``) or quarter (``1404-Q2``) of the program's year, in
    the store's spelling; None for no period."""
    if period is None or period == "":
        return None
    p = period.strip().upper()
    if len(p) == 7 and p[4] == "-" and p[5] == "Q" and p[6] in "1234" and p[:4].isdigit():
        if int(p[:4]) != year:
            raise RuleError("period", f"period {period!r} is not in the program's year {year}")
        return p
    try:
        parsed = parse_period(p)
    except PeriodError as exc:
        raise RuleError("period", f"period: {exc}") from exc
    if parsed.calendar != "sh" or parsed.month is None or parsed.day is not None:
        raise RuleError(
            "period",
            f"period {period!r} must be a Solar Hijri month (1404-05) or quarter (1404-Q2)",
        )
    if parsed.year != year:
        raise RuleError("period", f"period {period!r} is not in the program's year {year}")
    return f"{parsed.year:04d}-{parsed.month:02d}"
