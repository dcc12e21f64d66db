"""A region's customs records, from CSV or Excel, with Persian or English headers.

Fields (canonical names; headers are matched in Persian or English, or given by a mapping):
``period`` (``1402/12/29``, ``1402/12``, Gregorian ``2024-03-19``; or ``year`` and ``month``
columns), ``office`` (customs office), ``hs_code`` (HS6 to 10-digit national tariff line,
kept as given and truncated to HS6), ``partner`` (destination: Persian or English name, or a
code), ``weight`` (kg, or tonnes when the header or mapping says so), ``value`` (USD, or rials
with ``--rate`` or a ``rate`` column), ``definition`` (goods made in the region, ``origin``, or
goods leaving through its customs, ``customs``), ``exporter``, ``description``.

When the file does not say which definition it counts, the records are taken as goods
leaving through the region's customs offices (what customs offices report), and the summary
says so. A cumulative file (values from 1 Farvardin to the end of each month, as provincial
reports often are) is turned into monthly values by differencing within each series
(definition, office, product, partner, exporter); a cumulative value that falls is rejected.

Every row is accepted or rejected with its reasons (one rejects entry per failing cell);
the import is one transaction; the same file imported twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from exportplan.errors import EmptyFileError, InputError, MissingColumnsError
from exportplan.ingest.files import csv_rows, decode
from exportplan.reference import calendar as cal
from exportplan.reference import countries, hs
from exportplan.reference.text import NUMBER_REPLACEMENTS, TEXT_REPLACEMENTS, match_key
from exportplan.store import warehouse
from exportplan.store.warehouse import ImportSummary

Progress = Callable[[str, int, int | None], None]

DEFINITIONS = ("customs", "origin")
DEFINITION_LABELS = {
    "customs": "goods leaving through the region's customs offices",
    "origin": "goods made in the region",
}

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
# keys a mapping file may carry besides fields: how to read the file
MAPPING_SETTINGS = ("cumulative", "weight_unit", "definition", "rate")

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


@dataclass
class CustomsOptions:
    """How to read a customs file; every choice is recorded with the dataset."""

    region: str
    definition: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    cumulative: bool = False
    rate: float | None = None
    weight_unit: str | None = None  # "kg" or "t"; default from the header, else kg
    sheet: str | int | None = None
    synthetic: bool = False
    source: str = "customs file"

    def with_mapping(self, mp: dict[str, Any]) -> CustomsOptions:
        """These options completed by a mapping file: its fields, and its settings where the
        command line left them unset (``cumulative``, ``weight_unit``, ``definition``,
        ``rate``)."""
        fields = {k: str(v) for k, v in mp.items() if k not in MAPPING_SETTINGS}
        rate = self.rate
        if rate is None and mp.get("rate") not in (None, ""):
            try:
                rate = float(str(mp["rate"]))
            except ValueError as exc:
                raise InputError(f"mapping rate {mp['rate']!r} is not a number") from exc
        return CustomsOptions(
            region=self.region,
            definition=self.definition or (str(mp["definition"]) if mp.get("definition") else None),
            mapping={**fields, **self.mapping},
            cumulative=self.cumulative or truthy(mp.get("cumulative", False)),
            rate=rate,
            weight_unit=self.weight_unit
            or (str(mp["weight_unit"]) if mp.get("weight_unit") else None),
            sheet=self.sheet,
            synthetic=self.synthetic,
            source=self.source,
        )


def truthy(value: Any) -> bool:
    """A yes/no setting from a mapping file (JSON true, or text such as yes, 1, بله)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "بله", "آری"):
        return True
    if text in ("", "0", "false", "no", "n", "خیر"):
        return False
    raise InputError(f"{value!r} is not a yes/no value")


def load_mapping(path: Path) -> dict[str, Any]:
    """A column mapping file: JSON, or CSV with ``field,column`` rows."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path.name}: not valid JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise InputError(f"{path.name}: a mapping is an object of field -> column header")
        return {str(k): v for k, v in data.items()}
    rows = csv_rows(text)
    out: dict[str, Any] = {}
    for r in rows[1:] if rows and rows[0][:1] == ["field"] else rows:
        if len(r) >= 2 and r[0].strip():
            out[r[0].strip()] = r[1].strip()
    return out


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def read_table(
    path: Path, sheet: str | int | None = None, progress: Progress | None = None
) -> tuple[list[list[str]], str]:
    """Rows of cells as text, and a note on how the file was read (encoding or sheet)."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise EmptyFileError(path.name)
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        from python_calamine import CalamineWorkbook

        try:
            wb = CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # calamine raises its own error types for broken files
            raise InputError(f"{path.name}: not a readable spreadsheet ({exc})") from exc
        names = wb.sheet_names
        if sheet is None:
            sh = wb.get_sheet_by_index(0)
        elif isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit()):
            if not 0 <= int(sheet) < len(names):
                raise InputError(
                    f"{path.name}: no sheet number {sheet}; it has {len(names)} sheet(s), "
                    f"numbered from 0: {', '.join(names)}"
                )
            sh = wb.get_sheet_by_index(int(sheet))
        elif sheet in names:
            sh = wb.get_sheet_by_name(sheet)
        else:
            raise InputError(f"{path.name}: no sheet {sheet!r}; sheets: {', '.join(names)}")
        total = sh.total_height or None
        rows: list[list[str]] = []
        for i, r in enumerate(sh.iter_rows()):
            rows.append([_cell(v) for v in r])
            if progress is not None and i % 50000 == 0:
                progress("read", i, total)
        return rows, f"sheet {sh.name}"
    text, enc = decode(path)
    return csv_rows(text), f"encoding {enc}"


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


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    options: CustomsOptions,
    *,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import one customs file for ``options.region``."""
    path = Path(path)
    if options.weight_unit not in (None, "kg", "t"):
        raise InputError(f"weight unit must be kg or t, not {options.weight_unit!r}")
    if options.definition is not None and options.definition not in DEFINITIONS:
        raise InputError(
            f"definition must be one of {', '.join(DEFINITIONS)}; got {options.definition!r}"
        )
    sha = warehouse.sha256_file(path) if path.exists() else ""
    prev = warehouse.previous_import(con, "customs", sha, options.region)
    if prev is not None:
        return prev
    rows, how = read_table(path, options.sheet, progress)
    frame, notes, definition_note = parse(rows, path.name, options, progress=progress)
    accepted = frame.filter(pl.col("_errors").list.len() == 0)
    rejected = frame.filter(pl.col("_errors").list.len() > 0)
    if options.cumulative:
        accepted, more = _decumulate(accepted)
        rejected = pl.concat([rejected, more], how="diagonal_relaxed")
    rejects = (
        rejected.select("_row", "_errors")
        .explode("_errors")
        .unnest("_errors")
        .select(
            pl.lit(path.name).alias("file"),
            pl.col("_row").alias("row"),
            "column",
            "value",
            "reason",
        )
        .sort("row")
    )
    rows_read = frame.height
    with warehouse.import_transaction(con) as ds:
        out = accepted.select(
            pl.lit(ds, pl.Int32).alias("dataset_id"),
            pl.col("_row").alias("source_row"),
            pl.lit(options.region).alias("region"),
            "definition",
            "sh_year",
            "sh_month",
            "g_year",
            "g_month",
            "day",
            "office",
            "hs_code",
            "hs6",
            "partner",
            "weight_kg",
            "value_usd",
            "value_rial",
            "exporter",
            "flags",
        )
        con.register("_customs_in", out)
        con.execute("INSERT INTO region_flows SELECT * FROM _customs_in")
        con.unregister("_customs_in")
        warehouse.refresh_region_summary(con, options.region)
        warehouse.checkpoint("flows")
        con.register("_rejects_in", rejects.with_columns(pl.lit(ds, pl.Int32).alias("dataset_id")))
        con.execute(
            'INSERT INTO rejects SELECT dataset_id, file, "row", "column", value, reason '
            "FROM _rejects_in"
        )
        con.unregister("_rejects_in")
        warehouse.checkpoint("rejects")
        names = _hs_names(accepted, path.name)
        if names.height:
            con.register("_hs_names_in", names)
            con.execute(
                "DELETE FROM hs_names WHERE lang = 'fa' AND code IN (SELECT code FROM _hs_names_in)"
            )
            con.execute("INSERT INTO hs_names SELECT code, 'fa', name, source FROM _hs_names_in")
            con.unregister("_hs_names_in")
            notes.append(f"{names.height} Persian product name(s) recorded from the file")
        all_notes = [how, definition_note, *notes]
        warehouse.record_dataset(
            con,
            dataset_id=ds,
            kind="customs",
            file_name=path.name,
            sha=sha,
            rows_read=rows_read,
            rows_accepted=accepted.height,
            rows_rejected=rows_read - accepted.height,
            source=options.source,
            region=options.region,
            definition=",".join(sorted(set(accepted.get_column("definition").to_list()))) or None,
            synthetic=options.synthetic,
            options={
                "cumulative": options.cumulative,
                "rate": options.rate,
                "weight_unit": options.weight_unit,
                "mapping": options.mapping,
                "definition": options.definition,
            },
            notes="; ".join(n for n in all_notes if n),
        )
    return ImportSummary(
        ds,
        "customs",
        path.name,
        rows_read,
        accepted.height,
        rows_read - accepted.height,
        notes="; ".join(n for n in all_notes if n),
    )


def _hs_names(accepted: pl.DataFrame, file_name: str) -> pl.DataFrame:
    """Tariff-line descriptions given in the file (the most frequent text per code)."""
    if "description" not in accepted.columns:
        return pl.DataFrame(schema={"code": pl.String, "name": pl.String, "source": pl.String})
    return (
        accepted.filter(pl.col("description").is_not_null() & (pl.col("description") != ""))
        .group_by("hs_code", "description")
        .len()
        .sort(["hs_code", "len", "description"], descending=[False, True, False])
        .group_by("hs_code", maintain_order=True)
        .first()
        .select(
            pl.col("hs_code").alias("code"),
            pl.col("description").alias("name"),
            pl.lit(file_name).alias("source"),
        )
    )


def _err(column: str, reason: str, value: pl.Expr) -> pl.Expr:
    return pl.struct(
        pl.lit(column).alias("column"),
        value.cast(pl.String).alias("value"),
        pl.lit(reason).alias("reason"),
    )


def _map_unique(series: pl.Series, fn: Callable[[str], Any], dtype: pl.DataType) -> pl.Series:
    """Apply a Python function once per distinct value (files repeat values a lot)."""
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
        return {**empty, "problem": str(exc)}
    if p.month is None:
        return {**empty, "problem": f"{raw!r} is a year; monthly or daily periods are needed"}
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
    return {"code": c.code, "padded": c.padded, "problem": c.problem}


def _partner(raw: str) -> dict[str, Any]:
    if not raw:
        return {"iso3": None, "problem": "destination missing"}
    iso = countries.lookup(raw)
    if iso:
        return {"iso3": iso, "problem": None}
    hint = countries.suggest(raw)
    return {
        "iso3": None,
        "problem": f"unknown country {raw!r}" + (f"; did you mean {hint}?" if hint else ""),
    }


def _definition(raw: str) -> str | None:
    return DEFINITION_VALUES.get(match_key(raw))


def _number(col: str) -> pl.Expr:
    return (
        pl.col(col)
        .str.replace_many(list(NUMBER_REPLACEMENTS), list(NUMBER_REPLACEMENTS.values()))
        .cast(pl.Float64, strict=False)
    )


def parse(
    rows: list[list[str]],
    file_name: str,
    options: CustomsOptions,
    *,
    progress: Progress | None = None,
) -> tuple[pl.DataFrame, list[str], str]:
    """Parse rows into the region_flows shape with an ``_errors`` list per row."""
    unknown = sorted(set(options.mapping) - set(ALIASES) - set(MAPPING_SETTINGS))
    if unknown:
        raise InputError(
            f"mapping names unknown field(s) {', '.join(unknown)}; fields are "
            f"{', '.join(ALIASES)} (and {', '.join(MAPPING_SETTINGS)})"
        )
    mapping = {k: v for k, v in options.mapping.items() if k in ALIASES}
    header_at, cols = _header(rows, mapping)
    if mapping and header_at >= 0:
        head = [match_key(c) for c in rows[header_at]]
        absent = [f"{k} -> {v!r}" for k, v in mapping.items() if match_key(v) not in head]
        if absent:
            raise InputError(
                f"{file_name}: the mapping names column(s) the file does not have: "
                f"{'; '.join(absent)}; found {', '.join(c for c in rows[header_at] if c.strip())}"
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
    body = [r for r in rows[header_at + 1 :] if any(c.strip() for c in r)]  # blank rows are layout
    if not body:
        raise EmptyFileError(file_name)
    row_numbers = [
        i + header_at + 2 for i, r in enumerate(rows[header_at + 1 :]) if any(c.strip() for c in r)
    ]
    names = list(cols)
    data = {name: [(r[cols[name]] if cols[name] < len(r) else "") for r in body] for name in names}
    df = pl.DataFrame(
        {"_row": row_numbers, **data}, schema={"_row": pl.Int64, **{n: pl.String for n in names}}
    )
    if progress is not None:
        progress("parse", 0, df.height)
    df = df.with_columns(
        [
            pl.col(n)
            .str.replace_many(list(TEXT_REPLACEMENTS), list(TEXT_REPLACEMENTS.values()))
            .str.strip_chars()
            for n in names
        ]
    )
    errs: list[pl.Expr] = []
    notes: list[str] = []
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

    # numbers
    def number_checks(col: str, label: str, required: bool) -> None:
        nonlocal df
        df = df.with_columns(_number(col).alias(f"_{col}_n"))
        bad = (pl.col(col) != "") & pl.col(f"_{col}_n").is_null()
        errs.append(
            pl.when(bad & ~pl.col("_total")).then(
                _err(col, f"{label} is not a number", pl.col(col))
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

    value_rial = pl.lit(None, pl.Float64)
    if "value" in cols:
        number_checks("value", "value (USD)", True)
        value_usd = pl.col("_value_n")
        if "value_rial" in cols:
            number_checks("value_rial", "value (rials)", False)
            value_rial = pl.col("_value_rial_n")
    else:
        number_checks("value_rial", "value (rials)", True)
        value_rial = pl.col("_value_rial_n")
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
        notes.append(f"weights read in {'tonnes' if unit == 't' else 'kg'}")
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
    if padded:
        notes.append(
            f"{padded} HS code(s) had an odd number of digits (a lost leading zero) and "
            "were padded with one zero; flagged 'hs_padded' on each row"
        )
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
    out = _duplicates(out)
    return out, notes, definition_note


_KEYS = [
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


def _duplicates(df: pl.DataFrame) -> pl.DataFrame:
    """Reject exact repeats of an accepted row (all fields equal), naming the first row."""
    ok = pl.col("_errors").list.len() == 0
    first = (
        df.filter(ok).group_by(_KEYS, maintain_order=True).agg(pl.col("_row").min().alias("_first"))
    )
    df = df.join(first, on=_KEYS, how="left", nulls_equal=True)
    dup = ok & pl.col("_first").is_not_null() & (pl.col("_row") != pl.col("_first"))
    return (
        df.with_columns(
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
        .sort("_row")
    )


_SERIES = ["definition", "office", "hs_code", "partner", "exporter", "sh_year"]


def _decumulate(df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
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
