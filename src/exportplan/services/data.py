"""Importing files into a workspace and reading back what was imported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from exportplan.ingest.customs import CustomsOptions, Progress
from exportplan.services.imports import baci, comtrade, customs
from exportplan.store.warehouse import queries, writes
from exportplan.store.warehouse.writes import ImportSummary
from exportplan.workspace import Workspace

__all__ = [
    "ImportSummary",
    "data_version",
    "datasets",
    "import_baci",
    "import_comtrade",
    "import_customs",
    "rejects",
    "remove",
]


def import_baci(ws: Workspace, path: Path, **kw: Any) -> ImportSummary:
    with ws.warehouse() as con:
        return baci.import_file(con, path, **kw)


def import_comtrade(ws: Workspace, path: Path, **kw: Any) -> ImportSummary:
    with ws.warehouse() as con:
        return comtrade.import_file(con, path, **kw)


def import_customs(
    ws: Workspace,
    path: Path,
    options: CustomsOptions,
    progress: Progress | None = None,
) -> ImportSummary:
    with ws.warehouse() as con:
        return customs.import_file(con, path, options, progress=progress)


def datasets(ws: Workspace) -> pl.DataFrame:
    """Every import with its provenance, oldest first."""
    with ws.warehouse(read_only=True) as con:
        return queries.datasets(con)


def rejects(ws: Workspace, dataset_id: int) -> pl.DataFrame:
    """Rejected rows of one import: file, row, column, value, reason."""
    with ws.warehouse(read_only=True) as con:
        return queries.rejects(con, dataset_id)


def remove(ws: Workspace, dataset_id: int) -> tuple[str, int]:
    """Remove one import and everything it brought (to re-import it with other options)."""
    with ws.warehouse() as con:
        return writes.remove_dataset(con, dataset_id)


def data_version(ws: Workspace) -> str:
    """Changes whenever an import lands: the ids and hashes of every dataset."""
    with ws.warehouse(read_only=True) as con:
        return queries.data_version(con)
