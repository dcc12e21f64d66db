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
(their proximity row and column are 0) and get NaN only for themselves.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray

from exportplan.errors import InputError

FloatArray = NDArray[np.float64]
ProximityKind = Literal["discrete", "asymmetric", "continuous"]
BlockedKind = Literal["discrete", "asymmetric"]

_BLOCK = 512


def proximity(
    m: NDArray[np.bool_] | FloatArray,
    *,
    kind: ProximityKind = "discrete",
    rca: FloatArray | None = None,
) -> FloatArray:
    """Product x product proximity from a location x product presence matrix.

    The diagonal is 0. A product no location has (``k_p = 0``) has no defined proximity: its
    row and column are 0, so densities and gains *of* that product come out NaN (their
    normaliser is 0) and it adds nothing to any other product's. ``kind="continuous"`` needs
    ``rca`` (the location x product RCA matrix).
    """
    mm = np.asarray(m, dtype=np.float32)  # co-occurrence counts are exact in float32 (< 2**24)
    kp = mm.sum(axis=0, dtype=np.float64)
    p = mm.shape[1]
    empty = kp == 0
    if kind == "continuous":
        if rca is None:
            raise InputError("continuous proximity needs the RCA matrix")
        r = np.nan_to_num(np.asarray(rca, dtype=np.float64))
        with np.errstate(divide="ignore", invalid="ignore"):
            phi = np.asarray((1.0 + np.corrcoef(r, rowvar=False)) / 2.0, dtype=np.float64)
        phi[~np.isfinite(phi)] = 0.0
    elif kind in ("discrete", "asymmetric"):
        cooc = mm.T @ mm
        phi = np.empty((p, p), dtype=np.float64)
        safe = np.where(empty, 1.0, kp)
        buf = np.empty((min(_BLOCK, p), p), dtype=np.float64)  # reused: no fresh pages per block
        for start in range(0, p, _BLOCK):
            stop = min(start + _BLOCK, p)
            denom = buf[: stop - start]
            if kind == "discrete":
                np.maximum(safe[start:stop, None], safe[None, :], out=denom)
            else:
                denom[:] = safe[start:stop, None]
            np.divide(cooc[start:stop], denom, out=phi[start:stop])
        del cooc, buf
    else:
        raise InputError(f"unknown proximity {kind!r}; use discrete, asymmetric or continuous")
    np.fill_diagonal(phi, 0.0)
    phi[empty, :] = 0.0
    phi[:, empty] = 0.0
    return phi


def _knn_mask(phi: FloatArray, k: int) -> FloatArray:
    """Keep, in each column ``p``, the ``k`` largest ``phi[p', p]`` (ties by position)."""
    p = phi.shape[0]
    if k < 1:
        raise InputError("knn must be at least 1")
    if k >= p - 1:
        return phi
    idx = np.argpartition(-phi, k - 1, axis=0)[:k]
    out = np.zeros_like(phi)
    cols = np.broadcast_to(np.arange(p), idx.shape)
    out[idx, cols] = phi[idx, cols]
    return out


def density(
    m: NDArray[np.bool_] | FloatArray, phi: FloatArray, *, knn: int | None = None
) -> FloatArray:
    """Density ``d_cp``; NaN for products whose proximity column is all zero."""
    mm = np.asarray(m, dtype=np.float64)
    w = _knn_mask(phi, knn) if knn is not None else phi
    den = w.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = (mm @ w) / den[None, :]
    d[:, den == 0] = np.nan
    return np.asarray(d, dtype=np.float64)


def _gain_weights(phi: FloatArray, q: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``q_p' / sum_p'' phi[p', p'']`` (0 where undefined) and the row totals."""
    rows = phi.sum(axis=1)
    qz = np.nan_to_num(q)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.where(rows > 0, qz / rows, 0.0)
    return scaled, rows


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
    absent = 1.0 - mm
    scaled, rows = _gain_weights(phi, q)
    cog = absent * ((absent * scaled[None, :]) @ phi)
    return _finish(mm, dens, q, cog, rows)


def _finish(
    mm: FloatArray, dens: FloatArray, q: FloatArray, cog: FloatArray, rows: FloatArray
) -> tuple[FloatArray, FloatArray]:
    coi = np.nansum(dens * (1.0 - mm) * np.nan_to_num(q)[None, :], axis=1)
    cog[:, np.isnan(q) | (rows == 0)] = np.nan
    return np.asarray(coi, dtype=np.float64), cog


def discrete_row_totals(m: NDArray[np.bool_] | FloatArray) -> FloatArray:
    """Row totals of the discrete proximity, ``sum_p' C_pp' / max(k_p, k_p')`` (diagonal 0),
    without forming the ``P x P`` matrix.

    Group the neighbours ``p'`` by their ubiquity ``u``: ``sum_{p': k_p' = u} C_pp'`` is
    ``(M^T (M 1_u))_p`` (exact integer counts), so the total is
    ``sum_u (M^T M 1_u)_p / max(u, k_p) - 1``, the ``- 1`` removing the self term ``k_p / k_p``.
    """
    mm = np.asarray(m, dtype=np.float64)
    kp = mm.sum(axis=0)
    levels, level_of = np.unique(kp, return_inverse=True)
    onehot = np.zeros((kp.size, levels.size))
    onehot[np.arange(kp.size), level_of] = 1.0
    by_level = mm.T @ (mm @ onehot)  # P x L: co-occurrences of p with products of ubiquity u
    with np.errstate(divide="ignore", invalid="ignore"):
        weights = 1.0 / np.maximum(levels[None, :], kp[:, None])
        totals = (by_level * np.where(np.isfinite(weights), weights, 0.0)).sum(axis=1) - 1.0
    return np.where(kp > 0, totals, 0.0)


def outlook_blocked(
    m: NDArray[np.bool_] | FloatArray,
    q: FloatArray,
    *,
    kind: BlockedKind = "discrete",
    targets: NDArray[np.bool_] | FloatArray | None = None,
    block: int = 1024,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """:func:`density` then :func:`coi_cog` without ever holding the ``P x P`` proximity matrix in float64.

    The co-occurrence counts ``C = M^T M`` are made in float32 (exact: counts < 2**24) one
    block at a time, and ``phi`` is derived from them into one reused buffer; the row totals
    COG needs come from :func:`discrete_row_totals` (or, for the asymmetric kind, from
    ``sum_p' C_pp' / k_p``). ``targets`` are the presence rows to evaluate (default ``m``
    itself; other locations are projected on ``m``'s space).
    """
    mw = np.asarray(m, dtype=np.float32)
    tm = np.asarray(m if targets is None else targets, dtype=np.float64)
    p = mw.shape[1]
    kp = mw.sum(axis=0, dtype=np.float64)
    empty = kp == 0
    recip = np.where(empty, 0.0, 1.0 / np.where(empty, 1.0, kp))
    # asymmetric: phi[p, p'] = C_pp' / k_p, and sum_p' C_pp' = (M^T k_c)_p, so a row total is
    # ((M^T k_c)_p - k_p) / k_p
    rows = (
        discrete_row_totals(m)
        if kind == "discrete"
        else (mw.T.astype(np.float64) @ mw.sum(axis=1, dtype=np.float64) - kp) * recip
    )
    width = min(block, p)
    # discrete phi is symmetric: a column block is the transpose of a (contiguous) row block;
    # the co-occurrence counts C = M^T M are made one block at a time too (float32: exact)
    shape = (width, p) if kind == "discrete" else (p, width)
    buf = np.empty(shape, dtype=np.float64)
    cbuf = np.empty(shape, dtype=np.float32)
    qz = np.nan_to_num(q)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.where(rows > 0, qz / rows, 0.0)
    absent = 1.0 - tm
    stacked_in = np.vstack([tm, absent * scaled[None, :]])
    n = tm.shape[0]
    dens = np.empty((n, p))
    gain = np.empty((n, p))
    for start in range(0, p, width):
        stop = min(start + width, p)
        idx = np.arange(start, stop)
        if kind == "discrete":  # 1 / max(k_p', k_p) = min(1 / k_p', 1 / k_p)
            counts = cbuf[: stop - start]
            np.matmul(mw[:, start:stop].T, mw, out=counts)
            rblk = buf[: stop - start]
            np.minimum(recip[start:stop, None], recip[None, :], out=rblk)
            np.multiply(rblk, counts, out=rblk)
            rblk[idx - start, idx] = 0.0  # zero diagonal
            blk = rblk.T
        else:
            counts = cbuf[:, : stop - start]
            np.matmul(mw.T, mw[:, start:stop], out=counts)
            blk = buf[:, : stop - start]
            blk[:] = recip[:, None]
            np.multiply(blk, counts, out=blk)
            blk[idx, idx - start] = 0.0  # zero diagonal
        prod = stacked_in @ blk
        den = rows[start:stop] if kind == "discrete" else blk.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            dens[:, start:stop] = prod[:n] / den[None, :]
        dens[:, start:stop][:, den == 0] = np.nan
        gain[:, start:stop] = prod[n:]
    cog = absent * gain
    coi, cog = _finish(tm, dens, q, cog, rows)
    return dens, coi, cog
