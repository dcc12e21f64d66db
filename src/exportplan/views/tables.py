"""A page's tables: built from service rows with labels in the page's language, and written out
as CSV or as an Excel sheet (the downloads and the workbook report), text that a spreadsheet
would run as a formula neutralised (:mod:`exportplan.reference.cells`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from typing import Any

from exportplan.i18n import label as t
from exportplan.reference.cells import csv_value, xlsx_append
from exportplan.views.context import Table

__all__ = ["csv_bytes", "table", "write_sheet", "xlsx_bytes"]


def table(
    title: str,
    rows: list[dict[str, Any]],
    columns: list[tuple[str, str, str]],
    lang: str,
) -> Table:
    """``columns``: (key, English label, kind)."""
    return {
        "title": title,
        "columns": [c[0] for c in columns],
        "labels": [t(c[1], lang) for c in columns],
        "kinds": {c[0]: c[2] for c in columns},
        "rows": [{c[0]: _plain(r.get(c[0])) for c in columns} for r in rows],
    }


def _plain(v: Any) -> Any:
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    if isinstance(v, list):
        return " ".join(str(x) for x in v)
    return v


def write_sheet(sheet: Any, tab: Table, lang: str) -> None:
    """A table into an openpyxl sheet: its title, its labels, its rows (right to left in
    Persian)."""
    sheet.sheet_view.rightToLeft = lang == "fa"
    xlsx_append(sheet, [tab["title"]])
    xlsx_append(sheet, tab["labels"])
    for r in tab["rows"]:
        xlsx_append(sheet, [r[c] for c in tab["columns"]])


def csv_bytes(tab: Table) -> bytes:
    """A table as CSV (UTF-8 with a byte-order mark: Excel then opens Persian text right)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([csv_value(c) for c in tab["columns"]])
    for r in tab["rows"]:
        w.writerow(["" if r[c] is None else csv_value(r[c]) for c in tab["columns"]])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(tab: Table, lang: str) -> bytes:
    """A table as a one-sheet Excel workbook."""
    from openpyxl import Workbook

    wb = Workbook()
    sh = wb.active
    assert sh is not None
    sh.title = "exportplan"
    write_sheet(sh, tab, lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
