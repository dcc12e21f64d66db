"""Importing a CEPII BACI year: :mod:`exportplan.ingest.baci` checks the file and describes
it, the warehouse's loader streams it through DuckDB in one transaction."""

from __future__ import annotations

from pathlib import Path

import duckdb

from exportplan.ingest import baci
from exportplan.ingest.files import sha256_file
from exportplan.store.warehouse import loads, writes
from exportplan.store.warehouse.writes import ImportSummary

__all__ = ["ImportSummary", "import_file"]


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    country_file: Path | None = None,
    product_file: Path | None = None,
    hs_edition: str | None = None,
    source: str = "CEPII BACI",
    synthetic: bool = False,
) -> ImportSummary:
    """Import one BACI yearly CSV; returns the summary (or the earlier one if already imported)."""
    spec = baci.prepare(
        Path(path), country_file=country_file, product_file=product_file, hs_edition=hs_edition
    )
    sha = sha256_file(spec.path)
    prev = writes.previous_import(con, "baci", sha, None)
    if prev is not None:
        return prev
    return loads.load_baci(con, spec, sha=sha, source=source, synthetic=synthetic)
