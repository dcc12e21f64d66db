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
the ranges filled down.

Every row is accepted or rejected with its reasons (one rejects entry per failing cell);
:func:`stage` returns them with the file's provenance, and the warehouse's writer lands them
in one transaction (:mod:`exportplan.services.imports.customs`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
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
from exportplan.ingest.customs_rows import (
    Progress,
    decumulate,
    parse,
)
from exportplan.ingest.files import CellNumber, csv_rows, decode
from exportplan.ingest.staging import Staged
from exportplan.reference.numbers import ceilings, check_decimal

__all__ = [
    "DEFINITIONS",
    "DEFINITION_LABELS",
    "MAPPING_SETTINGS",
    "CustomsOptions",
    "Merged",
    "Progress",
    "cell_ref",
    "check_options",
    "fill_merged",
    "load_mapping",
    "read_table",
    "stage",
    "truthy",
]

#: merged ranges named one by one in the summary note; the rest are counted
NOTE_RANGES = 8


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
) -> tuple[list[list[str]], str, list[str]]:
    """Rows of cells as text (numbered as Excel numbers them: ``rows[0]`` is row 1), a note on
    how the file was read (encoding or sheet), and notes on cells filled (merged ranges).

    A workbook's archive is checked first (:func:`~exportplan.ingest.archive.check_archive`:
    a zip bomb is refused unread); each merged range's top-left value fills the range."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise EmptyFileError(path.name)
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        if suffix in ARCHIVE_SUFFIXES:
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
        rows: list[list[str]] = []
        for i, r in enumerate(sh.iter_rows()):
            rows.append([_cell(v) for v in r])
            if progress is not None and i % 50000 == 0:
                progress("read", i, total)
        start, end = sh.start, sh.end
        if start is not None and end is not None and len(rows) != end[0] + 1:
            # rows given from the first row with data: put them at Excel's row numbers
            rows[:0] = [[] for _ in range(start[0])]
        merged = [Merged(a[0], a[1], b[0], b[1]) for a, b in sh.merged_cell_ranges or []]
        filled = fill_merged(rows, merged, col_offset=start[1] if start is not None else 0)
        return rows, f"sheet {sh.name}", filled
    decoded = decode(path)
    return csv_rows(decoded.text, decoded.bad_lines), decoded.note, []


def cell_ref(row: int, col: int) -> str:
    """Excel's name of a cell from 0-based row and column (``(2, 1)`` -> ``B3``)."""
    letters = ""
    c = col + 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


@dataclass(frozen=True)
class Merged:
    """One merged range of a sheet, 0-based and inclusive, in the sheet's coordinates."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @property
    def ref(self) -> str:
        first = cell_ref(self.first_row, self.first_col)
        return f"{first}:{cell_ref(self.last_row, self.last_col)}"


def fill_merged(rows: list[list[str]], ranges: list[Merged], *, col_offset: int = 0) -> list[str]:
    """Give every cell of each merged range its top-left value, in place (what the person
    sees in Excel; the reader leaves them empty), keeping the cell as read (a
    :class:`~exportplan.ingest.files.CellNumber` stays one); ``rows[i]`` is sheet row ``i``
    and ``rows[i][0]`` sheet column ``col_offset``. The note naming the ranges filled down
    and the rows each filled (none if no range spans rows)."""
    filled: list[tuple[str, int]] = []
    for m in sorted(ranges, key=lambda m: (m.first_col, m.first_row)):
        top, bottom = m.first_row, min(m.last_row, len(rows) - 1)
        j0 = m.first_col - col_offset
        if not 0 <= top < len(rows) or not 0 <= j0 < len(rows[top]) or bottom < top:
            continue
        value = rows[top][j0]
        if value == "":
            continue
        last = m.last_col - col_offset
        for i in range(top, bottom + 1):
            row = rows[i]
            if len(row) <= last:
                row.extend([""] * (last + 1 - len(row)))
            for j in range(max(j0, 0), last + 1):
                row[j] = value
        if bottom > top:
            filled.append((m.ref, bottom - top))
    if not filled:
        return []
    shown = ", ".join(f"{ref} ({n} row(s))" for ref, n in filled[:NOTE_RANGES])
    more = f" and {len(filled) - NOTE_RANGES} more range(s)" if len(filled) > NOTE_RANGES else ""
    return [
        f"merged cells filled down (each row under a merged cell takes its value): {shown}"
        f"{more}; {sum(n for _, n in filled)} row(s) in all"
    ]


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
    rows, how, filled = read_table(path, options.sheet, progress)
    frame, notes, definition_note = parse(rows, path.name, options, progress=progress)
    options_ceilings = ceilings()
    accepted = frame.filter(pl.col("_errors").list.len() == 0)
    rejected = frame.filter(pl.col("_errors").list.len() > 0)
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
        rows_read=frame.height,
        flows=flows,
        rejects=rejects,
        source=options.source,
        synthetic=options.synthetic,
        region=options.region,
        definition=",".join(sorted(set(accepted.get_column("definition").to_list()))) or None,
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
