"""The program workbook in the chosen language (issue 16): Persian or English tabs and headers,
the machine names as a second header row, numbers as numbers with formats, Solar Hijri days in
Persian digits in Persian sheets; the import reads the old English-only workbook, the new
English one and the new Persian one, and names a bad row by the sheet, row and column a
person sees in Excel."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from exportplan.i18n import label as t
from exportplan.reference import program_sheets
from exportplan.services import program as svc
from exportplan.store import program as program_db
from exportplan.store.program import ProgramDB
from exportplan.views.program_audit import problem_lines, problem_rows
from test_program import ADMIN, full_program


@pytest.fixture
def db(tmp_path: Path) -> ProgramDB:
    return program_db.connect(f"sqlite:///{tmp_path / 'program.sqlite'}")


def old_workbook(db: ProgramDB, pid: int, path: Path) -> None:
    """The workbook as ``program export`` wrote it before issue 16: machine names as the one
    header row, the program sheet as key and value."""
    data = svc.program_data(db, pid)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "program"
    ws.append(["key", "value"])
    for k in svc.PROGRAM_KEYS:
        ws.append([k, data["program"][k]])
    for sheet, cols in svc.SHEETS.items():
        sh = wb.create_sheet(sheet)
        sh.append(cols)
        for row in data[sheet]:
            sh.append([row[c] for c in cols])
    wb.save(path)


def write(db: ProgramDB, pid: int, path: Path, variant: str) -> None:
    if variant == "old":
        old_workbook(db, pid, path)
    else:
        svc.export(db, pid, path, lang=variant)


def test_every_sheet_names_its_columns_once_in_each_language() -> None:
    """A header cell maps back to one column: two columns of a sheet never share a name."""
    for sheet, cols in svc.SHEETS.items():
        for lang in ("en", "fa"):
            names = [svc.column_label(sheet, c, lang) for c in cols]
            assert len(set(names)) == len(names), (sheet, lang)
        assert set(program_sheets.COLUMNS[sheet]) == set(cols), sheet
    english = {*program_sheets.SHEETS_EN.values(), *program_sheets.PROGRAM_KEYS_EN.values()}
    english |= {*program_sheets.PROGRAM_HEADER.values()}
    english |= {v for cols in program_sheets.COLUMNS.values() for v in cols.values()}
    assert sorted(english - set(program_sheets.FA)) == []  # every name has its Persian
    assert [n for n in english if t(n, "fa") == n] == []


def test_the_persian_workbook_is_persian_with_machine_names_below(
    db: ProgramDB, tmp_path: Path
) -> None:
    pid = full_program(db)
    path = tmp_path / "plan-fa.xlsx"
    svc.export(db, pid, path, lang="fa")
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "برنامه", "دستگاه‌ها", "اولویت‌ها", "اهداف", "اقدامات", "شاخص‌ها", "اندازه‌گیری‌ها",
    ]  # fmt: skip
    actions = wb["اقدامات"]
    assert actions.sheet_view.rightToLeft and actions.freeze_panes == "A3"
    head = [c.value for c in actions[1]]
    assert head[:3] == ["کد", "دستگاه", "اولویت"] and "مهلت (هجری شمسی)" in head
    assert [c.value for c in actions[2]] == svc.SHEETS["actions"]
    row = {m: c.value for m, c in zip(svc.SHEETS["actions"], actions[3], strict=True)}
    assert row["start"] == "۱۴۰۵/۰۱/۱۵" and row["deadline"] == "۱۴۰۵/۰۳/۳۱"
    assert row["status"] == "برنامه‌ریزی‌شده"  # planned
    targets = wb["اهداف"]
    value = targets.cell(3, svc.SHEETS["targets"].index("value_usd") + 1)
    assert value.value == 1e9 and value.number_format == "#,##0"  # a number, formatted
    program = wb["برنامه"]
    assert [c.value for c in program[1]] == ["مورد", "مقدار", "نام ماشینی"]
    fields = {r[2]: (r[0], r[1]) for r in program.iter_rows(min_row=3, values_only=True)}
    assert fields["target_usd"] == ("هدف (دلار)", 3e9)
    target_cell = next(r[1] for r in program.iter_rows(min_row=3) if r[2].value == "target_usd")
    assert target_cell.number_format == "#,##0"
    # the English workbook: machine names as tabs (as before), English names above them
    en = tmp_path / "plan-en.xlsx"
    svc.export(db, pid, en, lang="en")
    wb_en = load_workbook(en)
    assert wb_en.sheetnames == ["program", *svc.SHEETS]
    assert [c.value for c in wb_en["actions"][1]][:4] == ["Code", "Agency", "Priority", "Title"]
    assert not wb_en["actions"].sheet_view.rightToLeft
    # an agency's kind and the definition of exports in Persian words, not codes
    agencies = wb["دستگاه‌ها"]
    kinds = {
        r[0]: r[svc.SHEETS["agencies"].index("kind")]
        for r in agencies.iter_rows(min_row=3, values_only=True)
    }
    stored = {a["code"]: a["kind"] for a in svc.agencies(db)}
    assert kinds == {c: program_sheets.agency_kind_text(k, "fa") for c, k in stored.items()}
    assert all(re.fullmatch(r"[\u0600-\u06ff\u200c ،]+", k) for k in kinds.values()), kinds
    assert program_sheets.agency_kind_text("customs", "fa") == "گمرک"  # the agency, not exports
    assert fields["definition"][1] == t(svc.show(db, pid)["program"]["definition"], "fa")
    # each reads back as what the store holds (the Persian days, status, kinds, definition)
    assert svc.read(path)["actions"] == svc.read(en)["actions"]
    assert svc.read(path)["actions"][0]["status"] == "planned"
    assert svc.read(path)["agencies"] == svc.read(en)["agencies"]
    assert {a["code"]: a["kind"] for a in svc.read(path)["agencies"]} == stored
    assert svc.read(path)["program"] == svc.read(en)["program"]
    assert svc.preview_file(db, ADMIN, path)["changes"] == []  # nothing to change


@pytest.mark.parametrize("variant", ["old", "en", "fa"])
def test_download_edit_one_cell_upload_previews_exactly_that_change(
    db: ProgramDB, tmp_path: Path, variant: str
) -> None:
    pid = full_program(db)
    path = tmp_path / f"plan-{variant}.xlsx"
    write(db, pid, path, variant)
    before = svc.program_data(db, pid)
    # nothing edited: nothing to change
    same = svc.preview_file(db, ADMIN, path)
    assert same["changes"] == [] and same["problems"] == [] and same["unchanged"] > 0
    wb = load_workbook(path)
    sheet = wb.worksheets[4]  # program, agencies, priorities, targets, actions
    machine_row = 1 if variant == "old" else 2
    cols = [c.value for c in sheet[machine_row]]
    assert cols == svc.SHEETS["actions"]
    sheet.cell(machine_row + 1, cols.index("title") + 1, "Baghdad and Basra fairs")
    wb.save(path)
    found = svc.preview_file(db, ADMIN, path)
    assert found["problems"] == []
    assert [(c["op"], c["entity"], c["code"]) for c in found["changes"]] == [
        ("update", "action", before["actions"][0]["code"])
    ]
    change = found["changes"][0]
    differs = {k for k in change["after"] if change["after"][k] != change["before"].get(k)}
    assert differs - {"version", "updated_at", "updated_by"} == {"title"}
    assert change["after"]["title"] == "Baghdad and Basra fairs"
    assert svc.program_data(db, pid) == before  # a preview writes nothing
    svc.import_file(db, ADMIN, path)
    after = svc.program_data(db, pid)
    assert after["actions"][0]["title"] == "Baghdad and Basra fairs"
    after["actions"][0]["title"] = before["actions"][0]["title"]
    assert after == before


def test_a_persian_workbook_names_a_bad_row_in_persian(db: ProgramDB, tmp_path: Path) -> None:
    pid = full_program(db)
    path = tmp_path / "plan-fa.xlsx"
    svc.export(db, pid, path, lang="fa")
    wb = load_workbook(path)
    actions = wb["اقدامات"]
    cols = [c.value for c in actions[2]]
    actions.append([None] * len(cols))
    new: dict[str, Any] = {
        "code": "A9", "agency": "IMT", "title": "x", "start": "۱۴۰۴/۱۲/۳۰",
        "deadline": "۱۴۰۵/۰۴/۰۱", "status": "برنامه‌ریزی‌شده", "progress": 0,
    }  # fmt: skip
    for k, v in new.items():
        actions.cell(4, cols.index(k) + 1, v)  # Excel's row 4: below the action of row 3
    wb.save(path)
    found = svc.preview_file(db, ADMIN, path)
    assert [p[:3] for p in found["problems"]] == [("actions", 4, "start")]
    shown = problem_rows(found["problems"], "fa")
    assert shown[0]["sheet"] == "اقدامات" and shown[0]["row"] == 4
    assert shown[0]["column"] == "شروع (هجری شمسی)"
    assert "در تقویم هجری شمسی وجود ندارد" in shown[0]["what"]
    line = problem_lines(found["problems"], "fa")[0]
    assert line.startswith("برگه اقدامات، ردیف ۴، ستون شروع (هجری شمسی): ")
    assert problem_lines(found["problems"], "en")[0].startswith(
        "actions row 4, Start (Solar Hijri): "
    )
    # a bad number on the program sheet: the row of its field, the value's column
    wb = load_workbook(path)
    prog = wb["برنامه"]
    row = next(r[0].row for r in prog.iter_rows(min_row=3) if r[2].value == "target_usd")
    prog.cell(row, 2, "lots")
    wb.save(path)
    found = svc.preview_file(db, ADMIN, path)
    assert [p[:3] for p in found["problems"]] == [("program", row, "value")]
    assert problem_rows(found["problems"], "fa")[0]["column"] == "مقدار"


def test_the_command_line_exports_in_persian_and_reports_in_persian(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from exportplan.cli import app
    from exportplan.workspace import init

    ws = init(tmp_path / "ws")
    monkeypatch.chdir(tmp_path)
    pid = full_program(ws.program())
    runner = CliRunner()
    out = tmp_path / "plan.xlsx"
    args = ["--workspace", str(ws.path)]
    r = runner.invoke(app, ["program", "export", str(out), "--lang", "fa", *args])
    assert r.exit_code == 0, r.output
    assert load_workbook(out).sheetnames[0] == "برنامه"
    r = runner.invoke(app, ["program", "export", str(out), "--lang", "de", *args])
    assert r.exit_code != 0
    wb = load_workbook(out)
    wb["اهداف"].cell(3, svc.SHEETS["targets"].index("value_usd") + 1, "بسیار")
    wb.save(out)
    r = runner.invoke(app, ["program", "import", str(out), "--lang", "fa", *args])
    assert r.exit_code != 0
    assert "برگه اهداف، ردیف ۳، ستون مقدار (دلار): " in r.output
    assert r.exit_code == 2 and "۱ مورد نادرست؛ هیچ چیز وارد نشد" in r.output
    assert "problem(s)" not in r.output and "nothing was imported" not in r.output
    assert svc.program_data(ws.program(), pid)["targets"][0]["value_usd"] == 1e9
