"""The program page's edits (an action's status, progress and note) and its workbook."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from exportplan.services import program
from exportplan.services import program as program_io
from exportplan.services.plan_of_record import choose_program
from exportplan.views.common import query_int
from exportplan.web.site import Site, lang_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def router(site: Site) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.post("/program/actions/{action_id}")
    def edit_action(
        req: Request,
        action_id: int,
        version: int = Form(...),
        status: str = Form(""),
        progress: str = Form(""),
        note: str = Form(""),
        csrf: str = Form(""),
    ) -> Response:
        who = site.actor_of(req)
        site.check_csrf(req, csrf)
        prog = int(progress) if progress.strip().isdigit() else None
        program.update_action(
            site.db,
            who,
            action_id,
            version=version,
            status=status or None,
            progress=prog,
            note=note or None,
        )
        return RedirectResponse(f"/program?msg=saved#action-{action_id}", status_code=303)

    @r.get("/program/export.xlsx")
    def program_xlsx(req: Request) -> Response:
        site.actor_of(req)
        year = query_int(req.query_params, "year", lang_of(req))
        chosen = choose_program(site.db, region=site.ws.home_region, year=year).program
        if chosen is None:
            raise StarletteHTTPException(404, "no program")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "program.xlsx"
            program_io.export(site.db, chosen.id, path, lang=lang_of(req))
            data = path.read_bytes()
        return Response(
            data,
            media_type=XLSX,
            headers={
                "Content-Disposition": f'attachment; filename="program-{chosen.sh_year}.xlsx"'
            },
        )

    return r
