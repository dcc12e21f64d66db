"""BACI import: accounting, rejects with line numbers, idempotence, transactions."""

from __future__ import annotations

from pathlib import Path

import pytest

from exportplan.errors import EmptyFileError, InputError, MissingColumnsError
from exportplan.services.imports import baci
from exportplan.workspace import Workspace

GOOD = "t,i,j,k,v,q\n2022,364,368,80810,1.5,2.0\n2022,364,792,720712,10,NA\n2022,842,251,020110,4.25,1\n"


def _write(tmp: Path, name: str, body: str) -> Path:
    p = tmp / name
    p.write_text(body, encoding="utf-8")
    return p


def test_good_file_lands_in_usd_with_iso3_and_padded_codes(ws: Workspace, tmp_path: Path) -> None:
    f = _write(tmp_path, "BACI_HS17_Y2022_V202401.csv", GOOD)
    with ws.warehouse() as con:
        s = baci.import_file(con, f)
        assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (3, 3, 0)
        rows = con.execute(
            "SELECT year, exporter, importer, hs6, hs_edition, value_usd, quantity, "
            "reported_by FROM world_flows ORDER BY hs6"
        ).fetchall()
    assert rows == [
        (2022, "USA", "FRA", "020110", "HS17", 4250.0, 1.0, "reconciled"),
        (2022, "IRN", "IRQ", "080810", "HS17", 1500.0, 2.0, "reconciled"),
        (2022, "IRN", "TUR", "720712", "HS17", 10000.0, None, "reconciled"),
    ]


def test_bad_rows_are_rejected_with_line_column_value_reason(ws: Workspace, tmp_path: Path) -> None:
    body = (
        "t,i,j,k,v,q\n"
        "2022,364,368,080810,1.5,2\n"  # 2 ok
        "2022,x,368,080810,1.5,2\n"  # 3 malformed
        "2022,999,368,080811,1,1\n"  # 4 unknown exporter
        "2022,364,368,080812,-3,1\n"  # 5 negative value
        "2022,364,368,1234567,1,1\n"  # 6 not HS6
        "2022,364,792,080810,2,1\n"  # 7 ok
        "2022,364,792,080810,2,1\n"  # 8 identical repeat of 7
        "2022,364,051,080810,2,1\n"  # 9 conflicting pair
        "2022,364,051,080810,3,1\n"  # 10 conflicting pair
        "2022,364,368\n"  # 11 too few columns
    )
    f = _write(tmp_path, "bad.csv", body)
    with ws.warehouse() as con:
        s = baci.import_file(con, f)
        assert s.rows_read == 10 and s.rows_accepted == 2 and s.rows_rejected == 8
        rej = con.execute('SELECT "row", "column", reason FROM rejects ORDER BY "row"').fetchall()
        accepted = con.execute("SELECT importer FROM world_flows ORDER BY importer").fetchall()
    assert accepted == [("IRQ",), ("TUR",)]
    by_line = {r[0]: (r[1], r[2]) for r in rej}
    assert set(by_line) == {3, 4, 5, 6, 8, 9, 10, 11}
    assert by_line[3][0] == "i" and by_line[3][1].startswith("malformed line")
    assert by_line[4] == ("i", "unknown BACI exporter code")
    assert by_line[5] == ("v", "value not positive")
    assert by_line[6] == ("k", "product code is not a 6-digit HS code")
    assert by_line[8] == ("k", "duplicate of an earlier row with the same t,i,j,k")
    assert by_line[9][1] == by_line[10][1] == "rows with the same t,i,j,k disagree on the value"


def test_same_file_twice_changes_nothing(ws: Workspace, tmp_path: Path) -> None:
    f = _write(tmp_path, "a.csv", GOOD)
    with ws.warehouse() as con:
        first = baci.import_file(con, f)
        again = baci.import_file(con, f)
        n = con.execute("SELECT count(*) FROM world_flows").fetchall()[0][0]
        d = con.execute("SELECT count(*) FROM datasets").fetchall()[0][0]
    assert again.already_imported and again.dataset_id == first.dataset_id
    assert (n, d) == (3, 1)


@pytest.mark.parametrize("stage", ["read", "flows", "commit"])
def test_interrupted_import_leaves_the_warehouse_as_before(
    ws: Workspace, tmp_path: Path, fault: list[str], stage: str
) -> None:
    f1 = _write(tmp_path, "one.csv", GOOD)
    f2 = _write(tmp_path, "two.csv", GOOD.replace("2022", "2021"))
    with ws.warehouse() as con:
        baci.import_file(con, f1)
        before = con.execute("SELECT count(*), sum(value_usd) FROM world_flows").fetchall()
        fault.append(stage)
        with pytest.raises(RuntimeError, match="injected"):
            baci.import_file(con, f2)
        fault.clear()
        after = con.execute("SELECT count(*), sum(value_usd) FROM world_flows").fetchall()
        assert after == before
        assert con.execute("SELECT count(*) FROM datasets").fetchall() == [(1,)]
        # and the file can be imported afterwards
        assert baci.import_file(con, f2).rows_accepted == 3


def test_country_codes_file_maps_codes(ws: Workspace, tmp_path: Path) -> None:
    f = _write(tmp_path, "y.csv", "t,i,j,k,v,q\n2022,1001,1002,080810,1,1\n")
    codes = _write(
        tmp_path,
        "country_codes_V202401.csv",
        "country_code,country_name,country_iso2,country_iso3\n1001,A,AA,IRN\n1002,B,BB,IRQ\n",
    )
    with ws.warehouse() as con:
        s = baci.import_file(con, f, country_file=codes)
        assert s.rows_accepted == 1
        assert con.execute("SELECT exporter, importer FROM world_flows").fetchall() == [
            ("IRN", "IRQ")
        ]


def test_missing_columns_and_empty_files(ws: Workspace, tmp_path: Path) -> None:
    with ws.warehouse() as con:
        with pytest.raises(
            MissingColumnsError,
            match=r"missing column\(s\) v; expected t, i, j, k, v, q; found t, i, j, k, value, q",
        ):
            baci.import_file(
                con, _write(tmp_path, "m.csv", "t,i,j,k,value,q\n2022,4,8,010121,1,1\n")
            )
        with pytest.raises(EmptyFileError):
            baci.import_file(con, _write(tmp_path, "e.csv", ""))
        with pytest.raises(EmptyFileError, match="no data rows"):
            baci.import_file(con, _write(tmp_path, "h.csv", "t,i,j,k,v,q\n"))
        assert con.execute("SELECT count(*) FROM datasets").fetchall() == [(0,)]


def test_an_unsorted_file_without_repeats_is_accepted_whole(ws: Workspace, tmp_path: Path) -> None:
    body = (
        "t,i,j,k,v,q\n2022,842,251,020110,4,1\n2022,364,368,080810,1,1\n2022,364,368,080811,2,1\n"
    )
    f = _write(tmp_path, "unsorted.csv", body)
    with ws.warehouse() as con:
        s = baci.import_file(con, f)
        notes = con.execute("SELECT notes FROM datasets").fetchall()
    assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (3, 3, 0)
    assert notes == [("",)]


def test_the_import_restores_duckdb_settings(ws: Workspace, tmp_path: Path) -> None:
    f = _write(tmp_path, "a.csv", GOOD)
    names = "('memory_limit', 'threads', 'preserve_insertion_order')"
    with ws.warehouse() as con:
        con.execute("SET memory_limit = '2GiB'")  # DuckDB reports it as 2.0 GiB
        before = con.execute(f"SELECT name, value FROM duckdb_settings() WHERE name IN {names}")
        settings_before = sorted(before.fetchall())
        assert baci.import_file(con, f).rows_accepted == 3
        after = con.execute(f"SELECT name, value FROM duckdb_settings() WHERE name IN {names}")
        assert sorted(after.fetchall()) == settings_before


def test_a_country_code_beyond_baci_codes_is_refused(ws: Workspace, tmp_path: Path) -> None:
    f = _write(tmp_path, "y.csv", "t,i,j,k,v,q\n2022,1001,1002,080810,1,1\n")
    codes = _write(
        tmp_path,
        "country_codes_V202401.csv",
        "country_code,country_name,country_iso2,country_iso3\n1001,A,AA,IRN\n200000,B,BB,IRQ\n",
    )
    with ws.warehouse() as con:
        with pytest.raises(InputError, match="country code 200000 is not a BACI country code"):
            baci.import_file(con, f, country_file=codes)
        assert con.execute("SELECT count(*) FROM datasets").fetchall() == [(0,)]
