"""The Harmonized System: codes, their hierarchy, and cleaning codes as files write them.

Hierarchy: section (I-XXI) > chapter (HS2) > heading (HS4) > subheading (HS6) > national
tariff line (8 or 10 digits in Iran). Section and chapter names are in ``data/``; heading and
subheading names come from the user's files (BACI ``product_codes_*.csv``, a tariff file).

A code that lost its leading zero (Excel, type inference: ``80810`` for ``080810``) has an odd
number of digits; :func:`clean_code` pads it with one zero **and says so**, never silently.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from exportplan.errors import InputError
from exportplan.reference.text import digits

VALID_CHAPTERS = frozenset(f"{c:02d}" for c in range(1, 98) if c != 77)


@dataclass(frozen=True)
class CleanCode:
    code: str | None
    padded: bool
    problem: str | None


def clean_code(raw: str) -> CleanCode:
    """Digits of an HS code, padded if a leading zero was lost; a problem message if unusable."""
    s = digits(raw).strip()
    if s.endswith(".0") and s[:-2].isdigit():  # a number written by a spreadsheet
        s = s[:-2]
    s = s.replace(".", "").replace(" ", "").replace("-", "")
    if not s:
        return CleanCode(None, False, "empty HS code")
    if not s.isdigit():
        return CleanCode(None, False, "HS code has characters other than digits")
    padded = False
    if len(s) % 2 == 1:
        s = "0" + s
        padded = True
    if len(s) < 6:
        return CleanCode(None, padded, f"HS code has {len(s)} digits; at least 6 are needed")
    if len(s) > 10:
        return CleanCode(None, padded, f"HS code has {len(s)} digits; at most 10 are allowed")
    if s[:2] not in VALID_CHAPTERS:
        return CleanCode(None, padded, f"HS chapter {s[:2]} does not exist")
    return CleanCode(s, padded, None)


@cache
def sections() -> tuple[dict[str, str], ...]:
    text = files("exportplan.reference").joinpath("data", "hs_sections.csv").read_text("utf-8")
    return tuple(csv.DictReader(text.splitlines()))


@cache
def chapters() -> dict[str, str]:
    text = files("exportplan.reference").joinpath("data", "hs_chapters.csv").read_text("utf-8")
    return {r["chapter"]: r["name_en"] for r in csv.DictReader(text.splitlines())}


def section_of(code: str) -> str:
    """Roman numeral of the HS section of a code (at least two digits)."""
    ch = int(code[:2])
    for s in sections():
        if int(s["first_chapter"]) <= ch <= int(s["last_chapter"]):
            return s["section"]
    raise ValueError(f"HS chapter {code[:2]} is in no section")


def hs_prefix(raw: str, *, where: str = "") -> str:
    """An HS code of 2, 4 or 6 digits (Persian digits read; a lost leading zero restored,
    as in 808 -> 0808); anything else is an error that says what is wrong."""
    s = digits(raw).strip().replace(".", "").replace(" ", "")
    if not s.isdigit():
        raise InputError(f"{where}{raw!r} is not an HS code (digits only)")
    if len(s) % 2 == 1:
        s = "0" + s
    if len(s) not in (2, 4, 6):
        raise InputError(f"{where}{raw!r} is not an HS code of 2, 4 or 6 digits")
    if s[:2] not in VALID_CHAPTERS:
        raise InputError(f"{where}HS chapter {s[:2]} does not exist")
    return s
