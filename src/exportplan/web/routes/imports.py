"""The import queue over HTTP: the status the Data page polls (``/data/imports.json``, any
signed-in user) and the hand-off of a command line's import to the server's writer
(``/internal/imports``: loopback only, with the token of the workspace's ``server.json``)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from exportplan.errors import AuthenticationError, ExportPlanError, InputError
from exportplan.services.imports.worker import KINDS
from exportplan.views.imports import import_rows
from exportplan.web.api import error_status
from exportplan.web.site import Site, lang_of

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _error(exc: ExportPlanError) -> JSONResponse:
    return JSONResponse(
        {"error": exc.message, "hint": exc.hint, "error_kind": type(exc).__name__},
        status_code=error_status(exc),
    )


def router(site: Site) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    def check_local(req: Request) -> None:
        """A loopback caller holding this server's token (only the workspace's owner can read
        it from ``server.json``)."""
        srv = site.ws.server()
        given = req.headers.get("authorization", "").removeprefix("Bearer ").strip()
        host = req.client.host if req.client else ""
        if (
            srv is None
            or srv.pid != os.getpid()
            or host not in LOOPBACK
            or not given
            or not secrets.compare_digest(given, srv.token)
        ):
            raise AuthenticationError(
                "imports are handed over by the command line on this machine only",
                hint="run `exportplan import ...` with the workspace of this server",
            )

    @r.get("/data/imports.json")
    def status(req: Request) -> JSONResponse:
        site.actor_of(req)
        return JSONResponse({"imports": import_rows(site.imports.jobs(), lang_of(req))})

    @r.post("/internal/imports")
    async def hand_over(req: Request) -> JSONResponse:
        try:
            check_local(req)
            try:
                body: Any = await req.json()
            except ValueError as exc:
                raise InputError("the hand-off is a JSON object") from exc
            if not isinstance(body, dict):
                raise InputError("the hand-off is a JSON object")
            kind, path, kwargs = body.get("kind"), body.get("path"), body.get("kwargs", {})
            if kind not in KINDS or not isinstance(path, str) or not isinstance(kwargs, dict):
                raise InputError(f"give kind (one of {', '.join(KINDS)}), path and kwargs")
            if not Path(path).is_absolute():
                raise InputError(f"{path}: the path handed over must be absolute")
            job = site.imports.submit(str(kind), Path(path), kwargs, who="command line")
        except ExportPlanError as exc:
            return _error(exc)
        return JSONResponse(job.as_json(), status_code=202)

    @r.get("/internal/imports/{job_id}")
    def job_status(req: Request, job_id: int) -> JSONResponse:
        try:
            check_local(req)
        except ExportPlanError as exc:
            return _error(exc)
        job = site.imports.job(job_id)
        if job is None:
            return JSONResponse(
                {"error": f"no import {job_id} in this server's queue", "hint": ""},
                status_code=404,
            )
        return JSONResponse(job.as_json())

    return r
