"""Back-test statistics for export potential: entries (ROC area) and growth (rank correlation of
growth rates) with bootstrap intervals that resample whole markets.

At year ``T`` a ranking is judged on two questions an analyst asks of it:

* **entries**: among product x market pairs the region did not serve, does it rank the pairs
  it entered by ``T + K`` above those it did not? The ROC area (Mann-Whitney form, ties count
  half): 0.5 is chance, 1 a perfect ranking.
* **growth**: among pairs it served at ``T``, does it rank them by how much they then grew?
  Spearman's rank correlation with the growth rate ``(after - before) / ((after + before) / 2)``
  (the "arc" rate of Davis and Haltiwanger: bounded in [-2, 2], an exit is -2, defined for
  every served pair), not with the change in USD (which ranks by size).

Pairs of one market share its shocks (a war, a currency crisis), so the intervals come from a
cluster bootstrap over markets (markets drawn with replacement, all their pairs with them);
a percentile interval of ``reps`` draws, seeded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.stats import rankdata

Metric = Callable[[NDArray[np.float64], NDArray[np.float64]], float]


def auc(score: NDArray[np.float64], positive: NDArray[np.float64]) -> float:
    """Probability that a positive row outranks a negative one (ties count half); nan without
    both kinds."""
    pos = positive.astype(bool)
    n1, n0 = int(pos.sum()), int((~pos).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    r = rankdata(score)
    return float((r[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def spearman(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    """Spearman's rank correlation with average ranks for ties (nan when either is constant or
    there are fewer than 3 rows)."""
    if a.size < 3:
        return float("nan")
    ra, rb = rankdata(a), rankdata(b)
    if ra.std() == 0 or rb.std() == 0:
        return float("nan")
    return float(np.corrcoef(ra, rb)[0, 1])


def arc_growth(before: NDArray[np.float64], after: NDArray[np.float64]) -> NDArray[np.float64]:
    """``(after - before) / ((after + before) / 2)``: in [-2, 2]; -2 is an exit."""
    mid = (after + before) / 2
    return np.where(mid > 0, (after - before) / np.where(mid > 0, mid, 1.0), 0.0)


@dataclass(frozen=True)
class Estimate:
    """A statistic with its bootstrap percentile interval."""

    value: float
    low: float
    high: float
    reps: int  # bootstrap draws on which the statistic was defined


def cluster_bootstrap(
    metric: Metric,
    score: NDArray[np.float64],
    outcome: NDArray[np.float64],
    clusters: NDArray[np.int64],
    *,
    reps: int = 500,
    level: float = 0.95,
    seed: int = 0,
) -> Estimate:
    """``metric(score, outcome)`` and its percentile interval over ``reps`` draws of whole
    clusters with replacement (draws where the metric is undefined are left out)."""
    value = metric(score, outcome)
    ids, inverse = np.unique(clusters, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    starts = np.searchsorted(inverse[order], np.arange(ids.size))
    ends = np.append(starts[1:], order.size)
    rng = np.random.default_rng(seed)
    stats = []
    for _ in range(reps):
        pick = rng.integers(0, ids.size, ids.size)
        lengths = ends[pick] - starts[pick]
        offsets = np.cumsum(lengths) - lengths  # where each drawn cluster starts in the draw
        pos = np.arange(int(lengths.sum())) + np.repeat(starts[pick] - offsets, lengths)
        idx = order[pos]
        s = metric(score[idx], outcome[idx])
        if np.isfinite(s):
            stats.append(s)
    if not stats or not np.isfinite(value):
        return Estimate(value, float("nan"), float("nan"), len(stats))
    a = (1 - level) / 2
    lo, hi = np.quantile(stats, [a, 1 - a])
    return Estimate(value, float(lo), float(hi), len(stats))


@dataclass(frozen=True)
class Row:
    """One line of the back-test table."""

    test: str  # "entries" or "growth"
    method: str
    statistic: str  # "AUC" or "Spearman"
    estimate: Estimate
    pairs: int
    events: int  # entries among the pairs (entries), or pairs that grew (growth)


def evaluate(
    *,
    entry_scores: Mapping[str, NDArray[np.float64]],
    entered: NDArray[np.float64],
    entry_markets: NDArray[np.int64],
    growth_scores: Mapping[str, NDArray[np.float64]],
    growth: NDArray[np.float64],
    growth_markets: NDArray[np.int64],
    reps: int = 500,
    seed: int = 0,
) -> list[Row]:
    """The back-test table: each entry score's ROC area on ``entered`` (0/1) and each growth
    score's Spearman correlation with ``growth``, each with its cluster-bootstrap interval."""
    rows = []
    for name, score in entry_scores.items():
        est = cluster_bootstrap(auc, score, entered, entry_markets, reps=reps, seed=seed)
        rows.append(Row("entries", name, "AUC", est, int(score.size), int(entered.sum())))
    for name, score in growth_scores.items():
        est = cluster_bootstrap(spearman, score, growth, growth_markets, reps=reps, seed=seed)
        rows.append(Row("growth", name, "Spearman", est, int(score.size), int((growth > 0).sum())))
    return rows
