"""Product relatedness: proximity, density, complexity outlook (COI) and gain (COG).

Proximity (Hidalgo, Klinger, Barabasi & Hausmann 2007, *Science* 317:482):

* ``discrete`` (default): ``phi[p,p'] = C_pp' / max(k_p, k_p')`` with ``C = M^T M`` and a
  **zero diagonal**, as Stata ``proxdiscrete.ado`` and Datawheel (py-ecomplexity keeps a
  diagonal of 1, which changes density by up to 12%: we match Stata).
* ``asymmetric``: ``phi[p,p'] = C_pp' / k_p``, the share of exporters of ``p`` that also
  export ``p'`` (row = conditioning product), as Stata ``asym`` and py-ecomplexity.
* ``continuous``: ``(1 + corr_c(RCA_cp, RCA_cp')) / 2`` (py-ecomplexity ``continuous=True``),
  diagonal set to 0 like the discrete default.

Density (relatedness of location ``c`` to product ``p``), Stata ``calculate_density.ado``::

    d_cp = sum_p' M_cp' phi[p',p] / sum_p' phi[p',p]

With ``knn=k`` only the ``k`` largest ``phi[p',p]`` of each product ``p`` are kept and the
weights renormalised (Stata's definition; py-ecomplexity 0.5.x sums unweighted neighbours,
issue #35, which we do not reproduce).

COI and COG (Stata ``coicog.ado``), from the raw unit-length eigenvector ``q``::

    COI_raw_c  = sum_p d_cp (1 - M_cp) q_p                    then standardised like ECI
    COG_raw_cp = (1 - M_cp) sum_p' (1 - M_cp') q_p' phi[p',p] / sum_p'' phi[p',p'']

(each neighbour ``p'`` spreads its complexity over its own proximities: the normaliser is
the *neighbour's* row total, as in ``coicog.ado``; normalising by the target's total instead
is off by up to 35% on the conformance data)
    COG = COG_raw / sd_ECI                                     (scaled, not centred)

Products no location exports with presence (``k_p = 0``) are left out of every proximity sum
and get NaN only for themselves.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray

from exportplan.errors import InputError

FloatArray = NDArray[np.float64]
ProximityKind = Literal["discrete", "asymmetric", "continuous"]

_BLOCK = 512


def proximity(
    m: NDArray[np.bool_] | FloatArray,
    *,
    kind: ProximityKind = "discrete",
    rca: FloatArray | None = None,
) -> FloatArray:
    """Product x product proximity from a location x product presence matrix.

    Rows/columns of products with ``k_p = 0`` are NaN (undefined), the diagonal is 0.
    ``kind="continuous"`` needs ``rca`` (the location x product RCA matrix).
    """
    mm = np.asarray(m, dtype=np.float32)  # co-occurrence counts are exact in float32 (< 2**24)
    kp = mm.sum(axis=0, dtype=np.float64)
    p = mm.shape[1]
    if kind == "continuous":
        if rca is None:
            raise InputError("continuous proximity needs the RCA matrix")
        r = np.nan_to_num(np.asarray(rca, dtype=np.float64))
        with np.errstate(divide="ignore", invalid="ignore"):
            phi = (1.0 + np.corrcoef(r, rowvar=False)) / 2.0
        phi = np.asarray(phi, dtype=np.float64)
        phi[~np.isfinite(phi)] = np.nan
    elif kind in ("discrete", "asymmetric"):
        phi = np.asarray(mm.T @ mm, dtype=np.float64)
        for start in range(0, p, _BLOCK):
            stop = min(start + _BLOCK, p)
            if kind == "discrete":
                denom = np.maximum(kp[start:stop, None], kp[None, :])
            else:
                denom = np.broadcast_to(kp[start:stop, None], (stop - start, p))
            with np.errstate(divide="ignore", invalid="ignore"):
                phi[start:stop] /= denom
    else:
        raise InputError(f"unknown proximity {kind!r}; use discrete, asymmetric or continuous")
    np.fill_diagonal(phi, 0.0)
    empty = kp == 0
    phi[empty, :] = np.nan
    phi[:, empty] = np.nan
    return phi


def _knn_mask(phi: FloatArray, k: int) -> FloatArray:
    """Keep, in each column ``p``, the ``k`` largest ``phi[p', p]`` (ties by position)."""
    p = phi.shape[0]
    if k < 1:
        raise InputError("knn must be at least 1")
    if k >= p - 1:
        return phi
    filled = np.nan_to_num(phi, nan=-np.inf)
    idx = np.argpartition(-filled, k - 1, axis=0)[:k]
    out = np.zeros_like(phi)
    cols = np.broadcast_to(np.arange(p), idx.shape)
    out[idx, cols] = phi[idx, cols]
    out[:, np.isnan(phi).all(axis=0)] = np.nan
    return out


def density(
    m: NDArray[np.bool_] | FloatArray, phi: FloatArray, *, knn: int | None = None
) -> FloatArray:
    """Density ``d_cp``; NaN for products whose proximity column is undefined or all zero."""
    mm = np.asarray(m, dtype=np.float64)
    w = _knn_mask(phi, knn) if knn is not None else phi
    valid = ~np.isnan(w).all(axis=0)
    wz = np.nan_to_num(w)
    num = mm @ wz
    den = wz.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = num / den[None, :]
    d[:, ~valid | (den == 0)] = np.nan
    return np.asarray(d, dtype=np.float64)


def coi_cog(
    m: NDArray[np.bool_] | FloatArray,
    phi: FloatArray,
    dens: FloatArray,
    q: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Raw COI (per location) and raw COG (location x product) from the raw eigenvector ``q``.

    ``q`` has one value per product (NaN for products without presence, which drop out).
    """
    mm = np.asarray(m, dtype=np.float64)
    qz = np.nan_to_num(q)
    absent = 1.0 - mm
    coi = np.nansum(dens * absent * qz[None, :], axis=1)
    wz = np.nan_to_num(phi)
    rows = wz.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.where(rows > 0, qz / rows, 0.0)
    gain = (absent * scaled[None, :]) @ wz
    cog = absent * gain
    cog[:, np.isnan(q) | (rows == 0)] = np.nan
    return coi, cog
