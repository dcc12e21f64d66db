"""UN Comtrade+ CSV downloads (bulk files and the web interface's export).

Standard columns used: ``refYear`` (or ``period``), ``reporterCode``/``reporterISO``,
``flowCode`` (X exports, M imports), ``partnerCode``/``partnerISO``, ``cmdCode``,
``classificationCode`` (HS edition, e.g. H5), ``primaryValue`` (USD; ``fobvalue`` or
``cifvalue`` when empty), ``netWgt`` (kg), and when present ``partner2Code``,
``customsCode``, ``motCode`` and ``mosCode`` (only their totals are kept).

Exports (X) are stored as ``reported_by = 'exporter'``; imports (M) as ``reported_by =
'importer'`` with exporter = partner and importer = reporter: the partner's **mirror**
exports, which the ``exports`` view uses only for exporter-years with no reported data
(for example Iran in the years it did not report). Rows that are not bilateral HS6 goods
flows (re-exports, partner World, totals, sub-totals by customs procedure) are rejected
with the reason, not dropped.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from exportplan.errors import EmptyFileError, InputError, MissingColumnsError
from exportplan.ingest.customs_rows import shown
from exportplan.ingest.files import UndecodableLine, csv_rows, decode
from exportplan.ingest.staging import Staged
from exportplan.reference import countries
from exportplan.reference.numbers import world_ceilings

REQUIRED = ["refYear", "reporterCode", "flowCode", "partnerCode", "cmdCode", "primaryValue"]
OPTIONAL = [
    "reporterISO",
    "partnerISO",
    "fobvalue",
    "cifvalue",
    "netWgt",
    "classificationCode",
    "partner2Code",
    "customsCode",
    "motCode",
]


def _iso(code: str, iso: str | None) -> str | None:
    if iso and iso.upper() in countries.by_iso3():
        return iso.upper()
    return countries.lookup(code) if code else None


def stage(path: Path, *, source: str = "UN Comtrade", synthetic: bool = False) -> Staged:
    """Read one Comtrade+ CSV: bilateral HS6 goods flows in the ``world_flows`` shape, every
    other row rejected with its reason."""
    path = Path(path)
    decoded = decode(path)
    rows = csv_rows(decoded.text, decoded.bad_lines)
    if isinstance(rows[0], UndecodableLine):
        raise InputError(f"{path.name}: the header line {rows[0].reason}: {rows[0].shown}")
    header = [h.strip() for h in rows[0]]
    if "refYear" not in header and "period" in header:
        header = ["refYear" if h == "period" else h for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise MissingColumnsError(path.name, REQUIRED, header, missing)
    undecodable = [
        (n, r) for n, r in enumerate(rows[1:], start=2) if isinstance(r, UndecodableLine)
    ]
    body = [r if not isinstance(r, UndecodableLine) else [""] * len(header) for r in rows[1:]]
    df = pl.DataFrame(
        {h: [r[i] if i < len(r) else "" for r in body] for i, h in enumerate(header)},
        schema={h: pl.String for h in header},
    )
    df = df.with_columns(pl.int_range(2, df.height + 2).alias("_row"))
    df = df.with_columns(pl.col("_row").is_in([n for n, _r in undecodable]).alias("_undecodable"))
    if df.height == 0:
        raise EmptyFileError(path.name)
    for opt in OPTIONAL:
        if opt not in df.columns:
            df = df.with_columns(pl.lit("", pl.String).alias(opt))
    g = pl.col
    for code, iso, alias in (
        ("reporterCode", "reporterISO", "_rep"),
        ("partnerCode", "partnerISO", "_par"),
    ):
        pairs = df.select(code, iso).unique()
        lookup = pairs.with_columns(
            pl.Series(alias, [_iso(a, b) for a, b in pairs.iter_rows()], dtype=pl.String)
        )
        df = df.join(lookup, on=[code, iso], how="left", nulls_equal=True)
    df = df.sort("_row").with_columns(
        pl.coalesce(
            [g(c).cast(pl.Float64, strict=False) for c in ("primaryValue", "fobvalue", "cifvalue")]
        ).alias("_v"),
        g("netWgt").cast(pl.Float64, strict=False).alias("_w"),
        g("refYear").cast(pl.Int16, strict=False).alias("_y"),
        g("cmdCode").str.strip_chars().alias("_k"),
    )
    usd_max, kg_max = world_ceilings()
    line_shown = {n: r.shown for n, r in undecodable}
    line_reason = {n: r.reason for n, r in undecodable}
    reason = (
        pl.when(pl.col("_undecodable"))
        .then(pl.col("_row").replace_strict(line_reason, default=None, return_dtype=pl.String))
        .when(pl.col("_y").is_null())
        .then(pl.lit("refYear: not a year"))
        .when(~g("flowCode").is_in(["X", "M"]))
        .then(pl.format("flowCode {}: only X and M are imported", g("flowCode")))
        .when(g("partnerCode").is_in(["0", "W00"]) | (g("partnerISO") == "W00"))
        .then(pl.lit("partner World is an aggregate, not a bilateral flow"))
        .when(pl.col("_rep").is_null())
        .then(pl.format("unknown reporter {}", g("reporterCode")))
        .when(pl.col("_par").is_null())
        .then(pl.format("unknown partner {}", g("partnerCode")))
        .when(~pl.col("_k").str.contains(r"^\d{6}$"))
        .then(pl.format("cmdCode {} is not HS6", pl.col("_k")))
        .when(~g("partner2Code").is_in(["", "0"]))
        .then(pl.lit("a partner2 breakdown, not the total"))
        .when(~g("customsCode").is_in(["", "C00"]))
        .then(pl.lit("a customs-procedure breakdown, not the total"))
        .when(~g("motCode").is_in(["", "0"]))
        .then(pl.lit("a mode-of-transport breakdown, not the total"))
        .when(pl.col("_v").is_null())
        .then(pl.lit("value missing or not a number"))
        .when(~pl.col("_v").is_finite())
        .then(pl.lit("value is not a finite number"))
        .when(pl.col("_v") < 0)
        .then(pl.lit("value negative"))
        .when(pl.col("_v") > usd_max)
        .then(
            pl.lit(
                f"value above the ceiling of USD {usd_max:,.0f} per row "
                "(setting max_row_value_usd x 100 for world data)"
            )
        )
        .when((g("netWgt").str.strip_chars() != "") & pl.col("_w").is_null())
        .then(pl.lit("netWgt is not a number"))
        .when(~pl.col("_w").is_finite())
        .then(pl.lit("netWgt is not a finite number"))
        .when(pl.col("_w") < 0)
        .then(pl.lit("netWgt negative"))
        .when(pl.col("_w") > kg_max)
        .then(
            pl.lit(
                f"netWgt above the ceiling of {kg_max:,.0f} kg per row "
                "(setting max_row_weight_kg x 100 for world data)"
            )
        )
        .otherwise(None)
    )
    df = df.with_columns(reason.alias("_reason"))
    ok = df.filter(pl.col("_reason").is_null())
    bad = df.filter(pl.col("_reason").is_not_null())
    edition = g("classificationCode")
    flows = ok.select(
        pl.col("_y").alias("year"),
        pl.when(g("flowCode") == "X")
        .then(pl.col("_rep"))
        .otherwise(pl.col("_par"))
        .alias("exporter"),
        pl.when(g("flowCode") == "X")
        .then(pl.col("_par"))
        .otherwise(pl.col("_rep"))
        .alias("importer"),
        pl.col("_k").alias("hs6"),
        edition.alias("hs_edition"),
        pl.col("_v").alias("value_usd"),
        pl.col("_w").alias("quantity"),
        pl.when(pl.col("_w").is_null()).then(None).otherwise(pl.lit("kg")).alias("quantity_unit"),
        pl.when(g("flowCode") == "X")
        .then(pl.lit("exporter"))
        .otherwise(pl.lit("importer"))
        .alias("reported_by"),
        pl.col("_row"),
    )
    dup = flows.filter(
        pl.struct("year", "exporter", "importer", "hs6", "reported_by").is_duplicated()
        & (pl.int_range(pl.len()).over(["year", "exporter", "importer", "hs6", "reported_by"]) > 0)
    )
    flows = flows.join(dup.select("_row"), on="_row", how="anti")
    rejects = pl.concat(
        [
            bad.select(
                pl.col("_row").alias("row"),
                pl.lit("").alias("column"),
                pl.when(pl.col("_undecodable"))
                .then(
                    pl.col("_row").replace_strict(line_shown, default=None, return_dtype=pl.String)
                )
                .otherwise(shown(g("cmdCode")))
                .alias("value"),
                pl.col("_reason").alias("reason"),
            ),
            dup.select(
                pl.col("_row").alias("row"),
                pl.lit("cmdCode").alias("column"),
                pl.col("hs6").alias("value"),
                pl.lit(
                    "duplicate of an earlier row for the same year, flow, partner, product"
                ).alias("reason"),
            ),
        ]
    )
    return Staged(
        kind="comtrade",
        table="world_flows",
        file_name=path.name,
        rows_read=df.height,
        flows=flows.drop("_row"),
        rejects=rejects,
        source=source,
        synthetic=synthetic,
        options={},
        notes=decoded.note,
    )
