"""Importing a UN Comtrade+ download: :mod:`exportplan.ingest.comtrade` reads and stages it,
the warehouse's writer lands it in one transaction."""

from __future__ import annotations

from pathlib import Path

import duckdb

from exportplan.ingest import comtrade
from exportplan.ingest.files import sha256_file
from exportplan.store.warehouse import writes
from exportplan.store.warehouse.writes import ImportSummary

__all__ = ["ImportSummary", "import_file"]


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    source: str = "UN Comtrade",
    synthetic: bool = False,
) -> ImportSummary:
    """Import one Comtrade+ CSV; returns the summary (or the earlier one if already imported)."""
    path = Path(path)
    sha = sha256_file(path)
    prev = writes.previous_import(con, "comtrade", sha, None)
    if prev is not None:
        return prev
    staged = comtrade.stage(path, source=source, synthetic=synthetic)
    return writes.write_import(con, staged, sha=sha)
