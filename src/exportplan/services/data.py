"""Importing files into a workspace and reading back what was imported: the imports, the
cells each customs import still supplies, their rejects, and removing one.

An import reaches the warehouse one of three ways, the same for every kind: in a server, through
its writer (:mod:`exportplan.services.imports.worker`); while a server holds the workspace,
handed to that server's writer (:mod:`exportplan.services.imports.remote`); otherwise directly,
in this process. The summary is the same whichever way it went.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from exportplan.i18n import Lang, number, warning_text
from exportplan.ingest.customs import CustomsOptions, Progress
from exportplan.services.imports import overlap, remote, worker
from exportplan.store.warehouse import cells as cell_store
from exportplan.store.warehouse import queries, writes
from exportplan.store.warehouse.cells import Cell
from exportplan.store.warehouse.writes import ImportSummary, Removed
from exportplan.workspace import Workspace

__all__ = [
    "ImportSummary",
    "Removed",
    "Supply",
    "cells",
    "data_version",
    "datasets",
    "import_baci",
    "import_comtrade",
    "import_customs",
    "import_nomenclature",
    "rejects",
    "removal_preview",
    "removal_text",
    "remove",
    "supplies",
]


def _import(
    ws: Workspace, kind: str, path: Path, kwargs: dict[str, Any], progress: Progress | None
) -> ImportSummary:
    own = worker.running(ws)
    if own is not None:
        return own.submit(kind, path, kwargs).wait(progress)
    srv = ws.server()
    if srv is not None:
        return remote.run(srv, kind, path, kwargs, progress)
    with ws.warehouse() as con:
        return worker.run_import(con, kind, path, kwargs, progress)


def _json(v: Any) -> Any:
    return str(v) if isinstance(v, Path) else v


def import_baci(ws: Workspace, path: Path, **kw: Any) -> ImportSummary:
    """Import a BACI yearly file (``kw``: ``country_file``, ``product_file``, ``hs_edition``)."""
    return _import(ws, "baci", path, {k: _json(v) for k, v in kw.items()}, None)


def import_comtrade(ws: Workspace, path: Path, **kw: Any) -> ImportSummary:
    """Import a Comtrade+ CSV file."""
    return _import(ws, "comtrade", path, kw, None)


def import_nomenclature(ws: Workspace, path: Path) -> ImportSummary:
    """Import a national tariff book (8-digit lines with Persian descriptions)."""
    return _import(ws, "nomenclature", path, {}, None)


def import_customs(
    ws: Workspace,
    path: Path,
    options: CustomsOptions,
    progress: Progress | None = None,
    **kw: Any,
) -> ImportSummary:
    """Import a region's customs file read with ``options`` (``kw``: the importer's other
    arguments, as JSON values)."""
    return _import(ws, "customs", path, worker.customs_kwargs(options, **kw), progress)


def datasets(ws: Workspace) -> pl.DataFrame:
    """Every import with its provenance, oldest first."""
    with ws.warehouse(read_only=True) as con:
        return queries.datasets(con)


def rejects(ws: Workspace, dataset_id: int) -> pl.DataFrame:
    """Rejected rows of one import: file, row, column, value, reason."""
    with ws.warehouse(read_only=True) as con:
        return queries.rejects(con, dataset_id)


def remove(ws: Workspace, dataset_id: int) -> Removed:
    """Remove one import and everything it brought (to re-import it with other options); the
    months and offices it had replaced are supplied again by the imports it replaced."""
    with ws.warehouse() as con:
        return writes.remove_import(con, dataset_id)


def removal_preview(ws: Workspace, dataset_id: int) -> Removed:
    """What removing an import would do (nothing is changed): its rows, and the cells it
    replaced, which come back to their imports."""
    with ws.warehouse(read_only=True) as con:
        found = queries.datasets(con).filter(pl.col("id") == dataset_id)
        queries.rejects(con, dataset_id)  # NotFoundError for an unknown id
        rows = con.execute(
            "SELECT (SELECT count(*) FROM world_flows WHERE dataset_id = $d) + "
            "(SELECT count(*) FROM region_flows WHERE dataset_id = $d) + "
            "(SELECT count(*) FROM region_flows_superseded WHERE dataset_id = $d)",
            {"d": dataset_id},
        ).fetchall()
        back = cell_store.superseded_by(con, dataset_id)
    return Removed(dataset_id, str(found.item(0, "file_name")), int(rows[0][0]), back, [])


def removal_text(r: Removed, lang: Lang, *, done: bool = True) -> str:
    """The sentence the CLI and the Data page give for a removal: done, or (``done=False``)
    asked before it is done."""
    template = (
        "dataset {id} ({name}) removed with its {rows} row(s) and its rejects"
        if done
        else "Remove dataset {id} ({name}) with its {rows} row(s) and its rejects?"
    )
    text = warning_text(
        template, lang, id=r.dataset_id, name=r.file_name, rows=number(r.rows, lang)
    )
    if r.restored:
        cells = [_cell_dict(c) for c in r.restored]
        text += warning_text(
            "; the months and offices it had replaced are supplied again by {what}",
            lang,
            what=" · ".join(overlap.describe(cells, lang)),
        )
    if r.passed:
        text += warning_text(
            "; {n} cell(s) it had replaced stay replaced by a later import", lang, n=len(r.passed)
        )
    return text


def _cell_dict(c: Cell) -> dict[str, object]:
    return {
        "dataset_id": c.dataset_id,
        "file_name": c.file_name,
        "definition": c.definition,
        "calendar": c.calendar,
        "year": c.year,
        "month": c.month,
        "office": c.office,
    }


def cells(ws: Workspace) -> pl.DataFrame:
    """Every cell of every customs import: dataset, region, definition, calendar, year,
    month, office, rows, USD, cumulative, and ``superseded_by`` (NULL: still supplied)."""
    with ws.warehouse(read_only=True) as con:
        return cell_store.all_cells(con)


@dataclass(frozen=True)
class Supply:
    """What one customs import still supplies, and what later imports replaced (by id)."""

    dataset_id: int
    supplied: list[dict[str, object]]
    superseded: dict[int, list[dict[str, object]]]

    def supplied_text(self, lang: Lang) -> str:
        return _cells_text(self.supplied, lang)

    def superseded_text(self, lang: Lang) -> str:
        parts = [
            warning_text("by {id}: {what}", lang, id=by, what=_cells_text(group, lang))
            for by, group in sorted(self.superseded.items())
        ]
        return " · ".join(parts)


def _cells_text(cells: list[dict[str, object]], lang: Lang) -> str:
    if not cells:
        return ""
    periods = [(str(c["calendar"]), int(str(c["year"])), int(str(c["month"]))) for c in cells]
    offices = [None if c["office"] in (None, "") else str(c["office"]) for c in cells]
    sep = "؛ " if lang == "fa" else "; "
    return overlap.months_text(periods, lang) + sep + overlap.offices_text(offices, lang)


def supplies(ws: Workspace) -> dict[int, Supply]:
    """Per customs import: the cells it still supplies and those later imports replaced."""
    out: dict[int, Supply] = {}
    for row in cells(ws).to_dicts():
        ds = int(row["dataset_id"])
        s = out.setdefault(ds, Supply(ds, [], {}))
        if row["superseded_by"] is None:
            s.supplied.append(row)
        else:
            s.superseded.setdefault(int(row["superseded_by"]), []).append(row)
    return out


def data_version(ws: Workspace) -> str:
    """Changes whenever an import lands: the ids and hashes of every dataset."""
    with ws.warehouse(read_only=True) as con:
        return queries.data_version(con)
