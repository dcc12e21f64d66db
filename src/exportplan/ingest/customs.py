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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from exportplan.domain import DEFINITION_LABELS, DEFINITIONS
from exportplan.errors import EmptyFileError, InputError
from exportplan.ingest.customs_rows import (
    MAPPING_SETTINGS,
    Progress,
    decumulate,
    parse,
)
from exportplan.ingest.files import csv_rows, decode
from exportplan.store import warehouse
from exportplan.store.warehouse import ImportSummary

__all__ = [
    "DEFINITIONS",
    "DEFINITION_LABELS",
    "CustomsOptions",
    "Progress",
    "import_file",
    "load_mapping",
    "read_table",
]


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
        accepted, more = decumulate(accepted)
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
