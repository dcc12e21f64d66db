"""Two batch outputs compared column by column, in both datasets (the complexity dataset and
the potential's aggregates): the keys must match one to one, the counts (presence, diversity,
ubiquity, suppliers) exactly, every other column within a relative tolerance; the differences
go to a diff file (Parquet), one row per differing cell and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from exportplan.errors import InputError
from exportplan.services.batch import COLUMNS, POTENTIAL, POTENTIAL_COLUMNS, read_output

#: dataset -> (its key columns, its columns compared exactly, all its columns)
DATASETS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "complexity": (("year", "exporter", "product"), ("m", "diversity", "ubiquity"), COLUMNS),
    POTENTIAL: (("year", "country", "product"), ("suppliers",), POTENTIAL_COLUMNS),
}
#: the diff file: ``country`` is the exporter in the complexity dataset
DIFF_COLUMNS = (
    "dataset",
    "year",
    "country",
    "product",
    "column",
    "value_a",
    "value_b",
    "reason",
)


@dataclass
class ColumnDiff:
    column: str
    mismatches: int
    max_abs: float
    max_rel: float
    dataset: str = "complexity"


@dataclass
class Comparison:
    rows_a: int
    rows_b: int
    only_a: int
    only_b: int
    rtol: float
    columns: list[ColumnDiff] = field(default_factory=list)
    diff_path: Path | None = None
    #: the potential aggregates' rows in A and B, and rows in one only
    potential_rows: tuple[int, int] = (0, 0)
    potential_only: tuple[int, int] = (0, 0)

    @property
    def equal(self) -> bool:
        return (
            self.only_a == 0
            and self.only_b == 0
            and self.potential_only == (0, 0)
            and all(c.mismatches == 0 for c in self.columns)
        )


def _differs(col: str, exact: tuple[str, ...], rtol: float) -> pl.Expr:
    a, b = pl.col(f"{col}_a"), pl.col(f"{col}_b")
    one_null = a.is_null() ^ b.is_null()
    if col in exact:
        return one_null | (a != b).fill_null(False)
    a64, b64 = a.cast(pl.Float64), b.cast(pl.Float64)
    close = (a64 - b64).abs() <= rtol * pl.max_horizontal(a64.abs(), b64.abs())
    return one_null | (~close).fill_null(False)


def _dataset(
    name: str, a: pl.DataFrame, b: pl.DataFrame, rtol: float
) -> tuple[list[ColumnDiff], int, int, list[pl.DataFrame]]:
    """One dataset's column differences, rows in one side only, and the diff file's rows."""
    keys, exact, columns = DATASETS[name]
    values = [c for c in columns if c not in keys]
    present = f"_in_{name}"
    a = a.with_columns(pl.lit(True).alias(present))
    b = b.with_columns(pl.lit(True).alias(present))
    j = a.join(b, on=list(keys), how="full", coalesce=True, suffix="_b").rename(
        {c: f"{c}_a" for c in [*values, present]}
    )
    in_a = pl.col(f"{present}_a").fill_null(False)
    in_b = pl.col(f"{present}_b").fill_null(False)
    only_a = j.filter(in_a & ~in_b)
    only_b = j.filter(~in_a & in_b)
    both = j.filter(in_a & in_b)
    diffs: list[ColumnDiff] = []
    pieces = []
    ren = {keys[1]: "country"}
    for col in values:
        flagged = both.with_columns(_differs(col, exact, rtol).alias("_bad"))
        bad = flagged.filter(pl.col("_bad"))
        av = flagged.get_column(f"{col}_a").cast(pl.Float64)
        bv = flagged.get_column(f"{col}_b").cast(pl.Float64)
        absd = (av - bv).abs()
        scale = pl.DataFrame({"a": av.abs(), "b": bv.abs()}).max_horizontal()
        reld = (absd / scale).fill_nan(0.0)
        diffs.append(
            ColumnDiff(
                col,
                bad.height,
                float(absd.max() or 0.0),  # type: ignore[arg-type]
                float(reld.max() or 0.0),  # type: ignore[arg-type]
                name,
            )
        )
        if bad.height:
            pieces.append(
                bad.rename(ren).select(
                    pl.lit(name).alias("dataset"),
                    "year",
                    "country",
                    "product",
                    pl.lit(col).alias("column"),
                    pl.col(f"{col}_a").cast(pl.Float64).alias("value_a"),
                    pl.col(f"{col}_b").cast(pl.Float64).alias("value_b"),
                    pl.lit("differs").alias("reason"),
                )
            )
    first = values[0]  # export_value or exports_usd: never null in a written row
    for side, frame in (("only in A", only_a), ("only in B", only_b)):
        if frame.height:
            mine = pl.col(f"{first}_a" if side == "only in A" else f"{first}_b")
            none = pl.lit(None, dtype=pl.Float64)
            pieces.append(
                frame.rename(ren).select(
                    pl.lit(name).alias("dataset"),
                    "year",
                    "country",
                    "product",
                    pl.lit("row").alias("column"),
                    (mine if side == "only in A" else none).cast(pl.Float64).alias("value_a"),
                    (none if side == "only in A" else mine).cast(pl.Float64).alias("value_b"),
                    pl.lit(side).alias("reason"),
                )
            )
    return diffs, only_a.height, only_b.height, pieces


def compare(
    dir_a: Path, dir_b: Path, *, rtol: float = 1e-9, diff: Path | None = None
) -> Comparison:
    """Compare the batch outputs in ``dir_a`` and ``dir_b``; write ``diff`` when they differ."""
    if not rtol >= 0:
        raise InputError(f"--rtol must be 0 or more; got {rtol}")
    a, b = read_output(dir_a), read_output(dir_b)
    pa_, pb = read_output(dir_a, POTENTIAL), read_output(dir_b, POTENTIAL)
    cols, only_a, only_b, pieces = _dataset("complexity", a, b, rtol)
    pcols, ponly_a, ponly_b, ppieces = _dataset(POTENTIAL, pa_, pb, rtol)
    res = Comparison(
        a.height,
        b.height,
        only_a,
        only_b,
        rtol,
        columns=cols + pcols,
        potential_rows=(pa_.height, pb.height),
        potential_only=(ponly_a, ponly_b),
    )
    if not res.equal:
        target = diff or Path("complexity-compare-diff.parquet")
        target.parent.mkdir(parents=True, exist_ok=True)
        pl.concat(pieces + ppieces, how="vertical_relaxed").sort(
            "dataset", "year", "country", "product"
        ).write_parquet(target)
        res.diff_path = target
    return res
