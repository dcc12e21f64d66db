"""The program workbook's round trip on the web: an edited workbook uploaded, previewed (every
change and every problem by sheet, row and column, nothing written), then imported when
confirmed; a program that changed since the preview is previewed again instead."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from exportplan.errors import InputError, NotFoundError
from exportplan.services import program
from exportplan.views.program_audit import import_page
from exportplan.web import uploads
from exportplan.web.limits import check_filename
from exportplan.web.site import Site, lang_of

#: An upload's stored name: the first 12 hex digits of its sha256, a dash, its own name
STORED = re.compile(r"[0-9a-f]{12}-[^/\\\x00]{1,200}")
SUFFIXES = (".xlsx", ".yaml", ".yml")


def router(site: Site) -> APIRouter:
    r = APIRouter(include_in_schema=False)
    folder = site.ws.path / "uploads" / "program"

    def preview(req: Request, path: Path, *, stale: bool = False) -> Response:
        who, lang = site.actor_of(req), lang_of(req)
        seen = program.latest_change(site.db)
        found = program.preview_file(site.db, who, path)
        if found["problems"]:
            path.unlink(missing_ok=True)  # refused: the fixed file comes as a new upload
        name = path.name.split("-", 1)[1]
        ctx = import_page(found, lang, file_name=name, upload=path.name, seen=seen, stale=stale)
        return site.render(req, ctx, who, lang, status=422 if found["problems"] else 200)

    @r.post("/program/import/preview")
    async def upload(req: Request, file: UploadFile, csrf: str = Form("")) -> Response:
        who = site.actor_of(req)
        site.check_csrf(req, csrf)
        who.require("admin", "secretary")
        lang = lang_of(req)
        name = Path(check_filename(file.filename, site.limits, lang) or "program.xlsx").name
        if Path(name).suffix.lower() not in SUFFIXES:
            raise InputError(f"{name}: a program workbook is .xlsx (or .yaml)")
        path, _new = await uploads.save(file, folder, name)
        try:
            return await run_in_threadpool(preview, req, path)
        except BaseException:
            path.unlink(missing_ok=True)
            raise

    @r.post("/program/import/confirm")
    def confirm(
        req: Request,
        upload: str = Form("", max_length=240),
        seen: int = Form(0, ge=0, le=2**62),
        csrf: str = Form(""),
    ) -> Response:
        who = site.actor_of(req)
        site.check_csrf(req, csrf)
        who.require("admin", "secretary")
        path = folder / upload
        if not STORED.fullmatch(upload) or not path.is_file():
            raise NotFoundError(
                f"no previewed workbook {upload!r}", hint="upload the workbook again"
            )
        if program.latest_change(site.db) != seen:  # changed since the preview: show it again
            return preview(req, path, stale=True)
        program.import_file(site.db, who, path)
        return RedirectResponse("/program?msg=imported", status_code=303)

    return r
