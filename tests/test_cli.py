"""The command line, as a user runs it: real files, real workspaces, readable errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from exportplan.cli import app
from exportplan.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed entry point in a subprocess (the real error translation)."""
    return subprocess.run(
        [sys.executable, "-m", "exportplan.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_complexity_on_the_conformance_file(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    r = run(
        "complexity",
        str(ROOT / "tests/data/trade_data_sample.csv"),
        "--time",
        "year",
        "--loc",
        "origin",
        "--prod",
        "hs92",
        "--val",
        "export_val",
        "-o",
        str(out),
    )
    assert r.returncode == 0, r.stderr
    df = pl.read_csv(out, schema_overrides={"hs92": pl.String})
    expected = [
        "year",
        "origin",
        "hs92",
        "export_val",
        "rca",
        "mcp",
        "diversity",
        "ubiquity",
        "eci",
        "pci",
        "density",
        "coi",
        "cog",
        "in_sample",
    ]
    assert df.columns == expected
    aut = df.filter(
        (pl.col("year") == 1995) & (pl.col("origin") == "aut") & (pl.col("hs92") == "1704")
    )
    assert abs(aut.get_column("eci")[0] - 1.073207217992253) < 1e-9  # Stata's value


def test_complexity_streams_a_baci_file(tmp_path: Path) -> None:
    f = tmp_path / "BACI.csv"
    f.write_text(
        "t,i,j,k,v,q\n2022,364,368,80810,1.5,2\n2022,364,792,720712,10,NA\n"
        "2022,792,368,80810,4,1\n2022,792,364,720712,1,1\n2022,51,368,80890,2,1\n",
        encoding="utf-8",
    )
    out = tmp_path / "o.csv"
    r = run("complexity", str(f), "--baci", "--level", "hs4", "-o", str(out))
    assert r.returncode == 0, r.stderr
    df = pl.read_csv(out, schema_overrides={"hs4": pl.String})
    assert df.columns[:4] == ["year", "exporter", "hs4", "value_usd"]
    assert sorted(set(df["hs4"])) == ["0808", "7207"]
    assert (
        df.filter((pl.col("exporter") == 364) & (pl.col("hs4") == "7207"))["value_usd"][0] == 10000
    )


def test_errors_are_messages_not_tracebacks(tmp_path: Path) -> None:
    r = run("datasets", "--workspace", str(tmp_path / "none"))
    assert r.returncode == 2
    assert "error: no workspace at" in r.stderr and "exportplan init" in r.stderr
    assert "Traceback" not in r.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    r = run("complexity", str(bad), "--loc", "x", "--prod", "y", "--val", "z")
    assert r.returncode == 2 and "not in the input" in r.stderr and "Traceback" not in r.stderr
    r = run("complexity", str(tmp_path / "nothing.csv"))
    assert r.returncode == 2 and "no such file" in r.stderr


def test_workspace_import_datasets_rejects_round_trip(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    env = {"EXPORTPLAN_WORKSPACE": str(ws)}
    assert run("init", env=env).returncode == 0
    f = tmp_path / "c.csv"
    f.write_text(
        "تاریخ,کد تعرفه,کشور مقصد,ارزش دلاری\n1404/01/10,080810,عراق,10\n"
        "1404/01/10,080810,نارنیا,10\n",
        encoding="utf-8",
    )
    r = run("import", "customs", str(f), env=env)
    assert r.returncode == 0, r.stderr
    assert "accepted 1, rejected 1" in r.stdout and "counted as goods leaving" in r.stdout
    r = run("datasets", "--json", env=env)
    rows = json.loads(r.stdout)
    assert rows[0]["rows_read"] == 2 and rows[0]["region"] == "East Azerbaijan"
    out = tmp_path / "rej.csv"
    assert run("rejects", str(rows[0]["id"]), "-o", str(out), env=env).returncode == 0
    rej = pl.read_csv(out)
    assert (
        rej.row(0, named=True)["row"] == 3 and "unknown country" in rej.row(0, named=True)["reason"]
    )
    r = run("rejects", "99", env=env)
    assert r.returncode == 2 and "no dataset 99" in r.stderr
    r = run("import", "customs", str(f), env=env)
    assert "already imported" in r.stdout and f"exportplan remove {rows[0]['id']}" in r.stdout
    r = run("remove", str(rows[0]["id"]), env=env)
    assert r.returncode == 0 and "removed with its 1 row(s)" in r.stdout
    assert json.loads(run("datasets", "--json", env=env).stdout) == []
    r = run("import", "customs", str(f), "--definition", "origin", env=env)
    assert "accepted 1, rejected 1" in r.stdout


def test_every_command_has_help_with_an_example_and_is_documented() -> None:
    import typer

    root = typer.main.get_command(app)
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")

    def walk(cmd: object, path: list[str]) -> list[list[str]]:
        subs = getattr(cmd, "commands", {}) or {}
        if not subs:
            return [path]
        return [p for name in subs for p in walk(subs[name], [*path, name])]

    leaves = walk(root, [])
    assert len(leaves) >= 12
    for path in leaves:
        res = runner.invoke(app, [*path, "--help"])
        assert res.exit_code == 0
        assert "Example: exportplan" in res.output, path
        assert f"## `exportplan {' '.join(path)}`" in docs, path


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for s in SETTINGS:
        assert f"`{s.env}`" in doc and s.help in doc, s.name


def test_reference_commands() -> None:
    res = runner.invoke(app, ["reference", "date", "1403/12/30"])
    assert "2025-03-20" in res.output
    res = runner.invoke(app, ["reference", "country", "ترکيه"])
    assert "TUR" in res.output


def test_a_workspace_in_use_elsewhere_is_a_clear_error(tmp_path: Path) -> None:
    from exportplan.workspace import init

    ws = init(tmp_path / "busy")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "print('ready', flush=True); time.sleep(30)",
            str(ws.warehouse_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        r = run("datasets", "--workspace", str(ws.path))
        assert r.returncode == 2 and "in use by another exportplan process" in r.stderr
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()


def test_program_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = tmp_path / "ws"
    w = ["-w", str(ws)]

    def run(*args: str) -> Any:
        return runner.invoke(app, [*args, *w])

    assert run("init").exit_code == 0
    assert run("program", "create", "--year", "1405", "--target", "3e9").exit_code == 0
    assert run("program", "add-agency", "--code", "IMT", "--name", "IMT").exit_code == 0
    assert run("program", "add-agency", "--code", "CUS", "--name", "Customs").exit_code == 0
    r = run(
        "program",
        "add-priority",
        "--year",
        "1405",
        "--code",
        "P1",
        "--hs",
        "808",
        "--market",
        "Iraq",
    )
    assert r.exit_code == 0 and "HS 0808 to IRQ" in r.output
    r = run("program", "set-target", "--year", "1405", "--code", "P1", "--value", "3.5e9")
    assert r.exit_code != 0 and "above TOTAL" in str(r.exception)
    r = run(
        "program",
        "add-action",
        "--year",
        "1405",
        "--agency",
        "IMT",
        "--title",
        "fair",
        "--start",
        "1405/01/15",
        "--deadline",
        "1405/03/31",
    )
    assert r.exit_code == 0 and "A001" in r.output
    monkeypatch.setenv("EXPORTPLAN_PASSWORD", "0123456789ab")
    assert run("user", "add", "cus1", "--role", "member", "--agency", "CUS").exit_code == 0
    r = run(
        "program", "update-action", "A001", "--year", "1405", "--progress", "50", "--user", "cus1"
    )
    assert r.exit_code != 0 and "only their own agency" in str(r.exception)
    r = run("program", "update-action", "A001", "--year", "1405", "--progress", "50")
    assert r.exit_code == 0 and "50%" in r.output
    xlsx = tmp_path / "plan.xlsx"
    assert run("program", "export", str(xlsx), "--year", "1405").exit_code == 0
    r = run("program", "import", str(xlsx))
    assert r.exit_code == 0 and "0 created, 0 updated" in r.output
    r = run("program", "audit", "--year", "1405", "--json")
    assert r.exit_code == 0
    log = json.loads(r.output)
    assert any(e["entity"] == "action" and e["op"] == "update" for e in log)
    r = run("program", "handover", "--agency", "IMT")
    assert r.exit_code == 0 and "fair" in r.output
