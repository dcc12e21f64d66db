"""The JSON API alone as an application (``create_api``): the program's routes and the
industrial zones' router in one OpenAPI document at ``/api/v1/openapi.json``, the same
routers the web application includes (which adds the investment pipeline's).

It sits beside ``api.py`` rather than in it: the domains' routers import ``api`` (its
bearer-token dependency, error models and field types), so ``api`` cannot import them. The
investment pipeline's router is not in ``create_api`` yet: its routes do not declare their
error responses, which the API's conformance test (tests/test_api.py) requires."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from exportplan.services.signin_limits import SignInLimits
from exportplan.store.program import ProgramDB
from exportplan.web import api, api_invest, zones_api


def include_routers(
    app: FastAPI, db: ProgramDB, ws: Any, limits: SignInLimits | None, *, invest: bool = True
) -> None:
    """The API routers, in one place for the API alone and the web application."""
    app.include_router(api.router(db, ws, limits=limits))
    app.include_router(zones_api.router(db))  # industrial zones (issue 18)
    if invest:
        app.include_router(api_invest.router(db))  # the investment pipeline (issue 19)


def create_api(db: ProgramDB, ws: Any = None, *, limits: SignInLimits | None = None) -> FastAPI:
    """The API alone over a program store (``ws``, the workspace, for the data-backed
    routes); the web application (:mod:`.app`) includes the same routers."""
    app = FastAPI(
        title="exportplan program API",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.db = db
    api.install_json_errors(app)
    include_routers(app, db, ws, limits, invest=False)
    return app
