"""The demo generator's contract (a small size of the same generator the demo uses)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import polars as pl
import pytest

from demo_cache import copy_or_build
from exportplan.errors import WorkspaceError
from exportplan.services import demo, monitor
from exportplan.workspace import init, open_workspace


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A private copy of the run's prebuilt small demo (tests/demo_cache.py; built here when
    there is none) and its build's report: the session's shared ``small_demo`` may hold what
    other tests of the worker imported into it, and these tests count its datasets."""
    path = tmp_path_factory.mktemp("demo") / "ws"
    prebuilt = os.environ.get("EXPORTPLAN_TEST_DEMO")
    copy_or_build(Path(prebuilt) if prebuilt else None, path)
    return path, (path.parent / "report.txt").read_text("utf-8")


def test_everything_is_labelled_synthetic(built: tuple[Path, str]) -> None:
    path, report = built
    assert report.startswith("SYNTHETIC DEMO DATA")
    ws = open_workspace(path)
    with ws.warehouse(read_only=True) as con:
        flags = con.execute(
            "SELECT bool_and(synthetic), bool_and(source LIKE 'SYNTHETIC%'), "
            "bool_and(file_name LIKE 'SYNTHETIC%'), sum(rows_rejected) FROM datasets"
        ).fetchall()
    assert flags == [(True, True, True, 0)]


def test_province_is_shaped_like_the_brief(built: tuple[Path, str]) -> None:
    ws = open_workspace(built[0])
    t = demo.region_totals(ws)
    cus = {r[0]: (r[2], r[3]) for r in t.filter(pl.col("definition") == "customs").iter_rows()}
    ori = {r[0]: (r[2], r[3]) for r in t.filter(pl.col("definition") == "origin").iter_rows()}
    assert 2.2e9 < cus[1404][1] < 2.8e9  # about USD 2.5 bn leaving through its customs
    assert cus[1405][0] == 8  # today 1405/09/07: months 1-8 complete
    growth = [cus[y][1] / cus[y - 1][1] - 1 for y in range(1399, 1405)]
    assert 0.12 < sum(growth) / len(growth) < 0.28  # about 20% a year
    for y in range(1398, 1405):
        assert 0.35 < ori[y][1] / cus[y][1] < 0.65  # made in the province: about half
    st = monitor.status(ws, monitor.Scope(region=ws.home_region), 1405, month=8)
    ytd, last = st.ytd, st.same_period_last_year
    assert last is not None
    assert 0.1 < ytd / last - 1 < 0.35  # "+20% this year": like-for-like months
    assert "on the same months of 1404" in built[1]
    with ws.warehouse(read_only=True) as con:
        top = con.execute(
            "SELECT partner FROM region_flows WHERE definition='customs' GROUP BY 1 "
            "ORDER BY sum(value_usd) DESC LIMIT 2"
        ).fetchall()
    assert top == [("IRQ",), ("TUR",)]


def test_world_panel_and_rebuild(built: tuple[Path, str], tmp_path: Path) -> None:
    ws = open_workspace(built[0])
    with ws.warehouse(read_only=True) as con:
        years = con.execute(
            "SELECT count(DISTINCT year), count(DISTINCT exporter) FROM world_flows"
        ).fetchall()
    assert years == [(5, 200)]
    other = init(tmp_path / "mine")
    with pytest.raises(WorkspaceError, match="did not build"):
        demo.build(other.path, years=2, products=100, rows_per_year=5000, log=lambda _m: None)


def test_monitoring_on_the_demo(built: tuple[Path, str]) -> None:
    from exportplan.services import monitor

    ws = open_workspace(built[0])
    sc = monitor.Scope(region=ws.home_region)
    st = monitor.status(ws, sc, 1405)
    assert st.months == 8 and st.target == 3e9 and "SYNTHETIC DATA" in st.data
    assert st.growth_pct is not None and 10 < st.growth_pct < 35
    assert st.backtest_years >= 3 and st.coverage80 is not None and st.coverage95 is not None
    assert st.low95 is not None and st.high95 is not None and st.low95 < st.high95
    assert st.p_target is not None and 0 <= st.p_target <= 1
    origin = monitor.status(ws, monitor.Scope(region=ws.home_region, definition="origin"), 1405)
    assert origin.ytd < st.ytd and origin.target is None  # the target is for the customs definition


def test_the_demo_holds_a_realistic_program(built: tuple[Path, str]) -> None:
    import math

    from exportplan.services import demo_program, program, users
    from exportplan.services import monitor as mon

    ws = open_workspace(built[0])
    db = ws.program()
    (p,) = program.programs(db)
    assert (p["sh_year"], p["definition"], p["target_usd"]) == (1405, "customs", 3e9)
    view = program.show(db, p["id"], today=dt.date(2026, 11, 28))
    tree = view["targets"]
    assert tree["allocated_usd"] == pytest.approx(3e9)  # sub-targets add up to USD 3 bn
    for node in tree["children"]:
        if node["children"]:
            assert sum(c["value_usd"] for c in node["children"]) == pytest.approx(node["value_usd"])
    assert len(view["priorities"]) == 6
    for pr in view["priorities"]:
        assert pr["opportunity"]["synthetic"] is True
        assert "ranks" in pr["reason"]
    agencies = {a["agency"] for a in view["actions"]}
    assert len(agencies) >= 5
    assert 0 < len(view["overdue"]) < len(view["actions"])
    # data KPIs carry the monitoring service's numbers
    k = next(k for k in view["kpis"] if k["source"] == "data")
    scope = mon.Scope(region=ws.home_region, hs=tuple(k["hs_codes"]), partners=tuple(k["partners"]))
    series = mon.monthly(ws, scope)[1405]
    want = {f"1405-{m:02d}": float(v) for m, v in enumerate(series, start=1) if not math.isnan(v)}
    got = {m["period"]: m["value"] for m in k["measurements"]}
    assert got == pytest.approx(want) and len(got) == 8
    token, _ = users.sign_in(db, "imt", demo_program.DEMO_PASSWORD)
    assert users.actor_for_token(db, token, kind="session").role == "member"
    assert "Program 1405 (customs definition): target USD 3.00 bn" in built[1]
