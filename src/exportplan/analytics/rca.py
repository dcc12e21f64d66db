"""Revealed comparative advantage and presence.

Balassa (1965): ``RCA_cp = (x_cp / X_c) / (X_p / X)``, the same formula in the Growth Lab's
Stata ``ecomplexity`` (``complexity_rca.ado``), py-ecomplexity, Datawheel's
``economic-complexity`` and EconGeo. RPOP (Growth Lab): ``(x_cp / pop_c) / (X_p / POP)``.
Presence ``M_cp`` is 1 where the index reaches the threshold: inclusive ``>=`` by default
(the Python packages), strict ``>`` with ``strict=True`` (Stata). "either" is the logical OR of
RCA and RPOP presence (Stata's behaviour; py-ecomplexity's "both" sums to 0, 1 or 2, which we
do not reproduce). See docs/methods/rca.md.

All functions take a dense location x product matrix (rows locations, columns products) and
return arrays of the same shape. Cells of a location or product with no exports give NaN.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray

from exportplan.errors import InputError

FloatArray = NDArray[np.float64]
Presence = Literal["rca", "rpop", "either", "manual"]


def balassa_rca(x: FloatArray) -> FloatArray:
    """Balassa RCA of a location x product value matrix; NaN where a row or column sums to 0."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise InputError(f"RCA needs a 2-D location x product matrix, got {x.ndim} dimension(s)")
    if np.any(x < 0):
        raise InputError("RCA needs non-negative export values; found negative values")
    row = x.sum(axis=1)
    col = x.sum(axis=0)
    total = row.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        rca = (x / row[:, None]) / (col[None, :] / total)
    rca[~np.isfinite(rca)] = np.nan
    return np.asarray(rca, dtype=np.float64)


def rpop(x: FloatArray, population: FloatArray) -> FloatArray:
    """RPOP: exports per person relative to the world's; NaN where population is missing or <= 0.

    ``POP`` is the population of the locations with a positive, known population (Stata drops
    the others before summing).
    """
    x = np.asarray(x, dtype=np.float64)
    pop = np.asarray(population, dtype=np.float64)
    if pop.shape != (x.shape[0],):
        raise InputError(f"population has {pop.shape[0]} values for {x.shape[0]} locations")
    good = np.isfinite(pop) & (pop > 0)
    pop_total = pop[good].sum()
    col = x[good].sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (x / pop[:, None]) / (col[None, :] / pop_total)
    out[~good] = np.nan
    out[~np.isfinite(out)] = np.nan
    return np.asarray(out, dtype=np.float64)


def threshold(index: FloatArray, cutoff: float = 1.0, *, strict: bool = False) -> NDArray[np.bool_]:
    """Presence from an index: ``index >= cutoff`` (or ``>`` when strict); NaN counts as absent."""
    idx = np.nan_to_num(np.asarray(index, dtype=np.float64), nan=-np.inf)
    return idx > cutoff if strict else idx >= cutoff


def presence(
    x: FloatArray,
    *,
    test: Presence = "rca",
    rca_threshold: float = 1.0,
    rpop_threshold: float = 1.0,
    population: FloatArray | None = None,
    strict: bool = False,
) -> tuple[NDArray[np.bool_], FloatArray, FloatArray | None]:
    """Presence matrix ``M`` and the indices behind it: ``(M, rca, rpop or None)``.

    ``test="manual"`` takes ``x`` itself as ``M`` and requires every value to be 0 or 1.
    """
    if test == "manual":
        vals = np.asarray(x, dtype=np.float64)
        bad = ~np.isin(vals, (0.0, 1.0))
        if bad.any():
            raise InputError(
                f"manual presence needs values 0 or 1; found {np.unique(vals[bad])[:5].tolist()}"
            )
        return vals.astype(bool), vals, None
    rca = balassa_rca(x)
    m = np.zeros(rca.shape, dtype=bool)
    pop_index: FloatArray | None = None
    if test in ("rca", "either"):
        m |= threshold(rca, rca_threshold, strict=strict)
    if test in ("rpop", "either"):
        if population is None:
            raise InputError(f"presence test {test!r} needs a population for every location")
        pop_index = rpop(x, population)
        m |= threshold(pop_index, rpop_threshold, strict=strict)
    if test not in ("rca", "rpop", "either"):
        raise InputError(f"unknown presence test {test!r}; use rca, rpop, either or manual")
    return m, rca, pop_index
