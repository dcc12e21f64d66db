"""The command line: ``exportplan COMMAND``. Each command parses its options, calls one
service, and prints a table for people or ``--json``/``--csv`` for programs. Domain errors
are translated in :func:`main` into a message and a next step (exit code 2); no traceback
reaches a user.

Modules: :mod:`.common` (the apps, consoles, shared options and output), :mod:`.data`
(workspace, imports, datasets, reference, demo), :mod:`.complexity`, :mod:`.monitor`,
:mod:`.opportunities`, :mod:`.products` (product names), :mod:`.invest` (the investment
pipeline), :mod:`.program` (the program), :mod:`.users` (its users and tokens), :mod:`.serve`
(HTTP), :mod:`.report` (PDF and workbook), :mod:`.claims` (checking a text), :mod:`.zones`
(industrial zones), :mod:`.suppliers` (registry, demand, matching).
"""

from __future__ import annotations

from exportplan.cli import (  # noqa: F401  (they register commands)
    claims,
    complexity,
    data,
    invest,
    monitor,
    opportunities,
    products,
    program,
    report,
    serve,
    suppliers,
    users,
    zones,  # industrial zones (issue 18)
)
from exportplan.cli.common import app, err
from exportplan.errors import ExportPlanError

__all__ = ["app", "main"]


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
