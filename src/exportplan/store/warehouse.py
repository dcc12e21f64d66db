"""The warehouse: one DuckDB file with flows, reference tables, provenance and rejects.

This module is the **only writer** of the warehouse. An import is one transaction
(:func:`import_transaction`): its dataset row, accepted rows and rejected rows land together or
not at all; a file whose sha256 was already imported (same kind and region) changes nothing.

Tables
  ``datasets``       one row per import: kind, file, sha256, time, rows read/accepted/rejected,
                     region, definition, source label, synthetic flag, options (JSON)
  ``world_flows``    year, exporter, importer (ISO3), hs6, hs_edition, value_usd, quantity,
                     quantity_unit, reported_by ('exporter', 'importer' or 'reconciled')
  ``region_flows``   a region's customs records: definition ('customs' = goods leaving through
                     the region's customs, 'origin' = goods made in the region), Solar Hijri and
                     Gregorian year/month, day if known, customs office, hs_code (as given,
                     cleaned), hs6, partner, weight_kg, value_usd, value_rial, flags
  ``rejects``        dataset, file, row, column, value, reason
  ``region_summary``, ``region_summary_exporters``  monthly sums of region_flows by product,
                     partner and office (and by exporter), kept in step by the importers and
                     :func:`remove_dataset` in the same transaction; monitoring reads them
  ``exclusions``     markets and products the user keeps out of the opportunity rankings,
                     each with its reason
  ``countries``, ``hs_sections``, ``hs_chapters``, ``hs_names``, ``calendar``  reference
Views
  ``exports``        world exports with ``basis``: 'reported' (exporter's own or BACI's
                     reconciled data) or 'mirror' (partners' imports, used only for an exporter
                     and year with no reported data)
  ``region_flows_annual``  region_flows with ``g_year_approx`` and ``g_month_approx``: Solar
                     Hijri months without days placed in the Gregorian year and month of their
                     15th day (annual comparisons)
  ``distances``      great-circle km between capitals
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from exportplan.reference import calendar as cal
from exportplan.reference import countries as ctry
from exportplan.reference import hs

SCHEMA_VERSION = 3  # bump with every schema change: 2 added targets and region summaries,
# 3 the opportunity exclusions

SCHEMA = """
CREATE SEQUENCE IF NOT EXISTS dataset_id_seq START 1;
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS datasets (
    id INTEGER PRIMARY KEY, kind VARCHAR NOT NULL, file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL, imported_at TIMESTAMP NOT NULL, rows_read BIGINT NOT NULL,
    rows_accepted BIGINT NOT NULL, rows_rejected BIGINT NOT NULL, region VARCHAR,
    definition VARCHAR, source VARCHAR NOT NULL, synthetic BOOLEAN NOT NULL, options VARCHAR,
    notes VARCHAR
);
CREATE TABLE IF NOT EXISTS world_flows (
    dataset_id INTEGER NOT NULL, year SMALLINT NOT NULL, exporter VARCHAR NOT NULL,
    importer VARCHAR NOT NULL, hs6 VARCHAR NOT NULL, hs_edition VARCHAR, value_usd DOUBLE NOT NULL,
    quantity DOUBLE, quantity_unit VARCHAR, reported_by VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS region_flows (
    dataset_id INTEGER NOT NULL, source_row BIGINT NOT NULL, region VARCHAR NOT NULL,
    definition VARCHAR NOT NULL, sh_year SMALLINT, sh_month TINYINT,
    g_year SMALLINT, g_month TINYINT, day DATE, customs_office VARCHAR, hs_code VARCHAR NOT NULL,
    hs6 VARCHAR NOT NULL, partner VARCHAR NOT NULL, weight_kg DOUBLE, value_usd DOUBLE NOT NULL,
    value_rial DOUBLE, exporter VARCHAR, flags VARCHAR
);
CREATE TABLE IF NOT EXISTS region_summary (
    region VARCHAR NOT NULL, definition VARCHAR NOT NULL, sh_year SMALLINT, sh_month TINYINT,
    g_year SMALLINT, g_month TINYINT, hs6 VARCHAR, partner VARCHAR, customs_office VARCHAR,
    value_usd DOUBLE, weight_kg DOUBLE, n_rows BIGINT, n_unweighed BIGINT
);
CREATE TABLE IF NOT EXISTS region_summary_exporters (
    region VARCHAR NOT NULL, definition VARCHAR NOT NULL, sh_year SMALLINT, sh_month TINYINT,
    g_year SMALLINT, g_month TINYINT, exporter VARCHAR, value_usd DOUBLE
);
CREATE TABLE IF NOT EXISTS rejects (
    dataset_id INTEGER NOT NULL, file VARCHAR NOT NULL, "row" BIGINT, "column" VARCHAR,
    value VARCHAR, reason VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS targets (
    region VARCHAR NOT NULL, sh_year SMALLINT NOT NULL, definition VARCHAR NOT NULL,
    value_usd DOUBLE NOT NULL, set_at TIMESTAMP NOT NULL, note VARCHAR,
    PRIMARY KEY (region, sh_year, definition)
);
CREATE TABLE IF NOT EXISTS exclusions (
    kind VARCHAR NOT NULL, code VARCHAR NOT NULL, reason VARCHAR NOT NULL,
    added_at TIMESTAMP NOT NULL, PRIMARY KEY (kind, code)
);
CREATE TABLE IF NOT EXISTS countries (
    iso3 VARCHAR PRIMARY KEY, iso2 VARCHAR, numeric INTEGER, name_en VARCHAR, name_fa VARCHAR,
    capital VARCHAR, lat DOUBLE, lon DOUBLE
);
CREATE TABLE IF NOT EXISTS baci_codes (code INTEGER PRIMARY KEY, iso3 VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS hs_sections (
    section VARCHAR PRIMARY KEY, first_chapter INTEGER, last_chapter INTEGER, name_en VARCHAR,
    name_fa VARCHAR
);
CREATE TABLE IF NOT EXISTS hs_chapters (chapter VARCHAR PRIMARY KEY, section VARCHAR, name_en VARCHAR);
CREATE TABLE IF NOT EXISTS hs_names (
    code VARCHAR NOT NULL, lang VARCHAR NOT NULL, name VARCHAR NOT NULL, source VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS calendar (
    date DATE PRIMARY KEY, g_year SMALLINT, g_month TINYINT, g_day TINYINT, g_quarter TINYINT,
    sh_year SMALLINT, sh_month TINYINT, sh_day TINYINT, sh_quarter TINYINT, sh_yday SMALLINT
);
CREATE OR REPLACE VIEW exports AS
WITH reported AS (
    SELECT DISTINCT exporter, year FROM world_flows WHERE reported_by <> 'importer'
)
SELECT f.dataset_id, f.year, f.exporter, f.importer, f.hs6, f.value_usd, f.quantity,
       f.quantity_unit,
       CASE WHEN f.reported_by = 'importer' THEN 'mirror' ELSE 'reported' END AS basis,
       f.reported_by
FROM world_flows f
WHERE f.reported_by <> 'importer'
   OR NOT EXISTS (SELECT 1 FROM reported r WHERE r.exporter = f.exporter AND r.year = f.year);
CREATE OR REPLACE VIEW region_flows_annual AS
-- a Solar Hijri month without days has no single Gregorian month: for annual comparisons it
-- is placed in the Gregorian year of its 15th day (g_year_approx); dated rows keep their own
SELECT r.*, coalesce(r.g_year, c.g_year) AS g_year_approx,
       coalesce(r.g_month, c.g_month) AS g_month_approx
FROM region_flows r LEFT JOIN calendar c
  ON r.g_year IS NULL AND c.sh_year = r.sh_year AND c.sh_month = r.sh_month AND c.sh_day = 15;
CREATE OR REPLACE VIEW distances AS
SELECT a.iso3 AS origin, b.iso3 AS destination,
       2 * 6371.0088 * asin(sqrt(
           pow(sin(radians(b.lat - a.lat) / 2), 2)
           + cos(radians(a.lat)) * cos(radians(b.lat)) * pow(sin(radians(b.lon - a.lon) / 2), 2)
       )) AS km
FROM countries a, countries b
WHERE a.lat IS NOT NULL AND b.lat IS NOT NULL;
"""

CALENDAR_START = dt.date(1990, 1, 1)
CALENDAR_END = dt.date(2040, 12, 31)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _version(con: duckdb.DuckDBPyConnection) -> int:
    try:
        rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    except duckdb.CatalogException:
        return 0
    return int(rows[0][0]) if rows else 0


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse; a workspace made by an older version is brought up to
    date first (also before a read-only connection, which cannot change it)."""
    con = duckdb.connect(str(path), read_only=read_only)
    if read_only:
        if _version(con) >= SCHEMA_VERSION:
            return con
        con.close()
        connect(path).close()  # upgrade once, then read
        return duckdb.connect(str(path), read_only=True)
    if _version(con) < SCHEMA_VERSION:
        con.execute(SCHEMA)  # idempotent: brings a workspace made by an older version up to date
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )
        stale = con.execute(
            "SELECT (SELECT count(*) FROM region_flows) > 0 AND "
            "(SELECT count(*) FROM region_summary) = 0"
        ).fetchall()
        if stale[0][0]:  # a workspace from before the summaries: build them once
            con.execute("BEGIN TRANSACTION")
            for (region,) in con.execute("SELECT DISTINCT region FROM region_flows").fetchall():
                refresh_region_summary(con, region)
            con.execute("COMMIT")
    return con


def refresh_region_summary(con: duckdb.DuckDBPyConnection, region: str) -> None:
    """Recompute a region's monthly summaries from its rows (inside the caller's transaction)."""
    con.execute("DELETE FROM region_summary WHERE region = ?", [region])
    con.execute("DELETE FROM region_summary_exporters WHERE region = ?", [region])
    con.execute(
        """INSERT INTO region_summary
           SELECT region, definition, sh_year, sh_month, g_year, g_month, hs6, partner,
                  customs_office, sum(value_usd), sum(weight_kg), count(*),
                  count(*) FILTER (WHERE weight_kg IS NULL)
           FROM region_flows WHERE region = ? GROUP BY ALL""",
        [region],
    )
    con.execute(
        """INSERT INTO region_summary_exporters
           SELECT region, definition, sh_year, sh_month, g_year, g_month,
                  coalesce(exporter, '(unknown exporter)'), sum(value_usd)
           FROM region_flows WHERE region = ? GROUP BY ALL""",
        [region],
    )


def create(path: Path) -> None:
    """Create the warehouse file with its schema and reference tables."""
    con = connect(path)
    try:
        con.execute("BEGIN")
        con.execute(SCHEMA)
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )
        _load_reference(con)
        con.execute("COMMIT")
    finally:
        con.close()


def _load_reference(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "DELETE FROM countries; DELETE FROM baci_codes; DELETE FROM hs_sections; "
        "DELETE FROM hs_chapters; DELETE FROM calendar"
    )
    con.executemany(
        "INSERT INTO countries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (c.iso3, c.iso2, c.numeric, c.name_en, c.name_fa, c.capital, c.lat, c.lon)
            for c in ctry.all_countries()
        ],
    )
    con.executemany("INSERT INTO baci_codes VALUES (?, ?)", sorted(ctry.baci_code_map().items()))
    con.executemany(
        "INSERT INTO hs_sections VALUES (?, ?, ?, ?, ?)",
        [
            (
                s["section"],
                int(s["first_chapter"]),
                int(s["last_chapter"]),
                s["name_en"],
                s["name_fa"],
            )
            for s in hs.sections()
        ],
    )
    con.executemany(
        "INSERT INTO hs_chapters VALUES (?, ?, ?)",
        [(ch, hs.section_of(ch), name) for ch, name in hs.chapters().items()],
    )
    rows = cal.calendar_rows(CALENDAR_START, CALENDAR_END)
    frame = pl.DataFrame(rows, schema=list(cal.CALENDAR_COLUMNS), orient="row")
    con.register("_cal", frame)
    con.execute("INSERT INTO calendar SELECT * FROM _cal")
    con.unregister("_cal")


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


def find_dataset(con: duckdb.DuckDBPyConnection, kind: str, sha: str, region: str | None) -> Any:
    rows = con.execute(
        "SELECT id, rows_read, rows_accepted, rows_rejected, file_name, notes FROM datasets "
        "WHERE kind = ? AND sha256 = ? AND region IS NOT DISTINCT FROM ?",
        [kind, sha, region],
    ).fetchall()
    return rows[0] if rows else None


def remove_dataset(con: duckdb.DuckDBPyConnection, dataset_id: int) -> tuple[str, int]:
    """Delete one import (its flows, rejects and record) in one transaction.

    Returns the file name and the number of flow rows removed.
    """
    found = con.execute(
        "SELECT file_name, region, kind FROM datasets WHERE id = ?", [dataset_id]
    ).fetchall()
    if not found:
        from exportplan.errors import NotFoundError

        raise NotFoundError(f"no dataset {dataset_id}", hint="`exportplan datasets` lists them")
    con.execute("BEGIN TRANSACTION")
    try:
        n = 0
        for table in ("world_flows", "region_flows"):
            rows = con.execute(f"DELETE FROM {table} WHERE dataset_id = ?", [dataset_id]).fetchall()
            n += int(rows[0][0]) if rows else 0
        con.execute("DELETE FROM rejects WHERE dataset_id = ?", [dataset_id])
        con.execute("DELETE FROM datasets WHERE id = ?", [dataset_id])
        if found[0][2] == "customs" and found[0][1] is not None:
            refresh_region_summary(con, str(found[0][1]))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return str(found[0][0]), n


def previous_import(
    con: duckdb.DuckDBPyConnection, kind: str, sha: str, region: str | None
) -> ImportSummary | None:
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


# A test sets this to inject a failure between the steps of an import.
_fault: Callable[[str], None] | None = None


def checkpoint(stage: str) -> None:
    """Called between the steps of an import; lets a test interrupt it at a named stage."""
    if _fault is not None:
        _fault(stage)


@contextmanager
def import_transaction(con: duckdb.DuckDBPyConnection) -> Iterator[int]:
    """A transaction that yields a new dataset id; everything is rolled back on any error."""
    con.execute("BEGIN TRANSACTION")
    try:
        rows = con.execute("SELECT nextval('dataset_id_seq')").fetchall()
        yield int(rows[0][0])
        checkpoint("commit")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def record_dataset(
    con: duckdb.DuckDBPyConnection,
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


def frame(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: list[Any] | None = None,
    *,
    named: dict[str, Any] | None = None,
    positional: list[Any] | None = None,
) -> pl.DataFrame:
    """Run a query and return a polars DataFrame.

    ``params`` are ``?`` parameters; or give ``named`` (``$name``) together with the
    ``positional`` ones of a ``?``-style fragment, which are renamed ``$p0, $p1, ...``.
    """
    if named is not None:
        values = dict(named)
        for i, v in enumerate(positional or []):
            sql = sql.replace("?", f"$p{i}", 1)
            values[f"p{i}"] = v
        named_result: pl.DataFrame = con.sql(sql, params=values).pl()
        return named_result
    result: pl.DataFrame = con.sql(sql, params=params or None).pl()
    return result


def set_exclusion(con: duckdb.DuckDBPyConnection, kind: str, code: str, reason: str) -> None:
    """Keep a market (``kind='market'``, ISO3) or a product (``'product'``, HS prefix) out of
    the opportunity rankings; setting it again replaces the reason."""
    con.execute(
        "INSERT OR REPLACE INTO exclusions VALUES (?, ?, ?, now()::TIMESTAMP)", [kind, code, reason]
    )


def remove_exclusion(con: duckdb.DuckDBPyConnection, kind: str, code: str) -> int:
    """Remove an exclusion; returns how many rows went (0 or 1)."""
    n = con.execute(
        "SELECT count(*) FROM exclusions WHERE kind = ? AND code = ?", [kind, code]
    ).fetchall()[0][0]
    con.execute("DELETE FROM exclusions WHERE kind = ? AND code = ?", [kind, code])
    return int(n)
