"""Data of the batch tests: a world built to sit exactly at RCA = 1."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

#: thousandths of kUSD: exporter 1 is 11 x (exporters 2 + 3), so its shares are the world's
#: and its RCA is exactly 1 in all three products (floating point gives 0.9999999999999998
#: for the first)
TIE = [[8233247, 2412784, 2396812], [385658, 137486, 19835], [362819, 81858, 198057]]


def exact_presence() -> list[int]:
    """Presence of :data:`TIE` in integer arithmetic (``x_cp X >= X_c X_p``), row by row."""
    total = sum(map(sum, TIE))
    rows = [sum(r) for r in TIE]
    cols = [sum(c) for c in zip(*TIE, strict=True)]
    return [int(TIE[c][p] * total >= rows[c] * cols[p]) for c in range(3) for p in range(3)]


def tie_world(folder: Path, name: str = "BACI_HS17_Y2021_V202401.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        (2021, e + 1, 999, k, Decimal(v) / 1000)
        for e, r in enumerate(TIE)
        for k, v in zip(("010110", "020130", "030211"), r, strict=True)
    ]
    with (folder / name).open("w", encoding="utf-8") as fh:
        fh.write("t,i,j,k,v,q\n")
        for (
            t,
            i,
            j,
            k,
            v,
        ) in rows:
            fh.write(f"{t},{i},{j},{k},{v},1.0\n")
    return folder


def sample_case(world: Path, year: int, folder: Path) -> tuple[dict[str, Any], set[int], Path]:
    """Thresholds of the sample filter that cut inside ``world``'s ``year`` (midway between two
    exporters' totals, two products' trade, two populations, so no rounding decides), the
    exporters left, and the population CSV (loc = BACI code, pop)."""
    f = next(world.glob(f"*_Y{year}.*"))
    raw = pl.read_csv(f) if f.suffix == ".csv" else pl.read_parquet(f)
    by_c = raw.group_by("i").agg(pl.col("v").sum()).sort("v")
    tot = by_c["v"].to_list()
    min_exports = (tot[4] + tot[5]) / 2 * 1000.0  # USD: the five smallest out
    kept = by_c["i"].to_list()[5:]
    # populations: exporter code x 1000 (two of those left are at most the threshold)
    pop_codes = sorted(kept)
    population = folder / "population.csv"
    folder.mkdir(parents=True, exist_ok=True)
    rows = [f"{c},{c * 1000}" for c in by_c["i"].to_list() if c != pop_codes[-1]]  # one unknown
    population.write_text("loc,pop\n" + "\n".join(rows) + "\n", encoding="utf-8")
    min_population = (pop_codes[1] + pop_codes[2]) / 2 * 1000.0
    left = {c for c in kept if c * 1000 > min_population or c == pop_codes[-1]}
    by_p = (
        raw.filter(pl.col("i").is_in(sorted(left)))
        .group_by("k")
        .agg(pl.col("v").sum())
        .sort("v")["v"]
        .to_list()
    )
    min_world_trade = (by_p[9] + by_p[10]) / 2 * 1000.0  # the ten smallest products out
    opts = {
        "min_exports": min_exports,
        "min_population": min_population,
        "min_world_trade": min_world_trade,
    }
    return opts, left, population


def without(world: Path, year: int, exporters: set[int], opts: dict[str, Any], out: Path) -> Path:
    """``world``'s ``year`` as Parquet with only ``exporters`` and the products whose trade
    among them reaches ``opts["min_world_trade"]``: what the filter should leave."""
    f = next(world.glob(f"*_Y{year}.*"))
    raw = pl.read_csv(f) if f.suffix == ".csv" else pl.read_parquet(f)
    raw = raw.filter(pl.col("i").is_in(sorted(exporters)))
    trade = raw.group_by("k").agg(pl.col("v").sum())
    keep = trade.filter(pl.col("v") * 1000.0 >= opts["min_world_trade"])["k"]
    out.mkdir(parents=True, exist_ok=True)
    raw.filter(pl.col("k").is_in(keep.implode())).write_parquet(out / f"BACI_X_Y{year}.parquet")
    return out
