"""What the workspace holds, read from the warehouse in one go: the world data's years, the
data version (which datasets, by id and content hash: the key of every cached result), the
sources, and whether any dataset is synthetic (then every page and report says so).

The world's years are read from the flows once per data version and kept in the workspace's
cache (a distinct over every world row is about 0.1 s on a BACI-size warehouse, and every page
asks); the datasets themselves are read each time, so the version is never stale."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from exportplan.store.cache import Cache
from exportplan.workspace import Workspace


@dataclass(frozen=True)
class Facts:
    """What a result's header and cache key need from the warehouse, read in one go."""

    world_years: list[int]
    data_version: str
    sources: list[str]
    synthetic: bool


def facts(ws: Workspace) -> Facts:
    with ws.warehouse(read_only=True) as con:
        ds = con.execute(
            "SELECT id, sha256, source, synthetic FROM datasets ORDER BY id"
        ).fetchall()
        version = ";".join(f"{i}:{h[:12]}" for i, h, _s, _y in ds)

        def world_years() -> pl.DataFrame:
            rows = con.execute("SELECT DISTINCT year FROM world_flows ORDER BY year").fetchall()
            return pl.DataFrame({"year": [int(r[0]) for r in rows]}, schema={"year": pl.Int32})

        years = Cache.of(ws.path).frame("world-years", {}, version, world_years)
    return Facts(
        world_years=sorted(int(y) for y in years.get_column("year").to_list()),
        data_version=version,
        sources=sorted({r[2] for r in ds}),
        synthetic=any(r[3] for r in ds),
    )
