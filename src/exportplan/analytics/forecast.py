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

Also reported: the monthly average needed for the rest of the year, ``max(0, (T - YTD) / (12 - m))``,
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
from exportplan.reference.text import number_text

FloatArray = NDArray[np.float64]
MIN_BACKTEST = 3  # fewer back-test errors than this: no interval, no probability
P_FLOOR, P_CEIL = 0.01, 0.99
METHOD_T = (
    "seasonal share of the year to date; Student-t predictive intervals from back-test errors"
)
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
    shares: list[float | None] = [
        p / t if t > 0 else None for p, t in zip(part, totals, strict=True)
    ]
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
        needed = max(0.0, (target - ytd) / (12 - month))  # nothing more is needed once reached
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


# --- any monthly series: a table of series,year,month,value -------------------------------

SERIES_COLUMNS = ("series", "year", "month", "value")
MAX_LISTED = 10  # bad rows named in one error message


def _int_cell(s: str) -> int | None:
    t = number_text(s)
    try:
        f = float(t)
    except ValueError:
        return None
    return int(f) if math.isfinite(f) and f == int(f) else None


def histories_from_table(
    columns: list[str], rows: list[list[str]], *, source: str = "the file"
) -> dict[str, dict[int, FloatArray]]:
    """Monthly histories by series from rows of text ``series,year,month,value``.

    Values may use Persian or Arabic-Indic digits and thousands separators (``۱۲٬۵۰۰``).
    Refused, naming the series and the line (the header is line 1): a missing column, an empty
    series name, a year or month that is not a whole number, a month outside 1-12, a value that
    is not a number, NaN, infinite or negative, and the same series, year and month twice.
    Extra columns are ignored; months absent from the table are NaN.
    """
    found = [c.strip().lower() for c in columns]
    missing = [c for c in SERIES_COLUMNS if c not in found]
    if missing:
        raise InputError(
            f"{source} lacks column(s) {', '.join(missing)}; found: {', '.join(columns) or 'none'}",
            hint="the columns are series,year,month,value (one row per series and month)",
        )
    idx = [found.index(c) for c in SERIES_COLUMNS]
    out: dict[str, dict[int, FloatArray]] = {}
    seen: dict[tuple[str, int, int], int] = {}
    problems: list[str] = []
    for i, row in enumerate(rows):
        line = i + 2
        cells = [row[k].strip() if k < len(row) else "" for k in idx]
        name, y_s, m_s, v_s = cells
        where = f"line {line} (series {name!r})" if name else f"line {line}"
        if not name:
            problems.append(f"{where}: empty series name")
            continue
        y, m = _int_cell(y_s), _int_cell(m_s)
        if y is None:
            problems.append(f"{where}: year {y_s!r} is not a whole number")
            continue
        if m is None or not 1 <= m <= 12:
            problems.append(f"{where}: month {m_s!r} is not a month 1-12")
            continue
        try:
            v = float(number_text(v_s))
        except ValueError:
            problems.append(f"{where}: value {v_s!r} is not a number")
            continue
        if not math.isfinite(v):
            problems.append(f"{where}: value {v_s!r} is not a finite number (NaN or infinite)")
            continue
        if v < 0:
            problems.append(f"{where}: value {v_s!r} is negative")
            continue
        key = (name, y, m)
        if key in seen:
            problems.append(f"{where}: {y}/{m:02d} already given on line {seen[key]}")
            continue
        seen[key] = line
        year_v = out.setdefault(name, {}).setdefault(y, np.full(12, np.nan))
        year_v[m - 1] = v
    if problems:
        more = len(problems) - MAX_LISTED
        raise InputError(
            f"{source}: {len(problems)} unusable row(s): "
            + "; ".join(problems[:MAX_LISTED])
            + (f"; and {more} more" if more > 0 else ""),
            hint="fix or remove these rows; every series needs months 1-12 of its past years",
        )
    if not out:
        raise InputError(f"{source} has no data rows")
    return out


@dataclass(frozen=True)
class SeriesForecast:
    """One series' forecast, or the reason there is none."""

    series: str
    forecast: Forecast | None
    reason: str | None

    def row(self, *, with_target: bool) -> dict[str, object]:
        """The published record: series, forecast (central), low80 .. high95 [, p_target]."""
        f = self.forecast
        rec: dict[str, object] = {
            "series": self.series,
            "forecast": f.central if f else None,
            "low80": f.low80 if f else None,
            "high80": f.high80 if f else None,
            "low95": f.low95 if f else None,
            "high95": f.high95 if f else None,
        }
        if with_target:
            rec["p_target"] = f.p_target if f else None
            rec["p_target_text"] = f.p_target_text if f else "-"
        rec["point"] = f.point if f else None
        rec["ytd"] = f.ytd if f else None
        rec["n_backtest"] = f.n_backtest if f else 0
        rec["coverage80"] = f.coverage80 if f else None
        rec["coverage95"] = f.coverage95 if f else None
        rec["method"] = f.method if f else None
        rec["reason"] = self.reason
        return rec


def forecast_series(
    histories: dict[str, dict[int, FloatArray]],
    year: int,
    month: int,
    *,
    target: float | None = None,
) -> list[SeriesForecast]:
    """:func:`forecast_year` for every series, in name order; a series that cannot be
    forecast gets its reason instead (the others are not held up)."""
    if not 1 <= month <= 12:
        raise InputError(f"month must be 1-12, got {month}")
    res = []
    for name in sorted(histories):
        h = histories[name]
        if year in h and not np.isfinite(h[year][:month]).all():
            gaps = [str(i + 1) for i in np.flatnonzero(~np.isfinite(h[year][:month]))]
            res.append(SeriesForecast(name, None, f"{year} lacks month(s) {', '.join(gaps)}"))
            continue
        try:
            f = forecast_year(h, year, month, target=target)
        except InputError as exc:
            res.append(SeriesForecast(name, None, exc.message))
            continue
        res.append(SeriesForecast(name, f, f.no_interval_reason))
    return res
