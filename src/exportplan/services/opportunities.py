"""Opportunities for the region: markets for a product, products for a market, new products,
and a back-test of the potential against what happened next.

The world side (imports by market and product, their trend, the suppliers' distances and
concentration, the home country's trade) is aggregated once per level, window and data
version and kept in the workspace's cache (:mod:`exportplan.store.cache`); the potential itself
is computed from it (:func:`exportplan.analytics.potential.potential`) and cached per parameter
set. A new import changes the data version, so stale figures are never served.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import polars as pl

from exportplan.analytics import potential as pot
from exportplan.errors import InputError
from exportplan.ingest.files import read_table, sha256_file
from exportplan.reference import countries, regions
from exportplan.reference.countries import country_name as country_name  # (also read by tests)
from exportplan.reference.hs import hs_prefix
from exportplan.reference.products import name as product_name
from exportplan.reference.text import to_persian_digits
from exportplan.services.complexity import LEVELS
from exportplan.services.data import data_version
from exportplan.services.facts import facts
from exportplan.store.cache import Cache
from exportplan.store.warehouse import queries, world_window, writes
from exportplan.workspace import Workspace

UNIT = "USD a year"


@dataclass(frozen=True)
class Params:
    """Everything a potential table depends on (with the data version, its cache key)."""

    level: str = "hs6"
    year: int | None = None  # last world year of the window (default: the latest)
    window: int = 5  # years averaged for imports, actuals and trends
    region: str | None = None
    definition: str = "customs"
    options: pot.PotentialOptions = field(default_factory=pot.PotentialOptions)
    projections: Path | None = None
    tariffs: Path | None = None


@dataclass
class Result:
    """A ranked table and what every number in it is."""

    table: pl.DataFrame
    meta: dict[str, Any]


# ---- the world side ------------------------------------------------------------------------


def world_years(ws: Workspace) -> list[int]:
    return facts(ws).world_years


def _window(
    ws: Workspace, year: int | None, window: int, have: list[int] | None = None
) -> list[int]:
    have = world_years(ws) if have is None else have
    if not have:
        raise InputError(
            "no world trade data in the workspace",
            hint="import BACI or Comtrade files first (`exportplan import baci`)",
        )
    if window < 1:
        raise InputError(f"the window must be at least 1 year; got {window}")
    end = year if year is not None else have[-1]
    if end not in have:
        raise InputError(
            f"no world trade data for {end}; the workspace has {have[0]}-{have[-1]}",
        )
    return [y for y in have if end - window < y <= end]


WORLD_PARTS = world_window.PARTS


def world_side(
    ws: Workspace, *, level: str, years: list[int], version: str | None = None
) -> dict[str, pl.DataFrame]:
    """The world aggregates of a window, cached per data version (see module doc)."""
    if level not in LEVELS:
        raise InputError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")

    def compute() -> dict[str, pl.DataFrame]:
        with ws.warehouse(read_only=True) as con:
            return world_window.world_aggregates(
                con, digits=LEVELS[level], years=years, home=ws.home_country
            )

    return Cache.of(ws.path).frames(
        "world",
        {"level": level, "years": years, "home": ws.home_country, "form": world_window.FORM},
        data_version(ws) if version is None else version,
        WORLD_PARTS,
        compute,
    )


def exporters_side(
    ws: Workspace, *, level: str, years: list[int], version: str | None = None
) -> pl.DataFrame:
    """Every exporter's exports by product, averaged over the window (prod, exporter,
    exports_usd): what ITC's projected world market share weights by GDP. Cached per data
    version; read only when a projections file is given."""
    n, ny = LEVELS[level], len(years)
    yrs = ", ".join(str(int(y)) for y in years)

    def compute() -> pl.DataFrame:
        with ws.warehouse(read_only=True) as con:
            return queries.frame(
                con,
                f"""SELECT substr(hs6, 1, {n}) AS prod, exporter, sum(value_usd) / {ny}
                           AS exports_usd
                    FROM exports WHERE year IN ({yrs}) GROUP BY ALL""",
            )

    return Cache.of(ws.path).frame(
        "exporters",
        {"level": level, "years": years},
        data_version(ws) if version is None else version,
        compute,
    )


def region_actual(
    ws: Workspace, *, region: str, definition: str, level: str, years: list[int], version: str
) -> tuple[pl.DataFrame, list[int]]:
    """The region's exports by product and market, averaged over the window's years in which
    it has records (Gregorian years; Solar Hijri months without days by their 15th day); kept
    in the workspace's cache per data version (two reads of the region's flows, 0.2 s on a
    BACI-size workspace, that a change of the potential's options does not need again)."""
    key = {
        "region": region,
        "definition": definition,
        "level": level,
        "years": years,
        "home": ws.home_country,
    }
    parts = Cache.of(ws.path).frames(
        "region-actual",
        key,
        version,
        ("actual", "years"),
        lambda: _region_actual(ws, region=region, definition=definition, level=level, years=years),
    )
    return parts["actual"], sorted(int(y) for y in parts["years"].get_column("year").to_list())


def _region_actual(
    ws: Workspace, *, region: str, definition: str, level: str, years: list[int]
) -> dict[str, pl.DataFrame]:
    with ws.warehouse(read_only=True) as con:
        df = queries.region_by_market(
            con,
            region=region,
            definition=definition,
            digits=LEVELS[level],
            years=years,
            home=ws.home_country,
        )
    complete = set(complete_years(ws, region=region, definition=definition))
    have = sorted(y for y in set(df.get_column("year").to_list()) if y in complete)
    df = df.filter(pl.col("year").is_in(have))
    used = pl.DataFrame({"year": have}, schema={"year": pl.Int32})
    if not have:
        empty = pl.DataFrame(
            schema={"prod": pl.String, "market": pl.String, "actual_usd": pl.Float64}
        )
        return {"actual": empty, "years": used}
    out = df.group_by("prod", "market").agg((pl.col("v").sum() / len(have)).alias("actual_usd"))
    return {"actual": out, "years": used}


def complete_years(ws: Workspace, *, region: str, definition: str) -> list[int]:
    """Gregorian years in which the region's records cover all twelve months (a partial year
    would understate an annual average)."""
    with ws.warehouse(read_only=True) as con:
        rows = con.execute(
            """SELECT g_year_approx FROM region_flows_annual
               WHERE region = ? AND definition = ? AND g_year_approx IS NOT NULL
               GROUP BY 1 HAVING count(DISTINCT g_month_approx) = 12 ORDER BY 1""",
            [region, definition],
        ).fetchall()
    return [int(r[0]) for r in rows]


def region_point(ws: Workspace, region: str) -> tuple[float, float, str]:
    """Coordinates distances are measured from: the province's capital when known, else the
    home country's capital; with a label that says which."""
    r = regions.lookup(region)
    if r is not None:
        return r.lat, r.lon, f"{r.capital} ({r.name_en}'s capital)"
    c = countries.by_iso3().get(ws.home_country)
    if c is None or c.lat is None or c.lon is None:
        raise InputError(f"no coordinates for region {region!r} or country {ws.home_country}")
    return c.lat, c.lon, f"{c.capital}, the capital of {c.name_en} (region {region!r} not known)"


def _distances(lat: float, lon: float) -> pl.DataFrame:
    rows = [
        (c.iso3, countries.great_circle_km(lat, lon, c.lat, c.lon))
        for c in countries.all_countries()
        if c.lat is not None and c.lon is not None
    ]
    return pl.DataFrame(rows, schema={"market": pl.String, "km": pl.Float64}, orient="row")


def _read_projections(path: Path) -> pl.DataFrame:
    df = read_table(path)
    need = {"market", "gdp_ratio", "pop_ratio"}
    if not need <= set(df.columns):
        raise InputError(
            f"{path.name}: projections need the columns market, gdp_ratio, pop_ratio; found "
            f"{', '.join(df.columns)}",
            hint="gdp_ratio and pop_ratio are the horizon's value over today's, e.g. 1.18",
        )
    rows = []
    for i, r in enumerate(df.iter_rows(named=True), start=2):
        iso = countries.lookup(str(r["market"] or ""))
        if iso is None:
            raise InputError(f"{path.name} row {i}: unknown country {r['market']!r}")
        try:
            g, p = float(r["gdp_ratio"]), float(r["pop_ratio"])
        except (TypeError, ValueError) as exc:
            raise InputError(
                f"{path.name} row {i}: gdp_ratio and pop_ratio must be numbers"
            ) from exc
        if not (g > 0 and p > 0):
            raise InputError(f"{path.name} row {i}: ratios must be above 0; got {g}, {p}")
        rows.append((iso, g, p))
    return pl.DataFrame(
        rows,
        schema={"market": pl.String, "gdp_ratio": pl.Float64, "pop_ratio": pl.Float64},
        orient="row",
    )


def _read_tariffs(path: Path, level: str) -> pl.DataFrame:
    df = read_table(path)
    need = {"hs", "market", "tariff", "competitor_tariff"}
    if not need <= set(df.columns):
        raise InputError(
            f"{path.name}: tariffs need the columns hs, market, tariff, competitor_tariff; "
            f"found {', '.join(df.columns)}",
            hint="ad valorem rates as fractions (0.05 = 5%); competitor_tariff is the "
            "trade-weighted rate the market applies to its other suppliers",
        )
    n = LEVELS[level]
    rows = []
    for i, r in enumerate(df.iter_rows(named=True), start=2):
        iso = countries.lookup(str(r["market"] or ""))
        if iso is None:
            raise InputError(f"{path.name} row {i}: unknown country {r['market']!r}")
        code = hs_prefix(str(r["hs"] or ""), where=f"{path.name} row {i}: ")
        if len(code) < n:
            raise InputError(
                f"{path.name} row {i}: HS code {r['hs']!r} has fewer than the {n} digits of "
                f"level {level}"
            )
        try:
            t, c = float(r["tariff"]), float(r["competitor_tariff"])
        except (TypeError, ValueError) as exc:
            raise InputError(f"{path.name} row {i}: tariffs must be numbers") from exc
        if not (0 <= t < 10 and 0 <= c < 10):
            raise InputError(f"{path.name} row {i}: tariffs are fractions (0.05 = 5%)")
        rows.append((code[:n], iso, t, c))
    out = pl.DataFrame(
        rows,
        schema={
            "prod": pl.String,
            "market": pl.String,
            "tariff": pl.Float64,
            "competitor_tariff": pl.Float64,
        },
        orient="row",
    )
    dup = out.filter(pl.struct("prod", "market").is_duplicated())
    if dup.height:
        r0 = dup.row(0, named=True)
        raise InputError(f"{path.name}: {r0['prod']} to {r0['market']} is given more than once")
    return out


EASE_LABELS = {
    "auto": "auto",
    "country": "the home country's ratio (its exports to the market over what its product "
    "shares predict), for every market",
    "region": "the region's ratio (its exports to the market over what its product shares "
    "predict), for every market: zero where it has never sold",
}


def itc_terms(p: Params) -> dict[str, str]:
    """Which of ITC's terms (methodology 7.2) the potential applies, and how."""
    proj = p.projections.name if p.projections else None
    tar = p.tariffs.name if p.tariffs else None
    return {
        "supply: world market share": (
            f"applied, projected with the exporters' GDP ratios from {proj} (exporters not in "
            "it: the file's mean ratio; the region: the home country's)"
            if proj
            else "applied (region's exports / world exports, today's)"
        ),
        "supply: exporters' GDP projection": (
            f"applied from {proj}" if proj else "not applied (no projections file)"
        ),
        "supply: net-importer penalty": "applied (the home country's exports / imports)",
        "supply: global tariff (dis)advantage": (
            f"applied from {tar} (products without a row: neutral)"
            if tar
            else "not applied (no tariff file: tariffs count as neutral)"
        ),
        "demand: market's imports": "applied",
        "demand: GDP and population projection": (
            f"applied where {proj} has the market; else {p.options.growth_source}"
            if proj
            else f"not applied (no projections file); growth: {p.options.growth_source}"
        ),
        "demand: tariff advantage": (
            f"applied from {tar} (pairs without a row: neutral)"
            if tar
            else "not applied (no tariff file: tariffs count as neutral)"
        ),
        "ease: bilateral trade ratio": f"applied, {EASE_LABELS[p.options.ease_basis]}",
        "ease: distance": f"applied ({p.options.distance})"
        if p.options.distance != "none"
        else "not applied (--distance none)",
    }


def _file_hash(path: Path | None) -> str | None:
    return None if path is None else sha256_file(path)


def table(ws: Workspace, params: Params) -> Result:
    """The region's potential over every product x market of the window, with every term (the
    ease of trade on one basis: ``auto`` is the country's for a table of every market)."""
    p = params
    p.options.check()
    if p.options.ease_basis == "auto":
        p = replace(p, options=replace(p.options, ease_basis="country"))
    if p.definition not in ("customs", "origin"):
        raise InputError(f"definition must be customs or origin; got {p.definition!r}")
    region = p.region or ws.home_region
    f = facts(ws)
    years = _window(ws, p.year, p.window, f.world_years)
    key = {
        "level": p.level,
        "years": years,
        "region": region,
        "definition": p.definition,
        "options": asdict(p.options),
        "projections": _file_hash(p.projections),
        "tariffs": _file_hash(p.tariffs),
        "home": ws.home_country,
    }
    lat, lon, origin = region_point(ws, region)
    actual, region_years = region_actual(
        ws,
        region=region,
        definition=p.definition,
        level=p.level,
        years=years,
        version=f.data_version,
    )
    meta = {
        "region": region,
        "definition": p.definition,
        "definition_label": _definition_label(p.definition),
        "unit": UNIT,
        "value": "potential at the horizon; actual = average over the region's complete years",
        "level": p.level,
        "world_years": years,
        "region_years": region_years,
        "calendar": "Gregorian (Solar Hijri months without days counted by their 15th day)",
        "horizon_years": p.options.horizon,
        "demand_growth": (
            f"projections ({p.projections.name}) where a market has a row; else "
            if p.projections
            else ""
        )
        + p.options.growth_source,
        "ease_basis": p.options.ease_basis,
        "ease_basis_label": EASE_LABELS[p.options.ease_basis],
        "itc_terms": itc_terms(p),
        "distance_from": origin,
        "options": asdict(p.options),
        "projections": str(p.projections) if p.projections else None,
        "tariffs": str(p.tariffs) if p.tariffs else None,
        "sources": f.sources,
        "synthetic": f.synthetic,
    }
    if not region_years:
        raise InputError(
            f"no {p.definition} exports of {region!r} in {years[0]}-{years[-1]}, the years of the "
            "world data",
            hint="import the region's customs files, or choose another --year / --definition",
        )

    def compute() -> pl.DataFrame:
        world = world_side(ws, level=p.level, years=years, version=f.data_version)
        inp = pot.Inputs(
            imports=world["imports"],
            world=world["world"].select(
                "prod", "world_usd", "country_exports_usd", "country_imports_usd"
            ),
            region=actual,
            country_to=world["country_to"],
            suppliers=None,  # carried by the imports
            distance=_distances(lat, lon),
            projections=_read_projections(p.projections) if p.projections else None,
            tariffs=_read_tariffs(p.tariffs, p.level) if p.tariffs else None,
            exporters=exporters_side(ws, level=p.level, years=years, version=f.data_version)
            if p.projections
            else None,
            home=ws.home_country,
        )
        return pot.potential(inp, p.options)

    df = Cache.of(ws.path).frame(
        "potential", key, f.data_version, compute, compression="lz4", background=True
    )
    return Result(df, meta)


def _definition_label(definition: str) -> str:
    from exportplan.domain import DEFINITION_LABELS

    return DEFINITION_LABELS.get(definition, definition)


# ---- exclusions ----------------------------------------------------------------------------

ExclusionKind = Literal["market", "product"]


def exclusions(ws: Workspace) -> pl.DataFrame:
    with ws.warehouse(read_only=True) as con:
        return queries.exclusions(con)


def _exclusion_code(kind: str, code: str) -> str:
    if kind == "market":
        iso = countries.lookup(code)
        if iso is None:
            hint = countries.suggest(code)
            raise InputError(
                f"unknown country {code!r}" + (f"; did you mean {hint}?" if hint else "")
            )
        return iso
    if kind == "product":
        return hs_prefix(code)
    raise InputError(f"an exclusion is of a market or a product; got {kind!r}")


def exclude(ws: Workspace, kind: str, code: str, reason: str) -> str:
    """Keep a market or a product (HS prefix) out of the rankings, with the reason."""
    if not reason.strip():
        raise InputError("say why (--reason): the council will ask")
    c = _exclusion_code(kind, code)
    with ws.warehouse() as con:
        writes.set_exclusion(con, kind, c, reason.strip())
    return c


def include(ws: Workspace, kind: str, code: str) -> str:
    c = _exclusion_code(kind, code)
    with ws.warehouse() as con:
        if writes.remove_exclusion(con, kind, c) == 0:
            raise InputError(f"{kind} {c} is not excluded")
    return c


def _apply_exclusions(ws: Workspace, df: pl.DataFrame) -> tuple[pl.DataFrame, list[dict[str, str]]]:
    ex = exclusions(ws)
    used: list[dict[str, str]] = []
    for kind, code, reason in ex.select("kind", "code", "reason").iter_rows():
        column = "market" if kind == "market" else "prod"
        if column not in df.columns:
            continue
        hit = pl.col(column) == code if kind == "market" else pl.col(column).str.starts_with(code)
        n = df.filter(hit).height
        if n:
            used.append({"kind": kind, "code": code, "reason": reason})
            df = df.filter(~hit)
    return df, used


# ---- rankings ------------------------------------------------------------------------------


def _product_code(code: str) -> tuple[str, str]:
    c = hs_prefix(code)
    return c, f"hs{len(c)}"


def markets(
    ws: Workspace,
    product: str,
    *,
    params: Params | None = None,
    weights: str | dict[str, float] | None = None,
    top: int | None = 20,
    lang: str = "en",
) -> Result:
    """Markets for one product, ranked (default: by untapped potential), with the reasons."""
    code, level = _product_code(product)
    p = params or Params()
    if p.level != level:
        p = Params(**{**_params_dict(p), "level": level})
    res = table(ws, p)
    df = res.table.filter(pl.col("prod") == code)
    if df.height == 0:
        raise InputError(
            f"HS {code} has no world trade in {res.meta['world_years'][0]}-"
            f"{res.meta['world_years'][-1]}",
            hint="check the code, or try its heading (4 digits)",
        )
    if float(df.get_column("supply").sum()) == 0:
        res.meta["note"] = (
            f"the region had no {p.definition} exports of HS {code} in the window, so its "
            "potential is zero everywhere: see `exportplan opportunities new-products`"
        )
    return _ranked(ws, df, res.meta, weights, key="market", top=top, lang=lang)


def products(
    ws: Workspace,
    market: str,
    *,
    params: Params | None = None,
    weights: str | dict[str, float] | None = None,
    top: int | None = 20,
    lang: str = "en",
) -> Result:
    """Products for one market, ranked (default: by untapped potential), with the reasons."""
    iso = countries.lookup(market)
    if iso is None:
        hint = countries.suggest(market)
        raise InputError(
            f"unknown country {market!r}" + (f"; did you mean {hint}?" if hint else "")
        )
    p = params or Params()
    res = table(ws, p)
    if p.options.ease_basis == "auto":
        # one market: the region's own ratio when it sells there, else the country's
        sold = res.table.filter(pl.col("market") == iso).get_column("region_to_usd")
        if sold.len() and float(sold.max() or 0.0) > 0:  # type: ignore[arg-type]
            res = table(ws, replace(p, options=replace(p.options, ease_basis="region")))
    df = res.table.filter((pl.col("market") == iso) & (pl.col("supply") > 0))
    if df.height == 0:
        raise InputError(
            f"no imports by {iso} of the region's products in {res.meta['world_years'][0]}-"
            f"{res.meta['world_years'][-1]}"
        )
    return _ranked(ws, df, res.meta, weights, key="prod", top=top, lang=lang)


def _params_dict(p: Params) -> dict[str, Any]:
    return {f: getattr(p, f) for f in p.__dataclass_fields__}


def _ranked(
    ws: Workspace,
    df: pl.DataFrame,
    meta: dict[str, Any],
    weights: str | dict[str, float] | None,
    *,
    key: str,
    top: int | None,
    lang: str,
) -> Result:
    w = pot.parse_weights(weights, pot.FACTORS) if weights else dict(pot.DEFAULT_WEIGHTS)
    df, used = _apply_exclusions(ws, df)
    ranked = pot.rank(df, w, key=key)
    n = ranked.height
    ranked = ranked.with_columns(
        pl.col("imports_usd").rank("ordinal", descending=True).alias("size_rank")
    )
    if top is not None:
        ranked = ranked.head(top)
    reasons = [reason(row, n=n, key=key, lang=lang) for row in ranked.iter_rows(named=True)]
    ranked = ranked.with_columns(pl.Series("reason", reasons, dtype=pl.String))
    meta = {**meta, "weights": w, "ranked_among": n, "excluded": used}
    return Result(ranked, meta)


def reason(row: dict[str, Any], *, n: int, key: str, lang: str = "en") -> str:
    """Why a row ranks where it does, from its own terms."""
    from exportplan import i18n

    lg: i18n.Lang = "fa" if lang == "fa" else "en"
    num, pc = i18n.number, i18n.percent
    prod = str(row["prod"])
    named = product_name(prod, lg)  # the code with its name, in the reason's language
    code = to_persian_digits(prod) if lg == "fa" else prod
    hs = f"{'کالای' if lg == 'fa' else 'HS'} {code}" + (f" ({named})" if named else "")
    who = country_name(row["market"], lg) if key == "market" else hs
    subject = country_name(row["market"], lg) if key == "prod" else hs  # the fixed side
    g = row["growth_pa"] or 0.0
    parts: list[str] = []
    if lg == "fa":
        parts.append(
            f"{who} رتبه {num(row['rank'], lg)} از {num(n, lg)} برای {subject}: "
            f"واردات آن {'بزرگ' if row['size_rank'] <= max(3, n // 10) else 'متوسط'} است "
            f"({num(row['imports_usd'], lg)} دلار در سال، رتبه {num(row['size_rank'], lg)})"
        )
        parts.append(
            ("رو به رشد" if g > 0.005 else "رو به کاهش" if g < -0.005 else "ثابت")
            + f" ({pc(100 * g, lg)} در سال)"
        )
        if row["actual_usd"] > 0:
            parts.append(
                f"هم‌اکنون {num(row['actual_usd'], lg)} دلار در سال می‌فروشیم "
                f"(تحقق {pc(100 * (row['realised'] or 0), lg, signed=False)})"
            )
        basis = "استان" if row["ease_basis"] == "region" else "کشور"
        parts.append(f"سهولت تجارت {num(row['ease_trade'], lg, decimals=2)} (بر پایه {basis})")
        if row["supplier_km"]:
            near = row["km"] <= row["supplier_km"]
            parts.append(
                f"{'نزدیک‌تر' if near else 'دورتر'} از دیگر تأمین‌کنندگان "
                f"({num(row['km'], lg)} در برابر {num(row['supplier_km'], lg)} کیلومتر)"
            )
        if row["tariff"] is not None:
            parts.append(
                f"تعرفه {pc(100 * row['tariff'], lg, signed=False)} در برابر "
                f"{pc(100 * row['competitor_tariff'], lg, signed=False)} برای رقبا"
            )
        return "؛ ".join(parts)
    size = "large" if row["size_rank"] <= max(3, n // 10) else "moderate"
    parts.append(
        f"{who} ranks {row['rank']} of {n} for {subject}: its imports are {size} "
        f"(USD {row['imports_usd']:,.0f} a year, {_ordinal(row['size_rank'])} largest)"
    )
    trend = "growing" if g > 0.005 else "shrinking" if g < -0.005 else "flat"
    parts.append(f"{trend} ({100 * g:+.1f}%/yr)")
    if row["actual_usd"] > 0:
        parts.append(
            f"we already sell USD {row['actual_usd']:,.0f} a year there "
            f"(realised {100 * (row['realised'] or 0):.0f}%)"
        )
    basis = "the region's" if row["ease_basis"] == "region" else "the country's"
    parts.append(f"ease of trade {row['ease_trade']:.2f} (from {basis} trade with it)")
    if row["supplier_km"]:
        near = row["km"] <= row["supplier_km"]
        parts.append(
            f"it is {'close' if near else 'far'} compared with its other suppliers "
            f"({row['km']:,.0f} km against {row['supplier_km']:,.0f} km)"
        )
    if row["tariff"] is not None:
        parts.append(
            f"tariff {100 * row['tariff']:.1f}% against {100 * row['competitor_tariff']:.1f}% "
            "for competitors"
        )
    return "; ".join(parts)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# ---- new products --------------------------------------------------------------------------


def new_products(
    ws: Workspace,
    *,
    params: Params | None = None,
    preset: str = "balanced",
    weights: str | dict[str, float] | None = None,
    top: int | None = 20,
    markets_per_product: int = 3,
) -> Result:
    """Products the region does not yet export competitively (RCA < 1 in the subnational
    projection), scored on feasibility (density) against attractiveness (PCI, COG, world
    trade and its growth), each with the markets where its demand is largest."""
    from exportplan.analytics.ecomplexity import Options
    from exportplan.services import complexity_report

    p = params or Params(level="hs4")
    if weights:
        w = pot.parse_weights(weights, pot.NEW_FACTORS)
        preset_name = "custom"
    else:
        if preset not in pot.PRESETS:
            raise InputError(f"preset must be one of {', '.join(pot.PRESETS)}; got {preset!r}")
        w, preset_name = dict(pot.PRESETS[preset]), preset
    region = p.region or ws.home_region
    years = _window(ws, p.year, p.window)
    end = years[-1]
    # the same computation as `exportplan complexity` (the Atlas sample filter by default), so
    # the PCI, density and COG here are the ones that command prints
    report = complexity_report.report(
        ws,
        level=p.level,
        years=[end],
        region=region,
        region_mode="subnational",
        definition=p.definition,
        options=Options(),
    )
    cx = report.frame
    reg = cx.filter(pl.col("loc") == f"region:{region}")
    if reg.height == 0:
        raise InputError(f"no {p.definition} exports of {region!r} in {end}")
    world = world_side(ws, level=p.level, years=years)
    cands = (
        reg.filter(pl.col("rca").fill_null(0.0) < 1.0)
        .select(pl.col("prod"), "rca", "density", "pci", "cog")
        .join(world["world"].select("prod", "world_usd", "world_trend_pa"), on="prod", how="inner")
        .filter(pl.col("pci").is_not_null() & pl.col("density").is_not_null())
        .with_columns(pl.col("world_usd").log1p().alias("log_world_usd"))
    )
    cands, used = _apply_exclusions(ws, cands)
    scored = pot.new_product_scores(cands, w)
    n = scored.height
    if top is not None:
        scored = scored.head(top)
    # where each new product's demand is largest, adjusted for the ease of trade and distance
    res = table(ws, p)
    mk = res.table.filter(pl.col("prod").is_in(scored.get_column("prod").implode())).with_columns(
        (pl.col("demand") * pl.col("ease_trade") * pl.col("distance_factor")).alias("pdi")
    )
    if used:
        excluded_markets = [u["code"] for u in used if u["kind"] == "market"]
        mk = mk.filter(~pl.col("market").is_in(excluded_markets))
    best = (
        mk.sort(["pdi", "market"], descending=[True, False])
        .group_by("prod", maintain_order=True)
        .head(markets_per_product)
        .group_by("prod")
        .agg(pl.col("market").str.join(", ").alias("markets"))
    )
    scored = scored.join(best, on="prod", how="left").sort("rank")
    meta = {
        **res.meta,
        "complexity_year": end,
        "preset": preset_name,
        "weights": w,
        "ranked_among": n,
        "excluded": used,
        "feasibility": "density of the region (subnational projection on the world's product "
        "space, RCA >= 1, Stata conventions)",
        "complexity": "as `exportplan complexity` reports it: sample filter "
        + report.sample.description,
        "markets": "largest projected demand x ease of trade x distance factor",
    }
    return Result(scored, meta)
