"""Importing files into a workspace and reading back what was imported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from exportplan.errors import NotFoundError
from exportplan.ingest import baci, comtrade, customs
from exportplan.store import warehouse
from exportplan.store.warehouse import ImportSummary
from exportplan.workspace import Workspace


def import_baci(ws: Workspace, path: Path, **kw: Any) -> ImportSummary:
    with ws.warehouse() as con:
        return baci.import_file(con, path, **kw)


def import_comtrade(ws: Workspace, path: Path, **kw: Any) -> ImportSummary:
    with ws.warehouse() as con:
        return comtrade.import_file(con, path, **kw)


def import_customs(
    ws: Workspace,
    path: Path,
    options: customs.CustomsOptions,
    progress: customs.Progress | None = None,
) -> ImportSummary:
    with ws.warehouse() as con:
        return customs.import_file(con, path, options, progress=progress)


def datasets(ws: Workspace) -> pl.DataFrame:
    """Every import with its provenance, oldest first."""
    with ws.warehouse(read_only=True) as con:
        return warehouse.frame(
            con,
            """SELECT id, kind, file_name, sha256, imported_at, rows_read, rows_accepted,
                      rows_rejected, region, definition, source, synthetic, notes
               FROM datasets ORDER BY id""",
        )


def rejects(ws: Workspace, dataset_id: int) -> pl.DataFrame:
    """Rejected rows of one import: file, row, column, value, reason."""
    with ws.warehouse(read_only=True) as con:
        found = con.execute("SELECT count(*) FROM datasets WHERE id = ?", [dataset_id]).fetchall()
        if not found or found[0][0] == 0:
            raise NotFoundError(f"no dataset {dataset_id}", hint="`exportplan datasets` lists them")
        return warehouse.frame(
            con,
            'SELECT file, "row", "column", value, reason FROM rejects WHERE dataset_id = ? '
            'ORDER BY "row", "column"',
            [dataset_id],
        )


def remove(ws: Workspace, dataset_id: int) -> tuple[str, int]:
    """Remove one import and everything it brought (to re-import it with other options)."""
    with ws.warehouse() as con:
        return warehouse.remove_dataset(con, dataset_id)


def data_version(ws: Workspace) -> str:
    """Changes whenever an import lands: the ids and hashes of every dataset."""
    with ws.warehouse(read_only=True) as con:
        rows = con.execute("SELECT id, sha256 FROM datasets ORDER BY id").fetchall()
    return ";".join(f"{i}:{h[:12]}" for i, h in rows)
