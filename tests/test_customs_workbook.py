"""Customs workbooks as people make them: merged office cells filled down (with a note), and
data that starts below and right of A1 keeping Excel's row numbers.

Ported from branch ``workbook`` (its merged-cell and row-number tests); the chunked reading
itself is tested in tests/test_customs_stream.py."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import polars as pl
from python_calamine import CalamineWorkbook

from exportplan.ingest import customs
from exportplan.ingest.customs import Merged, cell_ref, fill_merged
from exportplan.ingest.files import CellNumber
from exportplan.services.imports.customs import CustomsOptions, import_file
from exportplan.store import warehouse
from exportplan.workspace import Workspace

HEADER = ["تاریخ", "گمرک اجرایی", "کد تعرفه", "کشور مقصد", "ارزش دلاری"]


def _opts() -> CustomsOptions:
    return CustomsOptions(region="East Azerbaijan")


def _flows(ws: Workspace, ds: int) -> pl.DataFrame:
    with ws.warehouse(read_only=True) as con:
        return warehouse.frame(
            con, "SELECT * FROM region_flows WHERE dataset_id = ? ORDER BY source_row", [ds]
        )


def test_rows_under_a_merged_office_cell_take_its_office(ws: Workspace, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    sh = wb.active
    assert sh is not None
    sh.append(["صادرات استان - فروردین ۱۴۰۴"])
    sh.merge_cells("A1:E1")  # a title across the columns
    sh.append(HEADER)
    rows = [  # (office as typed, value): offices typed once at the top of their block
        ("گمرک تبریز", 100),
        (None, 200),
        (None, 300),
        ("گمرک جلفا", 1000),
        (None, 2000),
        ("گمرک سهلان", 7),  # a block of one row, not merged
        ("گمرک تبریز", 40),
        (None, 50),
    ]
    for i, (office, value) in enumerate(rows):
        sh.append([f"1404/01/{i + 1:02d}", office, "08081000", "عراق", value])
    sh.merge_cells("B3:B5")
    sh.merge_cells("B6:B7")
    sh.merge_cells("B9:B10")
    p = tmp_path / "merged.xlsx"
    wb.save(p)
    with ws.warehouse() as con:
        s = import_file(con, p, _opts())
    assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (8, 8, 0)
    f = _flows(ws, s.dataset_id)
    assert f.get_column("source_row").to_list() == list(range(3, 11))
    assert f.get_column("customs_office").to_list() == [
        "گمرک تبریز",
        "گمرک تبریز",
        "گمرک تبریز",
        "گمرک جلفا",
        "گمرک جلفا",
        "گمرک سهلان",
        "گمرک تبریز",
        "گمرک تبریز",
    ]
    totals = dict(f.group_by("customs_office").agg(pl.col("value_usd").sum()).iter_rows())
    assert totals == {"گمرک تبریز": 690.0, "گمرک جلفا": 3000.0, "گمرک سهلان": 7.0}
    assert (
        "merged cells filled down (each row under a merged cell takes its value): "
        "B3:B5 (2 row(s)), B6:B7 (1 row(s)), B9:B10 (1 row(s)); 4 row(s) in all"
    ) in s.notes
    assert "A1:E1" not in s.notes  # a merge across one row fills no row


def test_without_the_fill_the_rows_would_lose_their_office(tmp_path: Path) -> None:
    """The reader itself leaves merged cells empty: the fill is what gives them a value."""
    wb = openpyxl.Workbook()
    sh = wb.active
    assert sh is not None
    sh.append(HEADER)
    for i in range(3):
        sh.append([f"1404/01/0{i + 1}", "گمرک تبریز" if i == 0 else None, "08081000", "عراق", 1])
    sh.merge_cells("B2:B4")
    p = tmp_path / "m.xlsx"
    wb.save(p)
    raw = [r[1] for r in CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).to_python()]
    assert raw[1:] == ["گمرک تبریز", "", ""]
    table, how, filled = customs.read_table(p)
    rows = table.rows()
    assert how == "sheet Sheet"
    assert [r[1] for r in rows][1:] == ["گمرک تبریز"] * 3
    assert filled == [
        "merged cells filled down (each row under a merged cell takes its value): "
        "B2:B4 (2 row(s)); 2 row(s) in all"
    ]


def test_a_merged_typed_number_stays_a_typed_number(ws: Workspace, tmp_path: Path) -> None:
    """The fill copies the cell as read: a typed value 12.5 merged over three rows is a
    spreadsheet number in each (never re-read by the file's decimal convention)."""
    wb = openpyxl.Workbook()
    sh = wb.active
    assert sh is not None
    sh.append(HEADER)
    for i in range(3):
        sh.append([f"1404/01/0{i + 1}", "گمرک تبریز", "08081000", "عراق", 12.5 if i == 0 else None])
    sh.merge_cells("E2:E4")
    p = tmp_path / "typed.xlsx"
    wb.save(p)
    rows = customs.read_table(p)[0].rows()
    assert [r[4] for r in rows[1:]] == ["12.5"] * 3
    assert all(isinstance(r[4], CellNumber) for r in rows[1:])
    with ws.warehouse() as con:
        s = import_file(con, p, CustomsOptions(region="East Azerbaijan", decimal=","))
    assert (s.rows_read, s.rows_accepted) == (3, 3)
    assert _flows(ws, s.dataset_id).get_column("value_usd").to_list() == [12.5] * 3


def test_excel_row_numbers_when_the_data_starts_below_and_right_of_a1(
    ws: Workspace, tmp_path: Path
) -> None:
    wb = openpyxl.Workbook()
    sh = wb.active
    assert sh is not None
    for j, h in enumerate(HEADER):
        sh.cell(row=5, column=3 + j, value=h)  # header in C5:G5, rows 1-4 and A:B empty
    data: list[list[object]] = [
        ["1404/02/01", "گمرک تبریز", "08081000", "عراق", 10],
        ["1404/02/02", "گمرک تبریز", "08081000", "Narnia", 20],
        [None, None, None, None, None],
        ["1404/13/01", "گمرک جلفا", "08081000", "عراق", 30],
    ]
    for i, row in enumerate(data):
        for j, v in enumerate(row):
            sh.cell(row=6 + i, column=3 + j, value=v)
    sh.merge_cells("D6:D7")  # a merged office in the shifted sheet
    p = tmp_path / "shifted.xlsx"
    wb.save(p)
    with ws.warehouse() as con:
        s = import_file(con, p, _opts())
    assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (3, 1, 2)
    with ws.warehouse(read_only=True) as con:
        rej = con.execute(
            'SELECT "row", "column", value, reason, file FROM rejects WHERE dataset_id = ? '
            'ORDER BY "row"',
            [s.dataset_id],
        ).fetchall()
    assert [(r[0], r[1], r[2]) for r in rej] == [
        (7, "partner", "Narnia"),
        (9, "period", "1404/13/01"),
    ]
    assert all(r[4] == "shifted.xlsx" and r[3] for r in rej)
    assert "D6:D7 (1 row(s))" in s.notes
    f = _flows(ws, s.dataset_id)
    assert f.get_column("source_row").to_list() == [6]


def test_fill_merged_on_rows() -> None:
    def table() -> list[list[str]]:
        return [["h", "office"], ["1", "A"], ["2", ""], ["3", ""], ["4", "B"], ["5", ""]]

    rows = table()
    notes = fill_merged(rows, [Merged(1, 1, 3, 1), Merged(4, 1, 5, 1), Merged(0, 0, 0, 1)])
    # the top-left value applies to every cell of the range: A1:B1 across, B2:B4 down
    assert [r[1] for r in rows] == ["h", "A", "A", "A", "B", "B"]
    assert [r[0] for r in rows] == ["h", "1", "2", "3", "4", "5"]
    assert notes == [
        "merged cells filled down (each row under a merged cell takes its value): "
        "B2:B4 (2 row(s)), B5:B6 (1 row(s)); 3 row(s) in all"
    ]
    # a merge past the rows, or with an empty top-left cell, changes nothing
    same = table()
    assert fill_merged(same, [Merged(40, 0, 60, 0), Merged(2, 1, 3, 1)]) == []
    assert same == table()
    # a range running past the last row fills to the last row; a column offset is honoured
    shifted = [["", "x"], ["", ""]]
    assert fill_merged(shifted, [Merged(0, 3, 9, 3)], col_offset=2) == [
        "merged cells filled down (each row under a merged cell takes its value): "
        "D1:D10 (1 row(s)); 1 row(s) in all"
    ]
    assert shifted == [["", "x"], ["", "x"]]
    assert (cell_ref(0, 0), cell_ref(9, 25), cell_ref(0, 26), cell_ref(2, 701)) == (
        "A1",
        "Z10",
        "AA1",
        "ZZ3",
    )
    assert fill_merged([], [Merged(0, 0, 1, 0)]) == []
    many = [["v", f"o{i}"] for i in range(30)]
    notes = fill_merged(many, [Merged(2 * i, 1, 2 * i + 1, 1) for i in range(10)])
    assert [r[1] for r in many[:4]] == ["o0", "o0", "o2", "o2"]
    refs = ", ".join(f"B{2 * i + 1}:B{2 * i + 2} (1 row(s))" for i in range(8))
    assert notes == [
        "merged cells filled down (each row under a merged cell takes its value): "
        f"{refs} and 2 more range(s); 10 row(s) in all"
    ]
