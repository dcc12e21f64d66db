"""Customs import: every bad case a provincial file has, made on purpose."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from exportplan.errors import EmptyFileError, InputError, MissingColumnsError
from exportplan.services.imports.customs import CustomsOptions, import_file
from exportplan.store import warehouse
from exportplan.workspace import Workspace

HEADER_FA = "تاریخ,گمرک اجرایی,کد تعرفه,کشور مقصد,وزن خالص (کیلوگرم),ارزش دلاری,شرح کالا"
MESSY = f"""گزارش صادرات استان آذربایجان شرقی,,,,,,
{HEADER_FA}
۱۴۰۳/۱۲/۳۰,تبریز,80810,عراق,"۱۲٬۵۰۰","۳۴٬۰۰۰",سیب
1404/12/30,جلفا,72142000,ترکيه,1000,2500,میلگرد
1404/01/15,جلفا,72142000,عراق,1000,-5,میلگرد
1404/01/15,تبریز,39012000,ارمنستن,500,900,پلی اتیلن
1404/01/16,تبریز,39012000,ارمنستان,500,900,پلی اتیلن
1404/01/16,تبریز,39012000,ارمنستان,500,900,پلی اتیلن
1404/02/01,تبریز,7403,كويت,500,900,مس
1404/02/01,تبریز,74031100,امارات,٥٠٠,٩٠٠,مس
جمع کل,,,,,"۴۰٬۰۰۰",
"""
EXPECTED_REJECTS = {
    4: ("period", "does not exist in the Solar Hijri calendar"),
    5: ("value", "value (USD) is negative"),
    6: ("partner", "did you mean Armenia (ARM)?"),
    8: ("*", "duplicate of row 7"),
    9: ("hs_code", "at least 6 are needed"),
    11: ("hs_code", "total row, not a record"),
}


def _opts(**kw: object) -> CustomsOptions:
    return CustomsOptions(region="East Azerbaijan", **kw)  # type: ignore[arg-type]


def _rejects(ws: Workspace, ds: int) -> dict[int, tuple[str, str]]:
    with ws.warehouse(read_only=True) as con:
        rows = con.execute(
            'SELECT "row", "column", reason FROM rejects WHERE dataset_id = ?', [ds]
        ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def _flows(ws: Workspace, ds: int) -> pl.DataFrame:
    with ws.warehouse(read_only=True) as con:
        return warehouse.frame(
            con, "SELECT * FROM region_flows WHERE dataset_id = ? ORDER BY source_row", [ds]
        )


def _check_messy(ws: Workspace, ds: int) -> None:
    rej = _rejects(ws, ds)
    assert set(rej) == set(EXPECTED_REJECTS)
    for row, (col, reason) in EXPECTED_REJECTS.items():
        assert rej[row][0] == col and reason in rej[row][1], (row, rej[row])
    f = _flows(ws, ds)
    assert f.get_column("source_row").to_list() == [3, 7, 10]
    first = f.row(0, named=True)
    assert (
        first["sh_year"],
        first["sh_month"],
        first["hs_code"],
        first["hs6"],
        first["partner"],
        first["weight_kg"],
        first["value_usd"],
        first["flags"],
        first["definition"],
    ) == (1403, 12, "080810", "080810", "IRQ", 12500.0, 34000.0, "hs_padded", "customs")
    assert str(first["day"]) == "2025-03-20" and (first["g_year"], first["g_month"]) == (2025, 3)
    assert f.row(2, named=True)["partner"] == "ARE" and f.row(2, named=True)["value_usd"] == 900.0


def test_utf8_bom_with_persian_digits_separators_and_arabic_letters(
    ws: Workspace, tmp_path: Path
) -> None:
    p = tmp_path / "bom.csv"
    p.write_bytes(b"\xef\xbb\xbf" + MESSY.encode("utf-8"))
    with ws.warehouse() as con:
        s = import_file(con, p, _opts())
    assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (9, 3, 6)
    assert "counted as goods leaving through the region's customs" in s.notes
    assert "padded with one zero" in s.notes
    _check_messy(ws, s.dataset_id)


def test_windows_1256_file_reads_the_same(ws: Workspace, tmp_path: Path) -> None:
    # Windows-1256 has no Persian ی/ک or Persian digits: such files carry Arabic ي/ك
    body = MESSY.translate(str.maketrans("ی۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩ک", "ي01234567890123456789ك"))
    p = tmp_path / "w1256.csv"
    p.write_bytes(body.replace("٬", "").encode("cp1256"))
    with ws.warehouse() as con:
        s = import_file(con, p, _opts())
    assert (
        "encoding Windows-1256 (0 line(s) with non-ASCII text are valid UTF-8, 11 are not)"
        in s.notes
    )
    assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (9, 3, 6)
    _check_messy(ws, s.dataset_id)


def test_excel_with_numeric_codes_title_and_total_rows(ws: Workspace, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    sh = wb.active
    assert sh is not None
    sh.append(["صادرات استان - آبان ۱۴۰۴"])
    sh.append(["Date", "Customs office", "HS code", "Destination", "Weight (t)", "Value USD"])
    sh.append(["1404/08/05", "Tabriz", 80810, "Iraq", 12.5, 30000])  # code lost its zero
    sh.append(["1404/08/06", "Jolfa", 72142000, "Türkiye", 100, 55000.5])
    sh.append(["1404/08/07", "Jolfa", 72142000, "Narnia", 100, 55000.5])
    sh.append([None, None, None, None, None, None])
    sh.append(["Total", None, None, None, 212.5, 140001])
    p = tmp_path / "aban.xlsx"
    wb.save(p)
    with ws.warehouse() as con:
        s = import_file(con, p, _opts(definition="origin"))
    assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (4, 2, 2)
    f = _flows(ws, s.dataset_id)
    assert f.get_column("hs_code").to_list() == ["080810", "72142000"]
    assert f.get_column("weight_kg").to_list() == [12500.0, 100000.0]  # tonnes -> kg
    assert f.get_column("definition").unique().to_list() == ["origin"]
    rej = _rejects(ws, s.dataset_id)
    assert rej[5][0] == "partner" and "unknown country 'Narnia'" in rej[5][1]
    assert rej[7] == ("hs_code", "total row, not a record")


def test_rials_with_a_rate(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "rial.csv"
    p.write_text(
        'تاریخ,کد تعرفه,کشور مقصد,ارزش ریالی\n1404/05/01,080810,عراق,"1,000,000,000"\n',
        encoding="utf-8",
    )
    with ws.warehouse() as con:
        with pytest.raises(InputError, match="no exchange rate"):
            import_file(con, p, _opts())
        s = import_file(con, p, _opts(rate=500000.0))
    f = _flows(ws, s.dataset_id)
    assert f.get_column("value_usd").to_list() == [2000.0]
    assert f.get_column("value_rial").to_list() == [1e9]


def test_cumulative_file_becomes_monthly(ws: Workspace, tmp_path: Path) -> None:
    # cumulative from 1 Farvardin; the Iraq series falls in month 4 (rejected)
    p = tmp_path / "cum.csv"
    p.write_text(
        "دوره,کد تعرفه,کشور مقصد,وزن,ارزش دلاری\n"
        "1404/01,080810,عراق,10,100\n"
        "1404/02,080810,عراق,25,250\n"
        "1404/03,080810,عراق,30,400\n"
        "1404/04,080810,عراق,30,350\n"
        "1404/02,720712,ترکیه,5,50\n"
        "1404/03,720712,ترکیه,9,90\n"
        "1405/01,080810,عراق,7,70\n",
        encoding="utf-8",
    )
    with ws.warehouse() as con:
        s = import_file(con, p, _opts(cumulative=True))
    assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (7, 6, 1)
    f = _flows(ws, s.dataset_id).sort("partner", "sh_year", "sh_month")
    assert f.select("partner", "sh_year", "sh_month", "value_usd", "weight_kg").rows() == [
        ("IRQ", 1404, 1, 100.0, 10.0),
        ("IRQ", 1404, 2, 150.0, 15.0),
        ("IRQ", 1404, 3, 150.0, 5.0),
        ("IRQ", 1405, 1, 70.0, 7.0),  # a new year starts again from Farvardin
        ("TUR", 1404, 2, 50.0, 5.0),
        ("TUR", 1404, 3, 40.0, 4.0),
    ]
    assert "fell below the previous month" in _rejects(ws, s.dataset_id)[5][1]
    # monthly values add up to the last cumulative value of each series
    assert f.filter(pl.col("partner") == "TUR").get_column("value_usd").sum() == 90.0


def test_definition_column_and_mapping_file(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "mapped.csv"
    p.write_text(
        "when,tariff_line,to_country,usd,basis\n"
        "1404/03/02,080810,IRQ,10,origin\n1404/03/02,080810,IRQ,11,customs\n"
        "1404/03/02,080810,IRQ,12,somewhere\n",
        encoding="utf-8",
    )
    mapping = {
        "period": "when",
        "hs_code": "tariff_line",
        "partner": "to_country",
        "value": "usd",
        "definition": "basis",
    }
    with ws.warehouse() as con:
        s = import_file(con, p, _opts(mapping=mapping))
    assert (s.rows_accepted, s.rows_rejected) == (2, 1)
    assert _flows(ws, s.dataset_id).get_column("definition").to_list() == ["origin", "customs"]
    assert "unknown definition" in _rejects(ws, s.dataset_id)[4][1]


def test_missing_columns_name_what_was_expected_and_found(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "cols.csv"
    p.write_text("تاریخ,کد تعرفه,ارزش دلاری\n1404/01/01,080810,10\n", encoding="utf-8")
    with ws.warehouse() as con:
        with pytest.raises(MissingColumnsError) as exc:
            import_file(con, p, _opts())
        assert con.execute("SELECT count(*) FROM datasets").fetchall() == [(0,)]
    assert exc.value.missing == ["partner"]
    assert "found تاریخ, کد تعرفه, ارزش دلاری" in str(exc.value)


@pytest.mark.parametrize("body", [b"", b"   \n", "تاریخ,کد تعرفه,کشور مقصد,ارزش دلاری\n".encode()])
def test_empty_files(ws: Workspace, tmp_path: Path, body: bytes) -> None:
    p = tmp_path / "empty.csv"
    p.write_bytes(body)
    with ws.warehouse() as con, pytest.raises(EmptyFileError):
        import_file(con, p, _opts())


def test_interrupted_import_keeps_nothing_and_reimport_is_idempotent(
    ws: Workspace, tmp_path: Path, fault: list[str]
) -> None:
    p = tmp_path / "m.csv"
    p.write_bytes(MESSY.encode("utf-8"))
    with ws.warehouse() as con:
        for stage in ("flows", "rejects", "commit"):
            fault[:] = [stage]
            with pytest.raises(RuntimeError, match="injected"):
                import_file(con, p, _opts())
            assert con.execute(
                "SELECT (SELECT count(*) FROM region_flows), (SELECT count(*) FROM "
                "rejects), (SELECT count(*) FROM datasets)"
            ).fetchall() == [(0, 0, 0)]
        fault.clear()
        first = import_file(con, p, _opts())
        again = import_file(con, p, _opts())
        assert again.already_imported and again.dataset_id == first.dataset_id
        assert con.execute("SELECT count(*) FROM region_flows").fetchall() == [(3,)]
        # another region may import the same file as its own
        other = import_file(con, p, CustomsOptions(region="West Azerbaijan"))
        assert not other.already_imported


def test_options_are_recorded_with_the_dataset(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_bytes(MESSY.encode("utf-8"))
    with ws.warehouse() as con:
        s = import_file(con, p, _opts(definition="origin"))
        opts = con.execute(
            "SELECT options, definition, region FROM datasets WHERE id = ?", [s.dataset_id]
        ).fetchall()[0]
    assert json.loads(opts[0])["definition"] == "origin"
    assert opts[1:] == ("origin", "East Azerbaijan")


def test_mapping_file_settings_and_mistakes(ws: Workspace, tmp_path: Path) -> None:
    from exportplan.ingest.customs import load_mapping

    p = tmp_path / "cum.csv"
    p.write_text(
        "when,code,to,usd\n1404/01,080810,IRQ,10\n1404/02,080810,IRQ,25\n", encoding="utf-8"
    )
    m = tmp_path / "map.csv"
    m.write_text(
        "field,column\nperiod,when\nhs_code,code\npartner,to\nvalue,usd\ncumulative,false\n",
        encoding="utf-8",
    )
    opts = _opts().with_mapping(load_mapping(m))
    assert opts.cumulative is False and opts.mapping["period"] == "when"
    m.write_text(
        "field,column\nperiod,when\nhs_code,code\npartner,to\nvalue,usd\ncumulative,yes\n",
        encoding="utf-8",
    )
    with ws.warehouse() as con:
        s = import_file(con, p, _opts().with_mapping(load_mapping(m)))
    assert _flows(ws, s.dataset_id).get_column("value_usd").to_list() == [10.0, 15.0]
    p = tmp_path / "other.csv"  # a file not imported yet, so it is read
    p.write_text("when,code,to,usd\n1404/03,080810,IRQ,10\n", encoding="utf-8")
    with ws.warehouse() as con:
        with pytest.raises(InputError, match="unknown field"):
            import_file(con, p, _opts(mapping={"destination_country": "to"}))
        with pytest.raises(InputError, match="does not have: partner -> 'country'"):
            import_file(
                con,
                p,
                _opts(
                    mapping={
                        "partner": "country",
                        "hs_code": "code",
                        "period": "when",
                        "value": "usd",
                    }
                ),
            )
    with pytest.raises(InputError, match="not a yes/no"):
        _opts().with_mapping({"cumulative": "maybe"})


def test_sheet_out_of_range(ws: Workspace, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    p = tmp_path / "one.xlsx"
    wb.save(p)
    with ws.warehouse() as con, pytest.raises(InputError, match="no sheet number 3"):
        import_file(con, p, _opts(sheet=3))
