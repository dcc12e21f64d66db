"""The region's product space: the world's proximity network of products (its backbone laid out
once per data version and kept in the workspace's cache) with the region's RCA, each product's
world trade and HS section on its nodes.

The proximity is the complexity engine's (:func:`exportplan.analytics.relatedness.proximity`,
discrete, from the world's RCA >= 1 presence of the latest world year); the backbone and the
layout are :mod:`exportplan.analytics.product_space`'s. The layout (the slow part) is cached
per data version and parameters; the region's RCA (from the complexity report, the same
numbers as `exportplan complexity` and the new products) is joined on each time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from exportplan.analytics import product_space as psa
from exportplan.analytics import rca as rcam
from exportplan.analytics import relatedness as rel
from exportplan.analytics.ecomplexity import Options
from exportplan.errors import InputError
from exportplan.reference.hs import section_of
from exportplan.services import complexity, complexity_report, facts
from exportplan.services.data import data_version
from exportplan.store.cache import Cache
from exportplan.workspace import Workspace

__all__ = ["LAYOUT_FORM", "ProductSpace", "layout_frames", "product_space", "rca_band"]

#: Bumped when the layout's computation changes (part of the cache key)
LAYOUT_FORM = 1
SEED, ITERATIONS = 7, 300


@dataclass(frozen=True)
class ProductSpace:
    """``nodes``: prod, x, y, component, world_usd, section, rca, band (``"rca>=1"``,
    ``"0.5-1"``, ``"<0.5"``), region_usd; ``edges``: src, dst (product codes), proximity,
    in_tree. ``layout_seconds``: how long the layout took when it was computed now (None when
    it came from the cache)."""

    year: int
    level: str
    definition: str
    nodes: pl.DataFrame
    edges: pl.DataFrame
    layout_seconds: float | None = None
    notes: list[str] = field(default_factory=list)


def rca_band(rca: float | None) -> str:
    """The RCA band a node is coloured by."""
    if rca is None or not np.isfinite(rca) or rca < 0.5:
        return "<0.5"
    return "rca>=1" if rca >= 1.0 else "0.5-1"


def _section(code: str) -> str:
    try:
        return section_of(code)
    except ValueError:  # chapters 77, 98, 99: in no section
        return ""


def _proximity(ws: Workspace, level: str, year: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The world's products, their world trade and their proximity matrix in ``year``."""
    world = complexity.world_frame(ws, level=level, years=[year]).filter(pl.col("val") > 0)
    locs = world.get_column("loc").unique().sort()
    prods = world.get_column("prod").unique().sort()
    li = world.get_column("loc").cast(pl.Enum(locs.to_list())).to_physical().to_numpy()
    pi = world.get_column("prod").cast(pl.Enum(prods.to_list())).to_physical().to_numpy()
    x = np.zeros((locs.len(), prods.len()))
    np.add.at(x, (li, pi), world.get_column("val").to_numpy())
    if x.shape[0] < 2 or x.shape[1] < 2:
        raise InputError("the product space needs at least two exporters and two products")
    m, _, _ = rcam.presence(x)
    return prods.to_list(), x.sum(axis=0), rel.proximity(m)


def layout_frames(
    ws: Workspace, *, level: str = "hs4", year: int, use_cache: bool = True
) -> tuple[dict[str, pl.DataFrame], float | None]:
    """The laid-out backbone of ``year``'s world product space (parts ``nodes``: prod, x, y,
    component, world_usd; ``edges``: src, dst, proximity, in_tree), from the cache when it
    holds them; with the seconds the layout took when computed now."""
    took: list[float] = []

    def compute() -> dict[str, pl.DataFrame]:
        prods, world_usd, phi = _proximity(ws, level, year)
        start = time.perf_counter()
        bb = psa.backbone(phi)
        pos, comp = psa.layout(bb, iterations=ITERATIONS, seed=SEED)
        took.append(time.perf_counter() - start)
        codes = pl.Series(prods, dtype=pl.String)
        return {
            "nodes": pl.DataFrame(
                {
                    "prod": codes,
                    "x": pos[:, 0],
                    "y": pos[:, 1],
                    "component": comp,
                    "world_usd": world_usd,
                }
            ),
            "edges": pl.DataFrame(
                {
                    "src": codes.gather(bb.src),
                    "dst": codes.gather(bb.dst),
                    "proximity": bb.proximity,
                    "in_tree": bb.in_tree,
                }
            ),
        }

    params = {
        "level": level,
        "year": year,
        "threshold": psa.THRESHOLD,
        "degree": psa.AVERAGE_DEGREE,
        "seed": SEED,
        "iterations": ITERATIONS,
        "form": LAYOUT_FORM,
    }
    cache = Cache.of(ws.path)
    if not use_cache:
        out = compute()
        return out, took[0]
    out = cache.frames("product-space", params, data_version(ws), ("nodes", "edges"), compute)
    return out, (took[0] if took else None)


def product_space(
    ws: Workspace,
    *,
    level: str = "hs4",
    definition: str = "customs",
    region: str | None = None,
    year: int | None = None,
) -> ProductSpace:
    """The product space of the latest world year (or ``year``) with the region's RCA."""
    if definition not in ("customs", "origin"):
        raise InputError("definition must be customs or origin")
    if level not in ("hs2", "hs4"):
        raise InputError(f"the product space is drawn at hs2 or hs4; got {level!r}")
    have = facts.facts(ws).world_years
    if not have:
        raise InputError(
            "no world trade data in the workspace",
            hint="import BACI or Comtrade files first (`exportplan import baci`)",
        )
    end = have[-1] if year is None else year
    if end not in have:
        raise InputError(f"no world trade data for {end}; the workspace has {have[0]}-{have[-1]}")
    frames, took = layout_frames(ws, level=level, year=end)
    region = region or ws.home_region
    notes: list[str] = []
    try:
        rep = complexity_report.report(
            ws,
            level=level,
            years=[end],
            region=region,
            region_mode="subnational",
            definition=definition,
            options=Options(),
        )
        reg = rep.frame.filter(pl.col("loc") == f"region:{region}").select(
            pl.col("prod").cast(pl.String), pl.col("rca").cast(pl.Float64)
        )
    except InputError as exc:  # no region exports in the world's year: every node faint
        reg = pl.DataFrame(schema={"prod": pl.String, "rca": pl.Float64})
        notes.append(exc.message)
    reg_usd = complexity.region_frame(
        ws, region=region, definition=definition, level=level, years=[end]
    ).select(pl.col("prod").cast(pl.String), pl.col("val").alias("region_usd"))
    nodes = (
        frames["nodes"]
        .join(reg, on="prod", how="left")
        .join(reg_usd.group_by("prod").agg(pl.col("region_usd").sum()), on="prod", how="left")
        .with_columns(
            pl.col("prod").map_elements(_section, return_dtype=pl.String).alias("section"),
            pl.col("rca")
            .map_elements(rca_band, return_dtype=pl.String, skip_nulls=False)
            .alias("band"),
            pl.col("region_usd").fill_null(0.0),
        )
        .sort("prod")
    )
    return ProductSpace(end, level, definition, nodes, frames["edges"], took, notes)
