"""Records repeated within one customs file: exact repeats of an accepted row rejected
(naming the first), and cumulative-from-Farvardin values turned into monthly ones.

Both look across the whole file (not a chunk of rows): a repeat is found by a hash of the
record's fields first, so only the rows whose hashes repeat are compared field by field (a
million distinct rows cost one 64-bit column, not a join on thirteen).
"""

from __future__ import annotations

import polars as pl

from exportplan.ingest.customs_rows import _err

__all__ = ["KEYS", "decumulate", "duplicates"]

#: the fields of a record: two accepted rows equal in all of them are one record twice
KEYS = [
    "definition",
    "sh_year",
    "sh_month",
    "g_year",
    "g_month",
    "day",
    "office",
    "hs_code",
    "partner",
    "exporter",
    "weight_kg",
    "value_usd",
    "value_rial",
]


def duplicates(df: pl.DataFrame) -> pl.DataFrame:
    """Reject exact repeats of an accepted row (all of :data:`KEYS` equal, empty equal to
    empty), naming the first row; ``df`` in row order, returned in row order."""
    ok = pl.col("_errors").list.len() == 0
    # +0.0 makes -0.0 hash as 0.0: the hash only picks the rows to compare, never decides
    fields = [pl.col(k) + 0.0 if df.schema[k].is_float() else pl.col(k) for k in KEYS]
    hashed = df.select(pl.when(ok).then(pl.struct(fields).hash(7)).alias("h")).to_series()
    candidate = hashed.is_duplicated() & hashed.is_not_null()
    del hashed
    if not candidate.any():
        return df if df.get_column("_row").is_sorted() else df.sort("_row")
    rows = df.select("_row", *KEYS).with_row_index("_i").filter(candidate)
    first = rows.group_by(KEYS, maintain_order=True).agg(pl.col("_row").min().alias("_first"))
    rows = rows.join(first, on=KEYS, how="left", nulls_equal=True).filter(
        pl.col("_row") != pl.col("_first")
    )
    at = pl.Series("_first", [None] * df.height, dtype=pl.Int64).scatter(
        rows.get_column("_i"), rows.get_column("_first")
    )
    dup = pl.col("_first").is_not_null()
    out = (
        df.with_columns(at)
        .with_columns(
            pl.when(dup)
            .then(
                pl.concat_list(
                    [
                        pl.col("_errors"),
                        pl.concat_list(
                            [
                                _err("*", "", pl.col("_first")).struct.with_fields(
                                    pl.format("duplicate of row {}", pl.col("_first")).alias(
                                        "reason"
                                    )
                                )
                            ]
                        ),
                    ]
                )
            )
            .otherwise(pl.col("_errors"))
            .alias("_errors")
        )
        .drop("_first")
    )
    return out if out.get_column("_row").is_sorted() else out.sort("_row")


_SERIES = ["definition", "office", "hs_code", "partner", "exporter", "sh_year"]


def decumulate(df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Monthly values from cumulative-from-Farvardin values; rejects values that fall."""
    df = df.sort([*_SERIES, "sh_month"], nulls_last=True)
    prev_v = pl.col("value_usd").shift(1).over(_SERIES, order_by="sh_month")
    prev_w = pl.col("weight_kg").shift(1).over(_SERIES, order_by="sh_month")
    prev_r = pl.col("value_rial").shift(1).over(_SERIES, order_by="sh_month")
    df = df.with_columns(
        (pl.col("value_usd") - prev_v.fill_null(0.0)).alias("_mv"),
        (pl.col("weight_kg") - prev_w.fill_null(0.0)).alias("_mw"),
        (pl.col("value_rial") - prev_r.fill_null(0.0)).alias("_mr"),
        prev_v.alias("_pv"),
    )
    falls = pl.col("_mv") < -1e-9
    bad = df.filter(falls).with_columns(
        pl.concat_list(
            [
                _err("value", "", pl.col("value_usd")).struct.with_fields(
                    pl.format(
                        "cumulative value fell below the previous month's ({})", pl.col("_pv")
                    ).alias("reason")
                )
            ]
        ).alias("_errors")
    )
    good = df.filter(~falls).with_columns(
        pl.col("_mv").alias("value_usd"),
        pl.col("_mw").alias("weight_kg"),
        pl.col("_mr").alias("value_rial"),
    )
    drop = ["_mv", "_mw", "_mr", "_pv"]
    return good.drop(drop).sort("_row"), bad.drop(drop)
