"""Export potential of a region: supply x demand x ease of trade, and rankings over it.

The structure follows ITC's Export Potential Map as far as it is public (methodology section 7;
the primary paper was not found). For product ``k`` and market ``j``::

    potential_kj = supply_k * demand_kj * ease_kj                       (USD a year)
    supply_k     = share_k * min(1, max(x_k, region_k) / m_k) * global_tariff_k
    share_k      = region's exports of k / world exports of k, or with projections ITC's
                   projected share region_k * gdp_home / sum_i(v_ik * gdp_i)
    global_tariff_k = ((1 + tbar_k) / (1 + tbar_rk)) ** sigma   with tariffs: the world's
                   import-weighted tariff on k over the one the region faces (the markets
                   in the file, weighted by their imports of k); 1 otherwise
    demand_kj    = imports_kj * growth_kj * tariff_kj
    growth_kj    = (gdp_j / pop_j) ** elasticity * pop_j      with the user's projections, else
                   (1 + clip(w * trend_kj, -cap, cap)) ** horizon  the market's own trend,
                   shrunk by the weight w (default 0: no growth; see docs/opportunities.md)
    tariff_kj    = ((1 + competitor_tariff_kj) / (1 + tariff_kj)) ** sigma   when tariffs are given
    ease_kj      = ease_trade_j * distance_kj
    ease_trade_j = actual exports to j / sum_k(share_k * imports_kj)   (actual over expected),
                   of the region (its own shares and trade) or of the home country, one basis
                   for the whole table; 0 where the expected trade is under one cent
                   (MIN_EXPECTED_USD: a ratio over nothing says nothing)
    distance_kj  = exp(-max(0, ln km_j - ln supplier_km_kj))     one-sided (our default), or
                   exp(-|ln km_j - ln supplier_km_kj|)            symmetric (the replication's)

``x_k``/``m_k`` are the home country's exports and imports of ``k`` (a region's customs files
hold its exports only); the country is taken to export at least what its region does.
``supplier_km_kj`` is the import-weighted geometric mean distance of ``j``'s other suppliers of
``k``. Untapped potential = potential - actual; realised = actual / potential. Every term is a
column, so a rank can be explained.

Pure functions on polars frames; no I/O. The service (:mod:`exportplan.services.opportunities`)
builds the inputs from the warehouse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import polars as pl

from exportplan.errors import InputError

Distance = Literal["one-sided", "symmetric", "none"]
EaseBasis = Literal["auto", "region", "country"]

#: ranking factors: name -> (column, higher is better); weights are given on these names
FACTORS: dict[str, str] = {
    "untapped": "untapped_pos_usd",
    "size": "imports_usd",
    "growth": "growth_pa",
    "ease": "ease_trade",
    "distance": "distance_factor",
    "tariff": "tariff_factor",
    "competition": "openness",
}
DEFAULT_WEIGHTS: dict[str, float] = {"untapped": 1.0}


@dataclass(frozen=True)
class PotentialOptions:
    """Parameters of the potential; every one is shown with the results."""

    horizon: int = 5  # years the demand is projected forward
    growth_cap: float = 0.15  # |trend| per year is clipped to this (market trends are noisy)
    elasticity: float = 1.0  # income elasticity of per-capita imports (with projections)
    sigma: float = 1.0  # exponent of the tariff ratio (1 reproduces the replication)
    distance: Distance = "one-sided"
    # one basis for every row; "auto" is resolved per ranking by the service (the region's
    # ratio for products in a market it sells to, else the country's; docs/opportunities.md)
    ease_basis: EaseBasis = "auto"
    trend_weight: float = 0.0  # weight on the market's own trend without projections (0: none)

    def check(self) -> None:
        if self.horizon < 0 or self.horizon > 20:
            raise InputError(f"horizon must be 0-20 years; got {self.horizon}")
        if not 0 <= self.growth_cap <= 1:
            raise InputError(f"growth cap must be between 0 and 1; got {self.growth_cap}")
        if self.distance not in ("one-sided", "symmetric", "none"):
            raise InputError(f"distance must be one-sided, symmetric or none; got {self.distance}")
        if self.ease_basis not in ("auto", "region", "country"):
            raise InputError(f"ease basis must be auto, region or country; got {self.ease_basis}")
        if not 0 <= self.trend_weight <= 1:
            raise InputError(f"trend weight must be between 0 and 1; got {self.trend_weight}")

    @property
    def growth_source(self) -> str:
        """Where the demand growth comes from when no projections are given."""
        if self.trend_weight == 0 or self.horizon == 0:
            return "none: today's imports (no projections given)"
        cap = f"capped at +/-{100 * self.growth_cap:.0f}%/yr"
        if self.trend_weight == 1:
            return f"the market's own import trend, {cap}, over {self.horizon} years"
        return (
            f"the market's own import trend x {self.trend_weight:g} (shrunk), {cap}, over "
            f"{self.horizon} years"
        )


@dataclass(frozen=True)
class Inputs:
    """What the potential is computed from (all values in USD a year, averages over a window).

    ``imports``     prod, market, imports_usd, trend_pa (log-linear growth a year, may be null)
    ``world``       prod, world_usd, country_exports_usd, country_imports_usd
    ``region``      prod, market, actual_usd (the region's exports: the "actual")
    ``country_to``  market, country_usd (the home country's total exports to the market)
    ``suppliers``   prod, market, supplier_km, hhi (concentration of j's other suppliers); or
                    None when ``imports`` carries supplier_km and hhi itself (the service's
                    world aggregates do: one join fewer over a million rows)
    ``distance``    market, km (from the region)
    ``projections`` optional: market, gdp_ratio, pop_ratio (horizon over now, e.g. 1.18); the
                    GDP ratios also project the exporters' supply (ITC's projected share)
    ``tariffs``     optional: prod, market, tariff, competitor_tariff (ad valorem, 0.05 = 5%)
    ``exporters``   with projections: prod, exporter, exports_usd (every exporter's exports)
    ``home``        the home country (its GDP ratio projects the region's supply)
    """

    imports: pl.DataFrame
    world: pl.DataFrame
    region: pl.DataFrame
    country_to: pl.DataFrame
    suppliers: pl.DataFrame | None
    distance: pl.DataFrame
    projections: pl.DataFrame | None = None
    tariffs: pl.DataFrame | None = None
    exporters: pl.DataFrame | None = None
    home: str | None = None


def projected_share(inp: Inputs) -> pl.DataFrame | None:
    """ITC's projected world market share: prod, share (``region_k * gdp_home /
    sum_i v_ik gdp_i``); exporters without a GDP ratio take the mean of the given ratios (as
    in the Santa Catarina adaptation). None without projections or exporters."""
    if inp.projections is None or not inp.projections.height or inp.exporters is None:
        return None
    ratios = inp.projections.select(pl.col("market").alias("exporter"), "gdp_ratio")
    mean = float(ratios.get_column("gdp_ratio").mean())  # type: ignore[arg-type]
    home = ratios.filter(pl.col("exporter") == (inp.home or ""))
    g_home = float(home.get_column("gdp_ratio")[0]) if home.height else mean
    world = (
        inp.exporters.join(ratios, on="exporter", how="left")
        .with_columns(pl.col("gdp_ratio").fill_null(mean))
        .group_by("prod")
        .agg((pl.col("exports_usd") * pl.col("gdp_ratio")).sum().alias("world_proj"))
    )
    reg = inp.region.group_by("prod").agg(pl.col("actual_usd").sum().alias("region_usd"))
    return world.join(reg, on="prod", how="left").select(
        "prod",
        pl.when(pl.col("world_proj") > 0)
        .then(pl.col("region_usd").fill_null(0.0) * g_home / pl.col("world_proj"))
        .otherwise(0.0)
        .alias("projected_share"),
    )


def global_tariff(inp: Inputs, sigma: float) -> pl.DataFrame | None:
    """prod, global_tariff_factor: ``((1 + tbar_k) / (1 + tbar_rk)) ** sigma`` over the markets
    in the tariff file, weighted by their imports of k (tbar_k: the rate they apply to other
    suppliers; tbar_rk: the rate the region faces). None without tariffs."""
    if inp.tariffs is None or not inp.tariffs.height:
        return None
    t = inp.tariffs.join(
        inp.imports.select("prod", "market", "imports_usd"), on=["prod", "market"], how="inner"
    ).filter(pl.col("imports_usd") > 0)
    w = pl.col("imports_usd")
    return t.group_by("prod").agg(
        (
            (
                (1.0 + (pl.col("competitor_tariff") * w).sum() / w.sum())
                / (1.0 + (pl.col("tariff") * w).sum() / w.sum())
            )
            ** sigma
        ).alias("global_tariff_factor")
    )


def supply(inp: Inputs, sigma: float = 1.0) -> pl.DataFrame:
    """prod, region_usd, world_usd, share, share_basis, penalty, global_tariff_factor,
    supply, country_share."""
    reg = inp.region.group_by("prod").agg(pl.col("actual_usd").sum().alias("region_usd"))
    out = inp.world.join(reg, on="prod", how="left").with_columns(
        pl.col("region_usd").fill_null(0.0)
    )
    world = pl.col("world_usd")
    proj = projected_share(inp)
    if proj is not None:
        out = out.join(proj, on="prod", how="left")
        share = pl.col("projected_share").fill_null(0.0)
        basis = pl.lit("GDP-projected")
    else:
        share = pl.when(world > 0).then(pl.col("region_usd") / world).otherwise(0.0)
        basis = pl.lit("exports")
    tar = global_tariff(inp, sigma)
    if tar is not None:
        out = out.join(tar, on="prod", how="left").with_columns(
            pl.col("global_tariff_factor").fill_null(1.0)
        )
    else:
        out = out.with_columns(pl.lit(1.0).alias("global_tariff_factor"))
    return out.with_columns(
        share.alias("share"),
        basis.alias("share_basis"),
        pl.when(world > 0).then(pl.col("region_usd") / world).otherwise(0.0).alias("current_share"),
        pl.when(world > 0)
        .then(pl.col("country_exports_usd") / world)
        .otherwise(0.0)
        .alias("country_share"),
        # the country exports at least what its region does (BACI can undercount a country
        # whose exports are known only from its partners' mirror data)
        pl.when(
            pl.col("country_imports_usd") > pl.max_horizontal("country_exports_usd", "region_usd")
        )
        .then(
            pl.max_horizontal("country_exports_usd", "region_usd") / pl.col("country_imports_usd")
        )
        .otherwise(1.0)
        .alias("penalty"),
    ).with_columns(
        (pl.col("share").clip(0.0, 1.0) * pl.col("penalty") * pl.col("global_tariff_factor")).alias(
            "supply"
        )
    )


# the smallest expected trade an ease of trade is taken over (one cent: below it the data say
# nothing about how easily goods reach the market)
MIN_EXPECTED_USD = 0.01


def ease_of_trade(inp: Inputs, sup: pl.DataFrame, basis: EaseBasis) -> pl.DataFrame:
    """market, region_to_usd, ease_region, ease_country, ease_trade, ease_basis: actual exports
    to each market over what the exporter's product shares predict from the market's imports."""
    # ITC: the expected trade uses today's shares (v_ik / v_k), not the projected ones
    shares = sup.select("prod", pl.col("current_share").alias("share"), "country_share")
    expected = (
        _inner_on_key(inp.imports, shares, "prod")
        .group_by("market")
        .agg(
            (pl.col("share") * pl.col("imports_usd")).sum().alias("expected_region"),
            (pl.col("country_share") * pl.col("imports_usd")).sum().alias("expected_country"),
        )
    )
    reg_to = inp.region.group_by("market").agg(pl.col("actual_usd").sum().alias("region_to_usd"))
    e = (
        expected.join(reg_to, on="market", how="left")
        .join(inp.country_to, on="market", how="left")
        .with_columns(pl.col("region_to_usd").fill_null(0.0), pl.col("country_usd").fill_null(0.0))
    )
    # a ratio over a vanishing expectation is no information: 0, not a huge number (hypothesis
    # found 22 USD over an expected 2.4e-307 USD: an ease of 9e307 and an infinite potential)
    ratio_r = pl.col("region_to_usd") / pl.col("expected_region")
    ratio_c = pl.col("country_usd") / pl.col("expected_country")
    e = e.with_columns(
        pl.when((pl.col("expected_region") >= MIN_EXPECTED_USD) & ratio_r.is_finite())
        .then(ratio_r)
        .otherwise(0.0)
        .alias("ease_region"),
        pl.when((pl.col("expected_country") >= MIN_EXPECTED_USD) & ratio_c.is_finite())
        .then(ratio_c)
        .otherwise(0.0)
        .alias("ease_country"),
    )
    use_region = pl.lit(basis == "region")
    return e.with_columns(
        pl.when(use_region)
        .then(pl.col("ease_region"))
        .otherwise(pl.col("ease_country"))
        .alias("ease_trade"),
        pl.when(use_region).then(pl.lit("region")).otherwise(pl.lit("country")).alias("ease_basis"),
    )


def potential(inp: Inputs, options: PotentialOptions | None = None) -> pl.DataFrame:
    """One row per product x market with every term, the potential, the actual, the untapped
    potential (signed and floored at 0) and the realised share."""
    opt = options or PotentialOptions()
    opt.check()
    if opt.ease_basis == "auto":  # a table over many markets: the basis every market has
        opt = replace(opt, ease_basis="country")
    sup = supply(inp, opt.sigma)
    ease = ease_of_trade(inp, sup, opt.ease_basis)
    df = _inner_on_key(
        inp.imports,
        sup.select(
            "prod",
            "world_usd",
            "region_usd",
            "share",
            "share_basis",
            "penalty",
            "global_tariff_factor",
            "supply",
        ),
        "prod",
    )
    # the market's terms in one join (a market table of ~230 rows against a million)
    per_market = ease.select(
        "market", "region_to_usd", "ease_region", "ease_country", "ease_trade", "ease_basis"
    ).join(inp.distance, on="market", how="full", coalesce=True)
    df = df.join(per_market, on="market", how="left")
    if inp.suppliers is not None:
        df = df.join(inp.suppliers, on=["prod", "market"], how="left")
    # demand: projections when given for the market, else the market's own trend
    trend = (opt.trend_weight * pl.col("trend_pa").fill_null(0.0)).clip(
        -opt.growth_cap, opt.growth_cap
    )
    growth_trend = (1.0 + trend) ** opt.horizon
    trend_basis = "none" if opt.trend_weight == 0 or opt.horizon == 0 else "trend"
    if inp.projections is not None and inp.projections.height:
        df = df.join(inp.projections, on="market", how="left")
        proj = (pl.col("gdp_ratio") / pl.col("pop_ratio")) ** opt.elasticity * pl.col("pop_ratio")
        df = df.with_columns(
            pl.when(pl.col("gdp_ratio").is_not_null() & pl.col("pop_ratio").is_not_null())
            .then(proj)
            .otherwise(growth_trend)
            .alias("growth_factor"),
            pl.when(pl.col("gdp_ratio").is_not_null() & pl.col("pop_ratio").is_not_null())
            .then(pl.lit("projections"))
            .otherwise(pl.lit(trend_basis))
            .alias("growth_basis"),
        ).drop("gdp_ratio", "pop_ratio")
    else:
        df = df.with_columns(
            growth_trend.alias("growth_factor"), pl.lit(trend_basis).alias("growth_basis")
        )
    # the market's trend as a descriptor (the ranking factor "growth", the reasons), whatever
    # weight the demand projection gives it
    df = df.with_columns(
        pl.col("trend_pa").fill_null(0.0).clip(-opt.growth_cap, opt.growth_cap).alias("growth_pa")
    )
    if inp.tariffs is not None and inp.tariffs.height:
        df = df.join(inp.tariffs, on=["prod", "market"], how="left").with_columns(
            pl.when(pl.col("tariff").is_not_null() & pl.col("competitor_tariff").is_not_null())
            .then(((1.0 + pl.col("competitor_tariff")) / (1.0 + pl.col("tariff"))) ** opt.sigma)
            .otherwise(1.0)
            .alias("tariff_factor")
        )
    else:
        df = df.with_columns(
            pl.lit(None, pl.Float64).alias("tariff"),
            pl.lit(None, pl.Float64).alias("competitor_tariff"),
            pl.lit(1.0).alias("tariff_factor"),
        )
    gap = pl.col("km").log() - pl.col("supplier_km").log()
    if opt.distance == "one-sided":
        dist = (-gap.clip(lower_bound=0.0)).exp()
    elif opt.distance == "symmetric":
        dist = (-gap.abs()).exp()
    else:
        dist = pl.lit(1.0)
    df = df.with_columns(
        pl.when(pl.col("km").is_not_null() & (pl.col("supplier_km") > 0))
        .then(dist)
        .otherwise(1.0)
        .alias("distance_factor"),
        (1.0 - pl.col("hhi").fill_null(0.0)).alias("openness"),
        pl.col("ease_trade").fill_null(0.0),
    )
    df = df.with_columns(
        (pl.col("imports_usd") * pl.col("growth_factor") * pl.col("tariff_factor")).alias("demand"),
        (pl.col("ease_trade") * pl.col("distance_factor")).alias("ease"),
    ).with_columns(
        pl.when((pl.col("supply") > 0) & (pl.col("demand") > 0) & (pl.col("ease") > 0))
        .then(pl.col("supply") * pl.col("demand") * pl.col("ease"))
        .otherwise(0.0)
        .alias("potential_usd")
    )
    df = df.with_columns(_actual_of(df, inp.region))
    return df.with_columns(
        (pl.col("potential_usd") - pl.col("actual_usd")).alias("untapped_usd"),
        (pl.col("potential_usd") - pl.col("actual_usd"))
        .clip(lower_bound=0.0)
        .alias("untapped_pos_usd"),
        pl.when(pl.col("potential_usd") > 0)
        .then(pl.col("actual_usd") / pl.col("potential_usd"))
        .otherwise(None)
        .alias("realised"),
    ).select(COLUMNS)


def _inner_on_key(big: pl.DataFrame, small: pl.DataFrame, key: str) -> pl.DataFrame:
    """``big`` inner-joined to ``small``, which has one row per ``key``: done as a left join
    after dropping the rows without a match (polars' inner join of a million rows on a text key
    costs about four times its left join; most calls drop nothing, and then nothing is copied)."""
    has = big.get_column(key).is_in(small.get_column(key).implode())
    if not has.all():
        big = big.filter(has)
    return big.join(small, on=key, how="left")


def _actual_of(df: pl.DataFrame, region: pl.DataFrame) -> pl.Series:
    """``actual_usd`` for each row of ``df`` (prod, market): the region's exports, 0 where it
    has none (repeated product x market rows of ``region`` summed). The region sells a few
    hundred product x market pairs; only the rows of its products are matched on both keys,
    not the million rows of the table."""
    reg = region.group_by("prod", "market").agg(pl.col("actual_usd").sum())
    hit = (
        df.select("prod", "market")
        .with_row_index("_row")
        .filter(pl.col("prod").is_in(reg.get_column("prod").implode()))
        .join(reg, on=["prod", "market"], how="inner")
    )
    out = np.zeros(df.height)
    out[hit.get_column("_row").to_numpy()] = hit.get_column("actual_usd").to_numpy()
    return pl.Series("actual_usd", out)


COLUMNS = [
    "prod",
    "market",
    "potential_usd",
    "actual_usd",
    "untapped_usd",
    "untapped_pos_usd",
    "realised",
    "supply",
    "share",
    "share_basis",
    "penalty",
    "global_tariff_factor",
    "region_usd",
    "world_usd",
    "demand",
    "imports_usd",
    "trend_pa",
    "growth_pa",
    "growth_factor",
    "growth_basis",
    "tariff",
    "competitor_tariff",
    "tariff_factor",
    "ease",
    "ease_trade",
    "ease_basis",
    "ease_region",
    "ease_country",
    "region_to_usd",
    "km",
    "supplier_km",
    "distance_factor",
    "hhi",
    "openness",
]


def parse_weights(
    text: str | Mapping[str, float] | None, names: Mapping[str, str]
) -> dict[str, float]:
    """``"untapped=1,growth=0.5"`` (or a mapping) to weights that sum to 1; unknown names,
    negative weights and all-zero weights are errors that list the valid names."""
    if text is None or text == "":
        raise InputError("no weights given")
    raw: dict[str, float] = {}
    if isinstance(text, str):
        for part in text.split(","):
            key, sep, text_value = part.partition("=")
            key = key.strip()
            if not sep:
                raise InputError(
                    f"weight {part.strip()!r} is not name=value",
                    hint=f"for example {next(iter(names))}=1; names: {', '.join(names)}",
                )
            try:
                raw[key] = float(text_value)
            except ValueError as exc:
                raise InputError(f"weight {key!r}: {text_value.strip()!r} is not a number") from exc
    else:
        raw = {k: float(v) for k, v in text.items()}
    for name, value in raw.items():
        if name not in names:
            raise InputError(f"unknown weight {name!r}; the weights are {', '.join(names)}")
        if not np.isfinite(value) or value < 0:
            raise InputError(f"weight {name!r} must be a number >= 0; got {value}")
    total = sum(raw.values())
    if total <= 0:
        raise InputError("at least one weight must be above 0")
    return {k: v / total for k, v in raw.items() if v > 0}


def rank(
    df: pl.DataFrame,
    weights: Mapping[str, float],
    *,
    key: str,
    factors: Mapping[str, str] = FACTORS,
) -> pl.DataFrame:
    """Rank rows by the weighted mean of each factor's percentile within ``df`` (1 = best).

    Percentiles are average ranks / n, so ties count equally; the order is then broken by the
    score, by untapped potential when present, and by ``key`` (ascending), so the same inputs
    always give the same ranking."""
    if df.height == 0:
        return df.with_columns(
            pl.lit(None, pl.Float64).alias("score"), pl.lit(None, pl.Int64).alias("rank")
        )
    n = df.height
    score = pl.lit(0.0)
    for name, w in weights.items():
        col = factors[name]
        score = score + w * (pl.col(col).fill_null(0.0).rank("average") / n)
    out = df.with_columns(score.alias("score"))
    order = ["score"] + (["untapped_pos_usd"] if "untapped_pos_usd" in df.columns else [])
    out = out.sort([*order, key], descending=[True] * len(order) + [False], nulls_last=True)
    return out.with_columns(pl.int_range(1, n + 1, dtype=pl.Int64).alias("rank"))


# ---- new products -------------------------------------------------------------------------

NEW_FACTORS: dict[str, str] = {
    "feasibility": "density",
    "pci": "pci",
    "cog": "cog",
    "demand": "log_world_usd",
    "growth": "world_trend_pa",
}
#: strategy presets in the manner of the Atlas (weights are our choice; see docs)
PRESETS: dict[str, dict[str, float]] = {
    "low-hanging": {"feasibility": 0.6, "pci": 0.1, "cog": 0.1, "demand": 0.1, "growth": 0.1},
    "balanced": {"feasibility": 0.4, "pci": 0.2, "cog": 0.2, "demand": 0.1, "growth": 0.1},
    "long-jumps": {"feasibility": 0.2, "pci": 0.35, "cog": 0.35, "demand": 0.05, "growth": 0.05},
}


def new_product_scores(cands: pl.DataFrame, weights: Mapping[str, float]) -> pl.DataFrame:
    """Score candidate products (columns prod, density, pci, cog, log_world_usd,
    world_trend_pa) by the weighted sum of each factor's z-score among the candidates."""
    if cands.height == 0:
        return cands.with_columns(
            pl.lit(None, pl.Float64).alias("score"), pl.lit(None, pl.Int64).alias("rank")
        )
    score = pl.lit(0.0)
    for name, w in weights.items():
        c = pl.col(NEW_FACTORS[name]).fill_null(pl.col(NEW_FACTORS[name]).median())
        sd = c.std(ddof=0)
        score = score + w * pl.when(sd > 0).then((c - c.mean()) / sd).otherwise(0.0)
    out = cands.with_columns(score.alias("score")).sort(
        ["score", "prod"], descending=[True, False], nulls_last=True
    )
    return out.with_columns(pl.int_range(1, out.height + 1, dtype=pl.Int64).alias("rank"))
