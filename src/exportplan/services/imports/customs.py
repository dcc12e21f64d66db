"""Importing a region's customs file: :mod:`exportplan.ingest.customs` reads and stages it,
the warehouse's writer lands it in one transaction (the region's summaries with it), under the
overlap rule (:mod:`.overlap`: a file covering loaded months and offices is refused unless
``options.replace``)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb

from exportplan.domain import DEFINITION_LABELS, DEFINITIONS
from exportplan.ingest.customs import (
    CustomsOptions,
    Progress,
    check_options,
    load_mapping,
    stage,
)
from exportplan.ingest.files import sha256_file
from exportplan.services.imports import overlap
from exportplan.store.warehouse import writes
from exportplan.store.warehouse.writes import ImportSummary

__all__ = [
    "DEFINITIONS",
    "DEFINITION_LABELS",
    "CustomsOptions",
    "ImportSummary",
    "Progress",
    "import_file",
    "load_mapping",
]


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    options: CustomsOptions,
    *,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import one customs file for ``options.region``; returns the summary (or the earlier
    one if the region already imported the file). Raises
    :class:`~exportplan.errors.OverlapError` (nothing imported) when the file covers months
    and offices loaded imports supply, unless ``options.replace``."""
    path = Path(path)
    check_options(options)
    sha = sha256_file(path) if path.exists() else ""
    prev = writes.previous_import(con, "customs", sha, options.region)
    if prev is not None:
        return prev
    staged = stage(path, options, progress=progress)
    if options.replace:
        staged = dataclasses.replace(staged, options={**staged.options, "replace": True})
    rule = overlap.settle(file_name=staged.file_name, replace=options.replace)
    if progress is not None:
        progress("write", staged.rows_accepted, staged.rows_read)
    return writes.write_import(con, staged, sha=sha, settle=rule)
