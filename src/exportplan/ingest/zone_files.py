"""Reading the zones' files as people have them: plots (CSV or Excel with ``plot, area_m2,
use``, or GeoJSON features with those properties) and applications (CSV or Excel), into rows
keyed by lower-case column names with their row numbers; nothing is checked here but the
file's shape (missing columns, no rows, unreadable JSON)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exportplan.errors import EmptyFileError, InputError, MissingColumnsError
from exportplan.ingest.archive import check_archive
from exportplan.ingest.files import csv_rows, decode

PLOT_COLUMNS = ("plot", "area_m2", "use")
APPLICATION_COLUMNS = (
    "application_id",
    "applicant",
    "plot",
    "area_m2",
    "submitted",
    "decided",
    "decision",
    "contract_signed",
    "construction_deadline",
    "construction_started",
    "operating_since",
)
#: Columns an applications file may add (the applicant's keys, the permit, the products)
APPLICATION_OPTIONAL = ("trade_card", "national_id", "permit_valid_to", "products_hs", "jobs")
SHEETS = (".xlsx", ".xlsm", ".ods", ".xls")


@dataclass(frozen=True)
class Row:
    """One data row: its number as the user sees it (the sheet's line, or the feature's
    position), its cells by column and, for GeoJSON, its geometry."""

    number: int
    cells: dict[str, Any]
    geometry: Any = None


@dataclass(frozen=True)
class Reject:
    """A refused row: file, row, column, value and reason."""

    file: str
    row: int
    column: str
    value: str
    reason: str


def _cell(v: Any) -> Any:
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return v


def _table(path: Path) -> list[list[Any]]:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise EmptyFileError(path.name)
    if path.suffix.lower() in SHEETS:
        check_archive(path)
        from python_calamine import CalamineWorkbook

        try:
            rows: list[list[Any]] = (
                CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
            )
        except Exception as exc:  # calamine raises its own error types for broken files
            raise InputError(f"{path.name}: not a readable spreadsheet ({exc})") from exc
        return rows
    decoded = decode(path)
    return [list(r) for r in csv_rows(decoded.text, decoded.bad_lines)]


def read_rows(path: Path, required: tuple[str, ...]) -> list[Row]:
    """The rows of a CSV or Excel file whose first row names at least ``required``."""
    table = _table(path)
    while table and all(_cell(c) in ("", None) for c in table[0]):
        table = table[1:]
    if not table:
        raise EmptyFileError(path.name)
    header = [str(_cell(c) or "").lower().replace(" ", "_") for c in table[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise MissingColumnsError(path.name, list(required), [h for h in header if h], missing)
    out: list[Row] = []
    for i, raw in enumerate(table[1:], start=2):
        cells = {h: _cell(raw[j]) if j < len(raw) else "" for j, h in enumerate(header) if h}
        if all(v in ("", None) for v in cells.values()):
            continue
        out.append(Row(i, {k: "" if v is None else v for k, v in cells.items()}))
    if not out:
        raise EmptyFileError(path.name)
    return out


def read_geojson(path: Path) -> list[Row]:
    """The features of a GeoJSON FeatureCollection, numbered from 1, with their properties
    (``plot``, ``area_m2``, ``use``) as cells."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    try:
        doc = json.loads(decode(path).text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path.name}: not readable as GeoJSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}); nothing was imported",
            hint="export the layer again from QGIS as GeoJSON (WGS84, EPSG:4326)",
        ) from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise InputError(f"{path.name}: a GeoJSON FeatureCollection is needed")
    feats = doc.get("features")
    if not isinstance(feats, list) or not feats:
        raise EmptyFileError(path.name)
    out: list[Row] = []
    seen: set[str] = set()
    for i, f in enumerate(feats, start=1):
        props = f.get("properties") if isinstance(f, dict) else None
        cells = {str(k).lower(): _cell(v) for k, v in (props or {}).items()}
        seen.update(cells)
        geometry = f.get("geometry") if isinstance(f, dict) else None
        out.append(Row(i, {**dict.fromkeys(PLOT_COLUMNS, ""), **cells}, geometry))
    missing = [c for c in PLOT_COLUMNS if c not in seen]
    if missing:
        raise MissingColumnsError(path.name, list(PLOT_COLUMNS), sorted(seen), missing)
    return out


def read_plots(path: Path) -> list[Row]:
    if path.suffix.lower() in (".geojson", ".json"):
        return read_geojson(path)
    return read_rows(path, PLOT_COLUMNS)


def read_applications(path: Path) -> list[Row]:
    return read_rows(path, APPLICATION_COLUMNS)
