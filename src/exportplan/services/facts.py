"""What the workspace holds, read from the warehouse in one go: the world data's years, the
data version (which datasets, by id and content hash: the key of every cached result), the
sources, and whether any dataset is synthetic (then every page and report says so)."""

from __future__ import annotations

from dataclasses import dataclass

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
        years = con.execute("SELECT DISTINCT year FROM world_flows ORDER BY year").fetchall()
        ds = con.execute(
            "SELECT id, sha256, source, synthetic FROM datasets ORDER BY id"
        ).fetchall()
    return Facts(
        world_years=[int(r[0]) for r in years],
        data_version=";".join(f"{i}:{h[:12]}" for i, h, _s, _y in ds),
        sources=sorted({r[2] for r in ds}),
        synthetic=any(r[3] for r in ds),
    )
