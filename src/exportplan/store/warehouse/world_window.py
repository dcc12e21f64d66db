"""The world aggregates of a window of years that the export potential reads (imports and their
trend, world totals, the home country's trade, the suppliers' distance and concentration),
from one streamed read of the flows.

Where the time and memory went, and what this module does about them (docs/benchmarks.md has
the figures): the first version grouped the window's flows by year, exporter, importer and
product into a temporary table (55 million rows for five BACI years, 4.7 GB at peak), then read
it four times, twice through window functions over all of it. DuckDB's hash aggregate is the
cost there, whatever the key: with 11 million exporter x importer x product groups and no
locality in the input it spills every row into partitions (measured: about 11 CPU seconds for
one sum, even on a single integer key). A concentration index needs each supplier's total, so
that grouping cannot be avoided; it is done where it is cheap instead:

* countries and products get dense integer ids from two small dictionaries (hash joins
  against a few thousand rows cost little next to grouping on the strings);
* DuckDB streams each flow of the window as (importer id, packed exporter x product x year
  key, value) in Arrow batches under a memory limit and two threads; the rows are gathered by
  importer (a radix sort of each batch on the 16-bit importer id);
* each importer's rows (a few hundred thousand) are summed with ``np.bincount`` over their
  distinct keys, found through two scratch arrays indexed by key (nothing is sorted, nothing
  grows): yearly sums by product, flows a year, each supplier's window total, then the total,
  sum of squares and distance-weighted sums of the suppliers other than the home country;
* trends, world totals and the home country's trade come from those two small frames (about a
  million rows each), in SQL.

The mirror rule of the ``exports`` view (partners' imports only for an exporter and year
without its own report) is applied only when the window holds importer-reported rows;
otherwise the view and the table are the same rows and the table is read directly.

The figures equal those of the straightforward computation up to the order of floating-point
additions (tests/test_world_window.py compares the two to 1e-9): the hhi is ``sum(v^2) /
tot^2`` rather than ``sum((v / tot)^2)``, and the world's trend, a least-squares slope over
one point per flow (each year weighted by its number of exporter-importer flows, as the first
version computed it), is taken in closed form from the yearly totals and counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import duckdb
import numpy as np
import polars as pl

from exportplan.store.warehouse import loads

Con = duckdb.DuckDBPyConnection

PARTS = ("imports", "world", "country_to")
#: the form of the parts (a cache key term: a cached window of another form is not read)
FORM = 2
# DuckDB's own memory for the dictionaries and the read (it streams; nothing large is held)
MEMORY_LIMIT = "300MB"
THREADS = 2
_TEMP = ("_wc", "_wp", "_wd")
_VIEWS = ("_wip", "_ws")
BATCH_ROWS = 1 << 20


@contextmanager
def _settings(con: Con) -> Iterator[None]:
    """Memory limit and threads for the read (under the lock of
    :func:`.loads.instance_settings`: they are the instance's), restored after; temporary
    tables dropped."""
    with loads.instance_settings(con, {"memory_limit": MEMORY_LIMIT, "threads": THREADS}):
        try:
            yield
        finally:
            for t in _TEMP:
                con.execute(f"DROP TABLE IF EXISTS {t}")
            for t in _VIEWS:
                con.unregister(t)


def _source(con: Con, yrs: str) -> str:
    """The rows of the ``exports`` view in the window: the table itself when no row of the
    window was reported by an importer (the view then keeps every row)."""
    mirror = con.execute(
        f"SELECT count(*) FROM world_flows WHERE reported_by = 'importer' AND year IN ({yrs})"
    ).fetchall()[0][0]
    return "exports" if mirror else "world_flows"


def world_aggregates(
    con: Con, *, digits: int, years: list[int], home: str
) -> dict[str, pl.DataFrame]:
    """The world aggregates of a window of years at a product level of ``digits`` digits:
    ``imports`` (prod, market, imports_usd, trend_pa, supplier_km, hhi: by product and
    market, the window's average, its log-linear trend over the years with imports (at least
    3), the import-weighted geometric mean distance of the market's suppliers other than the
    home country and their concentration; the last two null where it has no other supplier),
    ``world`` (prod, world_usd, country_exports_usd, country_imports_usd, world_trend_pa) and
    ``country_to`` (market, country_usd: the home country's exports by market). Markets
    leave the home country out. Rows are ordered by product and market (by code)."""
    n, ny = int(digits), len(years)
    ys = sorted(int(y) for y in years)
    yrs = ", ".join(str(y) for y in ys)
    with _settings(con):
        src = _source(con, yrs)
        # dense ids: countries (exporters and importers) and products at this level, each in
        # the order of its code, so ordering by id orders by code
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE _wc AS
                SELECT code, (row_number() OVER (ORDER BY code) - 1)::USMALLINT AS id
                FROM (SELECT DISTINCT exporter AS code FROM {src} WHERE year IN ({yrs})
                      UNION SELECT DISTINCT importer FROM {src} WHERE year IN ({yrs}))"""
        )
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE _wp AS
                WITH h AS (SELECT DISTINCT hs6 FROM {src} WHERE year IN ({yrs}))
                SELECT hs6, prod, (dense_rank() OVER (ORDER BY prod) - 1)::USMALLINT AS id
                FROM (SELECT hs6, substr(hs6, 1, {n}) AS prod FROM h)"""
        )
        got = con.execute("SELECT id FROM _wc WHERE code = ?", [home]).fetchall()
        h = int(got[0][0]) if got else -1  # the home country's id (-1: no flows)
        con.execute(
            """CREATE OR REPLACE TEMP TABLE _wd AS
               SELECT a.id AS e, b.id AS i, ln(d.km) AS lk
               FROM distances d JOIN _wc a ON a.code = d.origin JOIN _wc b ON b.code = d.destination
               WHERE d.km > 0"""
        )
        nc = int(con.execute("SELECT count(*) FROM _wc").fetchall()[0][0])
        npr = int(con.execute("SELECT count(DISTINCT id) FROM _wp").fetchall()[0][0])
        lk = np.zeros((nc, nc))  # ln km from exporter (row) to importer (column); 0: none
        has_km = np.zeros((nc, nc), dtype=bool)
        e, i, v = (
            np.asarray(a) for a in con.execute("SELECT e, i, lk FROM _wd").fetchnumpy().values()
        )
        lk[e, i], has_km[e, i] = v, True
        # one read of the flows: each row as its importer, a packed (exporter, product, year)
        # key and its value, gathered by importer; a year is its position in the window (a
        # window may skip a year that was not imported)
        wide = "UBIGINT" if nc * npr * ny >= 2**32 else "UINTEGER"
        reader = con.sql(
            f"""SELECT b.id AS i,
                       ((a.id::{wide} * {npr} + p.id) * {ny}
                        + (list_position([{yrs}], f.year::INTEGER) - 1))::{wide} AS k,
                       f.value_usd AS v
                FROM {src} f JOIN _wc a ON a.code = f.exporter
                     JOIN _wc b ON b.code = f.importer JOIN _wp p ON p.hs6 = f.hs6
                WHERE f.year IN ({yrs})"""
        ).to_arrow_reader(BATCH_ROWS)
        by_importer: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in range(nc)]
        for batch in reader:
            bi = batch.column(0).to_numpy()
            order = np.argsort(bi, kind="stable")
            bounds = np.cumsum(np.bincount(bi, minlength=nc))
            bk, bv = batch.column(1).to_numpy()[order], batch.column(2).to_numpy()[order]
            lo = 0
            for imp in np.flatnonzero(np.diff(bounds, prepend=0)):
                hi = int(bounds[imp])
                by_importer[imp].append((bk[lo:hi], bv[lo:hi]))
                lo = hi
        ip, ws = _fold(by_importer, nc=nc, npr=npr, ny=ny, h=h, lk=lk, has_km=has_km)
        con.register("_wip", ip)
        con.register("_ws", ws)
        return _frames(con, ys, h)


def _fold(
    by_importer: list[list[tuple[np.ndarray, np.ndarray]]],
    *,
    nc: int,
    npr: int,
    ny: int,
    h: int,
    lk: np.ndarray,
    has_km: np.ndarray,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The rows of each importer folded into two frames by importer and product: ``_wip``
    (i, p, the yearly sums s0.. (null: no flow that year), hx: the home country's exports,
    null when none) and ``_ws`` (i, p, c0..: flows a year, one per exporter; tot, sq: the
    other suppliers' total and sum of squares; km1, km0: their sums of value x ln km and of
    value over the suppliers with a distance, null when none). Each importer's rows are
    summed with ``np.bincount`` over its distinct keys (found through two scratch arrays
    indexed by key, so nothing is sorted), then released."""
    parts: list[dict[str, np.ndarray] | None] = [None] * nc

    def fold(worker: int) -> None:
        # scratch: for each (exporter, product, year) and (exporter, product) key, the last
        # row of the importer written to it; a row is a key's first (distinct) one when it
        # reads itself back (each worker has its own)
        last_epy = np.zeros(nc * npr * ny, dtype=np.int32)
        last_ep = np.zeros(nc * npr, dtype=np.int32)
        for imp in range(worker, nc, THREADS):
            chunks = by_importer[imp]
            if not chunks:
                continue
            k = np.concatenate([c[0] for c in chunks]).astype(np.int64)
            v = np.concatenate([c[1] for c in chunks])
            by_importer[imp] = []
            idx = np.arange(k.size, dtype=np.int32)
            ep, yr = np.divmod(k, ny)
            p = ep % npr
            py = p * ny + yr
            n_py = np.bincount(py, minlength=npr * ny)
            s_py = np.bincount(py, weights=v, minlength=npr * ny)
            last_epy[k] = idx
            c_py = np.bincount(py[last_epy[k] == idx], minlength=npr * ny)  # exporters a year
            # each exporter's window total to this importer, by product
            last_ep[ep] = idx
            u = ep[last_ep[ep] == idx]
            last_ep[u] = np.arange(u.size, dtype=np.int32)
            vu = np.bincount(last_ep[ep], weights=v, minlength=u.size)
            eu, pu = np.divmod(u, npr)
            other = eu != h
            tot = np.bincount(pu[other], weights=vu[other], minlength=npr)
            sq = np.bincount(pu[other], weights=vu[other] * vu[other], minlength=npr)
            near = other & has_km[eu, imp]
            km1 = np.bincount(pu[near], weights=vu[near] * lk[eu[near], imp], minlength=npr)
            km0 = np.bincount(pu[near], weights=vu[near], minlength=npr)
            with_km = np.bincount(pu[near], minlength=npr) > 0
            mine = eu == h
            home = np.bincount(pu[mine], weights=vu[mine], minlength=npr)
            home_rows = np.bincount(pu[mine], minlength=npr) > 0
            n_py, s_py, c_py = (a.reshape(npr, ny) for a in (n_py, s_py, c_py))
            rows = np.flatnonzero(n_py.sum(axis=1))
            part = {"i": np.full(rows.size, imp, dtype=np.int64), "p": rows}
            for y in range(ny):
                part[f"s{y}"] = np.where(n_py[rows, y] > 0, s_py[rows, y], np.nan)
                part[f"c{y}"] = c_py[rows, y]
            part["hx"] = np.where(home_rows[rows], home[rows], np.nan)
            part["tot"], part["sq"] = tot[rows], sq[rows]
            part["km1"] = np.where(with_km[rows], km1[rows], np.nan)
            part["km0"] = np.where(with_km[rows], km0[rows], np.nan)
            parts[imp] = part

    # numpy releases the GIL in most of these operations: one worker per DuckDB thread
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(fold, range(THREADS)))
    ip_parts = [q for q in parts if q is not None]
    cols = ["i", "p", *(f"s{y}" for y in range(ny)), "hx"]
    ws_cols = ["i", "p", *(f"c{y}" for y in range(ny)), "tot", "sq", "km1", "km0"]
    if ip_parts:
        data = {c: np.concatenate([q[c] for q in ip_parts]) for c in set(cols) | set(ws_cols)}
    else:
        data = {
            c: np.zeros(0, dtype=np.int64 if c in ("i", "p") or c.startswith("c") else float)
            for c in set(cols) | set(ws_cols)
        }
    frame = pl.DataFrame(data).fill_nan(None)
    return frame.select(cols), frame.select(ws_cols)


def _frames(con: Con, ys: list[int], h: int) -> dict[str, pl.DataFrame]:
    """The four frames from the two small tables (``_wip``, ``_ws``) and the dictionaries."""
    ny = len(ys)
    s = [f"s{k}" for k in range(ny)]
    total = " + ".join(f"coalesce({c}, 0)" for c in s)
    year_list = "[" + ", ".join(str(y) for y in ys) + "]"
    imports = _pl(
        con,
        f"""WITH l AS (SELECT i, p, unnest([{", ".join(s)}]) AS v, unnest({year_list}) AS year
                       FROM _wip WHERE i <> {h}),
                 t AS (SELECT i, p,
                              CASE WHEN count(*) FILTER (WHERE v > 0) >= 3
                                   THEN exp(regr_slope(ln(v), year) FILTER (WHERE v > 0)) - 1
                              END AS trend_pa
                       FROM l GROUP BY ALL)
            SELECT pr.prod, c.code AS market, ({total}) / {ny} AS imports_usd, t.trend_pa,
                   CASE WHEN s.tot > 0 THEN exp(s.km1 / s.km0) END AS supplier_km,
                   CASE WHEN s.tot > 0 THEN s.sq / (s.tot * s.tot) END AS hhi
            FROM _wip w JOIN t USING (i, p) JOIN _ws s USING (i, p) JOIN _wc c ON c.id = w.i
                 JOIN (SELECT DISTINCT id, prod FROM _wp) pr ON pr.id = w.p
            ORDER BY w.p, w.i""",
    )
    # the world's trend: a least-squares slope of ln(yearly total) on the year over one point
    # per flow of the year, from each year's total and number of flows (closed form)
    c = [f"c{k}" for k in range(ny)]
    world = _pl(
        con,
        f"""WITH py AS (
                SELECT p, sum({total}) AS v,
                       coalesce(sum({total}) FILTER (WHERE i = {h}), 0) AS imp_home,
                       coalesce(sum(hx), 0) AS exp_home,
                       {", ".join(f"sum({x}) AS {x}" for x in s)}
                FROM _wip GROUP BY p),
                pn AS (SELECT p, {", ".join(f"sum({x}) AS {x}" for x in c)} FROM _ws GROUP BY p),
                l AS (SELECT p, unnest([{", ".join(s)}]) AS yv, unnest([{", ".join(c)}]) AS n,
                             unnest({year_list}) AS year
                      FROM py JOIN pn USING (p)),
                m AS (SELECT p, count(*) AS years, sum(n * year) / sum(n) AS mx,
                             sum(n * ln(yv)) / sum(n) AS my
                      FROM l WHERE n > 0 GROUP BY p),
                r AS (SELECT l.p, CASE WHEN any_value(m.years) >= 3
                                       THEN exp(sum(l.n * (l.year - m.mx) * (ln(l.yv) - m.my))
                                                / sum(l.n * (l.year - m.mx) * (l.year - m.mx)))
                                            - 1 END AS world_trend_pa
                      FROM l JOIN m USING (p) WHERE l.n > 0 GROUP BY l.p)
            SELECT pr.prod, py.v / {ny} AS world_usd, py.exp_home / {ny} AS country_exports_usd,
                   py.imp_home / {ny} AS country_imports_usd, r.world_trend_pa
            FROM py JOIN r USING (p) JOIN (SELECT DISTINCT id, prod FROM _wp) pr ON pr.id = py.p
            ORDER BY py.p""",
    )
    country_to = _pl(
        con,
        f"""SELECT c.code AS market, sum(w.hx) / {ny} AS country_usd
            FROM _wip w JOIN _wc c ON c.id = w.i WHERE w.hx IS NOT NULL
            GROUP BY w.i, c.code ORDER BY w.i""",
    )
    return {"imports": imports, "world": world, "country_to": country_to}


def _pl(con: Con, sql: str) -> pl.DataFrame:
    result: pl.DataFrame = con.sql(sql).pl()
    return result
