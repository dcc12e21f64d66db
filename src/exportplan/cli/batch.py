"""The world-scale commands under ``exportplan complexity``: ``batch`` (BACI files of many
years on DuckDB or Spark into Parquet with a manifest) and ``compare`` (two batch outputs,
column by column)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from exportplan.cli.common import choice, err, out

batch_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
SUBCOMMANDS = ("batch", "compare")


class WithSubcommands(TyperCommand):
    """``exportplan complexity`` is a command with an optional INPUT and also the parent of
    ``batch`` and ``compare``: a first argument naming one of them runs it instead."""

    @property
    def commands(self) -> dict[str, Any]:  # read by scripts/gen_cli_docs.py
        return dict(getattr(typer.main.get_command(batch_app), "commands", {}))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] in SUBCOMMANDS:
            group = typer.main.get_command(batch_app)
            code = group.main(args, prog_name=ctx.command_path, standalone_mode=False)
            ctx.exit(code if isinstance(code, int) else 0)
        parsed: list[str] = super().parse_args(ctx, args)
        return parsed


@batch_app.command("batch")
def batch_cmd(
    source: Annotated[
        Path, typer.Option(help="Folder of BACI-layout files (CSV or Parquet, one or more a year).")
    ],
    years: Annotated[str, typer.Option(help="Years: 2019-2023 or 2019,2021.")],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Output folder (empty or new; see --overwrite).")
    ],
    engine: Annotated[str, typer.Option(help="duckdb (embedded) or spark.")] = "duckdb",
    spark_master: Annotated[
        str, typer.Option(help="Spark master: local[2], spark://host:7077, yarn ...")
    ] = "local[2]",
    spark_config: Annotated[
        Path | None, typer.Option(help="YAML file of Spark settings (key: value).")
    ] = None,
    classification: Annotated[
        str | None,
        typer.Option(help="HS edition (HS92 ... HS22): needed when the folder mixes editions."),
    ] = None,
    memory_limit: Annotated[
        str | None, typer.Option(help="DuckDB: memory limit, e.g. 16GB.")
    ] = None,
    spill_dir: Annotated[
        Path | None, typer.Option(help="DuckDB: folder to spill to past the memory limit.")
    ] = None,
    overwrite: Annotated[
        bool, typer.Option(help="Replace an earlier batch's output in --out.")
    ] = False,
    sample_filter: Annotated[
        bool,
        typer.Option(
            help="Leave out, before RCA, exporters below --min-exports (and --min-population "
            "with --population) and products below --min-world-trade, per year."
        ),
    ] = False,
    min_exports: Annotated[
        float | None,
        typer.Option(help="Sample filter: a year's exports at least (USD; default 1 billion)."),
    ] = None,
    min_population: Annotated[
        float | None,
        typer.Option(help="Sample filter: population above (default 1.2 million; --population)."),
    ] = None,
    population: Annotated[
        Path | None,
        typer.Option(help="Sample filter: CSV of loc (BACI country code), pop (and year)."),
    ] = None,
    min_world_trade: Annotated[
        float | None,
        typer.Option(help="Sample filter: a product's world trade at least (USD; default none)."),
    ] = None,
) -> None:
    """Complexity for every exporter x product x year of BACI files, on DuckDB or Spark.

    Writes OUT/year=YYYY/part-0.parquet (year, exporter, product, export_value, rca, m,
    diversity, ubiquity, eci, pci, density, coi, cog), the export potential's world
    aggregates in OUT/potential_aggregates/year=YYYY/part-0.parquet (year, country, product,
    exports_usd, imports_usd, world_usd, world_share, supply, suppliers, hhi) and
    OUT/manifest.json (inputs with sha256, engine and versions, filters, row counts per step,
    output checksums, time).

    Example: exportplan complexity batch --source baci/ --years 2019-2023 --engine duckdb --out results/duckdb
    """
    from exportplan.ingest.baci_files import parse_years
    from exportplan.services import batch_engines

    try:
        from exportplan.services import batch
    except ImportError as exc:
        raise batch_engines.EngineError(
            f"the batch needs the [spark] extra ({exc.name} is not installed)",
            hint=batch_engines.EXTRA_HINT,
        ) from exc

    eng = choice("engine", engine, ("duckdb", "spark"))
    sample = _sample(sample_filter, min_exports, min_population, population, min_world_trade)
    year_list = parse_years(years)
    batch.check_output(out_dir, overwrite)  # before an engine starts
    if eng == "spark":
        engine_obj = batch_engines.spark_engine(spark_master, spark_config)
    else:
        engine_obj = batch_engines.duckdb_engine(memory_limit, spill_dir)
    try:
        manifest = batch.run(
            source,
            year_list,
            engine_obj,
            out_dir,
            classification=classification,
            overwrite=overwrite,
            sample=sample,
            command=["exportplan", "complexity", *sys.argv[2:]] if len(sys.argv) > 2 else [],
        )
    finally:
        engine_obj.close()
    rows = sum(o["rows"] for o in manifest["outputs"] if o["dataset"] == "complexity")
    pot = sum(o["rows"] for o in manifest["outputs"] if o["dataset"] == batch.POTENTIAL)
    padded = manifest["product_codes_padded"]
    out.print(
        f"{engine_obj.name}: {len(year_list)} year(s), {rows:,} rows into {out_dir} and {pot:,} "
        f"into {out_dir / batch.POTENTIAL} ({manifest['seconds']['total']:.1f} s); manifest "
        f"{out_dir / batch.MANIFEST}"
    )
    if padded:
        out.print(f"{padded:,} product code(s) had lost their leading zeros and were padded")


def _sample(
    on: bool,
    min_exports: float | None,
    min_population: float | None,
    population: Path | None,
    min_world_trade: float | None,
) -> Any:
    """The batch's sample filter from the options (None when it is off)."""
    from exportplan.errors import InputError
    from exportplan.ingest.files import read_table
    from exportplan.services import batch

    given = (min_exports, min_population, population, min_world_trade)
    if not on:
        if any(v is not None for v in given):
            raise InputError(
                "thresholds of the sample filter were given with the filter turned off",
                hint="add --sample-filter, or drop --min-exports / --min-population / "
                "--population / --min-world-trade",
            )
        return None
    default = batch.Sample()
    return batch.Sample(
        min_exports=default.min_exports if min_exports is None else min_exports,
        min_population=default.min_population if min_population is None else min_population,
        population=None if population is None else batch.population_table(read_table(population)),
        min_world_trade=min_world_trade,
    )


@batch_app.command("compare")
def compare_cmd(
    dir_a: Annotated[Path, typer.Argument(help="A batch output folder.")],
    dir_b: Annotated[Path, typer.Argument(help="Another batch output folder.")],
    rtol: Annotated[float, typer.Option(help="Relative tolerance of the value columns.")] = 1e-9,
    diff: Annotated[
        Path | None,
        typer.Option(help="Where the differences go (default complexity-compare-diff.parquet)."),
    ] = None,
) -> None:
    """Compare two batch outputs column by column; exit status 1 when they differ.

    Both datasets are compared (the complexity rows and the potential's aggregates): presence
    (m), diversity, ubiquity and suppliers must be identical, the other columns equal within
    --rtol; every differing cell is written to the diff file.

    Example: exportplan complexity compare results/duckdb results/spark --rtol 1e-9
    """
    from exportplan.services import batch_compare
    from exportplan.services.batch import POTENTIAL

    res = batch_compare.compare(dir_a, dir_b, rtol=rtol, diff=diff)
    out.print(
        f"rows: {res.rows_a:,} in A, {res.rows_b:,} in B; only in A {res.only_a:,}, only in B {res.only_b:,}"
    )
    (pa_, pb), (poa, pob) = res.potential_rows, res.potential_only
    out.print(f"{POTENTIAL}: {pa_:,} in A, {pb:,} in B; only in A {poa:,}, only in B {pob:,}")
    for c in res.columns:
        mark = "ok" if c.mismatches == 0 else f"{c.mismatches:,} differ"
        out.print(
            f"  {c.dataset:<20} {c.column:<13} {mark:<14} max abs {c.max_abs:.3g}  "
            f"max rel {c.max_rel:.3g}"
        )
    if not res.equal:
        err.print(
            f"[bold red]the outputs differ[/] (rtol {res.rtol:g}); differences in {res.diff_path}"
        )
        raise typer.Exit(1)
    out.print(f"equal (rtol {res.rtol:g})")
