"""The zones' geometry rules on top of :mod:`exportplan.analytics.plot_geometry`: a zone's
boundary, and a batch of plots checked against their zone and each other (outside the zone,
overlapping another plot by more than 1 m², declared area far from the geometry's), each
problem named by plot code; wrong winding is accepted and rewound (RFC 7946)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from exportplan.analytics import plot_geometry as geo
from exportplan.errors import ZoneRuleError

#: The declared area may differ from the geometry's by this share before a warning
AREA_WARN = 0.02
#: ... and by this share before the plot is refused as a wrong geometry or a wrong figure
AREA_REFUSE = 0.20
OVERLAP_MIN_M2 = 1.0


def _ring_of(geometry: dict[str, Any]) -> list[geo.Point]:
    return [(float(p[0]), float(p[1])) for p in geometry["coordinates"][0]]


def checked_boundary(boundary: dict[str, Any], zone: str) -> dict[str, Any]:
    """A zone's boundary polygon (a Feature or a Polygon), checked and rewound."""
    geom = boundary.get("geometry", boundary) if boundary.get("type") == "Feature" else boundary
    got = geo.check_polygon(geom)
    if isinstance(got, list):
        raise ZoneRuleError(
            "boundary",
            "zone {zone}: the boundary is refused: {problem}",
            zone=zone,
            problem="; ".join(p.message for p in got),
        )
    return got.geojson()


@dataclass
class PlotShape:
    """A plot's geometry as checked: the polygon (rewound), its area in m², warnings."""

    geometry: dict[str, Any] | None
    area_m2: float | None
    warnings: list[str] = field(default_factory=list)


@dataclass
class ShapeProblem:
    code: str
    column: str
    value: str
    reason: str


def check_plots(
    plots: dict[str, tuple[object, float]],
    *,
    boundary: dict[str, Any] | None,
    existing: dict[str, dict[str, Any]] | None = None,
) -> tuple[dict[str, PlotShape], list[ShapeProblem]]:
    """Each plot (code -> (GeoJSON geometry or None, declared m²)) checked; the accepted
    shapes and the problems, each naming its plot. ``existing`` are the zone's plots already
    stored (code -> geometry), checked for overlap with the new ones."""
    zone_ring = _ring_of(boundary) if boundary else None
    box = geo.bbox(zone_ring) if zone_ring else None
    lat0 = (box[1] + box[3]) / 2 if box else None
    shapes: dict[str, PlotShape] = {}
    problems: list[ShapeProblem] = []
    for code, (geometry, declared) in plots.items():
        if geometry is None:
            shapes[code] = PlotShape(None, None)
            continue
        got = geo.check_polygon(geometry, expect_near=box)
        if isinstance(got, list):
            problems.extend(ShapeProblem(code, "geometry", p.kind, p.message) for p in got)
            continue
        ring = got.outer
        here = lat0 if lat0 is not None else sum(p[1] for p in ring[:-1]) / (len(ring) - 1)
        a = geo.area_m2(got.rings, here)
        if zone_ring is not None and not geo.inside(ring, zone_ring):
            problems.append(
                ShapeProblem(
                    code, "geometry", "outside", f"plot {code} lies outside its zone's boundary"
                )
            )
            continue
        warnings = ["rewound to the right-hand rule"] if got.rewound else []
        gap = abs(declared - a) / a
        if gap > AREA_REFUSE:
            problems.append(
                ShapeProblem(
                    code,
                    "area_m2",
                    f"{declared:g}",
                    f"plot {code}: declared {declared:,.0f} m² but the geometry has {a:,.0f} m² "
                    f"({gap:.0%} apart, more than {AREA_REFUSE:.0%})",
                )
            )
            continue
        if gap > AREA_WARN:
            warnings.append(
                f"plot {code}: declared {declared:,.0f} m², geometry {a:,.0f} m² ({gap:.1%} apart)"
            )
        shapes[code] = PlotShape(got.geojson(), round(a, 1), warnings)
    rings = {c: _ring_of(s.geometry) for c, s in shapes.items() if s.geometry is not None}
    old = {c: _ring_of(g) for c, g in (existing or {}).items() if c not in rings}
    every = {**rings, **old}
    if every:
        lat_all = lat0 if lat0 is not None else sum(r[0][1] for r in every.values()) / len(every)
        for a_code, b_code, shared in geo.overlaps(every, lat_all, min_m2=OVERLAP_MIN_M2):
            if a_code in old and b_code in old:
                continue
            code, other = (b_code, a_code) if a_code in old else (a_code, b_code)
            problems.append(
                ShapeProblem(
                    code,
                    "geometry",
                    "overlap",
                    f"plot {code} overlaps plot {other} by {shared:,.1f} m²",
                )
            )
            shapes.pop(code, None)
    return shapes, problems
