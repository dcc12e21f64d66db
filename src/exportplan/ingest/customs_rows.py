"""Parsing a customs table's rows: headers, fields and the checks of each row.

Input: the cells of a sheet or CSV as text columns in chunks of rows
(:class:`exportplan.ingest.table.Table`, from :func:`exportplan.ingest.customs.read_table`).
Output: one row per record in the ``region_flows`` shape with an ``_errors`` list (column,
value, reason) per row, checked a chunk at a time (repeats across the file and cumulative
values: :mod:`exportplan.ingest.customs_repeats`); :mod:`exportplan.ingest.customs` stages
the accepted rows and the rejects for the warehouse's writer. Checks run once per distinct
value (files repeat values a lot), the rest is vectorised polars.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from exportplan.domain import DEFINITION_LABELS
from exportplan.errors import EmptyFileError, InputError, MissingColumnsError
from exportplan.ingest.customs_options import MAPPING_SETTINGS, CustomsOptions
from exportplan.ingest.files import UndecodableLine
from exportplan.ingest.table import Table, column
from exportplan.reference import calendar as cal
from exportplan.reference import countries, hs
from exportplan.reference.numbers import (
    RIALS_PER_USD_BOUND,
    canonical,
    ceilings,
    check_decimal,
    number_exprs,
)
from exportplan.reference.text import SHOWN_CHARS, TEXT_REPLACEMENTS, listed, match_key, shorten

Progress = Callable[[str, int, int | None], None]


ALIASES: dict[str, tuple[str, ...]] = {
    "period": (
        "period",
        "date",
        "month",
        "تاریخ",
        "تاریخ اظهار",
        "تاریخ صدور",
        "دوره",
        "ماه و سال",
        "تاریخ ثبت",
        "declaration date",
    ),
    "year": ("year", "سال"),
    "month": ("month number", "ماه", "شماره ماه"),
    "office": (
        "office",
        "customs office",
        "customs",
        "گمرک",
        "گمرک اجرایی",
        "گمرک صادراتی",
        "نام گمرک",
        "گمرک خروجی",
    ),
    "hs_code": (
        "hs",
        "hs code",
        "hs_code",
        "tariff code",
        "tariff line",
        "code",
        "کد تعرفه",
        "تعرفه",
        "کد کالا",
        "ردیف تعرفه",
        "شماره تعرفه",
    ),
    "partner": (
        "destination",
        "partner",
        "country",
        "destination country",
        "کشور مقصد",
        "مقصد",
        "کشور",
        "کشور طرف تجاری",
        "نام کشور",
    ),
    "weight": (
        "weight",
        "weight kg",
        "net weight",
        "weight_kg",
        "وزن",
        "وزن خالص",
        "وزن کیلوگرم",
        "وزن (کیلوگرم)",
        "وزن کیلو",
        "وزن خالص (کیلوگرم)",
    ),
    "weight_t": (
        "weight t",
        "weight tonnes",
        "weight tons",
        "weight_t",
        "tonnes",
        "وزن (تن)",
        "وزن تن",
        "تن",
    ),
    "value": (
        "value",
        "value usd",
        "value_usd",
        "usd",
        "value (usd)",
        "ارزش دلاری",
        "ارزش (دلار)",
        "ارزش دلار",
        "ارزش",
        "ارزش به دلار",
    ),
    "value_rial": (
        "value rial",
        "value_rial",
        "rial",
        "ارزش ریالی",
        "ارزش (ریال)",
        "ارزش ریال",
        "ارزش به ریال",
    ),
    "rate": ("rate", "exchange rate", "نرخ ارز", "نرخ تسعیر"),
    "definition": ("definition", "basis", "نوع آمار", "مبنا"),
    "exporter": ("exporter", "firm", "صادرکننده", "نام صادرکننده", "شرکت"),
    "description": ("description", "goods", "شرح کالا", "شرح تعرفه", "نام کالا"),
}
_ALIAS_INDEX = {match_key(a): canon for canon, names in ALIASES.items() for a in names}
REQUIRED = ("hs_code", "partner")

TOTAL_WORDS = r"(?i)^\s*(جمع|مجموع|جمع کل|total|sum|grand total)\b"
DEFINITION_VALUES = {
    **{
        match_key(v): "origin"
        for v in (
            "origin",
            "made in region",
            "تولید استان",
            "تولید",
            "مبدا",
            "ساخت استان",
            "produced",
        )
    },
    **{
        match_key(v): "customs"
        for v in (
            "customs",
            "customs exit",
            "exit",
            "گمرکات استان",
            "خروج از گمرک",
            "گمرک",
            "through customs",
        )
    },
}


def _header(rows: list[list[str]], mapping: dict[str, str]) -> tuple[int, dict[str, int]]:
    """Index of the header row among the first 30 and the canonical field -> column index."""
    wanted = {match_key(str(v)): k for k, v in mapping.items() if isinstance(v, str)}
    best, best_cols = -1, dict[str, int]()
    for i, row in enumerate(rows[:30]):
        cols: dict[str, int] = {}
        for j, name in enumerate(row):
            key = match_key(name)
            canon = wanted.get(key) or (_ALIAS_INDEX.get(key) if key not in wanted else None)
            if canon and canon not in cols:
                cols[canon] = j
        if len(cols) > len(best_cols):
            best, best_cols = i, cols
    if best < 0 or len(best_cols) < 2:
        return -1, {}
    return best, best_cols


def shown(value: pl.Expr) -> pl.Expr:
    """A cell's text as a reject shows it: cut to :data:`SHOWN_CHARS`, saying how long."""
    v = value.cast(pl.String)
    return (
        pl.when(v.str.len_chars() > SHOWN_CHARS)
        .then(pl.format("{}… ({} characters)", v.str.slice(0, SHOWN_CHARS), v.str.len_chars()))
        .otherwise(v)
    )


def _err(column: str, reason: str, value: pl.Expr) -> pl.Expr:
    return pl.struct(
        pl.lit(column).alias("column"),
        shown(value).alias("value"),
        pl.lit(reason).alias("reason"),
    )


def _map_unique(series: pl.Series, fn: Callable[[str], Any], dtype: pl.DataType) -> pl.Series:
    """Apply a Python function once per distinct value (files repeat values a lot)."""
    if series.is_empty():  # a file whose only rows did not decode
        return pl.Series(series.name, [], dtype=dtype)
    uniq = series.unique()
    mapped = pl.Series([fn(v) for v in uniq.to_list()], dtype=dtype)
    return series.replace_strict(uniq, mapped, return_dtype=dtype)


_PERIOD_T = pl.Struct(
    {
        "sh_year": pl.Int16,
        "sh_month": pl.Int8,
        "g_year": pl.Int16,
        "g_month": pl.Int8,
        "day": pl.Date,
        "problem": pl.String,
    }
)


def _period(raw: str) -> dict[str, Any]:
    empty = {"sh_year": None, "sh_month": None, "g_year": None, "g_month": None, "day": None}
    if not raw:
        return {**empty, "problem": "period missing"}
    try:
        p = cal.parse_period(raw)
    except cal.PeriodError as exc:
        return {**empty, "problem": shorten(str(exc), 2 * SHOWN_CHARS)}
    if p.month is None:
        return {
            **empty,
            "problem": f"{shorten(raw)!r} is a year; monthly or daily periods are needed",
        }
    day = p.gregorian_date()
    if p.calendar == "sh":
        g = (day.year, day.month) if day else (None, None)
        return {
            "sh_year": p.year,
            "sh_month": p.month,
            "g_year": g[0],
            "g_month": g[1],
            "day": day,
            "problem": None,
        }
    if day is not None:
        sy, sm = p.sh_year_month()
        return {
            "sh_year": sy,
            "sh_month": sm,
            "g_year": p.year,
            "g_month": p.month,
            "day": day,
            "problem": None,
        }
    return {
        "sh_year": None,
        "sh_month": None,
        "g_year": p.year,
        "g_month": p.month,
        "day": None,
        "problem": None,
    }


def _looked_up(
    df: pl.DataFrame,
    source: str,
    fn: Callable[[str], dict[str, Any]],
    dtype: pl.Struct,
    problem: str,
    rename: dict[str, str] | None = None,
) -> pl.DataFrame:
    """Columns of ``fn(value)`` (computed once per distinct value) added to ``df``; its
    ``problem`` field becomes the column ``problem``, others are renamed by ``rename``."""
    fields = _map_unique(df.get_column(source), fn, dtype).struct.unnest()
    names = {"problem": problem, **(rename or {})}
    return df.hstack(fields.rename({k: v for k, v in names.items() if k in fields.columns}))


def _lookup_error(column: str, value: str, problem: str) -> pl.Expr:
    """The reject entry of a failed look-up (not for total rows, which are rejected as such)."""
    return pl.when(pl.col(problem).is_not_null() & ~pl.col("_total")).then(
        _err(column, "", pl.col(value)).struct.with_fields(pl.col(problem).alias("reason"))
    )


_HS_T = pl.Struct({"code": pl.String, "padded": pl.Boolean, "problem": pl.String})
_PARTNER_T = pl.Struct({"iso3": pl.String, "problem": pl.String})


def _hs(raw: str) -> dict[str, Any]:
    c = hs.clean_code(raw)
    problem = shorten(c.problem, 2 * SHOWN_CHARS) if c.problem else None
    return {"code": c.code, "padded": c.padded, "problem": problem}


def _partner(raw: str) -> dict[str, Any]:
    if not raw:
        return {"iso3": None, "problem": "destination missing"}
    iso = countries.lookup(raw)
    if iso:
        return {"iso3": iso, "problem": None}
    hint = countries.suggest(raw)
    return {
        "iso3": None,
        "problem": f"unknown country {shorten(raw)!r}"
        + (f"; did you mean {hint}?" if hint else ""),
    }


def _definition(raw: str) -> str | None:
    return DEFINITION_VALUES.get(match_key(raw))


def parse(
    table: Table,
    file_name: str,
    options: CustomsOptions,
    *,
    progress: Progress | None = None,
) -> tuple[pl.DataFrame, list[str], str]:
    """Parse a table's rows into the region_flows shape with an ``_errors`` list per row,
    checking a chunk of rows at a time and consuming the table's chunks as it goes (the
    decimal evidence and the duplicates are decided over the whole file)."""
    unknown = sorted(set(options.mapping) - set(ALIASES) - set(MAPPING_SETTINGS))
    if unknown:
        raise InputError(
            f"mapping names unknown field(s) {', '.join(unknown)}; fields are "
            f"{', '.join(ALIASES)} (and {', '.join(MAPPING_SETTINGS)})"
        )
    mapping = {k: v for k, v in options.mapping.items() if k in ALIASES}
    rows = table.rows(30)  # where the header is looked for
    header_at, cols = _header(rows, mapping)
    if mapping and header_at >= 0:
        head = [match_key(c) for c in rows[header_at]]
        absent = [f"{k} -> {v!r}" for k, v in mapping.items() if match_key(v) not in head]
        if absent:
            raise InputError(
                f"{file_name}: the mapping names column(s) the file does not have: "
                f"{listed(absent)}; found {listed([c for c in rows[header_at] if c.strip()])}"
            )
    found = [c for c in (rows[max(header_at, 0)] if rows else []) if c.strip()]
    if header_at < 0:
        raise MissingColumnsError(
            file_name, [*REQUIRED, "period", "value"], found, [*REQUIRED, "period", "value"]
        )
    missing = [f for f in REQUIRED if f not in cols]
    if "period" not in cols and not ("year" in cols and "month" in cols):
        missing.append("period (or year and month)")
    if "value" not in cols and "value_rial" not in cols:
        missing.append("value (USD) or value_rial")
    if missing:
        raise MissingColumnsError(file_name, [*REQUIRED, "period", "value"], found, missing)
    if "value" not in cols and options.rate is None and "rate" not in cols:
        raise InputError(
            f"{file_name}: values are in rials and no exchange rate was given",
            hint="give --rate (rials per USD) or a rate column",
        )
    unit = options.weight_unit
    if "weight_t" in cols:
        if "weight" not in cols:
            cols["weight"] = cols["weight_t"]
            unit = unit or "t"
        del cols["weight_t"]
    header_row = header_at + 1  # the header's row number
    undecodable = sorted(((n, r) for n, r in table.bad.items() if n > header_row), key=_first)
    before = sum(1 for n in table.bad if n < header_row)
    number_cols = _number_cols(cols)
    in_body = sum(int((c.get_column("_row") > header_row).sum()) for c in table.chunks)
    if not in_body and not undecodable:  # blank rows are layout (the table leaves them out)
        raise EmptyFileError(file_name)
    evidence = None
    if options.decimal is None and number_cols:
        evidence = _evidence(table, header_row, cols)
    outs: list[pl.DataFrame] = []
    padded, done = 0, 0
    checked: tuple[list[str], str] | None = None
    for chunk in table.take():  # each chunk of text let go once checked
        body = _body(chunk, header_row, cols)
        del chunk
        if not body.height:
            continue
        if progress is not None:
            progress("parse", done, in_body)
        out, notes, definition_note, n_padded = _checked(
            body, cols, options, unit, before, evidence
        )
        done += body.height
        del body
        outs.append(out)
        padded += n_padded
        checked = checked or (notes, definition_note)
    if checked is None:  # only lines that did not decode: the checks' notes and columns
        empty = _body(pl.DataFrame(schema={"_row": pl.Int64}), header_row, cols)
        out, notes, definition_note, _ = _checked(empty, cols, options, unit, before, evidence)
        outs.append(out)
        checked = (notes, definition_note)
    notes, definition_note = list(checked[0]), checked[1]
    if padded:
        notes.append(
            f"{padded} HS code(s) had an odd number of digits (a lost leading zero) and "
            "were padded with one zero; flagged 'hs_padded' on each row"
        )
    out = pl.concat(outs, how="vertical_relaxed", rechunk=False) if len(outs) > 1 else outs[0]
    del outs
    if undecodable:
        bad = pl.DataFrame(
            {
                "_row": [n for n, _r in undecodable],
                "_errors": [
                    [{"column": "*", "value": r.shown, "reason": r.reason}] for _n, r in undecodable
                ],
            },
            schema={"_row": pl.Int64, "_errors": out.schema["_errors"]},
        )
        out = pl.concat([out, bad], how="diagonal_relaxed").sort("_row")
    return out, notes, definition_note


def _first(item: tuple[int, UndecodableLine]) -> int:
    return item[0]


def _number_cols(cols: dict[str, int]) -> list[str]:
    return [c for c in ("value", "value_rial", "rate", "weight") if c in cols]


def _cleaned(name: str) -> pl.Expr:
    """A cell's text with look-alike letters and marks unified, trimmed."""
    return (
        pl.col(name)
        .str.replace_many(list(TEXT_REPLACEMENTS), list(TEXT_REPLACEMENTS.values()))
        .str.strip_chars()
    )


def _body(chunk: pl.DataFrame, header_row: int, cols: dict[str, int]) -> pl.DataFrame:
    """A table chunk's rows below the header as the fields' text columns (``""`` where a row
    is shorter) and, per number field, ``_{field}_typed`` (the cell held a typed number)."""
    text = [column(chunk, j).alias(name) for name, j in cols.items()]
    typed = [column(chunk, cols[c], typed=True).alias(f"_{c}_typed") for c in _number_cols(cols)]
    rows = chunk.filter(pl.col("_row") > header_row) if chunk.height else chunk
    return rows.select(pl.col("_row"), *text, *typed)


def _evidence(table: Table, header_row: int, cols: dict[str, int]) -> int | None:
    """The first row (not a total row) writing a number in a form only the other decimal
    convention reads: what makes the forms both conventions read (``1,234``) ambiguous in
    the whole file. Read before the rows are checked, a chunk at a time."""
    number_cols = _number_cols(cols)
    names = list(cols)
    for chunk in table.chunks:
        body = _body(chunk, header_row, cols)
        other = pl.any_horizontal(
            [
                number_exprs(canonical(_cleaned(c)), ".").other_form & ~pl.col(f"_{c}_typed")
                for c in number_cols
            ]
        )
        rows = body.filter(other).with_columns([_cleaned(n) for n in names])
        first_text = pl.concat_str([pl.col(n) for n in names], separator=" ")
        rows = rows.filter(~((pl.col("hs_code") == "") & first_text.str.contains(TOTAL_WORDS)))
        if rows.height:
            return int(rows.get_column("_row").min())  # type: ignore[arg-type]
    return None


def _checked(
    df: pl.DataFrame,
    cols: dict[str, int],
    options: CustomsOptions,
    unit: str | None,
    before: int,
    evidence: int | None,
) -> tuple[pl.DataFrame, list[str], str, int]:
    """Rows checked and typed (a chunk of them): the region_flows columns with ``_errors``,
    the notes on how values were read, the note on the definition, and how many accepted
    rows had a padded HS code."""
    names = list(cols)
    df = df.with_columns([_cleaned(n) for n in names])
    errs: list[pl.Expr] = []
    notes: list[str] = []
    if before:
        notes.append(f"{before} line(s) above the header did not decode (not records)")
    # a total row: a total word in any cell and no product code
    first_text = pl.concat_str([pl.col(n) for n in names], separator=" ")
    is_total = (pl.col("hs_code") == "") & first_text.str.contains(TOTAL_WORDS)
    df = df.with_columns(is_total.alias("_total"))
    errs.append(
        pl.when(pl.col("_total")).then(_err("hs_code", "total row, not a record", first_text))
    )
    # period
    if "period" in cols:
        period_raw = pl.col("period")
    else:
        period_raw = pl.concat_str([pl.col("year"), pl.col("month")], separator="/")
    df = df.with_columns(period_raw.alias("_period_raw"))
    df = _looked_up(df, "_period_raw", _period, _PERIOD_T, "_p_problem")
    errs.append(_lookup_error("period", "_period_raw", "_p_problem"))
    # product code
    df = _looked_up(
        df,
        "hs_code",
        _hs,
        _HS_T,
        "_hs_problem",
        rename={"code": "_hs_clean", "padded": "_hs_padded"},
    )
    errs.append(_lookup_error("hs_code", "hs_code", "_hs_problem"))
    # partner
    df = _looked_up(df, "partner", _partner, _PARTNER_T, "_c_problem", rename={"iso3": "_partner"})
    errs.append(_lookup_error("partner", "partner", "_c_problem"))

    # numbers: read under the file's decimal convention (typed spreadsheet numbers always with
    # "."), refused when not finite, negative or above the ceiling
    decimal = check_decimal(options.decimal)
    usd_max, kg_max = ceilings()
    number_cols = _number_cols(cols)
    df = df.with_columns([canonical(pl.col(c)).alias(f"_{c}_c") for c in number_cols])
    read = {
        c: (number_exprs(pl.col(f"_{c}_c"), decimal), number_exprs(pl.col(f"_{c}_c"), "."))
        for c in number_cols
    }

    def pick(c: str, attr: str) -> pl.Expr:
        declared, typed_read = read[c]
        if decimal == ".":
            return getattr(declared, attr)  # type: ignore[no-any-return]
        return (
            pl.when(pl.col(f"_{c}_typed"))
            .then(getattr(typed_read, attr))
            .otherwise(getattr(declared, attr))
        )

    df = df.with_columns(
        [pick(c, "value").alias(f"_{c}_n") for c in number_cols]
        + [pick(c, "problem").alias(f"_{c}_problem") for c in number_cols]
        + [
            (pick(c, "other_form") & ~pl.col(f"_{c}_typed")).alias(f"_{c}_other")
            for c in number_cols
        ]
        + [(pick(c, "ambiguous") & ~pl.col(f"_{c}_typed")).alias(f"_{c}_amb") for c in number_cols]
    )
    if evidence is not None:
        notes.append(
            f"row {evidence} writes a number with the other decimal mark: numbers such as "
            "1,234 are ambiguous in this file and were rejected; give --decimal . or "
            "--decimal , to say how the file writes its numbers"
        )

    def number_checks(col: str, label: str, required: bool) -> None:
        problem = pl.col(f"_{col}_problem")
        errs.append(
            pl.when(problem.is_not_null() & ~pl.col("_total")).then(
                _err(col, "", pl.col(col)).struct.with_fields(
                    pl.format("{} {}", pl.lit(label), problem).alias("reason")
                )
            )
        )
        if evidence is not None:
            errs.append(
                pl.when(pl.col(f"_{col}_amb") & problem.is_null() & ~pl.col("_total")).then(
                    _err(
                        col,
                        f"{label} is ambiguous: 1,234 is 1234 with decimal points and 1.234 "
                        f"with decimal commas, and row {evidence} of this file writes a number "
                        "with the other decimal mark; give --decimal . or --decimal ,",
                        pl.col(col),
                    )
                )
            )
        errs.append(
            pl.when(pl.col(f"_{col}_n") < 0).then(_err(col, f"{label} is negative", pl.col(col)))
        )
        if required:
            errs.append(
                pl.when((pl.col(col) == "") & ~pl.col("_total")).then(
                    _err(col, f"{label} missing", pl.col(col))
                )
            )

    def ceiling_check(col: str, amount: pl.Expr, reason: str, limit: float) -> None:
        errs.append(pl.when(amount > limit).then(_err(col, reason, pl.col(col))))

    value_rial = pl.lit(None, pl.Float64)
    rial_max = usd_max * RIALS_PER_USD_BOUND
    rial_reason = (
        f"value (rials) is above the ceiling of {rial_max:,.0f} rials per row (USD "
        f"{usd_max:,.0f} at {RIALS_PER_USD_BOUND:,.0f} rials per USD; setting max_row_value_usd)"
    )
    usd_reason = (
        f"value (USD) is above the ceiling of USD {usd_max:,.0f} per row "
        "(setting max_row_value_usd)"
    )
    if "value" in cols:
        number_checks("value", "value (USD)", True)
        value_usd = pl.col("_value_n")
        ceiling_check("value", value_usd, usd_reason, usd_max)
        if "value_rial" in cols:
            number_checks("value_rial", "value (rials)", False)
            value_rial = pl.col("_value_rial_n")
            ceiling_check("value_rial", value_rial, rial_reason, rial_max)
    else:
        number_checks("value_rial", "value (rials)", True)
        value_rial = pl.col("_value_rial_n")
        ceiling_check("value_rial", value_rial, rial_reason, rial_max)
        if "rate" in cols:
            number_checks("rate", "exchange rate", options.rate is None)
            rate = (
                pl.col("_rate_n")
                if options.rate is None
                else pl.col("_rate_n").fill_null(options.rate)
            )
            errs.append(
                pl.when(rate == 0).then(_err("rate", "exchange rate is zero", pl.col("rate")))
            )
        else:
            rate = pl.lit(options.rate, pl.Float64)
        value_usd = value_rial / rate
        ceiling_check(
            "value_rial",
            pl.when(rate > 0).then(value_usd),
            f"value (rials) converted at the rate is above the ceiling of USD {usd_max:,.0f} "
            "per row (setting max_row_value_usd)",
            usd_max,
        )
        notes.append(
            "values converted from rials"
            + (
                f" at {options.rate:g} rials per USD"
                if options.rate and "rate" not in cols
                else " at each row's rate"
            )
        )
    weight = pl.lit(None, pl.Float64)
    if "weight" in cols:
        number_checks("weight", "weight", False)
        weight = pl.col("_weight_n") * (1000.0 if unit == "t" else 1.0)
        ceiling_check(
            "weight",
            weight,
            f"weight is above the ceiling of {kg_max:,.0f} kg per row (setting max_row_weight_kg)",
            kg_max,
        )
        notes.append(f"weights read in {'tonnes' if unit == 't' else 'kg'}")
    if decimal == "," or options.decimal is not None:
        notes.append(
            f"numbers read with {'decimal commas' if decimal == ',' else 'decimal points'}"
        )
    # definition
    if "definition" in cols:
        df = df.with_columns(
            _map_unique(df.get_column("definition"), _definition, pl.String()).alias("_def")
        )
        default_def = options.definition or "customs"
        errs.append(
            pl.when((pl.col("definition") != "") & pl.col("_def").is_null()).then(
                _err(
                    "definition", "unknown definition; use origin or customs", pl.col("definition")
                )
            )
        )
        definition = (
            pl.when(pl.col("definition") == "").then(pl.lit(default_def)).otherwise(pl.col("_def"))
        )
        definition_note = "definition read from the file's column"
    elif options.definition is not None:
        definition = pl.lit(options.definition)
        meaning = DEFINITION_LABELS[options.definition]
        definition_note = f"definition: {options.definition} ({meaning})"
    else:
        definition = pl.lit("customs")
        definition_note = (
            "definition not given in the file: counted as goods leaving through the "
            "region's customs offices (customs); use --definition origin otherwise"
        )
    if options.cumulative:
        errs.append(
            pl.when(pl.col("day").is_not_null() & pl.col("_p_problem").is_null()).then(
                _err(
                    "period",
                    "a cumulative file needs monthly periods, not days",
                    pl.col("_period_raw"),
                )
            )
        )
        errs.append(
            pl.when(pl.col("sh_year").is_null() & pl.col("_p_problem").is_null()).then(
                _err("period", "a cumulative file needs Solar Hijri months", pl.col("_period_raw"))
            )
        )
    df = df.with_columns(
        pl.concat_list([e for e in errs]).list.drop_nulls().alias("_errors"),
        definition.alias("definition"),
        value_usd.alias("value_usd"),
        value_rial.alias("value_rial"),
        weight.alias("weight_kg"),
        pl.col("_hs_clean").alias("hs_code_clean"),
    )
    padded = df.filter((pl.col("_errors").list.len() == 0) & pl.col("_hs_padded")).height
    out = df.select(
        "_row",
        "_errors",
        "definition",
        "sh_year",
        "sh_month",
        "g_year",
        "g_month",
        "day",
        (pl.col("office") if "office" in cols else pl.lit(None, pl.String)).alias("office"),
        pl.col("hs_code_clean").alias("hs_code"),
        pl.col("hs_code_clean").str.slice(0, 6).alias("hs6"),
        pl.col("_partner").alias("partner"),
        "weight_kg",
        "value_usd",
        "value_rial",
        (pl.col("exporter") if "exporter" in cols else pl.lit(None, pl.String)).alias("exporter"),
        pl.when(pl.col("_hs_padded")).then(pl.lit("hs_padded")).otherwise(None).alias("flags"),
        (pl.col("description") if "description" in cols else pl.lit(None, pl.String)).alias(
            "description"
        ),
    )
    return out, notes, definition_note, padded
