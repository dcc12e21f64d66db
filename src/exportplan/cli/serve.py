"""``exportplan serve``: the HTTP front door over a workspace."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from exportplan.cli.common import WorkspaceOpt, app, out, workspace_of

#: The web app's factory, by name: the command line starts the server without importing the
#: web front door (no front door imports another)
APP_FACTORY = "exportplan.web.app:app_from_env"


def run_server(path: Path, host: str, port: int) -> None:
    """Serve the web app over the workspace at ``path`` until interrupted: uvicorn builds the
    app from :data:`APP_FACTORY`, which opens the workspace named by EXPORTPLAN_WORKSPACE."""
    import uvicorn

    os.environ["EXPORTPLAN_WORKSPACE"] = str(Path(path).resolve())
    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, log_level="warning")


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workspace: WorkspaceOpt = None,
) -> None:
    """Serve the web application (Persian and English pages, their JSON twins, downloads) and
    the JSON API (OpenAPI at /api/v1/openapi.json) over a workspace.

    Example: exportplan serve --port 8000
    """
    ws = workspace_of(workspace)
    ws.program()  # the program store opens (and migrates) here, its errors the command's
    out.print(f"exportplan for {ws.path} on http://{host}:{port}/ (Ctrl-C to stop)")
    run_server(ws.path, host, port)
