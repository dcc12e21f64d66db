"""The world-scale complexity batch: BACI files of many years through the relational steps on
DuckDB or Spark (ibis), the per-year numpy steps on the driver, Parquet out (the complexity
dataset and the export potential's world aggregates, each partitioned by year) and a
checksummed run manifest.

Per year the engine reads that year's files, sums them exactly and decides presence
(:mod:`exportplan.analytics.batch_relational`); the driver collects the year's cells (about a
million at BACI size), builds the dense exporter x product matrix and runs the same code as
``exportplan complexity --baci`` (:func:`exportplan.analytics.ecomplexity.complexity_matrix`),
given the engine's presence. The potential's aggregates (imports by market and product,
world totals, supply, the suppliers' concentration) are the engine's alone. Outputs are
written under a hidden folder and moved into place with the manifest last, so a run that fails
leaves no dataset that looks whole.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from pathlib import Path
from typing import Any

import ibis
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
from exportplan.services.complexity_report import ATLAS_MIN_EXPORTS, ATLAS_MIN_POPULATION

MANIFEST = "manifest.json"
FORMAT = "exportplan complexity batch v2"
#: the second dataset under OUT: the export potential's world aggregates, by year
POTENTIAL = "potential_aggregates"
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
POTENTIAL_COLUMNS = (
    "year",
    "country",
    "product",
    "exports_usd",
    "imports_usd",
    "world_usd",
    "world_share",
    "supply",
    "suppliers",
    "hhi",
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


@dataclass(frozen=True)
class Sample:
    """The sample filter of a batch (``--sample-filter``), the workspace command's Atlas
    thresholds by default (:data:`.complexity_report.ATLAS_MIN_EXPORTS`, USD, and
    :data:`.complexity_report.ATLAS_MIN_POPULATION`, applied only with a ``population`` table
    of ``loc`` (BACI country code), ``pop`` and optionally ``year``), per year; and products
    whose world trade among the exporters left is below ``min_world_trade`` USD (none by
    default, as on the workspace). Those left out are not in the output (no projection)."""

    min_exports: float | None = ATLAS_MIN_EXPORTS
    min_population: float | None = ATLAS_MIN_POPULATION
    population: pl.DataFrame | None = None
    min_world_trade: float | None = None

    def description(self) -> dict[str, Any]:
        """The manifest's ``filters.sample``."""
        return {
            "min_exports_usd": self.min_exports,
            "min_population": self.min_population if self.population is not None else None,
            "population_rows": None if self.population is None else self.population.height,
            "min_world_trade_usd": self.min_world_trade,
            "per": "year",
            "left_out": "exporters below a threshold and products below min_world_trade are "
            "left out before RCA (no projection of out-of-sample exporters)",
        }


def _kusd(usd: float | None) -> Decimal | None:
    """A USD threshold in thousand USD, rounded up to the cent of a BACI value (0.001 kUSD):
    an exact sum reaches it iff it reaches the threshold."""
    if usd is None:
        return None
    if not math.isfinite(usd) or usd < 0:
        raise InputError(f"a threshold of the sample filter must be a USD amount >= 0; got {usd}")
    return (Decimal(repr(usd)) / 1000).quantize(Decimal("0.001"), rounding=ROUND_CEILING)


def population_table(frame: pl.DataFrame) -> pl.DataFrame:
    """``exporter, pop`` (and ``year``) from a table of ``loc`` (BACI country code), ``pop``
    and optionally ``year``: the mean of repeated rows; a bad code or number refused."""
    cols = frame.columns
    if "loc" not in cols or "pop" not in cols:
        raise InputError(
            f"population table needs columns loc, pop (and year); found {', '.join(cols)}",
            hint="loc is the BACI country code (the exporter column, e.g. 364 for Iran)",
        )
    keys = ["exporter", "year"] if "year" in cols else ["exporter"]
    cast = [
        pl.col("loc")
        .cast(pl.String)
        .str.strip_chars()
        .cast(pl.Int32, strict=False)
        .alias("exporter"),
        pl.col("pop").cast(pl.String).str.strip_chars().cast(pl.Float64, strict=False).alias("pop"),
    ]
    if "year" in cols:
        cast.append(pl.col("year").cast(pl.String).cast(pl.Int32, strict=False).alias("year"))
    got = frame.with_row_index("row", offset=2).with_columns(cast)
    bad = got.filter(pl.any_horizontal(pl.col(k).is_null() for k in [*keys, "pop"]))
    if bad.height:
        r = bad.row(0, named=True)
        raise InputError(
            f"population table, row {r['row']}: loc {frame['loc'][r['row'] - 2]!r} and pop "
            f"{frame['pop'][r['row'] - 2]!r} need a BACI country code and a number "
            f"({bad.height} such row(s))"
        )
    return got.group_by(keys).agg(pl.col("pop").mean()).sort(keys)


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
        if child.name in (MANIFEST, POTENTIAL) or re.fullmatch(r"year=\d{4}", child.name):
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()


def _checks(table: Any) -> Any:
    """One pass over the input, by year: rows, unusable rows, codes that lost their zeros."""
    bad = (
        table.t.isnull()
        | table.i.isnull()
        | table.j.isnull()
        | table.k.isnull()
        | table.v.isnull()
        | (table.v < 0)
    )
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
                f"{year}: {bad} row(s) with a missing exporter, importer, product or value, or a "
                f"negative value, in {names}",
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


#: years a Spark job covers (its planning and scheduling cost is per job; the driver holds
#: that many years' cells, about 1.2 million rows a year at BACI size)
SPARK_YEARS_PER_JOB = 5


def cells_by_year(
    engine: Engine, selection: Selection, years: list[int], sample: Sample | None = None
) -> Iterator[tuple[int, pa.Table, pa.Table, dict[str, Any]]]:
    """The engine's part: per year, the cells with exports and their presence, the
    potential's aggregates (:func:`.batch_relational.potential`) and the counts.

    DuckDB goes year by year (one year's files scanned at a time, memory bounded). Spark
    takes up to :data:`SPARK_YEARS_PER_JOB` years at a time: three jobs for them (the checks,
    the cells, the potential's aggregates), each collected once and split by year on the
    driver."""
    step = SPARK_YEARS_PER_JOB if engine.name == "spark" else 1
    for g in range(0, len(years), step):
        group = years[g : g + step]
        files = [f for y in group for f in selection.of_year(y)]
        try:
            table = engine.read(files)
            table = table.filter(table.t.isin(group))
            counts = _counts(engine, table, files)
            x = engine.keep(br.totals(table))
            xs = x
            if sample is not None:
                pop = sample.population
                xs = br.sample(
                    x,
                    min_exports=_kusd(sample.min_exports),
                    population=None if pop is None else ibis.memtable(pop.to_arrow()),
                    min_population=sample.min_population,
                    min_world_trade=_kusd(sample.min_world_trade),
                )
            cells_all = engine.collect(br.presence(xs, keep=engine.keep))
            pot_all = engine.collect(br.potential(table, x))
            engine.release()
        except InputError:
            raise
        except Exception as exc:  # the engine's refusal of a value (text in a number column)
            raise _engine_error(engine, files, exc) from exc
        for year in group:
            if len(group) == 1:
                cells, pot = cells_all, pot_all
            else:
                cells = cells_all.filter(pc.equal(cells_all.column("year"), year))
                pot = pot_all.filter(pc.equal(pot_all.column("year"), year))
            yield year, cells, pot, _steps(cells, *counts.get(year, (0, 0)))
        del cells_all, pot_all


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


def _potential_frame(pot: pa.Table) -> pl.DataFrame:
    """The potential's aggregates as written: the exact thousand-USD sums as USD (doubles, as
    ``export_value``), ordered by country and product."""
    f = pl.from_arrow(pot)
    assert isinstance(f, pl.DataFrame)
    usd = {
        c: (pl.col(c).cast(pl.Float64) * 1000.0).alias(f"{c}_usd")
        for c in ("exports", "imports", "world")
    }
    return (
        f.with_columns(
            *usd.values(), pl.col("year").cast(pl.Int32), pl.col("country").cast(pl.Int32)
        )
        .select(POTENTIAL_COLUMNS)
        .sort("country", "product")
    )


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
    sample: Sample | None = None,
    command: list[str] | None = None,
    progress: Callable[[int, dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Run the batch for ``years`` of ``source`` on ``engine`` into ``out``; the manifest.
    ``progress`` is told each year as it is done (the year and its row counts and seconds);
    ``sample`` filters exporters and products before RCA (:class:`Sample`).
    The engine's seconds of a Spark job of several years are the first year's."""
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
        for year, cells, pot, counts in cells_by_year(engine, selection, years, sample):
            t1 = time.time()
            if counts["cells"] == 0:
                left = " left by the sample filter" if sample is not None else ""
                raise InputError(f"{year}: no exports{left} in {source}")
            frame, eci = _numeric(cells, year)
            write_year(frame, stage, year)
            pframe = _potential_frame(pot)
            write_year(pframe, stage / POTENTIAL, year)
            value_sum = pc.sum(cells.column("x")).as_py()
            steps[str(year)] = {
                **counts,
                "output_rows": frame.height,
                "potential_rows": pframe.height,
                "markets": len(
                    pc.unique(pot.filter(pc.greater(pot.column("imports"), 0)).column("country"))
                ),
            }
            checksums[str(year)] = {
                "value_sum_kusd": str(value_sum),
                "present_cells": counts["present"],
                "eci_reference": json.loads(eci),
                "imports_sum_kusd": str(pc.sum(pot.column("imports")).as_py()),
            }
            timings[str(year)] = {
                "engine_s": round(t1 - t0, 3),
                "driver_s": round(time.time() - t1, 3),
            }
            del cells, frame
            if progress is not None:
                progress(year, {**steps[str(year)], **timings[str(year)]})
            t0 = time.time()
        if overwrite:
            _clear(out)
        outputs = []
        (out / POTENTIAL).mkdir()
        for dataset, rows_key in (("", "output_rows"), (POTENTIAL, "potential_rows")):
            for year in years:
                target = out / dataset / f"year={year}"
                os.replace(stage / dataset / f"year={year}", target)
                part = target / "part-0.parquet"
                outputs.append(
                    {
                        "dataset": dataset or "complexity",
                        "path": str(part.relative_to(out)),
                        "rows": steps[str(year)][rows_key],
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
        "filters": FILTERS if sample is None else {**FILTERS, "sample": sample.description()},
        "tie_rule": TIE_RULE,
        "columns": list(COLUMNS),
        "potential_columns": list(POTENTIAL_COLUMNS),
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


def read_output(root: Path, dataset: str = "complexity") -> pl.DataFrame:
    """A batch's output (every year) as one frame: the complexity dataset with the columns of
    :data:`COLUMNS`, or (``dataset="potential_aggregates"``) the potential's aggregates with
    those of :data:`POTENTIAL_COLUMNS`."""
    if not (root / MANIFEST).exists():
        raise InputError(
            f"{root}: no {MANIFEST}: not the output of a finished batch",
            hint="run `exportplan complexity batch ... --out` into it first",
        )
    folder, columns = (
        (root, COLUMNS) if dataset == "complexity" else (root / POTENTIAL, POTENTIAL_COLUMNS)
    )
    parts = sorted(folder.glob("year=*/*.parquet"))
    if not parts:
        raise InputError(
            f"{folder}: the batch output holds no year of {dataset}",
            hint="an output of an earlier version of the batch has no potential_aggregates: "
            "run the batch again",
        )
    frames = [
        pl.read_parquet(p).with_columns(
            pl.lit(int(p.parent.name.split("=")[1]), dtype=pl.Int32).alias("year")
        )
        for p in parts
    ]
    return pl.concat(frames).select(columns)
