"""Handing an import to the server that holds the workspace: the command line sends the file's
path and arguments to the server's writer over loopback (with the token of ``server.json``),
follows the job's progress and returns the same summary a local import would.

The server reads the file where it is (same machine, same user); nothing is copied. A server
that stops during the import rolls the import back: the command says so, and running it again
imports the file whole.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from exportplan import errors
from exportplan.errors import ExportPlanError, WorkspaceError
from exportplan.ingest.customs import Progress
from exportplan.services.imports.worker import STATES, stage_of
from exportplan.store.warehouse.writes import ImportSummary
from exportplan.workspace import ServerInfo

__all__ = ["PATH", "error_of", "run"]

#: The server's route for handed-over imports (``POST``; ``GET PATH/{id}`` for a job)
PATH = "/internal/imports"
FIELDS = {f.name for f in dataclasses.fields(ImportSummary)}


def _call(
    srv: ServerInfo, method: str, path: str, body: dict[str, Any] | None = None
) -> tuple[int, dict[str, Any]]:
    url = urlsplit(srv.url)
    con = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=30)
    try:
        con.request(
            method,
            path,
            body=None if body is None else json.dumps(body),
            headers={"Authorization": f"Bearer {srv.token}", "Content-Type": "application/json"},
        )
        r = con.getresponse()
        raw = r.read()
    finally:
        con.close()
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {"error": raw[:200].decode("utf-8", "replace")}
    return r.status, data if isinstance(data, dict) else {"error": str(data)}


def _init_of(c: type) -> object:
    return next(vars(k)["__init__"] for k in c.__mro__ if "__init__" in vars(k))


def error_of(kind: str, message: str, hint: str) -> ExportPlanError:
    """The domain error a job failed with, by its class name (a class whose constructor takes
    other arguments becomes its nearest base that takes a message and a hint)."""
    cls = getattr(errors, kind, None)
    if not (isinstance(cls, type) and issubclass(cls, ExportPlanError)):
        cls = ExportPlanError
    plain = vars(ExportPlanError)["__init__"]
    base = next(b for b in cls.__mro__ if _init_of(b) is plain)
    error: ExportPlanError = base(message, hint=hint)
    return error


def run(
    srv: ServerInfo,
    kind: str,
    path: Path,
    kwargs: dict[str, Any],
    progress: Progress | None = None,
    *,
    poll: float = 0.25,
) -> ImportSummary:
    """Import ``path`` through the server's writer and wait for it."""
    body = {"kind": kind, "path": str(Path(path).resolve()), "kwargs": kwargs}
    try:
        status, data = _call(srv, "POST", PATH, body)
    except OSError as exc:
        raise WorkspaceError(
            f"the server at {srv.url} (process {srv.pid}) holds the workspace but does not "
            f"answer: {exc}",
            hint="wait for it to start, or stop it, then try again",
        ) from exc
    if status != 202:
        raise error_of(
            str(data.get("error_kind", "")),
            str(data.get("error", f"the server refused the import (HTTP {status})")),
            str(data.get("hint", "")),
        )
    job_id = int(data["id"])
    while True:
        try:
            status, data = _call(srv, "GET", f"{PATH}/{job_id}")
        except OSError as exc:
            raise WorkspaceError(
                f"the server at {srv.url} stopped during the import of {Path(path).name}: "
                "nothing of it was committed",
                hint="start the server again (or run the command with no server) and import "
                "the file again",
            ) from exc
        if status != 200:
            raise WorkspaceError(
                f"the server lost the import of {Path(path).name} (HTTP {status}); nothing of "
                "it was committed",
                hint="import the file again",
            )
        state = str(data.get("state", ""))
        if state == "done":
            return ImportSummary(**{k: v for k, v in data["summary"].items() if k in FIELDS})
        if state == "failed":
            raise error_of(
                str(data.get("error_kind", "")),
                str(data.get("error", "")),
                str(data.get("hint", "")),
            )
        if progress is not None and state in STATES[1:4]:
            progress(stage_of(state), int(data.get("done") or 0), data.get("total"))
        time.sleep(poll)
