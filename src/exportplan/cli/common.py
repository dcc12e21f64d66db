"""Shared pieces of the command line: the typer apps, consoles, options and output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import polars as pl
import typer
from rich.console import Console
from rich.table import Table

from exportplan.errors import ExportPlanError
from exportplan.ingest.files import read_table
from exportplan.reference.cells import csv_frame

if TYPE_CHECKING:
    from exportplan.workspace import Workspace

__all__ = ["read_table"]

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


def workspace_of(path: Path | None) -> Workspace:
    from exportplan.workspace import open_workspace

    return open_workspace(path)


def emit(df: pl.DataFrame, *, as_json: bool, as_csv: bool, title: str = "") -> None:
    if as_json:
        out.print_json(json.dumps(df.to_dicts(), default=str, ensure_ascii=False))
    elif as_csv:
        sys.stdout.write(csv_frame(df).write_csv())
    else:
        table = Table(title=title or None)
        for c in df.columns:
            table.add_column(c)
        for row in df.iter_rows():
            table.add_row(*[cell_text(v) for v in row])
        out.print(table)


def cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"
    return str(v)


def print_summary(s: Any) -> None:
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


def choice(name: str, value: str, allowed: tuple[str, ...]) -> Any:
    """A choice option checked against its allowed values (returned as the Literal type)."""
    if value not in allowed:
        raise ExportPlanError(f"--{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def write_table(df: pl.DataFrame, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(csv_frame(df).write_csv())
    elif output.suffix.lower() == ".parquet":
        df.write_parquet(output, compression="lz4")
        out.print(f"{df.height:,} rows written to {output}")
    else:
        csv_frame(df).write_csv(output)
        out.print(f"{df.height:,} rows written to {output}")
