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
app.add_typer(import_app, name="import")
app.add_typer(reference_app, name="reference")

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
            table.add_row(
                *["" if v is None else f"{v:,.6g}" if isinstance(v, float) else str(v) for v in row]
            )
        out.print(table)


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


if __name__ == "__main__":
    main()
