"""Conformance: our outputs against published outputs of the reference implementations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from exportplan.analytics.ecomplexity import _dense, ecomplexity
from exportplan.analytics.rca import balassa_rca

COLUMNS = ["rca", "density", "eci", "pci", "coi", "cog"]
EXACT = ["M", "diversity", "ubiquity"]


@pytest.fixture(scope="module")
def joined() -> pl.DataFrame:
    data = Path(__file__).parent / "data"
    frame = pl.read_csv(data / "trade_data_sample.csv", schema_overrides={"hs92": pl.String})
    ours = ecomplexity(frame, time="year", loc="origin", prod="hs92", val="export_val")
    truth = pl.read_csv(
        data / "stata_ground_truth_1995_head.csv",
        null_values=".",
        schema_overrides={"hs92": pl.String},
    )
    j = truth.join(ours, on=["year", "origin", "hs92"], how="left", suffix="_ours")
    assert j.height == truth.height == 121
    return j


@pytest.mark.parametrize("col", COLUMNS)
def test_stata_ground_truth_within_1e6_relative(joined: pl.DataFrame, col: str) -> None:
    truth = joined.get_column(col).to_numpy()
    ours = joined.get_column(f"{col}_ours").to_numpy()
    assert not np.isnan(ours).any()
    # RCA: Stata stored export values as float32, which limits RCA to ~1e-7 relative
    np.testing.assert_allclose(ours, truth, rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("col", ["eci", "pci", "coi", "cog", "density"])
def test_stata_indicators_match_to_1e12(joined: pl.DataFrame, col: str) -> None:
    """Beyond the required 1e-6: the conventions are the same, so agreement is to rounding."""
    np.testing.assert_allclose(
        joined.get_column(f"{col}_ours").to_numpy(),
        joined.get_column(col).to_numpy(),
        rtol=1e-12,
        atol=1e-13,
    )


@pytest.mark.parametrize("col", EXACT)
def test_stata_counts_exact(joined: pl.DataFrame, col: str) -> None:
    ours = "mcp" if col == "M" else f"{col}_ours"
    assert joined.get_column(ours).cast(pl.Int64).to_list() == joined.get_column(col).to_list()


def test_oec_section_rca_statistics_as_published() -> None:
    """Datawheel's published describe() of RCA for sections 1 and 9 (226 countries x 21)."""
    frame = pl.read_csv(Path(__file__).parent / "data" / "oec_fixture_exports.csv")
    frame = frame.with_columns(pl.col("Section ID").cast(pl.String))
    _locs, prods, x = _dense(frame, "Exporter Country ID", "Section ID", "Trade Value")
    assert x.shape == (226, 21)
    rca = balassa_rca(x)
    published = {
        "1": (226, 3.484895, 8.261088, 0.0, 0.129100, 0.718371, 2.165564, 47.724923),
        "9": (226, 1.959028, 6.469812, 0.0, 0.040933, 0.267903, 1.264129, 75.963223),
    }
    for section, expected in published.items():
        col = rca[:, prods.index(section)]
        stats = (
            col.size,
            col.mean(),
            col.std(ddof=1),
            col.min(),
            *np.quantile(col, [0.25, 0.5, 0.75]),
            col.max(),
        )
        assert tuple(round(float(v), 6) for v in stats) == expected


def test_sitc_world_runs_and_keeps_invariants() -> None:
    """Real SITC data (226 x 785): every invariant of the method holds at real size."""
    frame = pl.read_csv(
        Path(__file__).parent / "data" / "world_trade_avg_1998_to_2000.csv",
        schema_overrides={"product": pl.String},
    )
    out = ecomplexity(frame, time=None, loc="country", prod="product", val="value")
    locs = out.group_by("country").agg(
        pl.col("eci").first(), pl.col("diversity").first(), pl.col("mcp").sum()
    )
    assert (locs.get_column("diversity") == locs.get_column("mcp")).all()
    eci = locs.get_column("eci").drop_nulls().to_numpy()
    assert abs(eci.mean()) < 1e-12
    # sample sd over the long rows equals 1
    n_p = out.get_column("product").n_unique()
    long_sd = np.sqrt(((eci - eci.mean()) ** 2).sum() * n_p / (eci.size * n_p - 1))
    assert abs(long_sd - 1) < 1e-12
    assert np.corrcoef(eci, locs.drop_nulls("eci").get_column("diversity").to_numpy())[0, 1] > 0
