"""The world aggregates of a window (what the export potential reads) against a straightforward
reference computation in Python from the raw flows, on a small demo workspace and on a
hand-made one with the awkward cases: mirror flows, a flow reported twice, a country without
coordinates, the home country on both sides, products that skip years."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from exportplan.store.warehouse import writes
from exportplan.store.warehouse.world_window import world_aggregates
from exportplan.workspace import Workspace, init

Row = tuple[int, str, str, str, float, str]
COUNTRIES = ["IRN", "TUR", "IRQ", "ARM", "DEU", "CHN", "ZZZ"]  # ZZZ: no coordinates
PRODUCTS = ["010121", "010129", "020110", "020120", "847130", "847150"]


def reference(
    con: Any, *, digits: int, years: list[int], home: str
) -> dict[str, dict[tuple[str, ...], tuple[float | None, ...]]]:
    """Each frame of :func:`world_aggregates` as {key: values}, from the definitions: the
    ``exports`` view's mirror rule, flows grouped by year, exporter, importer and product,
    then each figure summed, averaged or regressed in plain Python."""
    raw = con.execute(
        "SELECT year, exporter, importer, hs6, value_usd, reported_by FROM world_flows"
    ).fetchall()
    reported = {(e, y) for y, e, _i, _k, _v, by in raw if by != "importer"}
    w: dict[tuple[int, str, str, str], float] = defaultdict(float)
    for y, e, i, k, v, by in raw:
        if y in years and (by != "importer" or (e, y) not in reported):
            w[(y, e, i, k[:digits])] += v
    ny = len(years)

    def slope(points: list[tuple[float, float]]) -> float:
        return statistics.linear_regression([p[0] for p in points], [p[1] for p in points])[0]

    # imports: by market and product over the years, the trend over the years with imports
    by_year: dict[tuple[str, str], dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for (y, _e, i, p), v in w.items():
        if i != home:
            by_year[(p, i)][y] += v
    imports = {}
    for key, ys in by_year.items():
        pos = [(float(y), math.log(v)) for y, v in ys.items() if v > 0]
        trend = math.exp(slope(pos)) - 1 if len(pos) >= 3 else None
        imports[key] = (sum(ys.values()) / ny, trend)
    # world: by product; the trend over one point per flow (year, ln of the year's total)
    yv: dict[tuple[str, int], float] = defaultdict(float)
    for (y, _e, _i, p), v in w.items():
        yv[(p, y)] += v
    tot_p: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for (y, e, i, p), v in w.items():
        tot_p[p][0] += v
        tot_p[p][1] += v if e == home else 0.0
        tot_p[p][2] += v if i == home else 0.0
        points[p].append((float(y), math.log(yv[(p, y)])))
    world: dict[tuple[str, ...], tuple[float | None, ...]] = {
        (p,): (
            t[0] / ny,
            t[1] / ny,
            t[2] / ny,
            math.exp(slope(points[p])) - 1 if len({x for x, _ in points[p]}) >= 3 else None,
        )
        for p, t in tot_p.items()
    }
    country_to: dict[tuple[str, ...], float] = defaultdict(float)
    for (_y, e, i, _p), v in w.items():
        if e == home:
            country_to[(i,)] += v / ny
    # suppliers: the market's suppliers other than home, each with its window total
    km = {(o, d): k for o, d, k in con.execute("SELECT * FROM distances").fetchall()}
    t: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for (_y, e, i, p), v in w.items():
        if e != home and i != home:
            t[(p, i)][e] += v
    suppliers = {}
    for (p, i), vs in t.items():
        tot = sum(vs.values())
        if tot <= 0:
            continue
        near = [(v, km[(e, i)]) for e, v in vs.items() if km.get((e, i), 0) > 0]
        s0 = sum(v for v, _ in near)
        skm = math.exp(sum(v * math.log(k) for v, k in near) / s0) if near else None
        suppliers[(p, i)] = (skm, sum((v / tot) ** 2 for v in vs.values()))
    # the suppliers' terms are carried by the imports (null where the market has no other
    # supplier); every market-product with other suppliers imports it
    assert set(suppliers) <= set(imports)
    return {
        "imports": {k: (*v, *suppliers.get(k, (None, None))) for k, v in imports.items()},
        "world": world,
        "country_to": {k: (v,) for k, v in country_to.items()},
    }


KEYS = {
    "imports": (["prod", "market"], ["imports_usd", "trend_pa", "supplier_km", "hhi"]),
    "world": (
        ["prod"],
        ["world_usd", "country_exports_usd", "country_imports_usd", "world_trend_pa"],
    ),
    "country_to": (["market"], ["country_usd"]),
}


def assert_same(got: dict[str, pl.DataFrame], ref: dict[str, Any]) -> None:
    assert set(got) == set(KEYS)
    for part, (keys, cols) in KEYS.items():
        df = got[part]
        rows = {tuple(r[: len(keys)]): r[len(keys) :] for r in df.select(*keys, *cols).iter_rows()}
        assert len(rows) == df.height, f"{part}: a key repeats"
        assert set(rows) == set(ref[part]), part
        for key, want in ref[part].items():
            for col, a, b in zip(cols, rows[key], want, strict=True):
                assert (a is None) == (b is None), (part, key, col, a, b)
                if a is not None and b is not None:
                    assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), (part, key, col, a, b)


def _flows(seed: int) -> list[Row]:
    """Flows that skip years, a mirror-only exporter-year, a flow reported twice."""
    rng = np.random.default_rng(seed)
    rows: list[Row] = []
    for y in range(2018, 2023):
        for e in COUNTRIES:
            for i in COUNTRIES:
                if e == i:
                    continue
                for k in PRODUCTS:
                    if rng.random() < 0.55:
                        by = "importer" if (e == "ARM" and y == 2019) else "reconciled"
                        rows.append((y, e, i, k, float(rng.lognormal(10, 2)), by))
    # importer-reported rows of an exporter that reports itself: left out by the view
    rows += [
        (2020, "TUR", "IRQ", "010121", 5e6, "importer"),
        (2020, "TUR", "DEU", "847130", 1e3, "importer"),
    ]
    rows.append(rows[0])  # the same flow in a second dataset: counted twice, as the view does
    rows.append((2021, "IRN", "IRN", "020110", 777.0, "reconciled"))  # home to home
    rows.append((2022, "CHN", "TUR", "999999", 12.5, "reconciled"))  # a product of one year
    return rows


@pytest.fixture(scope="module")
def edge_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = init(Path(tmp_path_factory.mktemp("world-window")) / "ws")
    rows = _flows(7)
    with ws.warehouse() as con:
        for part in (rows[:-3], rows[-3:]):
            with writes.import_transaction(con) as ds:
                con.executemany(
                    "INSERT INTO world_flows VALUES (?, ?, ?, ?, ?, 'HS17', ?, NULL, NULL, ?)",
                    [(ds, *r) for r in part],
                )
                writes.record_dataset(
                    con,
                    dataset_id=ds,
                    kind="baci",
                    file_name=f"SYNTHETIC_{ds}",
                    sha=f"synthetic-window-{ds}",
                    rows_read=len(part),
                    rows_accepted=len(part),
                    rows_rejected=0,
                    source="SYNTHETIC test world",
                    synthetic=True,
                )
    return ws


@pytest.mark.parametrize(
    ("digits", "years", "home"),
    [
        (6, [2018, 2019, 2020, 2021, 2022], "IRN"),
        (4, [2018, 2019, 2020, 2021, 2022], "IRN"),
        (2, [2020, 2021, 2022], "TUR"),
        (4, [2021, 2022], "IRN"),  # two years: no trend anywhere
        (6, [2019, 2020, 2021], "AFG"),  # a home country without flows
        # windows with a year missing (a year not imported): a year is placed by its
        # position in the window, not by its distance from the first year
        (6, [2018, 2019, 2021, 2022], "IRN"),
        (4, [2018, 2020, 2022], "TUR"),
    ],
)
def test_aggregates_equal_the_reference_on_awkward_flows(
    edge_ws: Workspace, digits: int, years: list[int], home: str
) -> None:
    with edge_ws.warehouse(read_only=True) as con:
        got = world_aggregates(con, digits=digits, years=years, home=home)
        ref = reference(con, digits=digits, years=years, home=home)
    assert_same(got, ref)
    # the awkward cases are really there: trends only from 3 years, a market whose suppliers
    # have no distance (ZZZ has no coordinates), the home market left out
    trends = got["imports"].get_column("trend_pa").drop_nulls().len()
    assert (trends == 0) if len(years) < 3 else (trends > 0)
    sup = got["imports"].filter(pl.col("hhi").is_not_null())
    zzz = sup.filter(pl.col("market") == "ZZZ").get_column("supplier_km")
    assert zzz.len() > 0 and zzz.null_count() == zzz.len()
    assert sup.get_column("supplier_km").drop_nulls().len() > 0
    assert sup.filter(pl.col("market") == home).height == 0


def test_aggregates_use_the_mirror_rule_and_leave_settings_as_they_were(
    edge_ws: Workspace,
) -> None:
    with edge_ws.warehouse(read_only=True) as con:
        before = con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN "
            "('memory_limit', 'threads', 'perfect_ht_threshold') ORDER BY name"
        ).fetchall()
        got = world_aggregates(con, digits=4, years=[2019], home="IRN")
        after = con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN "
            "('memory_limit', 'threads', 'perfect_ht_threshold') ORDER BY name"
        ).fetchall()
        arm, total = con.execute(
            "SELECT sum(value_usd) FILTER (WHERE exporter = 'ARM'), sum(value_usd) "
            "FROM world_flows WHERE year = 2019 AND importer = 'IRQ' AND hs6 LIKE '0101%'"
        ).fetchall()[0]
        temp = con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchall()
    # the memory limit as DuckDB reports it (to 0.1 GiB, as the BACI load restores it)
    assert [a[0] for a in after] == [b[0] for b in before]
    assert after[1:] == before[1:]
    assert abs(float(after[0][1].split()[0]) - float(before[0][1].split()[0])) <= 0.11
    assert temp[0][0] == 0  # no temporary table left behind
    # ARM's 2019 exports are known only from its partners: they count
    imp = got["imports"].filter((pl.col("market") == "IRQ") & (pl.col("prod") == "0101"))
    assert arm > 0 and imp.get_column("imports_usd")[0] == pytest.approx(total)
    # TUR's importer-reported 2020 flow is left out (TUR reports its own 2020 exports)
    with edge_ws.warehouse(read_only=True) as con:
        t20 = world_aggregates(con, digits=6, years=[2020], home="IRN")["world"]
        own = con.execute(
            "SELECT sum(value_usd) FROM world_flows WHERE year = 2020 AND hs6 = '847130' "
            "AND reported_by <> 'importer'"
        ).fetchall()[0][0]
    assert t20.filter(pl.col("prod") == "847130").get_column("world_usd")[0] == pytest.approx(own)


@pytest.mark.parametrize("digits", [4, 6])
def test_aggregates_equal_the_reference_on_the_small_demo(
    small_demo: Workspace, digits: int
) -> None:
    with small_demo.warehouse(read_only=True) as con:
        years = [
            r[0] for r in con.execute("SELECT DISTINCT year FROM world_flows ORDER BY 1").fetchall()
        ]
        got = world_aggregates(con, digits=digits, years=years, home=small_demo.home_country)
        ref = reference(con, digits=digits, years=years, home=small_demo.home_country)
    assert_same(got, ref)
    assert got["imports"].get_column("hhi").drop_nulls().len() > 10_000


def test_concurrent_reads_on_one_instance_leave_its_settings_as_they_were(
    edge_ws: Workspace,
) -> None:
    """The memory limit and threads are the DuckDB instance's: two cursors of one instance
    (the server's page threads) computing aggregates at once must not restore each other's
    lowered values. Without the lock, the second read records the first one's 300 MB as the
    value to restore and leaves it set."""
    import threading

    import duckdb

    con = duckdb.connect(str(edge_ws.warehouse_path), read_only=True)
    try:
        con.execute("SET memory_limit = '4GB'")
        start = threading.Barrier(3)
        errors: list[BaseException] = []

        def run() -> None:
            cur = con.cursor()
            try:
                start.wait()
                for _ in range(4):
                    world_aggregates(cur, digits=4, years=[2019, 2020], home="IRN")
            except BaseException as exc:  # reported below
                errors.append(exc)
            finally:
                cur.close()

        threads = [threading.Thread(target=run) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        limit = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    finally:
        con.close()
    # 4 GB as DuckDB reports it (3.7 GiB; each restore of its rounded text may lose 0.1 GiB,
    # down to 3.5), not the reads' 300 MB
    number, unit = limit.split()
    assert unit == "GiB" and 3.4 <= float(number) <= 3.7, limit


def test_a_window_without_flows_gives_empty_frames(edge_ws: Workspace) -> None:
    with edge_ws.warehouse(read_only=True) as con:
        got = world_aggregates(con, digits=6, years=[2030], home="IRN")
    for part, (keys, cols) in KEYS.items():
        assert got[part].height == 0, part
        assert got[part].columns == [*keys, *cols], part
