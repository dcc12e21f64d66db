"""A region's exports by exporter and HS chapter over a span of Solar Hijri months (the
industrial zones' outcome link). The customs records key an exporter by the name written in
the file (``region_flows.exporter``): there is no trade card number or national id in them,
so a firm is found by its name (the service compares names after unifying letters and
digits)."""

from __future__ import annotations

import duckdb
import polars as pl

from exportplan.store.warehouse.queries import frame


def by_exporter(
    con: duckdb.DuckDBPyConnection,
    *,
    region: str,
    definition: str,
    first: tuple[int, int],
    last: tuple[int, int],
) -> pl.DataFrame:
    """``exporter``, ``hs2`` and ``value_usd`` summed over the Solar Hijri months from
    ``first`` to ``last`` (year, month), both included; rows without an exporter left out."""
    return frame(
        con,
        """SELECT exporter, substr(hs6, 1, 2) AS hs2, sum(value_usd) AS value_usd
           FROM region_flows
           WHERE region = ? AND definition = ? AND exporter IS NOT NULL AND exporter <> ''
             AND sh_year::INTEGER * 100 + sh_month::INTEGER BETWEEN ? AND ?
           GROUP BY ALL""",
        [region, definition, first[0] * 100 + first[1], last[0] * 100 + last[1]],
    )
