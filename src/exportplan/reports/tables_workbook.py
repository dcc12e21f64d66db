"""The workbook report: every table of every page in one Excel workbook, each sheet headed by
its number and title (what the pages' Excel downloads hold, together), with an "about" sheet first (what
the file covers, then each sheet's page, table, period and definition) and a data dictionary
last (each sheet's columns: name, label, kind, unit)."""

from __future__ import annotations

import io
from pathlib import Path

from exportplan.auth import local_actor
from exportplan.i18n import label as t
from exportplan.reference.cells import xlsx_append
from exportplan.reports.render import write
from exportplan.services.facts import facts
from exportplan.services.products import naming
from exportplan.store.program import ProgramDB
from exportplan.views.about import about_lines
from exportplan.views.format import digits
from exportplan.views.pages import PAGES, builders
from exportplan.views.table_files import kind_name, sheet_title, unit_of
from exportplan.views.tables import write_sheet
from exportplan.workspace import Workspace

__all__ = ["workbook"]


def workbook(ws: Workspace, db: ProgramDB, out: Path | None = None, *, lang: str = "fa") -> bytes:
    """Every table of every page in one workbook (right-to-left sheets in Persian), each
    sheet headed by its title; what the pages' Excel downloads hold, together."""
    with naming(ws):  # products by the tariff books' names where loaded
        return _workbook(ws, db, out, lang=lang)


def _workbook(ws: Workspace, db: ProgramDB, out: Path | None, *, lang: str) -> bytes:
    from openpyxl import Workbook

    every = builders(ws, db, lang, local_actor(), {})
    chosen = {name: every[name] for name in PAGES}  # not the users: personal data
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    about = wb.create_sheet(t("about this file", lang)[:31])
    about.sheet_view.rightToLeft = lang == "fa"
    f = facts(ws)
    index: list[list[str]] = []
    dictionary: list[list[str]] = []
    first_ctx = True
    for build in chosen.values():
        ctx = build()
        for tab in ctx.tables.values():
            sheet = sheet_title(f"{digits(str(len(index) + 1), lang)} {tab['title']}")
            write_sheet(wb.create_sheet(sheet), tab, lang)
            lines = dict(about_lines(ctx, tab, region=ws.home_region, facts=f, query={}))
            if first_ctx:  # what the file as a whole covers, once
                keep = ("region", "calendar", "sources", "synthetic", "made")
                for key in keep:
                    xlsx_append(about, [t(key, lang), lines[t(key, lang)]])
                xlsx_append(about, [])
                first_ctx = False
            index.append(
                [
                    sheet,
                    ctx.title,
                    tab["title"],
                    lines[t("period", lang)],
                    lines.get(t("definition", lang), ""),
                ]
            )
            for c, label in zip(tab["columns"], tab["labels"], strict=True):
                kind = tab["kinds"].get(c, "text")
                dictionary.append([sheet, c, label, kind_name(kind, lang), unit_of(kind, lang)])
    heads = ("sheet", "page", "table", "period", "definition")
    xlsx_append(about, [t(h, lang) for h in heads])
    for row in index:
        xlsx_append(about, row)
    words = wb.create_sheet(t("data dictionary", lang)[:31])
    words.sheet_view.rightToLeft = lang == "fa"
    xlsx_append(words, [t(h, lang) for h in ("sheet", "column name", "label", "kind", "unit")])
    for row in dictionary:
        xlsx_append(words, row)
    buf = io.BytesIO()
    wb.save(buf)
    return write(buf.getvalue(), out)
