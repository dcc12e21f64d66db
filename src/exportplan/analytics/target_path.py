"""A target's monthly path: the share of a year's exports each month carries (the seasonal
profile of earlier complete years), the part of a target due by a month, and whether the year
to date is behind it.

The profile is the mean, over the last complete years before the target's year, of each
month's share of its year (a complete year has a value for all twelve months and a positive
total); with no such year the path is even (one twelfth a month). A node's path over some of
the year's months (a quarter, a month) spreads its target over those months in proportion to
their shares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["due_by", "seasonal_profile"]


def seasonal_profile(
    years: Mapping[int, np.ndarray], *, before: int, last: int = 3
) -> tuple[np.ndarray, list[int]]:
    """Each month's mean share of its year over the ``last`` complete years before
    ``before``, and those years (empty: the even profile)."""
    complete = [
        y
        for y in sorted(years)
        if y < before
        and len(years[y]) == 12
        and not np.isnan(years[y]).any()
        and float(np.sum(years[y])) > 0
    ][-last:]
    if not complete:
        return np.full(12, 1 / 12), []
    shares = np.array([years[y] / np.sum(years[y]) for y in complete])
    profile = shares.mean(axis=0)
    return profile / profile.sum(), complete


def due_by(target: float, profile: np.ndarray, months: Sequence[int], through: int) -> float:
    """The part of ``target`` (spread over ``months``, 1-12, by ``profile``) due by the end of
    month ``through`` (0: nothing yet)."""
    weights = np.array([profile[m - 1] for m in months], dtype=float)
    if weights.sum() <= 0:
        weights = np.ones(len(months))
    weights = weights / weights.sum()
    return float(target * sum(w for w, m in zip(weights, months, strict=True) if m <= through))
