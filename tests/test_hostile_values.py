"""Hostile input that must never reach a total: non-finite and absurd numbers, separators of
another convention, mixed encodings, over-long fields and garbage, through the real import
paths (service, CLI, web upload), each rejected row named with its reason and the totals
those rows would have changed left as they were."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from exportplan.cli import app
from exportplan.errors import InputError, MissingColumnsError
from exportplan.ingest.files import decode
from exportplan.reference.numbers import NumberError, number_exprs, parse_number
from exportplan.services.imports import baci, comtrade
from exportplan.services.imports.customs import CustomsOptions, import_file
from exportplan.settings import SettingError
from exportplan.settings import value as setting_value
from exportplan.store.warehouse import writes
from exportplan.workspace import Workspace, init, open_workspace
from helpers import wait_for_imports

#: The Origin a browser sends with a form of this site: a write carrying the site's cookies
#: that names no origin is refused (web/app.py)
BROWSER = {"Origin": "http://testserver"}

runner = CliRunner()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed entry point in a subprocess: the real error translation."""
    return subprocess.run(
        [sys.executable, "-m", "exportplan.cli", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=300,
    )


HEADER = "تاریخ,گمرک اجرایی,کد تعرفه,کشور مقصد,وزن خالص (کیلوگرم),ارزش دلاری,صادرکننده"
CEILING = (
    "value (USD) is above the ceiling of USD 10,000,000,000 per row (setting max_row_value_usd)"
)


def _opts(**kw: Any) -> CustomsOptions:
    return CustomsOptions(region="East Azerbaijan", **kw)


def _write(tmp: Path, name: str, lines: list[str], encoding: str = "utf-8") -> Path:
    p = tmp / name
    p.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return p


def _import(ws: Workspace, path: Path, **kw: Any) -> tuple[Any, dict[int, list[tuple[str, str]]]]:
    with ws.warehouse() as con:
        s = import_file(con, path, _opts(**kw))
        rows = con.execute(
            'SELECT "row", "column", reason FROM rejects WHERE dataset_id = ? ORDER BY 1, 2',
            [s.dataset_id],
        ).fetchall()
    assert s.rows_accepted + s.rows_rejected == s.rows_read
    out: dict[int, list[tuple[str, str]]] = {}
    for r, c, reason in rows:
        out.setdefault(int(r), []).append((c, reason))
    assert len(out) == s.rows_rejected  # every rejected row is named, no other
    return s, out


def _values(ws: Workspace, ds: int) -> dict[int, tuple[float, float | None]]:
    with ws.warehouse(read_only=True) as con:
        rows = con.execute(
            "SELECT source_row, value_usd, weight_kg FROM region_flows WHERE dataset_id = ?",
            [ds],
        ).fetchall()
    return {int(r): (v, w) for r, v, w in rows}


def _totals(ws: Workspace) -> list[tuple[Any, ...]]:
    """What the dashboard and the monitor read: the region's monthly sums."""
    with ws.warehouse(read_only=True) as con:
        return con.execute(
            "SELECT definition, sh_year, sh_month, sum(value_usd), sum(weight_kg) "
            "FROM region_summary GROUP BY ALL ORDER BY ALL"
        ).fetchall()


GOOD = [
    "1404/02/10,تبریز,080810,عراق,1000,2500,سیب‌گستر",
    "1404/02/11,جلفا,72142000,ترکیه,۲٬۰۰۰,۴٬۵۰۰٫۵,فولاد",
]
NON_FINITE = [
    "1404/02/12,تبریز,080810,عراق,1000,nan,a",  # row 4
    "1404/02/12,تبریز,080810,عراق,1000,inf,b",  # 5
    "1404/02/12,تبریز,080810,عراق,1000,-inf,c",  # 6
    "1404/02/12,تبریز,080810,عراق,1000,1e308,d",  # 7: finite, above the ceiling
    "1404/02/12,تبریز,080810,عراق,1000,1e400,e",  # 8: too large for a float
    "1404/02/12,تبریز,080810,عراق,1000,۱۰۰۰۰۰۰۰۰۰۰۰۰,f",  # 9: 1e12 in Persian digits
    '1404/02/12,تبریز,080810,عراق,1000,"١٬٠٠٠٬٠٠٠٬٠٠٠٬٠٠٠",g',  # 10: 1e12 Arabic-Indic
    "1404/02/12,تبریز,080810,عراق,NaN,100,h",  # 11: the weight
    "1404/02/12,تبریز,080810,عراق,1e400,100,i",  # 12
    "1404/02/12,تبریز,080810,عراق,20000000000,100,j",  # 13: 20 Mt in one row
    "1404/02/12,تبریز,080810,عراق,1000,Infinity,k",  # 14
    "1404/02/12,تبریز,080810,عراق,1000,10000000000,l",  # 15: the ceiling itself is accepted
]
NON_FINITE_REJECTS = {
    4: [("value", "value (USD) is not a finite number")],
    5: [("value", "value (USD) is not a finite number")],
    6: [("value", "value (USD) is not a finite number")],
    7: [("value", CEILING)],
    8: [("value", "value (USD) is not a finite number (too large for a 64-bit float)")],
    9: [("value", CEILING)],
    10: [("value", CEILING)],
    11: [("weight", "weight is not a finite number")],
    12: [("weight", "weight is not a finite number (too large for a 64-bit float)")],
    13: [
        (
            "weight",
            "weight is above the ceiling of 10,000,000,000 kg per row (setting max_row_weight_kg)",
        )
    ],
    14: [("value", "value (USD) is not a finite number")],
}


def test_non_finite_and_absurd_values_are_rejected_and_totals_unchanged(
    ws: Workspace, tmp_path: Path
) -> None:
    s, rej = _import(ws, _write(tmp_path, "hostile.csv", [HEADER, *GOOD, *NON_FINITE]))
    assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (14, 3, 11)
    assert rej == NON_FINITE_REJECTS
    assert _values(ws, s.dataset_id) == {
        2: (2500.0, 1000.0),
        3: (4500.5, 2000.0),
        15: (1e10, 1000.0),
    }
    # the totals are those of the accepted rows alone, imported as a clean file elsewhere
    clean = init(tmp_path / "clean")
    _import(clean, _write(tmp_path, "clean.csv", [HEADER, *GOOD, NON_FINITE[-1]]))
    assert _totals(ws) == _totals(clean)
    assert all(math.isfinite(v) for row in _totals(ws) for v in row[3:])


def test_the_ceilings_are_settings(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXPORTPLAN_MAX_ROW_VALUE_USD", "3000")
    monkeypatch.setenv("EXPORTPLAN_MAX_ROW_WEIGHT_KG", "1500")
    s, rej = _import(ws, _write(tmp_path, "low.csv", [HEADER, *GOOD]))
    assert rej == {
        3: [
            (
                "value",
                "value (USD) is above the ceiling of USD 3,000 per row (setting max_row_value_usd)",
            ),
            (
                "weight",
                "weight is above the ceiling of 1,500 kg per row (setting max_row_weight_kg)",
            ),
        ]
    }
    with ws.warehouse(read_only=True) as con:
        options = json.loads(
            con.execute("SELECT options FROM datasets WHERE id = ?", [s.dataset_id]).fetchall()[0][
                0
            ]
        )
    assert (options["max_row_value_usd"], options["max_row_weight_kg"]) == (3000.0, 1500.0)
    for bad in ("nan", "inf", "-5", "0", "ten"):
        monkeypatch.setenv("EXPORTPLAN_MAX_ROW_VALUE_USD", bad)
        with pytest.raises(SettingError, match="EXPORTPLAN_MAX_ROW_VALUE_USD"):
            setting_value("max_row_value_usd")


def test_values_in_rials_and_their_rates_are_held_to_the_ceiling(
    ws: Workspace, tmp_path: Path
) -> None:
    lines = [
        "تاریخ,کد تعرفه,کشور مقصد,ارزش ریالی,نرخ ارز",
        "1404/05/01,080810,عراق,1000000000,500000",  # USD 2,000
        "1404/05/01,080810,عراق,1000000000,1e-300",  # a tiny rate: USD 1e309 (inf)
        "1404/05/01,080810,عراق,nan,500000",
        "1404/05/01,080810,عراق,1000000000,inf",
        "1404/05/01,080810,عراق,1e18,500000",  # above 1e17 rials
    ]
    s, rej = _import(ws, _write(tmp_path, "rials.csv", lines))
    converted = (
        "value (rials) converted at the rate is above the ceiling of USD 10,000,000,000 per row "
        "(setting max_row_value_usd)"
    )
    rial_ceiling = (
        "value (rials) is above the ceiling of 100,000,000,000,000,000 rials per row (USD "
        "10,000,000,000 at 10,000,000 rials per USD; setting max_row_value_usd)"
    )
    assert rej == {
        3: [("value_rial", converted)],
        4: [("value_rial", "value (rials) is not a finite number")],
        5: [("rate", "exchange rate is not a finite number")],
        6: [("value_rial", rial_ceiling), ("value_rial", converted)],
    }
    assert _values(ws, s.dataset_id) == {2: (2000.0, None)}
    with pytest.raises(InputError, match="exchange rate must be a positive number"):
        _import(ws, _write(tmp_path, "r2.csv", lines[:2]), rate=float("nan"))


# ---- the decimal convention --------------------------------------------------------------

DECIMAL_LINES = [
    HEADER,
    "1404/03/01,تبریز,080810,عراق,10,1.234,a",  # 2: 1.234 or 1234
    "1404/03/01,تبریز,080810,عراق,10,12,b",  # 3: plain integer
    '1404/03/01,تبریز,080810,عراق,10,"12,5",c',  # 4: decimal comma
    '1404/03/01,تبریز,080810,عراق,10,"1.234,56",d',  # 5
    '1404/03/01,تبریز,080810,عراق,10,"1,234.5",e',  # 6: decimal point
    '1404/03/01,تبریز,080810,عراق,10,"1,234",f',  # 7: ambiguous
    "1404/03/01,تبریز,080810,عراق,10,۱۲٬۵۰۰٫۵,g",  # 8: Persian separators: either way
    "1404/03/01,تبریز,080810,عراق,10,12٫5,h",  # 9
    '1404/03/01,تبریز,080810,عراق,10,"1,234,567",i',  # 10
    '1404/03/01,تبریز,080810,عراق,10,"1.234.567",j',  # 11
    "1404/03/01,تبریز,080810,عراق,10,12 500,k",  # 12: a space groups thousands
]
OTHER_DOT = (
    "value (USD) is written with the other decimal mark; the file is read with decimal points: "
    "give --decimal , if its numbers are written so"
)
OTHER_COMMA = (
    "value (USD) is written with the other decimal mark; the file is read with decimal commas: "
    "give --decimal . if its numbers are written so"
)
AMBIGUOUS = (
    "value (USD) is ambiguous: 1,234 is 1234 with decimal points and 1.234 with decimal commas, "
    "and row 4 of this file writes a number with the other decimal mark; give --decimal . or "
    "--decimal ,"
)


def test_decimal_convention_not_declared_rejects_what_it_cannot_tell(
    ws: Workspace, tmp_path: Path
) -> None:
    s, rej = _import(ws, _write(tmp_path, "dec.csv", DECIMAL_LINES))
    assert rej == {
        2: [("value", AMBIGUOUS)],
        4: [("value", OTHER_DOT)],
        5: [("value", OTHER_DOT)],
        7: [("value", AMBIGUOUS)],
        11: [("value", OTHER_DOT)],
    }
    assert {r: v for r, (v, _w) in _values(ws, s.dataset_id).items()} == {
        3: 12.0,
        6: 1234.5,
        8: 12500.5,
        9: 12.5,
        10: 1234567.0,
        12: 12500.0,
    }
    assert "row 4 writes a number with the other decimal mark" in s.notes


def test_decimal_comma_declared_on_the_command_line(ws: Workspace, tmp_path: Path) -> None:
    f = _write(tmp_path, "dec.csv", DECIMAL_LINES)
    r = runner.invoke(app, ["import", "customs", str(f), "--decimal", ",", "-w", str(ws.path)])
    assert r.exit_code == 0, r.output
    with ws.warehouse(read_only=True) as con:
        ds = con.execute("SELECT max(id) FROM datasets").fetchall()[0][0]
        rows = con.execute(
            'SELECT "row", "column", reason FROM rejects WHERE dataset_id = ?', [ds]
        ).fetchall()
        options = json.loads(
            con.execute("SELECT options FROM datasets WHERE id = ?", [ds]).fetchall()[0][0]
        )
    assert options["decimal"] == ","
    assert {r[0]: (r[1], r[2]) for r in rows} == {
        6: ("value", OTHER_COMMA),
        10: ("value", OTHER_COMMA),
    }
    assert {r: v for r, (v, _w) in _values(ws, ds).items()} == {
        2: 1234.0,
        3: 12.0,
        4: 12.5,
        5: 1234.56,
        7: 1.234,
        8: 12500.5,
        9: 12.5,
        11: 1234567.0,
        12: 12500.0,
    }
    bad = cli("import", "customs", str(f), "--decimal", ";", "-w", str(ws.path))
    assert bad.returncode == 2 and "decimal mark must be . or ," in bad.stderr + bad.stdout


def test_decimal_point_declared_reads_1_234_as_thousands(ws: Workspace, tmp_path: Path) -> None:
    s, rej = _import(ws, _write(tmp_path, "dec.csv", DECIMAL_LINES), decimal=".")
    assert set(rej) == {4, 5, 11}  # declared: 1,234 and 1.234 mean what "." says
    values = {r: v for r, (v, _w) in _values(ws, s.dataset_id).items()}
    assert (values[2], values[7]) == (1.234, 1234.0)


def test_without_evidence_1_234_is_thousands_under_the_default(
    ws: Workspace, tmp_path: Path
) -> None:
    s, rej = _import(
        ws, _write(tmp_path, "plain.csv", [DECIMAL_LINES[0], DECIMAL_LINES[6], DECIMAL_LINES[5]])
    )
    assert rej == {}
    assert [v for v, _w in _values(ws, s.dataset_id).values()] == [1234.0, 1234.5]


def test_typed_spreadsheet_numbers_ignore_the_text_convention(
    ws: Workspace, tmp_path: Path
) -> None:
    wb = openpyxl.Workbook()
    sh = wb.active
    assert sh is not None
    sh.append(["period", "hs code", "destination", "weight", "value"])
    sh.append(["1404/03/01", "080810", "Iraq", 1.234, 1234.5])  # typed numbers
    sh.append(["1404/03/02", "080810", "Iraq", "1,5", "1.234,5"])  # text under ","
    sh.append(["1404/03/03", "080810", "Iraq", 10, "1,234.5"])  # text, wrong convention
    sh.append(["1404/03/04", "080810", "Iraq", 10, float("nan")])
    p = tmp_path / "typed.xlsx"
    wb.save(p)
    s, rej = _import(ws, p, decimal=",")
    assert _values(ws, s.dataset_id) == {2: (1234.5, 1.234), 3: (1234.5, 1.5)}
    assert rej[4] == [("value", OTHER_COMMA)]
    assert set(rej) == {4, 5}  # openpyxl writes NaN as an error cell or text: rejected


# ---- encodings ---------------------------------------------------------------------------

NAMES = ["صنایع غذایی تبریز", "فولاد جلفا", "سیب گستر", "پلاستیک ارس", "مس سهند", "فرش هریس",
         "کشمش ملکان", "چرم آذر", "سنگ مرند"]  # fmt: skip


def _names_file(tmp: Path, foreign_at: int | None, majority: str) -> Path:
    head = HEADER if majority == "utf-8" else HEADER.replace("ی", "ي").replace("ک", "ك")
    lines = [head.encode(majority)]
    for i, name in enumerate(NAMES):
        line = f"1404/04/{i + 1:02d},تبریز,080810,عراق,100,{1000 + i},{name}"
        enc = "utf-8" if majority == "utf-8" else "cp1256"
        if i == foreign_at:
            enc = "cp1256" if majority == "utf-8" else "utf-8"
        text = line if enc == "utf-8" else line.replace("ی", "ي").replace("ک", "ك")
        lines.append(text.encode(enc))
    p = tmp / f"names-{majority}-{foreign_at}.csv"
    p.write_bytes(b"\r\n".join(lines) + b"\r\n")
    return p


def _exporters(ws: Workspace, ds: int) -> dict[int, str]:
    with ws.warehouse(read_only=True) as con:
        rows = con.execute(
            "SELECT source_row, exporter FROM region_flows WHERE dataset_id = ?", [ds]
        ).fetchall()
    return {int(r): str(e) for r, e in rows}


def test_one_windows_1256_line_in_a_utf8_file_is_rejected_not_garbling_the_rest(
    ws: Workspace, tmp_path: Path
) -> None:
    s, rej = _import(ws, _names_file(tmp_path, 4, "utf-8"))
    assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (9, 8, 1)
    assert rej == {6: [("*", "line is not valid UTF-8 (the file's encoding)")]}
    assert _exporters(ws, s.dataset_id) == {i + 2: n for i, n in enumerate(NAMES) if i != 4}
    assert "encoding UTF-8 (9 line(s) with non-ASCII text are valid UTF-8, 1 are not)" in s.notes
    with ws.warehouse(read_only=True) as con:
        shown = con.execute("SELECT value FROM rejects").fetchall()[0][0]
    assert shown.startswith("1404/04/05,\\x") and "\\xe3" in shown  # the raw bytes, escaped


def test_one_utf8_line_in_a_windows_1256_file_is_rejected(ws: Workspace, tmp_path: Path) -> None:
    s, rej = _import(ws, _names_file(tmp_path, 2, "cp1256"))
    assert rej == {
        4: [("*", "line is UTF-8 text in a Windows-1256 file (decoding it would garble it)")]
    }
    got = _exporters(ws, s.dataset_id)
    assert got == {i + 2: n for i, n in enumerate(NAMES) if i != 2}  # ي/ك read as ی/ک
    assert (
        "encoding Windows-1256 (1 line(s) with non-ASCII text are valid UTF-8, 9 are not)"
        in s.notes
    )


@pytest.mark.parametrize(
    ("encoding", "note"),
    [
        ("utf-8-sig", "encoding UTF-8 (byte-order mark)"),
        ("utf-16", "encoding UTF-16 (byte-order mark)"),
        ("utf-16-le", "encoding UTF-16 (NUL bytes between characters)"),
    ],
)
def test_byte_order_marks_and_utf16_decide(
    ws: Workspace, tmp_path: Path, encoding: str, note: str
) -> None:
    lines = [
        HEADER,
        *(f"1404/04/01,تبریز,080810,عراق,100,{1000 + i},{n}" for i, n in enumerate(NAMES)),
    ]
    s, rej = _import(ws, _write(tmp_path, f"{encoding}.csv", lines, encoding))
    assert rej == {} and note in s.notes
    assert _exporters(ws, s.dataset_id) == {i + 2: n for i, n in enumerate(NAMES)}


def test_broken_utf16_is_refused_whole(tmp_path: Path) -> None:
    p = tmp_path / "u16.csv"
    p.write_bytes("a,b\n".encode("utf-16") + b"\x00\xd8")  # a lone surrogate
    with pytest.raises(InputError, match=r"UTF-16 text .* not UTF-16"):
        decode(p)


# ---- over-long fields, garbage and bounded messages ---------------------------------------


def test_a_field_over_the_csv_limit_is_a_clear_refusal(ws: Workspace, tmp_path: Path) -> None:
    f = _write(tmp_path, "long.csv", [HEADER, *GOOD, '1404/02/12,"' + "x" * 140_000 + '",1,2'])
    with pytest.raises(InputError, match=r"line 4: a field longer than 131,072 characters"):
        _import(ws, f)
    r = cli("import", "customs", str(f), "-w", str(ws.path))
    said = r.stdout + r.stderr
    assert r.returncode == 2 and "a field longer than 131,072" in said
    assert len(said) < 1000 and "Traceback" not in said
    with ws.warehouse(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM datasets").fetchall()[0][0] == 0


def test_garbage_gives_a_short_message(ws: Workspace, tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"column{i}" for i in range(400_000)) + "\n1,2\n")  # 4.6 MB
    with pytest.raises(MissingColumnsError) as err:
        _import(ws, wide)
    assert len(str(err.value)) < 2000 and "(and 399,980 more)" in str(err.value)
    noise = tmp_path / "noise.csv"
    noise.write_bytes(bytes(range(1, 256)) * 16_000)  # 4 MB of every byte but NUL
    with pytest.raises(InputError) as err2:
        _import(ws, noise)
    assert len(str(err2.value)) < 2000


def test_rejected_values_are_shown_bounded(ws: Workspace, tmp_path: Path) -> None:
    big = "z" * 100_000
    _s, rej = _import(
        ws, _write(tmp_path, "b.csv", [HEADER, *GOOD, f"1404/02/12,تبریز,080810,{big},1,{big},x"])
    )
    assert [c for c, _r in rej[4]] == ["partner", "value"]
    with ws.warehouse(read_only=True) as con:
        shown = con.execute("SELECT value, reason FROM rejects").fetchall()
    assert all(len(v) < 300 and len(r) < 600 for v, r in shown)
    assert shown[0][0].endswith("… (100000 characters)")


# ---- the other importers ------------------------------------------------------------------


def test_baci_rejects_non_finite_and_absurd_values(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "BACI_HS17_Y2022.csv"
    p.write_text(
        "t,i,j,k,v,q\n"
        "2022,364,368,80810,1.5,2.0\n"  # 2: good
        "2022,364,368,80820,nan,1\n"  # 3
        "2022,364,368,80830,inf,1\n"  # 4
        "2022,364,368,80840,1e400,1\n"  # 5
        "2022,364,368,80850,20000000,1\n"  # USD 20 bn: a large flow, accepted (world data)
        "2022,364,368,80855,2000000000,1\n"  # 6: USD 2 trillion
        "2022,364,368,80860,1,nan\n"  # 7
        "2022,364,368,80870,1,2000000000\n"  # 8: 2 billion tonnes
        "2022,364,368,80880,1,-inf\n"  # 9
        "2022,364,792,80810,2.5,NA\n"  # 10: good
    )
    with ws.warehouse() as con:
        s = baci.import_file(con, p)
        rej = dict(
            (r, (c, reason))
            for r, c, reason in con.execute(
                'SELECT "row", "column", reason FROM rejects'
            ).fetchall()
        )
        total = con.execute("SELECT sum(value_usd), count(*) FROM world_flows").fetchall()[0]
    assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (10, 3, 7)
    world = "x 100 for world data"
    assert rej == {
        3: ("v", "value is not a finite number"),
        4: ("v", "value is not a finite number"),
        5: ("v", "value is not a finite number"),
        7: (
            "v",
            f"value above the ceiling of USD 1,000,000,000,000 per row (setting max_row_value_usd "
            f"{world})",
        ),
        8: ("q", "quantity is not a finite number"),
        9: (
            "q",
            f"quantity above the ceiling of 1,000,000,000 t per row (setting max_row_weight_kg "
            f"{world})",
        ),
        10: ("q", "quantity is not a finite number"),
    }
    assert total == (4000.0 + 20_000_000_000.0, 3)


def test_comtrade_rejects_non_finite_and_absurd_values(ws: Workspace, tmp_path: Path) -> None:
    head = (
        "typeCode,freqCode,refYear,reporterCode,reporterISO,flowCode,partnerCode,partnerISO,"
        "partner2Code,classificationCode,cmdCode,customsCode,motCode,netWgt,cifvalue,fobvalue,"
        "primaryValue"
    )
    row = "C,A,2022,792,TUR,M,364,IRN,0,H5,{k},C00,0,{w},,,{v}"
    lines = [
        head,
        row.format(k="080810", w="1000", v="5000"),  # 2: good
        row.format(k="080820", w="1000", v="nan"),
        row.format(k="080830", w="1000", v="inf"),
        row.format(k="080840", w="1000", v="1e400"),
        row.format(k="080850", w="1000", v="2e12"),
        row.format(k="080860", w="12;5", v="10"),
        row.format(k="080870", w="nan", v="10"),
        row.format(k="080880", w="2e12", v="10"),
    ]
    p = tmp_path / "TradeData.csv"
    p.write_text("\n".join(lines) + "\n")
    with ws.warehouse() as con:
        s = comtrade.import_file(con, p)
        rej = dict(con.execute('SELECT "row", reason FROM rejects').fetchall())
        total = con.execute("SELECT sum(value_usd) FROM world_flows").fetchall()[0][0]
    assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (8, 1, 7)
    assert rej == {
        3: "value is not a finite number",
        4: "value is not a finite number",
        5: "value is not a finite number",
        6: "value above the ceiling of USD 1,000,000,000,000 per row (setting max_row_value_usd "
        "x 100 for world data)",
        7: "netWgt is not a number",
        8: "netWgt is not a finite number",
        9: "netWgt above the ceiling of 1,000,000,000,000 kg per row (setting max_row_weight_kg "
        "x 100 for world data)",
    }
    assert total == 5000.0


# ---- defence in depth: the writer and the read side ---------------------------------------


def test_the_writer_refuses_non_finite_flows(ws: Workspace, tmp_path: Path) -> None:
    s, _rej = _import(ws, _write(tmp_path, "ok.csv", [HEADER, *GOOD]))
    with ws.warehouse(read_only=True) as con:
        flows = con.sql(
            "SELECT * EXCLUDE (dataset_id) FROM region_flows WHERE dataset_id = ?",
            params=[s.dataset_id],
        ).pl()
    before = _totals(ws)
    bad = flows.with_columns(pl.lit(float("nan")).alias("value_usd"))
    with (
        ws.warehouse() as con,
        pytest.raises(InputError, match="not a finite number"),
        writes.import_transaction(con) as ds,
    ):
        writes.add_region_flows(con, ds, bad)
    assert _totals(ws) == before
    with pytest.raises(InputError, match="2 row"):
        writes.refuse_non_finite(
            pl.DataFrame({"value_usd": [1.0, math.inf, -math.inf], "quantity": [None, 1.0, 2.0]}),
            ("value_usd", "quantity"),
        )


def _finite_json(x: Any) -> None:
    if isinstance(x, float):
        assert math.isfinite(x)
    elif isinstance(x, dict):
        for v in x.values():
            _finite_json(v)
    elif isinstance(x, list):
        for v in x:
            _finite_json(v)


@pytest.fixture
def demo_copy(small_demo: Workspace, tmp_path: Path) -> Workspace:
    shutil.copytree(small_demo.path, tmp_path / "demo")
    return open_workspace(tmp_path / "demo")


@pytest.fixture
def signed_in(demo_copy: Workspace) -> Iterator[TestClient]:
    from exportplan.services import demo_program
    from exportplan.web.app import create_app

    with TestClient(create_app(demo_copy), follow_redirects=False, headers=BROWSER) as c:
        c.get("/login")
        r = c.post(
            "/login",
            data={
                "username": "secretary",
                "password": demo_program.DEMO_PASSWORD,
                "csrf": c.cookies["ep_csrf"],
            },
        )
        assert r.status_code == 303
        yield c


def test_a_nan_upload_keeps_the_dashboard_and_monitor_finite(
    signed_in: TestClient, demo_copy: Workspace
) -> None:
    c = signed_in
    before = c.get("/dashboard.json?lang=en").json()
    year = int(before["year"])
    body = "\n".join(
        [
            # an office the demo has not loaded (the overlap rule refuses loaded cells)
            "period,customs office,hs code,destination,weight,value",
            f"{year}/01/10,گمرک سرو,080810,Iraq,100,nan",
            f"{year}/01/10,گمرک سرو,080810,Iraq,100,1e400",
            f"{year}/01/11,گمرک سرو,080810,Iraq,100,12345",
        ]
    )
    r = c.post(
        "/data/upload",
        files={"file": ("nan.csv", body.encode(), "text/csv")},
        data={"definition": "customs", "decimal": "", "csrf": c.cookies["ep_csrf"]},
        follow_redirects=False,
    )
    assert r.status_code == 303  # queued for the server's writer
    assert [j["state"] for j in wait_for_imports(c)] == ["done"]
    with demo_copy.warehouse(read_only=True) as con:
        last = con.execute(
            "SELECT rows_read, rows_accepted, rows_rejected FROM datasets ORDER BY id DESC LIMIT 1"
        ).fetchall()[0]
    assert last == (3, 1, 2)
    after = c.get("/dashboard.json?lang=en")
    assert after.status_code == 200
    _finite_json(after.json())
    assert after.json()["status"]["ytd"] == pytest.approx(before["status"]["ytd"] + 12345)
    for by in ("hs4", "partner", "office"):
        m = c.get(f"/monitor.json?lang=en&by={by}")
        assert m.status_code == 200
        _finite_json(m.json())


def test_non_finite_rows_already_in_a_warehouse_never_reach_a_total(
    signed_in: TestClient, demo_copy: Workspace
) -> None:
    """A workspace written before these checks may hold a NaN row: the summaries the pages
    read sum finite values only."""
    c = signed_in
    before = c.get("/dashboard.json?lang=en").json()
    with demo_copy.warehouse() as con:
        con.execute(
            "INSERT INTO region_flows SELECT dataset_id, 999999, region, definition, sh_year, "
            "sh_month, g_year, g_month, day, customs_office, hs_code, hs6, partner, 'NaN', "
            "'NaN', value_rial, exporter, flags FROM region_flows WHERE sh_year = ? LIMIT 1",
            [int(before["year"])],
        )
        writes.refresh_region_summary(con, demo_copy.home_region)
        assert (
            con.execute("SELECT count(*) FROM region_flows WHERE isnan(value_usd)").fetchall()[0][0]
            == 1
        )
    after = c.get("/dashboard.json?lang=en")
    assert after.status_code == 200
    _finite_json(after.json())
    assert after.json()["status"]["ytd"] == pytest.approx(before["status"]["ytd"])
    m = c.get("/monitor.json?lang=en&by=partner")
    assert m.status_code == 200
    _finite_json(m.json())


# ---- the program workbook ------------------------------------------------------------------


def test_program_file_refuses_non_finite_and_ambiguous_numbers(pdb: Any, tmp_path: Path) -> None:
    from exportplan.auth import Actor
    from exportplan.services import program as svc

    admin, secretary = Actor("admin", "admin"), Actor("sara", "secretary")
    svc.add_agency(pdb, admin, code="CUS", name_en="Customs", kind="customs")
    p = svc.create_program(
        pdb, secretary, region="East Azerbaijan", country="IRN", sh_year=1405, target_usd=3e9
    )
    svc.add_kpi(
        pdb,
        secretary,
        int(p["id"]),
        code="K1",
        agency="CUS",
        name="days",
        source="manual",
        unit="days",
    )
    path = tmp_path / "plan.xlsx"
    svc.export(pdb, int(p["id"]), path)
    before = svc.program_data(pdb, int(p["id"]))
    wb = openpyxl.load_workbook(path)
    sheet = wb["measurements"]
    head = [c.value for c in sheet[2]]  # the machine names' row
    for period, value in (
        ("1405-01", "nan"),
        ("1405-02", "1e400"),
        ("1405-03", "12,5"),
    ):
        row = {"kpi": "K1", "period": period, "value": value}
        sheet.append([row.get(str(h), "") for h in head])
    wb["targets"].append(["T9", "TOTAL", "", "", "", "", "inf"])
    wb.save(path)
    with pytest.raises(svc.WorkbookError) as err:
        svc.import_file(pdb, admin, path)
    problems = {(sh, r, c): m for sh, r, c, m in err.value.problems}
    # rows as Excel numbers them, below the two header rows
    assert "not a finite number" in problems[("measurements", 3, "value")]
    assert "not a finite number" in problems[("measurements", 4, "value")]
    assert "written with the decimal mark ','" in problems[("measurements", 5, "value")]
    assert "not a finite number" in problems[("targets", 3, "value_usd")]
    assert svc.program_data(pdb, int(p["id"])) == before
    with pytest.raises(InputError, match="finite"):
        svc.measure(pdb, secretary, int(p["id"]), "K1", period="1405-02", value=float("nan"))
    with pytest.raises(InputError, match="finite"):
        svc.set_target(pdb, secretary, int(p["id"]), code="T1", value_usd=float("inf"))


# ---- the number grammar --------------------------------------------------------------------

FORMS = [
    # text, value with ".", value with ","  (None: refused)
    ("1234", 1234.0, 1234.0),
    ("-5", -5.0, -5.0),
    ("1,234", 1234.0, 1.234),
    ("1.234", 1.234, 1234.0),
    ("12,5", None, 12.5),
    ("12.5", 12.5, None),
    ("1.234,56", None, 1234.56),
    ("1,234.56", 1234.56, None),
    ("0,123", None, 0.123),
    ("1,2345", None, 1.2345),
    ("۱۲٬۵۰۰٫۵", 12500.5, 12500.5),
    ("١٬٠٠٠", 1000.0, 1000.0),
    ("12\u00a0500", 12500.0, 12500.0),
    ("1.5e3", 1500.0, None),
    ("1,5e3", None, 1500.0),
    ("12,,5", None, None),
    ("1,23,456", None, None),
    ("nan", None, None),
    ("-Infinity", None, None),
    ("1e400", None, None),
    ("12/5", None, None),
]


@pytest.mark.parametrize(("text", "dot", "comma"), FORMS)
def test_number_forms_under_each_convention(
    text: str, dot: float | None, comma: float | None
) -> None:
    for decimal, want in ((".", dot), (",", comma)):
        got = (
            pl.DataFrame({"s": [text]})
            .select(number_exprs(pl.col("s").str.replace_all("\u00a0", " "), decimal).value)
            .item()
            if text.isascii() or "\u00a0" in text
            else None
        )
        if got is not None or want is None:
            assert got == want, (text, decimal)
        if want is None:
            with pytest.raises(NumberError):
                parse_number(text, decimal)
        else:
            assert parse_number(text, decimal) == pytest.approx(want)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=0, max_value=1e12, allow_nan=False), st.sampled_from([".", ","]))
def test_grouped_numbers_read_back(x: float, decimal: str) -> None:
    text = f"{x:,.2f}"  # 1,234,567.89
    if decimal == ",":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    ambiguous = text.count(".") + text.count(",") == 1 and len(text.split(decimal)[-1]) == 3
    assert not ambiguous
    assert parse_number(text, decimal) == pytest.approx(round(x, 2))
