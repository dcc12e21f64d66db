"""Data of the batch tests: a world built to sit exactly at RCA = 1."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

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
