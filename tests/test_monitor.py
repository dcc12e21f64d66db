"""Monitoring on hand-built monthly series whose answers are known."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import cast

import numpy as np
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from exportplan.analytics import decomposition as dec
from exportplan.analytics.forecast import forecast_year
from exportplan.cli import app
from exportplan.errors import InputError
from exportplan.services import monitor as mon
from exportplan.services.imports.customs import CustomsOptions, import_file
from exportplan.store import warehouse
from exportplan.workspace import Workspace

# monthly exports (USD) to Iraq of HS 080810 by Solar Hijri year; 1404 known through month 3
SERIES = {
    1401: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120],
    1402: [12, 22, 33, 44, 55, 66, 77, 88, 99, 110, 121, 132],
    1403: [15, 25, 35, 45, 55, 65, 75, 85, 95, 105, 115, 125],
    1404: [18, 30, 42],
}


def _write_monthly(path: Path, series: dict[int, list[int]], *, cumulative: bool = False) -> None:
    lines = ["دوره,کد تعرفه,کشور مقصد,وزن,ارزش دلاری,گمرک اجرایی"]
    for y, vals in series.items():
        run = 0
        for m, v in enumerate(vals, start=1):
            run += v
            shown = run if cumulative else v
            lines.append(f"{y}/{m:02d},080810,عراق,{shown * 2},{shown},گمرک تبریز")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def monthly_ws(ws: Workspace, tmp_path: Path) -> Workspace:
    f = tmp_path / "m.csv"
    _write_monthly(f, SERIES)
    with ws.warehouse() as con:
        import_file(con, f, CustomsOptions(region=ws.home_region))
    return ws


def scope(ws: Workspace, **kw: object) -> mon.Scope:
    return mon.Scope(region=ws.home_region, **kw)  # type: ignore[arg-type]


def test_status_by_hand(monthly_ws: Workspace) -> None:
    st_ = mon.status(monthly_ws, scope(monthly_ws), 1404, target=1000.0)
    assert st_.months == 3 and st_.ytd == 90 and st_.same_period_last_year == 75
    assert st_.growth_pct == pytest.approx(20.0)
    assert st_.share_of_target_pct == pytest.approx(9.0)
    assert st_.needed_monthly == pytest.approx((1000 - 90) / 9)
    assert st_.last_year_same_remaining_monthly == pytest.approx(sum(SERIES[1403][3:]) / 9)
    # seasonal share of months 1-3 in the complete years 1401-1403
    shares = [sum(v[:3]) / sum(v) for y, v in SERIES.items() if y < 1404]
    assert st_.forecast == pytest.approx(90 / np.mean(shares))
    assert "1 customs dataset(s)" in st_.data and st_.unit == "USD"


def test_month_defaults_to_the_last_with_data_and_refuses_beyond(monthly_ws: Workspace) -> None:
    assert mon.status(monthly_ws, scope(monthly_ws), 1404).months == 3
    assert mon.status(monthly_ws, scope(monthly_ws), 1403, month=5).ytd == 15 + 25 + 35 + 45 + 55
    with pytest.raises(InputError, match="through month 3 only"):
        mon.status(monthly_ws, scope(monthly_ws), 1404, month=6)


def test_cumulative_source_gives_the_same_status(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "cum.csv"
    _write_monthly(f, SERIES, cumulative=True)
    with ws.warehouse() as con:
        import_file(con, f, CustomsOptions(region=ws.home_region, cumulative=True))
    st_ = mon.status(ws, scope(ws), 1404)
    assert (st_.ytd, st_.same_period_last_year) == (90, 75)


def test_targets_are_stored_per_year_and_definition(monthly_ws: Workspace) -> None:
    mon.set_target(monthly_ws, monthly_ws.home_region, 1404, "customs", 1200.0)
    assert mon.status(monthly_ws, scope(monthly_ws), 1404).target == 1200.0
    with pytest.raises(InputError):
        mon.set_target(monthly_ws, monthly_ws.home_region, 1404, "customs", -1.0)


def test_gregorian_new_year_and_leap_day(ws: Workspace, tmp_path: Path) -> None:
    # Dey 1403 runs from 2024-12-21 to 2025-01-19; 1403/12/30 exists (1403 is leap) = 2025-03-20
    f = tmp_path / "days.csv"
    f.write_text(
        "تاریخ,کد تعرفه,کشور مقصد,ارزش دلاری\n"
        "1403/10/05,080810,عراق,100\n1403/10/20,080810,عراق,40\n"
        "1403/12/30,080810,عراق,7\n1404/01/01,080810,عراق,1\n",
        encoding="utf-8",
    )
    with ws.warehouse() as con:
        s = import_file(con, f, CustomsOptions(region=ws.home_region))
    assert s.rows_rejected == 0
    series = mon.monthly(ws, scope(ws))
    assert series[1403][9] == 140 and series[1403][11] == 7 and series[1404][0] == 1
    g = mon.monthly(ws, scope(ws, calendar="g"))
    assert g[2024][11] == 100 and g[2025][0] == 40 and g[2025][2] == 8  # March: 7 + 1


def test_slices_add_up_to_the_whole(demo_like: Workspace) -> None:
    whole = mon.status(demo_like, scope(demo_like), 1404, month=6).ytd
    parts = [
        mon.status(demo_like, scope(demo_like, partners=(p,)), 1404, month=6).ytd
        for p in ("IRQ", "TUR")
    ]
    assert sum(parts) == pytest.approx(whole)


@pytest.fixture
def demo_like(ws: Workspace, tmp_path: Path) -> Workspace:
    rng = np.random.default_rng(3)
    lines = ["تاریخ,کد تعرفه,کشور مقصد,وزن,ارزش دلاری,گمرک اجرایی,صادرکننده"]
    for y in range(1398, 1405):
        for m in range(1, 13):
            for hs in ("08081000", "72142000", "39012000", "74031100"):
                for p in ("عراق", "ترکیه"):
                    if rng.random() < 0.15:
                        continue
                    v = rng.lognormal(10, 1) * (1.2 ** (y - 1398)) * (1 + 0.3 * math.sin(m))
                    lines.append(
                        f"{y}/{m:02d}/10,{hs},{p},{v / rng.uniform(0.5, 2):.0f},{v:.0f},"
                        f"تبریز,firm{rng.integers(1, 20)}"
                    )
    f = tmp_path / "d.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with ws.warehouse() as con:
        import_file(con, f, CustomsOptions(region=ws.home_region))
    return ws


@pytest.mark.parametrize("by", ["hs2", "hs4", "hs6", "partner", "office", "size"])
def test_drivers_add_up_exactly(demo_like: Workspace, by: str) -> None:
    d = mon.drivers(demo_like, scope(demo_like), 1404, month=7, by=by)
    change = d.total_now - d.total_before
    assert float(d.table["change"].sum()) == pytest.approx(change, rel=1e-12)
    assert float(d.table["contribution_pp"].sum()) == pytest.approx(d.growth_pct, rel=1e-10)
    assert d.margins.total == pytest.approx(change, rel=1e-12)
    assert d.price_volume.total == pytest.approx(change, rel=1e-9)


def test_forecast_backtest_on_a_panel(demo_like: Workspace) -> None:
    f = mon.forecast(demo_like, scope(demo_like), 1404, month=6, target=1e9)
    assert len(f.backtests) >= 3 and f.coverage80 is not None and f.coverage95 is not None
    assert 0 <= f.coverage80 <= f.coverage95 <= 1
    assert f.low95 is not None and f.low80 is not None and f.high80 is not None
    assert (
        f.high95 is not None
        and f.low95
        <= f.low80
        <= f.point * math.exp(np.mean([b.log_error for b in f.backtests]))
        <= f.high80
        <= f.high95
    )
    # each back-test year is forecast with earlier years only
    for b in f.backtests:
        assert b.actual == pytest.approx(
            float(np.nansum(mon.monthly(demo_like, scope(demo_like))[b.year]))
        )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.5, 2.0), min_size=5, max_size=5), st.floats(1e3, 1e6))
def test_probability_falls_as_the_target_rises(noise: list[float], base: float) -> None:
    season = np.array([0.6, 0.8, 1, 1, 1, 1.1, 1.1, 1.2, 1.1, 1, 1, 1.1])
    hist = {1398 + i: season * base * n for i, n in enumerate(noise)}
    hist[1403] = np.concatenate([season[:4] * base, np.full(8, np.nan)])
    probs = [forecast_year(hist, 1403, 4, target=base * k).p_target for k in (5, 10, 15, 30)]
    assert all(p is not None for p in probs)
    assert probs == sorted(cast("list[float]", probs), reverse=True)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_decompositions_are_exact(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 30
    v0 = rng.lognormal(5, 2, n) * (rng.random(n) < 0.8)
    v1 = rng.lognormal(5, 2, n) * (rng.random(n) < 0.8)
    q0 = v0 / rng.uniform(0.5, 3, n) * (rng.random(n) < 0.9)
    q1 = v1 / rng.uniform(0.5, 3, n) * (rng.random(n) < 0.9)
    change = float(v1.sum() - v0.sum())
    _, pp, growth = dec.contributions(v0, v1)
    assert float(pp.sum()) == pytest.approx(growth, rel=1e-9, abs=1e-9)
    assert dec.margins(v0, v1).total == pytest.approx(change, rel=1e-9, abs=1e-6)
    assert dec.price_volume(v0, v1, q0, q1).total == pytest.approx(change, rel=1e-9, abs=1e-6)


def test_lmdi_by_hand() -> None:
    # one product: value 100 -> 150, quantity 10 -> 12: volume + price = 50 exactly
    pv = dec.price_volume(np.array([100.0]), np.array([150.0]), np.array([10.0]), np.array([12.0]))
    lm = 50 / math.log(1.5)
    assert pv.volume == pytest.approx(lm * math.log(1.2))
    assert pv.price == pytest.approx(lm * math.log(1.25))
    assert pv.volume + pv.price == pytest.approx(50.0)


def test_mirror_check(monthly_ws: Workspace, tmp_path: Path) -> None:
    from exportplan.services.imports import comtrade

    f = tmp_path / "ct.csv"
    f.write_text(
        "refYear,reporterCode,flowCode,partnerCode,cmdCode,primaryValue\n"
        "2024,368,M,364,080810,4000\n",
        encoding="utf-8",
    )
    with monthly_ws.warehouse() as con:
        comtrade.import_file(con, f)
    df = mon.mirror_check(monthly_ws, monthly_ws.home_region, 2024)
    row = df.filter(df["partner"] == "IRQ").row(0, named=True)
    # months by the Gregorian year of their 15th day: 15 Dey 1402 is 2024-01-05, 15 Dey 1403
    # is 2025-01-04, so 2024 holds Dey 1402 .. Azar 1403
    region_2024 = sum(SERIES[1402][9:]) + sum(SERIES[1403][:9])
    assert row["partner_reported_imports"] == 4000
    assert row["region_exports"] == region_2024
    assert row["region_share_pct"] == pytest.approx(100 * region_2024 / 4000)


def test_cli_status_json_persian_and_excel(monthly_ws: Workspace, tmp_path: Path) -> None:
    runner = CliRunner()
    w = ["-w", str(monthly_ws.path)]
    r = runner.invoke(
        app,
        [
            "monitor",
            "status",
            "--year",
            "1404",
            "--definition",
            "customs",
            "--target",
            "1000",
            "--json",
            *w,
        ],
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)[0]
    assert data["ytd"] == 90 and data["growth_pct"] == pytest.approx(20.0)
    x = tmp_path / "s.xlsx"
    r = runner.invoke(
        app,
        [
            "monitor",
            "status",
            "--year",
            "1404",
            "--definition",
            "customs",
            "--lang",
            "fa",
            "--xlsx",
            str(x),
            *w,
        ],
    )
    assert r.exit_code == 0, r.output
    assert "از ابتدای سال تا کنون" in r.output and "۹۰" in r.output and "فروردین–خرداد" in r.output
    sheet = openpyxl.load_workbook(x).active
    assert sheet is not None and sheet.sheet_view.rightToLeft
    r = runner.invoke(app, ["monitor", "drivers", "--year", "1404", "--by", "partner", "--csv", *w])
    assert r.exit_code == 0 and "IRQ" in r.output
    r = runner.invoke(app, ["monitor", "forecast", "--year", "1404", *w])
    assert r.exit_code == 0 and "forecast" in r.output.lower()


def test_summaries_stay_in_step_with_the_rows(demo_like: Workspace, tmp_path: Path) -> None:
    def raw(sql: str) -> float:
        with demo_like.warehouse(read_only=True) as con:
            return float(con.execute(sql).fetchall()[0][0] or 0)

    whole = mon.status(demo_like, scope(demo_like), 1404, month=12).ytd
    assert whole == pytest.approx(
        raw(
            "SELECT sum(value_usd) FROM region_flows WHERE sh_year = 1404 "
            "AND definition = 'customs'"
        )
    )
    # an 8-digit slice is answered from the rows, a 6-digit one from the summary: same numbers
    eight = mon.status(demo_like, scope(demo_like, hs=("08081000",)), 1404, month=12).ytd
    six = mon.status(demo_like, scope(demo_like, hs=("080810",)), 1404, month=12).ytd
    assert eight == pytest.approx(six) and eight > 0
    f = tmp_path / "extra.csv"
    f.write_text(
        # another office beside the loaded one (a file without offices would cover them all
        # and be refused: the overlap rule)
        "تاریخ,گمرک اجرایی,کد تعرفه,کشور مقصد,ارزش دلاری\n1404/05/01,جلفا,080810,عراق,1000000\n",
        encoding="utf-8",
    )
    with demo_like.warehouse() as con:
        s = import_file(con, f, CustomsOptions(region=demo_like.home_region))
    assert mon.status(demo_like, scope(demo_like), 1404, month=12).ytd == pytest.approx(whole + 1e6)
    from exportplan.services import data

    data.remove(demo_like, s.dataset_id)
    assert mon.status(demo_like, scope(demo_like), 1404, month=12).ytd == pytest.approx(whole)


def test_quarter_and_month_periods(monthly_ws: Workspace) -> None:
    q = mon.status(monthly_ws, scope(monthly_ws), 1403, month=5, period="quarter")
    assert (q.first_month, q.value, q.same_period_last_year) == (4, 45 + 55, 44 + 55)
    assert q.ytd == 15 + 25 + 35 + 45 + 55  # the year to date is still reported
    one = mon.status(monthly_ws, scope(monthly_ws), 1403, month=5, period="month")
    assert (one.value, one.same_period_last_year) == (55, 55) and one.growth_pct == 0
    with pytest.raises(InputError, match="period"):
        mon.status(monthly_ws, scope(monthly_ws), 1403, period="week")


def test_series_table(monthly_ws: Workspace) -> None:
    t = mon.series_table(monthly_ws, scope(monthly_ws))
    assert t.height == 12 * 3 + 3
    row = t.filter((t["year"] == 1404) & (t["month"] == 2)).row(0, named=True)
    assert (row["value_usd"], row["same_month_last_year"]) == (30, 25)
    assert row["growth_pct"] == pytest.approx(20.0)


def test_a_workspace_from_an_older_version_is_upgraded_even_when_read(
    monthly_ws: Workspace,
) -> None:
    with monthly_ws.warehouse() as con:  # make it look like schema version 1
        con.execute(
            "DROP TABLE region_summary; DROP TABLE region_summary_exporters; "
            "DROP TABLE targets; DROP TABLE exclusions; "
            "UPDATE meta SET value = '1' WHERE key = 'schema_version'"
        )
    st_ = mon.status(monthly_ws, scope(monthly_ws), 1404)  # opens read-only first
    assert st_.ytd == 90
    with monthly_ws.warehouse(read_only=True) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() == [
            (str(warehouse.SCHEMA_VERSION),)
        ]
        assert con.execute("SELECT count(*) FROM exclusions").fetchall() == [(0,)]


def test_the_programs_total_is_the_target(monthly_ws: Workspace) -> None:
    from exportplan.services import program
    from exportplan.services.users import local_actor

    mon.set_target(monthly_ws, monthly_ws.home_region, 1404, "customs", 1200.0)
    assert mon.status(monthly_ws, scope(monthly_ws), 1404).target == 1200.0
    program.create_program(
        monthly_ws.program(),
        local_actor(),
        region=monthly_ws.home_region,
        country="IRN",
        sh_year=1404,
        target_usd=1500.0,
    )
    # the plan of record wins, and `target set` points at it instead of diverging
    assert mon.status(monthly_ws, scope(monthly_ws), 1404).target == 1500.0
    assert mon.get_target(monthly_ws, monthly_ws.home_region, 1404, "customs") == 1500.0
    with pytest.raises(InputError, match="its total is the target"):
        mon.set_target(monthly_ws, monthly_ws.home_region, 1404, "customs", 900.0)


def test_the_central_forecast_lies_inside_its_intervals(demo_like: Workspace) -> None:
    f = mon.forecast(demo_like, scope(demo_like), 1404, month=6)
    assert f.central is not None and f.low80 is not None and f.high80 is not None
    assert f.low95 is not None and f.high95 is not None
    assert f.low95 < f.low80 < f.central < f.high80 < f.high95
    mu = float(np.mean([b.log_error for b in f.backtests]))
    assert f.central == pytest.approx(f.point * math.exp(mu))


def test_a_reached_target_needs_nothing_more(monthly_ws: Workspace) -> None:
    from exportplan.views.dashboard import forecast_text

    st_ = mon.status(monthly_ws, scope(monthly_ws), 1404, target=60.0)
    assert st_.ytd == 90 and st_.needed_monthly == 0.0
    assert forecast_text(st_, "en")["needed"] == "none: the target is already reached"
    assert forecast_text(st_, "fa")["needed"] == "هیچ: هدف هم‌اکنون به دست آمده است"
    behind = mon.status(monthly_ws, scope(monthly_ws), 1404, target=1000.0)
    assert forecast_text(behind, "en")["needed"] != forecast_text(st_, "en")["needed"]
