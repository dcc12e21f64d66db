"""Monitoring: the target, the year to date, why exports moved, where the year will end.

Every figure is computed here and only here; the CLI (and later the web pages and reports)
format what these functions return. Each result says what it counts: the region, the export
definition (goods leaving through the region's customs, or goods made in the region: never
added together), the calendar and months, the unit (USD), and whether synthetic data is in it.

Comparisons are like for like: months ``1..m`` of a year against months ``1..m`` of the year
before. "This year" for a Persian user is the Solar Hijri year to date (``calendar="sh"``);
``calendar="g"`` gives the Gregorian equivalents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import polars as pl

from exportplan.analytics import decomposition as dec
from exportplan.analytics.forecast import Forecast, forecast_year
from exportplan.domain import DEFINITION_LABELS, DEFINITIONS
from exportplan.errors import InputError, NotFoundError
from exportplan.services.plan_of_record import plan_of_record
from exportplan.store.warehouse import queries, writes
from exportplan.workspace import Workspace

Calendar = Literal["sh", "g"]
BY = ("hs2", "hs4", "hs6", "partner", "office", "size")
SIZE_CLASSES = (
    (0.0, 1e6, "under USD 1 m"),
    (1e6, 1e7, "USD 1-10 m"),
    (1e7, 5e7, "USD 10-50 m"),
    (5e7, float("inf"), "USD 50 m and more"),
)


@dataclass(frozen=True)
class Scope:
    """Which exports: a region, a definition, and optionally a slice (a sub-target's node)."""

    region: str
    definition: str = "customs"
    hs: tuple[str, ...] = ()  # HS code prefixes at any level
    partners: tuple[str, ...] = ()  # ISO3
    offices: tuple[str, ...] = ()
    calendar: Calendar = "sh"

    @property
    def summary_ok(self) -> bool:
        """The monthly summary can answer this scope (HS prefixes of at most 6 digits)."""
        return all(len(h) <= 6 for h in self.hs)

    def table(self) -> str:
        return "region_summary" if self.summary_ok else "region_flows"

    def where(self) -> tuple[str, list[Any]]:
        if self.definition not in DEFINITIONS:
            raise InputError(f"definition must be one of {', '.join(DEFINITIONS)}")
        sql, params = ["region = ?", "definition = ?"], [self.region, self.definition]
        if self.hs:
            col = "hs6" if self.summary_ok else "hs_code"
            sql.append("(" + " OR ".join(f"starts_with({col}, ?)" for _ in self.hs) + ")")
            params.extend(self.hs)
        if self.partners:
            sql.append(f"partner IN ({', '.join('?' for _ in self.partners)})")
            params.extend(self.partners)
        if self.offices:
            sql.append(f"customs_office IN ({', '.join('?' for _ in self.offices)})")
            params.extend(self.offices)
        y, m = self.columns()
        sql.append(f"{y} IS NOT NULL AND {m} IS NOT NULL")
        return " AND ".join(sql), params

    def columns(self) -> tuple[str, str]:
        return ("sh_year", "sh_month") if self.calendar == "sh" else ("g_year", "g_month")

    def label(self) -> str:
        parts = [f"{self.region}, {DEFINITION_LABELS[self.definition]}"]
        if self.hs:
            parts.append("HS " + "/".join(self.hs))
        if self.partners:
            parts.append("to " + "/".join(self.partners))
        if self.offices:
            parts.append("via " + "/".join(self.offices))
        return "; ".join(parts)


Con = Any  # a DuckDB connection


def _coverage(con: Con, scope: Scope) -> tuple[int, int, int, int] | None:
    """First and last (year, month) with any data for the region and definition (whole region:
    a slice with no exports in a month still has a known zero)."""
    y, m = scope.columns()
    rows = con.execute(
        f"SELECT min({y}::INTEGER * 100 + {m}), max({y}::INTEGER * 100 + {m}) FROM region_summary "
        f"WHERE region = ? AND definition = ? AND {y} IS NOT NULL AND {m} IS NOT NULL",
        [scope.region, scope.definition],
    ).fetchall()
    if not rows or rows[0][0] is None:
        return None
    lo, hi = int(rows[0][0]), int(rows[0][1])
    return lo // 100, lo % 100, hi // 100, hi % 100


#: What a monthly series sums: the value (USD) or the weight (kg; rows without one add nothing)
MEASURE_COLUMNS = {"value": "value_usd", "weight": "weight_kg"}


def monthly(ws: Workspace, scope: Scope, measure: str = "value") -> dict[int, np.ndarray]:
    """Monthly exports (USD, or kg with ``measure="weight"``) per year of the scope; NaN for
    months outside the data's coverage."""
    with ws.warehouse(read_only=True) as con:
        return _monthly(con, scope, measure)


def monthly_many(ws: Workspace, scopes: list[Scope]) -> list[dict[int, np.ndarray]]:
    """:func:`monthly` (the value, USD) of several scopes on one reading of the warehouse (a
    target tree's slices)."""
    with ws.warehouse(read_only=True) as con:
        return [_monthly(con, scope) for scope in scopes]


def monthly_sql(scope: Scope, measure: str = "value") -> tuple[str, list[Any]]:
    """The query behind :func:`monthly` and its parameters (shown with checked claims)."""
    y, m = scope.columns()
    where, params = scope.where()
    if measure not in MEASURE_COLUMNS:
        raise InputError(f"measure must be one of {', '.join(MEASURE_COLUMNS)}, not {measure!r}")
    column = MEASURE_COLUMNS[measure]
    sql = f"SELECT {y}, {m}, sum({column}) FROM {scope.table()} WHERE {where} GROUP BY ALL"
    return sql, params


#: what a count of a region's exports counts, and the column it counts
COUNTED = {"countries": "partner", "exporters": "exporter"}


def distinct_count_sql(
    scope: Scope, counted: str, year: int, first: int, last: int
) -> tuple[str, list[Any]]:
    """The query behind :func:`distinct_count` and its parameters (shown with checked claims)."""
    if counted not in COUNTED:
        raise InputError(f"a count is of {' or '.join(COUNTED)}, not {counted!r}")
    column = COUNTED[counted]
    y, m = scope.columns()
    where, params = scope.where()
    # exporters from the customs rows themselves (the exporters' summary may name them
    # otherwise); countries from the monthly summary when it can answer the scope
    table = "region_flows" if counted == "exporters" else scope.table()
    sql = (
        f"SELECT count(DISTINCT {column}) FROM {table} WHERE {where} AND {y} = ? "
        f"AND {m} BETWEEN ? AND ? AND value_usd > 0"
    )
    return sql, [*params, year, first, last]


def distinct_count(
    ws: Workspace, scope: Scope, counted: str, year: int, first: int, last: int
) -> int:
    """How many destination countries (``counted="countries"``) or exporters (``"exporters"``,
    as named in the customs rows; rows without a name are not counted) the scope's exports
    went to or came from in months ``first``-``last`` of ``year`` (the scope's calendar)."""
    sql, params = distinct_count_sql(scope, counted, year, first, last)
    with ws.warehouse(read_only=True) as con:
        return int(con.execute(sql, params).fetchall()[0][0])


def _monthly(con: Con, scope: Scope, measure: str = "value") -> dict[int, np.ndarray]:
    sql, params = monthly_sql(scope, measure)
    rows = con.execute(sql, params).fetchall()
    if scope.hs or scope.partners or scope.offices:
        cov = _coverage(con, scope)  # a slice's empty months are zeros within the region's data
    elif rows:
        keys = [int(r[0]) * 100 + int(r[1]) for r in rows]
        cov = (min(keys) // 100, min(keys) % 100, max(keys) // 100, max(keys) % 100)
    else:
        cov = None
    if cov is None:
        return {}
    y0, m0, y1, m1 = cov
    out = {yy: np.zeros(12) for yy in range(y0, y1 + 1)}
    out[y0][: m0 - 1] = np.nan
    out[y1][m1:] = np.nan
    for yy, mm, v in rows:
        out[int(yy)][int(mm) - 1] = float(v or 0.0)
    return out


def data_note(con: Con, scope: Scope) -> str:
    """What the figures rest on: the datasets, and a warning when any is synthetic."""
    rows = con.execute(
        "SELECT count(*), bool_or(synthetic) FROM datasets WHERE kind = 'customs' AND region = ? "
        "AND definition LIKE '%' || ? || '%'",
        [scope.region, scope.definition],
    ).fetchall()
    n, synthetic = rows[0]
    note = f"{n} customs dataset(s) of {scope.region}"
    return note + (" (SYNTHETIC DATA)" if synthetic else "")


def get_target(ws: Workspace, region: str, sh_year: int, definition: str) -> float | None:
    """The year's target: the program's total when a program exists (the plan of record),
    else the one set with `exportplan target set`."""
    return plan_of_record(ws, sh_year, definition, region=region).target_usd


def plan_target(ws: Workspace, region: str, sh_year: int, definition: str) -> float | None:
    """The total of the region's program for the year and definition (None without one)."""
    rec = plan_of_record(ws, sh_year, definition, region=region)
    return rec.target_usd if rec.target_source == "program" else None


def targets_set(ws: Workspace) -> pl.DataFrame:
    """The targets set with `exportplan target set` (a program's total, where there is one,
    is the target of record instead): region, sh_year, definition, value_usd, source, note."""
    with ws.warehouse(read_only=True) as con:
        return queries.targets_set(con)


def set_target(
    ws: Workspace, region: str, sh_year: int, definition: str, value_usd: float, note: str = ""
) -> None:
    """The annual export target of a region for a Solar Hijri year and a definition."""
    if definition not in DEFINITIONS:
        raise InputError(f"definition must be one of {', '.join(DEFINITIONS)}")
    if not value_usd > 0:
        raise InputError("a target must be a positive amount in USD")
    if plan_target(ws, region, sh_year, definition) is not None:
        raise InputError(
            f"{region} has a {definition} program for {sh_year}: its total is the target",
            hint=f"change it with `exportplan program update --year {sh_year} --target ...`",
        )
    with ws.warehouse() as con:
        writes.set_target(con, region, sh_year, definition, value_usd, note)


@dataclass
class Status:
    """Where a scope stands in a year, with everything it counts said."""

    scope: str
    definition: str
    calendar: str
    year: int
    months: int  # the period ends with this month; the year to date runs 1..months
    period: str  # ytd, quarter (to date) or month
    first_month: int
    value: float  # exports in months first_month..months
    unit: str
    data: str
    ytd: float
    same_period_last_year: float | None  # months first_month..months of the year before
    growth_pct: float | None  # of value against same_period_last_year
    target: float | None
    share_of_target_pct: float | None
    needed_monthly: float | None
    last_year_same_remaining_monthly: float | None
    forecast: float | None  # the headline, = forecast_central (the raw rule: Forecast.point)
    forecast_central: float | None  # bias-corrected by the back-test: the intervals' centre
    low80: float | None
    high80: float | None
    low95: float | None
    high95: float | None
    p_target: float | None
    coverage80: float | None
    coverage95: float | None
    backtest_years: int
    method: str
    notes: list[str] = field(default_factory=list)
    p_target_text: str = "-"  # as it should be shown: whole percent, ">99%" / "<1%" at the clips
    no_interval_reason: str | None = None  # why there is a point forecast only (no interval)


def _resolve_month(series: dict[int, np.ndarray], year: int, month: int | None) -> int:
    if year not in series:
        raise NotFoundError(
            f"no exports recorded in year {year}",
            hint=f"years with data: {', '.join(map(str, sorted(series)))}",
        )
    known = np.flatnonzero(np.isfinite(series[year]))
    if known.size == 0:
        raise NotFoundError(f"no exports recorded in year {year}")
    last = int(known.max()) + 1
    if month is None:
        return last
    if not 1 <= month <= 12:
        raise InputError(f"month must be 1-12, got {month}")
    if month > last:
        raise InputError(f"year {year} has data through month {last} only; asked for month {month}")
    if int(known.min()) > 0:
        raise InputError(
            f"year {year} has no data for its first months: the year to date is unknown"
        )
    return month


def status(
    ws: Workspace,
    scope: Scope,
    year: int,
    month: int | None = None,
    target: float | None = None,
    period: str = "ytd",
) -> Status:
    """A period (the year to date, the quarter to date, or one month) against the same months
    of the previous year; and the target and the forecast, which are about the year."""
    if (
        target is None
        and scope.calendar == "sh"
        and not (scope.hs or scope.partners or scope.offices)
    ):
        target = get_target(ws, scope.region, year, scope.definition)
    with ws.warehouse(read_only=True) as con:
        return _status(con, scope, year, month, target, period)


def _window(period: str, m: int) -> int:
    """First month of the period that ends at month ``m``."""
    if period == "ytd":
        return 1
    if period == "quarter":
        return 3 * ((m - 1) // 3) + 1
    if period == "month":
        return m
    raise InputError(f"period must be ytd, quarter or month, not {period!r}")


def _status(
    con: Con, scope: Scope, year: int, month: int | None, target: float | None, period: str = "ytd"
) -> Status:
    series = _monthly(con, scope)
    m = _resolve_month(series, year, month)
    first = _window(period, m)
    ytd = float(series[year][:m].sum())
    value = float(series[year][first - 1 : m].sum())
    prev = series.get(year - 1)
    window_known = prev is not None and np.isfinite(prev[first - 1 : m]).all()
    same = float(prev[first - 1 : m].sum()) if prev is not None and window_known else None
    growth = 100.0 * (value / same - 1.0) if same else None
    notes: list[str] = []
    fc: Forecast | None = None
    try:
        fc = forecast_year(series, year, m, target=target)
    except InputError as exc:
        notes.append(f"no forecast: {exc}")
    if fc is not None and fc.no_interval_reason:
        notes.append(f"point forecast only: {fc.no_interval_reason}")
    share = 100.0 * ytd / target if target else None
    needed = max(0.0, (target - ytd) / (12 - m)) if target and m < 12 else None
    last_same = None
    if prev is not None and m < 12 and np.isfinite(prev[m:]).all():
        last_same = float(prev[m:].mean())
    if same is None:
        notes.append(
            f"no like-for-like comparison: months {first}-{m} of {year - 1} are not all recorded"
        )
    return Status(
        scope=scope.label(),
        definition=scope.definition,
        calendar=scope.calendar,
        year=year,
        months=m,
        period=period,
        first_month=first,
        value=value,
        unit="USD",
        data=data_note(con, scope),
        ytd=ytd,
        same_period_last_year=same,
        growth_pct=growth,
        target=target,
        share_of_target_pct=share,
        needed_monthly=needed,
        last_year_same_remaining_monthly=last_same,
        forecast=fc.central if fc else None,  # the headline: the intervals' centre
        forecast_central=fc.central if fc else None,
        low80=fc.low80 if fc else None,
        high80=fc.high80 if fc else None,
        low95=fc.low95 if fc else None,
        high95=fc.high95 if fc else None,
        p_target=fc.p_target if fc else None,
        coverage80=fc.coverage80 if fc else None,
        coverage95=fc.coverage95 if fc else None,
        backtest_years=len(fc.backtests) if fc else 0,
        method=(fc.method if fc else "") + (f"; seasonal share from {fc.years_used}" if fc else ""),
        notes=notes,
        p_target_text=fc.p_target_text if fc else "-",
        no_interval_reason=fc.no_interval_reason if fc else None,
    )


def series_table(ws: Workspace, scope: Scope) -> pl.DataFrame:
    """Every month of the data: value, the same month a year before, and the growth."""
    months = monthly(ws, scope)
    rows = []
    for y in sorted(months):
        for i, v in enumerate(months[y]):
            if np.isnan(v):
                continue
            before = months.get(y - 1)
            b = float(before[i]) if before is not None and np.isfinite(before[i]) else None
            rows.append((y, i + 1, float(v), b, 100.0 * (v / b - 1.0) if b else None))
    return pl.DataFrame(
        rows,
        schema=["year", "month", "value_usd", "same_month_last_year", "growth_pct"],
        orient="row",
    )


def forecast(
    ws: Workspace, scope: Scope, year: int, month: int | None = None, target: float | None = None
) -> Forecast:
    """The forecast with its back-test year by year."""
    series = monthly(ws, scope)
    m = _resolve_month(series, year, month)
    if target is None and scope.calendar == "sh":
        target = get_target(ws, scope.region, year, scope.definition)
    return forecast_year(series, year, m, target=target)


@dataclass
class Drivers:
    scope: str
    by: str
    year: int
    months: int
    calendar: str
    unit: str
    total_before: float
    total_now: float
    growth_pct: float | None
    table: pl.DataFrame  # key, label, before, now, change, contribution_pp
    margins: dec.Margins
    price_volume: dec.PriceVolume
    notes: list[str] = field(default_factory=list)
    others: int = 0  # items added up in the last row (key OTHER_KEY) when ``top`` cut the table


#: The key of the row that adds up the items ``top`` left out
OTHER_KEY = "(all other)"


def _top_and_rest(table: pl.DataFrame, top: int) -> tuple[pl.DataFrame, int]:
    """The ``top`` items that moved most (largest absolute change, up or down), in the table's
    order, and one row adding up all the others (so the rows still add up to the change)."""
    ranked = table.with_row_index("_i").with_columns(pl.col("change").abs().alias("_abs"))
    keep = ranked.sort(["_abs", "_i"], descending=[True, False]).head(top).get_column("_i")
    kept = ranked.filter(pl.col("_i").is_in(keep.implode())).sort("_i")
    rest = ranked.filter(~pl.col("_i").is_in(keep.implode()))
    other = pl.DataFrame(
        {
            "key": [OTHER_KEY],
            "label": [f"all other ({rest.height})"],
            "before": [float(rest["before"].sum())],
            "now": [float(rest["now"].sum())],
            "change": [float(rest["change"].sum())],
            "contribution_pp": [float(rest["contribution_pp"].sum())],
        },
        schema=table.schema,
    )
    return pl.concat([kept.drop("_i", "_abs"), other]), rest.height


def _period_items(
    con: Con,
    scope: Scope,
    year: int,
    m: int,
    keys: dict[str, str],
    extra: str | None = None,
    table: str | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """Months 1..m of ``year`` and of the year before, grouped by ``keys`` (alias -> SQL):
    values, weights, and how many rows lack a weight. With ``extra`` (an SQL key), a second
    grouping by it comes from the same scan (GROUPING SETS), returned with column ``key``."""
    y, mo = scope.columns()
    where, params = scope.where()
    source = table or scope.table()
    if source == "region_summary":
        unweighed = "sum(n_unweighed) FILTER (WHERE " + y + " = {year})"
    elif source == "region_summary_exporters":
        unweighed = "0"
    else:
        unweighed = "count(*) FILTER (WHERE " + y + " = {year} AND weight_kg IS NULL)"
    weight = "NULL" if source == "region_summary_exporters" else "weight_kg"
    key_sql = ", ".join(f"{sql} AS {alias}" for alias, sql in keys.items())
    group = "ALL"
    if extra is not None:
        key_sql += f", {extra} AS key, grouping({extra}) AS _set"
        group = f"GROUPING SETS (({', '.join(keys.values())}), ({extra}))"
    frame = queries.frame(
        con,
        f"""SELECT {key_sql},
                   sum(value_usd) FILTER (WHERE {y} = $now) AS now,
                   sum(value_usd) FILTER (WHERE {y} = $before) AS before,
                   sum({weight}) FILTER (WHERE {y} = $now) AS q_now,
                   sum({weight}) FILTER (WHERE {y} = $before) AS q_before,
                   {unweighed.format(year="$now")} AS unweighed_now,
                   {unweighed.format(year="$before")} AS unweighed_before
            FROM {source}
            WHERE {where} AND {y} IN ($now, $before) AND {mo} <= $m
            GROUP BY {group}""",
        None,
        named={"now": year, "before": year - 1, "m": m},
        positional=params,
    ).with_columns(pl.col("now", "before").fill_null(0.0))
    if extra is None:
        return frame, None
    first = frame.filter(pl.col("_set") == 0).drop("key", "_set")  # grouped by keys
    second = frame.filter(pl.col("_set") == 1).drop([*keys, "_set"])  # grouped by extra
    return first, second


def _labels(con: Con, by: str, keys: list[str]) -> dict[str, str]:
    if by == "partner":
        rows = con.execute("SELECT iso3, name_en FROM countries").fetchall()
    elif by in ("hs2",):
        rows = con.execute("SELECT chapter, name_en FROM hs_chapters").fetchall()
    elif by in ("hs4", "hs6"):
        rows = con.execute("SELECT code, any_value(name) FROM hs_names GROUP BY code").fetchall()
    else:
        rows = []
    names = {str(k): str(v) for k, v in rows}
    if by in ("hs4", "hs6"):  # no name of its own: say which chapter it is in
        chapters = dict(con.execute("SELECT chapter, name_en FROM hs_chapters").fetchall())
        return {k: names.get(k) or f"({chapters.get(k[:2], '?')})" for k in keys}
    return {k: names.get(k, "") for k in keys}


def drivers(
    ws: Workspace,
    scope: Scope,
    year: int,
    month: int | None = None,
    by: str = "hs2",
    top: int | None = None,
) -> Drivers:
    """Contributions to the change (months 1..m against the same months a year before).

    With ``top``, the ``top`` items that moved most either way (largest absolute change) and
    one last row, key :data:`OTHER_KEY`, adding up all the others: at most ``top + 1`` rows,
    which still add up to the change."""
    if by not in BY:
        raise InputError(f"--by must be one of {', '.join(BY)}")
    with ws.warehouse(read_only=True) as con:
        return _drivers(con, scope, year, month, by, top)


def _drivers(
    con: Con, scope: Scope, year: int, month: int | None, by: str, top: int | None
) -> Drivers:
    series = _monthly(con, scope)
    m = _resolve_month(series, year, month)
    prev = series.get(year - 1)
    if prev is None or not np.isfinite(prev[:m]).all():
        raise InputError(
            f"months 1-{m} of {year - 1} are not all recorded: nothing to compare with"
        )
    notes: list[str] = []
    # one scan at product x market grain feeds the HS levels, partners, margins, price/volume;
    # offices and exporters come from their summaries, or, for a slice the exporter summary
    # cannot answer, from the rows themselves in the same scan (a second grouping set)
    sliced = bool(scope.hs or scope.partners or scope.offices)
    extra = None
    if by == "office" and not scope.summary_ok:
        extra = "coalesce(customs_office, '(no office)')"
    elif by == "size" and (sliced or not scope.summary_ok):
        extra = "coalesce(exporter, '(unknown exporter)')"
    pairs, grouped = _period_items(
        con,
        scope,
        year,
        m,
        {"hs6": "hs6", "partner": "partner"},
        extra,
        table=None if extra is None else "region_flows",
    )
    if grouped is None and by == "office":
        grouped, _ = _period_items(
            con, scope, year, m, {"key": "coalesce(customs_office, '(no office)')"}
        )
    elif grouped is None and by == "size":
        grouped, _ = _period_items(
            con, scope, year, m, {"key": "exporter"}, table="region_summary_exporters"
        )
    sums = [pl.col("now", "before", "q_now", "q_before", "unweighed_now", "unweighed_before").sum()]
    if by == "size" and grouped is not None:
        edges = [c for c in SIZE_CLASSES]

        def klass(v: float) -> str:
            if v <= 0:
                return "new exporters"
            return next(label for lo, hi, label in edges if lo <= v < hi)

        firms = grouped.with_columns(
            pl.col("before").map_elements(klass, return_dtype=pl.String).alias("key")
        )
        items = firms.group_by("key").agg(pl.col("now", "before").sum())
        notes.append("size class by the exporter's exports in the same months of the year before")
    elif by == "office" and grouped is not None:
        items = grouped
    else:
        key = {
            "hs2": pl.col("hs6").str.slice(0, 2),
            "hs4": pl.col("hs6").str.slice(0, 4),
            "hs6": pl.col("hs6"),
            "partner": pl.col("partner"),
        }[by]
        items = pairs.group_by(key.alias("key")).agg(*sums)
    v0 = items.get_column("before").to_numpy()
    v1 = items.get_column("now").to_numpy()
    change, contrib, growth = dec.contributions(v0, v1)
    labels = _labels(con, by, items.get_column("key").to_list())
    table = pl.DataFrame(
        {
            "key": items.get_column("key"),
            "label": [labels.get(k, "") for k in items["key"]],
            "before": v0,
            "now": v1,
            "change": change,
            "contribution_pp": contrib,
        }
    ).sort("change", descending=True)
    others = 0
    if top is not None and 0 < top < table.height:
        table, others = _top_and_rest(table, top)
    # margins over product x market pairs; price and volume over products (HS6)
    mg = dec.margins(pairs["before"].to_numpy(), pairs["now"].to_numpy())
    weighed = (pl.col("unweighed_now") == 0) & (pl.col("unweighed_before") == 0)
    prod = (
        pairs.group_by("hs6")
        .agg(*sums)
        .with_columns(
            pl.when(weighed).then(pl.col("q_now")).otherwise(None).alias("q_now_ok"),
            pl.when(weighed).then(pl.col("q_before")).otherwise(None).alias("q_before_ok"),
        )
    )
    pv = dec.price_volume(
        prod["before"].to_numpy(),
        prod["now"].to_numpy(),
        prod["q_before_ok"].to_numpy(),
        prod["q_now_ok"].to_numpy(),
    )
    return Drivers(
        scope=scope.label(),
        by=by,
        year=year,
        months=m,
        calendar=scope.calendar,
        unit="USD",
        total_before=float(v0.sum()),
        total_now=float(v1.sum()),
        growth_pct=None if np.isnan(growth) else growth,
        table=table,
        margins=mg,
        price_volume=pv,
        notes=notes,
        others=others,
    )


def mirror_check(
    ws: Workspace, region: str, g_year: int, definition: str = "customs"
) -> pl.DataFrame:
    """The region's exports by partner in a Gregorian year next to what each partner reports
    importing from the region's country (the region is part of its country: its share).

    Solar Hijri months recorded without days count in the Gregorian year of their 15th day."""
    with ws.warehouse(read_only=True) as con:
        return queries.frame(
            con,
            """
            WITH reg AS (
                SELECT partner, sum(value_usd) AS region_exports FROM region_flows_annual
                WHERE region = ? AND definition = ? AND g_year_approx = ? GROUP BY 1),
            mir AS (
                SELECT importer AS partner, sum(value_usd) AS partner_reported_imports
                FROM world_flows WHERE reported_by = 'importer' AND exporter = ? AND year = ?
                GROUP BY 1)
            SELECT coalesce(reg.partner, mir.partner) AS partner, region_exports,
                   partner_reported_imports,
                   100 * region_exports / partner_reported_imports AS region_share_pct
            FROM reg FULL JOIN mir ON reg.partner = mir.partner
            ORDER BY coalesce(region_exports, 0) DESC""",
            [region, definition, g_year, ws.home_country, g_year],
        )
