"""Warnings where a complexity number is fragile: an inverted ordering, an unstable eigenvector,
an ECI resting on few products (docs/methods/fragility.md).

Read from a finished complexity table (the columns of :func:`exportplan.analytics.ecomplexity.
ecomplexity`), so the engine's numbers are untouched and a cached table can be checked too.

* **Inverted ordering.** ECI should rise with diversity and PCI fall with ubiquity (Hidalgo &
  Hausmann 2009: complex products are made by few, diversified places). The engine fixes the
  sign by the first rule; among few locations the second can still fail (PCI rising with
  ubiquity), and then the product ranking is the reverse of what the method means.
* **Unstable eigenvector.** ECI and PCI are the eigenvector of the second eigenvalue ``l2`` of
  ``Mtilde``; when the third ``l3`` is close, a small change of the data can rotate that
  eigenvector into the third one (Davis-Kahan: the angle is bounded by the perturbation over the
  gap), so the ordering is unstable. We report ``gap = (l2 - l3) / l2``.
* **Few products.** A location's ECI is the mean PCI of its products; with three products it is
  the mean of three numbers and can leave the range of every country.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from exportplan.i18n import Lang, warning_text

FloatArray = NDArray[np.float64]

#: relative eigenvalue gap ``(l2 - l3) / l2`` below which the ordering is called unstable
MIN_RELATIVE_GAP = 0.1
#: a correlation within this of 0 has no sign (rounding of an exactly symmetric case)
_NO_SIGN = 1e-9


@dataclass(frozen=True)
class YearDiagnostics:
    """How trustworthy one year's ECI/PCI ordering is, on the in-sample locations."""

    year: Any
    n_locations: int
    n_products: int
    corr_eci_diversity: float  # should be positive
    corr_pci_ubiquity: float  # should be negative
    eigenvalue_2: float
    eigenvalue_3: float

    @property
    def relative_gap(self) -> float:
        """``(l2 - l3) / l2``: small means the second eigenvector is nearly degenerate."""
        if not self.eigenvalue_2 > 0:
            return float("nan")
        return (self.eigenvalue_2 - self.eigenvalue_3) / self.eigenvalue_2

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "relative_gap": self.relative_gap}


@dataclass(frozen=True)
class ComplexityWarning:
    """A typed warning: a code, the year (if any), and the figures behind it."""

    code: str
    year: Any
    template: str  # English text with {placeholders} filled from ``figures``
    figures: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: Lang = "en") -> str:
        return warning_text(self.template, lang, year=self.year, **self.figures)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "year": self.year,
            "message": self.message("en"),
            "message_fa": self.message("fa"),
            "figures": self.figures,
        }


def _corr(a: FloatArray, b: FloatArray) -> float:
    if a.size < 2 or a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def eigenvalues(m: NDArray[np.bool_] | FloatArray) -> FloatArray:
    """Eigenvalues of ``Mtilde = D_c^-1 M D_p^-1 M^T`` (largest first; the first is 1), from
    the smaller symmetric side ``A A^T`` or ``A^T A`` with ``A = D_c^-1/2 M D_p^-1/2``."""
    mm = np.asarray(m, dtype=np.float64)
    kc = mm.sum(axis=1)
    kp = mm.sum(axis=0)
    mm = mm[kc > 0][:, kp > 0]
    a = mm / np.sqrt(mm.sum(axis=1))[:, None] / np.sqrt(mm.sum(axis=0))[None, :]
    gram = a @ a.T if a.shape[0] <= a.shape[1] else a.T @ a
    return np.asarray(np.linalg.eigvalsh(gram)[::-1], dtype=np.float64)


def diagnose(
    m: NDArray[np.bool_] | FloatArray, eci: FloatArray, pci: FloatArray, *, year: Any = None
) -> YearDiagnostics:
    """Diagnostics of one year from the in-sample presence matrix and its ECI and PCI."""
    mm = np.asarray(m, dtype=np.float64)
    kc = mm.sum(axis=1)
    kp = mm.sum(axis=0)
    lc = (kc > 0) & np.isfinite(eci)
    lp = (kp > 0) & np.isfinite(pci)
    w = eigenvalues(mm)
    return YearDiagnostics(
        year=year,
        n_locations=int(lc.sum()),
        n_products=int(lp.sum()),
        corr_eci_diversity=_corr(kc[lc], np.asarray(eci, dtype=np.float64)[lc]),
        corr_pci_ubiquity=_corr(kp[lp], np.asarray(pci, dtype=np.float64)[lp]),
        eigenvalue_2=float(w[1]) if w.size > 1 else float("nan"),
        eigenvalue_3=float(w[2]) if w.size > 2 else 0.0,
    )


def diagnostics(
    result: pl.DataFrame, *, time: str | None, loc: str, prod: str
) -> list[YearDiagnostics]:
    """One :class:`YearDiagnostics` per year of a complexity table, on its in-sample rows."""
    rows = result.filter(pl.col("in_sample")) if "in_sample" in result.columns else result
    periods: list[Any] = (
        rows.get_column(time).unique().sort().to_list() if time is not None else [None]
    )
    out = []
    for t in periods:
        year = rows.filter(pl.col(time) == t) if time is not None else rows
        year = year.filter(
            pl.col("diversity").fill_null(0) > 0, pl.col("ubiquity").fill_null(0) > 0
        )
        locs = year.get_column(loc).unique().sort()
        prods = year.get_column(prod).unique().sort()
        li = locs.search_sorted(year.get_column(loc)).to_numpy()
        pj = prods.search_sorted(year.get_column(prod)).to_numpy()
        m = np.zeros((len(locs), len(prods)))
        m[li, pj] = year.get_column("mcp").fill_null(0).to_numpy()
        eci = np.full(len(locs), np.nan)
        eci[li] = year.get_column("eci").fill_null(np.nan).to_numpy()
        pci = np.full(len(prods), np.nan)
        pci[pj] = year.get_column("pci").fill_null(np.nan).to_numpy()
        if m.sum() == 0 or min(m.shape) < 2:
            continue
        out.append(diagnose(m, eci, pci, year=t))
    return out


def _r(v: float) -> float:
    return round(v, 4) if math.isfinite(v) else v


def warnings_of(
    diag: YearDiagnostics, *, min_relative_gap: float = MIN_RELATIVE_GAP
) -> list[ComplexityWarning]:
    """The warnings a year's diagnostics call for (none for a sound year)."""
    out = []
    figures = {"n_locations": diag.n_locations, "n_products": diag.n_products}
    if diag.corr_pci_ubiquity > _NO_SIGN:
        out.append(
            ComplexityWarning(
                "inverted-pci",
                diag.year,
                "{year}: PCI does not fall with ubiquity (correlation {corr_pci_ubiquity}; it should be "
                "negative) among {n_locations} locations: the product ranking is inverted, "
                "do not read high PCI as complex",
                {**figures, "corr_pci_ubiquity": _r(diag.corr_pci_ubiquity)},
            )
        )
    if diag.corr_eci_diversity < -_NO_SIGN:
        out.append(
            ComplexityWarning(
                "inverted-eci",
                diag.year,
                "{year}: ECI does not rise with diversity (correlation {corr_eci_diversity}; it should "
                "be positive) among {n_locations} locations: the location ranking is inverted",
                {**figures, "corr_eci_diversity": _r(diag.corr_eci_diversity)},
            )
        )
    gap = diag.relative_gap
    if math.isfinite(gap) and gap < min_relative_gap:
        out.append(
            ComplexityWarning(
                "small-eigengap",
                diag.year,
                "{year}: the second and third eigenvalues are close ({eigenvalue_2} and "
                "{eigenvalue_3}, relative gap {relative_gap} < {min_relative_gap}): the ECI/PCI "
                "ordering is unstable, a small change of the data can reorder it",
                {
                    **figures,
                    "eigenvalue_2": _r(diag.eigenvalue_2),
                    "eigenvalue_3": _r(diag.eigenvalue_3),
                    "relative_gap": _r(gap),
                    "min_relative_gap": min_relative_gap,
                },
            )
        )
    return out


def products_behind(result: pl.DataFrame, *, time: str | None, loc: str) -> pl.DataFrame:
    """``n_products`` per (time,) location: its products with presence and a PCI, the numbers
    its ECI is the mean of."""
    keys = [c for c in (time, loc) if c is not None]
    return result.group_by(keys).agg(
        ((pl.col("mcp").fill_null(0) > 0) & pl.col("pci").is_not_null())
        .sum()
        .cast(pl.Int32)
        .alias("n_products")
    )


def few_products(
    result: pl.DataFrame,
    *,
    time: str | None,
    loc: str,
    minimum: int,
    regions: set[str] | None = None,
) -> list[ComplexityWarning]:
    """Warnings for ECIs resting on fewer than ``minimum`` products (``result`` must hold
    ``n_products``): one per region-year for the ``regions`` and for every location outside
    the sample (projected), one per year naming the other locations."""
    keys = [c for c in (time, loc) if c is not None]
    cols = [*keys, "eci", "n_products", *(["in_sample"] if "in_sample" in result.columns else [])]
    per = (
        result.select(cols)
        .unique(subset=keys)
        .filter(pl.col("eci").is_not_null(), pl.col("n_products") < minimum)
    )
    per = per.sort(keys)
    out: list[ComplexityWarning] = []
    others: dict[Any, list[str]] = {}
    for row in per.iter_rows(named=True):
        t = row[time] if time is not None else None
        projected = "in_sample" in row and not row["in_sample"]
        if (regions and row[loc] in regions) or projected:
            out.append(
                ComplexityWarning(
                    "few-products",
                    t,
                    "{year}: the ECI of {loc} ({eci}) rests on {n_products} product(s), fewer "
                    "than {minimum}: it is the mean PCI of so few products that it can be "
                    "extreme; do not rank it",
                    {
                        "loc": row[loc],
                        "eci": _r(float(row["eci"])),
                        "n_products": int(row["n_products"]),
                        "minimum": minimum,
                    },
                )
            )
        else:
            others.setdefault(t, []).append(str(row[loc]))
    for t, locs in others.items():
        out.append(
            ComplexityWarning(
                "few-products-locations",
                t,
                "{year}: {count} location(s) have an ECI on fewer than {minimum} products: "
                "{locations}",
                {"count": len(locs), "minimum": minimum, "locations": locs},
            )
        )
    return out
