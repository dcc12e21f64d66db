"""Importing a national tariff book: :mod:`exportplan.ingest.nomenclature` reads and stages
its names, the warehouse's writer lands them with the rejects in one transaction."""

from __future__ import annotations

from pathlib import Path

import duckdb

from exportplan.ingest import nomenclature
from exportplan.ingest.files import sha256_file
from exportplan.store.warehouse import writes
from exportplan.store.warehouse.writes import ImportSummary

__all__ = ["ImportSummary", "import_file"]


def import_file(con: duckdb.DuckDBPyConnection, path: Path) -> ImportSummary:
    """Import one tariff book; returns the summary (or the earlier one if already imported)."""
    path = Path(path)
    sha = sha256_file(path)
    prev = writes.previous_import(con, "nomenclature", sha, None)
    if prev is not None:
        return prev
    return writes.write_import(con, nomenclature.stage(path), sha=sha)
