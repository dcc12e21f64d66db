"""The rejected rows' reasons in the chosen language (issue 16): every reason the importers
can write (found in their source code) has a machine code and a Persian wording; the rejects
downloads (web and command line) carry both."""

from __future__ import annotations

import ast
import csv
import io
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exportplan.reference import reject_reasons as rr
from exportplan.services.imports.customs import CustomsOptions, import_file
from exportplan.workspace import Workspace, init
from test_persian_downloads import english

SRC = Path(__file__).resolve().parents[1] / "src" / "exportplan"
#: The modules whose text becomes a stored reason: the importers' row checks and the cell
#: readers they call (numbers, HS codes, periods)
SOURCES = [
    "ingest/customs_rows.py",
    "ingest/customs_repeats.py",
    "ingest/files.py",
    "ingest/comtrade.py",
    "ingest/baci.py",
    "ingest/nomenclature.py",
    "reference/numbers.py",
    "reference/hs.py",
    "reference/calendar.py",
]
#: The calls whose argument (by position) is a reason, or the field a reason names
REASON_ARGS = {
    "Check": 2,
    "_err": 1,
    "Reject": 1,
    "UndecodableLine": 1,
    "PeriodError": 0,
    "CleanCode": 2,
    "number_checks": 1,
    "ceiling_check": 2,
}
#: Technical words a Persian reason keeps (settings, the files' own column names and codes)
TECHNICAL = [
    "max_row_value_usd", "max_row_weight_kg", "--decimal", "netWgt", "refYear", "flowCode",
    "cmdCode", "partner2", "UTF-8", "Windows-1256", "t،i،j،k", "origin", "customs",
]  # fmt: skip


def _parts(node: ast.AST) -> list[str]:
    """The constant text of a string, an f-string, a sum of them, or pl.lit / pl.format."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        ]
    if isinstance(node, ast.BinOp):
        return _parts(node.left) + _parts(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "alias":
            return _parts(node.func.value)
        if node.func.attr in ("lit", "format") and node.args:
            return [p for s in _parts(node.args[0]) for p in s.split("{}")]
    return []


def _name(f: ast.AST) -> str:
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def reason_fragments() -> set[tuple[str, str]]:
    """The text of every reason the importers' source writes (the constant parts; the values
    are filled in at run time): reason arguments, a polars ``when ... then`` chain's texts, a
    reject tuple's last element, a ``problem`` entry, a ``*_reason`` variable."""
    out: set[tuple[str, str]] = set()
    for rel in SOURCES:
        for node in ast.walk(ast.parse((SRC / rel).read_text("utf-8"))):
            found: list[str] = []
            if isinstance(node, ast.Call):
                n = _name(node.func)
                if n in REASON_ARGS and len(node.args) > REASON_ARGS[n]:
                    found += _parts(node.args[REASON_ARGS[n]])
                if n in ("then", "with_fields") and node.args:
                    found += _parts(node.args[0])
                tup = node.args[0] if node.args else None
                if n == "append" and isinstance(tup, ast.Tuple) and len(tup.elts) == 4:
                    found += _parts(tup.elts[3])
            if isinstance(node, ast.Dict):
                for k, v in zip(node.keys, node.values, strict=True):
                    if isinstance(k, ast.Constant) and k.value == "problem" and v is not None:
                        found += _parts(v)
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id.endswith("_reason") for t in node.targets
            ):
                found += _parts(node.value)
            for f in found:
                f = f.strip(" ;:,")
                if " " in f and len(re.findall(r"[A-Za-z]+", f)) >= 2:
                    out.add((rel, f))
    return out


def test_every_reason_the_importers_write_has_a_persian_wording() -> None:
    fragments = reason_fragments()
    assert len(fragments) > 80  # the scan finds the reasons (a broken scan finds none)
    samples = [sample for _c, _p, _fa, sample in rr.REASONS]
    missing = sorted(f"{rel}: {f!r}" for rel, f in fragments if not any(f in s for s in samples))
    assert missing == [], "reasons without an entry in reference/reject_reasons.py:\n" + "\n".join(
        missing
    )


def test_each_sample_reads_as_its_own_reason_and_in_persian() -> None:
    codes = [c for c, _p, _fa, _s in rr.REASONS]
    assert len(set(codes)) == len(codes) and "other" not in codes
    found: list[str] = []
    for code, pattern, _fa, sample in rr.REASONS:
        assert rr.reason_code(sample) == code, sample  # not shadowed by an earlier entry
        m = re.fullmatch(pattern, sample)
        assert m is not None
        fa = rr.reason_text(sample, "fa")
        assert fa != sample and "{" not in fa, sample
        values = [v for k, v in m.groupdict().items() if v and k in ("value", "enc", "hint")]
        found += [f"{code}: {w} in {fa!r}" for w in english(fa, [*values, *TECHNICAL])]
        assert rr.reason_text(sample, "en") == sample
    assert found == [], "\n".join(found)
    # values come in Persian digits, quoted cells as the file wrote them
    ceiling = "value (USD) is above the ceiling of USD 3,000 per row (setting max_row_value_usd)"
    assert "۳٬۰۰۰ دلار" in rr.reason_text(ceiling, "fa")
    assert "'Atlantis'" in rr.reason_text("unknown country 'Atlantis'", "fa")
    assert rr.reason_code("something no importer writes") == "other"


HEADER = "تاریخ,گمرک اجرایی,کد تعرفه,کشور مقصد,وزن خالص (کیلوگرم),ارزش دلاری"
BAD = [
    "1404/02/10,تبریز,080810,عراق,1000,2500",  # row 2: accepted
    "1404/12/30,تبریز,080810,عراق,1000,2500",  # 3: not a Solar Hijri day
    "1404/02/10,تبریز,080810,Atlantis,1000,2500",  # 4: unknown country
    "1404/02/10,تبریز,77141000,عراق,1000,2500",  # 5: HS chapter 77
    "1404/02/10,تبریز,080810,عراق,-5,abc",  # 6: weight negative, value not a number
    "1404/02/10,تبریز,080810,عراق,1000,nan",  # 7: not finite
    ",تبریز,080810,عراق,1000,2500",  # 8: period missing
    "1404/02/10,تبریز,080810,عراق,1000,2500",  # 9: a repeat of row 2
]


@pytest.fixture
def ws_with_rejects(tmp_path: Path) -> tuple[Workspace, int]:
    ws = init(tmp_path / "ws")
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([HEADER, *BAD]) + "\n", encoding="utf-8")
    with ws.warehouse() as con:
        s = import_file(con, path, CustomsOptions(region="East Azerbaijan"))
    assert s.rows_rejected == 7
    return ws, s.dataset_id


def test_an_imports_rejects_in_persian_keep_the_reason_code(
    ws_with_rejects: tuple[Workspace, int], tmp_path: Path
) -> None:
    from exportplan.cli import app

    ws, ds = ws_with_rejects
    runner = CliRunner()
    r = runner.invoke(app, ["rejects", str(ds), "--lang", "fa", "--workspace", str(ws.path)])
    assert r.exit_code == 0, r.output
    rows = list(csv.reader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert rows[0] == ["فایل", "ردیف", "ستون", "مقدار", "دلیل", "کد دلیل"]
    by_row = {(int(x[1]), x[5]): x[4] for x in rows[1:]}
    assert set(by_row) >= {
        (3, "period_not_solar_hijri"), (4, "unknown_country"), (5, "hs_no_chapter"),
        (6, "number_negative"), (6, "number_unreadable"), (7, "number_not_finite"),
        (8, "period_missing"), (9, "repeat"),
    }  # fmt: skip
    assert all(code != "other" for _r, code in by_row)
    assert by_row[(9, "repeat")] == "تکرار ردیف ۲"
    assert by_row[(6, "number_negative")] == "وزن منفی است"
    found = [f"{k}: {w}" for k, v in by_row.items() for w in english(v, ["'Atlantis'"])]
    assert found == []
    # English: the reasons as stored, with their codes
    r = runner.invoke(app, ["rejects", str(ds), "--workspace", str(ws.path)])
    en = list(csv.reader(io.StringIO(r.stdout)))
    assert en[0] == ["file", "row", "column", "value", "reason", "reason_code"]
    assert any(x[4] == "duplicate of row 2" and x[5] == "repeat" for x in en[1:])
    # the web download: Persian reasons for people, the stored ones with ?header=machine
    from fastapi.testclient import TestClient

    from exportplan.auth import local_actor
    from exportplan.services import demo_program, users
    from exportplan.web.app import create_app
    from test_web import BROWSER, sign_in

    users.create_user(
        ws.program(), local_actor(), username="viewer", password=demo_program.DEMO_PASSWORD,
        role="viewer",
    )  # fmt: skip
    with TestClient(create_app(ws), follow_redirects=False, headers=BROWSER) as c:
        sign_in(c, "viewer")  # anyone signed in may read the rejects
        fa = c.get(f"/data/rejects/{ds}.csv?lang=fa").content.decode("utf-8-sig")
        assert fa.splitlines()[0] == "فایل,ردیف,ستون,مقدار,دلیل,کد دلیل"
        assert "تکرار ردیف ۲,repeat" in fa and "duplicate of row" not in fa
        machine = c.get(f"/data/rejects/{ds}.csv?lang=fa&header=machine").text
        assert machine.lstrip("\ufeff").startswith("file,row,column,value,reason,reason_code")
        assert "duplicate of row 2,repeat" in machine
