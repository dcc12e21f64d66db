"""Opportunities on a workspace: the service's figures against the warehouse, rankings,
exclusions, new products, the back-test, and the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

import polars as pl
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from exportplan.analytics.potential import PotentialOptions
from exportplan.cli import app
from exportplan.errors import InputError
from exportplan.services import opportunities as opp
from exportplan.store import cache
from exportplan.workspace import Workspace


@pytest.fixture
def ws(small_demo: Workspace) -> Workspace:
    return small_demo


def top_to_iraq(ws: Workspace) -> str:
    """The heading the province sells most to Iraq (the demo's province is drawn from its
    world's model, so which heading that is follows the seed)."""
    with ws.warehouse(read_only=True) as con:
        return str(
            con.execute(
                "SELECT substr(hs6, 1, 4) FROM region_flows_annual WHERE definition = 'customs' "
                "AND partner = 'IRQ' GROUP BY 1 ORDER BY sum(value_usd) DESC LIMIT 1"
            ).fetchall()[0][0]
        )


def test_terms_match_the_warehouse(ws: Workspace) -> None:
    res = opp.table(ws, opp.Params(level="hs4"))
    assert res.meta["world_years"] == [2020, 2021, 2022, 2023, 2024]
    # records from 1398/01/01 (2019-03-21) to 1405/08 (November 2026): 2019 and 2026 partial
    assert opp.complete_years(ws, region=ws.home_region, definition="customs") == list(
        range(2020, 2026)
    )
    assert res.meta["region_years"] == [2020, 2021, 2022, 2023, 2024]
    assert res.meta["unit"] == "USD a year"
    assert res.meta["definition"] == "customs"
    assert res.meta["synthetic"] is True
    assert "Tabriz" in res.meta["distance_from"]
    df = res.table
    code = top_to_iraq(ws)
    with ws.warehouse(read_only=True) as con:
        imports = con.execute(
            "SELECT sum(value_usd) / 5 FROM exports WHERE importer = 'IRQ' "
            "AND hs6 LIKE ? AND year BETWEEN 2020 AND 2024",
            [f"{code}%"],
        ).fetchall()[0][0]
        world = con.execute(
            "SELECT sum(value_usd) / 5 FROM exports WHERE hs6 LIKE ? "
            "AND year BETWEEN 2020 AND 2024",
            [f"{code}%"],
        ).fetchall()[0][0]
        years = 5  # 2020-2024: the province's records cover each whole year
        actual, total = con.execute(
            f"""SELECT sum(value_usd) FILTER (WHERE partner = 'IRQ') / {years},
                       sum(value_usd) / {years}
                FROM region_flows_annual WHERE definition = 'customs' AND hs6 LIKE ?
                AND g_year_approx BETWEEN 2020 AND 2024 AND partner <> 'IRN'""",
            [f"{code}%"],
        ).fetchall()[0]
    r = df.filter((pl.col("prod") == code) & (pl.col("market") == "IRQ")).row(0, named=True)
    assert r["imports_usd"] == pytest.approx(imports)
    assert r["world_usd"] == pytest.approx(world)
    assert r["actual_usd"] == pytest.approx(actual)
    assert r["share"] == pytest.approx(total / world)
    assert r["ease_basis"] == "country"  # one basis for a table of every market
    # every row is the product of its terms, and the signed/floored untapped agree
    chk = df.with_columns(
        (pl.col("supply") * pl.col("demand") * pl.col("ease") - pl.col("potential_usd"))
        .abs()
        .alias("d")
    )
    assert cast(float, chk.get_column("d").max()) <= 1e-6 * max(
        1.0, cast(float, df.get_column("potential_usd").max())
    )
    assert (df.get_column("untapped_pos_usd") >= 0).all()
    assert (
        cast(
            float,
            (
                df.get_column("potential_usd")
                - df.get_column("actual_usd")
                - df.get_column("untapped_usd")
            )
            .abs()
            .max(),
        )
    ) <= 1e-3
    assert "IRN" not in df.get_column("market").to_list()  # the home country is no market


def test_markets_ranking_and_reasons(ws: Workspace) -> None:
    res = opp.markets(ws, "0808", top=None)
    t = res.table
    assert t.get_column("rank").to_list() == list(range(1, t.height + 1))
    untapped = t.get_column("untapped_pos_usd").to_list()
    assert untapped == sorted(untapped, reverse=True)
    first = t.row(0, named=True)
    assert first["reason"].startswith(f"{opp.country_name(first['market'], 'en')} ranks 1 of")
    assert f"USD {first['imports_usd']:,.0f} a year" in first["reason"]
    fa = opp.markets(ws, "0808", top=3, lang="fa").table.get_column("reason")[0]
    assert "رتبه ۱ از" in fa
    # a lost leading zero is restored
    assert opp.markets(ws, "808", top=3).table.get_column("prod")[0] == "0808"
    # the same inputs give the same ranking
    again = opp.markets(ws, "0808", top=None).table
    assert again.select("market", "rank").equals(t.select("market", "rank"))


def test_weights_change_the_order(ws: Workspace) -> None:
    by_growth = opp.markets(ws, "0808", weights="growth=1", top=None).table
    g = by_growth.get_column("growth_pa").to_list()
    assert g == sorted(g, reverse=True)
    assert (
        by_growth.get_column("market").to_list()
        != opp.markets(ws, "0808", top=None).table.get_column("market").to_list()
    )


def test_products_for_a_market(ws: Workspace) -> None:
    res = opp.products(ws, "Iraq", params=opp.Params(level="hs4"), top=None)
    t = res.table
    assert set(t.get_column("market").to_list()) == {"IRQ"}
    assert (t.get_column("supply") > 0).all()  # only what the region exports
    with pytest.raises(InputError, match="did you mean"):
        opp.products(ws, "Irak")


def test_exclusions_leave_rankings_and_come_back(ws: Workspace) -> None:
    before = opp.markets(ws, "0808", top=None).table.get_column("market").to_list()
    target = before[0]
    opp.exclude(ws, "market", target, "payments not feasible")
    res = opp.markets(ws, "0808", top=None)
    assert target not in res.table.get_column("market").to_list()
    assert res.meta["excluded"] == [
        {"kind": "market", "code": target, "reason": "payments not feasible"}
    ]
    assert res.table.height == len(before) - 1
    opp.exclude(ws, "product", "808", "quota")  # lost zero restored
    assert set(opp.exclusions(ws).get_column("code").to_list()) == {"0808", target}
    sold = top_to_iraq(ws)
    assert (
        sold
        in opp.products(ws, "IRQ", params=opp.Params(level="hs4"), top=None)
        .table.get_column("prod")
        .to_list()
    )
    opp.exclude(ws, "product", sold, "quota")
    assert (
        sold
        not in opp.products(ws, "IRQ", params=opp.Params(level="hs4"), top=None)
        .table.get_column("prod")
        .to_list()
    )
    opp.include(ws, "product", sold)
    opp.include(ws, "product", "0808")
    opp.include(ws, "market", target)
    assert opp.markets(ws, "0808", top=None).table.get_column("market").to_list() == before
    with pytest.raises(InputError, match="not excluded"):
        opp.include(ws, "market", target)
    with pytest.raises(InputError, match="say why"):
        opp.exclude(ws, "market", "IRQ", " ")


def test_bad_inputs_are_named(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="2, 4 or 6 digits"):
        opp.markets(ws, "08081000")  # a national tariff line
    with pytest.raises(InputError, match="chapter 00 does not exist"):
        opp.markets(ws, "08081")  # odd length: read as 008081
    with pytest.raises(InputError, match="chapter 77"):
        opp.markets(ws, "7701")
    with pytest.raises(InputError, match="no world trade data for 2030"):
        opp.table(ws, opp.Params(year=2030))
    bad = tmp_path / "tariffs.csv"
    bad.write_text("hs,market,tariff,competitor_tariff\n0808,IRQ,0.1,0.2\n0808,Atlantis,0,0\n")
    with pytest.raises(InputError, match="row 3: unknown country 'Atlantis'"):
        opp.table(ws, opp.Params(level="hs4", tariffs=bad))
    proj = tmp_path / "proj.csv"
    proj.write_text("market,gdp\nIRQ,1.2\n")
    with pytest.raises(InputError, match="market, gdp_ratio, pop_ratio"):
        opp.table(ws, opp.Params(level="hs4", projections=proj))


def test_tariffs_and_projections_enter_the_potential(ws: Workspace, tmp_path: Path) -> None:
    code = top_to_iraq(ws)
    tar = tmp_path / "t.csv"
    tar.write_text(f"hs,market,tariff,competitor_tariff\n{code},IRQ,0.05,0.155\n")
    proj = tmp_path / "p.csv"
    proj.write_text("market,gdp_ratio,pop_ratio\nIraq,1.3,1.1\n")
    base = opp.table(ws, opp.Params(level="hs4")).table
    both_res = opp.table(ws, opp.Params(level="hs4", tariffs=tar, projections=proj))
    with_both = both_res.table
    terms = both_res.meta["itc_terms"]
    assert terms["supply: exporters' GDP projection"] == "applied from p.csv"
    assert terms["supply: global tariff (dis)advantage"].startswith("applied from t.csv")
    assert set(with_both.get_column("share_basis").to_list()) == {"GDP-projected"}
    # only Iraq has a GDP ratio: every exporter takes it (the file's mean), Iran too, so the
    # projected share equals today's share
    assert with_both.filter(pl.col("supply") > 0).select(
        (pl.col("share") - pl.col("region_usd") / pl.col("world_usd")).abs().max()
    ).item() == pytest.approx(0.0, abs=1e-12)
    key = (pl.col("prod") == code) & (pl.col("market") == "IRQ")
    a, b = base.filter(key).row(0, named=True), with_both.filter(key).row(0, named=True)
    assert b["tariff_factor"] == pytest.approx(1.155 / 1.05)
    assert b["growth_factor"] == pytest.approx(1.3)
    assert b["growth_basis"] == "projections"
    assert b["demand"] == pytest.approx(a["imports_usd"] * 1.3 * 1.155 / 1.05)


def test_new_products(ws: Workspace) -> None:
    from exportplan.analytics.ecomplexity import Options
    from exportplan.services import complexity_report

    res = opp.new_products(ws, top=None)
    t = res.table
    assert (t.get_column("rca") < 1).all()
    # the same complexity as `exportplan complexity` (the Atlas sample filter by default)
    rep = complexity_report.report(
        ws, level="hs4", years=[2024], region_mode="subnational", options=Options()
    )
    assert rep.sample.applied and rep.sample.removed  # the filter takes someone out here
    want = rep.frame.filter(pl.col("loc") == f"region:{ws.home_region}").select(
        "prod", pl.col("pci").alias("want_pci"), pl.col("density").alias("want_density")
    )
    both = t.join(want, on="prod", how="inner")
    assert both.height == t.height
    assert (both.get_column("pci") - both.get_column("want_pci")).abs().max() == 0.0
    assert (both.get_column("density") - both.get_column("want_density")).abs().max() == 0.0
    assert "sample filter mean exports" in res.meta["complexity"]
    assert t.get_column("rank").to_list() == list(range(1, t.height + 1))
    assert res.meta["preset"] == "balanced"
    long = opp.new_products(ws, preset="long-jumps", top=10).table
    low = opp.new_products(ws, preset="low-hanging", top=10).table
    assert long.get_column("pci").mean() > low.get_column("pci").mean()  # type: ignore[operator]
    assert low.get_column("density").mean() > long.get_column("density").mean()  # type: ignore[operator]
    assert all(m and len(m.split(", ")) == 3 for m in long.get_column("markets").to_list())
    with pytest.raises(InputError, match="preset must be one of"):
        opp.new_products(ws, preset="moonshot")


def test_backtest_finds_the_demo_signal(ws: Workspace, tmp_path: Path) -> None:
    """The demo's province is drawn from its world's model: the potential finds its entries
    (AUC clearly above 0.5, above market size); a province drawn independently of the world
    gives chance (every entry interval covers 0.5)."""
    import datetime as dt

    from exportplan.services import demo
    from exportplan.services import opportunities_backtest as obt
    from exportplan.workspace import open_workspace

    res = obt.backtest(ws, year=2022, ahead=3, level="hs6", reps=200)
    t = res.table
    assert t.columns == obt.COLUMNS
    assert res.meta["world_years"] == [2020, 2021, 2022]  # nothing after the base year is used
    assert res.meta["ease_basis"] == "country"
    entries = {r["method"]: r for r in t.filter(pl.col("test") == "entries").iter_rows(named=True)}
    pot_row = entries["potential (ease of trade: country's ratio)"]
    size = entries["baseline: market size (j's imports of k)"]
    assert pot_row["events"] == res.meta["entries"] >= 30
    assert pot_row["low95"] > 0.6 and pot_row["estimate"] > size["estimate"]
    for r in t.iter_rows(named=True):
        assert r["low95"] <= r["estimate"] <= r["high95"]
    growth = t.filter(pl.col("test") == "growth")
    assert growth.get_column("pairs").unique().to_list() == [res.meta["pairs_served"]]
    assert growth.get_column("estimate").is_between(-1, 1).all()
    # nothing to find: the same world, the province's flows independent every year
    path = tmp_path / "random"
    demo.build(
        path,
        years=5,
        products=300,
        rows_per_year=40_000,
        today=dt.date(2026, 11, 28),
        log=lambda _m: None,
        signal=False,
        trade_only=True,  # the back-test reads the trade only
    )
    rnd = obt.backtest(open_workspace(path), year=2022, ahead=3, level="hs6", reps=200).table
    for r in rnd.filter(pl.col("test") == "entries").iter_rows(named=True):
        assert abs(r["estimate"] - 0.5) < 0.1, r
        if r["method"].startswith("potential"):
            assert r["low95"] <= 0.5 <= r["high95"], r
    with pytest.raises(InputError, match="do not cover all of 2030"):
        obt.backtest(ws, year=2024, ahead=6, level="hs4")
    with pytest.raises(InputError, match="do not cover all of 2026"):  # ends in November
        obt.backtest(ws, year=2021, ahead=5, level="hs4")
    with pytest.raises(InputError, match="at least 50 draws"):
        obt.backtest(ws, year=2022, ahead=3, reps=10)


def test_demand_check_tunes_on_one_half_and_judges_on_the_other(ws: Workspace) -> None:
    from exportplan.services import opportunities_backtest as obt

    res = obt.demand_check(ws, year=2022, ahead=2, level="hs4")
    t = res.table
    assert set(t.get_column("half").to_list()) == {"tune", "held-out"}
    assert sorted(set(t.get_column("trend_weight").to_list())) == list(obt.TREND_WEIGHTS)
    tune = t.filter(pl.col("half") == "tune").sort("rmse_log")
    assert res.meta["chosen_on_tuning_half"] == tune.get_column("trend_weight")[0]
    # the halves are disjoint and fixed: each market always falls in the same one
    assert obt.half_of("IRQ") == obt.half_of("IRQ")
    assert {obt.half_of(m) for m in ("IRQ", "TUR", "ARM", "AZE", "AFG", "ARE", "RUS")} == {
        "tune",
        "held-out",
    }
    # the error of weight 0 is ln(later / average): recomputed from the world side
    w0 = t.filter(pl.col("trend_weight") == 0.0).get_column("pairs").sum()
    now = opp.world_side(ws, level="hs4", years=[2020, 2021, 2022])["imports"]
    later = opp.world_side(ws, level="hs4", years=[2024])["imports"]
    both = now.join(later, on=["prod", "market"]).filter(
        (pl.col("imports_usd") > 0) & (pl.col("imports_usd_right") > 0)
    )
    assert w0 == both.height
    with pytest.raises(InputError, match="at least 3 years"):
        obt.demand_check(ws, year=2021, ahead=2, level="hs4")


def test_every_output_names_its_terms(ws: Workspace) -> None:
    res = opp.table(ws, opp.Params(level="hs4"))
    m = res.meta
    assert m["demand_growth"].startswith("none")
    assert m["ease_basis"] == "country"
    assert set(res.table.get_column("ease_basis").to_list()) == {"country"}
    assert "neutral" in m["itc_terms"]["demand: tariff advantage"]
    assert m["itc_terms"]["supply: exporters' GDP projection"].startswith("not applied")
    # products for a market the region sells to: the region's own ratio, on every row
    iraq = opp.products(ws, "IRQ", params=opp.Params(level="hs4"), top=None)
    assert iraq.meta["ease_basis"] == "region"
    assert set(iraq.table.get_column("ease_basis").to_list()) == {"region"}
    # markets for a product: many markets, some never served: the country's, on every row
    mk = opp.markets(ws, top_to_iraq(ws), top=None)
    assert mk.meta["ease_basis"] == "country"
    assert set(mk.table.get_column("ease_basis").to_list()) == {"country"}


def test_cache_serves_the_same_table(ws: Workspace) -> None:
    p = opp.Params(level="hs4", options=PotentialOptions(horizon=3))
    a = opp.table(ws, p).table
    cache.wait_for_writes()  # the entry is written after the table is returned
    files = sorted((ws.path / "cache").glob("potential-*.parquet"))
    assert files
    b = opp.table(ws, p).table
    assert a.equals(b)
    assert sorted((ws.path / "cache").glob("potential-*.parquet")) == files


runner = CliRunner()


def test_cli(ws: Workspace, tmp_path: Path) -> None:
    w = ["-w", str(ws.path)]
    res = runner.invoke(app, ["opportunities", "markets", "--product", "0808", "--top", "3", *w])
    assert res.exit_code == 0, res.output
    assert "SYNTHETIC DATA" in res.output
    assert "unit: USD a year" in res.output
    assert "1. " in res.output and "ranks 1 of" in res.output
    res = runner.invoke(
        app, ["opportunities", "markets", "--product", "0808", "--json", "--top", "2", *w]
    )
    data = json.loads(res.output)
    assert data["meta"]["definition"] == "customs" and len(data["rows"]) == 2
    xlsx = tmp_path / "m.xlsx"
    res = runner.invoke(
        app,
        [
            "opportunities",
            "products",
            "--market",
            "IRQ",
            "--level",
            "hs4",
            "--lang",
            "fa",
            "--xlsx",
            str(xlsx),
            *w,
        ],
    )
    assert res.exit_code == 0, res.output
    sheet = load_workbook(xlsx).active
    assert sheet is not None and sheet.sheet_view.rightToLeft
    res = runner.invoke(
        app, ["opportunities", "markets", "--product", "0808", "--weights", "speed=1", *w]
    )
    assert res.exit_code != 0
    assert "unknown weight 'speed'" in str(res.exception)
    res = runner.invoke(
        app,
        ["opportunities", "backtest", "--year", "2022", "--level", "hs4", "--reps", "60", *w],
    )
    assert res.exit_code == 0, res.output
    assert "baseline: market size" in res.output and "95%" in res.output
    assert "demand growth: none" in res.output and "ITC terms:" in res.output
    res = runner.invoke(app, ["opportunities", "new-products", "--csv", "--top", "5", *w])
    assert res.exit_code == 0, res.output
    assert len(res.output.strip().splitlines()) == 6


def test_the_page_says_what_the_terms_rest_on(ws: Workspace) -> None:
    from exportplan import i18n
    from exportplan.views.opportunities import opportunities_page, terms_of

    en = opportunities_page(ws, "en")
    assert en.terms == [
        "Demand growth: none (today's imports)",
        "Ease of trade: the country's ratio",
        "Tariffs: neutral (no file)",
        "Exporters' GDP projection: not applied",
    ]
    fa = opportunities_page(ws, "fa")
    assert fa.terms == [i18n.FA[x] for x in en.terms]
    with_files = terms_of(
        {"projections": "p.csv", "tariffs": "t.csv", "ease_basis": "region"}, "en"
    )
    assert with_files == [
        "Demand growth: GDP and population projections",
        "Ease of trade: the region's ratio",
        "Tariffs: from the tariff file",
        "Exporters' GDP projection: applied",
    ]
