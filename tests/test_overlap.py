"""The overlap rule of customs imports (issue 13): the same records in other bytes (CRLF, the
same sheet as xlsx, one row more, 300 rows of an earlier file among new ones) are refused,
naming the months, offices and the earlier import; ``--replace`` puts exactly the new file's
values in those cells and leaves the others; a cumulative file replaces the earlier
cumulative file of its year; removing an import gives the cells it replaced back."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest

from exportplan.errors import OverlapError
from exportplan.services import data
from exportplan.services import monitor as mon
from exportplan.services.imports.customs import CustomsOptions, import_file
from exportplan.services.imports.overlap import months_text, offices_text
from exportplan.store.warehouse import schema
from exportplan.workspace import Workspace

HEADER = ["تاریخ", "گمرک اجرایی", "کد تعرفه", "کشور مقصد", "وزن خالص (کیلوگرم)", "ارزش دلاری"]
OFFICES = ("گمرک تبریز", "گمرک جلفا")
PRODUCTS = ("08081000", "72142000", "39012000", "74031100", "08022100")
PARTNERS = ("عراق", "ترکیه", "ارمنستان", "روسیه")


def records(
    n: int, *, year: int = 1404, months: range = range(1, 7), seed: int = 0
) -> list[list[str]]:
    """``n`` distinct records over ``months`` of ``year`` and the two offices."""
    out = []
    for i in range(n):
        k = i + seed * 10_000
        m = months[k % len(months)]
        out.append(
            [
                f"{year}/{m:02d}/{1 + (k // 7) % 28:02d}",
                OFFICES[(k // len(months)) % 2],
                PRODUCTS[k % 5],
                PARTNERS[(k // 5) % 4],
                str(100 + k),
                str(1000 + 17 * k),
            ]
        )
    return out


def write_csv(path: Path, rows: list[list[str]], *, newline: str = "\n") -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline)
    w.writerow(HEADER)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8"))
    return path


def opts(ws: Workspace, **kw: object) -> CustomsOptions:
    return CustomsOptions(region=ws.home_region, **kw)  # type: ignore[arg-type]


def by_cell(rows: list[list[str]]) -> dict[tuple[int, str], float]:
    """USD per (Solar Hijri month, office) computed from the records themselves."""
    out: dict[tuple[int, str], float] = defaultdict(float)
    for r in rows:
        out[(int(r[0].split("/")[1]), r[1])] += float(r[5])
    return dict(out)


def loaded_by_cell(ws: Workspace) -> dict[tuple[int, str], float]:
    with ws.warehouse(read_only=True) as con:
        rows = con.execute(
            "SELECT sh_month, customs_office, sum(value_usd) FROM region_flows GROUP BY ALL"
        ).fetchall()
    return {(int(m), str(o)): float(v) for m, o, v in rows}


def state(ws: Workspace) -> tuple[object, ...]:
    """Everything a total is made of, and the import records."""
    with ws.warehouse(read_only=True) as con:
        counts = con.execute(
            "SELECT (SELECT count(*) FROM region_flows), (SELECT sum(value_usd) FROM region_flows), "
            "(SELECT sum(value_usd) FROM region_summary), (SELECT count(*) FROM datasets), "
            "(SELECT count(*) FROM rejects), (SELECT count(*) FROM region_flows_superseded), "
            "(SELECT list(superseded_by ORDER BY cell_id) FROM dataset_cells)"
        ).fetchall()[0]
    ytd = mon.status(ws, mon.Scope(region=ws.home_region), 1404, month=6).ytd
    return (*counts, ytd)


@pytest.fixture
def earlier(ws: Workspace, tmp_path: Path) -> tuple[Path, list[list[str]]]:
    rows = records(600)
    f = write_csv(tmp_path / "exports-1404.csv", rows)
    with ws.warehouse() as con:
        s = import_file(con, f, opts(ws))
    assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (600, 600, 0)
    return f, rows


def refused(ws: Workspace, f: Path) -> OverlapError:
    with ws.warehouse() as con, pytest.raises(OverlapError) as info:
        import_file(con, f, opts(ws))
    return info.value


def test_a_crlf_resave_is_refused_naming_months_offices_and_the_dataset(
    ws: Workspace, tmp_path: Path, earlier: tuple[Path, list[list[str]]]
) -> None:
    f, rows = earlier
    before = state(ws)
    crlf = write_csv(tmp_path / "exports-1404-crlf.csv", rows, newline="\r\n")
    assert crlf.read_bytes() != f.read_bytes()
    err = refused(ws, crlf)
    text = str(err)
    assert "Farvardin–Shahrivar 1404" in text and "dataset 1 (exports-1404.csv" in text
    assert all(o in text for o in OFFICES) and "Nothing was imported" in text
    assert "--replace" in err.hint
    assert {(c["month"], c["office"]) for c in err.cells} == {
        (m, o) for m in range(1, 7) for o in OFFICES
    }
    assert state(ws) == before  # totals, monitor, datasets, rejects: unchanged


def test_the_same_sheet_saved_as_xlsx_is_refused(
    ws: Workspace, tmp_path: Path, earlier: tuple[Path, list[list[str]]]
) -> None:
    _, rows = earlier
    before = state(ws)
    wb = openpyxl.Workbook()
    sh = wb.active
    assert sh is not None
    sh.append(HEADER)
    for r in rows:
        sh.append(r)
    x = tmp_path / "exports-1404.xlsx"
    wb.save(x)
    err = refused(ws, x)
    assert len(err.cells) == 12 and {c["dataset_id"] for c in err.cells} == {1}
    assert state(ws) == before


def test_one_extra_row_is_refused(
    ws: Workspace, tmp_path: Path, earlier: tuple[Path, list[list[str]]]
) -> None:
    _, rows = earlier
    before = state(ws)
    more = write_csv(tmp_path / "more.csv", [*rows, records(1, seed=7)[0]])
    refused(ws, more)
    assert state(ws) == before


def test_300_repeated_rows_among_new_ones_are_refused_then_replaced_exactly(
    ws: Workspace, tmp_path: Path, earlier: tuple[Path, list[list[str]]]
) -> None:
    _, old_rows = earlier
    before = state(ws)
    repeated = [r for r in old_rows if int(r[0].split("/")[1]) <= 3]  # Farvardin to Khordad
    assert len(repeated) == 300
    new_rows = records(120, months=range(2, 4), seed=3)  # Ordibehesht and Khordad only
    later = write_csv(tmp_path / "revised.csv", [*repeated, *new_rows])
    err = refused(ws, later)
    covered = set(by_cell([*repeated, *new_rows]))
    assert {(c["month"], c["office"]) for c in err.cells} == covered
    assert {m for m, _ in covered} == {1, 2, 3}
    assert "Farvardin–Khordad 1404" in str(err)
    assert state(ws) == before  # the 1404 total is not raised by the 300 repeated rows

    with ws.warehouse() as con:
        s = import_file(con, later, opts(ws, replace=True))
    assert s.rows_accepted + s.rows_rejected == s.rows_read == 420 and s.rows_rejected == 0
    loaded = loaded_by_cell(ws)
    new_values = by_cell([*repeated, *new_rows])
    old_values = by_cell(old_rows)
    for cell, v in loaded.items():
        expected = new_values[cell] if cell in covered else old_values[cell]
        assert v == pytest.approx(expected), cell
    assert set(loaded) == set(old_values) | set(new_values)
    assert_consistent(ws)
    ytd = mon.status(ws, mon.Scope(region=ws.home_region), 1404, month=6).ytd
    assert ytd == pytest.approx(
        sum(new_values.values()) + sum(v for c, v in old_values.items() if c not in covered)
    )
    supply = data.supplies(ws)
    assert {(c["month"], c["office"]) for c in supply[1].superseded[s.dataset_id]} == covered
    assert {(c["month"], c["office"]) for c in supply[s.dataset_id].supplied} == covered

    removed = data.remove(ws, s.dataset_id)  # the replaced cells come back
    assert removed.rows == 420 and len(removed.restored) == len(covered)
    assert "supplied again by dataset 1" in data.removal_text(removed, "en")
    assert loaded_by_cell(ws) == pytest.approx(old_values)
    assert_consistent(ws)
    assert state(ws)[:3] == before[:3] and state(ws)[-1] == pytest.approx(before[-1])


def test_new_offices_or_months_beside_loaded_ones_import_normally(
    ws: Workspace, tmp_path: Path, earlier: tuple[Path, list[list[str]]]
) -> None:
    _, rows = earlier
    months = write_csv(tmp_path / "mehr.csv", records(50, months=range(7, 8), seed=1))
    other = [[r[0], "گمرک بازرگان", *r[2:]] for r in records(30, seed=2)]
    office = write_csv(tmp_path / "bazargan.csv", other)
    with ws.warehouse() as con:
        assert import_file(con, months, opts(ws)).rows_accepted == 50
        assert import_file(con, office, opts(ws)).rows_accepted == 30
    total = sum(float(r[5]) for r in [*rows, *records(50, months=range(7, 8), seed=1), *other])
    assert sum(loaded_by_cell(ws).values()) == pytest.approx(total)


def test_other_definition_is_another_cell(
    ws: Workspace, tmp_path: Path, earlier: tuple[Path, list[list[str]]]
) -> None:
    _, rows = earlier
    f = write_csv(tmp_path / "origin.csv", rows, newline="\r\n")
    with ws.warehouse() as con:
        s = import_file(con, f, opts(ws, definition="origin"))
    assert s.rows_accepted == 600 and not s.already_imported


def test_a_file_without_offices_covers_every_office_and_gregorian_months_overlap(
    ws: Workspace, tmp_path: Path, earlier: tuple[Path, list[list[str]]]
) -> None:
    f = tmp_path / "province.csv"
    f.write_text("تاریخ,کد تعرفه,کشور مقصد,ارزش دلاری\n1404/03/05,080810,عراق,5\n", "utf-8")
    err = refused(ws, f)
    assert {c["month"] for c in err.cells} == {3} and len(err.cells) == 2
    g = tmp_path / "gregorian.csv"  # April 2025 = Farvardin/Ordibehesht 1404
    g.write_text(
        "date,office,hs code,destination,value\n2025-04,گمرک تبریز,080810,IRQ,5\n", "utf-8"
    )
    err = refused(ws, g)
    assert {(c["month"], c["office"]) for c in err.cells} == {(1, OFFICES[0]), (2, OFFICES[0])}


def cumulative_csv(path: Path, values: dict[int, dict[str, float]]) -> Path:
    """A cumulative-from-Farvardin file: {month: {office: cumulative USD}} of one product."""
    lines = ["ماه و سال,گمرک اجرایی,کد تعرفه,کشور مقصد,ارزش دلاری"]
    for m, per in values.items():
        for office, v in per.items():
            lines.append(f"1404/{m:02d},{office},080810,عراق,{v}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_cumulative_file_replaces_the_earlier_cumulative_file_of_its_year(
    ws: Workspace, tmp_path: Path
) -> None:
    t, j = OFFICES
    a = cumulative_csv(tmp_path / "cum-3.csv", {1: {t: 10, j: 5}, 2: {t: 30, j: 5}, 3: {t: 60}})
    # the next report revises Ordibehesht (30 -> 35) and reaches Tir
    b = cumulative_csv(
        tmp_path / "cum-4.csv",
        {1: {t: 10, j: 5}, 2: {t: 35, j: 6}, 3: {t: 60, j: 6}, 4: {t: 100, j: 9}},
    )
    with ws.warehouse() as con:
        first = import_file(con, a, opts(ws, cumulative=True))
        second = import_file(con, b, opts(ws, cumulative=True))  # no --replace needed
    assert first.rows_accepted == 5 and second.rows_accepted == 8
    loaded = loaded_by_cell(ws)
    assert sum(v for (m, o), v in loaded.items() if o == t) == pytest.approx(100)  # its Tir figure
    assert sum(v for (m, o), v in loaded.items() if o == j) == pytest.approx(9)
    assert loaded[(2, t)] == pytest.approx(25) and loaded[(3, t)] == pytest.approx(25)
    assert_consistent(ws)
    supply = data.supplies(ws)
    assert supply[first.dataset_id].supplied == []  # every cell of the earlier report replaced
    # Jolfa's Khordad has no row in the first report, yet the report covers it (to Khordad)
    assert {(c["month"], c["office"]) for c in supply[first.dataset_id].superseded[2]} == {
        (m, o) for m in (1, 2, 3) for o in (t, j)
    }
    # an older, shorter report is refused: keeping some of the later one's months would mix them
    c = cumulative_csv(tmp_path / "cum-2.csv", {1: {t: 10}, 2: {t: 30}})
    with ws.warehouse() as con, pytest.raises(OverlapError):
        import_file(con, c, opts(ws, cumulative=True))
    # and a monthly file over a cumulative year too
    m = cumulative_csv(tmp_path / "monthly.csv", {4: {t: 40}})
    with ws.warehouse() as con, pytest.raises(OverlapError):
        import_file(con, m, opts(ws))


def test_a_cumulative_snapshot_covers_the_months_before_it(ws: Workspace, tmp_path: Path) -> None:
    monthly = cumulative_csv(tmp_path / "farvardin.csv", {1: {OFFICES[0]: 10}})
    snapshot = cumulative_csv(tmp_path / "to-shahrivar.csv", {6: {OFFICES[0]: 70}})
    with ws.warehouse() as con:
        import_file(con, monthly, opts(ws))
        with pytest.raises(OverlapError, match="Farvardin 1404"):
            import_file(con, snapshot, opts(ws, cumulative=True))
        import_file(con, snapshot, opts(ws, cumulative=True, replace=True))
    assert loaded_by_cell(ws) == {(6, OFFICES[0]): 70.0}  # the 10 are in the 70, not beside it


def test_a_failed_replace_changes_nothing(
    ws: Workspace,
    tmp_path: Path,
    earlier: tuple[Path, list[list[str]]],
    fault: list[str],
) -> None:
    _, rows = earlier
    before = state(ws)
    later = write_csv(tmp_path / "revised.csv", rows[:200])
    for stage in ("flows", "rejects", "commit"):
        fault[:] = [stage]
        with ws.warehouse() as con, pytest.raises(RuntimeError, match="injected"):
            import_file(con, later, opts(ws, replace=True))
        assert state(ws) == before, stage


KILL = """
import os, signal, sys
from pathlib import Path
from exportplan.services.imports import customs
from exportplan.store.warehouse import writes
from exportplan.workspace import open_workspace

real = writes.add_rejects

def then_die(*args, **kwargs):
    real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)

writes.add_rejects = then_die
ws = open_workspace(Path(sys.argv[1]))
with ws.warehouse() as con:
    customs.import_file(
        con, Path(sys.argv[2]), customs.CustomsOptions(region=ws.home_region, replace=True)
    )
"""


def test_a_replace_killed_half_way_leaves_the_old_state(
    ws: Workspace, tmp_path: Path, earlier: tuple[Path, list[list[str]]]
) -> None:
    _, rows = earlier
    before = state(ws)
    later = write_csv(tmp_path / "revised.csv", rows[:250])
    done = subprocess.run(
        [sys.executable, "-c", KILL, str(ws.path), str(later)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert state(ws) == before
    assert_consistent(ws)
    with ws.warehouse() as con:
        s = import_file(con, later, opts(ws, replace=True))
    assert_consistent(ws)
    assert s.rows_accepted == 250 and sum(loaded_by_cell(ws).values()) == pytest.approx(
        sum(by_cell(rows[:250]).values())
        + sum(v for c, v in by_cell(rows).items() if c not in by_cell(rows[:250]))
    )


def test_a_warehouse_from_before_cells_gets_them_from_its_rows(
    ws: Workspace, tmp_path: Path, earlier: tuple[Path, list[list[str]]]
) -> None:
    _, rows = earlier
    with ws.warehouse() as con:
        cells = con.execute("SELECT count(*), sum(n_rows) FROM dataset_cells").fetchall()[0]
        con.execute("DROP TABLE dataset_cells; DROP TABLE region_flows_superseded")
        con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    assert cells == (12, 600)
    with ws.warehouse(read_only=True) as con:  # brought up to date on opening
        assert schema.version(con) == schema.SCHEMA_VERSION
        assert con.execute("SELECT count(*), sum(n_rows) FROM dataset_cells").fetchall()[0] == cells
    refused(ws, write_csv(tmp_path / "crlf.csv", rows, newline="\r\n"))


def test_months_and_offices_read_as_people_read_them() -> None:
    periods = [("sh", 1404, 1), ("sh", 1404, 2), ("sh", 1404, 3), ("sh", 1404, 12), ("g", 2024, 3)]
    assert months_text(periods, "en") == "2024-03, Farvardin–Khordad 1404, Esfand 1404"
    assert months_text(periods, "fa") == "۲۰۲۴-۰۳، فروردین تا خرداد ۱۴۰۴، اسفند ۱۴۰۴"
    assert offices_text(["b", None, "a"], "en") == "(no office given: every office), a, b"
    many = months_text([("sh", 1390 + i, 1) for i in range(20)], "en")
    assert many.endswith("and 8 more")


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "exportplan.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
    )


def test_the_cli_refuses_replaces_lists_cells_and_removes(tmp_path: Path) -> None:
    env = {"EXPORTPLAN_WORKSPACE": str(tmp_path / "ws"), "COLUMNS": "400"}
    assert run_cli("init", env=env).returncode == 0
    rows = records(40)
    a = write_csv(tmp_path / "a.csv", rows)
    b = write_csv(tmp_path / "b.csv", rows[:20], newline="\r\n")
    assert run_cli("import", "customs", str(a), env=env).returncode == 0
    r = run_cli("import", "customs", str(b), env=env)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "overlaps customs records already loaded" in r.stderr and "--replace" in r.stderr
    r = run_cli("import", "customs", str(b), "--replace", env=env)
    assert r.returncode == 0 and "imported as dataset" in r.stdout, r.stderr
    listed = json.loads(run_cli("datasets", "--json", env=env).stdout)
    assert len(listed) == 2 and listed[0]["id"] == 1  # the refused file left no record
    new = listed[1]["id"]
    assert listed[0]["superseded"].startswith(f"by {new}: Farvardin–Shahrivar 1404")
    assert listed[1]["supplies"].startswith("Farvardin–Shahrivar 1404")
    cells = json.loads(run_cli("datasets", "--cells", "--json", env=env).stdout)
    assert len(cells) == 24 and {c["superseded_by"] for c in cells if c["dataset_id"] == 1} == {new}
    assert sum(c["n_rows"] for c in cells) == 60
    text = run_cli("datasets", env=env).stdout
    assert "supplies" in text and "superseded" in text
    r = run_cli("remove", str(new), env=env)
    assert r.returncode == 0
    assert f"dataset {new} (b.csv) removed with its 20 row(s) and its rejects" in r.stdout
    assert "supplied again by dataset 1 (a.csv, customs)" in r.stdout


def assert_consistent(ws: Workspace) -> None:
    """The invariants of the cells: the rows are exactly those of the supplied cells, the
    superseded rows those of the superseded cells, no two imports supply overlapping cells,
    and the summaries add up to the rows."""
    with ws.warehouse(read_only=True) as con:
        (rows, usd, summary, old_rows, old_usd, cells_rows, cells_usd, sup_rows, sup_usd, clash) = (
            con.execute(
                """SELECT (SELECT count(*) FROM region_flows),
                      (SELECT coalesce(sum(value_usd), 0) FROM region_flows),
                      (SELECT coalesce(sum(value_usd), 0) FROM region_summary),
                      (SELECT count(*) FROM region_flows_superseded),
                      (SELECT coalesce(sum(value_usd), 0) FROM region_flows_superseded),
                      (SELECT coalesce(sum(n_rows), 0) FROM dataset_cells WHERE superseded_by IS NULL),
                      (SELECT coalesce(sum(value_usd), 0) FROM dataset_cells
                        WHERE superseded_by IS NULL),
                      (SELECT coalesce(sum(n_rows), 0) FROM dataset_cells
                        WHERE superseded_by IS NOT NULL),
                      (SELECT coalesce(sum(value_usd), 0) FROM dataset_cells
                        WHERE superseded_by IS NOT NULL),
                      (SELECT count(*) FROM dataset_cells a JOIN dataset_cells b
                         ON a.dataset_id < b.dataset_id AND a.region = b.region
                        AND a.definition = b.definition
                        AND (a.office_key IS NULL OR b.office_key IS NULL
                             OR a.office_key = b.office_key)
                        AND a.first_day <= b.last_day AND b.first_day <= a.last_day
                        WHERE a.superseded_by IS NULL AND b.superseded_by IS NULL)"""
            ).fetchall()[0]
        )
    assert (rows, old_rows, clash) == (cells_rows, sup_rows, 0)
    assert usd == pytest.approx(cells_usd) == pytest.approx(summary)
    assert old_usd == pytest.approx(sup_usd)


CONCURRENT = """
import sys, time
from pathlib import Path
from exportplan.errors import WorkspaceError
from exportplan.services.imports import customs
from exportplan.workspace import open_workspace

ws = open_workspace(Path(sys.argv[1]))
for _ in range(600):
    try:
        with ws.warehouse() as con:
            s = customs.import_file(
                con, Path(sys.argv[2]), customs.CustomsOptions(region=ws.home_region, replace=True)
            )
        print(s.dataset_id)
        break
    except WorkspaceError:
        time.sleep(0.05)
"""


def test_concurrent_replaces_land_one_after_the_other_and_stay_consistent(
    ws: Workspace, tmp_path: Path, earlier: tuple[Path, list[list[str]]]
) -> None:
    _, rows = earlier
    assert_consistent(ws)
    one = write_csv(tmp_path / "one.csv", [*rows[:300], *records(40, seed=4)])
    two = write_csv(tmp_path / "two.csv", [*rows[200:500], *records(40, seed=5)])
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT, str(ws.path), str(f)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in (one, two)
    ]
    ids = []
    for p in procs:
        out, errors = p.communicate(timeout=300)
        assert p.returncode == 0, errors
        ids.append(int(out.strip()))
    assert_consistent(ws)
    last = max(ids)  # the later import holds every cell both files cover
    supply = data.supplies(ws)
    later_rows = (
        [*rows[:300], *records(40, seed=4)]
        if last == ids[0]
        else [
            *rows[200:500],
            *records(40, seed=5),
        ]
    )
    assert {(c["month"], c["office"]) for c in supply[last].supplied} == set(by_cell(later_rows))
    loaded = loaded_by_cell(ws)
    for cell, v in by_cell(later_rows).items():
        assert loaded[cell] == pytest.approx(v)


def test_removing_a_middle_replacement_passes_its_cells_to_the_later_one(
    ws: Workspace, tmp_path: Path, earlier: tuple[Path, list[list[str]]]
) -> None:
    _, rows = earlier
    farvardin = [r for r in rows if r[0].startswith("1404/01/")]
    second = write_csv(tmp_path / "second.csv", farvardin[:60])
    third = write_csv(tmp_path / "third.csv", farvardin[:30], newline="\r\n")
    with ws.warehouse() as con:
        s2 = import_file(con, second, opts(ws, replace=True))
        s3 = import_file(con, third, opts(ws, replace=True))
    removed = data.remove(ws, s2.dataset_id)
    # dataset 1's Farvardin cells are supplied by the third file now: they stay replaced
    assert removed.restored == [] and {c.dataset_id for c in removed.passed} == {1}
    assert "stay replaced by a later import" in data.removal_text(removed, "en")
    assert {int(by) for by in data.supplies(ws)[1].superseded} == {s3.dataset_id}
    assert loaded_by_cell(ws)[(1, OFFICES[0])] == pytest.approx(
        by_cell(farvardin[:30])[(1, OFFICES[0])]
    )
    assert_consistent(ws)
    back = data.remove(ws, s3.dataset_id)
    assert {c.dataset_id for c in back.restored} == {1}
    assert loaded_by_cell(ws) == pytest.approx(by_cell(rows))
    assert_consistent(ws)
    fa = data.removal_text(back, "fa")
    assert "حذف شد" in fa and "فروردین ۱۴۰۴" in fa and "دوباره" in fa
