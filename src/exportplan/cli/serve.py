"""``exportplan serve``: the HTTP front door over a workspace, with warnings when it listens
beyond this machine or when users still have the demo's password."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from exportplan.cli.common import WorkspaceOpt, app, err, out, workspace_of

if TYPE_CHECKING:
    from exportplan.workspace import Workspace

#: The web app's factory, by name: the command line starts the server without importing the
#: web front door (no front door imports another)
APP_FACTORY = "exportplan.web.app:app_from_env"


def run_server(path: Path, host: str, port: int) -> None:
    """Serve the web app over the workspace at ``path`` until interrupted: uvicorn builds the
    app from :data:`APP_FACTORY`, which opens the workspace named by EXPORTPLAN_WORKSPACE.
    The server announces itself in the workspace (``server.json``) meanwhile, so that imports
    run from the command line are handed to its writer."""
    import uvicorn

    from exportplan.workspace import open_workspace

    os.environ["EXPORTPLAN_WORKSPACE"] = str(Path(path).resolve())
    with open_workspace(Path(path)).serving(host, port):
        uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, log_level="warning")


def is_loopback(host: str) -> bool:
    """Whether ``host`` is an address of this machine only (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def warnings(ws: Workspace, host: str) -> list[str]:
    """What is unsafe about serving ``ws`` on ``host``: listening beyond this machine, and
    users who still have the demo's password."""
    from exportplan.services import demo_program, users

    found = []
    if not is_loopback(host):
        found.append(
            f"listening on {host}, not only on this machine: anyone who can reach it sees the "
            "sign-in page. Serve it behind a TLS reverse proxy (HTTPS) and set "
            "EXPORTPLAN_BEHIND_HTTPS=yes (Secure cookies); docs/web.md"
        )
    demo = users.users_with_password(ws.program(), demo_program.DEMO_PASSWORD)
    if demo:
        found.append(
            f"user(s) {', '.join(demo)} still have the demo's password: set new ones with "
            "`exportplan user password NAME`"
        )
    return found


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
    for w in warnings(ws, host):
        err.print(f"warning: {w}", markup=False)
    out.print(f"exportplan for {ws.path} on http://{host}:{port}/ (Ctrl-C to stop)")
    run_server(ws.path, host, port)
