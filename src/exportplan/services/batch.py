"""The world-scale complexity batch: BACI files of many years through the relational steps on
DuckDB or Spark (ibis), the per-year numpy steps on the driver, Parquet out (one dataset,
partitioned by year) and a checksummed run manifest.

Per year the engine reads that year's files, sums them exactly and decides presence
(:mod:`exportplan.analytics.batch_relational`); the driver collects the year's cells (about a
million at BACI size), builds the dense exporter x product matrix and runs the same code as
``exportplan complexity --baci`` (:func:`exportplan.analytics.ecomplexity.complexity_matrix`),
given the engine's presence. Outputs are written under a hidden folder and moved into place
with the manifest last, so a run that fails leaves no dataset that looks whole.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from exportplan.analytics import batch_relational as br
from exportplan.analytics.ecomplexity import Options, complexity_matrix
from exportplan.errors import InputError
from exportplan.ingest.baci_files import Selection, select
from exportplan.ingest.files import sha256_file
from exportplan.services.batch_engines import Engine

MANIFEST = "manifest.json"
FORMAT = "exportplan complexity batch v1"
COLUMNS = (
    "year",
    "exporter",
    "product",
    "export_value",
    "rca",
    "m",
    "diversity",
    "ubiquity",
    "eci",
    "pci",
    "density",
    "coi",
    "cog",
)
#: exporters whose ECI the manifest records each year (BACI codes: USA, DEU, CHN, JPN, IRN)
REFERENCE_EXPORTERS = (842, 276, 156, 392, 364)
TIE_RULE = (
    "presence M = 1 iff x_cp * X >= X_c * X_p in exact decimal arithmetic "
    "(RCA >= 1 with no rounding; RCA exactly 1 is present)"
)
FILTERS = {
    "cells": "exporter x product cells with exports (x > 0) only",
    "sample": "every exporter and product with exports (no size or population filter)",
    "presence": "rca",
    "rca_threshold": 1.0,
    "mirror": "none: BACI rows are reconciled by CEPII, each counted once",
}


def check_output(out: Path, overwrite: bool) -> None:
    """Refuse a non-empty output folder unless ``overwrite`` (then only an earlier run's)."""
    if not out.exists() or not any(out.iterdir()):
        return
    if not overwrite:
        raise InputError(
            f"{out}: the output folder is not empty",
            hint="give an empty or new folder, or --overwrite to replace an earlier run there",
        )
    if not (out / MANIFEST).exists():
        raise InputError(
            f"{out}: not empty and not the output of an earlier batch (no {MANIFEST}); "
            "--overwrite only replaces a batch's own output",
            hint="give an empty or new folder",
        )


def _clear(out: Path) -> None:
    for child in out.iterdir():
        if child.name == MANIFEST or re.fullmatch(r"year=\d{4}", child.name):
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()


def _checks(table: Any) -> Any:
    """One pass over the input, by year: rows, unusable rows, codes that lost their zeros."""
    bad = table.t.isnull() | table.i.isnull() | table.k.isnull() | table.v.isnull() | (table.v < 0)
    return table.group_by("t").aggregate(
        rows=table.count(), bad=bad.cast("int64").sum(), padded=br.lost_zeros(table)
    )


def _counts(engine: Engine, table: Any, files: list[Any]) -> dict[int, tuple[int, int]]:
    """Rows and padded codes per year; a year with unusable rows is refused."""
    found: dict[int, tuple[int, int]] = {}
    for row in engine.con.execute(_checks(table)).itertuples(index=False):
        year, rows, bad, padded = int(row.t), int(row.rows), int(row.bad or 0), int(row.padded or 0)
        if bad:
            names = ", ".join(f.path.name for f in files if f.year == year)
            raise InputError(
                f"{year}: {bad} row(s) with a missing exporter, product or value, or a negative "
                f"value, in {names}",
                hint="import the file into a workspace (exportplan import baci) to see each row",
            )
        found[year] = (rows, padded)
    return found


def _engine_error(engine: Engine, files: list[Any], exc: Exception) -> InputError:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    names = ", ".join(f.path.name for f in files)
    return InputError(f"the {engine.name} engine could not read {names}: {first}")


def _steps(cells: pa.Table, rows: int, padded: int) -> dict[str, Any]:
    return {
        "input_rows": rows,
        "product_codes_padded": padded,
        "cells": cells.num_rows,
        "present": int(cells.column("m").to_numpy().sum()),
        "exporters": len(pc.unique(cells.column("exporter"))),
        "products": len(pc.unique(cells.column("product"))),
    }


def cells_by_year(
    engine: Engine, selection: Selection, years: list[int]
) -> Iterator[tuple[int, pa.Table, dict[str, Any]]]:
    """The engine's part: per year, the cells with exports, their presence and the counts.

    DuckDB goes year by year (one year's files scanned at a time, memory bounded); Spark runs
    one job over all the years (its planning and scheduling cost is per job), keeps the cells
    cached on the executors and hands them to the driver a year at a time."""
    if engine.name == "spark":
        files = selection.files
        try:
            table = engine.read(files)
            table = table.filter(table.t.isin(years))
            counts = _counts(engine, table, files)
            cells_all = br.presence(br.totals(table)).cache()
        except InputError:
            raise
        except Exception as exc:  # the engine's refusal of a value (text in a number column)
            raise _engine_error(engine, files, exc) from exc
        try:
            for year in years:
                cells = cells_all.filter(cells_all.year == year).to_pyarrow()
                yield year, cells, _steps(cells, *counts.get(year, (0, 0)))
        finally:
            cells_all.release()
        return
    for year in years:
        files = selection.of_year(year)
        try:
            table = engine.read(files)
            table = table.filter(table.t == year)
            rows, padded = _counts(engine, table, files).get(year, (0, 0))
            cells = br.presence(br.totals(table)).to_pyarrow()  # DuckDB materialises the CTE
        except InputError:
            raise
        except Exception as exc:
            raise _engine_error(engine, files, exc) from exc
        yield year, cells, _steps(cells, rows, padded)


def _numeric(cells: pa.Table, year: int) -> tuple[pl.DataFrame, str]:
    """The driver's part of one year: dense matrices, then the existing engine's computation."""
    ex = cells.column("exporter").to_numpy()
    pr = np.asarray(cells.column("product").to_pylist(), dtype=object)
    locs, li = np.unique(ex, return_inverse=True)
    prods, pj = np.unique(pr.astype(str), return_inverse=True)
    shape = (locs.size, prods.size)
    x_k = pc.cast(cells.column("x"), pa.float64()).to_numpy()
    x = np.zeros(shape)
    x[li, pj] = x_k * 1000.0  # thousand USD to USD, as the existing engine
    pres = np.zeros(shape, dtype=bool)
    pres[li, pj] = cells.column("m").to_numpy() == 1
    rca = np.zeros(shape)
    rca[li, pj] = cells.column("rca").to_numpy()
    res = complexity_matrix(
        x,
        [int(c) for c in locs],
        [str(p) for p in prods],
        time_value=year,
        names=("year", "exporter", "product", "export_value"),
        options=Options(),
        presence=pres,
    )
    div = np.zeros(shape, dtype=np.int64)
    div[li, pj] = cells.column("diversity").to_numpy()
    ubi = np.zeros(shape, dtype=np.int64)
    ubi[li, pj] = cells.column("ubiquity").to_numpy()
    got_div = res.get_column("diversity").to_numpy().reshape(shape)
    got_ubi = res.get_column("ubiquity").to_numpy().reshape(shape)
    rows_with = pres.any(axis=1)
    cols_with = pres.any(axis=0)
    if not (
        np.array_equal(div.max(axis=1)[rows_with], got_div[rows_with, 0])
        and np.array_equal(ubi.max(axis=0)[cols_with], got_ubi[0, cols_with])
    ):
        raise RuntimeError(f"{year}: the engine's diversity or ubiquity differs from the driver's")
    out = res.with_columns(
        pl.Series("rca", rca.ravel()),
        pl.col("year").cast(pl.Int32),
        pl.col("exporter").cast(pl.Int32),
        pl.col("mcp").alias("m"),
    ).select(COLUMNS)
    eci = (
        out.filter(pl.col("exporter").is_in(REFERENCE_EXPORTERS))
        .group_by("exporter")
        .agg(pl.col("eci").first())
    )
    return out, json.dumps(dict(sorted(eci.iter_rows())))


def write_year(frame: pl.DataFrame, root: Path, year: int) -> Path:
    """One year's rows as ``root/year=YYYY/part-0.parquet`` (the year is in the folder name)."""
    folder = root / f"year={year}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "part-0.parquet"
    frame.drop("year").write_parquet(path, compression="zstd", statistics=True)
    return path


def _baci_version(selection: Selection) -> str | None:
    found = {m.group(1) for f in selection.files if (m := re.search(r"_(V\d{6}\w?)", f.path.name))}
    return ", ".join(sorted(found)) if found else None


def run(
    source: Path,
    years: list[int],
    engine: Engine,
    out: Path,
    *,
    classification: str | None = None,
    overwrite: bool = False,
    command: list[str] | None = None,
) -> dict[str, Any]:
    """Run the batch for ``years`` of ``source`` on ``engine`` into ``out``; the manifest."""
    started = time.time()
    check_output(out, overwrite)
    selection = select(source, years, classification)
    out.mkdir(parents=True, exist_ok=True)
    stage = out / f".batch-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    steps: dict[str, Any] = {}
    checksums: dict[str, Any] = {}
    timings: dict[str, Any] = {}
    try:
        t0 = time.time()
        for year, cells, counts in cells_by_year(engine, selection, years):
            t1 = time.time()
            if counts["cells"] == 0:
                raise InputError(f"{year}: no exports in {source}")
            frame, eci = _numeric(cells, year)
            write_year(frame, stage, year)
            value_sum = pc.sum(cells.column("x")).as_py()
            steps[str(year)] = {**counts, "output_rows": frame.height}
            checksums[str(year)] = {
                "value_sum_kusd": str(value_sum),
                "present_cells": counts["present"],
                "eci_reference": json.loads(eci),
            }
            timings[str(year)] = {
                "engine_s": round(t1 - t0, 3),
                "driver_s": round(time.time() - t1, 3),
            }
            del cells, frame
            t0 = time.time()
        if overwrite:
            _clear(out)
        outputs = []
        for year in years:
            target = out / f"year={year}"
            os.replace(stage / f"year={year}", target)
            part = target / "part-0.parquet"
            outputs.append(
                {
                    "path": str(part.relative_to(out)),
                    "rows": steps[str(year)]["output_rows"],
                    "bytes": part.stat().st_size,
                    "sha256": sha256_file(part),
                }
            )
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": command or [],
        "source": str(source),
        "baci_version": _baci_version(selection),
        "classification": selection.edition,
        "years": years,
        "inputs": [
            {
                "path": str(f.path),
                "year": f.year,
                "edition": f.edition,
                "bytes": f.path.stat().st_size,
                "sha256": f.sha256,
            }
            for f in selection.files
        ],
        "skipped": [{"path": p, "reason": r} for p, r in selection.skipped],
        "engine": {"name": engine.name, "versions": engine.versions, "settings": engine.settings},
        "filters": FILTERS,
        "tie_rule": TIE_RULE,
        "columns": list(COLUMNS),
        "row_counts": steps,
        "product_codes_padded": sum(s["product_codes_padded"] for s in steps.values()),
        "outputs": outputs,
        "checksums": checksums,
        "seconds": {"total": round(time.time() - started, 3), "years": timings},
    }
    tmp = out / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    os.replace(tmp, out / MANIFEST)
    return manifest


def read_output(root: Path) -> pl.DataFrame:
    """A batch's output (every year) as one frame with the columns of :data:`COLUMNS`."""
    if not (root / MANIFEST).exists():
        raise InputError(
            f"{root}: no {MANIFEST}: not the output of a finished batch",
            hint="run `exportplan complexity batch ... --out` into it first",
        )
    parts = sorted(root.glob("year=*/*.parquet"))
    if not parts:
        raise InputError(f"{root}: the batch output holds no year")
    frames = [
        pl.read_parquet(p).with_columns(
            pl.lit(int(p.parent.name.split("=")[1]), dtype=pl.Int32).alias("year")
        )
        for p in parts
    ]
    return pl.concat(frames).select(COLUMNS)
