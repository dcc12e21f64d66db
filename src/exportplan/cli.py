"""The command line: ``exportplan COMMAND``. Each command parses its options, calls one
service, and prints a table for people or ``--json``/``--csv`` for programs. Domain errors
are translated here into a message and a next step (exit code 2); no traceback reaches a user.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from exportplan import __version__
from exportplan.errors import ExportPlanError

app = typer.Typer(
    name="exportplan",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    help="Plan and monitor a region's exports: data, complexity, opportunities, programme.",
)
import_app = typer.Typer(no_args_is_help=True, help="Import trade data files into the workspace.")
reference_app = typer.Typer(no_args_is_help=True, help="Look up reference data.")
monitor_app = typer.Typer(
    no_args_is_help=True, help="Exports against the target: status, drivers, forecast, mirror."
)
target_app = typer.Typer(no_args_is_help=True, help="Set and show the annual export targets.")
app.add_typer(import_app, name="import")
app.add_typer(reference_app, name="reference")
app.add_typer(monitor_app, name="monitor")
app.add_typer(target_app, name="target")

out = Console(soft_wrap=True)
if not out.is_terminal:  # piped or captured: tables need room rather than 80 columns
    out = Console(soft_wrap=True, width=200)
err = Console(stderr=True, soft_wrap=True)

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        envvar="EXPORTPLAN_WORKSPACE",
        help="Workspace folder (default ./exportplan-workspace).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]


def _ws(path: Path | None) -> Any:
    from exportplan.workspace import open_workspace

    return open_workspace(path)


def _emit(df: pl.DataFrame, *, as_json: bool, as_csv: bool, title: str = "") -> None:
    if as_json:
        out.print_json(json.dumps(df.to_dicts(), default=str, ensure_ascii=False))
    elif as_csv:
        sys.stdout.write(df.write_csv())
    else:
        table = Table(title=title or None)
        for c in df.columns:
            table.add_column(c)
        for row in df.iter_rows():
            table.add_row(*[_cell_text(v) for v in row])
        out.print(table)


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"
    return str(v)


def _summary(s: Any) -> None:
    verb = "already imported as" if s.already_imported else "imported as"
    out.print(
        f"[bold]{s.file_name}[/]: {verb} dataset {s.dataset_id}: read {s.rows_read:,}, "
        f"accepted {s.rows_accepted:,}, rejected {s.rows_rejected:,}"
    )
    if s.already_imported:
        out.print(
            "  nothing changed (the same file was imported before); to import it again with "
            f"other options, first `exportplan remove {s.dataset_id}`"
        )
    for note in filter(None, s.notes.split("; ")):
        out.print(f"  - {note}")
    if s.rows_rejected:
        out.print(f"  rejected rows: `exportplan rejects {s.dataset_id}`")


@app.command()
def version() -> None:
    """Print the version.

    Example: exportplan version
    """
    out.print(__version__)


@app.command()
def init(
    path: Annotated[
        Path | None, typer.Argument(help="Folder to create (default: --workspace).")
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="Home region (default East Azerbaijan).")
    ] = None,
    country: Annotated[str | None, typer.Option(help="Home country, ISO3 (default IRN).")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Create a workspace: a folder with the warehouse and the program database.

    Example: exportplan init ./ea --region "East Azerbaijan" --country IRN
    """
    from exportplan.settings import default_workspace
    from exportplan.workspace import init as do_init

    ws = do_init(path or workspace or default_workspace(), home_region=region, home_country=country)
    out.print(
        f"workspace created at {ws.path} (home region {ws.home_region}, country {ws.home_country})"
    )


@app.command()
def home(
    region: Annotated[str | None, typer.Option(help="New home region.")] = None,
    country: Annotated[str | None, typer.Option(help="New home country (ISO3).")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Show or change the workspace's home region and country.

    Example: exportplan home --region "West Azerbaijan"
    """
    from exportplan.workspace import set_home

    ws = _ws(workspace)
    if region or country:
        ws = set_home(ws, region=region, country=country)
    out.print(
        f"home region: {ws.home_region}; home country: {ws.home_country}; workspace: {ws.path}"
    )


@import_app.command("baci")
def import_baci(
    files: Annotated[list[Path], typer.Argument(help="BACI yearly CSV files (t,i,j,k,v,q).")],
    country_codes: Annotated[Path | None, typer.Option(help="BACI country_codes_*.csv.")] = None,
    product_codes: Annotated[Path | None, typer.Option(help="BACI product_codes_*.csv.")] = None,
    hs_edition: Annotated[
        str | None, typer.Option(help="HS edition, e.g. HS17 (default: from the file name).")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Import CEPII BACI yearly files (values in thousand USD are stored in USD).

    Example: exportplan import baci BACI_HS17_Y2022_V202401.csv --country-codes country_codes_V202401.csv
    """
    from exportplan.services import data

    ws = _ws(workspace)
    for f in files:
        with out.status(f"importing {f.name}"):
            s = data.import_baci(
                ws, f, country_file=country_codes, product_file=product_codes, hs_edition=hs_edition
            )
        _summary(s)


@import_app.command("comtrade")
def import_comtrade(
    files: Annotated[list[Path], typer.Argument(help="UN Comtrade+ CSV downloads.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Import UN Comtrade+ CSV files; imports become partners' mirror exports.

    Example: exportplan import comtrade TradeData_2022_TUR.csv
    """
    from exportplan.services import data

    ws = _ws(workspace)
    for f in files:
        _summary(data.import_comtrade(ws, f))


@import_app.command("customs")
def import_customs(
    files: Annotated[list[Path], typer.Argument(help="Customs records, CSV or Excel.")],
    region: Annotated[
        str | None, typer.Option(help="Region (default: the workspace's home region).")
    ] = None,
    definition: Annotated[
        str | None,
        typer.Option(
            help="origin (goods made in the region) or customs (goods leaving through its customs); "
            "default: the file's column, else customs."
        ),
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option(help="Column mapping file (JSON or CSV field,column).")
    ] = None,
    cumulative: Annotated[
        bool, typer.Option(help="Values are cumulative from 1 Farvardin.")
    ] = False,
    rate: Annotated[float | None, typer.Option(help="Rials per USD, for values in rials.")] = None,
    weight_unit: Annotated[
        str | None, typer.Option(help="kg or t (default: from the header, else kg).")
    ] = None,
    sheet: Annotated[str | None, typer.Option(help="Sheet name or index (Excel).")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Import a region's customs records (Persian or English headers; Solar Hijri dates).

    Example: exportplan import customs exports-1404.xlsx --definition customs
    """
    from exportplan.ingest.customs import CustomsOptions, load_mapping
    from exportplan.services import data

    ws = _ws(workspace)
    mp = load_mapping(mapping) if mapping else {}
    for f in files:
        opts = CustomsOptions(
            region=region or ws.home_region,
            definition=definition,
            cumulative=cumulative,
            rate=rate,
            weight_unit=weight_unit,
            sheet=sheet,
        ).with_mapping(mp)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,}"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bar:
            task: TaskID = bar.add_task(f"reading {f.name}", total=None)

            def tick(
                stage: str, done: int, total: int | None, _t: TaskID = task, _n: str = f.name
            ) -> None:
                bar.update(_t, description=f"{stage} {_n}", completed=done, total=total)

            s = data.import_customs(ws, f, opts, progress=tick)
        _summary(s)


@app.command()
def datasets(
    workspace: WorkspaceOpt = None, as_json: JsonOpt = False, as_csv: CsvOpt = False
) -> None:
    """List every import with its provenance (file, sha256, time, rows read/accepted/rejected).

    Example: exportplan datasets --json
    """
    from exportplan.services import data

    df = data.datasets(_ws(workspace))
    if not (as_json or as_csv):
        df = df.select(
            "id",
            "kind",
            "file_name",
            pl.col("sha256").str.slice(0, 12).alias("sha256"),
            pl.col("rows_read").alias("read"),
            pl.col("rows_accepted").alias("accepted"),
            pl.col("rows_rejected").alias("rejected"),
            "region",
            "definition",
            pl.when(pl.col("synthetic"))
            .then(pl.lit("SYNTHETIC"))
            .otherwise(pl.lit(""))
            .alias("data"),
            pl.col("imported_at").dt.strftime("%Y-%m-%d %H:%M").alias("imported"),
        )
    _emit(df, as_json=as_json, as_csv=as_csv, title="Datasets")


@app.command()
def rejects(
    dataset: Annotated[int, typer.Argument(help="Dataset id (see `exportplan datasets`).")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="CSV file to write.")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write the rejected rows of an import (file, row, column, value, reason) to CSV.

    Example: exportplan rejects 3 -o rejects-3.csv
    """
    from exportplan.services import data

    df = data.rejects(_ws(workspace), dataset)
    if output:
        df.write_csv(output)
        out.print(f"{df.height:,} rejected cell(s) written to {output}")
    else:
        sys.stdout.write(df.write_csv())


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> Any:
    """A choice option checked against its allowed values (returned as the Literal type)."""
    if value not in allowed:
        raise ExportPlanError(f"--{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


@app.command()
def remove(
    dataset: Annotated[int, typer.Argument(help="Dataset id (see `exportplan datasets`).")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Remove one import: its rows, its rejects and its record (one transaction).

    Example: exportplan remove 3
    """
    from exportplan.services import data

    name, n = data.remove(_ws(workspace), dataset)
    out.print(f"dataset {dataset} ({name}) removed with its {n:,} row(s) and its rejects")


def _options(
    rca_threshold: float,
    presence: str,
    proximity: str,
    knn: int | None,
    method: str,
    strict: bool,
    min_population: float | None,
    min_exports: float | None,
) -> Any:
    from exportplan.analytics.ecomplexity import Options

    return Options(
        presence=_choice("presence", presence, ("rca", "rpop", "either", "manual")),
        rca_threshold=rca_threshold,
        proximity=_choice("proximity", proximity, ("discrete", "asymmetric", "continuous")),
        knn=knn,
        method=_choice("method", method, ("eigenvector", "reflections", "fitness")),
        strict=strict,
        min_population=min_population,
        min_exports=min_exports,
    )


@app.command()
def complexity(
    input: Annotated[
        Path | None, typer.Argument(help="CSV or Parquet file; omit to use the workspace.")
    ] = None,
    time: Annotated[str | None, typer.Option(help="Time column (omit for one period).")] = None,
    loc: Annotated[str, typer.Option(help="Location column.")] = "loc",
    prod: Annotated[str, typer.Option(help="Product column.")] = "prod",
    val: Annotated[str, typer.Option(help="Export value column.")] = "val",
    rca_threshold: Annotated[
        float, typer.Option(help="Presence threshold on RCA (and RPOP).")
    ] = 1.0,
    strict: Annotated[
        bool, typer.Option(help="Presence by > instead of >= (Stata's comparator).")
    ] = False,
    presence: Annotated[
        str, typer.Option(help="rca, rpop, either (needs --population) or manual.")
    ] = "rca",
    population: Annotated[
        Path | None, typer.Option(help="CSV with loc,pop (and time) for RPOP.")
    ] = None,
    proximity: Annotated[
        str, typer.Option(help="discrete, asymmetric or continuous.")
    ] = "discrete",
    knn: Annotated[
        int | None, typer.Option(help="Density from the k nearest products only.")
    ] = None,
    method: Annotated[
        str, typer.Option(help="eigenvector, reflections or fitness (eci/pci columns).")
    ] = "eigenvector",
    min_population: Annotated[
        float | None, typer.Option(help="Atlas sample filter: population above.")
    ] = None,
    min_exports: Annotated[
        float | None, typer.Option(help="Atlas sample filter: exports at least.")
    ] = None,
    duplicates: Annotated[
        str, typer.Option(help="error or sum, for repeated time/loc/prod rows.")
    ] = "error",
    baci: Annotated[
        bool,
        typer.Option(
            "--baci",
            help="INPUT is a BACI-layout file (t,i,j,k,v), CSV or Parquet, streamed at --level.",
        ),
    ] = False,
    level: Annotated[str, typer.Option(help="Workspace or --baci: hs2, hs4 or hs6.")] = "hs6",
    year: Annotated[list[int] | None, typer.Option(help="Workspace: year(s) to compute.")] = None,
    dataset: Annotated[int | None, typer.Option(help="Workspace: one dataset only.")] = None,
    region_mode: Annotated[
        str, typer.Option(help="Workspace: none, location or subnational.")
    ] = "none",
    definition: Annotated[
        str, typer.Option(help="Workspace: the region's export definition.")
    ] = "customs",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Output CSV or Parquet.")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """RCA, presence, diversity, ubiquity, ECI, PCI, density, COI and COG per time x location x product.

    Example: exportplan complexity trade.csv --time year --loc origin --prod hs92 --val export_val -o out.csv
    """
    from exportplan.analytics.ecomplexity import ecomplexity
    from exportplan.services import complexity as svc

    opts = _options(
        rca_threshold, presence, proximity, knn, method, strict, min_population, min_exports
    )
    if input is not None and baci:
        _write(svc.baci_file(input, level=level, options=opts), output)
        return
    if input is not None:
        frame = _read_table(input)
        pop = _read_table(population) if population else None
        result = ecomplexity(
            frame,
            time=time,
            loc=loc,
            prod=prod,
            val=val,
            options=opts,
            population=pop,
            duplicates=_choice("duplicates", duplicates, ("error", "sum")),
        )
    else:
        result = svc.compute(
            _ws(workspace),
            level=level,
            years=year,
            dataset=dataset,
            options=opts,
            region_mode=_choice("region-mode", region_mode, ("none", "location", "subnational")),
            definition=_choice("definition", definition, ("customs", "origin")),
        )
    _write(result, output)


@app.command("proximity")
def proximity_cmd(
    input: Annotated[
        Path | None, typer.Argument(help="CSV or Parquet file; omit to use the workspace.")
    ] = None,
    time: Annotated[str | None, typer.Option(help="Time column.")] = None,
    loc: Annotated[str, typer.Option(help="Location column.")] = "loc",
    prod: Annotated[str, typer.Option(help="Product column.")] = "prod",
    val: Annotated[str, typer.Option(help="Export value column.")] = "val",
    rca_threshold: Annotated[float, typer.Option(help="Presence threshold on RCA.")] = 1.0,
    proximity: Annotated[
        str, typer.Option(help="discrete, asymmetric or continuous.")
    ] = "discrete",
    level: Annotated[str, typer.Option(help="Workspace: hs2, hs4 or hs6.")] = "hs4",
    year: Annotated[int | None, typer.Option(help="Workspace: the year.")] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Output CSV or Parquet.")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Product x product proximity table (time, prod_1, prod_2, proximity).

    Example: exportplan proximity trade.csv --time year --loc origin --prod hs92 --val export_val -o phi.csv
    """
    from exportplan.analytics.ecomplexity import proximity_table
    from exportplan.services import complexity as svc

    opts = _options(rca_threshold, "rca", proximity, None, "eigenvector", False, None, None)
    if input is not None:
        result = proximity_table(
            _read_table(input), time=time, loc=loc, prod=prod, val=val, options=opts
        )
    else:
        if year is None:
            raise ExportPlanError("give --year when computing proximity on the workspace")
        result = svc.proximity(_ws(workspace), level=level, year=year, options=opts)
    _write(result, output)


def _read_table(path: Path) -> pl.DataFrame:
    from exportplan.errors import InputError

    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.suffix.lower() == ".parquet":
        return pl.read_parquet(path)
    try:
        return pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except pl.exceptions.PolarsError as exc:
        raise InputError(f"{path.name}: not a readable CSV ({exc})") from exc


def _write(df: pl.DataFrame, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(df.write_csv())
    elif output.suffix.lower() == ".parquet":
        df.write_parquet(output, compression="lz4")
        out.print(f"{df.height:,} rows written to {output}")
    else:
        df.write_csv(output)
        out.print(f"{df.height:,} rows written to {output}")


@reference_app.command("country")
def reference_country(
    query: Annotated[str, typer.Argument(help="A name (Persian or English) or a code.")],
) -> None:
    """Resolve a country name or code as the importers do.

    Example: exportplan reference country ترکیه
    """
    from exportplan.errors import NotFoundError
    from exportplan.reference import countries

    iso = countries.lookup(query)
    if iso is None:
        hint = countries.suggest(query)
        raise NotFoundError(
            f"unknown country {query!r}", hint=f"did you mean {hint}?" if hint else ""
        )
    c = countries.by_iso3()[iso]
    out.print(f"{c.iso3} {c.numeric:03d} {c.name_en} / {c.name_fa} (capital {c.capital or '?'})")


@reference_app.command("date")
def reference_date(
    value: Annotated[
        str, typer.Argument(help="1403/12/30 (Solar Hijri) or 2025-03-20 (Gregorian).")
    ],
) -> None:
    """Convert a date between the Solar Hijri and Gregorian calendars.

    Example: exportplan reference date 1403/12/30
    """
    import jdatetime

    from exportplan.errors import InputError
    from exportplan.reference import calendar as cal

    try:
        p = cal.parse_period(value)
    except cal.PeriodError as exc:
        raise InputError(str(exc)) from exc
    g = p.gregorian_date()
    if g is None:
        raise InputError("give a full date (year/month/day)")
    j = jdatetime.date.fromgregorian(date=g)
    out.print(f"{j.year:04d}/{j.month:02d}/{j.day:02d} (Solar Hijri) = {g.isoformat()} (Gregorian)")


@app.command()
def demo(
    workspace: WorkspaceOpt = None,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Only build the demo workspace.")
    ] = False,
    years: Annotated[int, typer.Option(help="Years of synthetic world data.")] = 6,
    products: Annotated[int, typer.Option(help="Synthetic HS6 products.")] = 1200,
    seed: Annotated[int, typer.Option(help="Seed of the generator.")] = 20240601,
) -> None:
    """Build the demo workspace from synthetic data (labelled synthetic everywhere) and show it.

    Example: exportplan demo --workspace ./demo-workspace --no-serve
    """
    from exportplan.services import demo as demo_svc

    path = workspace or Path("demo-workspace")
    with out.status("building the demo workspace (synthetic world and province)"):
        report = demo_svc.build(path, years=years, products=products, seed=seed, log=out.print)
    out.print(report)
    if not no_serve:
        out.print(
            "The web application is not built yet (issue: Web application); the demo workspace "
            f"is ready at {path}. Try: exportplan datasets -w {path}"
        )


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


def _lang(lang: str) -> Any:
    return _choice("lang", lang, ("en", "fa"))


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
        else (_choice("definition", definition, ("customs", "origin", "both")),)
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
            calendar=_choice("calendar", calendar, ("sh", "g")),
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
        sheet.append([title])
        sheet.append(df.columns)
        for row in df.iter_rows():
            sheet.append(list(row))
        wb.save(xlsx)
    _emit(df, as_json=as_json, as_csv=as_csv, title=title)


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
    from exportplan.ingest.customs import DEFINITION_LABELS
    from exportplan.services import monitor

    lg = _lang(lang)
    ws = _ws(workspace)
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
                    _choice("period", period, ("ytd", "quarter", "month")),
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
    line("forecast of the year", *[n(r.forecast, lg) for r in results])
    line("80% interval", *[f"{n(r.low80, lg)} – {n(r.high80, lg)}" for r in results])
    line("95% interval", *[f"{n(r.low95, lg)} – {n(r.high95, lg)}" for r in results])
    line(
        "probability of reaching the target",
        *[pc(None if r.p_target is None else 100 * r.p_target, lg, signed=False) for r in results],
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

    ws = _ws(workspace)
    (sc,) = _scopes(
        ws,
        region,
        _choice("definition", definition, ("customs", "origin")),
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
    top: Annotated[int | None, typer.Option(help="Only the N largest movers up and down.")] = 10,
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
    ws = _ws(workspace)
    (sc,) = _scopes(
        ws,
        region,
        _choice("definition", definition, ("customs", "origin")),
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
) -> None:
    """The year's forecast with its back-test year by year (how often the truth fell inside).

    Example: exportplan monitor forecast --year 1405 --definition customs
    """
    from dataclasses import asdict

    from exportplan import i18n
    from exportplan.services import monitor

    lg = _lang(lang)
    ws = _ws(workspace)
    (sc,) = _scopes(
        ws,
        region,
        _choice("definition", definition, ("customs", "origin")),
        calendar,
        None,
        None,
        None,
    )
    f = monitor.forecast(ws, sc, year, month, target)
    if as_json:
        out.print_json(json.dumps(asdict(f), ensure_ascii=False, default=str))
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
        f"{i18n.t('forecast of the year', lg)} {n(f.point, lg)} USD "
        f"[{n(f.low80, lg)} – {n(f.high80, lg)}]"
    )
    _table_out(df, as_json=False, as_csv=as_csv, xlsx=xlsx, lang=lg, title=title)
    if not as_csv:
        out.print(
            f"{i18n.t('method', lg)}: {f.method}; seasonal share {f.seasonal_share:.4f} "
            f"from {f.years_used}"
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

    ws = _ws(workspace)
    df = monitor.mirror_check(
        ws, region or ws.home_region, year, _choice("definition", definition, ("customs", "origin"))
    )
    _emit(
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

    ws = _ws(workspace)
    monitor.set_target(ws, region or ws.home_region, year, definition, value, note)
    out.print(f"target of {region or ws.home_region} for {year} ({definition}): USD {value:,.0f}")


@target_app.command("show")
def target_show(
    workspace: WorkspaceOpt = None, as_json: JsonOpt = False, as_csv: CsvOpt = False
) -> None:
    """List the targets.

    Example: exportplan target show
    """
    from exportplan.store import warehouse

    ws = _ws(workspace)
    with ws.warehouse(read_only=True) as con:
        df = warehouse.frame(con, "SELECT * FROM targets ORDER BY region, sh_year, definition")
    _emit(df, as_json=as_json, as_csv=as_csv, title="Targets")


def main() -> None:
    """Entry point: run the app, translating domain errors into messages."""
    try:
        app()
    except ExportPlanError as exc:
        err.print(f"[bold red]error:[/] {exc.message}")
        if exc.hint:
            err.print(f"[yellow]next:[/] {exc.hint}")
        raise SystemExit(2) from None
    except FileNotFoundError as exc:
        err.print(f"[bold red]error:[/] no such file: {exc.filename}")
        raise SystemExit(2) from None
    except PermissionError as exc:
        err.print(f"[bold red]error:[/] permission denied: {exc.filename}")
        raise SystemExit(2) from None
    except Exception as exc:  # a bug, not the user's doing: one line, the details on request
        import os

        if os.environ.get("EXPORTPLAN_DEBUG"):
            raise
        err.print(f"[bold red]internal error:[/] {type(exc).__name__}: {exc}".splitlines()[0])
        err.print(
            "[yellow]next:[/] run again with EXPORTPLAN_DEBUG=1 for the details, and report it"
        )
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
