"""The world-scale batch on DuckDB (issue 21): the existing engine's numbers on the synthetic
world (complexity, and the potential's world aggregates against the warehouse's
``world_aggregates`` and ``potential.supply``), the exact tie rule at RCA = 1, the manifest,
and every bad input of the issue."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner, Result

from batch_data import exact_presence, sample_case, tie_world, without
from exportplan.analytics import potential
from exportplan.analytics.rca import balassa_rca
from exportplan.cli import app
from exportplan.errors import InputError
from exportplan.ingest.baci_files import parse_years, select
from exportplan.ingest.files import sha256_file
from exportplan.services import batch, batch_engines
from exportplan.services.batch_compare import compare
from exportplan.services.complexity import baci_file
from exportplan.services.complexity_report import ATLAS_MIN_EXPORTS
from exportplan.store.warehouse import writes
from exportplan.store.warehouse.world_window import world_aggregates
from exportplan.workspace import init

FLOATS = ("export_value", "rca", "eci", "pci", "density", "coi", "cog")


def inproc(*args: str) -> Result:
    """The command in this process (typer's runner): the domain error is the exception."""
    return CliRunner().invoke(app, list(args), catch_exceptions=True)


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "exportplan.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def reference(world: Path, year: int) -> pl.DataFrame:
    """The existing engine (`exportplan complexity --baci`) on that year's file."""
    path = next(world.glob(f"*_Y{year}.*"))
    return (
        baci_file(path)
        .rename({"hs6": "product", "value_usd": "export_value"})
        .with_columns(pl.col("year").cast(pl.Int32), pl.col("exporter").cast(pl.Int32))
    )


def test_batch_gives_the_existing_engines_numbers(batch_world: Path, duck_run: Path) -> None:
    got = batch.read_output(duck_run)
    assert got.columns == list(batch.COLUMNS)
    for year in (2019, 2020):
        ref = reference(batch_world, year)
        mine = got.filter(pl.col("year") == year)
        assert mine.height == ref.height > 0
        j = mine.join(ref, on=["year", "exporter", "product"], suffix="_r", how="full")
        assert j.height == ref.height  # the same rectangle, cell for cell
        assert (j["m"] == j["mcp"]).all()
        assert (j["diversity"] == j["diversity_r"]).all()
        assert (j["ubiquity"] == j["ubiquity_r"]).all()
        for c in FLOATS:
            a, b = j[c], j[f"{c}_r"]
            assert (a.is_null() == b.is_null()).all(), c
            both = a.is_not_null()
            diff = ((a - b).abs() - 1e-9 * b.abs().clip(lower_bound=1e-300)).filter(both)
            worst = diff.max()
            assert isinstance(worst, float) and worst <= 0.0, c
        sd = mine["eci"].drop_nulls().std()
        assert mine["m"].sum() > 0 and isinstance(sd, float) and sd > 0.5


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b)) + 1e-12


def test_potential_aggregates_give_the_existing_engines_figures(
    batch_world: Path, duck_run: Path, tmp_path: Path
) -> None:
    """2020 of the synthetic world in a workspace's warehouse: the existing engine's window
    aggregates over that one year (imports and their suppliers' concentration by market and
    product, world totals; a home country's trade) and its supply term equal the batch's."""
    got = batch.read_output(duck_run, batch.POTENTIAL)
    assert got.columns == list(batch.POTENTIAL_COLUMNS)
    mine = got.filter(pl.col("year") == 2020)
    raw = pl.read_parquet(batch_world / "SYNTHETIC_BACI_Y2020.parquet")
    flows = raw.select(
        pl.col("t").cast(pl.Int16).alias("year"),
        pl.col("i").cast(pl.String).alias("exporter"),
        pl.col("j").cast(pl.String).alias("importer"),
        pl.col("k").cast(pl.String).str.zfill(6).alias("hs6"),
        pl.lit("HS17").alias("hs_edition"),
        (pl.col("v") * 1000.0).alias("value_usd"),
        pl.lit(None, dtype=pl.Float64).alias("quantity"),
        pl.lit(None, dtype=pl.String).alias("quantity_unit"),
        pl.lit("reconciled").alias("reported_by"),
    )
    ws = init(tmp_path / "ws")
    # the biggest exporter as the home country; "0" (no such country): every market counts
    home = str(raw.group_by("i").agg(pl.col("v").sum()).sort("v")["i"][-1])
    with ws.warehouse() as con:
        with writes.import_transaction(con) as ds:
            writes.add_world_flows(con, ds, flows)
            writes.record_dataset(
                con,
                dataset_id=ds,
                kind="baci",
                file_name="SYNTHETIC_BACI_Y2020.parquet",
                sha="batch-potential-test",
                rows_read=flows.height,
                rows_accepted=flows.height,
                rows_rejected=0,
                source="SYNTHETIC test world",
                synthetic=True,
            )
        every = world_aggregates(con, digits=6, years=[2020], home="0")
        at_home = world_aggregates(con, digits=6, years=[2020], home=home)
    # imports by market and product, and the concentration of the market's suppliers
    ref = {
        (r[0], r[1]): r[2:]
        for r in every["imports"].select("prod", "market", "imports_usd", "hhi").iter_rows()
    }
    buying = mine.filter(pl.col("imports_usd") > 0)
    ours = {
        (p, str(c)): (v, h)
        for p, c, v, h in buying.select("product", "country", "imports_usd", "hhi").iter_rows()
    }
    assert set(ours) == set(ref) and len(ours) == buying.height > 100
    assert all(_close(ours[k][0], ref[k][0]) and _close(ours[k][1], ref[k][1]) for k in ref)
    assert mine.filter(pl.col("imports_usd") == 0)["hhi"].is_null().all()
    # suppliers: the exporters selling the product to the market, counted in the raw flows
    n = raw.filter(pl.col("v") > 0).group_by("j", "k").agg(pl.col("i").n_unique().alias("n"))
    want = {(str(k).zfill(6), int(j)): int(c) for j, k, c in n.iter_rows()}
    have = {(p, c): s for p, c, s in buying.select("product", "country", "suppliers").iter_rows()}
    assert have == want and max(want.values()) > 1
    # world totals by product
    wref = dict(every["world"].select("prod", "world_usd").iter_rows())
    wmine = dict(mine.select("product", "world_usd").unique().iter_rows())
    assert set(wmine) == set(wref) and all(_close(wmine[p], wref[p]) for p in wref)
    # the home country's exports and imports, and the supply term of the existing engine with
    # the country as its own region: share x min(1, exports / imports)
    w = at_home["world"]
    h = mine.filter(pl.col("country") == int(home))
    hx = dict(h.select("product", "exports_usd").iter_rows())
    hm = dict(h.select("product", "imports_usd").iter_rows())
    for p, x, m in w.select("prod", "country_exports_usd", "country_imports_usd").iter_rows():
        assert _close(hx.get(p, 0.0), x) and _close(hm.get(p, 0.0), m), p
    region = (
        flows.filter(pl.col("exporter") == home)
        .group_by("hs6", "importer")
        .agg(pl.col("value_usd").sum())
        .select(
            pl.col("hs6").alias("prod"),
            pl.col("importer").alias("market"),
            pl.col("value_usd").alias("actual_usd"),
        )
    )
    empty = pl.DataFrame()
    inp = potential.Inputs(
        imports=empty, world=w, region=region, country_to=empty, suppliers=None, distance=empty
    )
    sup = potential.supply(inp)
    hs = dict(h.select("product", "supply").iter_rows())
    hw = dict(h.select("product", "world_share").iter_rows())
    checked = 0
    for p, s_ref, share in sup.select("prod", "supply", "current_share").iter_rows():
        assert _close(hs.get(p, 0.0), s_ref) and _close(hw.get(p, 0.0), share), p
        checked += s_ref > 0
    assert checked > 10 and h.filter(pl.col("supply") < pl.col("world_share")).height > 0


def test_manifest_says_what_was_read_and_written(batch_world: Path, duck_run: Path) -> None:
    man = json.loads((duck_run / batch.MANIFEST).read_text())
    files = sorted(batch_world.iterdir())
    assert [i["sha256"] for i in man["inputs"]] == [sha256_file(f) for f in files]
    assert man["engine"]["name"] == "duckdb" and man["engine"]["versions"]["duckdb"]
    assert man["engine"]["settings"]["memory_limit"] == "1GB"
    assert man["tie_rule"] == batch.TIE_RULE and man["columns"] == list(batch.COLUMNS)
    for out in man["outputs"]:
        assert sha256_file(duck_run / out["path"]) == out["sha256"]
    csv = pacsv.read_csv(files[0]).to_pydict()
    par = pq.read_table(files[1]).to_pydict()
    for year, data in (("2019", csv), ("2020", par)):
        steps, sums = man["row_counts"][year], man["checksums"][year]
        assert steps["input_rows"] == len(data["v"])
        # the CSV and the Parquet both hold k as a number: codes under 100000 lost a zero
        assert steps["product_codes_padded"] == sum(1 for k in data["k"] if k < 100_000) > 0
        exact = sum((Decimal(str(v)).quantize(Decimal("0.001")) for v in data["v"]), Decimal(0))
        assert Decimal(sums["value_sum_kusd"]) == exact
        got = batch.read_output(duck_run).filter(pl.col("year") == int(year))
        assert sums["present_cells"] == got["m"].sum() == steps["present"]
        assert steps["output_rows"] == got.height == steps["exporters"] * steps["products"]
        # every flow is some market's import: the two exact sums agree to the last digit
        assert sums["imports_sum_kusd"] == sums["value_sum_kusd"]
        pot = batch.read_output(duck_run, batch.POTENTIAL).filter(pl.col("year") == int(year))
        assert steps["potential_rows"] == pot.height > steps["output_rows"] / 10
        assert steps["markets"] == pot.filter(pl.col("imports_usd") > 0)["country"].n_unique()
    assert {o["dataset"] for o in man["outputs"]} == {"complexity", batch.POTENTIAL}
    assert man["potential_columns"] == list(batch.POTENTIAL_COLUMNS)
    assert man["product_codes_padded"] == sum(
        s["product_codes_padded"] for s in man["row_counts"].values()
    )
    products = batch.read_output(duck_run)["product"]
    assert (products.str.len_chars() == 6).all() and products.str.starts_with("0").any()


def test_rca_exactly_one_is_present(tmp_path: Path) -> None:
    src = tie_world(tmp_path / "tie")
    x = pl.read_csv(next(src.iterdir()))["v"].to_numpy().reshape(3, 3) * 1000.0
    assert balassa_rca(x)[0, 0] < 1.0  # floating point misses this tie
    eng = batch_engines.duckdb_engine()
    try:
        man = batch.run(src, [2021], eng, tmp_path / "out")
    finally:
        eng.close()
    got = batch.read_output(tmp_path / "out").sort("exporter", "product")
    assert got.filter(pl.col("exporter") == 1)["m"].to_list() == [1, 1, 1]
    assert got["m"].to_list() == exact_presence()
    assert got.filter(pl.col("exporter") == 1)["rca"].to_list() == pytest.approx(
        [1, 1, 1], abs=1e-15
    )
    assert man["classification"] == "HS17" and man["baci_version"] == "V202401"


def test_years_and_editions(tmp_path: Path) -> None:
    assert parse_years("2019-2021,2023") == [2019, 2020, 2021, 2023]
    for bad in ("19-20", "2021-2019", ""):
        with pytest.raises(InputError):
            parse_years(bad)
    tie_world(tmp_path / "mixed", "BACI_HS17_Y2021_V202401.csv")
    tie_world(tmp_path / "mixed", "BACI_HS22_Y2021_V202401.csv")
    with pytest.raises(InputError, match=r"several HS editions \(HS17, HS22\)"):
        select(tmp_path / "mixed", [2021])
    sel = select(tmp_path / "mixed", [2021], "hs22")
    assert [f.path.name for f in sel.files] == ["BACI_HS22_Y2021_V202401.csv"]
    assert sel.skipped == [
        (str(tmp_path / "mixed" / "BACI_HS17_Y2021_V202401.csv"), "edition HS17, not HS22")
    ]
    with pytest.raises(InputError, match="no BACI file for year"):
        select(tmp_path / "mixed", [2020, 2021], "HS17")
    # a CSV beside its Parquet twin is read once
    twin = tmp_path / "twin"
    tie_world(twin, "BACI_HS17_Y2021_V202401.csv")
    pq.write_table(
        pacsv.read_csv(twin / "BACI_HS17_Y2021_V202401.csv"),
        twin / "BACI_HS17_Y2021_V202401.parquet",
    )
    assert [f.kind for f in select(twin, [2021]).files] == ["parquet"]


def test_bad_inputs_on_the_command_line(tmp_path: Path, duck_run: Path) -> None:
    src = tie_world(tmp_path / "tie")
    out = tmp_path / "out"
    (out / "notes").mkdir(parents=True)
    base = ("complexity", "batch", "--source", str(src), "--years", "2021", "--out")
    r = inproc(*base, str(out))
    assert isinstance(r.exception, InputError) and "not empty" in r.exception.message
    assert "--overwrite" in r.exception.hint
    r = inproc(*base, str(out), "--overwrite")
    assert isinstance(r.exception, InputError)
    assert "not the output of an earlier batch" in r.exception.message
    assert (out / "notes").is_dir()  # nothing lost
    good = tmp_path / "good"
    r = inproc(*base, str(good))
    assert r.exit_code == 0 and "1 year(s), 9 rows" in r.output, r.output
    first = json.loads((good / batch.MANIFEST).read_text())["created_at"]
    r = inproc(*base, str(good), "--overwrite")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in good.iterdir()) == [
        "manifest.json",
        "potential_aggregates",
        "year=2021",
    ]
    assert [p.name for p in (good / batch.POTENTIAL).iterdir()] == ["year=2021"]
    assert json.loads((good / batch.MANIFEST).read_text())["created_at"] >= first
    # negative values are refused, nothing written
    neg = tmp_path / "neg"
    neg.mkdir()
    (neg / "BACI_HS17_Y2021_V1.csv").write_text(
        "t,i,j,k,v,q\n2021,1,2,10110,-1.5,1\n2021,2,1,10110,3,1\n"
    )
    r = inproc(
        "complexity", "batch", "--source", str(neg), "--years", "2021", "--out", str(tmp_path / "n")
    )
    assert isinstance(r.exception, InputError) and "1 row(s)" in r.exception.message
    assert "negative value" in r.exception.message
    assert not (tmp_path / "n" / batch.MANIFEST).exists()
    # a text where a number belongs: the engine's refusal, as a domain error
    (neg / "BACI_HS17_Y2021_V1.csv").write_text("t,i,j,k,v,q\n2021,x,2,10110,1.5,1\n")
    r = inproc(
        "complexity", "batch", "--source", str(neg), "--years", "2021", "--out", str(tmp_path / "n")
    )
    assert isinstance(r.exception, InputError) and "could not read" in r.exception.message
    # Spark without Java, through the real entry point: the clear message, no traceback
    r2 = cli(
        *base,
        str(tmp_path / "s"),
        "--engine",
        "spark",
        env={"JAVA_HOME": str(tmp_path / "no-java")},
    )
    assert r2.returncode == 2 and "Spark needs Java 17 or 21; found none" in r2.stderr
    assert "openjdk-17-jre-headless" in r2.stderr and "Traceback" not in r2.stderr


def test_compare_fails_with_a_diff_file(tmp_path: Path, duck_run: Path) -> None:
    r = inproc("complexity", "compare", str(duck_run), str(duck_run))
    assert r.exit_code == 0 and "equal" in r.output
    other = tmp_path / "other"
    other.mkdir()
    (other / batch.MANIFEST).write_bytes((duck_run / batch.MANIFEST).read_bytes())
    for part in duck_run.glob(f"{batch.POTENTIAL}/year=*/*.parquet"):
        t = pl.read_parquet(part)
        if part.parent.name == "year=2019":
            row = pl.int_range(pl.len())
            t = t.with_columns(
                pl.when(row == 3).then(pl.col("suppliers") + 1).otherwise(pl.col("suppliers")),
            )
        (other / batch.POTENTIAL / part.parent.name).mkdir(parents=True)
        t.write_parquet(other / batch.POTENTIAL / part.parent.name / part.name)
    for part in duck_run.glob("year=*/*.parquet"):
        t = pl.read_parquet(part)
        if part.parent.name == "year=2020":
            row = pl.int_range(pl.len())
            t = t.with_columns(
                pl.when(row == 5).then(pl.col("eci") * (1 + 1e-6)).otherwise(pl.col("eci")),
                pl.when(row == 7)
                .then(1 - pl.col("m"))
                .otherwise(pl.col("m"))
                .cast(pl.Int8)
                .alias("m"),
            )
            t = t.slice(0, t.height - 1)  # one cell missing
        (other / part.parent.name).mkdir()
        t.write_parquet(other / part.parent.name / part.name)
    diff = tmp_path / "diff.parquet"
    r = inproc("complexity", "compare", str(duck_run), str(other), "--diff", str(diff))
    assert r.exit_code == 1, r.output
    assert "1 differ" in r.output
    d = pl.read_parquet(diff)
    assert d.columns == [
        "dataset",
        "year",
        "country",
        "product",
        "column",
        "value_a",
        "value_b",
        "reason",
    ]
    assert sorted(d["reason"].to_list()) == ["differs", "differs", "differs", "only in A"]
    assert sorted(zip(d["dataset"], d["column"], strict=True)) == [
        ("complexity", "eci"),
        ("complexity", "m"),
        ("complexity", "row"),
        (batch.POTENTIAL, "suppliers"),
    ]
    sup = d.filter(pl.col("column") == "suppliers").row(0, named=True)
    assert sup["year"] == 2019 and sup["value_b"] == sup["value_a"] + 1
    # within a looser tolerance the ECI change passes, the counts' changes never do
    res = compare(duck_run, other, rtol=1e-5, diff=tmp_path / "d2.parquet")
    assert not res.equal
    assert [c.column for c in res.columns if c.mismatches] == ["m", "suppliers"]
    r = inproc("complexity", "compare", str(duck_run), str(tmp_path))
    assert isinstance(r.exception, InputError) and "no manifest.json" in r.exception.message


def test_java_checks(tmp_path: Path) -> None:
    home = tmp_path / "jdk11"
    (home / "bin").mkdir(parents=True)
    java = home / "bin" / "java"
    java.write_text("#!/bin/sh\necho 'openjdk version \"11.0.21\" 2023-10-17' >&2\n")
    java.chmod(0o755)
    old = os.environ.get("JAVA_HOME")
    os.environ["JAVA_HOME"] = str(home)
    try:
        assert batch_engines.java_version() == (11, str(java))
        with pytest.raises(
            batch_engines.EngineError, match="Spark needs Java 17 or 21; found Java 11"
        ):
            batch_engines.require_java()
        java.write_text("#!/bin/sh\necho 'java version \"1.8.0_392\"' >&2\n")
        assert batch_engines.java_version()[0] == 8
        os.environ["JAVA_HOME"] = str(tmp_path / "none")
        with pytest.raises(batch_engines.EngineError, match="found none"):
            batch_engines.require_java()
    finally:
        if old is None:
            os.environ.pop("JAVA_HOME", None)
        else:
            os.environ["JAVA_HOME"] = old
    cfg = tmp_path / "spark.yaml"
    cfg.write_text("spark.sql.shuffle.partitions: 8\nspark.sql.adaptive.enabled: false\n")
    conf = batch_engines.spark_conf("local[2]", cfg)
    assert conf["spark.sql.shuffle.partitions"] == "8" and conf["spark.ui.enabled"] == "false"
    assert conf["spark.sql.adaptive.enabled"] == "false"
    assert batch_engines.spark_conf("spark://h:7077", None) == {}
    cfg.write_text("- a list\n")
    with pytest.raises(InputError, match="key: value"):
        batch_engines.spark_conf("local[2]", cfg)


def test_table_schema_of_the_output(duck_run: Path) -> None:
    part = next(duck_run.glob("year=2020/*.parquet"))
    schema = pq.read_schema(part)
    assert schema.field("m").type == pa.int8() and schema.field("exporter").type == pa.int32()
    assert pa.types.is_large_string(schema.field("product").type)
    assert "year" not in schema.names  # in the folder name: year=2020


def test_sample_filter_leaves_out_before_rca(batch_world: Path, tmp_path: Path) -> None:
    """--sample-filter: the five smallest exporters (a year's exports), two with a population at
    most the threshold and the ten smallest products (trade among those left) are out before
    RCA: the output is the batch of a world without them, cell for cell; an exporter with no
    population stays; the potential's world aggregates are the whole world's."""
    opts, left, pop_csv = sample_case(batch_world, 2020, tmp_path)
    out = tmp_path / "filtered"
    args = ["--min-exports", repr(opts["min_exports"]), "--min-population"]
    args += [repr(opts["min_population"]), "--population", str(pop_csv)]
    args += ["--min-world-trade", repr(opts["min_world_trade"])]
    base = ["complexity", "batch", "--source", str(batch_world), "--years", "2020"]
    r = inproc(*base, "--out", str(tmp_path / "off"), *args)
    assert isinstance(r.exception, InputError) and "--sample-filter" in r.exception.hint
    r = inproc(*base, "--out", str(out), "--sample-filter", *args)
    assert r.exit_code == 0, r.output
    got = batch.read_output(out).sort("exporter", "product")
    assert set(got["exporter"].unique().to_list()) == left
    expected_src = without(batch_world, 2020, left, opts, tmp_path / "cut")
    eng = batch_engines.duckdb_engine()
    try:
        batch.run(expected_src, [2020], eng, tmp_path / "expected")
        default = batch.run(batch_world, [2020], eng, tmp_path / "atlas", sample=batch.Sample())
    finally:
        eng.close()
    want = batch.read_output(tmp_path / "expected").sort("exporter", "product")
    assert got.height == want.height and got.equals(want)
    man = json.loads((out / batch.MANIFEST).read_text())
    sample = man["filters"]["sample"]
    assert sample["min_exports_usd"] == opts["min_exports"]
    assert sample["min_population"] == opts["min_population"]
    assert sample["min_world_trade_usd"] == opts["min_world_trade"]
    assert sample["population_rows"] == len(pop_csv.read_text().splitlines()) - 1
    pot = batch.read_output(out, batch.POTENTIAL)
    whole = batch.read_output(tmp_path / "atlas", batch.POTENTIAL)
    exact = ["country", "product", "exports_usd", "imports_usd", "world_usd", "suppliers"]
    assert pot.height == whole.height > 0
    assert pot.select(exact).equals(whole.select(exact))  # the world's aggregates, unfiltered
    # the workspace command's thresholds by default: USD 1 billion a year (no population
    # table: no population part); here it takes out the exporters below it
    assert default["filters"]["sample"]["min_exports_usd"] == ATLAS_MIN_EXPORTS == 1e9
    assert default["filters"]["sample"]["min_population"] is None
    raw = pl.read_parquet(batch_world / "SYNTHETIC_BACI_Y2020.parquet")
    totals = raw.group_by("i").agg(pl.col("v").sum() * 1000.0)
    big = set(totals.filter(pl.col("v") >= ATLAS_MIN_EXPORTS)["i"].to_list())
    assert 0 < totals.height - len(big) < 5
    atlas = batch.read_output(tmp_path / "atlas")
    assert set(atlas["exporter"].unique().to_list()) == big
