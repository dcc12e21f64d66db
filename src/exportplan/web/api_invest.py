"""The investment pipeline's JSON API (``/api/v1/invest``): the funnel as of a day, the
projects, the enquiries, and a stage move (422 with the missing fields in Persian and English
when its gate refuses); the same services as the pages and the command line."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from exportplan.errors import GateError, InputError
from exportplan.ingest.invest import sh_day
from exportplan.reference.calendar import PeriodError
from exportplan.reference.invest_labels import gate_text
from exportplan.services.invest import figures
from exportplan.services.invest.projects import move_stage
from exportplan.store.program import ProgramDB
from exportplan.web.api import Who

__all__ = ["MoveIn", "router"]


class MoveIn(BaseModel):
    """A stage move: the stage, the day (Solar Hijri ``YYYY/MM/DD``), the reason (a move
    back), the version read, and gate fields to fill on the way."""

    to: str = Field(max_length=20)
    on: str = Field(default="", max_length=10)
    reason: str = Field(default="", max_length=2000)
    version: int | None = None
    fields: dict[str, str] = Field(default_factory=dict)


def _day(text: str) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return sh_day(text)
    except PeriodError as exc:
        raise InputError(str(exc)) from None


def router(db: ProgramDB) -> APIRouter:
    r = APIRouter(prefix="/api/v1/invest", tags=["investment"])

    @r.get("/funnel")
    def funnel(who: Who, as_of: str = "") -> dict[str, Any]:
        """``invest funnel --json`` as of a Solar Hijri day (default today)."""
        return figures.funnel_figures(db, _day(as_of))

    @r.get("/projects")
    def projects(who: Who) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in p.items() if k != "log"} | {"log": [[str(d), s] for d, s in p["log"]]}
            for p in figures.project_rows(db)
        ]

    @r.get("/enquiries")
    def enquiries(who: Who, as_of: str = "") -> list[dict[str, Any]]:
        return figures.enquiries_inbox(db, _day(as_of))

    @r.post("/projects/{code}/move", responses={422: {"description": "gate fields missing"}})
    def move(who: Who, code: str, body: MoveIn) -> Any:
        try:
            return move_stage(
                db,
                who,
                code,
                body.to,
                on=_day(body.on),
                reason=body.reason,
                version=body.version,
                fields=dict(body.fields),
            )
        except GateError as exc:
            return JSONResponse(
                status_code=422,
                content={
                    "error": exc.message,
                    "missing": exc.missing,
                    "message_en": gate_text(exc.project, exc.stage, exc.missing, "en"),
                    "message_fa": gate_text(exc.project, exc.stage, exc.missing, "fa"),
                },
            )

    return r
