"""Why did exports move? Exact additive decompositions of a change between two periods.

All functions take the two periods' values per item (same items in both, zero where absent)
and return parts that **add up exactly** to the total change (tested):

* :func:`contributions`: each item's change and its contribution to growth in percentage
  points, ``100 * (v1_i - v0_i) / V0``; the contributions sum to the growth rate;
* :func:`margins`: extensive margin (items new in the current period, items lost) and
  intensive margin (items present in both);
* :func:`price_volume`: for items with value and quantity in both periods, the LMDI-I split
  (Ang 2004) ``dV_i = L(V1_i, V0_i) * (ln(Q1_i/Q0_i) + ln(P1_i/P0_i))`` with the logarithmic
  mean ``L(a, b) = (a - b) / (ln a - ln b)``: exact, with no residual; items without
  quantities, and new or lost items, are reported as their own parts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def contributions(v0: FloatArray, v1: FloatArray) -> tuple[FloatArray, FloatArray, float]:
    """Per item: change, contribution in percentage points; and the total growth in %."""
    v0, v1 = np.asarray(v0, dtype=np.float64), np.asarray(v1, dtype=np.float64)
    total0 = float(v0.sum())
    change = v1 - v0
    if total0 <= 0:
        return change, np.full(change.shape, np.nan), float("nan")
    return change, 100.0 * change / total0, 100.0 * (float(v1.sum()) / total0 - 1.0)


@dataclass(frozen=True)
class Margins:
    new: float
    lost: float
    intensive: float
    n_new: int
    n_lost: int
    n_continuing: int

    @property
    def total(self) -> float:
        return self.new - self.lost + self.intensive


def margins(v0: FloatArray, v1: FloatArray) -> Margins:
    """Extensive (new, lost items) and intensive (continuing items) parts of the change."""
    v0, v1 = np.asarray(v0, dtype=np.float64), np.asarray(v1, dtype=np.float64)
    new = (v0 <= 0) & (v1 > 0)
    lost = (v0 > 0) & (v1 <= 0)
    cont = (v0 > 0) & (v1 > 0)
    return Margins(
        new=float(v1[new].sum()),
        lost=float(v0[lost].sum()),
        intensive=float((v1[cont] - v0[cont]).sum()),
        n_new=int(new.sum()),
        n_lost=int(lost.sum()),
        n_continuing=int(cont.sum()),
    )


def _logmean(a: FloatArray, b: FloatArray) -> FloatArray:
    out = np.asarray(a, dtype=np.float64).copy()
    diff = ~np.isclose(a, b, rtol=1e-12, atol=0.0)
    out[diff] = (a[diff] - b[diff]) / (np.log(a[diff]) - np.log(b[diff]))
    return out


@dataclass(frozen=True)
class PriceVolume:
    volume: float
    price: float
    unpriced: float
    new: float
    lost: float
    volume_growth_pct: float
    price_growth_pct: float

    @property
    def total(self) -> float:
        return self.volume + self.price + self.unpriced + self.new - self.lost


def price_volume(v0: FloatArray, v1: FloatArray, q0: FloatArray, q1: FloatArray) -> PriceVolume:
    """LMDI price/volume split of the change in value; ``q`` are quantities (e.g. kg)."""
    v0, v1 = np.asarray(v0, dtype=np.float64), np.asarray(v1, dtype=np.float64)
    q0 = np.nan_to_num(np.asarray(q0, dtype=np.float64))
    q1 = np.nan_to_num(np.asarray(q1, dtype=np.float64))
    both = (v0 > 0) & (v1 > 0)
    priced = both & (q0 > 0) & (q1 > 0)
    w = _logmean(v1[priced], v0[priced])
    vol = w * np.log(q1[priced] / q0[priced])
    price = w * np.log((v1[priced] / q1[priced]) / (v0[priced] / q0[priced]))
    unpriced = both & ~priced
    base = float(v0[both].sum())
    return PriceVolume(
        volume=float(vol.sum()),
        price=float(price.sum()),
        unpriced=float((v1[unpriced] - v0[unpriced]).sum()),
        new=float(v1[(v0 <= 0) & (v1 > 0)].sum()),
        lost=float(v0[(v0 > 0) & (v1 <= 0)].sum()),
        volume_growth_pct=100.0 * float(vol.sum()) / base if base > 0 else float("nan"),
        price_growth_pct=100.0 * float(price.sum()) / base if base > 0 else float("nan"),
    )
