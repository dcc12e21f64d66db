"""Reading numbers as people write them: digits of any script, separators read under the
file's declared decimal convention, never guessed, and non-finite numbers refused.

A number is optional sign, digits, optional fraction, optional exponent. Persian ``۰-۹`` and
Arabic-Indic ``٠-٩`` digits are read as ASCII digits. Under the convention ``.`` (the
default) the decimal mark is ``.`` and ``,`` may group thousands; under ``,`` it is the other
way round. Whatever the convention, the Arabic decimal separator ``٫`` (U+066B) is a decimal
mark, and the Arabic thousands separator ``٬`` (U+066C) and spaces (also no-break and thin
spaces) group thousands. Forms accepted (``d`` the decimal mark, ``g`` a grouping mark):

* ``1234``, ``1234d5``, ``d5``, with an exponent ``1234d5e-3`` (no grouping with exponents);
* grouped: ``1g234g567``, ``1g234d5``: the first group 1-3 digits not starting with 0, every
  further group exactly 3 digits, one grouping mark throughout the number.

Anything else is refused with a reason: a form that would be a number under the other
convention (``12,5``, ``1.234,56`` read with ``.``; ``12.5`` read with ``,``) names the
``--decimal`` option; words (``nan``, ``inf``) and values too large for a 64-bit float
(``1e400``) are not finite. One form is valid under both conventions with different meanings:
a single group of three digits (``1,234``: 1234 with ``.``, 1.234 with ``,``). Under a
declared convention it means what the convention says; under the default convention it is
read as thousands unless the same file writes another number in a form only the other
convention reads (then the importer rejects it as ambiguous).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from exportplan import settings
from exportplan.errors import InputError
from exportplan.reference.text import digits, shorten

if TYPE_CHECKING:  # polars loads with the first expression built (a BACI import needs none)
    import polars as pl

DECIMALS = (".", ",")
DEFAULT_DECIMAL = "."
_SPACES = ("\u00a0", "\u202f", "\u2009", "\u2007")
_MINUS = "\u2212"
_NON_FINITE = r"(?i)^[+-]?(nan|inf|infinity)$"


def _patterns(decimal: str) -> tuple[str, str]:
    """The full-match pattern of a number under ``decimal`` and the pattern of the form whose
    meaning the conventions disagree on (one group of three digits, nothing else)."""
    group = "," if decimal == "." else "."
    d = f"[{re.escape(decimal)}٫]"
    plain = rf"(?:[0-9]+(?:{d}[0-9]+)?|{d}[0-9]+)(?:[eE][+-]?[0-9]+)?"
    grouped = "|".join(
        rf"[1-9][0-9]{{0,2}}(?:{re.escape(g)}[0-9]{{3}})+" for g in (group, "٬", " ")
    )
    full = rf"^[+-]?(?:{plain}|(?:{grouped})(?:{d}[0-9]+)?)$"
    ambiguous = r"^[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}$"
    return full, ambiguous


PATTERNS = {dec: _patterns(dec) for dec in DECIMALS}


def check_decimal(decimal: str | None) -> str:
    """The convention ``decimal`` names (``.`` or ``,``); None is the default."""
    if decimal is None:
        return DEFAULT_DECIMAL
    if decimal not in DECIMALS:
        raise InputError(
            f"decimal mark must be . or , (the file's decimal separator), not {shorten(decimal)!r}"
        )
    return decimal


def canonical(col: pl.Expr) -> pl.Expr:
    """A cell's text with digits in ASCII, spaces unified, the minus sign ASCII, trimmed."""
    repl = {
        **{a: b for a, b in zip("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789", strict=True)},
        **dict.fromkeys(_SPACES, " "),
        _MINUS: "-",
        "\u200f": "",
        "\u200e": "",
        "\u200c": "",
    }
    return col.str.replace_many(list(repl), list(repl.values())).str.strip_chars()


def _value(text: pl.Expr, decimal: str) -> pl.Expr:
    import polars as pl

    group = "," if decimal == "." else "."
    return (
        text.str.replace_all(re.escape(group), "")
        .str.replace_all("[٬ ]", "")
        .str.replace_all(f"[{re.escape(decimal)}٫]", ".")
        .cast(pl.Float64, strict=False)
    )


@dataclass(frozen=True)
class NumberExprs:
    """The expressions reading one column: ``value`` (Float64, null when refused or empty),
    ``problem`` (why it was refused, null when read or empty), ``other_form`` (true when the
    text is a number only under the other convention) and ``ambiguous`` (true for the form
    the conventions read differently)."""

    value: pl.Expr
    problem: pl.Expr
    other_form: pl.Expr
    ambiguous: pl.Expr


def number_exprs(text: pl.Expr, decimal: str) -> NumberExprs:
    """How to read the number in ``text`` (a canonical cell, see :func:`canonical`) under the
    convention ``decimal``; empty cells give nulls and no problem."""
    import polars as pl

    other = "," if decimal == "." else "."
    full, ambiguous = PATTERNS[decimal]
    full_other, _ = PATTERNS[other]
    valid = text.str.contains(full)
    other_form = ~valid & text.str.contains(full_other)
    value = pl.when(valid).then(_value(text, decimal))
    flag = "--decimal ," if decimal == "." else "--decimal ."
    marks = "decimal points" if decimal == "." else "decimal commas"
    problem = (
        pl.when(text == "")
        .then(None)
        .when(text.str.contains(_NON_FINITE))
        .then(pl.lit("is not a finite number"))
        .when(other_form)
        .then(
            pl.lit(
                f"is written with the other decimal mark; the file is read with {marks}: "
                f"give {flag} if its numbers are written so"
            )
        )
        .when(~valid)
        .then(pl.lit("is not a number"))
        .when(~value.is_finite())
        .then(pl.lit("is not a finite number (too large for a 64-bit float)"))
    )
    return NumberExprs(
        value=pl.when(problem.is_null()).then(value),
        problem=problem,
        other_form=other_form,
        ambiguous=text.str.contains(ambiguous),
    )


RIALS_PER_USD_BOUND = 10_000_000.0  # a rial value's ceiling: the USD ceiling at this rate


def ceilings() -> tuple[float, float]:
    """The largest value in USD and the largest weight in kg one row of a file may carry
    (settings ``max_row_value_usd`` and ``max_row_weight_kg``)."""
    return float(settings.value("max_row_value_usd")), float(settings.value("max_row_weight_kg"))


#: World data (BACI, Comtrade) are held to the ceilings times this: a single bilateral flow of
#: crude oil passes USD 10 bn and 10 million tonnes a year, no real one nears USD 1 trillion
WORLD_FACTOR = 100.0


def world_ceilings() -> tuple[float, float]:
    """The ceilings of one row of world data (BACI, Comtrade): :func:`ceilings` times
    :data:`WORLD_FACTOR` (USD 1 trillion and 1 billion tonnes at the defaults)."""
    usd, kg = ceilings()
    return usd * WORLD_FACTOR, kg * WORLD_FACTOR


class NumberError(ValueError):
    """A text that is not a finite number under the convention; the message says why."""


def parse_number(raw: str, decimal: str = DEFAULT_DECIMAL) -> float:
    """One number as written (the same rules as :func:`number_exprs`, for single cells)."""
    text = digits(raw)
    for ch in _SPACES:
        text = text.replace(ch, " ")
    text = text.replace(_MINUS, "-").replace("\u200f", "").replace("\u200e", "").strip()
    full, _ = PATTERNS[decimal]
    other = "," if decimal == "." else "."
    if re.match(_NON_FINITE, text):
        raise NumberError(f"{shorten(raw)!r} is not a finite number")
    if not re.match(full, text):
        if re.match(PATTERNS[other][0], text):
            raise NumberError(
                f"{shorten(raw)!r} is written with the decimal mark {other!r}; numbers here "
                f"are read with {decimal!r}"
            )
        raise NumberError(f"{shorten(raw)!r} is not a number")
    group = "," if decimal == "." else "."
    canon = re.sub("[٬ ]", "", text.replace(group, ""))
    value = float(re.sub(f"[{re.escape(decimal)}٫]", ".", canon))
    if not math.isfinite(value):
        raise NumberError(f"{shorten(raw)!r} is not a finite number (too large)")
    return value
