"""The tidy-frame pipeline: missing data stays local, years are independent, errors say why."""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict, cast

import numpy as np
import polars as pl
import pytest

from exportplan.analytics.ecomplexity import Options, ecomplexity, proximity_table
from exportplan.errors import DuplicateRowsError, InputError
from exportplan.workspace import Workspace

SAMPLE = Path(__file__).parent / "data" / "trade_data_sample.csv"


class Keys(TypedDict):
    """The column names ``ecomplexity`` is called with."""

    time: str
    loc: str
    prod: str
    val: str


KEYS: Keys = {"time": "year", "loc": "origin", "prod": "hs92", "val": "export_val"}


@pytest.fixture(scope="module")
def sample() -> pl.DataFrame:
    return pl.read_csv(SAMPLE, schema_overrides={"hs92": pl.String})


@pytest.fixture(scope="module")
def base(sample: pl.DataFrame) -> pl.DataFrame:
    return ecomplexity(sample, **KEYS)


def test_one_row_per_year_location_product(base: pl.DataFrame, sample: pl.DataFrame) -> None:
    for year, sub in sample.group_by("year"):
        n = sub.get_column("origin").n_unique() * sub.get_column("hs92").n_unique()
        assert base.filter(pl.col("year") == year[0]).height == n
    assert base.select(pl.struct("year", "origin", "hs92").is_unique().all()).item()


def test_empty_location_and_product_are_missing_only_for_themselves(
    sample: pl.DataFrame, base: pl.DataFrame
) -> None:
    extra = pl.DataFrame(
        {
            "year": [1995, 1995, 1995],
            "origin": ["zzz", "zzz", "aut"],
            "hs92": ["9999", "1704", "9999"],
            "export_val": [0.0, 0.0, 0.0],
        }
    )
    out = ecomplexity(pl.concat([sample, extra]), **KEYS)
    y95 = out.filter(pl.col("year") == 1995)
    assert y95.filter(pl.col("origin") == "zzz").get_column("eci").is_null().all()
    assert y95.filter(pl.col("hs92") == "9999").get_column("pci").is_null().all()
    cols = ["rca", "eci", "pci", "density", "coi", "cog"]
    a = base.filter(pl.col("year") == 1995).sort("origin", "hs92")
    b = y95.filter((pl.col("origin") != "zzz") & (pl.col("hs92") != "9999")).sort("origin", "hs92")
    for c in cols:
        np.testing.assert_allclose(
            b.get_column(c).to_numpy(), a.get_column(c).to_numpy(), rtol=1e-12
        )


def test_years_are_independent(sample: pl.DataFrame, base: pl.DataFrame) -> None:
    only96 = ecomplexity(sample.filter(pl.col("year") == 1996), **KEYS)
    both96 = base.filter(pl.col("year") == 1996).sort("origin", "hs92")
    np.testing.assert_allclose(
        only96.sort("origin", "hs92").get_column("eci").to_numpy(),
        both96.get_column("eci").to_numpy(),
        rtol=1e-13,
    )


def test_a_year_with_one_location_is_an_error_naming_the_year(sample: pl.DataFrame) -> None:
    one = sample.filter((pl.col("year") == 1995) & (pl.col("origin") == "aut"))
    with pytest.raises(InputError, match=r"at least two locations .* in year 1995"):
        ecomplexity(pl.concat([sample.filter(pl.col("year") == 1996), one]), **KEYS)


def test_duplicates_are_an_error_unless_summed(sample: pl.DataFrame, base: pl.DataFrame) -> None:
    dup = pl.concat([sample, sample.head(1).with_columns(pl.lit(0.0).alias("export_val"))])
    with pytest.raises(DuplicateRowsError, match="1 duplicate row"):
        ecomplexity(dup, **KEYS)
    summed = ecomplexity(dup, **KEYS, duplicates="sum")
    np.testing.assert_allclose(
        summed.sort("year", "origin", "hs92").get_column("rca").to_numpy(),
        base.sort("year", "origin", "hs92").get_column("rca").to_numpy(),
    )


def test_bad_values_are_refused_with_reasons(sample: pl.DataFrame) -> None:
    with pytest.raises(InputError, match="negative"):
        ecomplexity(
            sample.with_columns(
                pl.when(pl.int_range(pl.len()) == 3)
                .then(-1.0)
                .otherwise(pl.col("export_val"))
                .alias("export_val")
            ),
            **KEYS,
        )
    with pytest.raises(InputError, match="not in the input"):
        ecomplexity(sample, time="year", loc="country", prod="hs92", val="export_val")
    with pytest.raises(InputError, match="not numbers"):
        ecomplexity(sample.with_columns(pl.lit("x").alias("export_val")), **KEYS)


def test_sample_filter_projects_small_locations_on_the_sample(sample: pl.DataFrame) -> None:
    y = sample.filter(pl.col("year") == 1995)
    totals = y.group_by("origin").agg(pl.col("export_val").sum()).sort("export_val")
    cutoff = totals.get_column("export_val")[2]  # the two smallest fall out
    out = ecomplexity(y, **KEYS, options=Options(min_exports=cutoff))
    small = set(totals.get_column("origin")[:2])
    flags = out.group_by("origin").agg(pl.col("in_sample").first())
    assert {r[0] for r in flags.iter_rows() if not r[1]} == small
    # the projected ECI is the mean PCI (of the sample) over the location's products
    for loc in small:
        rows = out.filter(pl.col("origin") == loc)
        pcis = rows.filter(pl.col("mcp") == 1).get_column("pci").drop_nulls()
        assert rows.get_column("eci")[0] == pytest.approx(pcis.mean())
    # the sample's own ECI is standardised without them
    inside = out.filter(pl.col("in_sample")).group_by("origin").agg(pl.col("eci").first())
    assert abs(cast(float, inside.get_column("eci").mean())) < 1e-12


def test_subnational_region_is_on_the_national_eci_scale(sample: pl.DataFrame) -> None:
    y = sample.filter(pl.col("year") == 1995)
    region = y.filter(pl.col("origin") == "aut").with_columns(
        pl.lit("region:x").alias("origin"), pl.col("export_val") * 0.1
    )
    out = ecomplexity(pl.concat([y, region]), **KEYS, project_only={"region:x"})
    world = ecomplexity(y, **KEYS)
    # the world's numbers are untouched by the projected region
    a = world.sort("origin", "hs92")
    b = out.filter(pl.col("origin") != "region:x").sort("origin", "hs92")
    np.testing.assert_allclose(b.get_column("eci").to_numpy(), a.get_column("eci").to_numpy())
    # a region with Austria's product mix has Austria's RCA pattern and ECI
    reg = out.filter(pl.col("origin") == "region:x").sort("hs92")
    aut = a.filter(pl.col("origin") == "aut").sort("hs92")
    assert reg.get_column("mcp").to_list() == aut.get_column("mcp").to_list()
    assert reg.get_column("eci")[0] == pytest.approx(aut.get_column("eci")[0], rel=1e-12)
    assert not reg.get_column("in_sample").any()


def test_other_methods_fill_eci_and_pci(sample: pl.DataFrame) -> None:
    for method in ("reflections", "fitness"):
        out = ecomplexity(sample, **KEYS, options=Options(method=method))
        assert out.get_column("eci").null_count() == 0
    eig = ecomplexity(sample, **KEYS).group_by("year", "origin").agg(pl.col("eci").first())
    ref = (
        ecomplexity(sample, **KEYS, options=Options(method="reflections"))
        .group_by("year", "origin")
        .agg(pl.col("eci").first())
    )
    j = eig.join(ref, on=["year", "origin"])
    assert (
        np.corrcoef(j.get_column("eci").to_numpy(), j.get_column("eci_right").to_numpy())[0, 1]
        > 0.8
    )


def test_proximity_table_is_symmetric_with_zero_diagonal(sample: pl.DataFrame) -> None:
    t = proximity_table(sample, **KEYS)
    y = t.filter(pl.col("year") == 1995)
    n = y.get_column("hs92_1").n_unique()
    assert y.height == n * n
    assert y.filter(pl.col("hs92_1") == pl.col("hs92_2")).get_column("proximity").max() == 0
    back = y.join(y, left_on=["hs92_1", "hs92_2"], right_on=["hs92_2", "hs92_1"])
    assert (back.get_column("proximity") == back.get_column("proximity_right")).all()


def test_rpop_and_either_with_a_population_table(sample: pl.DataFrame) -> None:
    y = sample.filter(pl.col("year") == 1995)
    locs = sorted(set(y["origin"]))
    pop = pl.DataFrame({"loc": locs, "pop": [float(5 + i) * 1e6 for i in range(len(locs))]})
    out = ecomplexity(y, **KEYS, options=Options(presence="rpop"), population=pop)
    # RPOP by hand for one cell: (x_cp / pop_c) / (X_p / POP)
    x = y.filter((pl.col("origin") == "aut") & (pl.col("hs92") == "1704"))["export_val"][0]
    xp = cast(float, y.filter(pl.col("hs92") == "1704")["export_val"].sum())
    expected = (x / 5e6) / (xp / float(pop["pop"].sum()))
    cell = out.filter((pl.col("origin") == "aut") & (pl.col("hs92") == "1704"))
    assert cell["rpop"][0] == pytest.approx(expected, rel=1e-12)
    assert (out["mcp"] == (out["rpop"] >= 1).cast(pl.Int8)).all()
    either = ecomplexity(y, **KEYS, options=Options(presence="either"), population=pop)
    joined = either.join(out, on=["year", "origin", "hs92"], suffix="_r")
    assert (joined["mcp"] == ((joined["rca"] >= 1) | (joined["rpop_r"] >= 1)).cast(pl.Int8)).all()
    with pytest.raises(InputError, match="needs a population"):
        ecomplexity(y, **KEYS, options=Options(presence="rpop"))


def test_knn_density_through_the_pipeline(sample: pl.DataFrame) -> None:
    full = ecomplexity(sample, **KEYS).sort("year", "origin", "hs92")
    knn = ecomplexity(sample, **KEYS, options=Options(knn=3)).sort("year", "origin", "hs92")
    assert (full["eci"] == knn["eci"]).all()  # only density and what depends on it change
    assert not np.allclose(full["density"].to_numpy(), knn["density"].to_numpy())
    assert cast(float, knn["density"].min()) >= 0 and cast(float, knn["density"].max()) <= 1


def test_a_busy_warehouse_is_a_clear_error(ws: Workspace) -> None:
    """In one process, a write connection cannot open while a read connection is open: the
    web server's upload during a page query says so instead of failing obscurely."""
    from exportplan.errors import WorkspaceError

    with ws.warehouse(read_only=True), pytest.raises(WorkspaceError, match="busy"), ws.warehouse():
        pass
