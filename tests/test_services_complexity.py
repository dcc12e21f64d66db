"""Complexity on a workspace: the world from the warehouse, the region, the cache."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import numpy as np
import polars as pl
import pytest

from exportplan.analytics.ecomplexity import ecomplexity
from exportplan.services import complexity as svc
from exportplan.services.imports import baci, customs
from exportplan.workspace import Workspace

SAMPLE = Path(__file__).parent / "data" / "trade_data_sample.csv"
# the conformance countries, as ISO numeric codes BACI would use
CODES = {
    "aut": 40,
    "blx": 56,
    "che": 757,
    "deu": 276,
    "dnk": 208,
    "esp": 724,
    "gbr": 826,
    "ita": 380,
    "pol": 616,
    "svn": 705,
}


def _baci_file(tmp: Path, year: int) -> Path:
    df = pl.read_csv(SAMPLE, schema_overrides={"hs92": pl.String}).filter(pl.col("year") == year)
    lines = ["t,i,j,k,v,q"]
    for o, h, v in df.select("origin", "hs92", "export_val").iter_rows():
        lines.append(f"{year},{CODES[o]},{156},{h}00,{v / 1000:.3f},1")
    p = tmp / f"BACI_Y{year}.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


@pytest.fixture
def world_ws(ws: Workspace, tmp_path: Path) -> Workspace:
    with ws.warehouse() as con:
        baci.import_file(con, _baci_file(tmp_path, 1995))
    return ws


def test_workspace_results_equal_the_pipeline_on_the_same_data(world_ws: Workspace) -> None:
    res = svc.compute(world_ws, level="hs4", years=[1995])
    df = pl.read_csv(SAMPLE, schema_overrides={"hs92": pl.String}).filter(pl.col("year") == 1995)
    ref = ecomplexity(df, time="year", loc="origin", prod="hs92", val="export_val")
    # BACI codes were mapped to ISO3 on import (251 -> FRA, 757 -> CHE)
    assert set(res["loc"]) == {"AUT", "BEL", "CHE", "DEU", "DNK", "ESP", "GBR", "ITA", "POL", "SVN"}
    a = res.sort("loc", "prod")["eci"].to_numpy()
    b = ref.sort("origin", "hs92")["eci"].to_numpy()
    np.testing.assert_allclose(np.sort(a), np.sort(b), rtol=1e-6)  # BACI keeps 3 decimals of kUSD


def test_cache_is_reused_and_invalidated_by_a_new_import(
    world_ws: Workspace, tmp_path: Path
) -> None:
    first = svc.compute(world_ws, level="hs4", years=[1995])
    files = list(svc.cache_dir(world_ws).glob("complexity-*.parquet"))
    assert len(files) == 1
    mtime = files[0].stat().st_mtime_ns
    again = svc.compute(world_ws, level="hs4", years=[1995])
    assert again.equals(first) and files[0].stat().st_mtime_ns == mtime
    with world_ws.warehouse() as con:
        baci.import_file(con, _baci_file(tmp_path, 1996))
    svc.compute(world_ws, level="hs4", years=[1995])
    assert len(list(svc.cache_dir(world_ws).glob("complexity-*.parquet"))) == 2


def test_region_in_both_modes(world_ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text(
        "تاریخ,کد تعرفه,کشور مقصد,ارزش دلاری,شرح کالا\n"
        "1374/05/01,170400,عراق,5000000,شیرینی\n"
        "1374/06/01,180600,ترکیه,9000000,شکلات\n",
        encoding="utf-8",
    )
    with world_ws.warehouse() as con:
        s = customs.import_file(con, f, customs.CustomsOptions(region="East Azerbaijan"))
        assert "2 Persian product name(s)" in s.notes
        names = con.execute(
            "SELECT code, name FROM hs_names WHERE lang='fa' ORDER BY code"
        ).fetchall()
    assert names == [("170400", "شیرینی"), ("180600", "شکلات")]
    sub = svc.compute(world_ws, level="hs4", years=[1995], region_mode="subnational")
    reg = sub.filter(pl.col("loc") == "region:East Azerbaijan")
    world = svc.compute(world_ws, level="hs4", years=[1995])
    # the world is untouched by a projected region
    joined = world.join(sub, on=["year", "loc", "prod"], suffix="_s")
    np.testing.assert_allclose(joined["eci"].to_numpy(), joined["eci_s"].to_numpy())
    assert not reg["in_sample"].any() and reg["eci"].null_count() == 0
    loc = svc.compute(world_ws, level="hs4", years=[1995], region_mode="location")
    assert loc.filter(pl.col("loc") == "region:East Azerbaijan")["in_sample"].all()
    assert loc["loc"].n_unique() == 11


def test_mirror_based_exporters_are_flagged_in_results(world_ws: Workspace, tmp_path: Path) -> None:
    # Iran reports nothing for 1995; Austria's imports from Iran make Iran's mirror exports
    head = "refYear,reporterCode,flowCode,partnerCode,cmdCode,primaryValue"
    rows = [f"1995,40,M,364,{h}00,{v}" for h, v in (("1704", 9e6), ("1806", 4e6), ("1905", 1e6))]
    f = tmp_path / "ct.csv"
    f.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    from exportplan.services.imports import comtrade

    with world_ws.warehouse() as con:
        comtrade.import_file(con, f)
    res = svc.compute(world_ws, level="hs4", years=[1995])
    basis = dict(res.group_by("loc").agg(pl.col("basis").first()).iter_rows())
    assert basis["IRN"] == "mirror" and basis["AUT"] == "reported"


def test_region_with_monthly_solar_hijri_files(world_ws: Workspace, tmp_path: Path) -> None:
    """Monthly files have no Gregorian month; the year of each month's 15th day is used."""
    f = tmp_path / "monthly.csv"
    f.write_text(
        "دوره,کد تعرفه,کشور مقصد,ارزش دلاری\n1374/05,170400,عراق,5000000\n"
        "1374/06,180600,ترکیه,9000000\n",
        encoding="utf-8",
    )
    with world_ws.warehouse() as con:
        customs.import_file(con, f, customs.CustomsOptions(region="East Azerbaijan"))
        assert con.execute("SELECT count(*) FROM region_flows WHERE g_year IS NULL").fetchall() == [
            (2,)
        ]
    sub = svc.compute(world_ws, level="hs4", years=[1995], region_mode="subnational")
    reg = sub.filter(pl.col("loc") == "region:East Azerbaijan")
    assert reg.height > 0 and reg["val"].sum() == 14_000_000


def test_proximity_on_the_workspace(world_ws: Workspace) -> None:
    t = svc.proximity(world_ws, level="hs4", year=1995)
    n = t["prod_1"].n_unique()
    assert t.height == n * n and n == 30
    self_pairs = t.filter(pl.col("prod_1") == pl.col("prod_2"))["proximity"]
    assert (self_pairs == 0).all()
    assert cast(float, t["proximity"].drop_nulls().max()) <= 1
