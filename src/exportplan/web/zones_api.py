"""The industrial zones' JSON API (``/api/v1/zones``, in the same OpenAPI document): the
zones, a zone's figures on a day (the fields of ``exportplan zones status --json``), its
plots, its idle-plot worklist, and a plot's checked status change. Bearer tokens as for
the rest of the API; a zone operator may change only its own zones' plots."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from exportplan.services.zones import records, set_status
from exportplan.services.zones.rules import day, optional_day
from exportplan.services.zones.status import zone_status
from exportplan.store.program import ProgramDB
from exportplan.web.api import ERRORS, Code, Strict, Who

AsOf = Annotated[str | None, Query(max_length=10, description="Solar Hijri day, 1404/09/30")]


class ZoneStatusOut(BaseModel):
    zone: str
    as_of: str
    plots_total: int
    area_total_m2: float
    plots_by_status: dict[str, int]
    area_by_status_m2: dict[str, float]
    share_allotted_area: float | None
    median_days_to_decision: float | None
    p90_days_to_decision: float | None
    median_days_to_contract: float | None
    p90_days_to_contract: float | None
    decided_applications: int
    contracts_counted: int
    idle_plots: list[str]
    backlog: int
    backlog_by_month: list[dict[str, Any]]
    readiness: float | None
    deadline_risk: list[dict[str, Any]]


class PlotOut(BaseModel):
    code: str
    block: str
    area_m2_declared: float
    area_m2_geometry: float | None
    use_class: str
    status: str
    status_on: str
    holder: str | None
    version: int


class PlotStatusIn(Strict):
    status: Annotated[str, Field(max_length=20)]
    on: Annotated[str, Field(max_length=10, description="Solar Hijri day, 1404/09/30")]
    reason: Annotated[str, Field(max_length=2000)] = ""
    version: Annotated[int, Field(ge=1)]


def _day(as_of: str | None) -> dt.date:
    return optional_day(as_of, "as_of") or dt.date.today()


def router(db: ProgramDB) -> APIRouter:
    r = APIRouter(prefix="/api/v1/zones", responses=ERRORS, tags=["zones"])

    @r.get("", response_model=list[dict[str, Any]])
    def list_zones(who: Who) -> list[dict[str, Any]]:
        return [
            {k: z[k] for k in ("code", "name_en", "name_fa", "kind", "hs_chapters")}
            for z in records.zones_list(db)
        ]

    @r.get("/{code}/status", response_model=ZoneStatusOut)
    def status(code: Code, who: Who, as_of: AsOf = None) -> dict[str, Any]:
        return zone_status(db, code, as_of=_day(as_of))

    @r.get("/{code}/plots", response_model=list[PlotOut])
    def plots(code: Code, who: Who, as_of: AsOf = None) -> list[dict[str, Any]]:
        return records.plots_of(db, code, as_of=_day(as_of))

    @r.get("/{code}/worklist", response_model=list[dict[str, Any]])
    def worklist(code: Code, who: Who, as_of: AsOf = None) -> list[dict[str, Any]]:
        return records.worklist(db, code, as_of=_day(as_of))

    @r.post("/{code}/plots/{plot}/status", response_model=PlotOut)
    def plot_status(code: Code, plot: Code, body: PlotStatusIn, who: Who) -> dict[str, Any]:
        set_status(
            db,
            who,
            code,
            plot,
            body.status,
            on=day(body.on, "on"),
            reason=body.reason,
            version=body.version,
        )
        return next(p for p in records.plots_of(db, code, as_of=dt.date.max) if p["code"] == plot)

    return r
