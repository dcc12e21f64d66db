"""KPI month values are versioned on every write path, not only the web's: the command line's
``program measure --version``, ``program refresh-kpis`` and the program workbook import each
name the version they read and are refused (nothing saved) when the month changed since; with
real concurrent writers (threads and processes) on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from exportplan.auth import Actor
from exportplan.cli import app
from exportplan.errors import ConflictError
from exportplan.services import monitor
from exportplan.services import program as svc
from exportplan.services.plan_of_record import program_id_for
from exportplan.services.program import workbook_import
from exportplan.store.program import ProgramDB
from exportplan.workspace import Workspace, init

ADMIN = Actor("admin", "admin")
PERIOD = "1405-03"


def seed(db: ProgramDB) -> int:
    """A program with a hand-entered KPI measured once (version 1)."""
    svc.add_agency(db, ADMIN, code="IMT", name_en="Industry", kind="industry-mine-trade")
    pid = int(
        svc.create_program(
            db, ADMIN, region="East Azerbaijan", country="IRN", sh_year=1405, target_usd=3e9
        )["id"]
    )
    svc.add_kpi(db, ADMIN, pid, code="K1", agency="IMT", name="fairs", source="manual", unit="n")
    svc.measure(db, ADMIN, pid, "K1", period=PERIOD, value=1.0)
    return pid


def months(db: ProgramDB, pid: int, code: str) -> list[tuple[str, float, int]]:
    k = next(k for k in svc.kpis(db, pid) if k["code"] == code)
    return [(m["period"], m["value"], m["version"]) for m in k["measurements"]]


def measurement_audit(db: ProgramDB, pid: int) -> list[str]:
    return [a["op"] for a in svc.audit_log(db, program_id=pid) if a["entity"] == "measurement"]


def url_of(db: ProgramDB) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def together(n: int, fn: Callable[[int], Any]) -> list[Any]:
    """``fn(i)`` in ``n`` threads released at once; each result, or the exception it raised."""
    gate = threading.Barrier(n)
    out: list[Any] = [None] * n

    def run(i: int) -> None:
        gate.wait()
        try:
            out[i] = fn(i)
        except Exception as exc:  # the outcome under test
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    return out


# ---- exportplan program measure --version -------------------------------------------------


def test_the_cli_measure_names_the_version_it_read(tmp_path: Path) -> None:
    ws = init(tmp_path / "ws")
    db = ws.program()
    pid = seed(db)
    runner = CliRunner()
    base = ["program", "measure", "--workspace", str(ws.path), "--program", str(pid)]
    base += ["--kpi", "K1", "--period", PERIOD]
    r = runner.invoke(app, [*base, "--value", "2", "--version", "1"])
    assert r.exit_code == 0, r.output
    assert f"K1 {PERIOD}: 2 (version 2)" in r.output
    # a save naming the version read before that one: refused, naming the current version
    # (the console entry point prints it and exits 2: the processes' test below)
    r = runner.invoke(app, [*base, "--value", "3", "--version", "1"])
    assert isinstance(r.exception, ConflictError)
    text = str(r.exception)
    assert "your version 1, now 2, value 2 by cli:" in text and "nothing was saved" in text, text
    assert months(db, pid, "K1") == [(PERIOD, 2.0, 2)]
    # a new month is version 0; naming 0 for a month that has a value is stale too
    r = runner.invoke(app, [*base[:-1], "1405-04", "--value", "7", "--version", "0"])
    assert r.exit_code == 0 and "(version 1)" in r.output, r.output
    r = runner.invoke(app, [*base, "--value", "3", "--version", "0"])
    assert isinstance(r.exception, ConflictError) and "your version 0, now 2" in str(r.exception)
    # without --version the value read now is replaced (and the new version said)
    r = runner.invoke(app, [*base, "--value", "4"])
    assert r.exit_code == 0 and f"K1 {PERIOD}: 4 (version 3)" in r.output, r.output
    assert months(db, pid, "K1") == [(PERIOD, 4.0, 3), ("1405-04", 7.0, 1)]
    assert measurement_audit(db, pid) == ["update", "create", "update", "create"]


def test_concurrent_cli_saves_of_one_month_one_wins(pdb: ProgramDB, tmp_path: Path) -> None:
    """Four `exportplan program measure --version 1` processes at once on the same store
    (SQLite file or PostgreSQL): one saves, three are refused and say so; nothing is lost
    silently."""
    pid = seed(pdb)
    ws = init(tmp_path / "ws")
    env = {**os.environ, "EXPORTPLAN_PROGRAM_DB": url_of(pdb), "COLUMNS": "200"}
    cmd = [
        sys.executable,
        "-m",
        "exportplan.cli",
        "program",
        "measure",
        "--workspace",
        str(ws.path),
    ]
    cmd += ["--program", str(pid), "--kpi", "K1", "--period", PERIOD, "--version", "1"]
    procs = [
        subprocess.Popen(
            [*cmd, "--value", str(100 + i)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for i in range(4)
    ]
    outs = [p.communicate(timeout=240)[0] for p in procs]
    codes = [p.returncode for p in procs]
    assert sorted(codes) == [0, 2, 2, 2], list(zip(codes, outs, strict=True))
    winner = codes.index(0)
    assert f"K1 {PERIOD}: {100 + winner} (version 2)" in outs[winner]
    for code, text in zip(codes, outs, strict=True):
        if code == 2:
            assert "nothing was saved" in " ".join(text.split()), text
            assert "Traceback" not in text
    assert months(pdb, pid, "K1") == [(PERIOD, 100.0 + winner, 2)]
    assert measurement_audit(pdb, pid) == ["update", "create"]


def test_ten_concurrent_versioned_saves_through_the_service(pdb: ProgramDB) -> None:
    """The call the command line makes, from ten threads at once: one wins."""
    pid = seed(pdb)
    out = together(
        10, lambda i: svc.measure(pdb, ADMIN, pid, "K1", period=PERIOD, value=10 + i, version=1)
    )
    won = [i for i, r in enumerate(out) if isinstance(r, dict)]
    assert len(won) == 1, out
    assert all(isinstance(r, ConflictError) for i, r in enumerate(out) if i not in won), out
    assert months(pdb, pid, "K1") == [(PERIOD, 10.0 + won[0], 2)]
    assert measurement_audit(pdb, pid) == ["update", "create"]


# ---- refresh-kpis and the workbook import -------------------------------------------------


def data_program(db: ProgramDB, demo: Workspace) -> tuple[int, str, dict[str, float]]:
    """In ``db``, the demo's program year with one of its data KPIs (code KD); the KPI's
    monthly values as the demo's own refresh recorded them."""
    ddb = demo.program()
    dpid = program_id_for(ddb, region=None, year=None)
    dk = next(k for k in svc.kpis(ddb, dpid) if k["source"] == "data" and k["measurements"])
    expected = {m["period"]: m["value"] for m in dk["measurements"]}
    year = int(next(iter(expected))[:4])
    svc.add_agency(db, ADMIN, code="IMT", name_en="Industry", kind="industry-mine-trade")
    pid = int(
        svc.create_program(
            db,
            ADMIN,
            region=demo.home_region,
            country=demo.home_country,
            sh_year=year,
            target_usd=1e9,
        )["id"]
    )
    svc.add_kpi(
        db,
        ADMIN,
        pid,
        code="KD",
        agency="IMT",
        name="exports",
        source="data",
        hs_codes=dk["hs_codes"],
        partners=dk["partners"],
    )
    return pid, min(expected), expected


def test_refresh_kpis_refuses_when_a_month_changed_while_it_computed(
    pdb: ProgramDB, small_demo: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid, first, expected = data_program(pdb, small_demo)
    assert svc.refresh_kpis(small_demo, pdb, ADMIN, pid) == len(expected)
    assert {p: v for p, v, _ in months(pdb, pid, "KD")} == expected
    assert all(version == 1 for _, _, version in months(pdb, pid, "KD"))
    # a second refresh pauses after computing (the months' versions read), while another
    # writer corrects the first month
    computed, go_on = threading.Event(), threading.Event()
    real = monitor.monthly

    def paused(*a: Any, **kw: Any) -> Any:
        out = real(*a, **kw)
        computed.set()
        assert go_on.wait(60)
        return out

    monkeypatch.setattr(monitor, "monthly", paused)
    outcome: list[Any] = []
    th = threading.Thread(
        target=lambda: outcome.append(_catch(lambda: svc.refresh_kpis(small_demo, pdb, ADMIN, pid)))
    )
    th.start()
    assert computed.wait(60)
    svc.measure(
        pdb, ADMIN, pid, "KD", period=first, value=123.0, source="customs' own count", version=1
    )
    go_on.set()
    th.join(60)
    assert len(outcome) == 1 and isinstance(outcome[0], ConflictError), outcome
    assert f"KD {first} has changed since you read it (your version 1, now 2" in str(outcome[0])
    now = {p: (v, version) for p, v, version in months(pdb, pid, "KD")}
    assert now[first] == (123.0, 2)  # the correction stands
    assert all(now[p] == (v, 1) for p, v in expected.items() if p != first)  # nothing else saved
    monkeypatch.setattr(monitor, "monthly", real)
    # read again, the refresh goes through (and puts the data's number back)
    assert svc.refresh_kpis(small_demo, pdb, ADMIN, pid) == len(expected)
    assert months(pdb, pid, "KD")[0] == (first, expected[first], 3)


def _catch(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except Exception as exc:  # the outcome under test
        return exc


def test_the_workbook_import_refuses_a_month_changed_after_it_was_read(
    pdb: ProgramDB, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = seed(pdb)
    path = tmp_path / "program.yaml"
    svc.export(pdb, pid, path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    (row,) = [m for m in data["measurements"] if m["kpi"] == "K1"]
    row["value"] = 50
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # the import pauses after reading what the store holds; a web save lands meanwhile
    read, go_on = threading.Event(), threading.Event()
    real = workbook_import._stored

    def paused(*a: Any, **kw: Any) -> Any:
        out = real(*a, **kw)
        read.set()
        assert go_on.wait(60)
        return out

    monkeypatch.setattr(workbook_import, "_stored", paused)
    outcome: list[Any] = []
    th = threading.Thread(
        target=lambda: outcome.append(_catch(lambda: svc.import_file(pdb, ADMIN, path)))
    )
    th.start()
    assert read.wait(60)
    svc.measure(pdb, ADMIN, pid, "K1", period=PERIOD, value=9.0, version=1)
    go_on.set()
    th.join(60)
    assert len(outcome) == 1 and isinstance(outcome[0], ConflictError), outcome
    assert f"K1 {PERIOD} has changed since you read it (your version 1, now 2, value 9" in str(
        outcome[0]
    )
    assert months(pdb, pid, "K1") == [(PERIOD, 9.0, 2)]  # the web's save stands
    assert measurement_audit(pdb, pid) == ["update", "create"]
    monkeypatch.setattr(workbook_import, "_stored", real)
    # imported again (read afresh), the file's value lands
    summary = svc.import_file(pdb, ADMIN, path)
    assert summary["program_id"] == pid
    assert months(pdb, pid, "K1") == [(PERIOD, 50.0, 3)]


def test_the_workbook_import_refuses_a_save_between_its_two_reads(
    pdb: ProgramDB, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import reads the months' versions, then the values: a save landing between the
    two reads must not pass as the version the import read (it would compare the file with
    the new value and overwrite it silently)."""
    pid = seed(pdb)
    path = tmp_path / "program.yaml"
    svc.export(pdb, pid, path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    (row,) = [m for m in data["measurements"] if m["kpi"] == "K1"]
    row["value"] = 50
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    real = workbook_import.program_data  # type: ignore[attr-defined]

    def with_a_save_first(*a: Any, **kw: Any) -> Any:
        svc.measure(pdb, ADMIN, pid, "K1", period=PERIOD, value=9.0, version=1)
        return real(*a, **kw)

    monkeypatch.setattr(workbook_import, "program_data", with_a_save_first)
    with pytest.raises(ConflictError, match=f"K1 {PERIOD} has changed since you read it"):
        svc.import_file(pdb, ADMIN, path)
    assert months(pdb, pid, "K1") == [(PERIOD, 9.0, 2)]  # the other save stands
