"""The streaming BACI reader gives the same matrix, and the same results, as the tidy path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from exportplan.analytics.ecomplexity import complexity_matrix, ecomplexity
from exportplan.errors import InputError, MissingColumnsError
from exportplan.ingest.matrix import baci_matrices

ROWS = [
    (2022, 364, 368, 80810, 1.5, 2.0),
    (2022, 364, 792, 80810, 2.0, None),  # same exporter x product: summed over importers
    (2022, 364, 792, 720712, 10.0, 1.0),
    (2022, 792, 364, 720712, 4.0, 1.0),
    (2022, 792, 368, 80890, 1.0, 1.0),
    (2022, 51, 368, 80810, 3.0, 1.0),
    (2021, 364, 368, 80810, 5.0, 1.0),
    (2021, 792, 368, 720712, 7.0, 1.0),
]


def _frame() -> pl.DataFrame:
    return pl.DataFrame(ROWS, schema=["t", "i", "j", "k", "v", "q"], orient="row")


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_matrices_by_year_and_level(tmp_path: Path, suffix: str) -> None:
    f = tmp_path / f"BACI{suffix}"
    _frame().write_csv(f, null_value="NA") if suffix == ".csv" else _frame().write_parquet(f)
    y21, y22 = baci_matrices(f, digits=6)
    assert (y21.year, y22.year) == (2021, 2022)
    assert y22.exporters == [51, 364, 792]
    assert y22.products == ["080810", "080890", "720712"]
    np.testing.assert_allclose(y22.x, [[3000, 0, 0], [3500, 0, 10000], [0, 1000, 4000]])
    hs4 = baci_matrices(f, digits=4)[1]
    assert hs4.products == ["0808", "7207"]
    np.testing.assert_allclose(hs4.x[2], [1000, 4000])


def test_same_results_as_the_tidy_pipeline(tmp_path: Path) -> None:
    data = Path(__file__).parent / "data" / "trade_data_sample.csv"
    tidy = pl.read_csv(data, schema_overrides={"hs92": pl.String}).filter(pl.col("year") == 1995)
    locs, prods = sorted(set(tidy["origin"])), sorted(set(tidy["hs92"]))
    x = np.zeros((len(locs), len(prods)))
    for o, h, v in tidy.select("origin", "hs92", "export_val").iter_rows():
        x[locs.index(o), prods.index(h)] = v
    a = complexity_matrix(
        x, locs, prods, time_value=1995, names=("year", "origin", "hs92", "export_val")
    )
    b = ecomplexity(tidy, time="year", loc="origin", prod="hs92", val="export_val")
    for col in ("rca", "eci", "pci", "density", "coi", "cog"):
        np.testing.assert_allclose(a[col].to_numpy(), b[col].to_numpy(), rtol=1e-13)


def test_bad_files(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("t,i,j,k,value\n2022,1,2,80810,1\n", encoding="utf-8")
    with pytest.raises(MissingColumnsError, match="missing column"):
        baci_matrices(f)
    f.write_text("t,i,j,k,v,q\n2022,1,2,80810,-1,1\n2022,2,1,80810,3,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="negative"):
        baci_matrices(f)
    with pytest.raises(InputError, match="level"):
        baci_matrices(f, digits=5)
