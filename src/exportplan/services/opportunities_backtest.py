"""The back-test of export potential on a workspace: entries and growth after year T, against
baselines, with intervals (:mod:`exportplan.analytics.potential_backtest`).

The potential is computed from the data up to ``T`` only (the window ends at ``T``); the
outcomes are the region's exports in ``T`` and ``T + K``, both years covered completely by its
records. The universe is every pair of a product the region exported in the window with a
market that imports it.

* **entries**: pairs the region served in none of the window's years; outcome: served in
  ``T + K``. Scores: the potential (with the ease of trade on the region's and on the
  country's basis), and the baselines: a gravity-style expected flow (the region's exports of
  the product x the market's imports of it / distance) and the market's imports.
* **growth**: pairs served in ``T``; outcome: the arc growth rate to ``T + K``. Scores: the
  headroom (potential / exports in ``T``), the untapped potential, the market's import trend,
  and the baselines: the gravity headroom (gravity / exports in ``T``), the market's imports,
  and the pair's own size taken in reverse (small flows grow faster: regression to the mean,
  the bar any headroom must clear).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import polars as pl

from exportplan.analytics import potential as pot
from exportplan.analytics import potential_backtest as bt
from exportplan.errors import InputError
from exportplan.services.complexity import LEVELS
from exportplan.services.opportunities import Params, Result, complete_years, table
from exportplan.store.warehouse import queries
from exportplan.workspace import Workspace

COLUMNS = ["test", "method", "statistic", "estimate", "low95", "high95", "pairs", "events"]


def backtest(
    ws: Workspace,
    *,
    year: int,
    ahead: int = 3,
    window: int = 3,
    region: str | None = None,
    definition: str = "customs",
    level: str = "hs6",
    options: pot.PotentialOptions | None = None,
    reps: int = 500,
    seed: int = 0,
) -> Result:
    """Entries (ROC area) and growth (Spearman of growth rates) from ``year`` to
    ``year + ahead``, each score with a 95% interval from a bootstrap over markets."""
    region = region or ws.home_region
    if ahead < 1:
        raise InputError(f"--ahead must be at least 1 year; got {ahead}")
    if reps < 50:
        raise InputError(f"the bootstrap needs at least 50 draws; got {reps}")
    complete = complete_years(ws, region=region, definition=definition)
    for y in (year, year + ahead):
        if y not in complete:
            raise InputError(
                f"the {definition} records of {region!r} do not cover all of {y} (complete "
                f"years: {', '.join(map(str, complete)) or 'none'}), so a change from {year} to "
                f"{year + ahead} would be a change in coverage",
                hint="choose --year and --ahead within the complete years",
            )
    opt = options or pot.PotentialOptions()
    p = Params(
        level=level, year=year, window=window, region=region, definition=definition, options=opt
    )
    res = table(ws, p)
    other_basis: pot.EaseBasis = "region" if res.meta["ease_basis"] == "country" else "country"
    other = table(
        ws, dataclasses.replace(p, options=dataclasses.replace(opt, ease_basis=other_basis))
    ).table.select("prod", "market", pl.col("potential_usd").alias("potential_other"))
    with ws.warehouse(read_only=True) as con:
        act = queries.region_by_market(
            con,
            region=region,
            definition=definition,
            digits=LEVELS[level],
            years=[year, year + ahead],
            home=ws.home_country,
        )
    wide = act.pivot(on="year", index=["prod", "market"], values="v").rename(
        {str(year): "before", str(year + ahead): "after"}, strict=False
    )
    for c in ("before", "after"):
        if c not in wide.columns:
            wide = wide.with_columns(pl.lit(0.0).alias(c))
    uni = (
        res.table.filter(pl.col("supply") > 0)
        .join(wide, on=["prod", "market"], how="left")
        .join(other, on=["prod", "market"], how="left")
        .with_columns(
            pl.col("before").fill_null(0.0),
            pl.col("after").fill_null(0.0),
            pl.col("potential_other").fill_null(0.0),
            (pl.col("region_usd") * pl.col("imports_usd") / pl.col("km").fill_null(1e4)).alias(
                "gravity"
            ),
        )
        .sort("prod", "market")
    )
    codes = uni.get_column("market").cast(pl.Categorical).to_physical().to_numpy()
    codes = codes.astype(np.int64)
    basis = res.meta["ease_basis"]
    fresh = uni.with_columns(pl.Series("code", codes)).filter(
        (pl.col("actual_usd") == 0) & (pl.col("before") == 0)
    )
    served = uni.with_columns(pl.Series("code", codes)).filter(pl.col("before") > 0)

    def col(df: pl.DataFrame, name: str) -> np.ndarray[Any, np.dtype[np.float64]]:
        return df.get_column(name).fill_null(0.0).cast(pl.Float64).to_numpy()

    before = col(served, "before")
    rows = bt.evaluate(
        entry_scores={
            f"potential (ease of trade: {basis}'s ratio)": col(fresh, "potential_usd"),
            f"potential (ease of trade: {other_basis}'s ratio)": col(fresh, "potential_other"),
            "baseline: gravity (region's exports of k x j's imports of k / km)": col(
                fresh, "gravity"
            ),
            "baseline: market size (j's imports of k)": col(fresh, "imports_usd"),
        },
        entered=(col(fresh, "after") > 0).astype(np.float64),
        entry_markets=fresh.get_column("code").to_numpy().astype(np.int64),
        growth_scores={
            "headroom: potential / exports in T": col(served, "potential_usd") / before,
            "untapped potential (USD)": col(served, "untapped_pos_usd"),
            "market's import trend": col(served, "trend_pa"),
            "baseline: gravity / exports in T": col(served, "gravity") / before,
            "baseline: market size (j's imports of k)": col(served, "imports_usd"),
            "baseline: smaller flows first (reversion to the mean)": -before,
        },
        growth=bt.arc_growth(before, col(served, "after")),
        growth_markets=served.get_column("code").to_numpy().astype(np.int64),
        reps=reps,
        seed=seed,
    )
    out = pl.DataFrame(
        [
            (
                r.test,
                r.method,
                r.statistic,
                r.estimate.value,
                r.estimate.low,
                r.estimate.high,
                r.pairs,
                r.events,
            )
            for r in rows
        ],
        schema={
            "test": pl.String,
            "method": pl.String,
            "statistic": pl.String,
            "estimate": pl.Float64,
            "low95": pl.Float64,
            "high95": pl.Float64,
            "pairs": pl.Int64,
            "events": pl.Int64,
        },
        orient="row",
    )
    meta = {
        **res.meta,
        "backtest_year": year,
        "ahead": ahead,
        "pairs": uni.height,
        "pairs_not_served": fresh.height,
        "entries": int((col(fresh, "after") > 0).sum()),
        "pairs_served": served.height,
        "exits": int((col(served, "after") == 0).sum()),
        "markets": int(np.unique(codes).size),
        "bootstrap": f"{reps} draws of whole markets, 95% percentile interval (seed {seed})",
        "outcome": f"entries: served in {year + ahead} among pairs not served in "
        f"{res.meta['region_years'][0]}-{year}; growth: (after - before) / mean of the two, "
        f"{year} to {year + ahead}, among pairs served in {year}",
    }
    return Result(out, meta)


# ---- the demand default: does a market's own trend predict its imports? --------------------

#: the weights on the trend tried; 0 is no growth, 1 the full (capped) trend
TREND_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)


def half_of(market: str) -> str:
    """The fixed split of markets, made before any tuning: ``tune`` or ``held-out`` by the
    parity of a hash of the ISO3 code (stable across runs and machines)."""
    import hashlib

    return "tune" if hashlib.sha256(market.encode()).digest()[0] % 2 == 0 else "held-out"


def demand_check(
    ws: Workspace,
    *,
    year: int,
    ahead: int = 3,
    window: int = 3,
    level: str = "hs6",
    growth_cap: float = 0.15,
    weights: tuple[float, ...] = TREND_WEIGHTS,
) -> Result:
    """The demand term's growth factor against what the markets then imported: for each weight
    ``w`` on the trend, the error ``ln(imports in year+ahead) - ln(window average x (1 +
    clip(w x trend))^ahead)`` over every product x market importing in both (root mean square
    and median absolute), on the tuning half of the markets and on the held-out half. The
    weight is chosen on the tuning half only; the held-out half says whether it holds."""
    from exportplan.services.opportunities import _window, world_side

    if ahead < 1:
        raise InputError(f"--ahead must be at least 1 year; got {ahead}")
    years = _window(ws, year, window)
    later = _window(ws, year + ahead, 1)
    if len(years) < 3:
        raise InputError(f"a trend needs at least 3 years in the window; got {len(years)}")
    now = world_side(ws, level=level, years=years)["imports"]
    then = world_side(ws, level=level, years=later)["imports"].select(
        "prod", "market", pl.col("imports_usd").alias("later_usd")
    )
    df = (
        now.join(then, on=["prod", "market"], how="inner")
        .filter((pl.col("imports_usd") > 0) & (pl.col("later_usd") > 0))
        .with_columns(
            pl.col("market").map_elements(half_of, return_dtype=pl.String).alias("half"),
            (pl.col("later_usd") / pl.col("imports_usd")).log().alias("actual_log"),
        )
    )
    rows = []
    for w in weights:
        g = (w * pl.col("trend_pa").fill_null(0.0)).clip(-growth_cap, growth_cap)
        err = (
            df.with_columns((pl.col("actual_log") - ahead * (1.0 + g).log()).alias("e"))
            .group_by("half")
            .agg(
                (pl.col("e") ** 2).mean().sqrt().alias("rmse"),
                pl.col("e").abs().median().alias("mae"),
                pl.len().alias("pairs"),
            )
        )
        for half, rmse, mae, n in err.iter_rows():
            rows.append((w, half, rmse, mae, n))
    out = pl.DataFrame(
        rows,
        schema={
            "trend_weight": pl.Float64,
            "half": pl.String,
            "rmse_log": pl.Float64,
            "median_abs_log": pl.Float64,
            "pairs": pl.Int64,
        },
        orient="row",
    ).sort("half", "trend_weight", descending=[True, False])
    tune = out.filter(pl.col("half") == "tune").sort("rmse_log", "trend_weight")
    best = float(tune.get_column("trend_weight")[0]) if tune.height else 0.0
    meta = {
        "world_years": years,
        "target_year": year + ahead,
        "ahead": ahead,
        "level": level,
        "growth_cap": growth_cap,
        "chosen_on_tuning_half": best,
        "split": "markets by the parity of the first byte of sha256(ISO3), fixed before tuning",
        "outcome": f"ln(imports {year + ahead}) - ln(average {years[0]}-{years[-1]} x growth "
        f"factor over {ahead} years)",
    }
    return Result(out, meta)
