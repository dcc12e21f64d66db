"""The world-scale batch on Spark (issue 21): the synthetic world and the world built to sit
exactly at RCA = 1 give DuckDB's numbers column for column, in both datasets (complexity and
the potential's aggregates), and the exact tie rule holds on Spark too. One shared session
(`spark_session` in conftest: local[2], UI off, 2 shuffle partitions, 127.0.0.1) and one batch
run: three Spark jobs (checks, cells, potential's aggregates), each collected once."""

from __future__ import annotations

import gc
import json
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from batch_data import exact_presence, sample_case, tie_world
from exportplan.services import batch, batch_engines
from exportplan.services.batch_compare import compare

# py4j leaves pooled sockets to the JVM for the garbage collector; the test collects them
# itself (gc.collect below), under this filter, so no later test sees their ResourceWarning
pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def test_spark_gives_duckdbs_numbers(batch_world: Path, spark_session: Any, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(batch_world, src)  # 2019 as CSV (codes that lost their zeros), 2020 Parquet
    tie_world(src)  # 2021: exporter 1's shares are exactly the world's
    years = [2019, 2020, 2021]
    duck = batch_engines.duckdb_engine("1GB")
    try:
        duck_man = batch.run(src, years, duck, tmp_path / "duckdb")
    finally:
        duck.close()
    eng = batch_engines.spark_engine(session=spark_session)
    man = batch.run(src, years, eng, tmp_path / "spark")
    eng.close()  # the shared session stays up
    res = compare(tmp_path / "duckdb", tmp_path / "spark", rtol=1e-9, diff=tmp_path / "d.parquet")
    assert res.equal, res
    assert res.rows_a == res.rows_b > 0 and res.potential_rows[0] == res.potential_rows[1] > 0
    assert not (tmp_path / "d.parquet").exists()
    key = ["year", "exporter", "product"]
    spark_out = batch.read_output(tmp_path / "spark").sort(key)
    duck_out = batch.read_output(tmp_path / "duckdb").sort(key)
    assert spark_out["m"].to_list() == duck_out["m"].to_list()  # identical M
    pkey = ["year", "country", "product"]
    sp = batch.read_output(tmp_path / "spark", batch.POTENTIAL).sort(pkey)
    dp = batch.read_output(tmp_path / "duckdb", batch.POTENTIAL).sort(pkey)
    assert sp["suppliers"].to_list() == dp["suppliers"].to_list()
    assert man["checksums"] == duck_man["checksums"]  # exact sums: the same digits
    assert man["row_counts"] == duck_man["row_counts"]
    assert man["row_counts"]["2019"]["product_codes_padded"] > 0
    # the tie at RCA = 1: present on Spark, as exact arithmetic says
    tie = spark_out.filter(pl.col("year") == 2021).sort("exporter", "product")
    assert tie["m"].to_list() == exact_presence()
    assert tie.filter(pl.col("exporter") == 1)["m"].sum() == 3
    assert man["engine"]["versions"]["java"] in ("17", "21")
    settings = man["engine"]["settings"]
    assert settings["spark.ui.enabled"] == "false"
    assert settings["spark.driver.bindAddress"] == "127.0.0.1"
    assert settings["spark.sql.shuffle.partitions"] == "2"
    assert settings["spark.sql.adaptive.enabled"] == "false"  # the tests' session (conftest)
    assert "-XX:TieredStopAtLevel=1" in settings["spark.driver.extraJavaOptions"]
    assert (
        json.loads((tmp_path / "spark" / batch.MANIFEST).read_text())["engine"]["name"] == "spark"
    )
    gc.collect()


def test_sample_filter_equal_on_spark(
    batch_world: Path, spark_session: Any, tmp_path: Path
) -> None:
    """The sample filter (exports, population with one exporter unknown, products' trade) on
    one year leaves the same cells with the same numbers on both engines."""
    opts, left, pop_csv = sample_case(batch_world, 2020, tmp_path)
    sample = batch.Sample(
        min_exports=opts["min_exports"],
        min_population=opts["min_population"],
        population=batch.population_table(pl.read_csv(pop_csv)),
        min_world_trade=opts["min_world_trade"],
    )
    duck = batch_engines.duckdb_engine("1GB")
    try:
        batch.run(batch_world, [2020], duck, tmp_path / "duckdb", sample=sample)
    finally:
        duck.close()
    eng = batch_engines.spark_engine(session=spark_session)
    man = batch.run(batch_world, [2020], eng, tmp_path / "spark", sample=sample)
    eng.close()
    res = compare(tmp_path / "duckdb", tmp_path / "spark", rtol=1e-9, diff=tmp_path / "d.parquet")
    assert res.equal and res.rows_a == res.rows_b > 0, res
    got = batch.read_output(tmp_path / "spark")
    assert set(got["exporter"].unique().to_list()) == left
    assert man["filters"]["sample"]["min_world_trade_usd"] == opts["min_world_trade"]
    gc.collect()
