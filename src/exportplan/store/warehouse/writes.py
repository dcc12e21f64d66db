"""The warehouse's one writer: imports (dataset record, accepted rows, rejects) in one
transaction, removing an import, the region summaries, targets and exclusions.

An import is one transaction (:func:`import_transaction`): its dataset row, accepted rows and
rejected rows land together or not at all, and a process killed half-way leaves nothing (DuckDB
rolls back an uncommitted transaction when the file is opened again). A file whose sha256 was
already imported (same kind and region) changes nothing (:func:`previous_import`). Each step of
an import is a function of this module (:func:`add_world_flows`, :func:`add_region_flows`,
:func:`add_rejects`, :func:`commit`), so a test can make any step fail.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl

from exportplan.errors import InputError, NotFoundError
from exportplan.ingest.staging import Staged
from exportplan.store.warehouse import cells as cell_store

Con = duckdb.DuckDBPyConnection


@dataclass
class ImportSummary:
    """What an import did. ``rows_accepted + rows_rejected == rows_read`` always."""

    dataset_id: int
    kind: str
    file_name: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    already_imported: bool = False
    notes: str = ""

    def __post_init__(self) -> None:
        if self.rows_accepted + self.rows_rejected != self.rows_read:
            raise AssertionError(
                f"import accounting broken: {self.rows_accepted} + {self.rows_rejected} "
                f"!= {self.rows_read}"
            )


def find_dataset(con: Con, kind: str, sha: str, region: str | None) -> Any:
    """The earlier import of a file (same kind, sha256 and region): its id, rows read,
    accepted, rejected, file name and notes; None if there is none."""
    rows = con.execute(
        "SELECT id, rows_read, rows_accepted, rows_rejected, file_name, notes FROM datasets "
        "WHERE kind = ? AND sha256 = ? AND region IS NOT DISTINCT FROM ?",
        [kind, sha, region],
    ).fetchall()
    return rows[0] if rows else None


def previous_import(con: Con, kind: str, sha: str, region: str | None) -> ImportSummary | None:
    """The summary of an earlier import of the same file (same kind and region), if any."""
    prev = find_dataset(con, kind, sha, region)
    if prev is None:
        return None
    return ImportSummary(
        prev[0],
        kind,
        prev[4],
        prev[1],
        prev[2],
        prev[3],
        already_imported=True,
        notes=prev[5] or "",
    )


def commit(con: Con) -> None:
    """The last step of an import: make it durable."""
    con.execute("COMMIT")


@contextmanager
def import_transaction(con: Con) -> Iterator[int]:
    """A transaction that yields a new dataset id; everything is rolled back on any error."""
    con.execute("BEGIN TRANSACTION")
    try:
        rows = con.execute("SELECT nextval('dataset_id_seq')").fetchall()
        yield int(rows[0][0])
        commit(con)
    except BaseException:
        con.execute("ROLLBACK")
        raise


def record_dataset(
    con: Con,
    *,
    dataset_id: int,
    kind: str,
    file_name: str,
    sha: str,
    rows_read: int,
    rows_accepted: int,
    rows_rejected: int,
    source: str,
    region: str | None = None,
    definition: str | None = None,
    synthetic: bool = False,
    options: dict[str, Any] | None = None,
    notes: str = "",
) -> None:
    """The dataset row of an import: its provenance and its accounting."""
    con.execute(
        "INSERT INTO datasets VALUES (?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            dataset_id,
            kind,
            file_name,
            sha,
            rows_read,
            rows_accepted,
            rows_rejected,
            region,
            definition,
            source,
            synthetic,
            json.dumps(options or {}, ensure_ascii=False),
            notes,
        ],
    )


def refuse_non_finite(flows: pl.DataFrame, columns: tuple[str, ...]) -> None:
    """Defence in depth behind the importers' checks: flows holding a NaN or an infinity in
    ``columns`` are refused whole, so no such number can reach a total."""
    present = [c for c in columns if c in flows.columns]
    if not present or flows.height == 0:
        return
    bad = flows.filter(pl.any_horizontal([~pl.col(c).is_finite() for c in present]))
    if bad.height:
        raise InputError(
            f"{bad.height:,} row(s) with a value that is not a finite number reached the "
            "warehouse; nothing was imported",
            hint="the importer should have rejected them: report this with the file",
        )


def add_world_flows(con: Con, dataset_id: int, flows: pl.DataFrame) -> None:
    """World flows of an import (the columns of ``world_flows`` after ``dataset_id``)."""
    refuse_non_finite(flows, ("value_usd", "quantity"))
    con.register("_flows_in", flows)
    try:
        con.execute("INSERT INTO world_flows SELECT ?, * FROM _flows_in", [dataset_id])
    finally:
        con.unregister("_flows_in")


def add_region_flows(con: Con, dataset_id: int, flows: pl.DataFrame) -> None:
    """A region's customs records of an import (the columns of ``region_flows`` after
    ``dataset_id``), and the region's summaries recomputed with them."""
    refuse_non_finite(flows, ("value_usd", "weight_kg", "value_rial"))
    con.register("_flows_in", flows)
    try:
        con.execute("INSERT INTO region_flows SELECT ?, * FROM _flows_in", [dataset_id])
    finally:
        con.unregister("_flows_in")
    for region in flows.get_column("region").unique().to_list():
        refresh_region_summary(con, str(region))


def add_rejects(con: Con, dataset_id: int, file_name: str, rejects: pl.DataFrame) -> None:
    """Rejected rows of an import: ``row, column, value, reason`` of the file ``file_name``."""
    con.register("_rejects_in", rejects.select("row", "column", "value", "reason"))
    try:
        con.execute(
            'INSERT INTO rejects SELECT ?, ?, "row", "column", value, reason FROM _rejects_in',
            [dataset_id, file_name],
        )
    finally:
        con.unregister("_rejects_in")


def replace_hs_names(con: Con, names: pl.DataFrame, lang: str) -> None:
    """Product names (``code, name, source``) in ``lang``, replacing earlier ones of the same
    codes."""
    con.register("_hs_names_in", names.select("code", "name", "source"))
    try:
        con.execute(
            "DELETE FROM hs_names WHERE lang = ? AND code IN (SELECT code FROM _hs_names_in)",
            [lang],
        )
        con.execute("INSERT INTO hs_names SELECT code, ?, name, source FROM _hs_names_in", [lang])
    finally:
        con.unregister("_hs_names_in")


#: Called inside an import's transaction with the new dataset id and the cells its customs
#: rows cover, before they land: refuses the import (raises) or supersedes loaded cells
Settle = Callable[[Con, int, pl.DataFrame], None]


def write_import(
    con: Con, staged: Staged, *, sha: str, settle: Settle | None = None
) -> ImportSummary:
    """Land a staged file in one transaction: its flows (for customs rows, the cells they
    cover, after ``settle``), its rejects, the product names it gives and its dataset row."""
    with import_transaction(con) as ds:
        if staged.table == "world_flows":
            add_world_flows(con, ds, staged.flows)
        elif staged.table == "region_flows":
            new_cells = cell_store.cells_of(
                staged.flows, cumulative=bool(staged.options.get("cumulative"))
            )
            if settle is not None:
                settle(con, ds, new_cells)
            add_region_flows(con, ds, staged.flows)
            cell_store.record(con, ds, new_cells)
        add_rejects(con, ds, staged.file_name, staged.rejects)
        if staged.hs_names is not None and staged.hs_names.height:
            replace_hs_names(con, staged.hs_names, staged.hs_names_lang)
        if staged.hs_names_en is not None and staged.hs_names_en.height:
            replace_hs_names(con, staged.hs_names_en, "en")
        record_dataset(
            con,
            dataset_id=ds,
            kind=staged.kind,
            file_name=staged.file_name,
            sha=sha,
            rows_read=staged.rows_read,
            rows_accepted=staged.rows_accepted,
            rows_rejected=staged.rows_rejected,
            source=staged.source,
            region=staged.region,
            definition=staged.definition,
            synthetic=staged.synthetic,
            options=staged.options,
            notes=staged.notes,
        )
    return ImportSummary(
        ds,
        staged.kind,
        staged.file_name,
        staged.rows_read,
        staged.rows_accepted,
        staged.rows_rejected,
        notes=staged.notes,
    )


def refresh_region_summary(con: Con, region: str) -> None:
    """Recompute a region's monthly summaries from its rows (inside the caller's transaction).

    Only finite values are summed (a row whose value is NaN or infinite, which the importers
    and :func:`refuse_non_finite` keep out, would make its month NaN): the read side's guard
    for workspaces written before those checks."""
    con.execute("DELETE FROM region_summary WHERE region = ?", [region])
    con.execute("DELETE FROM region_summary_exporters WHERE region = ?", [region])
    con.execute(
        """INSERT INTO region_summary
           SELECT region, definition, sh_year, sh_month, g_year, g_month, hs6, partner,
                  customs_office, sum(value_usd),
                  sum(weight_kg) FILTER (WHERE isfinite(weight_kg)), count(*),
                  count(*) FILTER (WHERE weight_kg IS NULL OR NOT isfinite(weight_kg))
           FROM region_flows WHERE region = ? AND isfinite(value_usd) GROUP BY ALL""",
        [region],
    )
    con.execute(
        """INSERT INTO region_summary_exporters
           SELECT region, definition, sh_year, sh_month, g_year, g_month,
                  coalesce(exporter, '(unknown exporter)'), sum(value_usd)
           FROM region_flows WHERE region = ? AND isfinite(value_usd) GROUP BY ALL""",
        [region],
    )


@dataclass(frozen=True)
class Removed:
    """What removing an import did: its rows went, the cells it had replaced came back to
    their imports (``restored``) or passed to another that supplies them now (``passed``)."""

    dataset_id: int
    file_name: str
    rows: int
    restored: list[cell_store.Cell]
    passed: list[cell_store.Cell]


def remove_dataset(con: Con, dataset_id: int) -> tuple[str, int]:
    """Delete one import (its flows, rejects and record) in one transaction.

    Returns the file name and the number of flow rows removed.
    """
    r = remove_import(con, dataset_id)
    return r.file_name, r.rows


def remove_import(con: Con, dataset_id: int) -> Removed:
    """Delete one import (its flows, rejects, cells and record) in one transaction; the cells
    it had replaced supply their months again (:func:`cells.forget`)."""
    found = con.execute(
        "SELECT file_name, region, kind FROM datasets WHERE id = ?", [dataset_id]
    ).fetchall()
    if not found:
        raise NotFoundError(f"no dataset {dataset_id}", hint="`exportplan datasets` lists them")
    con.execute("BEGIN TRANSACTION")
    try:
        n = 0
        for table in ("world_flows", "region_flows"):
            rows = con.execute(f"DELETE FROM {table} WHERE dataset_id = ?", [dataset_id]).fetchall()
            n += int(rows[0][0]) if rows else 0
        superseded = con.execute(
            "SELECT count(*) FROM region_flows_superseded WHERE dataset_id = ?", [dataset_id]
        ).fetchall()
        n += int(superseded[0][0])
        restored, passed = cell_store.forget(con, dataset_id)
        con.execute("DELETE FROM rejects WHERE dataset_id = ?", [dataset_id])
        con.execute("DELETE FROM datasets WHERE id = ?", [dataset_id])
        if found[0][2] == "customs" and found[0][1] is not None:
            refresh_region_summary(con, str(found[0][1]))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return Removed(dataset_id, str(found[0][0]), n, restored, passed)


def set_target(
    con: Con, region: str, sh_year: int, definition: str, value_usd: float, note: str = ""
) -> None:
    """The annual export target of a region for a Solar Hijri year and a definition (set
    again, it replaces the earlier one)."""
    con.execute(
        "INSERT OR REPLACE INTO targets VALUES (?, ?, ?, ?, now()::TIMESTAMP, ?)",
        [region, sh_year, definition, value_usd, note],
    )


def set_exclusion(con: Con, kind: str, code: str, reason: str) -> None:
    """Keep a market (``kind='market'``, ISO3) or a product (``'product'``, HS prefix) out of
    the opportunity rankings; setting it again replaces the reason."""
    con.execute(
        "INSERT OR REPLACE INTO exclusions VALUES (?, ?, ?, now()::TIMESTAMP)", [kind, code, reason]
    )


def remove_exclusion(con: Con, kind: str, code: str) -> int:
    """Remove an exclusion; returns how many rows went (0 or 1)."""
    n = con.execute(
        "SELECT count(*) FROM exclusions WHERE kind = ? AND code = ?", [kind, code]
    ).fetchall()[0][0]
    con.execute("DELETE FROM exclusions WHERE kind = ? AND code = ?", [kind, code])
    return int(n)
