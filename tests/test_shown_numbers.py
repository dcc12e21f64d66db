"""The monitoring numbers as people read them (issue 14, smaller defects): one driver bar per key,
``--top N`` meaning N rows and one "all other", the forecast's rounded probability, the reason
when there is no interval, what is needed per month and the back-test's coverage, and an error
that names the years each side covers when world and customs data do not overlap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from exportplan.cli import app
from exportplan.errors import InputError
from exportplan.reports.council_pack import council_context
from exportplan.services import complexity as cx
from exportplan.services import monitor as mon
from exportplan.services.imports import baci
from exportplan.services.imports.customs import CustomsOptions, import_file
from exportplan.views.dashboard import dashboard
from exportplan.views.format import product_label
from exportplan.views.monitor import monitor_page
from exportplan.views.templating import render
from exportplan.workspace import Workspace

# four headings of chapter 39 (no names of their own in a bare workspace: one English chapter
# name for all four) and eight of other chapters
PLASTICS = ("392310", "390210", "390110", "391721")
OTHERS = ("080810", "720720", "740311", "252329", "940360", "870421", "841810", "570110")
CODES = PLASTICS + OTHERS


def _customs(path: Path, years: range, codes: tuple[str, ...] = CODES) -> Path:
    """Monthly customs rows whose values differ by code, partner, year and month (no noise:
    every number below follows from these)."""
    lines = ["تاریخ,کد تعرفه,کشور مقصد,وزن,ارزش دلاری,گمرک اجرایی"]
    for y in years:
        for m in range(1, 13):
            for i, hs in enumerate(codes):
                for j, p in enumerate(("عراق", "ترکیه")):
                    growth = 1.0 + 0.05 * ((i * 7 + j * 3) % 9 - 4)  # -20% .. +20% a year
                    v = 1000.0 * (i + 1) * (j + 2) * growth ** (y - years[0]) * (1 + 0.02 * m)
                    lines.append(f"{y}/{m:02d}/10,{hs}00,{p},{2 * v:.0f},{v:.0f},تبریز")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def long_ws(ws: Workspace, tmp_path: Path) -> Workspace:
    """Seven Solar Hijri years (1398-1404) of twelve products to two destinations."""
    with ws.warehouse() as con:
        import_file(
            con,
            _customs(tmp_path / "c.csv", range(1398, 1405)),
            CustomsOptions(region=ws.home_region),
        )
    return ws


@pytest.fixture
def short_ws(ws: Workspace, tmp_path: Path) -> Workspace:
    """Three years (1402-1404): too few back-test years for an interval."""
    with ws.warehouse() as con:
        import_file(
            con,
            _customs(tmp_path / "c.csv", range(1402, 1405), OTHERS[:2]),
            CustomsOptions(region=ws.home_region),
        )
    return ws


def _bars(spec: dict[str, Any]) -> list[str]:
    return [str(v["bar"]) for v in spec["data"]["values"]]


def test_hs4_driver_bars_are_one_per_heading(long_ws: Workspace) -> None:
    en = monitor_page(long_ws, "en", 1404, "customs", "hs4")
    bars = _bars(en.charts["drivers"])
    assert len(bars) == len(set(bars)) == len(CODES)  # twelve headings, twelve bars
    for code in PLASTICS:
        (bar,) = [b for b in bars if b.startswith(code[:4])]
        assert bar == product_label(code[:4], "en")  # the heading's own name
        assert bar.startswith(f"{code[:4]} ") and len(bar) > 5
    fa = monitor_page(long_ws, "fa", 1404, "customs", "hs4")
    bars_fa = _bars(fa.charts["drivers"])
    assert len(set(bars_fa)) == len(CODES)
    name_fa = "مصنوعات پلاستیکی برای حمل یا بسته‌بندی کالا؛ درپوش و سرپوش پلاستیکی"
    assert f"۳۹۲۳ {name_fa}" in bars_fa
    rows = {r["key"]: r["label"] for r in fa.tables["drivers"]["rows"]}
    assert rows["3923"] == name_fa
    # the dashboard's drivers (by destination): code and name, Persian names on Persian pages
    db = long_ws.program()
    assert "IRQ Iraq" in _bars(dashboard(long_ws, db, "en", 1404, 6).charts["drivers"])
    assert "IRQ عراق" in _bars(dashboard(long_ws, db, "fa", 1404, 6).charts["drivers"])


def test_top_means_n_rows_and_one_all_other(long_ws: Workspace) -> None:
    sc = mon.Scope(region=long_ws.home_region)
    full = mon.drivers(long_ws, sc, 1404, month=6, by="hs6")
    top = mon.drivers(long_ws, sc, 1404, month=6, by="hs6", top=5)
    assert full.table.height == 12 and top.table.height == 6 and top.others == 7
    keys = top.table["key"].to_list()
    assert keys[-1] == mon.OTHER_KEY and top.table["label"][-1] == "all other (7)"
    movers = full.table.with_columns(pl.col("change").abs().alias("a")).sort("a", descending=True)
    assert set(keys[:5]) == set(movers["key"].head(5).to_list())
    assert keys[:5] == [k for k in full.table["key"].to_list() if k in keys[:5]]  # table order
    rest = full.table.filter(~pl.col("key").is_in(keys[:5]))
    assert top.table["change"][-1] == pytest.approx(float(rest["change"].sum()), rel=1e-12)
    # still adding up to the change and to the growth
    assert float(top.table["change"].sum()) == pytest.approx(
        top.total_now - top.total_before, rel=1e-12
    )
    assert float(top.table["contribution_pp"].sum()) == pytest.approx(top.growth_pct, rel=1e-10)
    # --top larger than the table, or 0: every item, no "all other"
    assert mon.drivers(long_ws, sc, 1404, month=6, by="hs6", top=20).table.height == 12
    assert mon.drivers(long_ws, sc, 1404, month=6, by="hs6", top=0).table.height == 12
    r = CliRunner().invoke(
        app,
        ["monitor", "drivers", "--year", "1404", "--month", "6", "--by", "hs6", "--top", "5",
         "--csv", "-w", str(long_ws.path)],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 + 6 and "all other (7)" in lines[-1]


def test_dashboard_shows_the_models_probability_and_the_back_test(long_ws: Workspace) -> None:
    mon.set_target(long_ws, long_ws.home_region, 1404, "customs", 1.0)  # surely reached
    st = mon.status(long_ws, mon.Scope(region=long_ws.home_region), 1404, 6)
    assert st.p_target == 0.99 and st.p_target_text == ">99%"
    assert st.backtest_years >= 3 and st.low80 is not None and st.coverage80 is not None
    db = long_ws.program()
    en = dashboard(long_ws, db, "en", 1404, 6).status["shown"]
    assert en["probability"] == ">99%"  # not "99.0%"
    assert st.needed_monthly == 0.0 and en["needed"] == "none: the target is already reached"
    n = st.backtest_years
    k80, k95 = round(st.coverage80 * n), round((st.coverage95 or 0) * n)
    assert en["coverage"] == f"{k80} of {n} years inside the 80% interval, {k95} inside the 95%"
    assert en["interval80"].endswith(f" to {st.high80 or 0:,.0f}")
    assert en["no_interval"] == ""
    html = render("dashboard.html", **dashboard(long_ws, db, "en", 1404, 6), query={})
    assert "&gt;99%" in html and "99.0%" not in html and en["coverage"] in html
    fa_ctx = dashboard(long_ws, db, "fa", 1404, 6)
    fa = fa_ctx.status["shown"]
    assert fa["probability"] == ">۹۹٪"
    assert "&gt;۹۹٪" in render("dashboard.html", **fa_ctx, query={})
    assert f"در {'۰۱۲۳۴۵۶۷۸۹'[k80]} سال از" in fa["coverage"]
    # a target still to reach: what is needed per month
    mon.set_target(long_ws, long_ws.home_region, 1404, "customs", 2 * st.ytd + 6000.0)
    st2 = mon.status(long_ws, mon.Scope(region=long_ws.home_region), 1404, 6)
    shown = dashboard(long_ws, db, "en", 1404, 6).status["shown"]
    assert st2.needed_monthly == pytest.approx((st.ytd + 6000.0) / 6)
    assert shown["needed"] == f"{st2.needed_monthly:,.0f}"
    assert shown["probability"] == st2.p_target_text


def test_no_interval_shows_the_reason(short_ws: Workspace) -> None:
    mon.set_target(short_ws, short_ws.home_region, 1404, "customs", 1.0)
    st = mon.status(short_ws, mon.Scope(region=short_ws.home_region), 1404, 6)
    assert st.low80 is None and st.p_target is None and st.no_interval_reason
    db = short_ws.program()
    en = dashboard(short_ws, db, "en", 1404, 6).status["shown"]
    assert en["interval80"] == "" and en["no_interval"] == st.no_interval_reason
    assert en["probability"] == "–" and en["coverage"] == ""
    html = render("dashboard.html", **dashboard(short_ws, db, "en", 1404, 6), query={})
    assert st.no_interval_reason in html and "80% interval" not in html
    fa = dashboard(short_ws, db, "fa", 1404, 6).status["shown"]
    assert fa["no_interval"].startswith(f"تنها {'۰۱۲۳۴۵۶۷۸۹'[st.backtest_years]} سال")


def test_cli_status_prints_one_central_forecast_and_the_rounded_probability(
    long_ws: Workspace,
) -> None:
    w = ["-w", str(long_ws.path)]
    r = CliRunner().invoke(
        app, ["monitor", "status", "--year", "1404", "--month", "6", "--target", "1", *w]
    )
    assert r.exit_code == 0, r.output
    st = mon.status(long_ws, mon.Scope(region=long_ws.home_region), 1404, 6, target=1.0)
    assert "bias-corrected" not in r.output and r.output.count("forecast of the year") == 1
    central = next(x for x in r.output.splitlines() if "forecast of the year (central)" in x)
    assert f"{st.forecast:,.0f} (80%: {st.low80:,.0f} – {st.high80:,.0f})" in central
    prob = next(x for x in r.output.splitlines() if "probability of reaching" in x)
    assert ">99%" in prob and "99.0%" not in prob
    fa = CliRunner().invoke(
        app,
        [
            "monitor",
            "status",
            "--year",
            "1404",
            "--month",
            "6",
            "--target",
            "1",
            "--lang",
            "fa",
            *w,
        ],
    )
    assert fa.exit_code == 0 and ">۹۹٪" in fa.output


def test_council_pack_shows_what_the_dashboard_shows(small_demo: Workspace) -> None:
    db = small_demo.program()
    ctx = council_context(small_demo, db, year=1405, month=6, lang="en")
    st = mon.status(small_demo, mon.Scope(region=small_demo.home_region), 1405, 6)
    shown = ctx.dash.status["shown"]
    assert shown["probability"] == st.p_target_text and shown["coverage"].endswith("95%")
    assert shown["needed"] == f"{st.needed_monthly:,.0f}"
    html = render("report_council.html", **ctx)
    for text in (shown["probability"], shown["coverage"], shown["needed"], shown["interval80"]):
        assert text in html
    bars = _bars(ctx.mon.charts["drivers"])  # the council pack's product chart
    assert len(bars) == len(set(bars)) == ctx.mon.tables["drivers"]["rows"].__len__()
    keys = [r["key"] for r in ctx.mon.tables["drivers"]["rows"]]
    assert all(b.startswith(k) for b, k in zip(bars, keys, strict=True) if k != mon.OTHER_KEY)


def test_no_common_year_names_both_sides(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "BACI_Y2024.csv"
    f.write_text("t,i,j,k,v,q\n2024,40,156,170400,10.0,1\n2024,276,156,180600,20.0,1\n")
    with ws.warehouse() as con:
        baci.import_file(con, f)
        import_file(
            con,
            _customs(tmp_path / "c.csv", range(1404, 1406), OTHERS[:1]),
            CustomsOptions(region=ws.home_region),
        )
    with pytest.raises(InputError) as e:
        cx.compute(ws, level="hs4", years=[2024], region_mode="subnational", use_cache=False)
    msg, hint = e.value.message, e.value.hint or ""
    assert "the world data cover 2024 (Gregorian years)" in msg
    assert "Solar Hijri 1404-1405" in msg
    assert "1404: 2025-03-21 to 2026-03-20" in msg and "1405: 2026-03-21 to 2027-03-20" in msg
    assert "Gregorian 2025-2027" in msg
    assert "import its customs files" not in hint
    assert "import world data (BACI or Comtrade) for 2025-2027" in hint
