"""The data page's upload of a customs file (queued for the server's writer, which applies the
importer's own validation and the overlap rule, with the replace choice; the page shows its
progress), removing an import (asked, then done), and the download of an import's rejected
rows."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from exportplan.errors import ExportPlanError
from exportplan.services import data as data_svc
from exportplan.services.imports import customs
from exportplan.views.data import data_page
from exportplan.views.rejects import rejects_csv
from exportplan.web import uploads
from exportplan.web.limits import check_filename
from exportplan.web.site import Site, lang_of


def router(site: Site) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.post("/data/upload")
    async def upload(
        req: Request,
        file: UploadFile,
        definition: str = Form("customs"),
        decimal: str = Form(""),
        replace: str = Form(""),
        csrf: str = Form(""),
    ) -> Response:
        who = site.actor_of(req)
        site.check_csrf(req, csrf)
        who.require("admin", "secretary")
        lang = lang_of(req)
        raw = check_filename(file.filename, site.limits, lang)  # 400: too long, NUL
        name = Path(raw or "upload.csv").name
        if Path(name).suffix.lower() not in (".csv", ".xlsx", ".xls", ".txt"):
            raise ExportPlanError(f"{name}: a customs file is .csv or .xlsx")
        target, new = await uploads.save(file, site.ws.path / "uploads", name)
        options = customs.CustomsOptions(
            region=site.ws.home_region,
            definition=definition,
            decimal=decimal or None,
            replace=replace == "yes",
        )
        with uploads.discarded_on_error(target, new):  # refused at once: options no file has
            job = site.imports.submit_customs(target, options, who=who.username, discard=new)
        return RedirectResponse(f"/data?import={job.id}#imports", status_code=303)

    @r.get("/data/remove/{dataset_id}")
    def ask_remove(req: Request, dataset_id: int) -> Response:
        who = site.actor_of(req)
        who.require("admin", "secretary")
        lang = lang_of(req)
        preview = data_svc.removal_preview(site.ws, dataset_id)
        return site.render(req, data_page(site.ws, lang, confirm=preview), who, lang)

    @r.post("/data/remove/{dataset_id}")
    def remove(req: Request, dataset_id: int, csrf: str = Form("")) -> Response:
        who = site.actor_of(req)
        site.check_csrf(req, csrf)
        who.require("admin", "secretary")
        lang = lang_of(req)
        removed = data_svc.remove(site.ws, dataset_id)
        return site.render(req, data_page(site.ws, lang, removed=removed), who, lang)

    @r.get("/data/rejects/{dataset_id}.csv")
    def rejects(req: Request, dataset_id: int) -> Response:
        site.actor_of(req)
        lang = lang_of(req)
        # for people in Persian: the columns' names and the reasons in Persian (the machine
        # names and the reasons as stored with ?header=machine); reason_code in both
        header = "machine" if req.query_params.get("header") == "machine" else "label"
        text = rejects_csv(data_svc.rejects(site.ws, dataset_id), lang, header=header)
        return Response(
            text,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="rejects-{dataset_id}.csv"'},
        )

    return r
