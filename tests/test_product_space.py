"""The views trade analysts expect, below the browser: the product space's backbone (a
maximum spanning tree plus links above the threshold) and its deterministic layout with
components apart; the squarified treemap (areas proportional, inside the box, no overlap,
children inside their parents); the product space service on the demo (nodes, RCA bands,
the layout cached per data version); the monitor's treemap and product months and the
opportunities map against the services' own numbers."""

from __future__ import annotations

import itertools
from collections import deque

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportplan.analytics import product_space as psa
from exportplan.analytics.ecomplexity import Options
from exportplan.analytics.relatedness import proximity
from exportplan.analytics.treemap import nested, squarify
from exportplan.errors import InputError
from exportplan.services import complexity, monitor, opportunities
from exportplan.services import product_space as ps
from exportplan.services.complexity_report import report
from exportplan.views import charts
from exportplan.views.monitor import monitor_page
from exportplan.views.opportunities import opportunities_page
from exportplan.views.product_space import product_space_page
from exportplan.workspace import Workspace


def random_phi(n: int, seed: int, locations: int = 60) -> np.ndarray:
    """A proximity matrix from a random presence matrix with a latent structure."""
    rng = np.random.default_rng(seed)
    cap, req = rng.normal(size=(locations, 3)), rng.normal(size=(n, 3))
    m = (cap @ req.T + rng.normal(size=(locations, n))) > 1.0
    return proximity(m)


def tree_path_min(n: int, edges: list[tuple[int, int, float]], a: int, b: int) -> float:
    """The smallest weight on the tree's path from a to b (breadth-first)."""
    adj: dict[int, list[tuple[int, float]]] = {i: [] for i in range(n)}
    for u, v, w in edges:
        adj[u].append((v, w))
        adj[v].append((u, w))
    best = {a: float("inf")}
    queue = deque([a])
    while queue:
        u = queue.popleft()
        for v, w in adj[u]:
            if v not in best:
                best[v] = min(best[u], w)
                queue.append(v)
    return best[b]


def test_the_backbone_is_a_maximum_spanning_tree_plus_strong_links() -> None:
    phi = random_phi(60, seed=3)
    bb = psa.backbone(phi)
    n = phi.shape[0]
    tree = [
        (int(s), int(d), float(w))
        for s, d, w, t in zip(bb.src, bb.dst, bb.proximity, bb.in_tree, strict=True)
        if t
    ]
    comp = psa.components(bb)
    # a spanning tree (forest): n - components edges, and it connects what phi connects
    assert len(tree) == n - (int(comp.max()) + 1)
    from scipy.sparse.csgraph import connected_components

    n_phi, _ = connected_components(phi > 0, directed=False)
    assert int(comp.max()) + 1 == n_phi
    # maximum: every link outside the tree is no stronger than the weakest on its tree path
    # (the cycle property)
    in_tree = {(s, d) for s, d, _ in tree}
    for a, b in itertools.combinations(range(n), 2):
        if phi[a, b] > 0 and (a, b) not in in_tree and comp[a] == comp[b]:
            assert phi[a, b] <= tree_path_min(n, tree, a, b) + 1e-12, (a, b)
    # the added links: each at least the threshold, the strongest ones, up to degree 4
    extra = bb.proximity[~bb.in_tree]
    assert (extra >= psa.THRESHOLD).all()
    assert bb.src.size <= max(len(tree), round(psa.AVERAGE_DEGREE * n / 2))
    candidates = [
        float(phi[a, b])
        for a, b in itertools.combinations(range(n), 2)
        if phi[a, b] >= psa.THRESHOLD and (a, b) not in in_tree
    ]
    room = round(psa.AVERAGE_DEGREE * n / 2) - len(tree)
    assert extra.size == min(len(candidates), room) > 0
    # the strongest ones: none left out is stronger than the weakest taken
    chosen = {(int(s), int(d)) for s, d in zip(bb.src, bb.dst, strict=True)}
    rest = [
        phi[a, b]
        for a, b in itertools.combinations(range(n), 2)
        if (a, b) not in chosen and phi[a, b] >= psa.THRESHOLD
    ]
    assert not rest or max(rest) <= extra.min() + 1e-12
    assert (bb.src < bb.dst).all()


def test_a_hand_made_backbone() -> None:
    # a path 0-1-2 of strong links, 3 alone, and a weaker 0-2 link: the tree takes 0-1 and 1-2
    phi = np.array(
        [[0, 0.9, 0.6, 0], [0.9, 0, 0.8, 0], [0.6, 0.8, 0, 0], [0, 0, 0, 0]], dtype=float
    )
    bb = psa.backbone(phi, average_degree=4.0)
    got = {(int(s), int(d)): bool(t) for s, d, t in zip(bb.src, bb.dst, bb.in_tree, strict=True)}
    assert got == {(0, 1): True, (1, 2): True, (0, 2): False}  # 0.6 >= 0.55: added
    assert psa.backbone(phi, average_degree=1.0).src.size == 2  # degree 1: the tree alone
    assert list(psa.components(bb)) == [0, 0, 0, 1]
    with pytest.raises(InputError):
        psa.backbone(np.zeros((2, 3)))
    with pytest.raises(InputError):
        psa.backbone(phi, threshold=0.0)


def test_the_layout_is_deterministic_and_places_components_apart() -> None:
    a, b = random_phi(40, seed=1), random_phi(25, seed=2)
    phi = np.zeros((67, 67))
    phi[:40, :40], phi[40:65, 40:65] = a, b  # two groups, and two products alone
    bb = psa.backbone(phi)
    pos, comp = psa.layout(bb, iterations=120, seed=5)
    again, _ = psa.layout(bb, iterations=120, seed=5)
    other, _ = psa.layout(bb, iterations=120, seed=6)
    assert np.array_equal(pos, again)  # same seed, same layout
    assert not np.allclose(pos, other)
    assert np.isfinite(pos).all()
    assert int(comp.max()) + 1 >= 4
    boxes = [
        (
            pos[comp == c, 0].min(),
            pos[comp == c, 1].min(),
            pos[comp == c, 0].max(),
            pos[comp == c, 1].max(),
        )
        for c in range(int(comp.max()) + 1)
    ]
    for p, q in itertools.combinations(boxes, 2):  # bounding boxes never overlap
        assert p[2] < q[0] or q[2] < p[0] or p[3] < q[1] or q[3] < p[1], (p, q)
    # the force model pulls linked products together: edges are shorter than random pairs
    big = comp == 0
    d_edge = np.linalg.norm(pos[bb.src] - pos[bb.dst], axis=1)[comp[bb.src] == 0]
    ii, jj = np.triu_indices(int(big.sum()), 1)
    sub = pos[big]
    d_all = np.linalg.norm(sub[ii] - sub[jj], axis=1)
    assert d_edge.mean() < 0.5 * d_all.mean()


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(w, 0.0) * max(h, 0.0)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(min_value=0.01, max_value=1e6), min_size=1, max_size=40),
    st.floats(min_value=1.0, max_value=300.0),
    st.floats(min_value=1.0, max_value=300.0),
)
def test_squarify_tiles_its_box_in_proportion(values: list[float], w: float, h: float) -> None:
    rects = squarify(values, (0.0, 0.0, w, h))
    assert len(rects) == len(values)
    total = sum(values)
    for v, r in zip(values, rects, strict=True):
        assert -1e-9 <= r[0] <= r[2] <= w + 1e-9 and -1e-9 <= r[1] <= r[3] <= h + 1e-9
        area = (r[2] - r[0]) * (r[3] - r[1])
        assert area == pytest.approx(v / total * w * h, rel=1e-6, abs=1e-6 * w * h)
    for a, b in itertools.combinations(rects, 2):
        assert overlap(a, b) <= 1e-7 * w * h


def test_nested_treemap_children_tile_their_parents() -> None:
    items = [
        (("I", "01", "0101"), 5.0),
        (("I", "01", "0102"), 3.0),
        (("I", "02", "0201"), 2.0),
        (("XV", "72", "7208"), 10.0),
    ]
    rects = nested(items, (0.0, 0.0, 100.0, 60.0))
    by = {r.path: r for r in rects}
    assert by[("I",)].value == 10.0 and by[("XV",)].value == 10.0
    assert by[("I",)].area == pytest.approx(3000.0) and by[("XV", "72")].area == pytest.approx(
        3000.0
    )
    for r in rects:
        if r.depth > 1:
            p = by[r.path[:-1]]
            assert p.x0 - 1e-9 <= r.x0 <= r.x1 <= p.x1 + 1e-9
            assert p.y0 - 1e-9 <= r.y0 <= r.y1 <= p.y1 + 1e-9
    assert by[("I", "01", "0101")].area == pytest.approx(6000 * 5 / 20)
    with pytest.raises(InputError):
        squarify([1.0, 0.0], (0, 0, 1, 1))
    with pytest.raises(InputError):
        nested([(("I",), 1.0), (("I", "01"), 1.0)], (0, 0, 1, 1))


def test_the_product_space_of_the_demo(small_demo: Workspace) -> None:
    space = ps.product_space(small_demo)
    nodes, edges = space.nodes, space.edges
    # every HS4 product with world trade in the year is a node, once
    world = (
        pl.DataFrame(complexity.world_frame(small_demo, level="hs4", years=[space.year]))
        .filter(pl.col("val") > 0)
        .group_by("prod")
        .agg(pl.col("val").sum())
    )
    assert sorted(nodes["prod"].to_list()) == sorted(world["prod"].to_list())
    got = dict(zip(nodes["prod"].to_list(), nodes["world_usd"].to_list(), strict=True))
    for p, v in world.iter_rows():
        assert got[p] == pytest.approx(v)
    # the region's RCA: the complexity report's, and its band
    rep = report(
        small_demo,
        level="hs4",
        years=[space.year],
        region=small_demo.home_region,
        region_mode="subnational",
        definition="customs",
        options=Options(),
    ).frame.filter(pl.col("loc") == f"region:{small_demo.home_region}")
    rca = dict(zip(rep["prod"].to_list(), rep["rca"].to_list(), strict=True))
    for p, r, band in nodes.select("prod", "rca", "band").iter_rows():
        assert r == pytest.approx(rca.get(p)) if rca.get(p) is not None else r is None
        assert band == ps.rca_band(r)
    assert 0 < (nodes["band"] == "rca>=1").sum() < nodes.height
    # a backbone over the nodes: at least a spanning forest's edges
    assert set(edges["src"]) | set(edges["dst"]) <= set(nodes["prod"])
    assert edges.height >= nodes.height - (nodes["component"].max() + 1)  # type: ignore[operator]
    # laid out once per data version: the second call reads the cache
    frames, took = ps.layout_frames(small_demo, year=space.year)
    assert took is None
    assert frames["nodes"].sort("prod")["x"].to_list() == nodes["x"].to_list()
    fresh, took = ps.layout_frames(small_demo, year=space.year, use_cache=False)
    assert took is not None and took > 0
    assert fresh["nodes"].equals(frames["nodes"])  # the same seed, the same layout
    with pytest.raises(InputError):
        ps.product_space(small_demo, year=1900)
    with pytest.raises(InputError):
        ps.product_space(small_demo, definition="nope")


def test_the_product_space_page(small_demo: Workspace) -> None:
    ctx = product_space_page(small_demo, "fa", colour="nonsense")
    assert ctx.colour == "rca"  # an unknown colouring is the default
    spec = ctx.charts["space"]
    nodes = spec["datasets"]["nodes"]
    assert len(nodes) == ctx.counts["products"] == len(ctx.tables["products"]["rows"])
    assert sum(n["mine"] for n in nodes) == ctx.counts["mine"]
    assert all(n["href"] == f"/opportunities?product={n['prod']}" for n in nodes)
    assert spec["layer"][1]["encoding"]["href"]["field"] == "href"
    assert spec["usermeta"]["embedOptions"]["loader"]["target"] == "_self"
    assert spec["config"]["locale"]["number"]["numerals"][1] == "۱"
    first = ctx.tables["products"]["rows"][0]
    assert first["band"] == "مزیت نسبی ۱ و بیشتر"  # the region's products first
    by_section = product_space_page(small_demo, "en", colour="section")
    assert by_section.charts["space"]["layer"][1]["encoding"]["color"]["field"] == "section"


def test_the_monitor_treemap_and_a_products_months(small_demo: Workspace) -> None:
    ctx = monitor_page(small_demo, "en", product="0808")
    scope = monitor.Scope(region=small_demo.home_region, definition="customs")
    d = monitor.drivers(small_demo, scope, ctx.year, by="hs4")
    now = {r["key"]: r["now"] for r in d.table.to_dicts() if r["now"] > 0}
    tab = ctx.tables["treemap"]
    assert sum(r["usd"] for r in tab["rows"]) == pytest.approx(sum(now.values()))
    assert tab["rows"][0]["usd"] == max(now.values())
    assert sum(r["share"] for r in tab["rows"]) == pytest.approx(100.0)
    leaves = ctx.charts["treemap"]["datasets"]["leaves"]
    total = sum(now.values())
    for leaf in leaves:  # areas in proportion to the values, in the 100 x 60 box
        area = (leaf["x1"] - leaf["x0"]) * (leaf["y1"] - leaf["y0"])
        assert area == pytest.approx(6000 * leaf["usd"] / total, abs=0.05)
    # the product's months: this year's and last year's as the monitor's series has them
    series = monitor.monthly(small_demo, monitor.Scope(region=small_demo.home_region, hs=("0808",)))
    rows = ctx.tables["product"]["rows"]
    for i, r in enumerate(rows):
        assert r["this"] == (series[ctx.year][i] if np.isfinite(series[ctx.year][i]) else None)
        assert r["last"] == pytest.approx(series[ctx.year - 1][i])
    assert ctx.product == "0808" and "0808" in ctx.tables["product"]["title"]
    fa = monitor_page(small_demo, "fa", product="سیب")  # a name, in Persian
    assert fa.product == "0808" and "سیب" in fa.tables["product"]["title"]
    tip = ctx.charts["map"]["layer"][1]["encoding"]["tooltip"]
    assert [x["title"] for x in tip] == ["destination", "USD", "period"]
    assert ctx.charts["map"]["layer"][1]["data"]["values"][0]["period"] == ctx.period


def test_the_opportunities_map(small_demo: Workspace) -> None:
    ctx = opportunities_page(small_demo, "fa", product="0808")
    every = opportunities.markets(
        small_demo, "0808", params=opportunities.Params(level="hs4"), top=None
    )
    want = {
        r["market"]: r["untapped_usd"]
        for r in every.table.to_dicts()
        if r["untapped_usd"] is not None and r["untapped_usd"] > 0
    }
    rows = ctx.charts["markets"]["layer"][1]["data"]["values"]
    from exportplan.reference import countries

    iso = {f"{c.numeric:03d}": k for k, c in countries.by_iso3().items() if c.numeric}
    got = {iso[r["id"]]: r["usd"] for r in rows}
    assert got == pytest.approx({k: v for k, v in want.items() if k in got})
    assert len(got) >= 0.9 * len(want)
    assert rows[0]["name"] == countries.country_name(iso[rows[0]["id"]], "fa")
    tip = ctx.charts["markets"]["layer"][1]["encoding"]["tooltip"]
    assert [x["title"] for x in tip] == ["بازار", "پتانسیل استفاده‌نشده (دلار)", "دوره"]
    assert len(ctx.tables["markets"]["rows"]) == 15
    assert charts.world_map({}, "en", "x")["layer"][1]["encoding"]["tooltip"][-1]["title"] == "USD"
