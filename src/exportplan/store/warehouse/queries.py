"""Reads of the warehouse that several services (or a front door) share: a query as a polars
frame, the imports and their rejects, the data version, targets, exclusions, and the region's
exports by market (the world aggregates of a window are in :mod:`.world_window`)."""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl

from exportplan.errors import NotFoundError

Con = duckdb.DuckDBPyConnection


def frame(
    con: Con,
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


# ---- imports -------------------------------------------------------------------------------


def datasets(con: Con) -> pl.DataFrame:
    """Every import with its provenance, oldest first."""
    return frame(
        con,
        """SELECT id, kind, file_name, sha256, imported_at, rows_read, rows_accepted,
                  rows_rejected, region, definition, source, synthetic, notes
           FROM datasets ORDER BY id""",
    )


def rejects(con: Con, dataset_id: int) -> pl.DataFrame:
    """Rejected rows of one import: file, row, column, value, reason."""
    found = con.execute("SELECT count(*) FROM datasets WHERE id = ?", [dataset_id]).fetchall()
    if not found or found[0][0] == 0:
        raise NotFoundError(f"no dataset {dataset_id}", hint="`exportplan datasets` lists them")
    return frame(
        con,
        'SELECT file, "row", "column", value, reason FROM rejects WHERE dataset_id = ? '
        'ORDER BY "row", "column"',
        [dataset_id],
    )


def data_version(con: Con) -> str:
    """Changes whenever an import lands or goes: the ids and hashes of every dataset."""
    rows = con.execute("SELECT id, sha256 FROM datasets ORDER BY id").fetchall()
    return ";".join(f"{i}:{h[:12]}" for i, h in rows)


# ---- targets and exclusions ----------------------------------------------------------------


def target(con: Con, region: str, sh_year: int, definition: str) -> float | None:
    """The target set for a region, Solar Hijri year and definition, if any."""
    rows = con.execute(
        "SELECT value_usd FROM targets WHERE region = ? AND sh_year = ? AND definition = ?",
        [region, sh_year, definition],
    ).fetchall()
    return float(rows[0][0]) if rows else None


def targets_set(con: Con) -> pl.DataFrame:
    """Every target set with `target set`: region, sh_year, definition, value_usd, source
    ('target set') and note."""
    return frame(
        con,
        "SELECT region, sh_year::INTEGER AS sh_year, definition, value_usd, "
        "'target set' AS source, note FROM targets",
    )


def exclusions(con: Con) -> pl.DataFrame:
    """Markets and products kept out of the opportunity rankings, with their reasons."""
    return frame(con, "SELECT kind, code, reason, added_at FROM exclusions ORDER BY kind, code")


def region_by_market(
    con: Con, *, region: str, definition: str, digits: int, years: list[int], home: str
) -> pl.DataFrame:
    """The region's exports by Gregorian year (``year``), product at ``digits`` digits
    (``prod``) and market (``market``; the home country left out), in ``v`` (USD); Solar Hijri
    months without days count in the Gregorian year of their 15th day."""
    yrs = ", ".join(str(int(y)) for y in years)
    return frame(
        con,
        f"""SELECT g_year_approx::INTEGER AS year, substr(hs6, 1, {int(digits)}) AS prod,
                   partner AS market, sum(value_usd) AS v
            FROM region_flows_annual
            WHERE region = ? AND definition = ? AND g_year_approx IN ({yrs})
              AND partner <> ?
            GROUP BY ALL""",
        [region, definition, home],
    )


def exporter_exports(con: Con, region: str, exporter: str) -> list[dict[str, Any]]:
    """One exporter's exports from the region per definition and Solar Hijri year, USD (the
    investment pipeline's outcome: ``region_summary_exporters``, the names as customs wrote
    them)."""
    return frame(
        con,
        "SELECT definition, sh_year, SUM(value_usd) AS value_usd FROM region_summary_exporters "
        "WHERE region = ? AND exporter = ? GROUP BY definition, sh_year "
        "ORDER BY definition, sh_year",
        [region, exporter],
    ).to_dicts()


def top_exporters(con: Con, region: str, n: int) -> list[str]:
    """The region's ``n`` largest exporters by value (all years, both definitions)."""
    rows = con.execute(
        "SELECT exporter FROM region_summary_exporters WHERE region = ? AND exporter IS NOT NULL "
        "GROUP BY exporter ORDER BY SUM(value_usd) DESC, exporter LIMIT ?",
        [region, n],
    ).fetchall()
    return [str(r[0]) for r in rows]


def national_names(con: Con) -> dict[str, dict[str, str]]:
    """Product names the imported files give (``lang -> code -> name``): tariff lines of 8 or
    10 digits in either language, and Persian names at 6 digits (HS 2022 has none); where
    several files name a code, the latest import's name."""
    rows = con.execute(
        """SELECT lang, code, name FROM hs_names
           WHERE length(code) >= 8 OR (lang = 'fa' AND length(code) = 6)
           ORDER BY lang, code, rowid"""
    ).fetchall()
    out: dict[str, dict[str, str]] = {"en": {}, "fa": {}}
    for lang, code, name in rows:
        if lang in out and name:
            out[lang][str(code)] = str(name)
    return out
