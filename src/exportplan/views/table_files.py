"""A page's table written to a file that explains itself: CSV and Excel with headers in the
chosen language, typed and formatted cells, Solar Hijri days in Persian sheets, a data
dictionary and an "about" block (scope, period, definition, units, sources, time made).

The CSV is for programs as much as for people: its header is the page's labels unless
``header="machine"`` (the column names) or ``"both"`` (labels, then a second row of column
names); with the column names its values stay as stored (ISO days, codes, status words), with
the labels alone a Persian file writes its cells as the Persian sheet does (statuses, terms,
provinces and yes/no in Persian, Solar Hijri days and times; numbers stay numbers); the about
block is opt-in, as ``#`` lines before the header. The Excel workbook is for people: the
table's sheet (named by the table's title), then "about" and the data dictionary (column
name, label, kind, unit). Text a spreadsheet would run as a formula
is neutralised in both (:mod:`exportplan.reference.cells`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any, Literal

from exportplan.i18n import label as t
from exportplan.reference.cells import csv_value, xlsx_append
from exportplan.reference.labels_files import KIND_NAMES
from exportplan.views.context import Table
from exportplan.views.format import fmt, sh_date, time_text

__all__ = [
    "HEADERS",
    "About",
    "csv_bytes",
    "kind_name",
    "sheet_title",
    "unit_of",
    "write_sheet",
    "xlsx_bytes",
]

Header = Literal["label", "machine", "both"]
#: The CSV header choices (``?header=`` of a download)
HEADERS: tuple[Header, ...] = ("label", "machine", "both")

#: (label, value) lines: what the file covers, in the file's language
About = Sequence[tuple[str, str]]

#: The unit of a column of each kind (English; translated with the label dictionary)
UNITS = {
    "usd": "US dollars (current)",
    "pct": "percent (change)",
    "share": "percent (share)",
    "date": "day",
    "time": "moment (server's clock)",
}
#: Excel number formats of each kind (percent kinds hold percent points: 20 is 20%)
FORMATS = {
    "usd": "#,##0",
    "pct": '+0.0"%";-0.0"%";0.0"%"',
    "share": '0.0"%"',
}


def unit_of(kind: str, lang: str) -> str:
    """A column kind's unit in ``lang`` ('' when the column has none: text, codes, counts)."""
    unit = UNITS.get(kind)
    if unit is None:
        return ""
    if kind == "date":
        return t("Solar Hijri day" if lang == "fa" else "Gregorian day (ISO)", lang)
    return t(unit, lang)


#: The kinds whose cells are the program's words (a status, a code word, a province): a
#: file for people writes them in its language, as the page does
WORD_KINDS = ("status", "term", "region")
#: Characters a sheet's name cannot hold (Excel)
_NOT_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})


def kind_name(kind: str, lang: str) -> str:
    """A column kind as a data dictionary in ``lang`` names it (English: the kind itself)."""
    return t(KIND_NAMES.get(kind, kind), lang) if lang == "fa" else kind


def sheet_title(title: str, fallback: str = "exportplan") -> str:
    """A table's title as a sheet's name: at most 31 characters, none Excel refuses."""
    name = " ".join(title.translate(_NOT_IN_SHEET_NAMES).split())[:31].strip()
    return name or fallback


def _header_rows(tab: Table, header: Header) -> list[list[str]]:
    if header == "machine":
        return [list(tab["columns"])]
    if header == "both":
        return [list(tab["labels"]), list(tab["columns"])]
    return [list(tab["labels"])]


def csv_bytes(
    tab: Table, *, header: Header = "label", about: About | None = None, lang: str = "en"
) -> bytes:
    """A table as CSV (UTF-8 with a byte-order mark: Excel then opens Persian text right);
    ``about``: ``#`` lines before the header saying what the file covers. A Persian file with
    the labels alone for its header is for people: its cells as the Persian sheet writes them
    (numbers stay numbers)."""
    people = lang == "fa" and header == "label"
    kinds = [tab["kinds"].get(c, "text") for c in tab["columns"]]
    buf = io.StringIO()
    w = csv.writer(buf)
    for key, value in about or ():  # one cell each, starting with '#': never a formula
        w.writerow([f"# {key}: {value}".replace("\r", " ").replace("\n", " ")])
    for row in _header_rows(tab, header):
        w.writerow([csv_value(c) for c in row])
    for r in tab["rows"]:
        values = [
            _cell(r[c], k, lang) if people else r[c]
            for c, k in zip(tab["columns"], kinds, strict=True)
        ]
        w.writerow(["" if v is None else csv_value(v) for v in values])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _cell(value: Any, kind: str, lang: str) -> Any:
    """A value as its sheet holds it: a day as a real date in English and as Solar Hijri text
    in Persian (a spreadsheet has no Solar Hijri dates); in Persian a moment as the page writes
    it, a status, code word or province in Persian and yes/no as words; numbers stay
    numbers."""
    if value is None or value == "":
        return value
    if lang == "fa":
        if kind in WORD_KINDS:
            return fmt(value, kind, lang)
        if kind == "bool":
            return t("yes" if value else "no", lang)
        if kind == "time":
            try:
                return time_text(value, lang)
            except ValueError:
                return value
    if kind != "date":
        return value
    d = _day(value)
    if d is None:
        return value
    return sh_date(d.isoformat(), lang) if lang == "fa" else d


def _number_format(value: Any, kind: str, lang: str) -> str | None:
    if kind == "date":
        return "yyyy-mm-dd" if lang != "fa" else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if kind in FORMATS:
        return FORMATS[kind]
    if kind == "num":
        return "#,##0" if isinstance(value, int) or abs(value) >= 1000 else "#,##0.00"
    return None


def write_sheet(sheet: Any, tab: Table, lang: str) -> None:
    """A table into an openpyxl sheet: its title, its labels, its rows as typed cells with
    number formats (right to left in Persian)."""
    sheet.sheet_view.rightToLeft = lang == "fa"
    xlsx_append(sheet, [tab["title"]])
    xlsx_append(sheet, tab["labels"])
    kinds = [tab["kinds"].get(c, "text") for c in tab["columns"]]
    for r in tab["rows"]:
        values = [_cell(r[c], k, lang) for c, k in zip(tab["columns"], kinds, strict=True)]
        xlsx_append(sheet, values)
        for cell, k in zip(sheet[sheet.max_row], kinds, strict=True):
            fmt = _number_format(cell.value, k, lang)
            if fmt is not None:
                cell.number_format = fmt
    sheet.freeze_panes = "A3"


def _write_about(sheet: Any, about: About, lang: str) -> None:
    sheet.sheet_view.rightToLeft = lang == "fa"
    for key, value in about:
        xlsx_append(sheet, [key, value])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 80


def _write_dictionary(sheet: Any, tab: Table, lang: str) -> None:
    sheet.sheet_view.rightToLeft = lang == "fa"
    xlsx_append(sheet, [t(h, lang) for h in ("column name", "label", "kind", "unit")])
    for c, lab in zip(tab["columns"], tab["labels"], strict=True):
        kind = tab["kinds"].get(c, "text")
        xlsx_append(sheet, [c, lab, kind_name(kind, lang), unit_of(kind, lang)])


def xlsx_bytes(tab: Table, lang: str, *, about: About | None = None) -> bytes:
    """A table as an Excel workbook: the table's sheet, then what it covers ("about", when
    given) and its data dictionary."""
    from openpyxl import Workbook

    wb = Workbook()
    sh = wb.active
    assert sh is not None
    sh.title = sheet_title(tab["title"])
    write_sheet(sh, tab, lang)
    if about:
        _write_about(wb.create_sheet(t("about this file", lang)[:31]), about, lang)
    _write_dictionary(wb.create_sheet(t("data dictionary", lang)[:31]), tab, lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
