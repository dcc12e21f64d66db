"""The cells a customs import covers (month x region x definition x customs office): which
datasets still supply them, which a later import superseded, and moving the rows of superseded
cells out of ``region_flows`` and back.

A cell's month is a Solar Hijri month (``calendar='sh'``), or a Gregorian month for rows that
carry only one (``'g'``); both are held as their first and last day, so a Gregorian month
overlaps the two Solar Hijri months it touches. Offices are compared by their text key
(letters unified, case and spacing ignored); a cell without an office (the file names none)
covers every office of its month. A cumulative file's cells run from Farvardin to the last
month it reports, for every office it names, even months it lists no row for: its values from
1 Farvardin include them.

Tables (declared here, created by :mod:`.schema`):
  ``dataset_cells``  one row per cell of a customs import: cell id, dataset, region,
                     definition, calendar, year, month, office (as first written) and its key,
                     first and last day, rows and USD the import brought for it, whether the
                     import was cumulative, and ``superseded_by`` (the dataset that replaced
                     it; NULL while it still supplies the cell)
  ``region_flows_superseded``  the rows of superseded cells (``cell_id`` and the columns of
                     ``region_flows``): out of every total, kept so that removing the import
                     that replaced them gives them back
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import jdatetime
import polars as pl

from exportplan.reference.text import match_key

Con = duckdb.DuckDBPyConnection

SCHEMA = """
CREATE SEQUENCE IF NOT EXISTS cell_id_seq START 1;
CREATE TABLE IF NOT EXISTS dataset_cells (
    cell_id BIGINT NOT NULL, dataset_id INTEGER NOT NULL, region VARCHAR NOT NULL,
    definition VARCHAR NOT NULL, calendar VARCHAR NOT NULL, year SMALLINT NOT NULL,
    month TINYINT NOT NULL, office VARCHAR, office_key VARCHAR, first_day DATE NOT NULL,
    last_day DATE NOT NULL, n_rows BIGINT NOT NULL, value_usd DOUBLE NOT NULL,
    cumulative BOOLEAN NOT NULL, superseded_by INTEGER
);
CREATE TABLE IF NOT EXISTS region_flows_superseded (
    cell_id BIGINT NOT NULL, dataset_id INTEGER NOT NULL, source_row BIGINT NOT NULL,
    region VARCHAR NOT NULL, definition VARCHAR NOT NULL, sh_year SMALLINT, sh_month TINYINT,
    g_year SMALLINT, g_month TINYINT, day DATE, customs_office VARCHAR, hs_code VARCHAR NOT NULL,
    hs6 VARCHAR NOT NULL, partner VARCHAR NOT NULL, weight_kg DOUBLE, value_usd DOUBLE NOT NULL,
    value_rial DOUBLE, exporter VARCHAR, flags VARCHAR
);
"""

#: The columns of a cell frame (as :func:`cells_of` returns it, before it has ids)
CELL_COLUMNS = (
    "region",
    "definition",
    "calendar",
    "year",
    "month",
    "office",
    "office_key",
    "first_day",
    "last_day",
    "n_rows",
    "value_usd",
    "cumulative",
)

_CELL_SCHEMA: dict[str, pl.DataType] = {
    "region": pl.String(),
    "definition": pl.String(),
    "calendar": pl.String(),
    "year": pl.Int16(),
    "month": pl.Int8(),
    "office": pl.String(),
    "office_key": pl.String(),
    "first_day": pl.Date(),
    "last_day": pl.Date(),
    "n_rows": pl.Int64(),
    "value_usd": pl.Float64(),
    "cumulative": pl.Boolean(),
}

# a row of region_flows in the cell (alias r) of dataset_cells (alias c), the office matched
# through the key table k
_ROW_IN_CELL = """r.dataset_id = c.dataset_id AND r.region = c.region
    AND r.definition = c.definition AND r.customs_office IS NOT DISTINCT FROM k.office
    AND k.office_key IS NOT DISTINCT FROM c.office_key
    AND ((c.calendar = 'sh' AND r.sh_year = c.year AND r.sh_month = c.month)
      OR (c.calendar = 'g' AND r.sh_year IS NULL AND r.g_year = c.year AND r.g_month = c.month))"""


def office_key(office: str | None) -> str | None:
    """The key offices are compared by; None when no office is given (every office)."""
    if office is None:
        return None
    key = match_key(office)
    return key or None


def month_days(calendar: str, year: int, month: int) -> tuple[dt.date, dt.date]:
    """First and last Gregorian day of a Solar Hijri (``'sh'``) or Gregorian (``'g'``) month."""
    if calendar == "g":
        first = dt.date(year, month, 1)
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    first_sh = jdatetime.date(year, month, 1).togregorian()
    nxt_sh = jdatetime.date(year + month // 12, month % 12 + 1, 1).togregorian()
    return first_sh, nxt_sh - dt.timedelta(days=1)


def cells_of(rows: pl.DataFrame, *, cumulative: bool) -> pl.DataFrame:
    """The cells (:data:`CELL_COLUMNS`) of customs rows: ``region, definition, sh_year,
    sh_month, g_year, g_month, office`` and optionally ``n_rows`` and ``value_usd`` (rows
    already grouped; else each row counts once). A cumulative file's cells are completed to
    Farvardin for each office and year."""
    if rows.height == 0:
        return pl.DataFrame(schema=_CELL_SCHEMA)
    frame = rows.with_columns(
        (pl.col("n_rows") if "n_rows" in rows.columns else pl.lit(1, pl.Int64)).alias("n_rows"),
        pl.col("value_usd").cast(pl.Float64),
    )
    offices = frame.get_column("office").unique()
    keys = pl.Series([office_key(o) for o in offices.to_list()], dtype=pl.String)
    frame = frame.with_columns(
        pl.col("office").replace_strict(offices, keys, return_dtype=pl.String).alias("office_key"),
        pl.when(pl.col("sh_year").is_not_null())
        .then(pl.lit("sh"))
        .otherwise(pl.lit("g"))
        .alias("calendar"),
        pl.coalesce(pl.col("sh_year"), pl.col("g_year")).cast(pl.Int16).alias("year"),
        pl.when(pl.col("sh_year").is_not_null())
        .then(pl.col("sh_month"))
        .otherwise(pl.col("g_month"))
        .cast(pl.Int8)
        .alias("month"),
    )
    keys_by = ["region", "definition", "calendar", "year", "month", "office_key"]
    cells = (
        frame.sort("office", nulls_last=True)
        .group_by(keys_by, maintain_order=True)
        .agg(
            pl.col("office").first(),
            pl.col("n_rows").sum().cast(pl.Int64),
            pl.col("value_usd").sum(),
        )
    )
    if cumulative:  # a report from Farvardin to its last month, for every office it names
        year = ["region", "definition", "calendar", "year"]
        sh = cells.filter(pl.col("calendar") == "sh")
        last = sh.group_by(year).agg(pl.col("month").max().alias("_last"))
        named = sh.group_by([*year, "office_key"]).agg(pl.col("office").first())
        full = (
            named.join(last, on=year, nulls_equal=True)
            .with_columns(pl.int_ranges(1, pl.col("_last").cast(pl.Int64) + 1).alias("month"))
            .explode("month")
            .with_columns(pl.col("month").cast(pl.Int8))
            .drop("_last")
        )
        cells = full.join(
            cells.drop("office"),
            on=[*year, "office_key", "month"],
            how="full",
            coalesce=True,
            nulls_equal=True,
        ).with_columns(pl.col("n_rows").fill_null(0), pl.col("value_usd").fill_null(0.0))
    periods = cells.select("calendar", "year", "month").unique()
    days = [month_days(c, int(y), int(m)) for c, y, m in periods.iter_rows()]
    periods = periods.with_columns(
        pl.Series("first_day", [d[0] for d in days], dtype=pl.Date),
        pl.Series("last_day", [d[1] for d in days], dtype=pl.Date),
    )
    cells = cells.join(periods, on=["calendar", "year", "month"], how="left")
    return (
        cells.with_columns(pl.lit(cumulative).alias("cumulative"))
        .select(CELL_COLUMNS)
        .cast(_CELL_SCHEMA)  # type: ignore[arg-type]
        .sort(["region", "definition", "calendar", "year", "month", "office_key"], nulls_last=True)
    )


@dataclass(frozen=True)
class Cell:
    """A loaded cell: the dataset that supplies (or supplied) it and where it lies."""

    cell_id: int
    dataset_id: int
    file_name: str
    region: str
    definition: str
    calendar: str
    year: int
    month: int
    office: str | None
    office_key: str | None
    cumulative: bool
    superseded_by: int | None = None


_CELL_SELECT = """c.cell_id, c.dataset_id, d.file_name, c.region, c.definition, c.calendar,
    c.year, c.month, c.office, c.office_key, c.cumulative, c.superseded_by"""


def _cells(rows: list[tuple[object, ...]]) -> list[Cell]:
    return [
        Cell(
            int(str(r[0])),
            int(str(r[1])),
            str(r[2]),
            str(r[3]),
            str(r[4]),
            str(r[5]),
            int(str(r[6])),
            int(str(r[7])),
            None if r[8] is None else str(r[8]),
            None if r[9] is None else str(r[9]),
            bool(r[10]),
            None if r[11] is None else int(str(r[11])),
        )
        for r in rows
    ]


def overlapping(con: Con, new: pl.DataFrame, *, exclude: int | None = None) -> list[Cell]:
    """The cells still supplied by a loaded import (other than ``exclude``) that overlap any
    of the cells ``new`` (:data:`CELL_COLUMNS`): same region and definition, the same office
    (or either without one), and months that share a day."""
    if new.height == 0:
        return []
    con.register("_new_cells", new)
    try:
        rows = con.execute(
            f"""SELECT DISTINCT {_CELL_SELECT}
                FROM dataset_cells c JOIN datasets d ON d.id = c.dataset_id
                JOIN _new_cells n ON c.region = n.region AND c.definition = n.definition
                 AND (c.office_key IS NULL OR n.office_key IS NULL OR c.office_key = n.office_key)
                 AND c.first_day <= n.last_day AND n.first_day <= c.last_day
                WHERE c.superseded_by IS NULL AND c.dataset_id IS DISTINCT FROM ?
                ORDER BY c.dataset_id, c.calendar, c.year, c.month, c.office_key NULLS FIRST""",
            [exclude],
        ).fetchall()
    finally:
        con.unregister("_new_cells")
    return _cells(rows)


def of_dataset(con: Con, dataset_id: int) -> list[Cell]:
    """Every cell of one import, supplied or superseded."""
    rows = con.execute(
        f"""SELECT {_CELL_SELECT} FROM dataset_cells c JOIN datasets d ON d.id = c.dataset_id
            WHERE c.dataset_id = ? ORDER BY c.calendar, c.year, c.month, c.office_key""",
        [dataset_id],
    ).fetchall()
    return _cells(rows)


def superseded_by(con: Con, dataset_id: int) -> list[Cell]:
    """The cells an import replaced (they come back when it is removed)."""
    rows = con.execute(
        f"""SELECT {_CELL_SELECT} FROM dataset_cells c JOIN datasets d ON d.id = c.dataset_id
            WHERE c.superseded_by = ?
            ORDER BY c.dataset_id, c.calendar, c.year, c.month, c.office_key""",
        [dataset_id],
    ).fetchall()
    return _cells(rows)


def all_cells(con: Con) -> pl.DataFrame:
    """Every cell of every customs import with its status, by dataset and month."""
    result: pl.DataFrame = con.sql(
        """SELECT dataset_id, region, definition, calendar, year, month, office, n_rows,
                  value_usd, cumulative, superseded_by
           FROM dataset_cells ORDER BY dataset_id, calendar, year, month, office_key"""
    ).pl()
    return result


# ---- writes (inside the caller's transaction) -----------------------------------------------


def record(con: Con, dataset_id: int, cells: pl.DataFrame) -> None:
    """The cells of a new import, each with a new cell id."""
    if cells.height == 0:
        return
    con.register("_cells_in", cells.select(CELL_COLUMNS))
    try:
        con.execute(
            """INSERT INTO dataset_cells
               SELECT nextval('cell_id_seq'), ?, region, definition, calendar, year, month,
                      office, office_key, first_day, last_day, n_rows, value_usd, cumulative,
                      NULL
               FROM _cells_in""",
            [dataset_id],
        )
    finally:
        con.unregister("_cells_in")


def _office_keys(con: Con, dataset_ids: list[int]) -> None:
    """Register ``_office_keys`` (office, office_key) for the offices of some imports."""
    rows = con.execute(
        "SELECT DISTINCT customs_office FROM region_flows WHERE list_contains(?, dataset_id)",
        [dataset_ids],
    ).fetchall()
    offices = [None if r[0] is None else str(r[0]) for r in rows]
    frame = pl.DataFrame(
        {"office": offices, "office_key": [office_key(o) for o in offices]},
        schema={"office": pl.String, "office_key": pl.String},
    )
    con.register("_office_keys", frame)


def supersede(con: Con, dataset_id: int, cells: list[Cell]) -> int:
    """Mark ``cells`` replaced by import ``dataset_id`` and move their rows out of
    ``region_flows``; returns the number of rows moved."""
    if not cells:
        return 0
    ids = [c.cell_id for c in cells]
    _office_keys(con, sorted({c.dataset_id for c in cells}))
    try:
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE _moving AS
                SELECT r.rowid AS rid, c.cell_id FROM region_flows r
                JOIN _office_keys k ON r.customs_office IS NOT DISTINCT FROM k.office
                JOIN dataset_cells c ON {_ROW_IN_CELL}
                WHERE list_contains(?, c.cell_id)""",
            [ids],
        )
    finally:
        con.unregister("_office_keys")
    con.execute(
        """INSERT INTO region_flows_superseded
           SELECT m.cell_id, r.* FROM region_flows r JOIN _moving m ON r.rowid = m.rid"""
    )
    con.execute("DELETE FROM region_flows WHERE rowid IN (SELECT rid FROM _moving)")
    moved = int(con.execute("SELECT count(*) FROM _moving").fetchall()[0][0])
    con.execute("DROP TABLE _moving")
    con.execute(
        "UPDATE dataset_cells SET superseded_by = ? WHERE list_contains(?, cell_id)",
        [dataset_id, ids],
    )
    return moved


def forget(con: Con, dataset_id: int) -> tuple[list[Cell], list[Cell]]:
    """Before an import is removed: drop its cells and its superseded rows, and give the cells
    it replaced back to their imports, except those another import now supplies (they are
    marked replaced by that one). Returns (cells given back, cells passed to another)."""
    replaced = superseded_by(con, dataset_id)
    con.execute("DELETE FROM region_flows_superseded WHERE dataset_id = ?", [dataset_id])
    con.execute("DELETE FROM dataset_cells WHERE dataset_id = ?", [dataset_id])
    if not replaced:
        return [], []
    frame: pl.DataFrame = con.sql(
        f"SELECT cell_id, {', '.join(CELL_COLUMNS)} FROM dataset_cells WHERE superseded_by = ?",
        params=[dataset_id],
    ).pl()
    back: list[Cell] = []
    passed: list[Cell] = []
    for cell in replaced:
        row = frame.filter(pl.col("cell_id") == cell.cell_id).drop("cell_id")
        holder = overlapping(con, row)
        if holder:
            con.execute(
                "UPDATE dataset_cells SET superseded_by = ? WHERE cell_id = ?",
                [holder[0].dataset_id, cell.cell_id],
            )
            passed.append(cell)
        else:
            back.append(cell)
    if back:
        ids = [c.cell_id for c in back]
        con.execute(
            """INSERT INTO region_flows SELECT * EXCLUDE (cell_id) FROM region_flows_superseded
               WHERE list_contains(?, cell_id)""",
            [ids],
        )
        con.execute("DELETE FROM region_flows_superseded WHERE list_contains(?, cell_id)", [ids])
        con.execute(
            "UPDATE dataset_cells SET superseded_by = NULL WHERE list_contains(?, cell_id)", [ids]
        )
    return back, passed


def build_missing(con: Con) -> None:
    """Cells for the customs imports of a warehouse from before cells were kept (inside the
    caller's transaction)."""
    todo = con.execute(
        """SELECT id, coalesce(json_extract(options, '$.cumulative')::BOOLEAN, false)
           FROM datasets WHERE kind = 'customs'
             AND id NOT IN (SELECT DISTINCT dataset_id FROM dataset_cells)"""
    ).fetchall()
    for ds, cumulative in todo:
        grouped: pl.DataFrame = con.sql(
            """SELECT region, definition, sh_year, sh_month, g_year, g_month,
                      customs_office AS office, count(*) AS n_rows, sum(value_usd) AS value_usd
               FROM region_flows WHERE dataset_id = ? GROUP BY ALL""",
            params=[ds],
        ).pl()
        record(con, int(ds), cells_of(grouped, cumulative=bool(cumulative)))
