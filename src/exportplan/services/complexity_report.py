"""Complexity on the workspace as `exportplan complexity` reports it: the Atlas sample filter by
default, the products behind each ECI, and the warnings where a number is fragile.

The sample filter follows the 2013 *Atlas of Economic Complexity* (p. 58, as cited in the
methodology, section 10): locations with a population above 1.2 million and average exports of
at least USD 1 billion over the window. Locations outside it are not dropped: they are
projected on the sample's product space (``in_sample = false``), like a region in the
subnational mode. The workspace holds no population data, so the population part applies
only when a population table is given; the report says which part was applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from exportplan import settings
from exportplan.analytics import fragility as fr
from exportplan.analytics.ecomplexity import Options
from exportplan.errors import InputError
from exportplan.services.complexity import RegionMode, compute
from exportplan.store.warehouse.queries import frame
from exportplan.workspace import Workspace

#: the Atlas 2013 sample (methodology section 10: population > 1.2 m, mean exports >= USD 1 bn)
ATLAS_MIN_EXPORTS = 1e9
ATLAS_MIN_POPULATION = 1.2e6


@dataclass(frozen=True)
class SampleFilter:
    """Which sample filter was applied, how, and which locations it took out of the sample."""

    applied: bool
    min_exports: float | None  # USD, mean over the window's years
    min_population: float | None  # applied only when ``population_applied``
    population_applied: bool
    window: list[int]
    removed: list[str] = field(default_factory=list)
    kept_unknown_population: list[str] = field(default_factory=list)

    @property
    def description(self) -> str:
        if not self.applied:
            return "none (--no-sample-filter): every exporter is in the sample"
        years = (
            f"{self.window[0]}-{self.window[-1]}" if len(self.window) > 1 else str(self.window[0])
        )
        parts = [f"mean exports {years} >= USD {self.min_exports:,.0f}"]
        if self.population_applied:
            parts.append(f"population > {self.min_population:,.0f}")
        else:
            parts.append("population: not applied (no population data in the workspace)")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "applied": self.applied,
            "description": self.description,
            "min_exports_usd": self.min_exports,
            "min_population": self.min_population if self.population_applied else None,
            "population_applied": self.population_applied,
            "window": self.window,
            "removed_count": len(self.removed),
            "removed": self.removed,
            "kept_unknown_population": self.kept_unknown_population,
        }

    def note(self) -> fr.ComplexityWarning:
        """What the filter did, as a typed note (code ``sample-filter``)."""
        return fr.ComplexityWarning(
            "sample-filter",
            None,
            "sample filter (Atlas of Economic Complexity 2013): {applied}; removed from the "
            "sample and projected on it: {count} location(s){locations}",
            {
                "applied": self.description,
                "count": len(self.removed),
                "locations": (": " + ", ".join(self.removed)) if self.removed else "",
            },
        )

    def warnings(self) -> list[fr.ComplexityWarning]:
        """``population-filter-not-applied`` when only the exports part could be applied."""
        if not self.applied or self.population_applied:
            return []
        return [
            fr.ComplexityWarning(
                "population-filter-not-applied",
                None,
                "population filter not applied: {reason}",
                {
                    "reason": "the workspace holds no population data; only the exports "
                    "filter was applied (give --population FILE with loc,pop to apply it)"
                },
            )
        ]


@dataclass(frozen=True)
class ComplexityReport:
    """The workspace's complexity table (with ``n_products``), its per-year diagnostics, the
    sample filter applied and the warnings (inverted ordering, unstable eigenvector, an ECI on
    few products)."""

    frame: pl.DataFrame
    diagnostics: list[fr.YearDiagnostics]
    warnings: list[fr.ComplexityWarning]
    sample: SampleFilter
    min_products: int
    placed: fr.ComplexityWarning | None = None  # the region's year placed on a world year

    @property
    def notes(self) -> list[fr.ComplexityWarning]:
        """What was done (not a warning): the ``sample-filter`` note, and the
        ``region-year-placed`` note when the region's year was placed on a world year."""
        return [self.sample.note(), *([self.placed] if self.placed else [])]


def exporter_totals(ws: Workspace, *, years: list[int] | None, dataset: int | None) -> pl.DataFrame:
    """Total exports (USD) by year x exporter from the ``exports`` view."""
    where, params = ["1=1"], []
    if years:
        where.append(f"year IN ({', '.join('?' for _ in years)})")
        params.extend(years)
    if dataset is not None:
        where.append("dataset_id = ?")
        params.append(dataset)
    with ws.warehouse(read_only=True) as con:
        return frame(
            con,
            f"""SELECT year::INTEGER AS year, exporter AS loc, sum(value_usd) AS val
                FROM exports WHERE {" AND ".join(where)} GROUP BY ALL""",
            params,
        )


def sample_filter(
    totals: pl.DataFrame,
    *,
    min_exports: float = ATLAS_MIN_EXPORTS,
    min_population: float = ATLAS_MIN_POPULATION,
    population: pl.DataFrame | None = None,
) -> SampleFilter:
    """The Atlas sample on ``totals`` (year, loc, val): a location is out when its mean exports
    over the years it appears in fall below ``min_exports``, or (with a ``population`` table of
    loc, pop and optionally year) its mean population is at most ``min_population``; a location
    without a population is kept and listed."""
    window = sorted(totals.get_column("year").unique().to_list())
    mean = totals.group_by("loc").agg(pl.col("val").mean())
    out = set(mean.filter(pl.col("val") < min_exports).get_column("loc").to_list())
    unknown: list[str] = []
    if population is not None:
        cols = population.columns
        if "loc" not in cols or "pop" not in cols:
            raise InputError(f"population table needs columns loc, pop; found {', '.join(cols)}")
        pop = population
        year_col = "year" if "year" in cols else "time" if "time" in cols else None
        if year_col is not None:
            pop = pop.filter(pl.col(year_col).cast(pl.Int64).is_in(window))
        pops = dict(
            pop.group_by(pl.col("loc").cast(pl.String))
            .agg(pl.col("pop").cast(pl.Float64).mean())
            .iter_rows()
        )
        for loc in mean.get_column("loc").to_list():
            if loc not in pops:
                unknown.append(loc)
            elif not pops[loc] > min_population:
                out.add(loc)
    return SampleFilter(
        applied=True,
        min_exports=min_exports,
        min_population=min_population,
        population_applied=population is not None,
        window=window,
        removed=sorted(out),
        kept_unknown_population=sorted(unknown),
    )


def report(
    ws: Workspace,
    *,
    level: str = "hs6",
    years: list[int] | None = None,
    dataset: int | None = None,
    options: Options | None = None,
    region: str | None = None,
    region_mode: RegionMode = "none",
    definition: str = "customs",
    sample: bool = True,
    min_exports: float | None = None,
    min_population: float | None = None,
    population: pl.DataFrame | None = None,
    min_products: int | None = None,
    use_cache: bool = True,
    region_year: int | str | None = None,
) -> ComplexityReport:
    """Complexity on the workspace with the Atlas sample filter (unless ``sample`` is False),
    ``n_products`` behind each ECI, and the warnings where a number is fragile.

    ``region_year`` (``"latest"``: the region's latest complete Gregorian year): the region's
    exports of that year are placed on the world year asked for (one ``years``; default the
    latest world year), since world data end about two years before customs records; a note
    says so."""
    opts = options or Options()
    placed: fr.ComplexityWarning | None = None
    if region_year is not None:
        years, region_year, placed = _place_region(
            ws, years, region_year, region or ws.home_region, definition, region_mode, dataset
        )
    if opts.min_exports is not None or opts.min_population is not None:
        raise InputError(
            "on the workspace the sample filter is set by min_exports/min_population of the "
            "report (mean over the window), not by the engine's per-year options"
        )
    minimum = (
        min_products if min_products is not None else settings.value("complexity_min_products")
    )
    if minimum < 1:
        raise InputError(f"the fewest products behind an ECI must be at least 1; got {minimum}")
    if sample:
        totals = exporter_totals(ws, years=years, dataset=dataset)
        if totals.height == 0:
            raise InputError(
                "no world trade data for that choice",
                hint="import BACI or Comtrade files first (`exportplan import baci`)",
            )
        filt = sample_filter(
            totals,
            min_exports=ATLAS_MIN_EXPORTS if min_exports is None else min_exports,
            min_population=ATLAS_MIN_POPULATION if min_population is None else min_population,
            population=population,
        )
        kept = totals.get_column("loc").n_unique() - len(filt.removed)
        if kept < 2:
            raise InputError(
                f"the sample filter ({filt.description}) leaves {kept} location(s) in the sample; "
                "complexity needs at least two",
                hint="lower --min-exports / --min-population, or give --no-sample-filter",
            )
    else:
        if min_exports is not None or min_population is not None:
            raise InputError(
                "thresholds of the sample filter were given with the filter turned off",
                hint="drop --no-sample-filter, or drop --min-exports / --min-population",
            )
        filt = SampleFilter(False, None, None, False, sorted(years or []))
    result = compute(
        ws,
        level=level,
        years=years,
        dataset=dataset,
        options=opts,
        region=region,
        region_mode=region_mode,
        definition=definition,
        use_cache=use_cache,
        out_of_sample=frozenset(filt.removed),
        region_year=region_year if isinstance(region_year, int) else None,
    )
    if not filt.window:
        filt = SampleFilter(False, None, None, False, sorted(result["year"].unique().to_list()))
    result = result.join(
        fr.products_behind(result, time="year", loc="loc"), on=["year", "loc"], how="left"
    )
    diags = fr.diagnostics(result, time="year", loc="loc", prod="prod")
    warns = filt.warnings()
    for d in diags:
        warns.extend(fr.warnings_of(d))
    regions = {f"region:{region or ws.home_region}"} if region_mode != "none" else set()
    warns.extend(fr.few_products(result, time="year", loc="loc", minimum=minimum, regions=regions))
    return ComplexityReport(result, diags, warns, filt, minimum, placed)


def _span(years: list[int]) -> str:
    return f"{years[0]}-{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "none")


def _place_region(
    ws: Workspace,
    years: list[int] | None,
    region_year: int | str,
    region: str,
    definition: str,
    region_mode: RegionMode,
    dataset: int | None,
) -> tuple[list[int], int, fr.ComplexityWarning]:
    """The world year, the region's year and the note that says one is placed on the other."""
    if region_mode == "none":
        raise InputError("--region-year needs a region: give --region-mode location or subnational")
    if years is not None and len(years) != 1:
        raise InputError(
            f"the region's year is placed on one world year; got {len(years)} (--year)",
            hint="give one --year (the world's), or none for the latest world year",
        )
    ds, ds_params = ("WHERE dataset_id = ?", [dataset]) if dataset is not None else ("", [])
    with ws.warehouse(read_only=True) as con:
        world = sorted(
            int(r[0])
            for r in con.execute(f"SELECT DISTINCT year FROM exports {ds}", ds_params).fetchall()
        )
        complete = [
            int(r[0])
            for r in con.execute(
                """SELECT g_year_approx FROM region_flows_annual
                   WHERE region = ? AND definition = ? AND g_year_approx IS NOT NULL
                   GROUP BY 1 HAVING count(DISTINCT g_month_approx) = 12 ORDER BY 1""",
                [region, definition],
            ).fetchall()
        ]
    if not world:
        raise InputError(
            "no world trade data in the workspace",
            hint="import BACI or Comtrade files first (`exportplan import baci`)",
        )
    target = years[0] if years else world[-1]
    if target not in world:
        raise InputError(f"no world trade data for {target}; the world data cover {_span(world)}")
    if region_year == "latest":
        if not complete:
            raise InputError(
                f"the {definition} records of {region!r} cover no Gregorian year completely",
                hint="import twelve months of its customs records, or give --region-year YEAR",
            )
        chosen, which = complete[-1], "its latest complete year"
    else:
        try:
            chosen = int(region_year)
        except ValueError as exc:
            raise InputError(f"--region-year is a year or 'latest'; got {region_year!r}") from exc
        if chosen not in complete:
            raise InputError(
                f"the {definition} records of {region!r} do not cover all of {chosen} "
                f"(complete years: {', '.join(map(str, complete)) or 'none'})",
                hint="give one of the complete years, or --region-year latest",
            )
        which = "a complete year"
    note = fr.ComplexityWarning(
        "region-year-placed",
        target,
        "the region's exports of {region_year} (a complete year) are placed on world year {world_year} "
        "(the world data cover {world_first}-{world_last}): the world data lag the customs records, so the "
        "region is compared with the world of {world_year}",
        {
            # years as text, so that they print without a thousands separator (and in
            # Persian digits in Persian)
            "region_year": str(chosen),
            "latest": which == "its latest complete year",
            "world_year": str(target),
            "world_first": str(world[0]),
            "world_last": str(world[-1]),
        },
    )
    return [target], chosen, note
