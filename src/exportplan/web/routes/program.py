"""The program page's edits (an action's status, progress and note; a KPI's value for a
month, versioned) and its workbook."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from fastapi import APIRouter, Form, Request
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from exportplan.errors import InputError
from exportplan.reference.text import digits
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
        action_id: int = PathParam(..., ge=1, le=2_147_483_647),
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

    @r.post("/program/{program_id}/kpis/{code}/measure")
    def measure_kpi(
        req: Request,
        program_id: int = PathParam(..., ge=1, le=2_147_483_647),
        code: str = PathParam(..., max_length=40),
        period: str = Form(..., max_length=10),
        value: str = Form(..., max_length=40),
        version: int = Form(..., ge=0, le=2_147_483_647),
        csrf: str = Form(""),
    ) -> Response:
        who = site.actor_of(req)
        site.check_csrf(req, csrf)
        try:
            number = float(digits(value).replace("٫", ".").strip())
        except ValueError:
            raise InputError(f"value {value!r}: a number is needed, such as 4.5") from None
        if not math.isfinite(number) or abs(number) > 1e13:
            raise InputError(f"value {value!r}: a finite number up to 1e13 is needed")
        program.measure(
            site.db,
            who,
            program_id,
            code,
            period=digits(period).strip(),
            value=number,
            version=version,
        )
        return RedirectResponse(f"/program?msg=saved#kpi-{code}", status_code=303)

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
