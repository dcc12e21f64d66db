"""The program workbook's download (the edits are in :mod:`program_edit`, the workbook's
upload in :mod:`program_import`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from exportplan.services import program as program_io
from exportplan.services.plan_of_record import choose_program
from exportplan.views.common import query_int
from exportplan.web.site import Site, lang_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def router(site: Site) -> APIRouter:
    r = APIRouter(include_in_schema=False)

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
