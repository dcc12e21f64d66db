"""The product space's drawing: the backbone of a proximity matrix (the maximum spanning tree
plus the strongest other links, the Atlas of Economic Complexity's convention: Hidalgo et al.
2007, every edge of the MST and then edges with proximity >= 0.55, strongest first, up to an
average degree of about 4) and a deterministic force layout of it.

The layout is a Fruchterman-Reingold force model over the backbone's edges only (attraction
``d^2 / k`` along an edge), with the repulsion between all pairs replaced by a coarse grid
(each node pushed by every grid cell's centroid, weighted by the cell's number of nodes, the
node itself left out of its own cell), for a few hundred vectorised iterations with a cooling
step: ``O(iterations x (edges + nodes x cells))`` instead of ``O(iterations x nodes^2)``. It
starts from the same seeded random positions every time, so the same matrix and seed give the
same layout. Each connected component is laid out alone, scaled by the square root of its size,
and the components are packed in rows (largest first) with a margin, so they never overlap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree

from exportplan.errors import InputError

__all__ = ["Backbone", "backbone", "components", "force_layout", "layout"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: The Atlas's threshold for the links added to the spanning tree, and its average degree
THRESHOLD, AVERAGE_DEGREE = 0.55, 4.0


@dataclass(frozen=True)
class Backbone:
    """The edges ``src[i] -- dst[i]`` (``src < dst``) with their ``proximity``, ``in_tree``
    telling the spanning tree's edges from the added ones."""

    n: int
    src: IntArray
    dst: IntArray
    proximity: FloatArray
    in_tree: NDArray[np.bool_]


def backbone(
    phi: FloatArray, *, threshold: float = THRESHOLD, average_degree: float = AVERAGE_DEGREE
) -> Backbone:
    """The maximum spanning tree (a forest where the matrix has no link between two groups)
    of the symmetric proximity ``phi`` plus the strongest other edges with proximity >=
    ``threshold``, added until the average degree reaches ``average_degree`` (or none is
    left). NaN and zero proximities are no link."""
    a = np.asarray(phi, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise InputError(f"proximity must be a square matrix; got shape {a.shape}")
    n = a.shape[0]
    a = np.nan_to_num(np.maximum(a, a.T), nan=0.0)  # symmetric (a asymmetric matrix's max)
    np.fill_diagonal(a, 0.0)
    if not 0.0 < threshold <= 1.0 or average_degree < 0:
        raise InputError("the threshold must be in (0, 1] and the average degree >= 0")
    iu, ju = np.triu_indices(n, k=1)
    w = a[iu, ju]
    keep = w > 0
    iu, ju, w = iu[keep], ju[keep], w[keep]
    # the maximum spanning tree is the minimum one of (2 - phi): every weight positive
    g = coo_matrix((2.0 - w, (iu, ju)), shape=(n, n)).tocsr()
    tree = minimum_spanning_tree(g).tocoo()
    ts, td = np.minimum(tree.row, tree.col), np.maximum(tree.row, tree.col)
    key = iu.astype(np.int64) * n + ju
    in_tree = np.isin(key, ts.astype(np.int64) * n + td)
    wanted = round(average_degree * n / 2.0)
    extra_room = max(0, wanted - int(in_tree.sum()))
    cand = np.flatnonzero(~in_tree & (w >= threshold))  # in position order
    vals = w[cand]
    if cand.size > extra_room:  # the extra_room strongest, ties by position (deterministic)
        kth = (
            np.partition(vals, cand.size - extra_room)[cand.size - extra_room]
            if extra_room
            else np.inf
        )
        above = vals > kth
        ties = cand[vals == kth][: extra_room - int(above.sum())]
        cand, vals = np.concatenate([cand[above], ties]), np.concatenate([vals[above], w[ties]])
    order = cand[np.lexsort((key[cand], -vals))]
    chosen = np.concatenate([np.flatnonzero(in_tree), order])
    chosen.sort()
    return Backbone(
        n=n,
        src=iu[chosen].astype(np.int64),
        dst=ju[chosen].astype(np.int64),
        proximity=w[chosen],
        in_tree=in_tree[chosen],
    )


def components(bb: Backbone) -> IntArray:
    """Each node's connected component in the backbone (0 = the largest; ties by first node)."""
    g = coo_matrix((np.ones(bb.src.size), (bb.src, bb.dst)), shape=(bb.n, bb.n))
    _, raw = connected_components(g, directed=False)
    labels = raw.astype(np.int64)
    sizes = np.bincount(labels)
    first = np.full(sizes.size, bb.n, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(bb.n))
    rank = np.lexsort((first, -sizes))  # largest first, then by first node
    relabel = np.empty_like(rank)
    relabel[rank] = np.arange(rank.size)
    out: IntArray = relabel[labels]
    return out


def force_layout(
    n: int,
    src: IntArray,
    dst: IntArray,
    *,
    iterations: int = 300,
    seed: int = 7,
    grid: int = 12,
) -> FloatArray:
    """Positions (``n x 2``, centred, in about ``[-1, 1]``) of one connected graph by the
    grid-approximated force model of the module doc."""
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, size=(n, 2))
    k = np.sqrt(4.0 / n)  # the ideal edge length in a 2 x 2 box
    kk = k * k
    temp = 0.2
    cool = temp / (iterations + 1)
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        # repulsion: every node from every grid cell's centroid (itself left out of its cell)
        lo = pos.min(axis=0)
        span = np.maximum(pos.max(axis=0) - lo, 1e-9)
        cell = np.minimum((grid * (pos - lo) / span).astype(np.int64), grid - 1)
        cid = cell[:, 0] * grid + cell[:, 1]
        mass = np.bincount(cid, minlength=grid * grid).astype(np.float64)
        sx = np.bincount(cid, weights=pos[:, 0], minlength=grid * grid)
        sy = np.bincount(cid, weights=pos[:, 1], minlength=grid * grid)
        occ = np.flatnonzero(mass)
        m = mass[occ]
        cx, cy = sx[occ] / m, sy[occ] / m
        dx = pos[:, 0:1] - cx
        dy = pos[:, 1:2] - cy
        f = m * kk / np.maximum(dx * dx + dy * dy, 1e-4)  # (k^2 / d) along (dx, dy) / d
        disp[:, 0] = (f * dx).sum(axis=1)
        disp[:, 1] = (f * dy).sum(axis=1)
        # the node's own cell: its pull replaced by the rest of the cell's
        rows = np.arange(n)
        own = np.searchsorted(occ, cid)
        disp[:, 0] -= f[rows, own] * dx[rows, own]
        disp[:, 1] -= f[rows, own] * dy[rows, own]
        rest = m[own] - 1.0
        has = rest > 0
        safe = np.maximum(rest, 1.0)
        rx = np.where(has, (sx[cid] - pos[:, 0]) / safe, 0.0)
        ry = np.where(has, (sy[cid] - pos[:, 1]) / safe, 0.0)
        ox, oy = pos[:, 0] - rx, pos[:, 1] - ry
        fo = np.where(has, rest * kk / np.maximum(ox * ox + oy * oy, 1e-4), 0.0)
        disp[:, 0] += fo * ox
        disp[:, 1] += fo * oy
        # attraction along the edges: d^2 / k
        ex = pos[dst] - pos[src]
        ed = np.sqrt((ex * ex).sum(axis=1))[:, None]
        fa = ex * ed / k
        for c in (0, 1):
            disp[:, c] += np.bincount(src, weights=fa[:, c], minlength=n)
            disp[:, c] -= np.bincount(dst, weights=fa[:, c], minlength=n)
        # a weak pull to the centre keeps loose parts in the picture
        disp -= 0.05 * pos * n * k
        length = np.sqrt((disp * disp).sum(axis=1))[:, None]
        pos += disp / np.maximum(length, 1e-12) * np.minimum(length, temp)
        temp -= cool
    pos -= pos.mean(axis=0)
    scale = np.abs(pos).max()
    return pos / scale if scale > 0 else pos


def layout(bb: Backbone, *, iterations: int = 300, seed: int = 7) -> tuple[FloatArray, IntArray]:
    """Every node's position (``n x 2``) and component: each component laid out alone
    (:func:`force_layout`), scaled by the square root of its size, and packed in rows,
    largest first, with a margin between bounding boxes."""
    comp = components(bb)
    n_comp = int(comp.max()) + 1 if bb.n else 0
    pos = np.zeros((bb.n, 2))
    edge_comp = comp[bb.src]
    boxes: list[tuple[IntArray, FloatArray]] = []
    for c in range(n_comp):
        nodes = np.flatnonzero(comp == c)
        index = np.full(bb.n, -1, dtype=np.int64)
        index[nodes] = np.arange(nodes.size)
        mine = edge_comp == c
        p = force_layout(
            nodes.size, index[bb.src[mine]], index[bb.dst[mine]], iterations=iterations, seed=seed
        )
        boxes.append((nodes, p * np.sqrt(nodes.size)))
    # shelf packing: rows as wide as the largest component (at least), margin 1
    width = max((float(np.ptp(p[:, 0])) for _, p in boxes), default=0.0)
    width = max(width, 2.0 * np.sqrt(bb.n))
    x = y = row_h = 0.0
    margin = 1.0
    for nodes, p in boxes:
        w, h = float(np.ptp(p[:, 0])), float(np.ptp(p[:, 1]))
        if x > 0 and x + w > width:
            x, y, row_h = 0.0, y - row_h - margin, 0.0
        shifted = p - p.min(axis=0) + np.array([x, y - h])
        pos[nodes] = shifted
        x += w + margin
        row_h = max(row_h, h)
    return pos, comp
