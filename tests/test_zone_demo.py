"""The demo's zones (issue 18): the Tabriz leather and shoe zone with about 120 surveyed plots,
two years of applications and contracts and some idle plots, and a state estate; the outcome
link (plot -> firm -> exports) equal to a direct DuckDB query."""

from __future__ import annotations

import datetime as dt

from exportplan.analytics import plot_geometry as geo
from exportplan.reference.text import clean_text
from exportplan.services.zones.outcome import outcome, window
from exportplan.services.zones.status import zone_status
from exportplan.store.zones.queries import get_zone, zone_plots
from exportplan.workspace import Workspace

TODAY = dt.date(2026, 11, 28)


def test_demo_zones(small_demo: Workspace) -> None:
    db = small_demo.program()
    st = zone_status(db, "TLS", as_of=TODAY)
    assert st["plots_total"] == 120
    assert sum(st["plots_by_status"].values()) == 120
    assert abs(sum(st["area_by_status_m2"].values()) - st["area_total_m2"]) < 0.5
    assert st["idle_plots"] and st["plots_by_status"]["notice"] >= 1
    assert 0.5 < (st["share_allotted_area"] or 0) < 0.95
    assert st["decided_applications"] > 80
    with db.session() as s:
        zone = get_zone(s, "TLS")
        plots = zone_plots(s, zone.id)
        assert zone.boundary is not None
        ring = [(float(x), float(y)) for x, y in zone.boundary["coordinates"][0]]
        for p in plots:
            assert p.geometry is not None
            outer = [(float(x), float(y)) for x, y in p.geometry["coordinates"][0]]
            assert geo.inside(outer, ring)
        rings = {
            p.code: [(float(x), float(y)) for x, y in p.geometry["coordinates"][0]]
            for p in plots
            if p.geometry is not None
        }
        assert geo.overlaps(rings, 38.12) == []
    estate = zone_status(db, "SLM", as_of=TODAY)
    assert estate["plots_total"] == 40 and estate["plots_by_status"]["vacant"] < 40


def test_outcome_equals_a_direct_query(small_demo: Workspace) -> None:
    got = outcome(small_demo, small_demo.program(), "TLS", as_of=TODAY)
    assert got["operating_firms"] > 0 and got["firms_with_exports"] > 0
    (fy, fm), (ly, lm) = window(TODAY)
    assert (fy, fm, ly, lm) == (1404, 9, 1405, 8)
    with small_demo.warehouse() as con:
        rows = con.execute(
            """SELECT exporter, sum(value_usd) FROM region_flows
               WHERE region = ? AND definition = 'origin'
                 AND sh_year::INTEGER * 100 + sh_month BETWEEN 140409 AND 140508
               GROUP BY 1""",
            [small_demo.home_region],
        ).fetchall()
    direct = {clean_text(n): float(v) for n, v in rows if n}
    for f in got["firms"]:
        assert abs(f["exports_usd"] - direct.get(clean_text(f["applicant"]), 0.0)) < 0.01
    area_ha = sum(f["area_m2"] for f in got["firms"]) / 10_000
    assert abs(got["exports_per_ha_usd"] - got["exports_usd"] / area_ha) < 0.01
