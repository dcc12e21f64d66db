"""A page's tables: built from service rows with labels in the page's language (written out as
CSV or Excel by :mod:`exportplan.views.table_files`, re-exported here)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from exportplan.i18n import label as t
from exportplan.views.context import Table
from exportplan.views.table_files import csv_bytes, write_sheet, xlsx_bytes

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
