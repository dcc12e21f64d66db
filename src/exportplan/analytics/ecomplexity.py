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
from typing import Literal

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
    phi: FloatArray
    density: FloatArray
    coi: FloatArray
    coi_mean: float
    coi_sd: float
    cog: FloatArray
    valid_loc: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))

    @property
    def world_share(self) -> FloatArray:
        col = self.x.sum(axis=0)
        return np.asarray(col / col.sum(), dtype=np.float64)

    def project(self, x_out: FloatArray, opts: Options) -> dict[str, FloatArray]:
        """Indicators of extra locations (rows of ``x_out`` over ``prods``) on this space."""
        x_out = np.asarray(x_out, dtype=np.float64)
        tot = x_out.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            rca = (x_out / tot[:, None]) / self.world_share[None, :]
        rca[~np.isfinite(rca)] = np.nan
        m = rcam.threshold(rca, opts.rca_threshold, strict=opts.strict)
        kc = m.sum(axis=1).astype(np.float64)
        pci_z = np.where(np.isnan(self.pci), 0.0, self.pci)
        with np.errstate(divide="ignore", invalid="ignore"):
            eci = (m @ pci_z) / kc
        dens = rel.density(m, self.phi, knn=opts.knn)
        coi_raw, cog_raw = rel.coi_cog(m, self.phi, dens, self.q)
        coi = (coi_raw - self.coi_mean) / self.coi_sd
        eci[(kc == 0) | (tot <= 0)] = np.nan
        coi[tot <= 0] = np.nan
        return {
            "rca": rca,
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
) -> YearModel:
    """Compute one year on a dense matrix whose rows and columns all have exports."""
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
    )


def _dense(
    frame: pl.DataFrame, loc: str, prod: str, val: str, prods: list[str] | None = None
) -> tuple[list[str], list[str], FloatArray]:
    """Dense location x product matrix (sorted labels) from a frame with one row per cell."""
    locs_s = frame.get_column(loc).unique().sort()
    prods_s = pl.Series(prods) if prods is not None else frame.get_column(prod).unique().sort()
    li = (
        frame.select(pl.col(loc).cast(pl.String))
        .to_series()
        .replace_strict(
            locs_s.cast(pl.String), pl.int_range(len(locs_s), eager=True), return_dtype=pl.Int64
        )
    )
    pi = (
        frame.select(pl.col(prod).cast(pl.String))
        .to_series()
        .replace_strict(
            prods_s.cast(pl.String),
            pl.int_range(len(prods_s), eager=True),
            default=-1,
            return_dtype=pl.Int64,
        )
    )
    keep = (pi >= 0).to_numpy()
    x = np.zeros((len(locs_s), len(prods_s)))
    x[li.to_numpy()[keep], pi.to_numpy()[keep]] = frame.get_column(val).to_numpy()[keep]
    return locs_s.cast(pl.String).to_list(), prods_s.cast(pl.String).to_list(), x


def prepare(
    frame: pl.DataFrame,
    *,
    time: str | None,
    loc: str,
    prod: str,
    val: str,
    duplicates: Literal["error", "sum"] = "error",
) -> pl.DataFrame:
    """Validate and normalise the input: keys as text, values as float, one row per cell."""
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
    df = frame.select([pl.col(k).cast(pl.String) for k in keys]).with_columns(vals.alias(val))
    nulls = df.filter(pl.any_horizontal(pl.all().is_null()))
    if nulls.height:
        raise InputError(
            f"{nulls.height} row(s) have an empty key or value, e.g. {nulls.row(0)}",
            hint="fill or drop them; a cell with no row counts as zero exports",
        )
    neg = df.filter(pl.col(val) < 0)
    if neg.height:
        raise InputError(f"{neg.height} row(s) have negative values, e.g. {neg.row(0)}")
    dup = df.group_by(keys).agg(pl.len().alias("_n")).filter(pl.col("_n") > 1)
    if dup.height:
        if duplicates == "error":
            raise DuplicateRowsError(
                ", ".join(keys), [str(r[:-1]) for r in dup.head(3).iter_rows()], dup.height
            )
        df = df.group_by(keys).agg(pl.col(val).sum())
    return df


def _population_vector(
    population: pl.DataFrame | None, locs: list[str], t: str | None, time: str | None
) -> FloatArray | None:
    if population is None:
        return None
    cols = population.columns
    if "loc" not in cols or "pop" not in cols:
        raise InputError(f"population table needs columns loc, pop; found {', '.join(cols)}")
    pop = population
    if "time" in cols and t is not None:
        pop = pop.filter(pl.col("time").cast(pl.String) == t)
    pop = pop.group_by(pl.col("loc").cast(pl.String)).agg(pl.col("pop").cast(pl.Float64).mean())
    lookup = dict(
        zip(pop.get_column("loc").to_list(), pop.get_column("pop").to_list(), strict=True)
    )
    return np.array([lookup.get(c, np.nan) for c in locs], dtype=np.float64)


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
    periods: list[str | None] = (
        df.get_column(time).unique().sort().to_list() if time is not None else [None]
    )
    parts = []
    for t in periods:
        year = df.filter(pl.col(time) == t) if time is not None else df
        parts.append(
            _one_year(
                year,
                t,
                time=time,
                loc=loc,
                prod=prod,
                val=val,
                opts=opts,
                population=population,
                project_only=project_only or set(),
            )
        )
    return pl.concat(parts, how="vertical")


def _one_year(
    year: pl.DataFrame,
    t: str | None,
    *,
    time: str | None,
    loc: str,
    prod: str,
    val: str,
    opts: Options,
    population: pl.DataFrame | None,
    project_only: set[str],
) -> pl.DataFrame:
    where = f" in {time} {t}" if time is not None else ""
    loc_tot = year.group_by(loc).agg(pl.col(val).sum().alias("_tot"))
    prod_tot = year.group_by(prod).agg(pl.col(val).sum().alias("_tot"))
    all_locs = loc_tot.get_column(loc).sort().to_list()
    all_prods = prod_tot.get_column(prod).sort().to_list()
    live_prods = prod_tot.filter(pl.col("_tot") > 0).get_column(prod).sort().to_list()
    live_locs = loc_tot.filter(pl.col("_tot") > 0).get_column(loc).sort().to_list()
    pop_all = _population_vector(population, live_locs, t, time)
    in_sample = np.ones(len(live_locs), dtype=bool)
    if opts.min_population is not None or opts.min_exports is not None:
        tot = dict(
            zip(
                loc_tot.get_column(loc).to_list(), loc_tot.get_column("_tot").to_list(), strict=True
            )
        )
        if opts.min_exports is not None:
            in_sample &= np.array([tot[c] >= opts.min_exports for c in live_locs])
        if opts.min_population is not None:
            if pop_all is None:
                raise InputError(
                    "the population threshold of the sample filter needs a population table"
                )
            in_sample &= np.nan_to_num(pop_all, nan=-1.0) > opts.min_population
    if project_only:
        in_sample &= np.array([c not in project_only for c in live_locs])
    sample_locs = [c for c, keep in zip(live_locs, in_sample, strict=True) if keep]
    if len(sample_locs) < 2 or len(live_prods) < 2:
        raise InputError(
            f"complexity needs at least two locations and two products with exports{where}; "
            f"got {len(sample_locs)} location(s) and {len(live_prods)} product(s)"
        )
    live = year.filter(pl.col(val) > 0)
    sample_frame = live.filter(pl.col(loc).is_in(sample_locs))
    s_locs, s_prods, xs = _dense(sample_frame, loc, prod, val, prods=live_prods)
    # products exported only by out-of-sample locations have no world share: drop them here
    keep_p = xs.sum(axis=0) > 0
    if not keep_p.all():
        s_prods = [p for p, k in zip(s_prods, keep_p, strict=True) if k]
        xs = xs[:, keep_p]
    pop_s = None if pop_all is None else pop_all[in_sample]
    model = year_model(xs, s_locs, s_prods, opts, population=pop_s)

    n_l, n_p = len(all_locs), len(all_prods)
    out = {c: np.full((n_l, n_p), np.nan) for c in (*OUTPUT_COLUMNS, "rpop")}
    li = {c: i for i, c in enumerate(all_locs)}
    pj = _index(all_prods, s_prods)
    rows = np.array([li[c] for c in s_locs])
    grid = np.ix_(rows, pj)
    out["rca"][grid] = model.rca
    out["mcp"][grid] = model.m
    out["density"][grid] = model.density
    out["cog"][grid] = model.cog
    if model.rpop is not None:
        out["rpop"][grid] = model.rpop
    out["diversity"][grid] = model.kc[:, None]
    out["eci"][grid] = model.eci[:, None]
    out["coi"][grid] = model.coi[:, None]
    out["ubiquity"][grid] = model.kp[None, :]
    out["pci"][grid] = model.pci[None, :]
    # locations with exports but no presence, and out-of-sample locations: projected
    extra = [c for c in live_locs if c not in set(s_locs) or not model.valid_loc[s_locs.index(c)]]
    if extra:
        _, _, xo = _dense(live.filter(pl.col(loc).is_in(extra)), loc, prod, val, prods=s_prods)
        proj = model.project(xo, opts)
        erows = np.array([li[c] for c in sorted(extra)])
        egrid = np.ix_(erows, pj)
        for name in ("rca", "mcp", "density", "cog"):
            out[name][egrid] = proj[name]
        for name in ("diversity", "eci", "coi"):
            out[name][egrid] = proj[name][:, None]
        out["ubiquity"][egrid] = model.kp[None, :]
        out["pci"][egrid] = model.pci[None, :]
    _, _, values = _dense(year, loc, prod, val, prods=all_prods)
    sample_flag = np.zeros(n_l, dtype=bool)
    sample_flag[rows] = True
    cols: dict[str, object] = {}
    if time is not None:
        cols[time] = pl.Series(time, [t], dtype=pl.String).extend_constant(t, n_l * n_p - 1)
    cols[loc] = pl.Series(loc, all_locs, dtype=pl.String).gather(np.repeat(np.arange(n_l), n_p))
    cols[prod] = pl.Series(prod, all_prods, dtype=pl.String).gather(np.tile(np.arange(n_p), n_l))
    cols[val] = values.ravel()
    for name in OUTPUT_COLUMNS:
        cols[name] = out[name].ravel()
    if model.rpop is not None:
        cols["rpop"] = out["rpop"].ravel()
    cols["in_sample"] = np.repeat(sample_flag, n_p)
    res = pl.DataFrame(cols).with_columns(pl.col(pl.Float64).fill_nan(None))
    return res.with_columns(
        pl.col("mcp").cast(pl.Int8),
        pl.col("diversity").cast(pl.Int32),
        pl.col("ubiquity").cast(pl.Int32),
    ).with_columns(pl.col(val).fill_null(0.0))


def _index(universe: list[str], items: list[str]) -> NDArray[np.int64]:
    pos = {p: i for i, p in enumerate(universe)}
    return np.array([pos[p] for p in items], dtype=np.int64)


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
        n = len(prods)
        part = pl.DataFrame(
            {
                f"{prod}_1": pl.Series(prods).gather(np.repeat(np.arange(n), n)),
                f"{prod}_2": pl.Series(prods).gather(np.tile(np.arange(n), n)),
                "proximity": phi.ravel(),
            }
        ).with_columns(pl.col("proximity").fill_nan(None))
        if time is not None:
            part = part.select(pl.lit(t, dtype=pl.String).alias(time), pl.all())
        parts.append(part)
    return pl.concat(parts, how="vertical")
