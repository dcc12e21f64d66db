"""Squarified treemaps (Bruls, Huizing and van Wijk 2000): rectangles whose areas are
proportional to their values, tiling their box without overlap, laid out in rows that keep
the rectangles' aspect ratios near 1; nested for a hierarchy (HS section, chapter, heading).

Vega-Lite has no treemap mark, so the rectangles are computed here and drawn as plain rects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from exportplan.errors import InputError

__all__ = ["Rect", "nested", "squarify"]

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True)
class Rect:
    """One item's rectangle: its ``path`` (section, chapter, heading: the hierarchy down to
    it), ``depth`` (``len(path)``), value and corners."""

    path: tuple[str, ...]
    value: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def depth(self) -> int:
        return len(self.path)

    @property
    def area(self) -> float:
        return (self.x1 - self.x0) * (self.y1 - self.y0)


def _worst(row: Sequence[float], side: float) -> float:
    """The worst aspect ratio of a row of areas laid along a side of length ``side``."""
    s = sum(row)
    if s <= 0 or side <= 0:
        return float("inf")
    hi, lo = max(row), min(row)
    return max(side * side * hi / (s * s), (s * s) / (side * side * lo))


def squarify(values: Sequence[float], box: Box) -> list[Box]:
    """The rectangles of ``values`` (positive, finite; in their order) tiling ``box``: areas
    proportional to the values, largest laid first."""
    for v in values:
        if not v > 0 or v == float("inf"):
            raise InputError(f"a treemap's values must be positive and finite; got {v!r}")
    x0, y0, x1, y1 = box
    if not (x1 >= x0 and y1 >= y0):
        raise InputError(f"a treemap's box must have x1 >= x0 and y1 >= y0; got {box}")
    out: list[Box | None] = [None] * len(values)
    if not values:
        return []
    total = float(sum(values))
    scale = (x1 - x0) * (y1 - y0) / total
    order = sorted(range(len(values)), key=lambda i: (-values[i], i))
    areas = [values[i] * scale for i in order]
    i = 0
    while i < len(order):
        w, h = x1 - x0, y1 - y0
        side = min(w, h)
        row = [areas[i]]
        j = i + 1
        while j < len(order) and _worst([*row, areas[j]], side) <= _worst(row, side):
            row.append(areas[j])
            j += 1
        s = sum(row)
        last_row = j == len(order)
        if w >= h:  # a column along the left side (the last row fills what is left)
            thick = (x1 - x0) if last_row else (s / h if h > 0 else 0.0)
            y = y0
            for k, a in enumerate(row):
                end = y1 if k == len(row) - 1 else y + (a / thick if thick > 0 else 0.0)
                out[order[i + k]] = (x0, y, x0 + thick, end)
                y = end
            x0 = min(x0 + thick, x1)
        else:  # a row along the top
            thick = (y1 - y0) if last_row else (s / w if w > 0 else 0.0)
            x = x0
            for k, a in enumerate(row):
                end = x1 if k == len(row) - 1 else x + (a / thick if thick > 0 else 0.0)
                out[order[i + k]] = (x, y0, end, y0 + thick)
                x = end
            y0 = min(y0 + thick, y1)
        i = j
    return [b for b in out if b is not None]


def nested(items: Sequence[tuple[tuple[str, ...], float]], box: Box) -> list[Rect]:
    """Every level's rectangles of a hierarchy: ``items`` are (path, value) leaves of the same
    depth (section, chapter, heading), values positive; a parent's value is its leaves' sum,
    and its children tile its rectangle. Parents come before their children."""
    if not items:
        return []
    depth = len(items[0][0])
    if any(len(p) != depth for p, _ in items) or depth < 1:
        raise InputError("a treemap's leaves must all be at the same depth (at least 1)")
    keys = [p for p, _ in items]
    if len(set(keys)) != len(keys):
        raise InputError("a treemap's leaves must be distinct")
    out: list[Rect] = []

    def place(prefix: tuple[str, ...], leaves: list[tuple[tuple[str, ...], float]], b: Box) -> None:
        level = len(prefix)
        groups: dict[str, list[tuple[tuple[str, ...], float]]] = {}
        for p, v in leaves:
            groups.setdefault(p[level], []).append((p, v))
        names = list(groups)
        sums = [sum(v for _, v in groups[n]) for n in names]
        for name, total, r in zip(names, sums, squarify(sums, b), strict=True):
            path = (*prefix, name)
            out.append(Rect(path, total, *r))
            if len(path) < depth:
                place(path, groups[name], r)

    place((), list(items), box)
    return out
