"""The demo's industrial zones (synthetic): the Tabriz leather and shoe zone (a private town of
120 surveyed plots, two years of applications, decisions, contracts and milestones, some idle
plots under notice) and a state industrial estate whose plots are not surveyed yet. The
applicants are the synthetic province's exporters, so the outcome link finds their exports."""

from __future__ import annotations

import datetime as dt

import numpy as np

from exportplan.analytics import plot_geometry as geo
from exportplan.auth import Actor
from exportplan.reference.text import to_persian_digits
from exportplan.services.zones import pipeline as pl
from exportplan.services.zones.land import create_zone, new_plot, zone_change
from exportplan.store.program.writes import Change
from exportplan.store.zones.models import Zone
from exportplan.store.zones.queries import zone_plots
from exportplan.workspace import Workspace

LEATHER = "TLS"
ESTATE = "SLM"
ORIGIN = (46.2150, 38.1150)  # south-west corner of the synthetic zone, east of Tabriz
COLS, ROWS = 12, 10
ROAD_M = 12.0


def _firm(n: int) -> str:
    """The synthetic province's exporter ``n`` (synthetic.province names them so)."""
    return f"شرکت نمونه {to_persian_digits(str(n))} (ساختگی)"


def _grid() -> tuple[dict[str, tuple[list[geo.Point], float]], list[geo.Point]]:
    """120 plots in blocks A-J of 12, 40-60 m wide and 50 m deep, with roads between them;
    and the zone's boundary around them."""
    rng = np.random.default_rng(1405)
    k = geo.R_EARTH_M * np.pi / 180
    lon0, lat0 = ORIGIN
    plots: dict[str, tuple[list[geo.Point], float]] = {}
    y = ROAD_M
    max_x = 0.0
    for r in range(ROWS):
        x = ROAD_M
        block = "ABCDEFGHIJ"[r]
        for c in range(COLS):
            w = float(rng.choice([40.0, 50.0, 60.0]))
            lon = lon0 + x / (k * np.cos(np.radians(lat0)))
            lat = lat0 + y / k
            ring = geo.rectangle(lon, lat, w, 50.0)
            plots[f"{block}-{c + 1:02d}"] = (ring, w * 50.0)
            x += w + (ROAD_M if c % 4 == 3 else 2.0)
        max_x = max(max_x, x)
        y += 50.0 + ROAD_M
    boundary = geo.rectangle(lon0, lat0, max_x + ROAD_M, y + ROAD_M)
    return plots, boundary


def build(ws: Workspace, *, today: dt.date, seed: int = 1405) -> dict[str, int]:
    """Write the two demo zones into the workspace's program store."""
    db = ws.program()
    admin = Actor("demo", "admin")
    plots, boundary = _grid()
    create_zone(
        db,
        admin,
        code_=LEATHER,
        name_fa="شهرک تخصصی چرم و کفش تبریز (ساختگی)",
        name_en="Tabriz leather and shoe industrial zone (synthetic)",
        kind="private_town",
        specialisation="leather shoe bag",
        operator="Private developer (synthetic)",
        operator_agency="PARKS",
        boundary={"type": "Polygon", "coordinates": [[list(p) for p in boundary]]},
        gross_area_ha=None,
    )
    create_zone(
        db,
        admin,
        code_=ESTATE,
        name_fa="شهرک صنعتی دولتی نمونه (ساختگی)",
        name_en="State industrial estate (synthetic)",
        kind="state_estate",
        operator="East Azerbaijan Industrial Estates Company (synthetic)",
        operator_agency="PARKS",
    )
    rng = np.random.default_rng(seed)
    counts = {"plots": 0, "applications": 0, "contracts": 0}
    with zone_change(db, admin, LEATHER, "demo zone") as (ch, z):
        for code, (ring, a) in plots.items():
            ready = {
                f: bool(rng.random() < 0.8) for f in ("road", "power", "water", "gas", "sewer")
            }
            new_plot(
                ch,
                z,
                code_=code,
                area_m2=round(a * float(rng.normal(1, 0.005))),
                geometry={"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
                area_m2_geometry=round(geo.area_m2([ring]), 1),
                ready=ready,
                use_class="service" if code.endswith("-12") else "industrial",
            )
            counts["plots"] += 1
        _history(ch, z, rng, today, counts, share=0.8, n_apps=130)
    with zone_change(db, admin, ESTATE, "demo estate") as (ch, z):
        for i in range(1, 41):
            new_plot(
                ch,
                z,
                code_=f"S-{i:02d}",
                area_m2=float(rng.choice([2000, 5000, 10000])),
                ready={f: True for f in ("road", "power", "water", "gas", "sewer")},
            )
            counts["plots"] += 1
        _history(ch, z, rng, today, counts, share=0.6, n_apps=35)
    return counts


def _history(
    ch: Change,
    z: Zone,
    rng: np.random.Generator,
    today: dt.date,
    counts: dict[str, int],
    *,
    share: float,
    n_apps: int,
) -> None:
    """Two years of applications ending ``today``: most allotted within weeks, some rejected
    or waitlisted, a few still waiting; contracts with a one-year construction deadline; most
    build in time, some never start (idle, a few under notice), one plot reclaimed."""
    start = today - dt.timedelta(days=730)
    free = [p for p in zone_plots(ch.session, z.id) if p.use_class == "industrial"]
    order = rng.permutation(len(free))
    target = int(len(free) * share)
    submitted = np.sort(rng.integers(0, 700, size=n_apps))
    noticed = 0
    taken = 0
    for i, off in enumerate(submitted.tolist()):
        sub = start + dt.timedelta(days=int(off))
        app = pl.new_application(
            ch,
            z,
            ref=f"{z.code}-{i + 1:03d}",
            applicant=_firm(int(rng.integers(1, 121))),
            area_m2=2500,
            submitted=sub,
            products_hs=["6403"] if rng.random() < 0.7 else ["4107"],
            trade_card=f"TC-{int(rng.integers(10**6, 10**7))}",
            permit_valid_to=sub + dt.timedelta(days=int(rng.integers(200, 900))),
        )
        counts["applications"] += 1
        decided = sub + dt.timedelta(days=int(rng.gamma(2.0, 20.0)) + 7)
        if decided > today:
            continue  # still waiting
        roll = rng.random()
        if taken >= target or roll < 0.08:
            pl.decide(
                ch, z, app, "reject" if roll < 0.05 or taken >= target else "waitlist", on=decided
            )
            continue
        plot = free[int(order[taken])]
        taken += 1
        pl.decide(ch, z, app, "allot", on=decided, plot=plot)
        signed = decided + dt.timedelta(days=int(rng.gamma(2.0, 12.0)) + 5)
        if signed > today:
            continue
        c = pl.sign(
            ch,
            z,
            app,
            on=signed,
            construction_start_deadline=signed + dt.timedelta(days=365),
            operation_deadline=signed + dt.timedelta(days=3 * 365),
        )
        counts["contracts"] += 1
        builds = rng.random() < 0.78
        begun = signed + dt.timedelta(days=int(rng.integers(60, 420)))
        if builds and begun <= today:
            pl.milestone(ch, z, c, "construction_start", on=begun)
            runs = begun + dt.timedelta(days=int(rng.integers(180, 420)))
            if runs <= today:
                pl.milestone(ch, z, c, "first_production", on=runs)
        elif c.construction_start_deadline + dt.timedelta(days=30) < today and noticed < 3:
            # an idle plot whose warning went out a month after its deadline
            warned = c.construction_start_deadline + dt.timedelta(days=30)
            pl.notice(ch, z, c, "warning", on=warned, deadline=warned + dt.timedelta(days=60))
            noticed += 1
