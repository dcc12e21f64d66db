"""Complexity on the workspace: the world matrix from the warehouse, the home region added
as one more location or in the subnational mode, results cached per data version.

Results are kept in the workspace's cache (:mod:`exportplan.store.cache`), keyed by the
parameters and the data version (every dataset's id and sha256): a new import changes the
key, so stale results are never served.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Literal

import polars as pl

from exportplan.analytics.ecomplexity import Options, ecomplexity, proximity_table
from exportplan.errors import InputError
from exportplan.services.data import data_version
from exportplan.store.cache import Cache
from exportplan.store.warehouse.queries import frame
from exportplan.workspace import Workspace

RegionMode = Literal["none", "location", "subnational"]
LEVELS = {"hs2": 2, "hs4": 4, "hs6": 6}


def world_frame(
    ws: Workspace, *, level: str = "hs6", years: list[int] | None = None, dataset: int | None = None
) -> pl.DataFrame:
    """Exports by year x exporter x product (at ``level``) from the ``exports`` view (reported
    data, and mirror data where an exporter-year has none)."""
    if level not in LEVELS:
        raise InputError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")
    n = LEVELS[level]
    where, params = ["1=1"], []
    if years:
        where.append(f"year IN ({', '.join('?' for _ in years)})")
        params.extend(years)
    if dataset is not None:
        where.append("dataset_id = ?")
        params.append(dataset)
    with ws.warehouse(read_only=True) as con:
        df = frame(
            con,
            f"""SELECT year::INTEGER AS year, exporter AS loc, substr(hs6, 1, {n}) AS prod,
                       sum(value_usd) AS val
                FROM exports WHERE {" AND ".join(where)} GROUP BY ALL""",
            params,
        )
    if df.height == 0:
        raise InputError(
            "no world trade data for that choice",
            hint="import BACI or Comtrade files first (`exportplan import baci`)",
        )
    return df


def region_frame(
    ws: Workspace, *, region: str, definition: str, level: str, years: list[int] | None
) -> pl.DataFrame:
    """The region's exports by Gregorian year x product (to compare with world years); Solar
    Hijri months without days count in the Gregorian year of their 15th day."""
    n = LEVELS[level]
    with ws.warehouse(read_only=True) as con:
        df = frame(
            con,
            f"""SELECT g_year_approx::INTEGER AS year, ? AS loc, substr(hs6, 1, {n}) AS prod,
                       sum(value_usd) AS val
                FROM region_flows_annual
                WHERE region = ? AND definition = ? AND g_year_approx IS NOT NULL
                GROUP BY ALL""",
            [f"region:{region}", region, definition],
        )
    if years:
        df = df.filter(pl.col("year").is_in(years))
    return df


def compute(
    ws: Workspace,
    *,
    level: str = "hs6",
    years: list[int] | None = None,
    dataset: int | None = None,
    options: Options | None = None,
    region: str | None = None,
    region_mode: RegionMode = "none",
    definition: str = "customs",
    use_cache: bool = True,
    out_of_sample: frozenset[str] = frozenset(),
    region_year: int | None = None,
) -> pl.DataFrame:
    """Complexity table for the workspace's world data (and the region), cached.

    ``out_of_sample``: exporters left out of the sample and projected on it (the sample filter
    of :func:`report`). ``region_year``: with one world year, the region's records of this
    Gregorian year are placed on it (world data lag customs records by about two years)."""
    opts = options or Options()
    params: dict[str, object] = {
        "level": level,
        "years": years,
        "dataset": dataset,
        "options": asdict(opts),
        "region": region,
        "mode": region_mode,
        "definition": definition,
    }
    if out_of_sample:  # only then, so that the cache keys of unfiltered results stay as they were
        params["out_of_sample"] = sorted(out_of_sample)
    if region_year is not None:
        if region_mode == "none" or not years or len(years) != 1:
            raise InputError(
                "the region's year can be placed on one world year only, with a region mode",
                hint="give one --year (the world's) and --region-mode location or subnational",
            )
        params["region_year"] = region_year
    return Cache.of(ws.path).frame(
        "complexity",
        params,
        data_version(ws),
        lambda: _compute(
            ws,
            level,
            years,
            dataset,
            opts,
            region,
            region_mode,
            definition,
            out_of_sample,
            region_year,
        ),
        use=use_cache,
    )


def _compute(
    ws: Workspace,
    level: str,
    years: list[int] | None,
    dataset: int | None,
    opts: Options,
    region: str | None,
    region_mode: RegionMode,
    definition: str,
    out_of_sample: frozenset[str] = frozenset(),
    region_year: int | None = None,
) -> pl.DataFrame:
    world = world_frame(ws, level=level, years=years, dataset=dataset)
    reg = None
    if region_mode != "none":
        reg = region_frame(
            ws,
            region=region or ws.home_region,
            definition=definition,
            level=level,
            years=years if region_year is None else [region_year],
        )
        if region_year is not None and years:  # placed on the (one) world year
            reg = reg.with_columns(pl.lit(years[0], dtype=reg.schema["year"]).alias("year"))
        # only the years the world data covers: a region alone is not a product space
        reg = reg.filter(pl.col("year").is_in(world.get_column("year").unique().implode()))
        if reg.height == 0:
            raise _no_common_year(ws, region or ws.home_region, definition, years, dataset)
    outside = set(out_of_sample) or None
    if region_mode == "location" and reg is not None:
        result = ecomplexity(
            pl.concat([world, reg]),
            time="year",
            loc="loc",
            prod="prod",
            val="val",
            options=opts,
            project_only=outside,
        )
    elif region_mode == "subnational" and reg is not None:
        result = ecomplexity(
            pl.concat([world, reg]),
            time="year",
            loc="loc",
            prod="prod",
            val="val",
            options=opts,
            project_only=set(reg.get_column("loc").unique()) | set(out_of_sample),
        )
    else:
        result = ecomplexity(
            world,
            time="year",
            loc="loc",
            prod="prod",
            val="val",
            options=opts,
            project_only=outside,
        )
    return _with_basis(ws, result, level=level, dataset=dataset)


def _span(years: list[int]) -> str:
    """Years as runs: "2020-2024", or "2019, 2021-2022"."""
    runs: list[list[int]] = []
    for y in sorted(set(years)):
        if runs and runs[-1][1] == y - 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs) or "none"


def _no_common_year(
    ws: Workspace, region: str, definition: str, years: list[int] | None, dataset: int | None
) -> InputError:
    """The region has no exports in the world data's years (or the years asked for): say which
    years each side covers (the world's Gregorian years; the region's Solar Hijri years and the
    Gregorian days they span) and what would close the gap."""
    from exportplan.reference.calendar import sh_year_bounds

    ds, ds_params = ("WHERE dataset_id = ?", [dataset]) if dataset is not None else ("", [])
    with ws.warehouse(read_only=True) as con:
        world = [
            int(r[0])
            for r in con.execute(f"SELECT DISTINCT year FROM exports {ds}", ds_params).fetchall()
        ]
        rows = con.execute(
            "SELECT DISTINCT sh_year, g_year_approx FROM region_flows_annual "
            "WHERE region = ? AND definition = ?",
            [region, definition],
        ).fetchall()
    sh = sorted({int(a) for a, _ in rows if a is not None})
    greg = sorted({int(b) for _, b in rows if b is not None})
    asked = f"in {_span(years)}" if years else "in the years of the world data"
    head = f"no {definition} exports of region {region!r} {asked}"
    if not rows:
        return InputError(
            f"{head}: the world data cover {_span(world)} (Gregorian) and the region has none",
            hint="import its customs files first (`exportplan import customs`)",
        )
    spans = "; ".join(
        f"{y}: {sh_year_bounds(y)[0].isoformat()} to {sh_year_bounds(y)[1].isoformat()}" for y in sh
    )
    common = sorted(set(world) & set(greg))
    if common:
        hint = f"choose a year both cover: --year {common[-1]} (common years: {_span(common)})"
    else:
        hint = (
            f"the two do not overlap: place the region's latest complete year on the latest "
            f"world year (--region-year latest), or import world data (BACI or Comtrade) for "
            f"{_span(greg)}, or the region's customs files of the Solar Hijri years within "
            f"{_span(world)} (it has {_span(sh)})"
        )
    return InputError(
        f"{head}: the world data cover {_span(world)} (Gregorian years); the region's customs "
        f"records cover Solar Hijri {_span(sh)} ({spans}), i.e. Gregorian {_span(greg)}",
        hint=hint,
    )


def _with_basis(
    ws: Workspace, result: pl.DataFrame, *, level: str, dataset: int | None
) -> pl.DataFrame:
    """Say for each location-year what its exports rest on: ``reported`` (the exporter's own
    or BACI's reconciled data), ``mirror`` (partners' imports) or, for the region, its
    ``customs records``."""
    params: list[object] = []
    where = "1=1"
    if dataset is not None:
        where, params = "dataset_id = ?", [dataset]
    with ws.warehouse(read_only=True) as con:
        basis = frame(
            con,
            f"""SELECT year::INTEGER AS year, exporter AS loc, max(basis) AS basis
                FROM exports WHERE {where} GROUP BY ALL""",
            params,
        )
    out = result.join(basis, on=["year", "loc"], how="left")
    return out.with_columns(
        pl.when(pl.col("loc").str.starts_with("region:"))
        .then(pl.lit("customs records"))
        .otherwise(pl.col("basis"))
        .alias("basis")
    )


def baci_file(path: Path, *, level: str = "hs6", options: Options | None = None) -> pl.DataFrame:
    """Complexity straight from a BACI-layout file (CSV or Parquet), no workspace needed."""
    from exportplan.analytics.ecomplexity import complexity_matrix
    from exportplan.ingest.matrix import baci_matrices

    if level not in LEVELS:
        raise InputError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")
    digits = LEVELS[level]
    parts = [
        complexity_matrix(
            m.x,
            m.exporters,
            m.products,
            time_value=m.year,
            names=("year", "exporter", f"hs{digits}", "value_usd"),
            options=options,
        )
        for m in baci_matrices(path, digits=digits)
    ]
    return pl.concat(parts)


def proximity(
    ws: Workspace,
    *,
    level: str = "hs4",
    year: int,
    dataset: int | None = None,
    options: Options | None = None,
) -> pl.DataFrame:
    world = world_frame(ws, level=level, years=[year], dataset=dataset)
    return proximity_table(world, time="year", loc="loc", prod="prod", val="val", options=options)


def cache_dir(ws: Workspace) -> Path:
    return Cache.of(ws.path).folder
