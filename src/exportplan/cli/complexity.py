"""Commands of the complexity engine."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from exportplan.cli.common import (
    WorkspaceOpt,
    app,
    choice,
    read_table,
    workspace_of,
    write_table,
)
from exportplan.errors import ExportPlanError


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
        write_table(svc.baci_file(input, level=level, options=opts), output)
        return
    if input is not None:
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
    else:
        result = svc.compute(
            workspace_of(workspace),
            level=level,
            years=year,
            dataset=dataset,
            options=opts,
            region_mode=choice("region-mode", region_mode, ("none", "location", "subnational")),
            definition=choice("definition", definition, ("customs", "origin")),
        )
    write_table(result, output)


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
