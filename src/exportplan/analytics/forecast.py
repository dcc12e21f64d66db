"""Where will the year end? A forecast of the annual total from the year to date.

Method (methodology section 8, rule 2 with back-tested empirical errors):

* seasonal share: ``s_m = mean_k (YTD_{t-k,m} / Y_{t-k})`` over the last ``K`` complete years
  (default 5) with data; the forecast is ``Y_hat = YTD_{t,m} / s_m``: the year-to-date growth
  carried over the rest of the year;
* errors: the same rule is back-tested on every past year ``j`` that has ``K_min`` (default 2)
  complete years before it, at the same month ``m``: ``e_j = ln(Y_j / Y_hat_j)``;
* intervals: ``Y_hat * exp(mean(e) +- z * sd(e))`` with ``z = 1.2816`` (80%) and ``1.9600``
  (95%), and ``P(Y >= T) = Phi((ln Y_hat + mean(e) - ln T) / sd(e))``, a normal approximation
  on the log errors;
* honesty check: each past year's own interval is built from the *other* years' errors
  (leave one out) and we count how often the true total fell inside: the coverage.

Also reported: the monthly average needed for the rest of the year, ``(T - YTD) / (12 - m)``,
against last year's average over the same remaining months.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from exportplan.errors import InputError

Z80, Z95 = 1.2815515655446004, 1.959963984540054
FloatArray = NDArray[np.float64]


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


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
    point: float
    seasonal_share: float
    years_used: list[int]
    low80: float | None
    high80: float | None
    low95: float | None
    high95: float | None
    central: float | None  # point * exp(mean back-test error): the centre of the intervals
    p_target: float | None
    target: float | None
    needed_monthly: float | None
    last_year_same_months_monthly: float | None
    backtests: list[Backtest] = field(default_factory=list)
    coverage80: float | None = None
    coverage95: float | None = None
    method: str = "seasonal share of the year to date (prior years), log-error intervals"


def _share(history: dict[int, FloatArray], years: list[int], month: int) -> float:
    shares = [history[y][:month].sum() / history[y].sum() for y in years if history[y].sum() > 0]
    if not shares:
        raise InputError("no complete year with exports before this one: no seasonal pattern")
    return float(np.mean(shares))


def _complete(history: dict[int, FloatArray]) -> list[int]:
    return sorted(y for y, v in history.items() if v.size == 12 and np.isfinite(v).all())


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
    used = complete[-k_years:]
    if not used:
        raise InputError(f"no complete year before {year}: the forecast needs at least one")
    share = _share(history, used, month)
    point = ytd / share
    # back-test the same rule on every past year with enough years before it
    tests: list[Backtest] = []
    for j in complete:
        before = [y for y in complete if y < j][-k_years:]
        if len(before) < min_years:
            continue
        f_j = float(history[j][:month].sum()) / _share(history, before, month)
        a_j = float(history[j].sum())
        if f_j > 0 and a_j > 0:
            tests.append(Backtest(j, f_j, a_j, math.log(a_j / f_j)))
    errors = np.array([t.log_error for t in tests])
    low80 = high80 = low95 = high95 = p_target = central = None
    cov80 = cov95 = None
    if errors.size >= 2:
        mu, sd = float(errors.mean()), float(errors.std(ddof=1))
        sd = max(sd, 1e-9)
        central = point * math.exp(mu)
        low80, high80 = point * math.exp(mu - Z80 * sd), point * math.exp(mu + Z80 * sd)
        low95, high95 = point * math.exp(mu - Z95 * sd), point * math.exp(mu + Z95 * sd)
        if target is not None and target > 0:
            p_target = _phi((math.log(point) + mu - math.log(target)) / sd)
        if errors.size >= 3:
            checked = []
            for i, t in enumerate(tests):
                others = np.delete(errors, i)
                m_o, s_o = float(others.mean()), max(float(others.std(ddof=1)), 1e-9)
                inside80 = abs(t.log_error - m_o) <= Z80 * s_o
                inside95 = abs(t.log_error - m_o) <= Z95 * s_o
                checked.append(
                    Backtest(t.year, t.forecast, t.actual, t.log_error, inside80, inside95)
                )
            tests = checked
            cov80 = sum(bool(t.in_80) for t in tests) / len(tests)
            cov95 = sum(bool(t.in_95) for t in tests) / len(tests)
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
    )
