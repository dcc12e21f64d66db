"""Commands of the complexity engine."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer

from exportplan.cli.batch import WithSubcommands
from exportplan.cli.common import (
    JsonOpt,
    WorkspaceOpt,
    app,
    choice,
    err,
    read_table,
    workspace_of,
    write_table,
)
from exportplan.errors import ExportPlanError
from exportplan.reference.cells import csv_frame


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
        presence=choice("presence", presence, ("rca", "rpop", "either", "manual")),
        rca_threshold=rca_threshold,
        proximity=choice("proximity", proximity, ("discrete", "asymmetric", "continuous")),
        knn=knn,
        method=choice("method", method, ("eigenvector", "reflections", "fitness")),
        strict=strict,
        min_population=min_population,
        min_exports=min_exports,
    )


@app.command(cls=WithSubcommands)
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
        Path | None,
        typer.Option(
            help="CSV with loc,pop (and time): a file's RPOP; on the workspace, the sample "
            "filter's population (ISO3 loc, optional year)."
        ),
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
        float | None,
        typer.Option(
            help="Atlas sample filter: population above (a file: per year; the workspace: "
            "mean over the years, default 1.2 million, needs --population)."
        ),
    ] = None,
    min_exports: Annotated[
        float | None,
        typer.Option(
            help="Atlas sample filter: exports at least (a file: per year; the workspace: "
            "mean over the years, default USD 1 billion)."
        ),
    ] = None,
    sample_filter: Annotated[
        bool,
        typer.Option(
            help="Workspace: the Atlas sample filter (on by default; locations outside it are "
            "projected, not dropped)."
        ),
    ] = True,
    min_products: Annotated[
        int | None,
        typer.Option(
            help="Workspace: warn when an ECI rests on fewer products (default: setting "
            "complexity_min_products, 10)."
        ),
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
    region_year: Annotated[
        str | None,
        typer.Option(
            help="Workspace: place the region's records of this Gregorian year ('latest': its "
            "latest complete year) on the world year (--year, default the latest): world data "
            "end about two years before customs records."
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Output CSV or Parquet.")
    ] = None,
    as_json: JsonOpt = False,
    lang: Annotated[str, typer.Option(help="Language of the warnings on stderr: en or fa.")] = "en",
    workspace: WorkspaceOpt = None,
) -> None:
    """RCA, presence, diversity, ubiquity, ECI, PCI, density, COI and COG per time x location x product.

    Warnings where a number is fragile (an inverted ordering, close eigenvalues, an ECI on few
    products) go to stderr, or under `warnings` with --json. On the workspace the Atlas sample
    filter is on by default, the output says what it removed, and `n_products` is added.

    World scale: `exportplan complexity batch` (BACI files of many years on DuckDB or Spark, to
    Parquet with a manifest) and `exportplan complexity compare` (two batch outputs).

    Example: exportplan complexity trade.csv --time year --loc origin --prod hs92 --val export_val -o out.csv
    """
    from exportplan.analytics import fragility as fr
    from exportplan.analytics.ecomplexity import ecomplexity
    from exportplan.services import complexity as svc

    lg = choice("lang", lang, ("en", "fa"))
    if input is None:
        _workspace_complexity(
            workspace,
            options=_options(rca_threshold, presence, proximity, knn, method, strict, None, None),
            level=level,
            years=year,
            dataset=dataset,
            region_mode=choice("region-mode", region_mode, ("none", "location", "subnational")),
            definition=choice("definition", definition, ("customs", "origin")),
            sample=sample_filter,
            min_exports=min_exports,
            min_population=min_population,
            population=read_table(population) if population else None,
            min_products=min_products,
            output=output,
            as_json=as_json,
            lang=lg,
            region_year=region_year,
        )
        return
    opts = _options(
        rca_threshold, presence, proximity, knn, method, strict, min_population, min_exports
    )
    if baci:
        result = svc.baci_file(input, level=level, options=opts)
        names: tuple[str | None, str, str] = ("year", "exporter", result.columns[2])
    else:
        frame = read_table(input)
        pop = read_table(population) if population else None
        result = ecomplexity(
            frame,
            time=time,
            loc=loc,
            prod=prod,
            val=val,
            options=opts,
            population=pop,
            duplicates=choice("duplicates", duplicates, ("error", "sum")),
        )
        names = (time, loc, prod)
    diags = fr.diagnostics(result, time=names[0], loc=names[1], prod=names[2])
    warns = [w for d in diags for w in fr.warnings_of(d)]
    _finish(result, warns, [], None, diags, output=output, as_json=as_json, lang=lg)


def _finish(
    result: pl.DataFrame,
    warns: list[Any],
    notes: list[Any],
    sample: dict[str, Any] | None,
    diagnostics: list[Any],
    *,
    output: Path | None,
    as_json: bool,
    lang: Any,
) -> None:
    """The table (stdout or --output), then the notes and warnings: stderr, or with --json
    one object ``{rows | output, sample, notes, diagnostics, warnings}`` on stdout."""
    if as_json:
        rec: dict[str, Any] = {}
        if output is not None:  # written quietly: stdout holds the JSON alone
            if output.suffix.lower() == ".parquet":
                result.write_parquet(output, compression="lz4")
            else:
                csv_frame(result).write_csv(output)
            rec["output"] = str(output)
        else:
            rec["rows"] = result.to_dicts()
        if sample is not None:
            rec["sample"] = sample
        rec["notes"] = [n.to_dict() for n in notes]
        rec["diagnostics"] = [d.to_dict() for d in diagnostics]
        rec["warnings"] = [w.to_dict() for w in warns]
        sys.stdout.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
        return
    write_table(result, output)
    for n in notes:
        err.print(n.message(lang), markup=False, highlight=False)
    for w in warns:
        err.print(f"warning [{w.code}]: {w.message(lang)}", markup=False, highlight=False)


def _workspace_complexity(
    workspace: Path | None,
    *,
    options: Any,
    level: str,
    years: list[int] | None,
    dataset: int | None,
    region_mode: Any,
    definition: str,
    sample: bool,
    min_exports: float | None,
    min_population: float | None,
    population: pl.DataFrame | None,
    min_products: int | None,
    output: Path | None,
    as_json: bool,
    lang: Any,
    region_year: str | None = None,
) -> None:
    from exportplan.services import complexity_report

    placed: int | str | None = region_year
    if region_year is not None and region_year != "latest":
        try:
            placed = int(region_year)
        except ValueError as exc:
            raise ExportPlanError(
                f"--region-year is a year or 'latest'; got {region_year!r}"
            ) from exc

    rep = complexity_report.report(
        workspace_of(workspace),
        level=level,
        years=years,
        dataset=dataset,
        options=options,
        region_mode=region_mode,
        definition=definition,
        sample=sample,
        min_exports=min_exports,
        min_population=min_population,
        population=population,
        min_products=min_products,
        region_year=placed,
    )
    _finish(
        rep.frame,
        rep.warnings,
        rep.notes,
        rep.sample.to_dict(),
        rep.diagnostics,
        output=output,
        as_json=as_json,
        lang=lang,
    )


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
            read_table(input), time=time, loc=loc, prod=prod, val=val, options=opts
        )
    else:
        if year is None:
            raise ExportPlanError("give --year when computing proximity on the workspace")
        result = svc.proximity(workspace_of(workspace), level=level, year=year, options=opts)
    write_table(result, output)
