"""The world-scale batch on Spark (issue 21): the synthetic world gives DuckDB's numbers
column for column, and the exact tie rule holds on Spark too. One shared session
(`spark_session` in conftest: local[2], UI off, 127.0.0.1)."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from batch_data import exact_presence, tie_world
from exportplan.services import batch, batch_engines
from exportplan.services.batch_compare import compare

# py4j leaves pooled sockets to the JVM for the garbage collector; each test collects them
# itself (gc.collect below), under this filter, so no later test sees their ResourceWarning
pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def test_spark_gives_duckdbs_numbers(
    batch_world: Path, duck_run: Path, spark_session: Any, tmp_path: Path
) -> None:
    eng = batch_engines.spark_engine(session=spark_session)
    man = batch.run(batch_world, [2019, 2020], eng, tmp_path / "spark")
    eng.close()  # the shared session stays up
    res = compare(duck_run, tmp_path / "spark", rtol=1e-9, diff=tmp_path / "diff.parquet")
    assert res.equal, res
    assert res.rows_a == res.rows_b > 0
    spark_m = batch.read_output(tmp_path / "spark")
    duck_m = batch.read_output(duck_run)
    key = ["year", "exporter", "product"]
    assert spark_m.sort(key)["m"].to_list() == duck_m.sort(key)["m"].to_list()  # identical M
    duck_man = json.loads((duck_run / batch.MANIFEST).read_text())
    assert man["checksums"] == duck_man["checksums"]  # exact sums: the same digits
    assert man["row_counts"] == duck_man["row_counts"]
    assert man["engine"]["versions"]["java"] in ("17", "21")
    assert man["engine"]["settings"]["spark.ui.enabled"] == "false"
    assert man["engine"]["settings"]["spark.driver.bindAddress"] == "127.0.0.1"
    gc.collect()


def test_rca_exactly_one_on_spark(spark_session: Any, tmp_path: Path) -> None:
    src = tie_world(tmp_path / "tie")
    eng = batch_engines.spark_engine(session=spark_session)
    batch.run(src, [2021], eng, tmp_path / "out")
    got = batch.read_output(tmp_path / "out").sort("exporter", "product")
    assert got["m"].to_list() == exact_presence()
    assert got.filter(pl.col("exporter") == 1)["m"].sum() == 3
    gc.collect()
