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

A workbook (``.xlsx``, ``.xlsm``, ``.ods``: a zip archive) is checked before it is read
(:mod:`exportplan.ingest.archive`: a zip bomb is refused unread); a merged range of cells
gives its top-left value to every cell of the range, as Excel shows it, and the summary names
the ranges filled down. A file's rows are read and checked a chunk at a time
(:mod:`exportplan.ingest.table`), never all held as Python lists.

Every row is accepted or rejected with its reasons (one rejects entry per failing cell);
:func:`stage` returns them with the file's provenance, and the warehouse's writer lands them
in one transaction (:mod:`exportplan.services.imports.customs`).
"""

from __future__ import annotations

import ctypes
import datetime as dt
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polars as pl

from exportplan.domain import DEFINITION_LABELS, DEFINITIONS
from exportplan.errors import EmptyFileError, InputError
from exportplan.ingest.archive import ARCHIVE_SUFFIXES, check_archive
from exportplan.ingest.customs_options import (
    MAPPING_SETTINGS,
    CustomsOptions,
    load_mapping,
    truthy,
)
from exportplan.ingest.customs_repeats import decumulate, duplicates
from exportplan.ingest.customs_rows import Progress, parse
from exportplan.ingest.files import CellNumber, decode, iter_csv_rows
from exportplan.ingest.staging import Staged
from exportplan.ingest.table import Merged, MergedFill, Table, cell_ref, fill_merged
from exportplan.ingest.table import build as table_build
from exportplan.reference.numbers import ceilings, check_decimal

__all__ = [
    "DEFINITIONS",
    "DEFINITION_LABELS",
    "MAPPING_SETTINGS",
    "CustomsOptions",
    "Merged",
    "Progress",
    "Table",
    "cell_ref",
    "check_options",
    "fill_merged",
    "load_mapping",
    "read_table",
    "stage",
    "truthy",
]


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else CellNumber(repr(v))
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def read_table(
    path: Path, sheet: str | int | None = None, progress: Progress | None = None
) -> tuple[Table, str, list[str]]:
    """The file's cells as a :class:`~exportplan.ingest.table.Table` (text columns built a
    chunk of rows at a time, numbered as Excel numbers them), a note on how the file was read
    (encoding or sheet), and notes on cells filled (merged ranges).

    A workbook's archive is checked first (:func:`~exportplan.ingest.archive.check_archive`:
    a zip bomb is refused unread); each merged range's top-left value fills the range. The
    spreadsheet reader holds the sheet while its rows are turned into columns and lets it go
    before the rows are parsed."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise EmptyFileError(path.name)
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        table, how = _read_sheet(path, sheet, progress)
        return table, how, table.notes
    decoded = decode(path)
    table = table_build(iter_csv_rows(decoded.text, decoded.bad_lines))
    return table, decoded.note, []


def _read_sheet(
    path: Path, sheet: str | int | None, progress: Progress | None
) -> tuple[Table, str]:
    if path.suffix.lower() in ARCHIVE_SUFFIXES:
        check_archive(path)  # before calamine unpacks it
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
    start, end, name = sh.start, sh.end, sh.name
    merged = [Merged(a[0], a[1], b[0], b[1]) for a, b in sh.merged_cell_ranges or []]

    def read(rows: Iterable[list[Any]], first_row: int) -> Table:
        return table_build(
            rows,
            first_row=first_row,
            cell=_cell,
            merged=MergedFill(merged, col_offset=start[1] if start is not None else 0),
            progress=None if progress is None else (lambda n: progress("read", n, total)),
        )

    table = read(sh.iter_rows(), 1)
    if start is not None and end is not None and table.read != end[0] + 1:
        # this reader gave the rows from the first row with data: read them again numbered
        # as Excel numbers them (the merged ranges are in the sheet's numbers)
        table = read(sh.iter_rows(), start[0] + 1)
    del sh, wb  # the reader's copy of the sheet, before the rows are parsed
    release_freed_memory()
    return table, f"sheet {name}"


def release_freed_memory() -> None:
    """Hand the C heap's freed pages back to the system (glibc keeps them otherwise): the
    spreadsheet reader frees hundreds of megabytes in small blocks, which would stay part of
    the process while the rows are parsed."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc (macOS, musl): nothing to trim
        return
    libc.malloc_trim(0)


def check_options(options: CustomsOptions) -> None:
    """Refuse options no file could be read with (before the file is even opened)."""
    if options.weight_unit not in (None, "kg", "t"):
        raise InputError(f"weight unit must be kg or t, not {options.weight_unit!r}")
    check_decimal(options.decimal)
    if options.rate is not None and not 0 < options.rate < math.inf:
        raise InputError(f"the exchange rate must be a positive number, not {options.rate!r}")
    if options.definition is not None and options.definition not in DEFINITIONS:
        raise InputError(
            f"definition must be one of {', '.join(DEFINITIONS)}; got {options.definition!r}"
        )


def stage(path: Path, options: CustomsOptions, *, progress: Progress | None = None) -> Staged:
    """Read one customs file for ``options.region``: every row accepted (in the
    ``region_flows`` shape) or rejected with its reasons, and the Persian product names the
    file gives."""
    path = Path(path)
    check_options(options)
    table, how, filled = read_table(path, options.sheet, progress)
    frame, notes, definition_note = parse(table, path.name, options, progress=progress)
    del table  # parse consumed its chunks
    frame = duplicates(frame)
    options_ceilings = ceilings()
    rows_read = frame.height
    ok = frame.get_column("_errors").list.len() == 0
    if ok.all():  # the rows as they are, not a copy of them
        accepted, rejected = frame, frame.clear()
    else:
        accepted, rejected = frame.filter(ok), frame.filter(~ok)
    del frame, ok
    if options.cumulative:
        accepted, more = decumulate(accepted)
        rejected = pl.concat([rejected, more], how="diagonal_relaxed")
    rejects = (
        rejected.select("_row", "_errors")
        .explode("_errors")
        .unnest("_errors")
        .select(pl.col("_row").alias("row"), "column", "value", "reason")
        .sort("row")
    )
    flows = accepted.select(
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
    names = _hs_names(accepted, path.name)
    if names.height:
        notes.append(f"{names.height} Persian product name(s) recorded from the file")
    all_notes = [how, definition_note, *filled, *notes]
    return Staged(
        kind="customs",
        table="region_flows",
        file_name=path.name,
        rows_read=rows_read,
        flows=flows,
        rejects=rejects,
        source=options.source,
        synthetic=options.synthetic,
        region=options.region,
        definition=",".join(sorted(accepted.get_column("definition").unique().to_list())) or None,
        options={
            "cumulative": options.cumulative,
            "rate": options.rate,
            "weight_unit": options.weight_unit,
            "mapping": options.mapping,
            "definition": options.definition,
            "decimal": options.decimal,
            "max_row_value_usd": options_ceilings[0],
            "max_row_weight_kg": options_ceilings[1],
        },
        notes="; ".join(n for n in all_notes if n),
        hs_names=names if names.height else None,
        hs_names_lang="fa",
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
