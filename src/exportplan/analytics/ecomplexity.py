"""The complexity pipeline on tidy frames, year by year, with the Growth Lab's output names.

``ecomplexity(frame, time=..., loc=..., prod=..., val=...)`` returns one row per
time x location x product of each year's rectangle, with the columns of Stata
``ecomplexity``: ``rca, mcp, diversity, ubiquity, eci, pci, density, coi, cog`` (plus ``rpop``
when a population is given, and ``in_sample``).

Conventions (docs/methods/): Stata's by default, verified on real data (tests/conformance).
Each year is computed independently. Locations with no exports and products no one exports
in a year are left out of that year and returned as missing **only for themselves**; a
location with exports but no presence (possible with RPOP or a threshold above 1) is
projected like an out-of-sample location (below). A year with fewer than two locations or
products is an error that says so.

Locations outside the sample (the Atlas filter: population and export size thresholds), and
a region inside a country in the *subnational* mode, are **projected** on the sample's
product space: RCA against the sample's world shares, presence, ECI as the mean PCI of their
products (on the sample's ECI scale, see methodology 2.5), density with the sample's
proximity, COI standardised with the sample's constants and COG scaled by the sample's ECI sd.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import numpy as np
import polars as pl
from numpy.typing import NDArray

from exportplan.analytics import complexity as cx
from exportplan.analytics import rca as rcam
from exportplan.analytics import relatedness as rel
from exportplan.errors import DuplicateRowsError, InputError

FloatArray = NDArray[np.float64]
Method = Literal["eigenvector", "reflections", "fitness"]

OUTPUT_COLUMNS = ("rca", "mcp", "diversity", "ubiquity", "eci", "pci", "density", "coi", "cog")


@dataclass(frozen=True)
class Options:
    """Every parameter of the computation, with Stata's conventions as defaults."""

    presence: rcam.Presence = "rca"
    rca_threshold: float = 1.0
    rpop_threshold: float = 1.0
    strict: bool = False
    proximity: rel.ProximityKind = "discrete"
    knn: int | None = None
    method: Method = "eigenvector"
    iterations: int = 20
    min_population: float | None = None
    min_exports: float | None = None


@dataclass
class YearModel:
    """One year's computation on the in-sample, valid sub-matrix."""

    locs: list[str]
    prods: list[str]
    x: FloatArray
    rca: FloatArray
    rpop: FloatArray | None
    m: NDArray[np.bool_]
    kc: FloatArray
    kp: FloatArray
    eci: FloatArray
    pci: FloatArray
    q: FloatArray
    mean: float
    sd: float
    phi: FloatArray | None  # None when density and COG were computed block by block
    density: FloatArray
    coi: FloatArray
    coi_mean: float
    coi_sd: float
    cog: FloatArray
    valid_loc: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    per_capita: FloatArray | None = None  # the sample's X_p / POP, for RPOP of projections

    @property
    def world_share(self) -> FloatArray:
        col = self.x.sum(axis=0)
        return np.asarray(col / col.sum(), dtype=np.float64)

    def project(
        self, x_out: FloatArray, opts: Options, population: FloatArray | None = None
    ) -> dict[str, FloatArray]:
        """Indicators of extra locations (rows of ``x_out`` over ``prods``) on this space.

        Presence follows ``opts.presence`` as for the sample: RCA against the sample's world
        shares, RPOP against the sample's exports per person (needs ``population``)."""
        x_out = np.asarray(x_out, dtype=np.float64)
        tot = x_out.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            rca = (x_out / tot[:, None]) / self.world_share[None, :]
        rca[~np.isfinite(rca)] = np.nan
        rpop = None
        if opts.presence in ("rpop", "either"):
            if population is None or self.per_capita is None:
                raise InputError("RPOP presence needs a population for every location")
            with np.errstate(divide="ignore", invalid="ignore"):
                rpop = (x_out / np.asarray(population, dtype=np.float64)[:, None]) / self.per_capita
            rpop[~np.isfinite(rpop)] = np.nan
        if opts.presence == "manual":
            m = x_out > 0
        else:
            m = np.zeros(rca.shape, dtype=bool)
            if opts.presence in ("rca", "either"):
                m |= rcam.threshold(rca, opts.rca_threshold, strict=opts.strict)
            if rpop is not None:
                m |= rcam.threshold(rpop, opts.rpop_threshold, strict=opts.strict)
        kc = m.sum(axis=1).astype(np.float64)
        pci_z = np.where(np.isnan(self.pci), 0.0, self.pci)
        with np.errstate(divide="ignore", invalid="ignore"):
            eci = (m @ pci_z) / kc
        if self.phi is None:
            dens, coi_raw, cog_raw = rel.outlook_blocked(
                self.m, self.q, kind=cast(rel.BlockedKind, opts.proximity), targets=m
            )
        else:
            dens = rel.density(m, self.phi, knn=opts.knn)
            coi_raw, cog_raw = rel.coi_cog(m, self.phi, dens, self.q)
        coi = (coi_raw - self.coi_mean) / self.coi_sd
        eci[(kc == 0) | (tot <= 0)] = np.nan
        coi[tot <= 0] = np.nan
        return {
            "rca": rca,
            **({"rpop": rpop} if rpop is not None else {}),
            "mcp": m.astype(np.float64),
            "diversity": kc,
            "eci": eci,
            "density": dens,
            "coi": coi,
            "cog": cog_raw / self.sd,
        }


def year_model(
    x: FloatArray,
    locs: Sequence[str],
    prods: Sequence[str],
    opts: Options,
    population: FloatArray | None = None,
    presence: NDArray[np.bool_] | None = None,
) -> YearModel:
    """Compute one year on a dense matrix whose rows and columns all have exports.

    ``presence``: a presence matrix decided elsewhere (the batch's exact decimal rule) used
    instead of thresholding this function's floating-point RCA."""
    if x.shape[0] < 2 or x.shape[1] < 2:
        raise InputError(
            f"complexity needs at least two locations and two products with exports in a year; "
            f"got {x.shape[0]} location(s) and {x.shape[1]} product(s)"
        )
    m, rca, rpop = rcam.presence(
        x,
        test=opts.presence,
        rca_threshold=opts.rca_threshold,
        rpop_threshold=opts.rpop_threshold,
        population=population,
        strict=opts.strict,
    )
    if presence is not None:
        if presence.shape != m.shape:
            raise InputError(f"presence matrix is {presence.shape}, the values {m.shape}")
        m = np.asarray(presence, dtype=bool)
    kc_all = m.sum(axis=1).astype(np.float64)
    kp_all = m.sum(axis=0).astype(np.float64)
    vl = kc_all > 0
    vp = kp_all > 0
    if vl.sum() < 2 or vp.sum() < 2:
        raise InputError(
            f"complexity needs at least two locations and two products with presence; "
            f"got {int(vl.sum())} location(s) and {int(vp.sum())} product(s)"
        )
    sub = m[np.ix_(vl, vp)]
    eig = cx.eigenvector(sub, long_rows=x.shape[1])
    q = np.full(x.shape[1], np.nan)
    q[vp] = eig.q
    e = np.full(x.shape[0], np.nan)
    e[vl] = eig.e
    eci = (e - eig.mean) / eig.sd
    pci = (q - eig.mean) / eig.sd
    if opts.method == "reflections":
        r_eci, r_pci = cx.reflections(sub, iterations=opts.iterations)
        eci = np.full(x.shape[0], np.nan)
        pci = np.full(x.shape[1], np.nan)
        eci[vl], pci[vp] = r_eci, r_pci
    elif opts.method == "fitness":
        fit = cx.fitness(sub)
        eci = np.full(x.shape[0], np.nan)
        pci = np.full(x.shape[1], np.nan)
        eci[vl], pci[vp] = fit.fitness, fit.complexity
    elif opts.method != "eigenvector":
        raise InputError(f"unknown method {opts.method!r}; use eigenvector, reflections or fitness")
    phi: FloatArray | None = None
    if opts.knn is None and opts.proximity in ("discrete", "asymmetric"):
        dens, coi_raw, cog_raw = rel.outlook_blocked(m, q, kind=opts.proximity)
    else:
        phi = rel.proximity(m, kind=opts.proximity, rca=rca)
        dens = rel.density(m, phi, knn=opts.knn)
        coi_raw, cog_raw = rel.coi_cog(m, phi, dens, q)
    coi_raw[~vl] = np.nan
    coi_mean, coi_sd = cx.long_sd(coi_raw, x.shape[1])
    return YearModel(
        locs=list(locs),
        prods=list(prods),
        x=x,
        rca=rca,
        rpop=rpop,
        m=m,
        kc=kc_all,
        kp=kp_all,
        eci=eci,
        pci=pci,
        q=q,
        mean=eig.mean,
        sd=eig.sd,
        phi=phi,
        density=dens,
        coi=(coi_raw - coi_mean) / coi_sd,
        coi_mean=coi_mean,
        coi_sd=coi_sd,
        cog=cog_raw / eig.sd,
        valid_loc=vl,
        per_capita=_per_capita(x, population),
    )


def _per_capita(x: FloatArray, population: FloatArray | None) -> FloatArray | None:
    """World exports of each product per person of the locations with a known population."""
    if population is None:
        return None
    pop = np.asarray(population, dtype=np.float64)
    good = np.isfinite(pop) & (pop > 0)
    if not good.any():
        return None
    return np.asarray(x[good].sum(axis=0) / pop[good].sum(), dtype=np.float64)


def _codes(labels: pl.Series, values: pl.Series) -> NDArray[np.int64]:
    """Position of each value in the sorted ``labels``; -1 where it is not among them."""
    values = values.cast(labels.dtype)
    idx = labels.search_sorted(values).to_numpy().astype(np.int64)
    idx_c = np.minimum(idx, max(len(labels) - 1, 0))
    found = (labels.gather(idx_c) == values).to_numpy() & (idx < len(labels))
    return np.where(found, idx_c, -1)


def _dense(
    frame: pl.DataFrame, loc: str, prod: str, val: str, prods: list[Any] | None = None
) -> tuple[list[Any], list[Any], FloatArray]:
    """Dense location x product matrix (sorted labels, their dtype kept) from one row per cell.

    Rows whose product is not in ``prods`` are left out; :func:`prepare` has already refused
    or summed repeated cells.
    """
    locs_s = frame.get_column(loc).unique().sort()
    if prods is None:
        prods_s = frame.get_column(prod).unique().sort()
    else:
        prods_s = pl.Series(prods, dtype=frame.schema[prod]).sort()
    li = _codes(locs_s, frame.get_column(loc))
    pi = _codes(prods_s, frame.get_column(prod))
    keep = pi >= 0
    x = np.zeros((len(locs_s), len(prods_s)))
    x[li[keep], pi[keep]] = frame.get_column(val).to_numpy()[keep]
    return locs_s.to_list(), prods_s.to_list(), x


def _duplicate_mask(df: pl.DataFrame, keys: list[str]) -> pl.Series:
    """True for rows whose key occurs more than once (integer codes: fast on millions)."""
    key: pl.Series | None = None
    for k in keys:
        col = df.get_column(k)
        code = col if col.dtype.is_integer() else col.rank("dense")
        code = code.cast(pl.Int64)
        code = code - cast(int, code.min() or 0)
        key = code if key is None else key * (cast(int, code.max() or 0) + 1) + code
    assert key is not None
    return key.is_duplicated()


def prepare(
    frame: pl.DataFrame,
    *,
    time: str | None,
    loc: str,
    prod: str,
    val: str,
    duplicates: Literal["error", "sum"] = "error",
) -> pl.DataFrame:
    """Validate the input: keys as given (text or integers), values as float, one row per cell."""
    missing = [c for c in (time, loc, prod, val) if c is not None and c not in frame.columns]
    if missing:
        raise InputError(
            f"column(s) {', '.join(missing)} not in the input; found {', '.join(frame.columns)}"
        )
    keys = [c for c in (time, loc, prod) if c is not None]
    try:
        vals = frame.get_column(val).cast(pl.Float64, strict=True)
    except pl.exceptions.InvalidOperationError as exc:
        raise InputError(f"column {val!r} has values that are not numbers") from exc
    df = frame.select(
        [pl.col(k) if frame.schema[k].is_integer() else pl.col(k).cast(pl.String) for k in keys]
    ).with_columns(vals.alias(val))
    if sum(df.null_count().row(0)):
        nulls = df.filter(pl.any_horizontal(pl.all().is_null()))
        raise InputError(
            f"{nulls.height} row(s) have an empty key or value, e.g. {nulls.row(0)}",
            hint="fill or drop them; a cell with no row counts as zero exports",
        )
    if (df.get_column(val) < 0).any():
        neg = df.filter(pl.col(val) < 0)
        raise InputError(f"{neg.height} row(s) have negative values, e.g. {neg.row(0)}")
    dup_mask = _duplicate_mask(df, keys)
    if dup_mask.any():
        dup = df.filter(dup_mask).group_by(keys, maintain_order=True).agg(pl.len().alias("_n"))
        if duplicates == "error":
            raise DuplicateRowsError(
                ", ".join(keys), [str(r[:-1]) for r in dup.head(3).iter_rows()], dup.height
            )
        df = df.group_by(keys, maintain_order=True).agg(pl.col(val).sum())
    return df


def _population_vector(
    population: pl.DataFrame | None, locs: list[Any], t: Any, time: str | None
) -> FloatArray | None:
    if population is None:
        return None
    cols = population.columns
    if "loc" not in cols or "pop" not in cols:
        raise InputError(f"population table needs columns loc, pop; found {', '.join(cols)}")
    pop = population
    if "time" in cols and t is not None:
        pop = pop.filter(pl.col("time").cast(pl.String) == str(t))
    pop = pop.group_by(pl.col("loc").cast(pl.String)).agg(pl.col("pop").cast(pl.Float64).mean())
    lookup = dict(
        zip(pop.get_column("loc").to_list(), pop.get_column("pop").to_list(), strict=True)
    )
    return np.array([lookup.get(str(c), np.nan) for c in locs], dtype=np.float64)


def ecomplexity(
    frame: pl.DataFrame,
    *,
    time: str | None,
    loc: str,
    prod: str,
    val: str,
    options: Options | None = None,
    population: pl.DataFrame | None = None,
    duplicates: Literal["error", "sum"] = "error",
    project_only: set[str] | None = None,
) -> pl.DataFrame:
    """Complexity indicators per time x location x product (Growth Lab column names).

    ``project_only``: locations that never enter the sample but are projected on it (a region
    inside a country, in the subnational mode); their rows have ``in_sample = False``.
    """
    opts = options or Options()
    df = prepare(frame, time=time, loc=loc, prod=prod, val=val, duplicates=duplicates)
    if opts.presence in ("rpop", "either") and population is None:
        raise InputError(f"presence test {opts.presence!r} needs a population table")
    periods: list[Any] = (
        df.get_column(time).unique().sort().to_list() if time is not None else [None]
    )
    parts = []
    for t in periods:
        year = df.filter(pl.col(time) == t) if time is not None else df
        locs, prods, x = _dense(year, loc, prod, val)
        pop = _population_vector(population, locs, t, time)
        parts.append(
            complexity_matrix(
                x,
                locs,
                prods,
                time_value=t,
                names=(time, loc, prod, val),
                options=opts,
                population=pop,
                project_only=project_only or set(),
            )
        )
    return pl.concat(parts, how="vertical")


def complexity_matrix(
    x: FloatArray,
    locs: list[Any],
    prods: list[Any],
    *,
    time_value: Any = None,
    names: tuple[str | None, str, str, str] = ("year", "loc", "prod", "val"),
    options: Options | None = None,
    population: FloatArray | None = None,
    project_only: set[str] | None = None,
    presence: NDArray[np.bool_] | None = None,
) -> pl.DataFrame:
    """One period's indicators from a dense location x product value matrix.

    The same computation as :func:`ecomplexity` for one period, for callers that already hold
    the matrix (for example :mod:`exportplan.ingest.matrix`, which streams a BACI file into
    it). Rows and columns without exports are returned with missing indicators.
    ``presence`` (same shape as ``x``) replaces the thresholded RCA of the sample's cells (the
    world-scale batch decides it exactly, :mod:`exportplan.analytics.batch_relational`).
    """
    opts = options or Options()
    time, loc, prod, val = names
    where = f" in {time} {time_value}" if time is not None else ""
    x = np.asarray(x, dtype=np.float64)
    if np.any(x < 0) or not np.all(np.isfinite(x)):
        raise InputError(f"export values must be finite and non-negative{where}")
    n_l, n_p = x.shape
    live_l = x.sum(axis=1) > 0
    live_p = x.sum(axis=0) > 0
    in_sample = live_l.copy()
    if opts.min_exports is not None:
        in_sample &= x.sum(axis=1) >= opts.min_exports
    if opts.min_population is not None:
        if population is None:
            raise InputError(
                "the population threshold of the sample filter needs a population table"
            )
        in_sample &= np.nan_to_num(population, nan=-1.0) > opts.min_population
    if project_only:
        in_sample &= np.array([str(c) not in project_only for c in locs])
    # products exported only by out-of-sample locations have no world share: left out
    prod_in = live_p & (x[in_sample].sum(axis=0) > 0)
    if in_sample.sum() < 2 or prod_in.sum() < 2:
        raise InputError(
            f"complexity needs at least two locations and two products with exports{where}; "
            f"got {int(in_sample.sum())} location(s) and {int(prod_in.sum())} product(s)"
        )
    rows = np.flatnonzero(in_sample)
    cols = np.flatnonzero(prod_in)
    xs = x[np.ix_(rows, cols)]
    pop_s = None if population is None else np.asarray(population, dtype=np.float64)[rows]
    pres_s = None if presence is None else np.asarray(presence, dtype=bool)[np.ix_(rows, cols)]
    model = year_model(
        xs,
        [locs[i] for i in rows],
        [prods[j] for j in cols],
        opts,
        population=pop_s,
        presence=pres_s,
    )
    full = rows.size == n_l and cols.size == n_p
    # location-level and product-level values are vectors, gathered into the long rows
    by_loc = {c: np.full(n_l, np.nan) for c in ("diversity", "eci", "coi")}
    by_loc["diversity"][rows], by_loc["eci"][rows], by_loc["coi"][rows] = (
        model.kc,
        model.eci,
        model.coi,
    )
    by_prod = {c: np.full(n_p, np.nan) for c in ("ubiquity", "pci")}
    by_prod["ubiquity"][cols], by_prod["pci"][cols] = model.kp, model.pci
    cells: dict[str, FloatArray] = {}
    fields = {"rca": model.rca, "mcp": model.m, "density": model.density, "cog": model.cog}
    if model.rpop is not None:
        fields["rpop"] = model.rpop
    for name, values in fields.items():
        if full:
            cells[name] = np.asarray(values, dtype=np.float64)
        else:
            cells[name] = np.full((n_l, n_p), np.nan)
            cells[name][np.ix_(rows, cols)] = values
    # out-of-sample locations with exports, and in-sample ones without presence: projected
    extra = np.flatnonzero((live_l & ~in_sample) | np.isin(np.arange(n_l), rows[~model.valid_loc]))
    if extra.size:
        pop_extra = None if population is None else np.asarray(population, dtype=np.float64)[extra]
        proj = model.project(x[np.ix_(extra, cols)], opts, population=pop_extra)
        for name in ("rca", "rpop", "mcp", "density", "cog"):
            if name not in proj or name not in cells:
                continue
            if full:
                cells[name] = cells[name].copy()
            cells[name][np.ix_(extra, cols)] = proj[name]
        for name in ("diversity", "eci", "coi"):
            by_loc[name][extra] = proj[name]
    sample_flag = np.zeros(n_l, dtype=bool)
    sample_flag[rows] = True
    li = np.repeat(np.arange(n_l), n_p)
    pj = np.tile(np.arange(n_p), n_l)
    data: dict[str, Any] = {}
    if time is not None:
        data[time] = pl.Series(time, [time_value]).gather(np.zeros(n_l * n_p, dtype=np.int64))
    data[loc] = pl.Series(loc, locs).gather(li)
    data[prod] = pl.Series(prod, prods).gather(pj)
    data[val] = x.ravel()
    for name in OUTPUT_COLUMNS:
        if name in cells:
            data[name] = pl.Series(name, cells[name].ravel(), nan_to_null=True)
        elif name in by_loc:
            data[name] = pl.Series(name, by_loc[name], nan_to_null=True).gather(li)
        else:
            data[name] = pl.Series(name, by_prod[name], nan_to_null=True).gather(pj)
    if "rpop" in cells:
        data["rpop"] = pl.Series("rpop", cells["rpop"].ravel(), nan_to_null=True)
    data["in_sample"] = sample_flag[li]
    res = pl.DataFrame(data)
    return res.with_columns(
        pl.col("mcp").cast(pl.Int8),
        pl.col("diversity").cast(pl.Int32),
        pl.col("ubiquity").cast(pl.Int32),
    )


def proximity_table(
    frame: pl.DataFrame,
    *,
    time: str | None,
    loc: str,
    prod: str,
    val: str,
    options: Options | None = None,
    duplicates: Literal["error", "sum"] = "error",
) -> pl.DataFrame:
    """Product x product proximity per year, long: ``time, prod_1, prod_2, proximity``."""
    opts = options or Options()
    df = prepare(frame, time=time, loc=loc, prod=prod, val=val, duplicates=duplicates)
    periods: list[str | None] = (
        df.get_column(time).unique().sort().to_list() if time is not None else [None]
    )
    parts = []
    for t in periods:
        year = df.filter(pl.col(time) == t) if time is not None else df
        year = year.filter(pl.col(val) > 0)
        locs, prods, x = _dense(year, loc, prod, val)
        if len(locs) < 2 or len(prods) < 2:
            raise InputError("proximity needs at least two locations and two products with exports")
        m, rca, _ = rcam.presence(x, rca_threshold=opts.rca_threshold, strict=opts.strict)
        phi = rel.proximity(m, kind=opts.proximity, rca=rca)
        undefined = m.sum(axis=0) == 0  # no proximity is defined for these products
        phi[undefined, :] = np.nan
        phi[:, undefined] = np.nan
        np.fill_diagonal(phi, 0.0)
        n = len(prods)
        part = pl.DataFrame(
            {
                f"{prod}_1": pl.Series(prods).gather(np.repeat(np.arange(n), n)),
                f"{prod}_2": pl.Series(prods).gather(np.tile(np.arange(n), n)),
                "proximity": phi.ravel(),
            }
        ).with_columns(pl.col("proximity").fill_nan(None))
        if time is not None:
            part = part.select(pl.lit(pl.Series(time, [t])).first().alias(time), pl.all())
        parts.append(part)
    return pl.concat(parts, how="vertical")
