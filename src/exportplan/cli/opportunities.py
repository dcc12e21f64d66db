"""Commands for opportunities: markets for a product, products for a market, new products,
the back-test, and the exclusion lists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer

from exportplan.cli.common import (
    CsvOpt,
    JsonOpt,
    WorkspaceOpt,
    app,
    choice,
    emit,
    out,
    workspace_of,
)
from exportplan.reference.cells import xlsx_append
from exportplan.reference.hs import hs_prefix

opportunities_app = typer.Typer(
    no_args_is_help=True,
    help="Export potential: markets for a product, products for a market, new products.",
)
app.add_typer(opportunities_app, name="opportunities")

RegionOpt = Annotated[
    str | None, typer.Option(help="Region (default: the workspace's home region).")
]
DefinitionOpt = Annotated[
    str,
    typer.Option(
        help="customs (goods leaving through the region's customs) or origin (made in it)."
    ),
]
YearOpt = Annotated[
    int | None,
    typer.Option("--year", help="Last Gregorian year of the window (default: the latest)."),
]
WindowOpt = Annotated[
    int, typer.Option(help="Years averaged for imports, actual exports and trends.")
]
WeightsOpt = Annotated[
    str | None,
    typer.Option(
        help="Ranking weights, e.g. untapped=0.6,growth=0.2,distance=0.2 (names: untapped, "
        "size, growth, ease, distance, tariff, competition). Default: untapped=1."
    ),
]
TopOpt = Annotated[int, typer.Option(help="Rows to show (0: all).")]
HorizonOpt = Annotated[int, typer.Option(help="Years the demand is projected forward.")]
GrowthCapOpt = Annotated[
    float, typer.Option(help="A market's trend is clipped to +/- this a year (0.15 = 15%).")
]
DistanceOpt = Annotated[
    str,
    typer.Option(
        help="Distance factor: one-sided (farther than the market's other suppliers lowers "
        "the potential), symmetric (ITC replication) or none."
    ),
]
EaseOpt = Annotated[
    str,
    typer.Option(
        "--ease-basis",
        help="One basis for the whole ranking: auto (the region's ratio of actual to expected "
        "trade for products in a market it sells to, else the home country's), country or "
        "region (zero where the region has never sold).",
    ),
]
TrendWeightOpt = Annotated[
    float,
    typer.Option(
        "--trend-weight",
        help="Without --projections: weight on each market's own import trend (0 = no "
        "growth, the default; 1 = the full trend, capped by --growth-cap).",
    ),
]
ElasticityOpt = Annotated[
    float, typer.Option(help="Income elasticity of per-capita imports (with --projections).")
]
SigmaOpt = Annotated[float, typer.Option(help="Exponent of the tariff ratio (with --tariffs).")]
ProjectionsOpt = Annotated[
    Path | None,
    typer.Option(
        help="CSV: market, gdp_ratio, pop_ratio (value at the horizon over today's) for "
        "markets whose demand should follow GDP and population instead of its own trend."
    ),
]
TariffsOpt = Annotated[
    Path | None,
    typer.Option(
        help="CSV: hs, market, tariff, competitor_tariff (fractions, 0.05 = 5%) for the "
        "tariff advantage."
    ),
]
LangOpt = Annotated[str, typer.Option("--lang", help="en or fa (reasons and names in Persian).")]
XlsxOpt = Annotated[
    Path | None, typer.Option("--xlsx", help="Also write the full table to this Excel file.")
]
LevelOpt = Annotated[str, typer.Option(help="Product level: hs2, hs4 or hs6.")]


def _params(
    *,
    level: str,
    year: int | None,
    window: int,
    region: str | None,
    definition: str,
    horizon: int,
    growth_cap: float,
    distance: str,
    ease_basis: str,
    elasticity: float,
    trend_weight: float = 0.0,
    sigma: float,
    projections: Path | None,
    tariffs: Path | None,
) -> Any:
    from exportplan.analytics.potential import PotentialOptions
    from exportplan.services.opportunities import Params

    return Params(
        level=choice("level", level, ("hs2", "hs4", "hs6")),
        year=year,
        window=window,
        region=region,
        definition=choice("definition", definition, ("customs", "origin")),
        options=PotentialOptions(
            horizon=horizon,
            growth_cap=growth_cap,
            elasticity=elasticity,
            sigma=sigma,
            distance=choice("distance", distance, ("one-sided", "symmetric", "none")),
            ease_basis=choice("ease-basis", ease_basis, ("auto", "region", "country")),
            trend_weight=trend_weight,
        ),
        projections=projections,
        tariffs=tariffs,
    )


def _header(meta: dict[str, Any], lang: str) -> list[str]:
    if lang == "fa":
        from exportplan import i18n

        lines = [
            f"استان: {meta['region']} — {i18n.t(meta['definition_label'], 'fa')}",
            f"واحد: دلار آمریکا در سال؛ سال‌های میلادی {_years(meta['world_years'])}؛ "
            f"افق {i18n.number(meta['horizon_years'], 'fa')} سال",
        ]
    else:
        lines = [
            f"{meta['region']}: {meta['definition_label']} ({meta['definition']} definition)",
            f"unit: {meta['unit']}; world data {_years(meta['world_years'])}, region "
            f"{_years(meta['region_years'])} ({meta['calendar']}); demand projected "
            f"{meta['horizon_years']} years ahead; distances from {meta['distance_from']}",
            f"demand growth: {meta['demand_growth']}",
            f"ease of trade: {meta['ease_basis_label']}",
            "ITC terms: " + "; ".join(f"{term}: {how}" for term, how in meta["itc_terms"].items()),
        ]
    if "weights" in meta:
        lines.append(
            "weights: "
            + ", ".join(f"{k}={v:.2f}" for k, v in meta["weights"].items())
            + f"; ranked among {meta['ranked_among']}"
        )
    for ex in meta.get("excluded", []):
        lines.append(f"excluded {ex['kind']} {ex['code']}: {ex['reason']}")
    if meta.get("note"):
        lines.append(f"note: {meta['note']}")
    if meta.get("synthetic"):
        lines.insert(0, "SYNTHETIC DATA: the workspace holds made-up demo data")
    return lines


def _years(years: list[int]) -> str:
    return f"{years[0]}-{years[-1]}" if years else "none"


def _show(
    res: Any,
    *,
    columns: dict[str, str],
    as_json: bool,
    as_csv: bool,
    xlsx: Path | None,
    lang: str,
    title: str,
) -> None:
    if xlsx is not None:
        _xlsx(res, xlsx, lang=lang, title=title)
    if as_json:
        out.print_json(
            json.dumps(
                {"meta": res.meta, "rows": res.table.to_dicts()}, default=str, ensure_ascii=False
            )
        )
        return
    if as_csv:
        emit(res.table, as_json=False, as_csv=True)
        return
    for line in _header(res.meta, lang):
        out.print(line, markup=False)
    df = res.table.select([pl.col(c).alias(label) for c, label in columns.items()])
    emit(df, as_json=False, as_csv=False, title=title)
    if "reason" in res.table.columns:
        for rk, text in res.table.select("rank", "reason").iter_rows():
            out.print(f"{rk}. {text}", markup=False)


def _xlsx(res: Any, path: Path, *, lang: str, title: str) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "opportunities"
    sheet.sheet_view.rightToLeft = lang == "fa"
    xlsx_append(sheet, [title])
    for line in _header(res.meta, lang):
        xlsx_append(sheet, [line])
    xlsx_append(sheet, res.table.columns)
    for row in res.table.iter_rows():
        xlsx_append(sheet, row)
    wb.save(path)
    out.print(f"{res.table.height:,} rows written to {path}")


def _with_names(df: pl.DataFrame, lang: str) -> pl.DataFrame:
    from exportplan.reference.countries import country_name

    return df.with_columns(
        pl.col("market")
        .map_elements(lambda iso: country_name(iso, lang), return_dtype=pl.String)
        .alias("market_name")
    )


def _pct(col: str) -> pl.Expr:
    return (pl.col(col) * 100).round(1)


MARKET_COLUMNS = {
    "rank": "rank",
    "market": "market",
    "market_name": "name",
    "potential_usd": "potential USD",
    "actual_usd": "actual USD",
    "untapped_usd": "untapped USD",
    "realised_pct": "realised %",
    "imports_usd": "market imports USD",
    "growth_pct": "growth %/yr",
    "ease_trade": "ease",
    "km": "km",
    "supplier_km": "suppliers' km",
}


@opportunities_app.command("markets")
def markets(
    product: Annotated[str, typer.Option("--product", help="HS code of 2, 4 or 6 digits.")],
    region: RegionOpt = None,
    definition: DefinitionOpt = "customs",
    year: YearOpt = None,
    window: WindowOpt = 5,
    weights: WeightsOpt = None,
    top: TopOpt = 20,
    horizon: HorizonOpt = 5,
    growth_cap: GrowthCapOpt = 0.15,
    distance: DistanceOpt = "one-sided",
    ease_basis: EaseOpt = "auto",
    trend_weight: TrendWeightOpt = 0.0,
    elasticity: ElasticityOpt = 1.0,
    sigma: SigmaOpt = 1.0,
    projections: ProjectionsOpt = None,
    tariffs: TariffsOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    xlsx: XlsxOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Markets for one product, ranked by untapped potential (or your weights), with reasons.

    The level follows the code: 0808 ranks markets for HS 0808 at HS4.

    Example: exportplan opportunities markets --product 0808 --weights untapped=0.7,growth=0.3
    """
    from exportplan.services import opportunities as svc

    lg = choice("lang", lang, ("en", "fa"))
    ws = workspace_of(workspace)
    params = _params(
        level="hs6",
        year=year,
        window=window,
        region=region,
        definition=definition,
        horizon=horizon,
        growth_cap=growth_cap,
        distance=distance,
        ease_basis=ease_basis,
        trend_weight=trend_weight,
        elasticity=elasticity,
        sigma=sigma,
        projections=projections,
        tariffs=tariffs,
    )
    res = svc.markets(ws, product, params=params, weights=weights, top=top or None, lang=lg)
    res.table = _with_names(res.table, lg).with_columns(
        _pct("realised").alias("realised_pct"), _pct("growth_pa").alias("growth_pct")
    )
    _show(
        res,
        columns=MARKET_COLUMNS,
        as_json=as_json,
        as_csv=as_csv,
        xlsx=xlsx,
        lang=lg,
        title=f"Markets for HS {hs_prefix(product)}",
    )


@opportunities_app.command("products")
def products(
    market: Annotated[str, typer.Option("--market", help="Market: ISO3 code or name.")],
    level: LevelOpt = "hs6",
    region: RegionOpt = None,
    definition: DefinitionOpt = "customs",
    year: YearOpt = None,
    window: WindowOpt = 5,
    weights: WeightsOpt = None,
    top: TopOpt = 20,
    horizon: HorizonOpt = 5,
    growth_cap: GrowthCapOpt = 0.15,
    distance: DistanceOpt = "one-sided",
    ease_basis: EaseOpt = "auto",
    trend_weight: TrendWeightOpt = 0.0,
    elasticity: ElasticityOpt = 1.0,
    sigma: SigmaOpt = 1.0,
    projections: ProjectionsOpt = None,
    tariffs: TariffsOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    xlsx: XlsxOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """The region's products ranked for one market by untapped potential (or your weights).

    Example: exportplan opportunities products --market IRQ --level hs4 --lang fa
    """
    from exportplan.services import opportunities as svc

    lg = choice("lang", lang, ("en", "fa"))
    ws = workspace_of(workspace)
    params = _params(
        level=level,
        year=year,
        window=window,
        region=region,
        definition=definition,
        horizon=horizon,
        growth_cap=growth_cap,
        distance=distance,
        ease_basis=ease_basis,
        trend_weight=trend_weight,
        elasticity=elasticity,
        sigma=sigma,
        projections=projections,
        tariffs=tariffs,
    )
    res = svc.products(ws, market, params=params, weights=weights, top=top or None, lang=lg)
    res.table = res.table.with_columns(
        _pct("realised").alias("realised_pct"), _pct("growth_pa").alias("growth_pct")
    )
    cols = {
        "rank": "rank",
        "prod": "HS",
        "potential_usd": "potential USD",
        "actual_usd": "actual USD",
        "untapped_usd": "untapped USD",
        "realised_pct": "realised %",
        "imports_usd": "market imports USD",
        "growth_pct": "growth %/yr",
        "supply": "supply (world share)",
    }
    _show(
        res,
        columns=cols,
        as_json=as_json,
        as_csv=as_csv,
        xlsx=xlsx,
        lang=lg,
        title=f"Products for {market}",
    )


@opportunities_app.command("new-products")
def new_products(
    preset: Annotated[
        str, typer.Option(help="low-hanging, balanced or long-jumps (see docs/opportunities.md).")
    ] = "balanced",
    weights: Annotated[
        str | None,
        typer.Option(
            help="Instead of a preset: feasibility, pci, cog, demand, growth weights, e.g. "
            "feasibility=0.5,pci=0.5."
        ),
    ] = None,
    level: LevelOpt = "hs4",
    region: RegionOpt = None,
    definition: DefinitionOpt = "customs",
    year: YearOpt = None,
    window: WindowOpt = 5,
    top: TopOpt = 20,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    xlsx: XlsxOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Products to develop: feasibility (density) against attractiveness (PCI, COG, world
    trade and its growth), with the markets where each one's demand is largest.

    Example: exportplan opportunities new-products --preset long-jumps --top 30
    """
    from exportplan.services import opportunities as svc

    lg = choice("lang", lang, ("en", "fa"))
    ws = workspace_of(workspace)
    params = _params(
        level=level,
        year=year,
        window=window,
        region=region,
        definition=definition,
        horizon=5,
        growth_cap=0.15,
        distance="one-sided",
        ease_basis="auto",
        elasticity=1.0,
        sigma=1.0,
        projections=None,
        tariffs=None,
    )
    res = svc.new_products(ws, params=params, preset=preset, weights=weights, top=top or None)
    res.table = res.table.with_columns(_pct("world_trend_pa").alias("world_growth_pct"))
    cols = {
        "rank": "rank",
        "prod": "HS",
        "rca": "RCA",
        "density": "feasibility (density)",
        "pci": "PCI",
        "cog": "COG",
        "world_usd": "world trade USD",
        "world_growth_pct": "growth %/yr",
        "score": "score",
        "markets": "largest markets",
    }
    _show(
        res,
        columns=cols,
        as_json=as_json,
        as_csv=as_csv,
        xlsx=xlsx,
        lang=lg,
        title=f"New products ({res.meta['preset']})",
    )


@opportunities_app.command("backtest")
def backtest(
    year: Annotated[int, typer.Option("--year", help="Gregorian year the potential is for.")],
    ahead: Annotated[
        int, typer.Option(help="Compare with the region's exports this many years later.")
    ] = 3,
    window: WindowOpt = 3,
    level: LevelOpt = "hs6",
    region: RegionOpt = None,
    definition: DefinitionOpt = "customs",
    ease_basis: EaseOpt = "auto",
    trend_weight: TrendWeightOpt = 0.0,
    reps: Annotated[int, typer.Option(help="Bootstrap draws (of whole markets).")] = 500,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Potential at YEAR against what the region then did: among pairs it did not serve, the
    ROC area of the entries; among pairs it served, the rank correlation with their growth
    rates; each with a 95% interval (bootstrap over markets) and against baselines (a
    gravity-style expected flow, market size, reversion to the mean).

    Example: exportplan opportunities backtest --year 2022 --ahead 3
    """
    from exportplan.analytics.potential import PotentialOptions
    from exportplan.services import opportunities_backtest as svc

    ws = workspace_of(workspace)
    res = svc.backtest(
        ws,
        year=year,
        ahead=ahead,
        window=window,
        region=region,
        definition=choice("definition", definition, ("customs", "origin")),
        level=choice("level", level, ("hs2", "hs4", "hs6")),
        options=PotentialOptions(
            ease_basis=choice("ease-basis", ease_basis, ("auto", "region", "country")),
            trend_weight=trend_weight,
        ),
        reps=reps,
    )
    if as_json:
        out.print_json(json.dumps({"meta": res.meta, "rows": res.table.to_dicts()}, default=str))
        return
    if as_csv:
        emit(res.table, as_json=False, as_csv=True)
        return
    for line in _header(res.meta, "en"):
        out.print(line, markup=False)
    m = res.meta
    out.print(
        f"outcome: {m['outcome']}; {m['pairs']:,} pairs of products the region exported, "
        f"{m['pairs_not_served']:,} not served ({m['entries']:,} entered), "
        f"{m['pairs_served']:,} served ({m['exits']:,} exited), {m['markets']} markets; "
        f"intervals: {m['bootstrap']}",
        markup=False,
    )
    emit(res.table, as_json=False, as_csv=False, title=f"Back-test {year} -> {year + ahead}")


@opportunities_app.command("exclude")
def exclude(
    reason: Annotated[str, typer.Option(help="Why (shown with every ranking).")],
    market: Annotated[
        str | None, typer.Option(help="A market to leave out (ISO3 or name).")
    ] = None,
    product: Annotated[str | None, typer.Option(help="An HS code (prefix) to leave out.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Leave a market or a product out of every ranking, with the reason.

    Example: exportplan opportunities exclude --market USA --reason "sanctions: no payments"
    """
    from exportplan.errors import InputError
    from exportplan.services import opportunities as svc

    if (market is None) == (product is None):
        raise InputError("give either --market or --product")
    ws = workspace_of(workspace)
    kind, code = ("market", market) if market is not None else ("product", product)
    assert code is not None
    c = svc.exclude(ws, kind, code, reason)
    out.print(f"{kind} {c} excluded from the rankings: {reason}", markup=False)


@opportunities_app.command("include")
def include(
    market: Annotated[str | None, typer.Option(help="A market to rank again.")] = None,
    product: Annotated[str | None, typer.Option(help="An HS code to rank again.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Take a market or product off the exclusion list.

    Example: exportplan opportunities include --market USA
    """
    from exportplan.errors import InputError
    from exportplan.services import opportunities as svc

    if (market is None) == (product is None):
        raise InputError("give either --market or --product")
    ws = workspace_of(workspace)
    kind, code = ("market", market) if market is not None else ("product", product)
    assert code is not None
    c = svc.include(ws, kind, code)
    out.print(f"{kind} {c} is ranked again")


@opportunities_app.command("exclusions")
def exclusions(
    as_json: JsonOpt = False, as_csv: CsvOpt = False, workspace: WorkspaceOpt = None
) -> None:
    """The markets and products left out of the rankings, with their reasons.

    Example: exportplan opportunities exclusions
    """
    from exportplan.services import opportunities as svc

    emit(
        svc.exclusions(workspace_of(workspace)),
        as_json=as_json,
        as_csv=as_csv,
        title="Exclusions",
    )
