"""`exportplan complexity` on a workspace: the Atlas sample filter by default (and what it
removed), the products behind each ECI, the warnings where a number is fragile."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from exportplan.errors import InputError
from exportplan.services import complexity as svc
from exportplan.services import complexity_report as rep
from exportplan.services.imports import baci, customs
from exportplan.workspace import Workspace

SAMPLE = Path(__file__).parent / "data" / "trade_data_sample.csv"
CODES = {"aut": 40, "blx": 56, "che": 757, "deu": 276, "dnk": 208, "esp": 724, "gbr": 826,
         "ita": 380, "pol": 616, "svn": 705}  # fmt: skip


def _baci_file(tmp: Path, year: int) -> Path:
    df = pl.read_csv(SAMPLE, schema_overrides={"hs92": pl.String}).filter(pl.col("year") == year)
    lines = ["t,i,j,k,v,q"]
    for o, h, v in df.select("origin", "hs92", "export_val").iter_rows():
        lines.append(f"{year},{CODES[o]},156,{h}00,{v / 1000:.3f},1")
    p = tmp / f"BACI_Y{year}.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


@pytest.fixture
def world_ws(ws: Workspace, tmp_path: Path) -> Workspace:
    """The ten conformance countries in 1995; Slovenia exports USD 0.69 bn, the rest > 1.8 bn."""
    with ws.warehouse() as con:
        baci.import_file(con, _baci_file(tmp_path, 1995))
    return ws


def _region(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text(
        "تاریخ,کد تعرفه,کشور مقصد,ارزش دلاری\n"
        "1374/05/01,170400,عراق,5000000\n1374/06/01,180600,ترکیه,9000000\n",
        encoding="utf-8",
    )
    with ws.warehouse() as con:
        customs.import_file(con, f, customs.CustomsOptions(region="East Azerbaijan"))


def test_the_atlas_filter_is_the_default_and_says_what_it_removed(world_ws: Workspace) -> None:
    r = rep.report(world_ws, level="hs4", years=[1995])
    assert r.sample.applied and r.sample.removed == ["SVN"] and r.sample.window == [1995]
    assert r.sample.min_exports == 1e9 and not r.sample.population_applied
    svn = r.frame.filter(pl.col("loc") == "SVN")
    assert not svn["in_sample"].any() and svn["eci"].null_count() == 0  # projected, not dropped
    assert r.frame.filter(pl.col("in_sample"))["loc"].n_unique() == 9
    # the nine-country sample is what the pipeline gives with Slovenia projected
    direct = svc.compute(
        world_ws, level="hs4", years=[1995], out_of_sample=frozenset({"SVN"}), use_cache=False
    )
    assert r.frame.drop("n_products").equals(direct)
    assert "population: not applied" in r.sample.description
    assert "removed from the sample and projected on it: 1 location(s): SVN" in (
        r.notes[0].message()
    )
    codes = [w.code for w in r.warnings]
    assert codes[0] == "population-filter-not-applied"
    d = r.diagnostics[0]
    assert d.n_locations == 9 and d.year == 1995
    assert r.sample.to_dict()["removed_count"] == 1


def test_without_the_filter_the_table_is_the_plain_computation(world_ws: Workspace) -> None:
    r = rep.report(world_ws, level="hs4", years=[1995], sample=False)
    plain = svc.compute(world_ws, level="hs4", years=[1995])
    assert r.frame.drop("n_products").equals(plain)
    assert not r.sample.applied and r.sample.removed == [] and r.sample.window == [1995]
    assert "population-filter-not-applied" not in [w.code for w in r.warnings]
    # ten European countries against each other: PCI does not fall with ubiquity (see
    # tests/test_fragility.py); BACI's rounding to kUSD keeps the figure
    inv = [w for w in r.warnings if w.code == "inverted-pci"]
    assert len(inv) == 1 and inv[0].figures["corr_pci_ubiquity"] == pytest.approx(0.0351, abs=1e-4)
    with pytest.raises(InputError, match="turned off"):
        rep.report(world_ws, level="hs4", years=[1995], sample=False, min_exports=1e6)


def test_thresholds_and_a_population_table_change_the_sample(world_ws: Workspace) -> None:
    r = rep.report(world_ws, level="hs4", years=[1995], min_exports=3e9)
    assert r.sample.removed == ["AUT", "CHE", "POL", "SVN"]
    pop = pl.DataFrame({"loc": ["AUT", "DNK", "SVN", "DEU"], "pop": [8.0e6, 1.0e6, 2.0e6, 8e7]})
    r = rep.report(world_ws, level="hs4", years=[1995], population=pop)
    assert r.sample.population_applied
    assert r.sample.removed == ["DNK", "SVN"]  # DNK by population (made-up), SVN by exports
    assert "BEL" in r.sample.kept_unknown_population
    assert "population > 1,200,000" in r.sample.description
    assert "population-filter-not-applied" not in [w.code for w in r.warnings]
    with pytest.raises(InputError, match="leaves 1 location"):
        rep.report(world_ws, level="hs4", years=[1995], min_exports=1.5e10)


def test_a_projected_region_on_few_products_is_flagged(world_ws: Workspace, tmp_path: Path) -> None:
    _region(world_ws, tmp_path)
    r = rep.report(world_ws, level="hs4", years=[1995], region_mode="subnational")
    reg = r.frame.filter(pl.col("loc") == "region:East Azerbaijan")
    assert reg["n_products"].unique().to_list() == [2]
    assert reg["n_products"][0] == reg["diversity"][0]  # every product of it has a PCI
    few = [w for w in r.warnings if w.code == "few-products"]
    region_warn = [w for w in few if w.figures["loc"] == "region:East Azerbaijan"]
    assert len(region_warn) == 1
    f = region_warn[0].figures
    assert f["n_products"] == 2 and f["minimum"] == 10
    assert f["eci"] == pytest.approx(float(reg["eci"][0]), abs=1e-4)
    # the minimum is a setting, and an argument
    r3 = rep.report(world_ws, level="hs4", years=[1995], region_mode="subnational", min_products=2)
    assert not [w for w in r3.warnings if w.code.startswith("few-products")]
    os.environ["EXPORTPLAN_COMPLEXITY_MIN_PRODUCTS"] = "2"
    try:
        r4 = rep.report(world_ws, level="hs4", years=[1995], region_mode="subnational")
    finally:
        del os.environ["EXPORTPLAN_COMPLEXITY_MIN_PRODUCTS"]
    assert r4.min_products == 2 and not [w for w in r4.warnings if w.code == "few-products"]
    # the world's numbers are untouched by the region and by the count
    world = rep.report(world_ws, level="hs4", years=[1995])
    j = world.frame.join(r.frame, on=["year", "loc", "prod"], suffix="_s")
    np.testing.assert_allclose(j["eci"].to_numpy(), j["eci_s"].to_numpy())


def _cli(*args: str, ws: Workspace) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "exportplan.cli", "complexity", *args, "-w", str(ws.path)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_command_prints_the_filter_and_the_warnings(
    world_ws: Workspace, tmp_path: Path
) -> None:
    _region(world_ws, tmp_path)
    out = tmp_path / "out.csv"
    r = _cli("--level", "hs4", "--region-mode", "subnational", "-o", str(out), ws=world_ws)
    assert r.returncode == 0, r.stderr
    df = pl.read_csv(out, schema_overrides={"prod": pl.String})
    assert df.columns[-1] == "n_products" and "eci" in df.columns and "basis" in df.columns
    assert "removed from the sample and projected on it: 1 location(s): SVN" in r.stderr
    assert "warning [population-filter-not-applied]" in r.stderr
    assert "warning [few-products]: 1995: the ECI of region:East Azerbaijan" in r.stderr
    r = _cli("--level", "hs4", "--no-sample-filter", "--json", "--lang", "fa", ws=world_ws)
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    assert set(rec) == {"rows", "sample", "notes", "diagnostics", "warnings"}
    (diag,) = rec["diagnostics"]
    assert diag["year"] == 1995 and diag["n_locations"] == 10
    assert diag["corr_pci_ubiquity"] == pytest.approx(0.0351, abs=1e-4)
    assert 0 < diag["relative_gap"] < 1
    assert rec["sample"]["applied"] is False and rec["sample"]["removed"] == []
    assert len(rec["rows"]) == 300 and "n_products" in rec["rows"][0]
    codes = [w["code"] for w in rec["warnings"]]
    assert codes == ["inverted-pci", "few-products-locations"]
    few = rec["warnings"][1]["figures"]
    assert few["minimum"] == 10 and few["count"] == len(few["locations"]) > 0
    diversity = {row["loc"]: row["diversity"] for row in rec["rows"]}
    assert all(diversity[loc] < 10 for loc in few["locations"])
    assert sum(d < 10 for d in diversity.values()) == few["count"]
    assert rec["warnings"][0]["message_fa"].startswith("۱۹۹۵:")
    assert rec["warnings"][0]["figures"]["n_locations"] == 10
    r = _cli("--level", "hs4", "--no-sample-filter", "--min-exports", "5", ws=world_ws)
    assert r.returncode == 2 and "turned off" in r.stderr
