"""Spreadsheet cells that cannot run code: text a spreadsheet would read as a formula (OWASP's
CSV injection) is prefixed with a quote in CSV and stored as plain text in Excel.

Every CSV and Excel writer of the code base goes through this module (the pages' downloads and
workbook report, the program workbook, the rejected rows, the command line's ``--csv``,
``--output`` and ``--xlsx``). Only text is touched: numbers, dates and booleans stay what they
are, so a negative amount stays a number.

* CSV (:func:`csv_value`, :func:`csv_frame`): text beginning with ``=``, ``+``, ``-``, ``@``,
  a tab, a carriage return or a line feed, or their full-width forms (``＝ ＋ － ＠``), after
  any leading spaces, gets a leading ``'``, as OWASP advises; a spreadsheet then shows the text
  and runs nothing. The CSV writer quotes the cell as needed.
* Excel (:func:`xlsx_append`): such text is written as a string cell (openpyxl would otherwise
  store text beginning with ``=`` as a live formula) with Excel's own "quote prefix" style, what
  Excel itself does when someone types ``'=...``. The cell's value is the original text, so a
  workbook read back (the program workbook's import) gives back exactly what was exported.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

__all__ = ["TRIGGERS", "csv_frame", "csv_value", "dangerous", "xlsx_append"]

#: First characters that make a spreadsheet read a cell as a formula or a command (OWASP), with
#: the full-width forms some spreadsheets also accept
TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def dangerous(value: object) -> bool:
    """Whether ``value`` is text a spreadsheet could read as a formula."""
    if not isinstance(value, str) or not value:
        return False
    first = value.lstrip(" \u00a0\u3000")[:1] or value[:1]
    return first in TRIGGERS or value[0] in TRIGGERS


def csv_value(value: Any) -> Any:
    """A cell for a CSV file: dangerous text with a leading ``'``, anything else as it is."""
    return "'" + value if dangerous(value) else value


def csv_frame(df: pl.DataFrame) -> pl.DataFrame:
    """A frame whose text columns are safe to write as CSV (numbers untouched)."""
    import polars as pl

    text = [c for c, t in df.schema.items() if t == pl.String]
    if not text:
        return df
    starts = "[" + "".join(_escape(c) for c in sorted(TRIGGERS)) + "]"
    pattern = rf"^[ \u00a0\u3000]*{starts}"
    return df.with_columns(
        pl.when(pl.col(c).str.contains(pattern))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text
    )


def _escape(ch: str) -> str:
    return {"\t": r"\t", "\r": r"\r", "\n": r"\n", "-": r"\-"}.get(ch, ch)


def xlsx_append(sheet: Any, values: Iterable[Any]) -> None:
    """A row appended to an openpyxl sheet: dangerous text stored as text with Excel's quote
    prefix (never a formula), and the control characters a workbook cannot hold (openpyxl
    refuses them) replaced by U+FFFD."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

    row: list[Any] = []
    for v in values:
        if isinstance(v, str):
            v = ILLEGAL_CHARACTERS_RE.sub("\ufffd", v)
        if dangerous(v):
            cell = Cell(sheet, value=v)
            cell.data_type = "s"
            cell.quotePrefix = True
            row.append(cell)
        else:
            row.append(v)
    sheet.append(row)
