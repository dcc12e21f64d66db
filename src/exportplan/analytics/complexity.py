"""Economic and product complexity: eigenvector (default), reflections, fitness.

Eigenvector method (Hidalgo & Hausmann 2009; Hausmann, Hidalgo et al. 2014), with the
conventions of the Growth Lab's Stata ``ecomplexity`` (``ecipci.ado``), verified on real 1995
data to 1e-14 (tests/conformance):

* ``q`` is the eigenvector of the second-largest eigenvalue of
  ``Mtilde_P[p,p'] = sum_c M_cp M_cp' / (k_p k_c)``, scaled to unit length;
* the raw location score is the mean of ``q`` over the location's products,
  ``e_c = sum_p M_cp q_p / k_c``;
* the sign makes ``e`` correlate positively with diversity (``+1`` when the correlation is
  > 0, else ``-1``, never 0; see :func:`orientation` for the degenerate case);
* ECI and PCI are both standardised with the mean of ``e`` and the *sample* sd over the long
  location x product rows (Stata's ``summarize`` on the rectangular file: ``N = C*P - 1``).

We do not form the non-symmetric ``P x P`` matrix: with ``A = D_c^{-1/2} M D_p^{-1/2}``,
``Mtilde_P = D_p^{-1/2} (A^T A) D_p^{1/2}``, so ``q`` is ``D_p^{-1/2} v`` for the right
singular vector ``v`` of ``A``; we get it from the ``C x C`` symmetric matrix ``A A^T`` (the
smaller side). This is exact, not an approximation.

Method of reflections (Hidalgo & Hausmann 2009), as Datawheel's ``economic-complexity``:
country order ``iterations-2`` and product order ``iterations-1`` (default 20), each z-scored
with its own mean and sample sd.

Fitness-Complexity (Tacchella et al. 2012, Sci. Rep. 2:723), map as in Stata
``pietronero.ado`` and R ``economiccomplexity``; we stop when the Spearman rank correlation of
successive fitness vectors exceeds ``1 - 1e-9`` or after 200 iterations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from exportplan.errors import InputError

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class EigenComplexity:
    """Result of the eigenvector method on the valid sub-matrix (``k_c > 0``, ``k_p > 0``).

    ``q`` is the raw, unit-length, sign-fixed product eigenvector; ``e`` the raw location
    score; ``mean`` and ``sd`` the standardisation constants (ECI's) applied to both.
    """

    eci: FloatArray
    pci: FloatArray
    e: FloatArray
    q: FloatArray
    mean: float
    sd: float
    eigenvalue: float


def _check_binary(m: NDArray[np.bool_] | FloatArray) -> FloatArray:
    mm = np.asarray(m, dtype=np.float64)
    if mm.ndim != 2:
        raise InputError("complexity needs a 2-D location x product presence matrix")
    if mm.shape[0] < 2 or mm.shape[1] < 2:
        raise InputError(
            f"complexity needs at least two locations and two products with exports; "
            f"got {mm.shape[0]} location(s) and {mm.shape[1]} product(s)"
        )
    if np.any((mm != 0) & (mm != 1)):
        raise InputError("presence matrix must hold only 0 and 1")
    return mm


def long_sd(values: FloatArray, repeat: int) -> tuple[float, float]:
    """Mean and sample sd of ``values`` each repeated ``repeat`` times (Stata's long file).

    NaN values are left out, as ``summarize`` does.
    """
    v = values[np.isfinite(values)]
    n = v.size * repeat
    if n < 2:
        return float("nan"), float("nan")
    mu = float(v.mean())
    var = float(((v - mu) ** 2).sum() * repeat / (n - 1))
    return mu, float(np.sqrt(var))


_UNDEFINED = 1e-12


def _corr(a: FloatArray, b: FloatArray) -> float:
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def orientation(kc: FloatArray, kp: FloatArray, e: FloatArray, q: FloatArray) -> float:
    """Sign of the eigenvector: ``+1`` when ECI correlates positively with diversity (Stata).

    Stata's rule is undefined when every location has the same diversity (or the correlation
    is 0, up to rounding: ``|r| <= 1e-12``); then PCI must correlate negatively with ubiquity, and failing that the
    skew of ``q`` is made positive, so the result never depends on the eigen-solver.
    """
    r = _corr(kc, e)
    if np.isfinite(r) and abs(r) > _UNDEFINED:
        return 1.0 if r > 0 else -1.0
    r = _corr(kp, q)
    if np.isfinite(r) and abs(r) > _UNDEFINED:
        return -1.0 if r > 0 else 1.0
    return 1.0 if float(np.sum(q**3)) >= 0 else -1.0


def eigenvector(
    m: NDArray[np.bool_] | FloatArray, *, long_rows: int | None = None
) -> EigenComplexity:
    """ECI/PCI by the eigenvector method on a presence matrix with no empty rows or columns.

    ``long_rows``: the number of product columns of the rectangular long file used for the
    standardisation (defaults to the number of products of ``m``).
    """
    mm = _check_binary(m)
    kc = mm.sum(axis=1)
    kp = mm.sum(axis=0)
    if np.any(kc == 0) or np.any(kp == 0):
        raise InputError("eigenvector method needs every location and product to have presence")
    a = mm / np.sqrt(kc)[:, None] / np.sqrt(kp)[None, :]
    gram = a @ a.T  # C x C, symmetric, largest eigenvalue 1
    w, u = np.linalg.eigh(gram)
    if w.size < 2:
        raise InputError("complexity needs at least two locations")
    u2 = u[:, -2]
    s2 = np.sqrt(max(w[-2], 0.0))
    if s2 == 0:
        raise InputError("the presence matrix has no second eigenvalue (it is degenerate)")
    v = a.T @ u2 / s2
    q = v / np.sqrt(kp)
    q /= np.linalg.norm(q)
    e = (mm @ q) / kc
    sign = orientation(kc, kp, e, q)
    q *= sign
    e *= sign
    mu, sd = long_sd(e, long_rows if long_rows is not None else mm.shape[1])
    return EigenComplexity(
        eci=(e - mu) / sd, pci=(q - mu) / sd, e=e, q=q, mean=mu, sd=sd, eigenvalue=float(w[-2])
    )


def _zscore(v: FloatArray) -> FloatArray:
    return np.asarray((v - v.mean()) / v.std(ddof=1), dtype=np.float64)


def reflections(
    m: NDArray[np.bool_] | FloatArray, *, iterations: int = 20
) -> tuple[FloatArray, FloatArray]:
    """Method of reflections: ``(eci, pci)``, each z-scored with its own mean and sample sd.

    ``iterations`` is made even (as R ``economiccomplexity``); ECI is the location vector of
    order ``iterations - 2``, PCI the product vector of order ``iterations - 1``.
    """
    mm = _check_binary(m)
    if iterations < 4:
        raise InputError("reflections need at least 4 iterations")
    iterations += iterations % 2
    kc0 = mm.sum(axis=1)
    kp0 = mm.sum(axis=0)
    if np.any(kc0 == 0) or np.any(kp0 == 0):
        raise InputError("reflections need every location and product to have presence")
    kc, kp = kc0.copy(), kp0.copy()
    orders_c = [kc0]
    orders_p = [kp0]
    for _ in range(1, iterations):
        kc, kp = (mm @ kp) / kc0, (mm.T @ kc) / kp0
        orders_c.append(kc)
        orders_p.append(kp)
    return _zscore(orders_c[iterations - 2]), _zscore(orders_p[iterations - 1])


def _ranks(v: FloatArray) -> FloatArray:
    order = np.argsort(v, kind="stable")
    r = np.empty_like(v)
    r[order] = np.arange(v.size, dtype=np.float64)
    return r


@dataclass(frozen=True)
class FitnessResult:
    fitness: FloatArray
    complexity: FloatArray
    iterations: int


def fitness(
    m: NDArray[np.bool_] | FloatArray, *, max_iterations: int = 200, tolerance: float = 1e-9
) -> FitnessResult:
    """Fitness-Complexity map; returns fitness ``F`` (mean 1) and complexity ``Q`` (mean 1).

    Both updates use the previous iterate. Stops when the Spearman correlation of successive
    ``F`` exceeds ``1 - tolerance`` (checked from iteration 2) or at ``max_iterations``.
    """
    mm = _check_binary(m)
    f = np.ones(mm.shape[0])
    q = np.ones(mm.shape[1])
    prev_rank = _ranks(f)
    it = 0
    for it in range(1, max_iterations + 1):
        f_new = mm @ q
        with np.errstate(divide="ignore"):
            q_new = 1.0 / (mm.T @ (1.0 / f))
        f = f_new / f_new.mean()
        q = q_new / q_new.mean()
        rank = _ranks(f)
        if it > 1 and np.corrcoef(rank, prev_rank)[0, 1] > 1 - tolerance:
            break
        prev_rank = rank
    return FitnessResult(fitness=f, complexity=q, iterations=it)
