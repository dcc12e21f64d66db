"""Commands for monitoring exports against the target."""

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
    choice,
    emit,
    err,
    monitor_app,
    out,
    target_app,
    workspace_of,
)
from exportplan.errors import ExportPlanError
from exportplan.reference.cells import csv_value, xlsx_append

LangOpt = Annotated[
    str, typer.Option("--lang", help="en or fa (Persian, right to left, Persian digits).")
]
XlsxOpt = Annotated[
    Path | None, typer.Option("--xlsx", help="Also write the table to this Excel file.")
]
YearOpt = Annotated[
    int, typer.Option("--year", help="Solar Hijri year (Gregorian with --calendar g).")
]
MonthOpt = Annotated[
    int | None,
    typer.Option(
        "--month", help="Year to date through this month (default: the last month with data)."
    ),
]
RegionOpt = Annotated[
    str | None, typer.Option(help="Region (default: the workspace's home region).")
]
CalendarOpt = Annotated[str, typer.Option(help="sh (Solar Hijri, default) or g (Gregorian).")]
HsOpt = Annotated[
    list[str] | None, typer.Option("--hs", help="Only these HS codes (prefixes; repeat).")
]
PartnerOpt = Annotated[
    list[str] | None,
    typer.Option("--partner", help="Only these destinations (names or codes; repeat)."),
]
OfficeOpt = Annotated[
    list[str] | None, typer.Option("--office", help="Only these customs offices.")
]


def _probability(text: str, lang: str) -> str:
    """The model's rounded probability (">99%", "<1%", "98%") in the terminal's digits."""
    from exportplan.reference.text import to_persian_digits

    if lang != "fa" or text == "-":
        return text
    return to_persian_digits(text).replace("%", "٪")


def _lang(lang: str) -> Any:
    return choice("lang", lang, ("en", "fa"))


def _scopes(
    ws: Any,
    region: str | None,
    definition: str,
    calendar: str,
    hs: list[str] | None,
    partner: list[str] | None,
    office: list[str] | None,
) -> list[Any]:
    from exportplan.errors import InputError
    from exportplan.reference import countries
    from exportplan.services.monitor import Scope

    defs = (
        ("customs", "origin")
        if definition == "both"
        else (choice("definition", definition, ("customs", "origin", "both")),)
    )
    partners = []
    for p in partner or []:
        iso = countries.lookup(p)
        if iso is None:
            hint = countries.suggest(p)
            raise InputError(f"unknown country {p!r}" + (f"; did you mean {hint}?" if hint else ""))
        partners.append(iso)
    return [
        Scope(
            region=region or ws.home_region,
            definition=d,
            hs=tuple(hs or ()),
            partners=tuple(partners),
            offices=tuple(office or ()),
            calendar=choice("calendar", calendar, ("sh", "g")),
        )
        for d in defs
    ]


def _table_out(
    df: pl.DataFrame, *, as_json: bool, as_csv: bool, xlsx: Path | None, lang: str, title: str
) -> None:
    if xlsx is not None:
        from openpyxl import Workbook

        wb = Workbook()
        sheet = wb.active
        assert sheet is not None
        sheet.title = "exportplan"
        sheet.sheet_view.rightToLeft = lang == "fa"
        xlsx_append(sheet, [title])
        xlsx_append(sheet, df.columns)
        for row in df.iter_rows():
            xlsx_append(sheet, row)
        wb.save(xlsx)
    emit(df, as_json=as_json, as_csv=as_csv, title=title)


@monitor_app.command("status")
def monitor_status(
    year: YearOpt,
    month: MonthOpt = None,
    region: RegionOpt = None,
    definition: Annotated[
        str, typer.Option(help="customs, origin or both (side by side).")
    ] = "both",
    target: Annotated[
        float | None, typer.Option(help="Target in USD (default: `exportplan target set`).")
    ] = None,
    calendar: CalendarOpt = "sh",
    period: Annotated[str, typer.Option(help="ytd (default), quarter (to date) or month.")] = "ytd",
    hs: HsOpt = None,
    partner: PartnerOpt = None,
    office: OfficeOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    xlsx: XlsxOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Year to date (or quarter, month) against the same months last year, target, forecast.

    Example: exportplan monitor status --year 1405 --month 8 --lang fa
    """
    from dataclasses import asdict

    from exportplan import i18n
    from exportplan.domain import DEFINITION_LABELS
    from exportplan.services import monitor

    lg = _lang(lang)
    ws = workspace_of(workspace)
    results = []
    for sc in _scopes(ws, region, definition, calendar, hs, partner, office):
        try:
            results.append(
                monitor.status(
                    ws,
                    sc,
                    year,
                    month,
                    target,
                    choice("period", period, ("ytd", "quarter", "month")),
                )
            )
        except ExportPlanError as exc:
            if definition != "both":
                raise
            err.print(f"{sc.definition}: {exc.message}")
    if not results:
        raise ExportPlanError(f"no exports recorded for {year} under either definition")
    if as_json:
        out.print_json(json.dumps([asdict(r) for r in results], ensure_ascii=False, default=str))
        return
    n, pc = i18n.number, i18n.percent
    rows: list[tuple[str, ...]] = []

    def line(label: str, *vals: str) -> None:
        rows.append((i18n.t(label, lg), *vals))

    cal_name = i18n.t("Solar Hijri" if calendar == "sh" else "Gregorian", lg)
    line("definition", *[i18n.t(DEFINITION_LABELS[r.definition], lg) for r in results])
    line(
        "period",
        *[
            f"{cal_name} {n(r.year, lg).replace('٬', '').replace(',', '')}, "
            f"{i18n.month_range(r.months, r.calendar, lg, first=r.first_month)}"
            for r in results
        ],
    )
    line("unit", *[i18n.t("USD", lg) for r in results])
    if period != "ytd":
        line("exports in the period", *[n(r.value, lg) for r in results])
        line("same months last year", *[n(r.same_period_last_year, lg) for r in results])
        line("growth", *[pc(r.growth_pct, lg) for r in results])
    line("year to date", *[n(r.ytd, lg) for r in results])
    if period == "ytd":
        line("same months last year", *[n(r.same_period_last_year, lg) for r in results])
        line("growth", *[pc(r.growth_pct, lg) for r in results])
    line("target", *[n(r.target, lg) for r in results])
    line("share of target reached", *[pc(r.share_of_target_pct, lg, signed=False) for r in results])
    line("needed per month for the rest of the year", *[n(r.needed_monthly, lg) for r in results])
    line(
        "last year's average over the same remaining months",
        *[n(r.last_year_same_remaining_monthly, lg) for r in results],
    )

    def interval(lo: float | None, hi: float | None) -> str:
        return "-" if lo is None or hi is None else f"{n(lo, lg)} – {n(hi, lg)}"

    def central(r: Any) -> str:
        if r.forecast is None:
            return "-"
        if r.low80 is None:
            return f"{n(r.forecast, lg)} ({i18n.t('no interval', lg)})"
        return f"{n(r.forecast, lg)} (80%: {interval(r.low80, r.high80)})"

    line("forecast of the year (central)", *[central(r) for r in results])
    line("95% interval", *[interval(r.low95, r.high95) for r in results])
    line(
        "probability of reaching the target",
        *[_probability(r.p_target_text, lg) if r.target else "-" for r in results],
    )
    line(
        "back-test: true total inside the 80% / 95% interval",
        *[
            f"{pc(None if r.coverage80 is None else 100 * r.coverage80, lg, signed=False)} / "
            f"{pc(None if r.coverage95 is None else 100 * r.coverage95, lg, signed=False)} "
            f"(n={r.backtest_years})"
            for r in results
        ],
    )
    line("data", *[r.data for r in results])
    line("notes", *["; ".join(r.notes) or "-" for r in results])
    cols = [i18n.t("Exports", lg), *[r.definition for r in results]]
    df = pl.DataFrame(rows, schema=cols, orient="row")
    _table_out(
        df, as_json=False, as_csv=as_csv, xlsx=xlsx, lang=lg, title=results[0].scope.split(",")[0]
    )
    if not as_csv:
        out.print(i18n.t("method", lg) + ": " + results[0].method)


@monitor_app.command("series")
def monitor_series(
    region: RegionOpt = None,
    definition: Annotated[str, typer.Option(help="customs or origin.")] = "customs",
    calendar: CalendarOpt = "sh",
    hs: HsOpt = None,
    partner: PartnerOpt = None,
    office: OfficeOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    xlsx: XlsxOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Every month of the data with the same month a year before and the growth (USD).

    Example: exportplan monitor series --definition origin --csv
    """
    from exportplan.services import monitor

    ws = workspace_of(workspace)
    (sc,) = _scopes(
        ws,
        region,
        choice("definition", definition, ("customs", "origin")),
        calendar,
        hs,
        partner,
        office,
    )
    cal = "Solar Hijri" if calendar == "sh" else "Gregorian"
    _table_out(
        monitor.series_table(ws, sc),
        as_json=as_json,
        as_csv=as_csv,
        xlsx=xlsx,
        lang="en",
        title=f"{sc.label()} ({cal} months, USD)",
    )


@monitor_app.command("drivers")
def monitor_drivers(
    year: YearOpt,
    month: MonthOpt = None,
    by: Annotated[str, typer.Option(help="hs2, hs4, hs6, partner, office or size.")] = "hs2",
    top: Annotated[
        int | None,
        typer.Option(
            help="The N items that moved most (largest change up or down) and one row adding "
            "up all the others (0: every item)."
        ),
    ] = 10,
    region: RegionOpt = None,
    definition: Annotated[str, typer.Option(help="customs or origin.")] = "customs",
    calendar: CalendarOpt = "sh",
    hs: HsOpt = None,
    partner: PartnerOpt = None,
    office: OfficeOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    xlsx: XlsxOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Why exports moved: contributions to growth, new and lost markets, price and volume.

    Example: exportplan monitor drivers --year 1405 --by partner --top 5
    """
    from dataclasses import asdict

    from exportplan import i18n
    from exportplan.services import monitor

    lg = _lang(lang)
    ws = workspace_of(workspace)
    (sc,) = _scopes(
        ws,
        region,
        choice("definition", definition, ("customs", "origin")),
        calendar,
        hs,
        partner,
        office,
    )
    d = monitor.drivers(ws, sc, year, month, by=by, top=top)
    table = d.table.rename(
        {"before": "before", "now": "now", "contribution_pp": "contribution (points)"}
    )
    if lg == "fa":
        table = table.rename({c: i18n.t(c, lg) for c in table.columns})
    if as_json:
        out.print_json(
            json.dumps(
                {
                    "scope": d.scope,
                    "by": d.by,
                    "year": d.year,
                    "months": d.months,
                    "calendar": d.calendar,
                    "unit": d.unit,
                    "total_before": d.total_before,
                    "total_now": d.total_now,
                    "growth_pct": d.growth_pct,
                    "margins": asdict(d.margins),
                    "price_volume": asdict(d.price_volume),
                    "table": d.table.to_dicts(),
                    "notes": d.notes,
                },
                ensure_ascii=False,
                default=str,
            )
        )
        return
    title = (
        f"{d.scope}: {i18n.t('growth', lg)} {i18n.percent(d.growth_pct, lg)} "
        f"({i18n.month_range(d.months, d.calendar, lg)} {d.year} / {d.year - 1}, USD)"
    )
    _table_out(table, as_json=False, as_csv=as_csv, xlsx=xlsx, lang=lg, title=title)
    if as_csv:
        return
    n = i18n.number
    mg, pv = d.margins, d.price_volume
    out.print(
        f"{i18n.t('new product-market pairs', lg)}: +{n(mg.new, lg)} ({n(mg.n_new, lg)}); "
        f"{i18n.t('lost product-market pairs', lg)}: -{n(mg.lost, lg)} ({n(mg.n_lost, lg)}); "
        f"{i18n.t('continuing pairs (intensive margin)', lg)}: {n(mg.intensive, lg)}"
    )
    out.print(
        f"{i18n.t('volume effect', lg)}: {n(pv.volume, lg)} ({i18n.percent(pv.volume_growth_pct, lg)}); "
        f"{i18n.t('price effect', lg)}: {n(pv.price, lg)} ({i18n.percent(pv.price_growth_pct, lg)}); "
        f"{i18n.t('without weights', lg)}: {n(pv.unpriced, lg)}; "
        f"{i18n.t('total change', lg)}: {n(d.total_now - d.total_before, lg)}"
    )
    for note in d.notes:
        out.print(f"- {note}")


@monitor_app.command("forecast")
def monitor_forecast(
    year: YearOpt,
    month: MonthOpt = None,
    region: RegionOpt = None,
    definition: Annotated[str, typer.Option(help="customs or origin.")] = "customs",
    target: Annotated[float | None, typer.Option(help="Target in USD.")] = None,
    calendar: CalendarOpt = "sh",
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    xlsx: XlsxOpt = None,
    workspace: WorkspaceOpt = None,
    series: Annotated[
        Path | None,
        typer.Option(
            "--series",
            help="CSV of any monthly series (columns series,year,month,value; many series): "
            "forecast each one, no workspace needed (needs --month).",
        ),
    ] = None,
) -> None:
    """The year's forecast with its back-test year by year (how often the truth fell inside).

    Example: exportplan monitor forecast --year 1405 --definition customs

    Any monthly series: exportplan monitor forecast --series exports.csv --year 2025 --month 6
    --target 3e9 --json
    """
    from dataclasses import asdict

    from exportplan import i18n
    from exportplan.services import monitor

    lg = _lang(lang)
    if series is not None:
        _forecast_series_file(series, year, month, target, lg, as_json=as_json, as_csv=as_csv)
        return
    ws = workspace_of(workspace)
    (sc,) = _scopes(
        ws,
        region,
        choice("definition", definition, ("customs", "origin")),
        calendar,
        None,
        None,
        None,
    )
    f = monitor.forecast(ws, sc, year, month, target)
    if as_json:
        rec = {**asdict(f), "p_target_text": f.p_target_text}
        out.print_json(json.dumps(rec, ensure_ascii=False, default=str))
        return
    n = i18n.number
    df = pl.DataFrame(
        [
            (
                n(b.year, lg).replace("٬", "").replace(",", ""),
                n(b.forecast, lg),
                n(b.actual, lg),
                f"{b.log_error:+.4f}",
                i18n.t("yes" if b.in_80 else "no", lg),
                i18n.t("yes" if b.in_95 else "no", lg),
            )
            for b in f.backtests
        ],
        schema=[
            i18n.t(c, lg)
            for c in ("year", "forecast", "actual", "log error", "inside 80%", "inside 95%")
        ],
        orient="row",
    )
    title = (
        f"{sc.label()} {year}, {i18n.month_range(f.month, sc.calendar, lg)}: "
        f"{i18n.t('forecast of the year', lg)} {n(f.central, lg)} USD "
        + (
            f"[{i18n.t('80% interval', lg)} {n(f.low80, lg)} – {n(f.high80, lg)}; "
            f"{i18n.t('95% interval', lg)} {n(f.low95, lg)} – {n(f.high95, lg)}]"
            if f.low80 is not None
            else f"({f.no_interval_reason})"
        )
        + (
            f"; {i18n.t('probability of reaching the target', lg)} {f.p_target_text}"
            if f.p_target is not None
            else ""
        )
    )
    _table_out(df, as_json=False, as_csv=as_csv, xlsx=xlsx, lang=lg, title=title)
    if not as_csv:
        out.print(
            f"{i18n.t('method', lg)}: {f.method}; seasonal share {f.seasonal_share:.4f} "
            f"from {f.years_used}; raw seasonal-share figure {n(f.point, lg)}; "
            f"{f.n_backtest} back-test year(s)"
        )


def _forecast_series_file(
    path: Path,
    year: int,
    month: int | None,
    target: float | None,
    lg: Any,
    *,
    as_json: bool,
    as_csv: bool,
) -> None:
    """``monitor forecast --series FILE``: every series of a CSV through the same forecast."""
    import csv

    from exportplan import i18n
    from exportplan.analytics.forecast import forecast_series, histories_from_table
    from exportplan.errors import InputError

    if month is None:
        raise InputError("--series needs --month (the reporting year has months 1..M)")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            table = list(csv.reader(fh))
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text: {exc.reason}") from None
    except csv.Error as exc:
        raise InputError(f"{path} is not a readable CSV: {exc}") from None
    if not table:
        raise InputError(f"{path} is empty")
    hist = histories_from_table(table[0], table[1:], source=str(path))
    results = forecast_series(hist, year, month, target=target)
    rows = [r.row(with_target=target is not None) for r in results]
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False, default=str))
        return
    if as_csv:
        import sys

        w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows({k: csv_value(v) for k, v in r.items()} for r in rows)
        return
    n = i18n.number
    cols = ["series", "forecast", "80% interval", "95% interval"]
    if target is not None:
        cols.append("probability of reaching the target")
    cols += ["back-test years", "notes"]
    body = []
    for r in results:
        f = r.forecast
        cells = [
            r.series,
            n(f.central, lg) if f else "-",
            f"{n(f.low80, lg)} – {n(f.high80, lg)}" if f and f.low80 is not None else "-",
            f"{n(f.low95, lg)} – {n(f.high95, lg)}" if f and f.low95 is not None else "-",
        ]
        if target is not None:
            cells.append(f.p_target_text if f else "-")
        cells += [n(f.n_backtest if f else 0, lg), r.reason or "-"]
        body.append(cells)
    title = f"{path.name}: {year}, months 1-{month}" + (
        f", target {n(target, lg)}" if target is not None else ""
    )
    emit(
        pl.DataFrame(body, schema=[i18n.t(c, lg) for c in cols], orient="row"),
        as_json=False,
        as_csv=False,
        title=title,
    )


@monitor_app.command("mirror")
def monitor_mirror(
    year: Annotated[
        int, typer.Option("--year", help="Gregorian year (partners report by calendar year).")
    ],
    region: RegionOpt = None,
    definition: Annotated[str, typer.Option(help="customs or origin.")] = "customs",
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """The region's exports by partner next to what partners report importing from its country.

    Example: exportplan monitor mirror --year 2024
    """
    from exportplan.services import monitor

    ws = workspace_of(workspace)
    df = monitor.mirror_check(
        ws, region or ws.home_region, year, choice("definition", definition, ("customs", "origin"))
    )
    emit(
        df,
        as_json=as_json,
        as_csv=as_csv,
        title=f"{region or ws.home_region} {year} (USD): region vs partners' reports on {ws.home_country}",
    )


@target_app.command("set")
def target_set(
    year: YearOpt,
    value: Annotated[float, typer.Option("--value", help="Target in USD, e.g. 3e9.")],
    region: RegionOpt = None,
    definition: Annotated[str, typer.Option(help="customs or origin.")] = "customs",
    note: Annotated[str, typer.Option(help="Where the target comes from.")] = "",
    workspace: WorkspaceOpt = None,
) -> None:
    """Set a region's annual export target for a Solar Hijri year and a definition.

    Example: exportplan target set --year 1405 --value 3e9 --note "governor's programme"
    """
    from exportplan.services import monitor

    ws = workspace_of(workspace)
    monitor.set_target(ws, region or ws.home_region, year, definition, value, note)
    out.print(f"target of {region or ws.home_region} for {year} ({definition}): USD {value:,.0f}")


@target_app.command("show")
def target_show(
    workspace: WorkspaceOpt = None, as_json: JsonOpt = False, as_csv: CsvOpt = False
) -> None:
    """List the targets: the programs' totals (the plan of record) and those set with
    `target set` for years without a program.

    Example: exportplan target show
    """
    from exportplan.services import program
    from exportplan.services.monitor import targets_set

    ws = workspace_of(workspace)
    df = targets_set(ws)
    plans = pl.DataFrame(
        [
            (
                p["region"],
                p["sh_year"],
                p["definition"],
                p["target_usd"],
                f"program {p['id']}",
                p["name"],
            )
            for p in program.programs(ws.program())
        ],
        schema=df.schema,
        orient="row",
    )
    keys = ["region", "sh_year", "definition"]
    df = pl.concat([plans, df.join(plans.select(keys), on=keys, how="anti")]).sort(keys)
    emit(df, as_json=as_json, as_csv=as_csv, title="Targets")
