"""The export potential's terms on hand-built cases, and its properties."""

from __future__ import annotations

from dataclasses import replace

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportplan.analytics import potential as pot
from exportplan.errors import InputError


def inputs(
    *,
    imports: list[tuple[str, str, float, float | None]] | None = None,
    region: list[tuple[str, str, float]] | None = None,
    world: list[tuple[str, float, float, float]] | None = None,
    country_to: list[tuple[str, float]] | None = None,
    suppliers: list[tuple[str, str, float | None, float]] | None = None,
    distance: list[tuple[str, float]] | None = None,
    projections: pl.DataFrame | None = None,
    tariffs: pl.DataFrame | None = None,
) -> pot.Inputs:
    """Two products (p, q), two markets (A, B). The region sells p to A only."""
    imports = imports or [
        ("p", "A", 200.0, 0.10),
        ("q", "A", 100.0, None),
        ("p", "B", 400.0, 0.50),
        ("q", "B", 300.0, -0.02),
    ]
    region = region if region is not None else [("p", "A", 10.0)]
    world = world or [("p", 100.0, 20.0, 40.0), ("q", 50.0, 5.0, 0.0)]
    return pot.Inputs(
        imports=pl.DataFrame(
            imports,
            schema={
                "prod": pl.String,
                "market": pl.String,
                "imports_usd": pl.Float64,
                "trend_pa": pl.Float64,
            },
            orient="row",
        ),
        world=pl.DataFrame(
            world,
            schema={
                "prod": pl.String,
                "world_usd": pl.Float64,
                "country_exports_usd": pl.Float64,
                "country_imports_usd": pl.Float64,
            },
            orient="row",
        ),
        region=pl.DataFrame(
            region,
            schema={"prod": pl.String, "market": pl.String, "actual_usd": pl.Float64},
            orient="row",
        ),
        country_to=pl.DataFrame(
            country_to or [("A", 12.0), ("B", 30.0)],
            schema={"market": pl.String, "country_usd": pl.Float64},
            orient="row",
        ),
        suppliers=pl.DataFrame(
            suppliers
            or [("p", "A", 500.0, 0.5), ("q", "A", 2000.0, 1.0), ("p", "B", 1000.0, 0.25)],
            schema={
                "prod": pl.String,
                "market": pl.String,
                "supplier_km": pl.Float64,
                "hhi": pl.Float64,
            },
            orient="row",
        ),
        distance=pl.DataFrame(
            distance or [("A", 1000.0), ("B", 500.0)],
            schema={"market": pl.String, "km": pl.Float64},
            orient="row",
        ),
        projections=projections,
        tariffs=tariffs,
    )


def row(df: pl.DataFrame, prod: str, market: str) -> dict[str, object]:
    return df.filter((pl.col("prod") == prod) & (pl.col("market") == market)).row(0, named=True)


def test_each_term_by_hand() -> None:
    opt = pot.PotentialOptions(horizon=2, trend_weight=1.0, ease_basis="region")
    df = pot.potential(inputs(), opt)
    a = row(df, "p", "A")
    # supply: share 10/100, net-importer penalty 20/40
    assert a["share"] == pytest.approx(0.1)
    assert a["penalty"] == pytest.approx(0.5)
    assert a["supply"] == pytest.approx(0.05)
    # demand: imports 200 grown 10% a year for 2 years
    assert a["growth_factor"] == pytest.approx(1.21)
    assert a["demand"] == pytest.approx(242.0)
    # ease: the region sells 10 to A where its shares predict 0.1*200 + 0*100 = 20
    assert a["ease_region"] == pytest.approx(0.5)
    assert a["ease_basis"] == "region"
    # distance: A is 1000 km away, its suppliers of p 500 km on average: exp(-ln 2) = 0.5
    assert a["distance_factor"] == pytest.approx(0.5)
    assert a["ease"] == pytest.approx(0.25)
    assert a["potential_usd"] == pytest.approx(0.05 * 242.0 * 0.25)
    assert a["actual_usd"] == pytest.approx(10.0)
    assert a["untapped_usd"] == pytest.approx(0.05 * 242.0 * 0.25 - 10.0)
    assert a["untapped_pos_usd"] == 0.0  # actual above potential: nothing untapped
    assert a["realised"] == pytest.approx(10.0 / (0.05 * 242.0 * 0.25))
    assert a["openness"] == pytest.approx(0.5)  # 1 - HHI


def test_one_ease_basis_for_every_row() -> None:
    """The default (auto, for a table of every market) and country: the country's ratio on every
    row; region: the region's on every row, zero where it never sold. Never mixed."""
    for basis in ("auto", "country"):
        df = pot.potential(
            inputs(), pot.PotentialOptions(horizon=2, trend_weight=1.0, ease_basis=basis)
        )
        assert set(df.get_column("ease_basis").to_list()) == {"country"}
        assert (df.get_column("ease_trade") == df.get_column("ease_country")).all()
        b = row(df, "p", "B")
        # country shares: p 20/100, q 5/50; expected Iran->B = 0.2*400 + 0.1*300 = 110; actual 30
        assert b["ease_country"] == pytest.approx(30 / 110)
        assert b["ease_trade"] == pytest.approx(30 / 110)
        # A: expected Iran->A = 0.2*200 + 0.1*100 = 50; actual 12 (the region's 10 not mixed in)
        assert row(df, "p", "A")["ease_trade"] == pytest.approx(12 / 50)
        # trend 50% a year is clipped to the cap (15%)
        assert b["growth_pa"] == pytest.approx(0.15)
        assert b["growth_factor"] == pytest.approx(1.15**2)
        # B is closer (500 km) than its suppliers (1000 km): one-sided factor 1
        assert b["distance_factor"] == pytest.approx(1.0)
        assert b["potential_usd"] == pytest.approx(0.05 * 400 * 1.15**2 * 30 / 110)
    region_only = pot.potential(inputs(), pot.PotentialOptions(horizon=2, ease_basis="region"))
    assert set(region_only.get_column("ease_basis").to_list()) == {"region"}
    assert row(region_only, "p", "B")["potential_usd"] == 0.0  # the region never sold there


def test_demand_growth_defaults_to_none_and_shrinks_the_trend() -> None:
    default = pot.potential(inputs(), pot.PotentialOptions(horizon=2))
    assert set(default.get_column("growth_basis").to_list()) == {"none"}
    assert (default.get_column("growth_factor") == 1.0).all()
    assert row(default, "p", "B")["growth_pa"] == pytest.approx(0.15)  # the trend, described
    assert "none" in pot.PotentialOptions().growth_source
    half = pot.potential(inputs(), pot.PotentialOptions(horizon=2, trend_weight=0.5))
    assert row(half, "p", "A")["growth_factor"] == pytest.approx(1.05**2)  # 0.5 x 10%
    assert row(half, "p", "B")["growth_factor"] == pytest.approx(1.15**2)  # 0.5 x 50%, capped
    assert "x 0.5 (shrunk)" in pot.PotentialOptions(trend_weight=0.5).growth_source
    with pytest.raises(InputError, match="trend weight"):
        pot.PotentialOptions(trend_weight=1.5).check()


def test_distance_variants() -> None:
    sym = pot.potential(inputs(), pot.PotentialOptions(distance="symmetric"))
    assert row(sym, "p", "B")["distance_factor"] == pytest.approx(0.5)  # closer is penalised too
    none = pot.potential(inputs(), pot.PotentialOptions(distance="none"))
    assert row(none, "p", "A")["distance_factor"] == 1.0
    # no suppliers known for q to B: no distance factor
    assert row(sym, "q", "B")["distance_factor"] == 1.0


def test_projections_and_tariffs() -> None:
    proj = pl.DataFrame({"market": ["A"], "gdp_ratio": [1.21], "pop_ratio": [1.1]})
    tar = pl.DataFrame(
        {"prod": ["p"], "market": ["A"], "tariff": [0.10], "competitor_tariff": [0.21]}
    )
    df = pot.potential(
        inputs(projections=proj, tariffs=tar), pot.PotentialOptions(elasticity=2.0, sigma=2.0)
    )
    a = row(df, "p", "A")
    assert a["growth_basis"] == "projections"
    assert a["growth_factor"] == pytest.approx((1.21 / 1.1) ** 2 * 1.1)
    assert a["tariff_factor"] == pytest.approx((1.21 / 1.10) ** 2)
    assert a["demand"] == pytest.approx(200 * (1.21 / 1.1) ** 2 * 1.1 * (1.21 / 1.10) ** 2)
    b = row(df, "p", "B")  # no projection for B: the default, no growth; no tariff: factor 1
    assert b["growth_basis"] == "none" and b["growth_factor"] == 1.0
    assert b["tariff_factor"] == 1.0


def test_potential_adds_up_to_actual_trade_without_growth_or_distance() -> None:
    """The ITC structure: with no projection, no distance and no net-importer penalty, the
    potentials of a market sum to what the region sells there."""
    world = [("p", 100.0, 50.0, 10.0), ("q", 50.0, 5.0, 0.0)]
    region = [("p", "A", 10.0), ("q", "A", 4.0), ("p", "B", 6.0)]
    df = pot.potential(
        inputs(world=world, region=region),
        pot.PotentialOptions(horizon=0, distance="none", ease_basis="region"),
    )
    sums = dict(df.group_by("market").agg(pl.col("potential_usd").sum()).iter_rows())
    assert sums["A"] == pytest.approx(14.0)
    assert sums["B"] == pytest.approx(6.0)


def test_zero_imports_give_zero_potential() -> None:
    imports = [
        ("p", "A", 0.0, None),
        ("q", "A", 100.0, None),
        ("p", "B", 400.0, 0.1),
        ("q", "B", 300.0, 0.1),
    ]
    df = pot.potential(inputs(imports=imports, region=[("p", "B", 5.0), ("q", "A", 1.0)]))
    assert row(df, "p", "A")["potential_usd"] == 0.0
    assert row(df, "p", "A")["realised"] is None


def test_options_are_checked() -> None:
    with pytest.raises(InputError, match="horizon"):
        pot.potential(inputs(), pot.PotentialOptions(horizon=-1))
    with pytest.raises(InputError, match="distance"):
        pot.potential(inputs(), pot.PotentialOptions(distance="far"))  # type: ignore[arg-type]


# ---- properties ----------------------------------------------------------------------------

values = st.floats(min_value=0.0, max_value=1e9, allow_nan=False)


@st.composite
def worlds(draw: st.DrawFn) -> pot.Inputs:
    prods = ["p", "q", "r"]
    markets = ["A", "B", "C"]
    imports = [
        (k, j, draw(values), draw(st.one_of(st.none(), st.floats(-0.5, 0.5))))
        for k in prods
        for j in markets
    ]
    region = [(k, j, draw(values)) for k in prods for j in markets if draw(st.booleans())]
    world = [(k, draw(st.floats(1.0, 1e10)), draw(values), draw(values)) for k in prods]
    sup: list[tuple[str, str, float | None, float]] = [
        (k, j, draw(st.floats(10, 2e4)), draw(st.floats(0, 1))) for k in prods for j in markets
    ]
    return inputs(
        imports=imports,
        region=region,
        world=world,
        country_to=[(j, draw(values)) for j in markets],
        suppliers=sup,
        distance=[(j, draw(st.floats(10, 2e4))) for j in markets],
    )


@settings(max_examples=60, deadline=None)
@given(
    worlds(),
    st.sampled_from(["p", "q", "r"]),
    st.sampled_from(["A", "B", "C"]),
    st.sampled_from(["auto", "region", "country"]),
)
def test_doubling_a_markets_imports_cannot_lower_its_potential(
    inp: pot.Inputs, k: str, j: str, basis: str
) -> None:
    opts = pot.PotentialOptions(ease_basis=basis)  # type: ignore[arg-type]
    before = row(pot.potential(inp, opts), k, j)["potential_usd"]
    doubled = inp.imports.with_columns(
        pl.when((pl.col("prod") == k) & (pl.col("market") == j))
        .then(pl.col("imports_usd") * 2)
        .otherwise(pl.col("imports_usd"))
        .alias("imports_usd")
    )
    after_inp = pot.Inputs(**{**inp.__dict__, "imports": doubled})
    after = row(pot.potential(after_inp, opts), k, j)["potential_usd"]
    assert isinstance(before, float) and isinstance(after, float)
    assert after >= before * (1 - 1e-12)


@settings(max_examples=60, deadline=None)
@given(worlds(), st.sampled_from(["p", "q", "r"]), st.sampled_from(["A", "B", "C"]))
def test_a_market_with_zero_imports_of_k_has_zero_potential(
    inp: pot.Inputs, k: str, j: str
) -> None:
    zero = inp.imports.with_columns(
        pl.when((pl.col("prod") == k) & (pl.col("market") == j))
        .then(0.0)
        .otherwise(pl.col("imports_usd"))
        .alias("imports_usd")
    )
    df = pot.potential(pot.Inputs(**{**inp.__dict__, "imports": zero}))
    assert row(df, k, j)["potential_usd"] == 0.0
    assert (df.get_column("potential_usd") >= 0).all()


@settings(max_examples=30, deadline=None)
@given(worlds(), st.randoms(use_true_random=False))
def test_same_inputs_same_ranking_whatever_the_row_order(inp: pot.Inputs, rnd: object) -> None:
    df = pot.potential(inp).filter(pl.col("prod") == "p")  # markets for one product
    a = pot.rank(df, {"untapped": 0.5, "growth": 0.3, "distance": 0.2}, key="market")
    shuffled = df.sample(fraction=1.0, shuffle=True, seed=7)
    b = pot.rank(shuffled, {"untapped": 0.5, "growth": 0.3, "distance": 0.2}, key="market")
    assert a.select("prod", "market", "rank").equals(b.select("prod", "market", "rank"))


# ---- ranking, weights and metrics ----------------------------------------------------------


def test_rank_by_weighted_percentiles() -> None:
    df = pl.DataFrame(
        {
            "market": ["A", "B", "C", "D"],
            "untapped_pos_usd": [40.0, 30.0, 20.0, 10.0],
            "growth_pa": [0.0, 0.1, 0.2, 0.3],
        }
    )
    by_untapped = pot.rank(df, {"untapped": 1.0}, key="market")
    assert by_untapped.get_column("market").to_list() == ["A", "B", "C", "D"]
    by_growth = pot.rank(df, {"growth": 1.0}, key="market")
    assert by_growth.get_column("market").to_list() == ["D", "C", "B", "A"]
    # equal weights: every score is 0.625; the tie is broken by untapped potential
    tied = pot.rank(df, {"untapped": 0.5, "growth": 0.5}, key="market")
    assert tied.get_column("score").to_list() == pytest.approx([0.625] * 4)
    assert tied.get_column("market").to_list() == ["A", "B", "C", "D"]
    assert tied.get_column("rank").to_list() == [1, 2, 3, 4]


def test_weights_are_parsed_and_checked() -> None:
    w = pot.parse_weights("untapped=3, growth=1", pot.FACTORS)
    assert w == {"untapped": 0.75, "growth": 0.25}
    for bad, msg in [
        ("untapped", "name=value"),
        ("untapped=x", "not a number"),
        ("speed=1", "unknown weight 'speed'"),
        ("untapped=-1", ">= 0"),
        ("untapped=0", "above 0"),
    ]:
        with pytest.raises(InputError, match=msg):
            pot.parse_weights(bad, pot.FACTORS)


def test_new_product_scores_follow_the_weights() -> None:
    c = pl.DataFrame(
        {
            "prod": ["a", "b", "c"],
            "density": [0.9, 0.5, 0.1],
            "pci": [-1.0, 0.0, 2.0],
            "cog": [0.0, 0.1, 0.2],
            "log_world_usd": [20.0, 20.0, 20.0],
            "world_trend_pa": [0.0, 0.0, None],
        }
    )
    near = pot.new_product_scores(c, pot.PRESETS["low-hanging"])
    far = pot.new_product_scores(c, pot.PRESETS["long-jumps"])
    assert near.get_column("prod").to_list()[0] == "a"
    assert far.get_column("prod").to_list()[0] == "c"
    assert near.get_column("rank").to_list() == [1, 2, 3]
    for preset in pot.PRESETS.values():
        assert sum(preset.values()) == pytest.approx(1.0)


def test_the_country_exports_at_least_what_its_region_does() -> None:
    # the country reports 1 of p against imports of 100, but its region alone sells 40
    world = [("p", 1000.0, 1.0, 100.0), ("q", 50.0, 5.0, 0.0)]
    df = pot.potential(inputs(world=world, region=[("p", "A", 40.0)]))
    assert row(df, "p", "A")["penalty"] == pytest.approx(0.4)


@settings(max_examples=80, deadline=None)
@given(worlds())
def test_every_term_is_finite(inp: pot.Inputs) -> None:
    # hypothesis found a vanishing (denormal) expected trade turning the ease into infinity
    # and 0 x inf into NaN; ease is now 0 there and a zero demand gives a zero potential
    df = pot.potential(inp)
    for col in ("potential_usd", "ease", "ease_trade", "supply", "demand"):
        assert df.get_column(col).is_finite().all(), col
    assert (df.get_column("potential_usd") >= 0).all()


def test_an_expected_trade_of_almost_nothing_gives_no_ease() -> None:
    """Hypothesis's find: the home country's exports of q are 1.2e-307 USD, so the trade
    expected to B is 2.4e-307 USD and B's 22 USD made an ease of 9e307 and an infinite
    potential. Under a cent of expected trade the ease is 0 (and so the potential)."""
    inp = inputs(
        imports=[(k, j, 2.0 if (k, j) == ("q", "B") else 0.0, None) for k in "pqr" for j in "ABC"],
        region=[("q", "C", 1.0)],
        world=[("p", 1.0, 0.0, 0.0), ("q", 1.0, 1.1874e-307, 0.0), ("r", 1.0, 0.0, 0.0)],
        country_to=[("A", 1.0), ("B", 22.0), ("C", 0.0)],
        suppliers=[(k, j, 10.0, 0.0) for k in "pqr" for j in "ABC"],
        distance=[(j, 10.0) for j in "ABC"],
    )
    got = row(pot.potential(inp), "q", "B")
    assert got["ease_country"] == 0.0 and got["potential_usd"] == 0.0
    assert got["demand"] == 2.0 and got["supply"] == 1.0  # the other terms are untouched
    # one cent of expected trade is enough: the ease is the plain ratio again
    inp2 = replace(inp, world=inp.world.with_columns(pl.lit(0.005).alias("country_exports_usd")))
    got2 = row(pot.potential(inp2), "q", "B")
    assert got2["ease_country"] == pytest.approx(22.0 / (0.005 * 2.0))
    assert got2["potential_usd"] == pytest.approx(1.0 * 2.0 * 22.0 / 0.01)


def test_itc_supply_terms_by_hand() -> None:
    """With projections, the share is ITC's projected share (region x its country's GDP ratio
    over the exporters' exports x theirs); with tariffs, the global tariff (dis)advantage
    multiplies the supply. The ease of trade keeps today's shares."""
    proj = pl.DataFrame(
        {"market": ["IRN", "X", "Y"], "gdp_ratio": [1.2, 1.5, 1.0], "pop_ratio": [1.0, 1.0, 1.0]}
    )
    exporters = pl.DataFrame(
        {
            "prod": ["p", "p", "p", "q"],
            "exporter": ["IRN", "X", "Z", "X"],
            "exports_usd": [20.0, 60.0, 20.0, 50.0],
        }
    )
    inp = inputs(projections=proj)
    inp = pot.Inputs(**{**inp.__dict__, "exporters": exporters, "home": "IRN"})
    a = row(pot.potential(inp, pot.PotentialOptions(ease_basis="region")), "p", "A")
    # Z has no ratio: the mean (1.2 + 1.5 + 1.0) / 3 = 1.2333; world = 20*1.2 + 60*1.5 + 20*1.2333
    world = 20 * 1.2 + 60 * 1.5 + 20 * (3.7 / 3)
    assert a["share_basis"] == "GDP-projected"
    assert a["share"] == pytest.approx(10 * 1.2 / world)
    assert a["ease_region"] == pytest.approx(0.5)  # today's shares: 10 / (0.1 * 200)
    tar = pl.DataFrame(
        {
            "prod": ["p", "p"],
            "market": ["A", "B"],
            "tariff": [0.10, 0.0],
            "competitor_tariff": [0.05, 0.05],
        }
    )
    t = row(pot.potential(inputs(tariffs=tar), pot.PotentialOptions(sigma=1.0)), "p", "A")
    # import weights A 200, B 400: faced (0.1*200 + 0)/600, world 0.05
    faced = 0.1 * 200 / 600
    assert t["global_tariff_factor"] == pytest.approx(1.05 / (1 + faced))
    assert t["supply"] == pytest.approx(0.1 * 0.5 * 1.05 / (1 + faced))
    q = row(pot.potential(inputs(tariffs=tar)), "q", "A")
    assert q["global_tariff_factor"] == 1.0  # no tariff rows for q: neutral
    plain = row(pot.potential(inputs()), "p", "A")
    assert plain["share_basis"] == "exports" and plain["global_tariff_factor"] == 1.0


def test_suppliers_carried_by_the_imports_give_the_same_potential() -> None:
    """The service's world aggregates carry supplier_km and hhi on the imports (one join fewer
    over a million rows): the same table as with a separate suppliers frame."""
    inp = inputs()
    assert inp.suppliers is not None
    merged = inp.imports.join(inp.suppliers, on=["prod", "market"], how="left")
    a = pot.potential(inp).sort("prod", "market")
    b = pot.potential(pot.Inputs(**{**inp.__dict__, "imports": merged, "suppliers": None}))
    assert b.sort("prod", "market").equals(a)
    assert a.get_column("hhi").drop_nulls().len() > 0  # the terms are really there
    assert a.get_column("distance_factor").min() < 1.0  # type: ignore[operator]


def test_the_join_shortcuts_equal_the_plain_joins() -> None:
    """The potential's cheaper joins give what polars' inner and left joins give, with keys
    missing on either side and a product x market repeated in the region's rows."""
    big = pl.DataFrame(
        {
            "prod": ["0808", "0808", "4107", "7207", "9999", "4107"],
            "market": ["IRQ", "TUR", "IRQ", "ARM", "IRQ", "TUR"],
            "imports_usd": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    small = pl.DataFrame({"prod": ["0808", "4107", "7207", "1111"], "w": [10.0, 20.0, 30.0, 0.5]})
    got = pot._inner_on_key(big, small, "prod").sort("prod", "market")
    want = big.join(small, on="prod", how="inner").sort("prod", "market")
    assert got.equals(want) and got.height == 5  # 9999 dropped
    everything = pot._inner_on_key(big.filter(pl.col("prod") != "9999"), small, "prod")
    assert everything.height == 5
    region = pl.DataFrame(
        {
            "prod": ["0808", "0808", "4107", "5555"],
            "market": ["TUR", "TUR", "IRQ", "IRQ"],
            "actual_usd": [1.5, 2.5, 7.0, 9.0],
        }
    )
    actual = pot._actual_of(big, region).to_list()
    assert actual == [0.0, 4.0, 7.0, 0.0, 0.0, 0.0]  # 0808 to TUR summed, 5555 has no row
