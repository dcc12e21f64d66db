"""Cells of a supplier registry or demand list file checked one by one: headers in English or
Persian, HS codes that lost their leading zeros, national ids and their checksum, Solar Hijri
dates that do not exist, certificates (``STANDARD until YYYY/MM/DD``), quantities.

Each check returns the clean value or raises :class:`CellError` with the reason, which the
parsers turn into a rejected row (file, row, column, value, reason).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from exportplan.ingest.files import CellNumber
from exportplan.reference.calendar import PeriodError, parse_period
from exportplan.reference.hs import VALID_CHAPTERS
from exportplan.reference.text import normalise, number_text


class CellError(ValueError):
    """A cell that cannot be used: the reason, in English (the label dictionary holds the
    Persian of the fixed part)."""


@dataclass(frozen=True)
class Reject:
    """A rejected row: where (row, column), what was there, and why."""

    row: int
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class CertSpec:
    """A certificate as a file declares it."""

    standard: str
    valid_from: dt.date | None
    valid_to: dt.date | None


def header_key(s: str) -> str:
    """A header as it is recognised: normalised, without spaces, ``_`` or ``-``."""
    return re.sub(r"[\s_\-]+", "", normalise(s))


def resolve_headers(cells: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Column index of each known column (by its English name or a Persian alias)."""
    wanted = {header_key(a): name for name, names in aliases.items() for a in (name, *names)}
    found: dict[str, int] = {}
    for j, c in enumerate(cells):
        name = wanted.get(header_key(str(c)))
        if name is not None and name not in found:
            found[name] = j
    return found


HS_LENGTHS = (4, 6, 8, 10)


def hs_code(raw: str) -> str:
    """An HS heading (4 digits), subheading (6) or national line (8 or 10), as text.

    A code that lost its leading zero (a spreadsheet typed it as a number) has an odd number
    of digits: refused, saying what it probably was, never padded silently."""
    s = normalise(str(raw))
    if isinstance(raw, CellNumber) and s.endswith(".0"):
        s = s[:-2]
    s = s.replace(".", "").replace(" ", "").replace("-", "")
    if not s:
        return ""
    if not s.isdigit():
        raise CellError(f"HS code has characters other than digits: {raw}")
    if len(s) % 2 == 1 and len(s) < 10:
        typed = " (the cell holds a number)" if isinstance(raw, CellNumber) else ""
        raise CellError(
            f"HS code must be 4, 6, 8 or 10 digits as text; got {s}{typed}; did you mean 0{s}? "
            "Excel drops leading zeros: format the column as text"
        )
    if len(s) not in HS_LENGTHS:
        raise CellError(f"HS code must be 4, 6, 8 or 10 digits; got {len(s)} digits ({s})")
    if s[:2] not in VALID_CHAPTERS:
        raise CellError(f"HS chapter {s[:2]} does not exist (code {s}); chapters are 01-97")
    if s[2:4] == "00":
        raise CellError(f"HS heading {s[:4]} does not exist; the nearest valid parent is {s[:2]}")
    return s


#: the 45 divisions of CPV 2008 (Regulation (EC) No 213/2008)
CPV_DIVISIONS = frozenset(
    [
        "03",
        "09",
        "14",
        "15",
        "16",
        "18",
        "19",
        "22",
        "24",
        "30",
        "31",
        "32",
        "33",
        "34",
        "35",
        "37",
        "38",
        "39",
        "41",
        "42",
        "43",
        "44",
        "45",
        "48",
        "50",
        "51",
        "55",
        "60",
        "63",
        "64",
        "65",
        "66",
        "70",
        "71",
        "72",
        "73",
        "75",
        "76",
        "77",
        "79",
        "80",
        "85",
        "90",
        "92",
        "98",
    ]
)


def cpv_code(raw: str) -> str:
    """A CPV 2008 code: 8 digits, its check digit after a dash allowed and dropped (the stem is
    what the hierarchy and the concordance use). A division that does not exist is refused."""
    s = normalise(str(raw)).replace(" ", "")
    if not s:
        return ""
    stem, _, check = s.partition("-")
    if (
        not stem.isdigit()
        or len(stem) != 8
        or (check and not (check.isdigit() and len(check) == 1))
    ):
        raise CellError(
            f"CPV code must be 8 digits, with its check digit after a dash or without; got {raw}"
        )
    if stem[:2] not in CPV_DIVISIONS:
        raise CellError(f"CPV division {stem[:2]} does not exist (code {stem})")
    return stem


_NID_WEIGHTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)


def national_id_ok(s: str) -> bool:
    """Whether an 11-digit legal entity id (شناسه ملی) passes its check digit."""
    if len(s) != 11 or not s.isdigit() or int(s[3:9]) == 0:
        return False
    d = [int(c) for c in s]
    add = d[9] + 2
    r = sum((d[i] + add) * w for i, w in enumerate(_NID_WEIGHTS)) % 11
    return (0 if r == 10 else r) == d[10]


def national_id(raw: str) -> str | None:
    s = normalise(str(raw)).replace(" ", "").replace("-", "")
    if isinstance(raw, CellNumber) and s.endswith(".0"):
        s = s[:-2]
    if not s:
        return None
    if not s.isdigit() or len(s) != 11:
        lost = " (leading zeros lost? format the column as text)" if len(s) < 11 else ""
        raise CellError(f"national id must be 11 digits; got {s!r}{lost}")
    if not national_id_ok(s):
        raise CellError(f"national id {s} fails its check digit (a typo?)")
    return s


def date(raw: str, *, what: str) -> dt.date:
    """A day in Solar Hijri (``1406/03/31``) or Gregorian (``2027-06-21``)."""
    s = normalise(str(raw))
    try:
        p = parse_period(s)
    except PeriodError as exc:
        raise CellError(f"{what}: {exc}") from None
    g = p.gregorian_date()
    if g is None:
        raise CellError(f"{what}: {s!r} is not a day (expected like 1406/03/31)")
    return g


def number(raw: str, *, what: str) -> float | None:
    s = number_text(normalise(str(raw)))
    if not s:
        return None
    try:
        v = float(s)
    except ValueError:
        raise CellError(f"{what} is not a number: {raw}") from None
    if v != v or v < 0 or v in (float("inf"),):
        raise CellError(f"{what} must be a positive number; got {raw}")
    return v


_STD_SPACE = re.compile(r"([A-Z]+)\s*(\d)")
_STD_YEAR = re.compile(r"[:\-]\s*(19|20)\d\d$")


def standard(raw: str) -> str:
    """A standard's name as compared: ``iso9001:2015`` -> ``ISO 9001``, ``api 6d`` ->
    ``API 6D``."""
    s = normalise(raw).upper().strip()
    s = _STD_YEAR.sub("", s).strip()
    s = _STD_SPACE.sub(r"\1 \2", s, count=1)
    return re.sub(r"\s+", " ", s)


_CERT = re.compile(
    r"^(?P<std>.+?)(?:\s+(?:from|از)\s+(?P<from>[\d/\-.]+))?\s+(?:until|to|تا)\s+(?P<to>[\d/\-.]+)$",
    re.IGNORECASE,
)


def certifications(raw: str) -> list[CertSpec]:
    """``API 6D until 1406/03/31; ISO 9001 from 1402/01/15 until 1405/12/29``; a standard
    without a date is kept without an end (its status is then unverified)."""
    out: list[CertSpec] = []
    for part in re.split(r"[;؛]", normalise(str(raw))):
        part = part.strip()
        if not part:
            continue
        m = _CERT.match(part)
        if m is None:
            if re.search(r"\d{4}/\d{1,2}/\d{1,2}", part):
                raise CellError(f"certificate {part!r} is not like 'API 6D until 1406/03/31'")
            out.append(CertSpec(standard(part), None, None))
            continue
        std = standard(m.group("std"))
        start = date(m.group("from"), what=f"{std} start") if m.group("from") else None
        end = date(m.group("to"), what=f"{std} end")
        if start is not None and end < start:
            raise CellError(
                f"certificate {std} ends ({m.group('to')}) before it starts ({m.group('from')})"
            )
        out.append(CertSpec(std, start, end))
    return out


def standards(raw: str) -> list[str]:
    """A ``;``-separated list of required standards."""
    return [standard(p) for p in re.split(r"[;؛,]", normalise(str(raw))) if p.strip()]
