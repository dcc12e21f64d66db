"""The workbook report: every table of every page in one Excel workbook, each sheet headed by
its title (what the pages' Excel downloads hold, together)."""

from __future__ import annotations

import io
from pathlib import Path

from exportplan.auth import local_actor
from exportplan.reports.render import write
from exportplan.store.program import ProgramDB
from exportplan.views.pages import PAGES, builders
from exportplan.views.tables import write_sheet
from exportplan.workspace import Workspace

__all__ = ["workbook"]


def workbook(ws: Workspace, db: ProgramDB, out: Path | None = None, *, lang: str = "fa") -> bytes:
    """Every table of every page in one workbook (right-to-left sheets in Persian), each
    sheet headed by its title; what the pages' Excel downloads hold, together."""
    from openpyxl import Workbook

    every = builders(ws, db, lang, local_actor(), {})
    chosen = {name: every[name] for name in PAGES}  # not the users: personal data
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for page, build in chosen.items():
        ctx = build()
        for name, tab in ctx.tables.items():
            write_sheet(wb.create_sheet(f"{page}-{name}"[:31]), tab, lang)
    buf = io.BytesIO()
    wb.save(buf)
    return write(buf.getvalue(), out)
