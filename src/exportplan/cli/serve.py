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
    """Serve the web application (Persian and English pages, their JSON twins, downloads) and
    the JSON API (OpenAPI at /api/v1/openapi.json) over a workspace.

    Example: exportplan serve --port 8000
    """
    import uvicorn

    from exportplan.web.app import create_app

    ws = workspace_of(workspace)
    app_ = create_app(ws)
    out.print(f"exportplan for {ws.path} on http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(app_, host=host, port=port, log_level="warning")
