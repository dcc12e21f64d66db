"""Plot geometry (analytics.plot_geometry, services.zones.shapes): areas of known shapes,
every refused geometry named by its plot, overlap and containment, rewinding idempotent."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from exportplan.analytics import plot_geometry as geo
from exportplan.services.zones.shapes import check_plots

LON, LAT = 46.30, 38.08  # Tabriz


def poly(ring: list[tuple[float, float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}


ZONE = poly(geo.rectangle(LON, LAT, 1000, 600))


def test_known_areas() -> None:
    assert round(geo.area_m2([geo.rectangle(LON, LAT, 100, 50)]), 1) == 5000.0
    # an L of three 10 m squares, drawn in metres around the equator: 300 m²
    k = geo.R_EARTH_M * 3.141592653589793 / 180
    sq = [
        (x / k, y / k) for x, y in [(0, 0), (20, 0), (20, 10), (10, 10), (10, 20), (0, 20), (0, 0)]
    ]
    assert abs(geo.area_m2([sq], 0.0) - 300.0) < 1e-6
    assert abs(geo.overlap_m2(sq, geo.rectangle(0, 0, 10, 10), 0.0) - 100.0) < 0.01


@settings(max_examples=60, deadline=None)
@given(w=st.floats(5, 500), h=st.floats(5, 500), dx=st.floats(-200, 200))
def test_rectangle_area_and_overlap(w: float, h: float, dx: float) -> None:
    a = geo.rectangle(LON, LAT, w, h)
    assert abs(geo.area_m2([a], LAT) - w * h) / (w * h) < 1e-3
    # the same rectangle shifted east by dx metres shares (w - |dx|) x h
    k = geo.R_EARTH_M * 3.141592653589793 / 180
    lat_mid = LAT + h / k / 2
    shift = dx / (k * __import__("math").cos(__import__("math").radians(lat_mid)))
    b = [(x + shift, y) for x, y in a]
    expected = max(w - abs(dx), 0.0) * h
    assert abs(geo.overlap_m2(a, b, lat_mid) - expected) <= 1e-3 * w * h + 1e-6


def test_every_bad_geometry_is_named() -> None:
    good = geo.rectangle(LON + 0.001, LAT + 0.001, 100, 50)
    bowtie = [good[0], good[2], good[1], good[3], good[0]]
    unclosed = good[:-1]
    far = [(x + 10.0, y) for x, y in good]
    swapped = [(y, x) for x, y in good]
    out_of_range = [(x + 200.0, y) for x, y in good]
    shapes, problems = check_plots(
        {
            "OK": (poly(good), 5000.0),
            "BOW": (poly(bowtie), 5000.0),
            "OPEN": (poly(unclosed), 5000.0),
            "THREE": (poly(good[:3]), 5000.0),
            "FAR": (poly(far), 5000.0),
            "SWAP": (poly(swapped), 5000.0),
            "RANGE": (poly(out_of_range), 5000.0),
            "AREA": (poly(geo.rectangle(LON + 0.005, LAT + 0.001, 100, 50)), 9000.0),
            "LINE": ({"type": "LineString", "coordinates": []}, 10.0),
        },
        boundary=ZONE,
    )
    reasons = {p.code: p.reason for p in problems}
    assert set(shapes) == {"OK"}
    assert "intersects itself" in reasons["BOW"]
    assert "is not closed" in reasons["OPEN"]
    assert "needs at least 4" in reasons["THREE"]
    assert reasons["FAR"] == "plot FAR lies outside its zone's boundary"
    assert "looks like lat/lon swapped" in reasons["SWAP"]
    assert "outside longitude -180..180" in reasons["RANGE"]
    assert "declared 9,000 m² but the geometry has 5,000 m²" in reasons["AREA"]
    assert "must be a GeoJSON Polygon; got LineString" in reasons["LINE"]


def test_overlap_winding_and_small_area_gap() -> None:
    a = geo.rectangle(LON + 0.001, LAT + 0.001, 100, 50)
    b = [(x + 0.0005, y) for x, y in a]  # ~44 m east: shares ~56 m x 50 m
    clockwise = geo.rectangle(LON + 0.004, LAT + 0.001, 100, 50)[::-1]
    shapes, problems = check_plots(
        {"A": (poly(a), 5000.0), "B": (poly(b), 5000.0), "CW": (poly(clockwise), 5150.0)},
        boundary=ZONE,
    )
    assert [(p.code, p.value) for p in problems] == [("A", "overlap")]
    assert problems[0].reason.startswith("plot A overlaps plot B by 2,8")
    cw = shapes["CW"]
    # projected about the zone's middle latitude, not the plot's own: 0.1 m² off of 5000
    assert cw.geometry is not None and cw.area_m2 is not None and abs(cw.area_m2 - 5000) < 0.2
    assert cw.warnings == [
        "rewound to the right-hand rule",
        "plot CW: declared 5,150 m², geometry 5,000 m² (3.0% apart)",
    ]
    again = geo.check_polygon(cw.geometry)
    assert isinstance(again, geo.Checked) and not again.rewound  # idempotent
    # a new plot against the zone's stored ones
    _, problems = check_plots({"N": (poly(a), 5000.0)}, boundary=ZONE, existing={"OLD": poly(b)})
    assert [(p.code, p.reason[:24]) for p in problems] == [("N", "plot N overlaps plot OLD")]
    # touching plots share an edge, not an area
    c = geo.rectangle(LON + 0.002, LAT + 0.002, 50, 50)
    d = [(x, y + (c[2][1] - c[1][1])) for x, y in c]
    assert check_plots({"C": (poly(c), 2500.0), "D": (poly(d), 2500.0)}, boundary=ZONE)[1] == []
