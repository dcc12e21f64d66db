"""A sheet's or text file's cells as text columns built a chunk of rows at a time, never a
Python list of every row: numbered as a person sees them, merged cells filled down.

:func:`build` consumes any iterator of rows (a spreadsheet reader's, or
:func:`~exportplan.ingest.files.iter_csv_rows`) :data:`CHUNK` rows at a time: each chunk's
cells become text (a :class:`~exportplan.ingest.files.CellNumber` marks a typed number), are
filled under merged ranges (:class:`MergedFill`), and land in a polars frame of ``_row``
(Excel's row number, from 1), text columns ``c0, c1, ...`` and booleans ``t0, t1, ...`` (the
cell held a typed number), cells past :data:`WIDE` as lists. Blank rows are left out (they
are layout); a line that did not decode (:class:`~exportplan.ingest.files.UndecodableLine`) is
kept aside by its row number. The peak is one chunk of Python objects plus the columns, which
:func:`exportplan.ingest.customs_rows.parse` then consumes chunk by chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from exportplan.ingest.files import CellNumber, UndecodableLine

__all__ = [
    "CHUNK",
    "WIDE",
    "Merged",
    "MergedFill",
    "Table",
    "build",
    "cell_ref",
    "column",
    "fill_merged",
]

#: rows turned into columns at a time (a chunk of Python lists is the reader's own peak)
CHUNK = 50_000
#: merged ranges named one by one in the summary note; the rest are counted
NOTE_RANGES = 8
#: cells of a row kept as columns; any further cells (a hostile width, never a customs
#: sheet's) are one list per row, so a 400,000-column header costs one list, not 400,000
#: columns
WIDE = 256


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


class MergedFill:
    """Merged ranges filled as rows stream by: each range's top-left value (captured when its
    top row passes, the cell as read, so a :class:`CellNumber` stays one) goes to every cell
    of the range, ranges applied in order of column then row, what Excel shows (the reader
    leaves the cells empty). ``col_offset`` is the sheet column of a row's first cell."""

    def __init__(self, ranges: Iterable[Merged], *, col_offset: int = 0) -> None:
        self.ranges = sorted(ranges, key=lambda m: (m.first_col, m.first_row))
        self.col_offset = col_offset
        self.values: dict[int, str] = {}  # index into ranges -> top-left value
        self.last_row = -1  # the last sheet row seen

    def fill(self, rows: list[list[str]], first: int) -> None:
        """Fill ``rows`` in place; ``rows[0]`` is sheet row ``first`` (0-based)."""
        end = first + len(rows)
        if rows:
            self.last_row = max(self.last_row, end - 1)
        for k, m in enumerate(self.ranges):
            if m.last_row < first or m.first_row >= end:
                continue
            j0 = m.first_col - self.col_offset
            if first <= m.first_row:
                top = rows[m.first_row - first]
                if not 0 <= j0 < len(top) or top[j0] == "":
                    continue
                self.values[k] = top[j0]
            value = self.values.get(k)
            if value is None:
                continue
            last = m.last_col - self.col_offset
            for i in range(max(m.first_row, first), min(m.last_row, end - 1) + 1):
                row = rows[i - first]
                if len(row) <= last:
                    row.extend([""] * (last + 1 - len(row)))
                for j in range(max(j0, 0), last + 1):
                    row[j] = value

    def notes(self) -> list[str]:
        """The note naming the ranges filled down and the rows each filled (none if no range
        spans rows); a range running past the last row is counted to the last row."""
        filled = [
            (m.ref, min(m.last_row, self.last_row) - m.first_row)
            for k, m in enumerate(self.ranges)
            if k in self.values and min(m.last_row, self.last_row) > m.first_row
        ]
        if not filled:
            return []
        shown = ", ".join(f"{ref} ({n} row(s))" for ref, n in filled[:NOTE_RANGES])
        more = (
            f" and {len(filled) - NOTE_RANGES} more range(s)" if len(filled) > NOTE_RANGES else ""
        )
        return [
            f"merged cells filled down (each row under a merged cell takes its value): {shown}"
            f"{more}; {sum(n for _, n in filled)} row(s) in all"
        ]


def fill_merged(rows: list[list[str]], ranges: list[Merged], *, col_offset: int = 0) -> list[str]:
    """:class:`MergedFill` over rows all in hand (``rows[i]`` is sheet row ``i``): fills them
    in place and returns the note."""
    filler = MergedFill(ranges, col_offset=col_offset)
    filler.fill(rows, 0)
    return filler.notes()


@dataclass
class Table:
    """A file's cells: ``chunks`` of ``_row`` (Int64), ``c{j}`` (String) and, for a workbook,
    ``t{j}`` (Boolean: a typed number), blank rows left out; ``bad`` the lines that did not
    decode by row number; ``notes`` on how it was read (merged cells filled); ``read`` the
    rows the reader gave, blank ones included."""

    chunks: list[pl.DataFrame]
    bad: dict[int, UndecodableLine] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    read: int = 0  # rows the reader gave, blank ones included

    @property
    def height(self) -> int:
        """Rows with a cell that is not blank."""
        return sum(c.height for c in self.chunks)

    def rows(self, limit: int | None = None) -> list[list[str]]:
        """Rows 1 to ``limit`` (default: all) as lists, ``rows[i]`` being row ``i + 1`` (a
        blank row ``[]``, an undecodable line its :class:`UndecodableLine`, a typed number a
        :class:`CellNumber`): where a header is looked for, and for tests of small files."""
        out: list[list[str]] = []
        for chunk in self.chunks:
            part = chunk if limit is None else chunk.filter(pl.col("_row") <= limit)
            width = sum(1 for c in part.columns if c.startswith("c"))
            typed = [f"t{j}" in part.columns for j in range(width)]
            for rec in part.iter_rows(named=True):
                n = rec["_row"]
                while len(out) < n - 1:
                    out.append(self.bad.get(len(out) + 1, []))
                cells = [
                    CellNumber(rec[f"c{j}"]) if typed[j] and rec[f"t{j}"] else rec[f"c{j}"]
                    for j in range(width)
                ]
                rest, rest_t = rec.get("rest") or [], rec.get("rest_t") or []
                cells += [
                    CellNumber(v) if k < len(rest_t) and rest_t[k] else v
                    for k, v in enumerate(rest)
                ]
                out.append(cells)
            if limit is not None and part.height < chunk.height:
                break
        last = max(self.bad, default=0) if limit is None else min(limit, max(self.bad, default=0))
        while len(out) < last:
            out.append(self.bad.get(len(out) + 1, []))
        return out

    def take(self) -> Iterator[pl.DataFrame]:
        """The chunks in order, each let go as it is handed over (the parser's peak is then
        the checked rows, not the text and the checked rows)."""
        while self.chunks:
            yield self.chunks.pop(0)


def _chunk_frame(rows: list[list[str]], numbers: list[int], typed: bool) -> pl.DataFrame:
    width = max((len(r) for r in rows), default=0)
    cols: dict[str, pl.Series] = {"_row": pl.Series("_row", numbers, dtype=pl.Int64)}
    for j in range(min(width, WIDE)):
        col = [r[j] if j < len(r) else "" for r in rows]
        cols[f"c{j}"] = pl.Series(f"c{j}", col, dtype=pl.String)
        if typed:
            cols[f"t{j}"] = pl.Series(
                f"t{j}", [v.__class__ is CellNumber for v in col], dtype=pl.Boolean
            )
    if width > WIDE:  # a hostile width: the cells past WIDE as one list per row
        rest = [r[WIDE:] for r in rows]
        cols["rest"] = pl.Series("rest", rest, dtype=pl.List(pl.String))
        if typed:
            cols["rest_t"] = pl.Series(
                "rest_t",
                [[v.__class__ is CellNumber for v in r] for r in rest],
                dtype=pl.List(pl.Boolean),
            )
    return pl.DataFrame(cols)


def column(chunk: pl.DataFrame, j: int, *, typed: bool = False) -> pl.Expr:
    """Cell ``j`` of each row of a chunk (``""``, or False for ``typed``, where a row is
    shorter): its text, or with ``typed`` whether it held a typed number."""
    name, rest, empty = ("t", "rest_t", pl.lit(False)) if typed else ("c", "rest", pl.lit(""))
    if j < WIDE:
        return pl.col(f"{name}{j}") if f"{name}{j}" in chunk.columns else empty
    if rest not in chunk.columns:
        return empty
    return pl.col(rest).list.get(j - WIDE, null_on_oob=True).fill_null(empty)


def build(
    rows: Iterable[Sequence[Any]],
    *,
    first_row: int = 1,
    cell: Callable[[Any], str] | None = None,
    merged: MergedFill | None = None,
    chunk: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Table:
    """The rows of ``rows`` (the first being row ``first_row``) as a :class:`Table`,
    ``chunk`` rows of Python objects at a time. ``cell`` turns a reader's value into text
    (given for a workbook: its typed numbers are then marked); ``merged`` fills merged
    ranges; ``progress`` hears the rows read so far after each chunk."""
    chunk = chunk or CHUNK
    table = Table([])
    buf: list[list[str]] = []
    n = first_row

    def flush() -> None:
        if merged is not None:
            merged.fill(buf, n - len(buf) - 1)
        kept = [i for i, r in enumerate(buf) if "".join(r).strip()]  # blank rows are layout
        if kept:
            first = n - len(buf)
            table.chunks.append(
                _chunk_frame([buf[i] for i in kept], [first + i for i in kept], cell is not None)
            )
        buf.clear()
        if progress is not None:
            progress(n - first_row)

    for raw in rows:
        if isinstance(raw, UndecodableLine):
            table.bad[n] = raw
            buf.append([])
        elif cell is None:
            buf.append(list(raw))
        else:
            buf.append([v if v.__class__ is str else cell(v) for v in raw])
        n += 1
        if len(buf) >= chunk:
            flush()
    if buf:
        flush()
    table.read = n - first_row
    if merged is not None:
        table.notes.extend(merged.notes())
    return table
