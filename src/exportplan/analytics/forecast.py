"""Where will the year end? A forecast of the annual total from the year to date, with intervals.

Method (methodology section 8, rule 2 with back-tested errors; calibrated in
``benchmarks/forecast_calibration.py``, results in docs/monitoring.md):

* seasonal share: ``s_m = mean_k (YTD_{t-k,m} / Y_{t-k})`` over the last ``K`` complete years
  (default 5) with data; the point forecast is ``Y_hat = YTD_{t,m} / s_m``: the year-to-date
  growth carried over the rest of the year;
* errors: the same rule is back-tested on every past year ``j`` that has ``K_min`` (default 2)
  complete years before it, at the same month ``m``: ``e_j = ln(Y_j / Y_hat_j)``;
* predictive distribution: with ``n >= 3`` back-test errors, ``ln Y`` follows a Student-t
  predictive distribution with ``n - 1`` degrees of freedom, centre ``ln Y_hat + mean(e)``
  and scale ``sd(e) * sqrt(1 + 1/n)``: the spread of the errors *and* the uncertainty of their
  mean and spread estimated from a handful of years (normal quantiles ignore the latter and
  are too narrow: 68% for a nominal 80% with five back-test years). The central forecast
  ``Y_hat * exp(mean(e))`` is the median of that distribution, so it always lies inside its
  intervals; the intervals are its 10/90% and 2.5/97.5% quantiles;
* probability of reaching the target: ``P(Y >= T)`` from the same distribution, clipped to
  [1%, 99%] (a model fitted on a few years cannot know a target is certain or impossible) and
  shown as ">99%" / "<1%" at the clips;
* fewer than 3 back-test errors: the point forecast only, no interval and no probability, with
  the reason in ``no_interval_reason``;
* honesty check: each past year's own interval is rebuilt by the same rule from the *other*
  years' errors (leave one out, when 3 others exist) and we count how often the true total
  fell inside: the coverage.

Also reported: the monthly average needed for the rest of the year, ``(T - YTD) / (12 - m)``,
against last year's average over the same remaining months.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from scipy import special

from exportplan.errors import InputError

FloatArray = NDArray[np.float64]
MIN_BACKTEST = 3  # fewer back-test errors than this: no interval, no probability
P_FLOOR, P_CEIL = 0.01, 0.99
METHOD_T = "seasonal share of the year to date; Student-t predictive intervals from back-test errors"
METHOD_POINT = "seasonal share of the year to date; point forecast only"


@lru_cache(maxsize=512)
def t_quantile(df: int, p: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom."""
    return float(special.stdtrit(df, p))


def clip_probability(p: float) -> float:
    """A model probability kept within [1%, 99%]."""
    return min(max(p, P_FLOOR), P_CEIL)


def probability_text(p: float | None) -> str:
    """A probability as people should read it: whole percent, ">99%" and "<1%" at the clips."""
    if p is None:
        return "-"
    if p >= P_CEIL:
        return ">99%"
    if p <= P_FLOOR:
        return "<1%"
    return f"{min(max(round(100 * p), 1), 99)}%"


@dataclass(frozen=True)
class Predictive:
    """Student-t predictive distribution of ``ln Y``: ``loc + scale * T_df``."""

    loc: float
    scale: float
    df: int

    @classmethod
    def from_errors(cls, log_point: float, errors: list[float]) -> Predictive:
        """Centre ``log_point + mean(e)``, scale ``sd(e) sqrt(1 + 1/n)``, ``n - 1`` df."""
        n = len(errors)
        if n < 2:
            raise InputError("a predictive distribution needs at least 2 errors")
        mu = math.fsum(errors) / n
        sd = math.sqrt(math.fsum((e - mu) ** 2 for e in errors) / (n - 1))
        return cls(log_point + mu, max(sd, 1e-9) * math.sqrt(1.0 + 1.0 / n), n - 1)

    def quantile(self, p: float) -> float:
        """The ``p`` quantile of ``Y`` (not of ``ln Y``)."""
        return math.exp(self.loc + self.scale * t_quantile(self.df, p))

    def interval(self, level: float) -> tuple[float, float]:
        """The central ``level`` interval of ``Y``."""
        a = (1.0 - level) / 2.0
        return self.quantile(a), self.quantile(1.0 - a)

    def prob_at_least(self, target: float) -> float:
        """``P(Y >= target)``, clipped to [1%, 99%]."""
        if not target > 0:
            return P_CEIL
        z = (self.loc - math.log(target)) / self.scale
        return clip_probability(float(special.stdtr(self.df, z)))


@dataclass(frozen=True)
class Backtest:
    year: int
    forecast: float
    actual: float
    log_error: float
    in_80: bool | None = None
    in_95: bool | None = None


@dataclass(frozen=True)
class Forecast:
    """A forecast of the annual total, with its intervals and their back-test."""

    year: int
    month: int
    ytd: float
    point: float  # the seasonal-share rule's raw figure Y_hat
    seasonal_share: float
    years_used: list[int]
    low80: float | None
    high80: float | None
    low95: float | None
    high95: float | None
    central: float  # the headline: Y_hat * exp(mean e), or Y_hat without an interval
    p_target: float | None  # P(Y >= target) in [0.01, 0.99]; None without an interval
    target: float | None
    needed_monthly: float | None
    last_year_same_months_monthly: float | None
    backtests: list[Backtest] = field(default_factory=list)
    coverage80: float | None = None
    coverage95: float | None = None
    method: str = METHOD_T
    n_backtest: int = 0
    no_interval_reason: str | None = None
    predictive: Predictive | None = None  # of ln Y; None without an interval

    @property
    def p_target_text(self) -> str:
        """The probability as it should be shown (">99%", "<1%", whole percent, or "-")."""
        return probability_text(self.p_target)

    def prob_at_least(self, target: float) -> float | None:
        """``P(Y >= target)`` from this forecast's predictive distribution (None without one)."""
        return None if self.predictive is None else self.predictive.prob_at_least(target)


def _complete(history: dict[int, FloatArray]) -> list[int]:
    return sorted(y for y, v in history.items() if v.size == 12 and np.isfinite(v).all())


def _mean_share(shares: list[float | None]) -> float | None:
    got = [s for s in shares if s is not None]
    return math.fsum(got) / len(got) if got else None


def forecast_year(
    history: dict[int, FloatArray],
    year: int,
    month: int,
    *,
    target: float | None = None,
    k_years: int = 5,
    min_years: int = 2,
) -> Forecast:
    """Forecast ``year``'s total from its months ``1..month`` and the complete prior years.

    ``history[y]`` holds 12 monthly values (NaN for months without data). The current year
    may be incomplete; only its first ``month`` values are used.
    """
    if not 1 <= month <= 12:
        raise InputError(f"month must be 1-12, got {month}")
    if year not in history:
        raise InputError(f"no data for year {year}")
    cur = np.asarray(history[year], dtype=np.float64)
    if cur.size != 12 or not np.isfinite(cur[:month]).all():
        raise InputError(f"year {year} lacks data for months 1-{month}")
    ytd = float(cur[:month].sum())
    complete = [y for y in _complete(history) if y < year]
    if not complete:
        raise InputError(f"no complete year before {year}: the forecast needs at least one")
    totals: list[float] = []
    part: list[float] = []
    for y in complete:
        v = np.asarray(history[y], dtype=np.float64)
        totals.append(float(v.sum()))
        part.append(float(v[:month].sum()))
    shares: list[float | None] = [p / t if t > 0 else None for p, t in zip(part, totals)]
    used = complete[-k_years:]
    share = _mean_share(shares[-k_years:])
    if share is None:
        raise InputError("no complete year with exports before this one: no seasonal pattern")
    point = ytd / share
    # back-test the same rule on every past year with enough years before it
    tests: list[Backtest] = []
    for i, j in enumerate(complete):
        if i < min_years:
            continue
        s_j = _mean_share(shares[max(0, i - k_years) : i])
        if s_j is None:
            continue
        f_j, a_j = part[i] / s_j, totals[i]
        if f_j > 0 and a_j > 0:
            tests.append(Backtest(j, f_j, a_j, math.log(a_j / f_j)))
    errors = [t.log_error for t in tests]
    n = len(errors)
    low80 = high80 = low95 = high95 = p_target = None
    cov80 = cov95 = None
    central = point
    pred: Predictive | None = None
    reason: str | None = None
    if point <= 0:
        reason = "the year to date is zero: no interval on a log scale"
    elif n < MIN_BACKTEST:
        reason = (
            f"only {n} back-test year(s) (at least {MIN_BACKTEST} are needed, each with "
            f"{min_years} complete years before it): no interval or probability can be given"
        )
    else:
        pred = Predictive.from_errors(math.log(point), errors)
        central = math.exp(pred.loc)
        low80, high80 = pred.interval(0.80)
        low95, high95 = pred.interval(0.95)
        if target is not None and target > 0:
            p_target = pred.prob_at_least(target)
        if n - 1 >= MIN_BACKTEST:
            checked = []
            for i, t in enumerate(tests):
                loo = Predictive.from_errors(0.0, errors[:i] + errors[i + 1 :])
                z = abs(t.log_error - loo.loc) / loo.scale
                inside80 = z <= t_quantile(loo.df, 0.90)
                inside95 = z <= t_quantile(loo.df, 0.975)
                checked.append(
                    Backtest(t.year, t.forecast, t.actual, t.log_error, inside80, inside95)
                )
            tests = checked
            cov80 = sum(bool(t.in_80) for t in tests) / n
            cov95 = sum(bool(t.in_95) for t in tests) / n
    needed = last_same = None
    if target is not None and month < 12:
        needed = (target - ytd) / (12 - month)
        prev = year - 1
        if prev in history and np.isfinite(history[prev][month:]).all():
            last_same = float(history[prev][month:].mean())
    return Forecast(
        year=year,
        month=month,
        ytd=ytd,
        point=point,
        seasonal_share=share,
        years_used=used,
        low80=low80,
        high80=high80,
        low95=low95,
        high95=high95,
        central=central,
        p_target=p_target,
        target=target,
        needed_monthly=needed,
        last_year_same_months_monthly=last_same,
        backtests=tests,
        coverage80=cov80,
        coverage95=cov95,
        method=METHOD_T if pred is not None else METHOD_POINT,
        n_backtest=n,
        no_interval_reason=reason,
        predictive=pred,
    )
