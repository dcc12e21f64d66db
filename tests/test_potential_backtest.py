"""The back-test statistics by hand, and on simulated pairs where the truth is known: a score
that drives entries (or growth) is found, random outcomes are not (the interval covers chance)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import spearmanr

from exportplan.analytics import potential_backtest as bt


def test_metrics_against_scipy_and_by_hand() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=50), rng.normal(size=50)
    a[:5] = 0.0  # ties
    assert bt.spearman(a, b) == pytest.approx(spearmanr(a, b).statistic)
    assert math.isnan(bt.spearman(np.zeros(5), b[:5]))
    score = np.array([5.0, 4.0, 3.0, 2.0, 1.0])
    # AUC: positives at scores 5 and 3, negatives at 4, 2, 1: pairs won 3 + 2 of 6
    pos = np.array([1.0, 0.0, 1.0, 0.0, 0.0])
    assert bt.auc(score, pos) == pytest.approx(5 / 6)
    assert bt.auc(np.ones(5), pos) == pytest.approx(0.5)  # ties count half
    assert math.isnan(bt.auc(score, np.zeros(5)))


def test_arc_growth() -> None:
    before = np.array([100.0, 100.0, 100.0, 0.0])
    after = np.array([300.0, 100.0, 0.0, 0.0])
    assert bt.arc_growth(before, after).tolist() == pytest.approx([1.0, 0.0, -2.0, 0.0])


def test_cluster_bootstrap_resamples_whole_clusters() -> None:
    # two clusters: in one the score is perfect, in the other inverted; a draw of one cluster
    # twice gives 1 or 0, so the interval spans nearly everything
    score = np.array([4.0, 3.0, 2.0, 1.0, 4.0, 3.0, 2.0, 1.0])
    pos = np.array([1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0])
    clusters = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    est = bt.cluster_bootstrap(bt.auc, score, pos, clusters, reps=200, seed=1)
    assert est.value == pytest.approx(0.5)
    assert est.low == pytest.approx(0.0) and est.high == pytest.approx(1.0)
    again = bt.cluster_bootstrap(bt.auc, score, pos, clusters, reps=200, seed=1)
    assert again == est  # seeded
    nan = bt.cluster_bootstrap(bt.auc, score, np.zeros(8), clusters, reps=50)
    assert math.isnan(nan.value) and math.isnan(nan.low) and nan.reps == 0


def simulated(
    seed: int, *, signal: bool, markets: int = 120, products: int = 40
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs with a score; entries and growth driven by it (signal) or independent of it."""
    rng = np.random.default_rng(seed)
    n = markets * products
    market = np.repeat(np.arange(markets), products)
    shock = rng.normal(0, 0.5, markets)[market]  # markets share shocks
    score = rng.normal(0, 1, n)
    drive = score if signal else rng.normal(0, 1, n)
    entered = (rng.random(n) < 1 / (1 + np.exp(-(1.2 * drive + shock - 3.0)))).astype(float)
    growth = 0.4 * drive + shock + rng.normal(0, 1, n)
    return score, entered, growth, market


def test_a_score_that_drives_entries_and_growth_is_found() -> None:
    score, entered, growth, market = simulated(7, signal=True)
    (e, g) = bt.evaluate(
        entry_scores={"model": score},
        entered=entered,
        entry_markets=market,
        growth_scores={"model": score},
        growth=growth,
        growth_markets=market,
        reps=300,
        seed=0,
    )
    assert e.test == "entries" and e.statistic == "AUC" and e.events == int(entered.sum())
    assert e.estimate.low > 0.6 and e.estimate.value > 0.7  # clearly above chance
    assert e.estimate.low < e.estimate.value < e.estimate.high
    assert g.test == "growth" and g.estimate.low > 0.15


def test_random_outcomes_give_chance_and_the_interval_covers_it() -> None:
    """Over 20 seeded worlds where outcomes ignore the score, the 95% interval covers 0.5
    (AUC) and 0 (Spearman) in at least 17 (binomial: P(fewer than 17 of 20 | 0.95) = 1.6%)."""
    cover_auc = cover_rho = 0
    for seed in range(20):
        score, entered, growth, market = simulated(100 + seed, signal=False, markets=80)
        e, g = bt.evaluate(
            entry_scores={"model": score},
            entered=entered,
            entry_markets=market,
            growth_scores={"model": score},
            growth=growth,
            growth_markets=market,
            reps=120,
            seed=seed,
        )
        assert abs(e.estimate.value - 0.5) < 0.08
        cover_auc += e.estimate.low <= 0.5 <= e.estimate.high
        cover_rho += g.estimate.low <= 0.0 <= g.estimate.high
    assert cover_auc >= 17 and cover_rho >= 17
