"""Commands for the workspace, imports, datasets, reference data and the demo."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from exportplan import __version__
from exportplan.cli.common import (
    CsvOpt,
    JsonOpt,
    WorkspaceOpt,
    app,
    emit,
    err,
    import_app,
    out,
    print_summary,
    reference_app,
    workspace_of,
)


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

    ws = workspace_of(workspace)
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

    ws = workspace_of(workspace)
    for f in files:
        with out.status(f"importing {f.name}"):
            s = data.import_baci(
                ws, f, country_file=country_codes, product_file=product_codes, hs_edition=hs_edition
            )
        print_summary(s)


@import_app.command("comtrade")
def import_comtrade(
    files: Annotated[list[Path], typer.Argument(help="UN Comtrade+ CSV downloads.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Import UN Comtrade+ CSV files; imports become partners' mirror exports.

    Example: exportplan import comtrade TradeData_2022_TUR.csv
    """
    from exportplan.services import data

    ws = workspace_of(workspace)
    for f in files:
        print_summary(data.import_comtrade(ws, f))


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
    decimal: Annotated[
        str | None,
        typer.Option(
            help="The file's decimal mark in text numbers: . (default; , groups thousands) or , "
            "(. groups thousands); numbers written otherwise are rejected, never guessed."
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="The file's months and offices replace those already loaded (otherwise a file "
            "overlapping loaded months and offices is refused).",
        ),
    ] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Import a region's customs records (Persian or English headers; Solar Hijri dates).

    A file covering months and customs offices already loaded is refused, naming them, unless
    --replace is given; a cumulative file replaces the earlier cumulative file of its year.

    Example: exportplan import customs exports-1404.xlsx --definition customs
    """
    from exportplan.ingest.customs import CustomsOptions, load_mapping
    from exportplan.services import data

    ws = workspace_of(workspace)
    mp = load_mapping(mapping) if mapping else {}
    for f in files:
        opts = CustomsOptions(
            region=region or ws.home_region,
            definition=definition,
            cumulative=cumulative,
            rate=rate,
            weight_unit=weight_unit,
            sheet=sheet,
            decimal=decimal,
            replace=replace,
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
        print_summary(s)


@app.command()
def datasets(
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    cells: Annotated[
        bool,
        typer.Option(
            "--cells",
            help="One row per cell (month x definition x customs office) of each customs "
            "import, with the import that replaced it, if any.",
        ),
    ] = False,
) -> None:
    """List every import with its provenance (file, sha256, time, rows read/accepted/rejected)
    and, for customs imports, the months and offices it still supplies and those later imports
    replaced.

    Example: exportplan datasets --json
    """
    from exportplan.services import data

    ws = workspace_of(workspace)
    if cells:
        emit(data.cells(ws), as_json=as_json, as_csv=as_csv, title="Cells of the customs imports")
        return
    df = data.datasets(ws)
    supply = data.supplies(ws)
    df = df.with_columns(
        pl.Series(
            "supplies",
            [supply[i].supplied_text("en") if i in supply else "" for i in df["id"]],
            dtype=pl.String,
        ),
        pl.Series(
            "superseded",
            [supply[i].superseded_text("en") if i in supply else "" for i in df["id"]],
            dtype=pl.String,
        ),
    )
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
            "supplies",
            "superseded",
        )
    emit(df, as_json=as_json, as_csv=as_csv, title="Datasets")


@app.command()
def rejects(
    dataset: Annotated[int, typer.Argument(help="Dataset id (see `exportplan datasets`).")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="CSV file to write.")
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            help="en|fa: fa writes the headers and the reasons in Persian; reason_code keeps "
            "each reason's machine code in both."
        ),
    ] = "en",
    workspace: WorkspaceOpt = None,
) -> None:
    """Write the rejected rows of an import (file, row, column, value, reason, reason_code)
    to CSV.

    Example: exportplan rejects 3 -o rejects-3.csv --lang fa
    """
    from exportplan.cli.common import choice
    from exportplan.services import data
    from exportplan.views.rejects import rejects_csv

    chosen = choice("lang", lang, ("fa", "en"))
    df = data.rejects(workspace_of(workspace), dataset)
    text = rejects_csv(df, chosen)
    if output:
        output.write_text(text, encoding="utf-8")
        out.print(f"{df.height:,} rejected cell(s) written to {output}")
    else:
        sys.stdout.write(text)


@app.command()
def remove(
    dataset: Annotated[int, typer.Argument(help="Dataset id (see `exportplan datasets`).")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Remove one import: its rows, its rejects and its record (one transaction); the months
    and offices it had replaced are supplied again by the imports it replaced.

    Example: exportplan remove 3
    """
    from exportplan.services import data

    removed = data.remove(workspace_of(workspace), dataset)
    out.print(data.removal_text(removed, "en"), markup=False)


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
    serve: Annotated[
        bool | None,
        typer.Option(
            "--serve/--no-serve",
            help="Serve the web application when built (default: when run in a terminal).",
        ),
    ] = None,
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
    years: Annotated[int, typer.Option(help="Years of synthetic world data.")] = 6,
    products: Annotated[int, typer.Option(help="Synthetic HS6 products.")] = 1200,
    seed: Annotated[int, typer.Option(help="Seed of the generator.")] = 20240601,
) -> None:
    """Build the demo workspace from synthetic data (labelled synthetic everywhere), show it,
    and serve the web application on 127.0.0.1.

    Example: exportplan demo --workspace ./demo-workspace --no-serve
    """
    import sys

    from exportplan.services import demo as demo_svc
    from exportplan.services.demo_program import DEMO_PASSWORD

    path = workspace or Path("demo-workspace")
    with out.status("building the demo workspace (synthetic world and province)"):
        report = demo_svc.build(path, years=years, products=products, seed=seed, log=out.print)
    out.print(report, markup=False)
    how = (
        f"Web application: `exportplan serve -w {path} --port {port}`, then open "
        f"http://127.0.0.1:{port}/ and sign in as secretary (or admin, imt, cus, agri, viewer) "
        f"with the password {DEMO_PASSWORD!r}."
    )
    if serve is None:
        serve = sys.stdout.isatty()
    if not serve:
        out.print(how, markup=False)
        return
    from exportplan.cli.serve import run_server
    from exportplan.workspace import open_workspace

    open_workspace(path).program()  # the store's errors are the command's, before serving
    out.print(
        f"Serving on http://127.0.0.1:{port}/ (Ctrl-C to stop); sign in as secretary with the "
        f"password {DEMO_PASSWORD!r}.",
        markup=False,
    )
    run_server(path, "127.0.0.1", port)
