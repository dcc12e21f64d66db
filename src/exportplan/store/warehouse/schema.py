"""The warehouse's schema: its tables and views, the schema version, and bringing a workspace
made by an older version up to date (with the reference tables a new warehouse starts with).

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
  ``dataset_cells``, ``region_flows_superseded``  the cells each customs import covers and
                     the rows of those a later import replaced (:mod:`.cells`)
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
from pathlib import Path

import duckdb
import polars as pl

from exportplan.reference import calendar as cal
from exportplan.reference import countries as ctry
from exportplan.reference import hs
from exportplan.store.warehouse import cells, writes

SCHEMA_VERSION = 4  # bump with every schema change: 2 added targets and region summaries,
# 3 the opportunity exclusions, 4 the cells of customs imports (issue 13)

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


def version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of a warehouse (0: none yet)."""
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
        if version(con) >= SCHEMA_VERSION:
            return con
        con.close()
        connect(path).close()  # upgrade once, then read
        return duckdb.connect(str(path), read_only=True)
    if version(con) < SCHEMA_VERSION:
        upgrade(con)
    return con


def upgrade(con: duckdb.DuckDBPyConnection) -> None:
    """Bring a warehouse to :data:`SCHEMA_VERSION` (the DDL is idempotent); a workspace from
    before the region summaries gets them built once, one from before the cells of customs
    imports gets them from its rows."""
    con.execute(SCHEMA)
    con.execute(cells.SCHEMA)
    con.execute("BEGIN TRANSACTION")
    cells.build_missing(con)  # the cells of imports from before version 4
    _set_version(con)
    con.execute("COMMIT")
    stale = con.execute(
        "SELECT (SELECT count(*) FROM region_flows) > 0 AND "
        "(SELECT count(*) FROM region_summary) = 0"
    ).fetchall()
    if stale[0][0]:
        con.execute("BEGIN TRANSACTION")
        for (region,) in con.execute("SELECT DISTINCT region FROM region_flows").fetchall():
            writes.refresh_region_summary(con, region)
        con.execute("COMMIT")


def _set_version(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


def create(path: Path) -> None:
    """Create the warehouse file with its schema and reference tables."""
    con = connect(path)
    try:
        con.execute("BEGIN")
        con.execute(SCHEMA)
        con.execute(cells.SCHEMA)
        _set_version(con)
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
