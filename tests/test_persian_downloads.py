"""Every download in Persian passes the untranslated-string test (issue 16): each table of every
page (the builders behind ``/download/{page}/{table}``, the zones' views; the claim register
only by its sheet names) written as a Persian CSV (labels, the about block) and Excel
workbook (the table's sheet, about sheet and data dictionary) shows no English word outside
data: the rules are the Persian walker's (codes, file names, formats stay Latin), and data
are what a user or an import wrote: the columns of kind ``data`` (names, titles), the data
dictionary's column names, the datasets' sources and version. Days in Persian files are
Solar Hijri, never a Gregorian date cell.

The tables are built once per page in-process (what the download routes call), and a few
routes are fetched over HTTP to show they pass the language on; the tables' workbook report is
checked in tests/test_reports.py, which builds it anyway."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from exportplan.auth import local_actor
from exportplan.i18n import label as t
from exportplan.services.facts import facts
from exportplan.views import zones as zone_views
from exportplan.views.about import about_lines
from exportplan.views.context import PageContext, Table
from exportplan.views.pages import builders
from exportplan.views.table_files import csv_bytes, xlsx_bytes
from exportplan.web.app import create_app
from exportplan.workspace import Workspace
from test_persian_complete import ALLOWED, CODE, FILE, ISO_DAY, WORD
from test_web import BROWSER, sign_in

#: an e-mail address is data (a user's)
EMAIL = re.compile(r"\S+@\S+\.\w+")
#: The query each page's downloads need in the small demo (a page's builder without one here
#: fails the guard below: add it)
PAGE_QUERY: dict[str, dict[str, str]] = {
    "dashboard": {},
    "monitor": {},
    "opportunities": {},
    "program": {},
    "data": {},
    "users": {},
    "investment": {},
    "investment_enquiries": {},
    "investment_project": {"code": "EP-0007"},
    "investment_event": {"code": "MIM-1405-1"},
    "investment_digest": {},
    "suppliers": {},
    "supplier_firm": {"firm": "F001"},
    "demand": {"buyer": "NIOC"},
    "gaps": {},
    "introductions": {},
    "product-space": {},
}
#: The demo's industrial estate, one of its plots and one application (the zones' views)
ZONE, PLOT, APPLICATION = "SLM", "S-36", "SLM-035"
DAY = dt.date(2026, 11, 28)


def english(text: str, data: list[str]) -> list[str]:
    """The English words (and Gregorian ISO days) of a cell, once the data in it are taken
    out."""
    for d in data:
        text = text.replace(d, " ")
    text = EMAIL.sub(" ", FILE.sub(" ", text))
    return sorted(
        {w for w in WORD.findall(text) if w not in ALLOWED and not CODE.match(w)}
        | set(ISO_DAY.findall(text))
    )


def test_the_checker_sees_english_and_skips_data() -> None:
    assert english("وضعیت: in-progress", []) == ["in", "progress"]
    known = ["SYNTHETIC world (demo)", "1:ab12cd"]
    assert english("منابع: SYNTHETIC world (demo) (1:ab12cd)", known) == []
    assert english("۱۴۰۵/۰۹/۰۷ 2026-11-28 a@b.org IRQ report.pdf", []) == ["2026-11-28"]


def csv_findings(where: str, data: bytes, tab: Table, known: list[str]) -> list[str]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    about = [r[0] for r in rows if len(r) == 1 and r[0].startswith("#")]
    assert about, where  # the about block was asked for
    header, *body = rows[len(about) :]
    assert header == tab["labels"], where
    skip = {i for i, c in enumerate(tab["columns"]) if tab["kinds"].get(c) == "data"}
    cells = about + header + [v for r in body for i, v in enumerate(r) if i not in skip]
    return [f"{where}: {w} in {v[:60]!r}" for v in cells for w in english(v, known)]


def xlsx_findings(where: str, data: bytes, tab: Table, known: list[str]) -> list[str]:
    wb = load_workbook(io.BytesIO(data))
    table, about, dictionary = wb.worksheets
    assert about.title == t("about this file", "fa") and table.sheet_view.rightToLeft, where
    skip = {i for i, c in enumerate(tab["columns"]) if tab["kinds"].get(c) == "data"}
    cells: list[Any] = [s.title for s in wb.worksheets]
    for n, row in enumerate(table.iter_rows()):
        cells += [c.value for i, c in enumerate(row) if n < 2 or i not in skip]
        # days are Solar Hijri text in a Persian sheet, never a (Gregorian) date cell
        assert not [c.coordinate for c in row if c.is_date], (where, n)
    cells += [c.value for row in about.iter_rows() for c in row]
    rows = list(dictionary.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == tab["columns"], where  # column names: data
    cells += [*rows[0], *(v for r in rows[1:] for v in r[1:])]
    return [
        f"{where}: {w} in {v[:60]!r}"
        for v in cells
        if isinstance(v, str)
        for w in english(v, known)
    ]


@pytest.fixture(scope="module")
def contexts(small_demo: Workspace) -> dict[str, PageContext]:
    """Every page with downloads, built once in Persian (zones' views by their address)."""
    db = small_demo.program()
    who = local_actor()
    every = builders(small_demo, db, "fa", who, {})
    assert set(every) == set(PAGE_QUERY)  # a new page's downloads are checked here
    out = {
        name: builders(small_demo, db, "fa", who, query)[name]()
        for name, query in PAGE_QUERY.items()
    }
    out["zones/zone"] = zone_views.zone_dashboard(small_demo, db, "fa", ZONE, DAY)
    out["zones/worklist"] = zone_views.worklist_page(small_demo, db, "fa", ZONE, DAY)
    out["zones/plot"] = zone_views.plot_page(small_demo, db, "fa", ZONE, PLOT, DAY, who)
    out["zones/application"] = zone_views.application_page(db, "fa", who, ZONE, APPLICATION)
    return out


def test_every_persian_download_has_no_english(
    small_demo: Workspace, contexts: dict[str, PageContext]
) -> None:
    f = facts(small_demo)
    known = sorted([*f.sources, f.data_version], key=len, reverse=True)
    found: list[str] = []
    files = 0
    for page, ctx in contexts.items():
        assert ctx.tables, page
        for name, tab in ctx.tables.items():
            about = about_lines(
                ctx, tab, region=small_demo.home_region, facts=f, query=PAGE_QUERY.get(page, {})
            )
            where = f"{page}/{name}"
            data = csv_bytes(tab, header="label", about=about, lang="fa")
            found += csv_findings(where + ".csv", data, tab, known)
            found += xlsx_findings(where + ".xlsx", xlsx_bytes(tab, "fa", about=about), tab, known)
            files += 2
    assert files > 90
    assert found == [], "\n".join(found)


@pytest.fixture(scope="module")
def client(small_demo: Workspace) -> Iterator[TestClient]:
    with TestClient(create_app(small_demo), follow_redirects=False, headers=BROWSER) as c:
        sign_in(c, "admin")
        yield c


def test_the_download_routes_write_persian_files(client: TestClient) -> None:
    """The routes pass the page's language to the files: statuses, days and yes/no in
    Persian in the Persian CSV (labels), as stored with the column names."""
    r = client.get("/download/program/actions.csv?lang=fa&about=1")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][0].startswith(f"# {t('page', 'fa')}: ")
    header = rows.index(next(r for r in rows if not r[0].startswith("#")))
    status = rows[header].index(t("status", "fa"))
    shown = {r[status] for r in rows[header + 1 :]}
    assert shown and shown <= {t(s, "fa") for s in ("planned", "in-progress", "done", "blocked")}
    machine = client.get("/download/program/actions.csv?lang=fa&header=machine").content
    stored = list(csv.reader(io.StringIO(machine.decode("utf-8-sig"))))
    assert {r[stored[0].index("status")] for r in stored[1:]} <= {
        "planned",
        "in-progress",
        "done",
        "blocked",
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", stored[1][stored[0].index("deadline")])
    # the zones' downloads take the header and about choices too
    z = client.get(f"/zones/{ZONE}/download/zone/plots.csv?lang=fa&about=1").content
    text = z.decode("utf-8-sig")
    assert text.startswith("# ") and t("vacant", "fa") in text and ",vacant," not in text
    # the claim register in Persian
    for ext in ("csv", "xlsx"):
        r = client.get(f"/claims/register.{ext}?lang=fa")
        assert r.status_code == 200, ext
    wb = load_workbook(io.BytesIO(client.get("/claims/register.xlsx?lang=fa").content))
    assert wb.sheetnames[0] == t("Claim register", "fa")
    assert english(" ".join(wb.sheetnames), []) == []


def test_the_persian_program_workbook_has_no_english_outside_data(client: TestClient) -> None:
    """The program workbook's download in Persian: tabs, the header row for people, the
    program sheet's fields and the actions' statuses in Persian; the second header row holds
    the machine names (for the import and for programs), the other cells are what the
    program's users wrote (codes, names, titles)."""
    r = client.get("/program/export.xlsx?lang=fa")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    found = [f"tab {s}: {w}" for s in wb.sheetnames for w in english(s, [])]
    for sheet in wb.worksheets:
        assert sheet.sheet_view.rightToLeft, sheet.title
        rows = list(sheet.iter_rows(values_only=True))
        found += [f"{sheet.title} header: {w}" for v in rows[0] for w in english(str(v), [])]
        machine = [str(v) for v in rows[1]]
        if "status" in machine:
            statuses = {row[machine.index("status")] for row in rows[2:]}
            assert statuses  # the demo's actions
            found += [f"{sheet.title} status: {w}" for v in statuses for w in english(str(v), [])]
        if machine == ["field", "value", "key"]:
            found += [f"program field: {w}" for row in rows[2:] for w in english(str(row[0]), [])]
        for row in sheet.iter_rows(min_row=3):
            assert not [c.coordinate for c in row if c.is_date], sheet.title  # Solar Hijri text
    assert found == [], "\n".join(found)
