"""Customs files read a chunk of rows at a time: the same rows accepted and the same rejects
(with their reasons and the notes) whatever the chunk size, with chunk boundaries splitting
duplicates, merged office cells, rejects and the decimal evidence; and the reader's Python
memory bounded by a chunk, not growing with the file (rows never all held as lists)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from exportplan.ingest import customs, table
from exportplan.ingest.files import CellNumber
from exportplan.services.imports.customs import CustomsOptions, import_file
from exportplan.workspace import Workspace, init

HEADER = ["تاریخ", "گمرک اجرایی", "کد تعرفه", "کشور مقصد", "ارزش دلاری"]
TABRIZ, JOLFA, SAHLAN = "گمرک تبریز", "گمرک جلفا", "گمرک سهلان"

# Excel row -> cells (row 1 a title merged across, row 2 the header); None is an empty cell
SHEET: dict[int, list[Any]] = {
    3: ["1404/01/01", TABRIZ, "08081000", "عراق", 100],  # B3:B8 merged: Tabriz down to row 8
    4: ["1404/01/02", None, "08081000", "عراق", 200],
    5: ["1404/01/01", None, "08081000", "عراق", 100],  # row 3 again (its office from the merge)
    6: [None, None, None, None, None],  # only the merged office: a row, rejected, not layout
    7: ["1404/01/03", None, "08081000", "Narnia", 300],
    8: ["1404/01/04", None, "08081000", "عراق", "1,234"],  # ambiguous: row 14 is evidence
    # row 9 blank (layout)
    10: ["1404/01/05", JOLFA, "08081000", "ترکیه", 50],
    11: ["جمع", None, None, None, 1000],  # a total row
    12: ["1404/01/02", TABRIZ, "08081000", "عراق", 200],  # row 4 again, typed out this time
    13: ["1404/13/01", JOLFA, "08081000", "ترکیه", 10],
    14: ["1404/01/06", JOLFA, "08081000", "ترکیه", "12,5"],  # the other decimal mark
    15: ["1404/01/06", JOLFA, "08081000", "ترکیه", 12.5],  # a typed number: 12.5
    16: ["1404/01/05", JOLFA, "08081000", "ترکیه", 50],  # row 10 again
    17: ["1404/01/07", SAHLAN, "8081000", "عراق", 1],  # B17:B19 merged; a lost leading zero
    18: ["1404/01/08", None, "08081000", "عراق", 2],
    19: ["1404/01/09", None, "08081000", "عراق", 3],
    20: ["1404/01/07", SAHLAN, "08081000", "عراق", "1e400"],
}
ACCEPTED = [
    (3, TABRIZ, 100.0),
    (4, TABRIZ, 200.0),
    (10, JOLFA, 50.0),
    (15, JOLFA, 12.5),
    (17, SAHLAN, 1.0),
    (18, SAHLAN, 2.0),
    (19, SAHLAN, 3.0),
]
REJECTED_CELLS = [  # (row, column) of every reject entry
    (5, "*"),
    (6, "period"),
    (6, "hs_code"),
    (6, "partner"),
    (6, "value"),
    (7, "partner"),
    (8, "value"),
    (11, "hs_code"),
    (12, "*"),
    (13, "period"),
    (14, "value"),
    (16, "*"),
    (20, "value"),
]


def _workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    sh = wb.active
    assert sh is not None
    sh.append(["صادرات استان - فروردین ۱۴۰۴"])
    sh.merge_cells("A1:E1")
    sh.append(HEADER)
    for n in range(3, max(SHEET) + 1):
        sh.append(SHEET.get(n, [None] * 5))
    sh.merge_cells("B3:B8")
    sh.merge_cells("B17:B19")
    wb.save(path)
    return path


def _imported(ws: Workspace, path: Path) -> tuple[Any, list[Any], list[Any]]:
    with ws.warehouse() as con:
        s = import_file(con, path, CustomsOptions(region="East Azerbaijan"))
    with ws.warehouse(read_only=True) as con:
        flows = con.execute(
            "SELECT source_row, customs_office, value_usd, flags FROM region_flows "
            "WHERE dataset_id = ? ORDER BY source_row",
            [s.dataset_id],
        ).fetchall()
        rejects = con.execute(
            'SELECT "row", "column", value, reason FROM rejects WHERE dataset_id = ? '
            'ORDER BY "row", "column", reason',
            [s.dataset_id],
        ).fetchall()
    return s, flows, rejects


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7])
def test_a_workbook_in_chunks_gives_the_rows_and_rejects_of_one_read(
    chunk: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = _workbook(tmp_path / "customs.xlsx")
    monkeypatch.setattr(table, "CHUNK", 10_000)  # the whole file in one chunk
    one = _imported(init(tmp_path / "one"), book)
    monkeypatch.setattr(table, "CHUNK", chunk)
    many = _imported(init(tmp_path / "many"), book)
    s, flows, rejects = many
    # what the file holds, read in one piece or in chunks of `chunk` rows
    assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (17, 7, 10)
    assert [(r[0], r[1], r[2]) for r in flows] == ACCEPTED
    assert [r[3] for r in flows] == [None, None, None, None, "hs_padded", None, None]
    assert sorted((r[0], r[1]) for r in rejects) == sorted(REJECTED_CELLS)
    reasons = {(r[0], r[1]): r[3] for r in rejects}
    assert reasons[(5, "*")] == "duplicate of row 3"
    assert reasons[(12, "*")] == "duplicate of row 4"
    assert reasons[(16, "*")] == "duplicate of row 10"
    assert "ambiguous" in reasons[(8, "value")] and "row 14" in reasons[(8, "value")]
    assert "other decimal mark" in reasons[(14, "value")]
    assert "not a finite number" in reasons[(20, "value")]
    assert reasons[(11, "hs_code")] == "total row, not a record"
    assert "Narnia" in reasons[(7, "partner")]
    assert (
        "merged cells filled down (each row under a merged cell takes its value): "
        "B3:B8 (5 row(s)), B17:B19 (2 row(s)); 7 row(s) in all"
    ) in s.notes
    assert "row 14 writes a number with the other decimal mark" in s.notes
    assert "1 HS code(s) had an odd number of digits" in s.notes
    # and exactly what the one-piece read gave: rows, rejects (values, reasons), notes
    assert (flows, rejects, s.notes) == (one[1], one[2], one[0].notes)


def _csv(path: Path, rows: list[list[str]], bad_line_at: int) -> Path:
    lines = [",".join(HEADER).encode("utf-8")]
    for i, r in enumerate(rows, start=2):
        if i == bad_line_at:
            lines.append("1404/02/01,گمرك,08081000,عراق,5".encode("cp1256"))
        lines.append(",".join(r).encode("utf-8"))
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


@pytest.mark.parametrize("chunk", [1, 3, 4])
def test_a_csv_in_chunks_keeps_undecodable_lines_and_duplicates(
    chunk: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        ["1404/02/01", TABRIZ, "08081000", "عراق", "10"],
        ["1404/02/02", TABRIZ, "08081000", "عراق", "20"],
        ["", "", "", "", ""],
        ["1404/02/03", JOLFA, "08081000", "ترکیه", "30"],
        ["1404/02/01", TABRIZ, "08081000", "عراق", "10"],  # row 2 again
        ["1404/02/04", JOLFA, "08081000", "ترکیه", "-4"],
    ]
    path = _csv(tmp_path / "customs.csv", rows, bad_line_at=5)
    monkeypatch.setattr(table, "CHUNK", 10_000)
    one = _imported(init(tmp_path / "one"), path)
    monkeypatch.setattr(table, "CHUNK", chunk)
    s, flows, rejects = _imported(init(tmp_path / "many"), path)
    assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (6, 3, 3)
    assert [(r[0], r[2]) for r in flows] == [(2, 10.0), (3, 20.0), (6, 30.0)]
    assert [(r[0], r[1], r[3]) for r in rejects] == [
        (5, "*", "line is not valid UTF-8 (the file's encoding)"),
        (7, "*", "duplicate of row 2"),
        (8, "value", "value (USD) is negative"),
    ]
    assert (flows, rejects, s.notes) == (one[1], one[2], one[0].notes)


def _big_workbook(path: Path, rows: int) -> Path:
    wb = openpyxl.Workbook(write_only=True)
    sh = wb.create_sheet("صادرات")
    sh.append([*HEADER, "صادرکننده"])
    offices = [TABRIZ, JOLFA, SAHLAN]
    for n in range(rows):
        sh.append(
            [
                f"1404/{n % 12 + 1:02d}/{n % 29 + 1:02d}",
                offices[n % 3],
                8081000 + n % 7,
                "عراق",
                float(n + 1),
                f"شرکت شماره {n}",
            ]
        )
    wb.save(path)
    return path


def _python_peak_mb(ws: Workspace, path: Path) -> float:
    tracemalloc.start()
    try:
        with ws.warehouse() as con:
            s = import_file(con, path, CustomsOptions(region="East Azerbaijan"))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert s.rows_read == s.rows_accepted + s.rows_rejected
    return peak / 2**20


def test_python_memory_of_an_import_does_not_grow_with_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tracemalloc sees Python's objects only (not the spreadsheet reader's or the frames'
    memory): a reader holding every row as a list of cells needs about 1 KiB per row of this
    file, so 12,000 more rows would add some 8 MiB; chunks of 1,000 rows keep the peak where
    the small file's is."""
    monkeypatch.setattr(table, "CHUNK", 1_000)
    small = _python_peak_mb(init(tmp_path / "s"), _big_workbook(tmp_path / "s.xlsx", 4_000))
    large = _python_peak_mb(init(tmp_path / "l"), _big_workbook(tmp_path / "l.xlsx", 16_000))
    assert large < small * 1.25 + 2, (small, large)
    held = customs.read_table(tmp_path / "l.xlsx")[0]
    assert held.height == 16_001 and len(held.chunks) == 17  # and all of it was read


def test_a_csv_whose_only_record_does_not_decode_is_read_and_rejected(tmp_path: Path) -> None:
    """Nothing to check but a line that did not decode: it is the one row read, rejected
    with its bytes shown (this raised a polars SchemaError before)."""
    path = tmp_path / "one-bad-line.csv"
    path.write_bytes(
        ",".join(HEADER).encode("utf-8")
        + b"\n"
        + "1404/02/01,گمرك,08081000,عراق,5".encode("cp1256")
        + b"\n"
    )
    s, flows, rejects = _imported(init(tmp_path / "ws"), path)
    assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (1, 0, 1)
    assert flows == []
    assert rejects == [
        (
            2,
            "*",
            "1404/02/01,\\x90\\xe3\\xd1\\xdf,08081000,\\xda\\xd1\\xc7\\xde,5",
            "line is not valid UTF-8 (the file's encoding)",
        )
    ]


def test_fields_past_the_wide_columns_are_read_as_any_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sheet with 300 filler columns before its fields: the cells past table.WIDE are kept
    as one list per row and read as the others, a typed number staying typed (12.5 under
    ``--decimal ,``), in chunks of two rows."""
    monkeypatch.setattr(table, "CHUNK", 2)
    wb = openpyxl.Workbook()
    sh = wb.active
    assert sh is not None
    filler = [f"x{i}" for i in range(300)]
    sh.append([*filler, *HEADER])
    rows: list[list[Any]] = [
        ["1404/03/01", TABRIZ, "08081000", "عراق", 12.5],
        ["1404/03/02", TABRIZ, "08081000", "عراق", "7,5"],
        ["1404/03/03", TABRIZ, "08081000", "Narnia", 3],
    ]
    for r in rows:
        sh.append([*[None] * 300, *r])
    path = tmp_path / "wide.xlsx"
    wb.save(path)
    with init(tmp_path / "ws").warehouse() as con:
        s = import_file(con, path, CustomsOptions(region="East Azerbaijan", decimal=","))
    assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (3, 2, 1)
    head = customs.read_table(path)[0].rows(1)[0]
    assert len(head) == 305 and head[300:] == HEADER
    cells = customs.read_table(path)[0].rows()[1]
    assert cells[304] == "12.5" and isinstance(cells[304], CellNumber)
    with init(tmp_path / "ws2").warehouse() as con:
        csv_path = tmp_path / "wide.csv"
        lines = [[*filler, *HEADER], *[[*[""] * 300, *map(str, r)] for r in rows]]
        csv_path.write_text("\n".join(";".join(x) for x in lines) + "\n", encoding="utf-8")
        c = import_file(con, csv_path, CustomsOptions(region="East Azerbaijan", decimal=","))
    assert (c.rows_read, c.rows_accepted, c.rows_rejected) == (3, 1, 2)  # 12.5 is text here
