"""Two batch outputs compared column by column: the keys must match one to one, presence,
diversity and ubiquity exactly, every other column within a relative tolerance; the
differences go to a diff file (Parquet), one row per differing cell and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from exportplan.errors import InputError
from exportplan.services.batch import COLUMNS, read_output

KEYS = ("year", "exporter", "product")
EXACT = ("m", "diversity", "ubiquity")
DIFF_COLUMNS = ("year", "exporter", "product", "column", "value_a", "value_b", "reason")


@dataclass
class ColumnDiff:
    column: str
    mismatches: int
    max_abs: float
    max_rel: float


@dataclass
class Comparison:
    rows_a: int
    rows_b: int
    only_a: int
    only_b: int
    rtol: float
    columns: list[ColumnDiff] = field(default_factory=list)
    diff_path: Path | None = None

    @property
    def equal(self) -> bool:
        return (
            self.only_a == 0 and self.only_b == 0 and all(c.mismatches == 0 for c in self.columns)
        )


def _differs(col: str, rtol: float) -> pl.Expr:
    a, b = pl.col(f"{col}_a"), pl.col(f"{col}_b")
    one_null = a.is_null() ^ b.is_null()
    if col in EXACT:
        return one_null | (a != b).fill_null(False)
    a64, b64 = a.cast(pl.Float64), b.cast(pl.Float64)
    close = (a64 - b64).abs() <= rtol * pl.max_horizontal(a64.abs(), b64.abs())
    return one_null | (~close).fill_null(False)


def compare(
    dir_a: Path, dir_b: Path, *, rtol: float = 1e-9, diff: Path | None = None
) -> Comparison:
    """Compare the batch outputs in ``dir_a`` and ``dir_b``; write ``diff`` when they differ."""
    if not rtol >= 0:
        raise InputError(f"--rtol must be 0 or more; got {rtol}")
    a = read_output(dir_a)
    b = read_output(dir_b)
    values = [c for c in COLUMNS if c not in KEYS]
    j = a.join(b, on=list(KEYS), how="full", coalesce=True, suffix="_b").rename(
        {c: f"{c}_a" for c in values}
    )
    in_a = pl.col("export_value_a").is_not_null()
    in_b = pl.col("export_value_b").is_not_null()
    only_a = j.filter(in_a & ~in_b)
    only_b = j.filter(~in_a & in_b)
    both = j.filter(in_a & in_b)
    res = Comparison(a.height, b.height, only_a.height, only_b.height, rtol)
    pieces = []
    for col in values:
        flagged = both.with_columns(_differs(col, rtol).alias("_bad"))
        bad = flagged.filter(pl.col("_bad"))
        av = flagged.get_column(f"{col}_a").cast(pl.Float64)
        bv = flagged.get_column(f"{col}_b").cast(pl.Float64)
        absd = (av - bv).abs()
        scale = pl.DataFrame({"a": av.abs(), "b": bv.abs()}).max_horizontal()
        reld = (absd / scale).fill_nan(0.0)
        res.columns.append(
            ColumnDiff(
                col,
                bad.height,
                float(absd.max() or 0.0),  # type: ignore[arg-type]
                float(reld.max() or 0.0),  # type: ignore[arg-type]
            )
        )
        if bad.height:
            pieces.append(
                bad.select(
                    *KEYS,
                    pl.lit(col).alias("column"),
                    pl.col(f"{col}_a").cast(pl.Float64).alias("value_a"),
                    pl.col(f"{col}_b").cast(pl.Float64).alias("value_b"),
                    pl.lit("differs").alias("reason"),
                )
            )
    for side, frame, column in (
        ("only in A", only_a, "export_value_a"),
        ("only in B", only_b, "export_value_b"),
    ):
        if frame.height:
            pieces.append(
                frame.select(
                    *KEYS,
                    pl.lit("row").alias("column"),
                    pl.col(column)
                    .cast(pl.Float64)
                    .alias("value_a" if side == "only in A" else "value_b"),
                    pl.lit(None, dtype=pl.Float64).alias(
                        "value_b" if side == "only in A" else "value_a"
                    ),
                    pl.lit(side).alias("reason"),
                ).select(DIFF_COLUMNS)
            )
    if not res.equal:
        target = diff or Path("complexity-compare-diff.parquet")
        target.parent.mkdir(parents=True, exist_ok=True)
        pl.concat(pieces, how="vertical_relaxed").sort(list(KEYS)).write_parquet(target)
        res.diff_path = target
    return res
