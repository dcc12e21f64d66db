"""``exportplan serve``: the HTTP front door over a workspace."""

from __future__ import annotations

from typing import Annotated

import typer

from exportplan.cli.common import WorkspaceOpt, app, out, workspace_of


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workspace: WorkspaceOpt = None,
) -> None:
    """Serve the program's JSON API (OpenAPI at /api/v1/openapi.json) over a workspace.

    The web pages are not built yet (issue: Web application); the API is.

    Example: exportplan serve --port 8000
    """
    import uvicorn

    from exportplan.web.api import create_api

    ws = workspace_of(workspace)
    api = create_api(ws.program(), ws)
    out.print(f"exportplan API for {ws.path} on http://{host}:{port}/api/v1 (Ctrl-C to stop)")
    uvicorn.run(api, host=host, port=port, log_level="warning")
