"""The supplier pages reached from the registry (a firm, a buyer's demand list, the gap
report, introductions) with their JSON twins, the curators' forms (propose, shortlist,
reject with a reason, send to the buyer, introduce), and the shortlist as a PDF."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from exportplan import reports
from exportplan.errors import InputError
from exportplan.services.plan_of_record import choose_program
from exportplan.services.program.validation import RuleError
from exportplan.services.suppliers import curation, imports, matching
from exportplan.services.suppliers import gaps as gap_report
from exportplan.views import suppliers as supplier_views
from exportplan.views.pages import supplier_builders
from exportplan.web import uploads
from exportplan.web.limits import check_filename
from exportplan.web.routes.downloads import disposition
from exportplan.web.routes.program_edit import number
from exportplan.web.site import Site, lang_of, query_of

#: The parameters the supplier pages read (views/pages.supplier_builders): the page cache's key
SUPPLIER_KEYS = frozenset({"q", "code", "cert", "firm", "buyer"})


def router(site: Site) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    def show(req: Request, name: str, **query: str) -> Response:
        who = site.actor_of(req)
        lang = lang_of(req)
        q = {**query_of(req), **query}
        params = tuple(sorted((k, v) for k, v in q.items() if k in SUPPLIER_KEYS))
        build = supplier_builders(site.ws, site.db, lang, who, q)[name]
        return site.render(req, site.cached(name, params, lang, who, build), who, lang)

    for suffix in (".json", ""):  # the twin first: "{code}" would take "F001.json"

        @r.get("/suppliers/firm/{code}" + suffix)
        def firm(req: Request, code: str = PathParam(..., max_length=40)) -> Response:
            return show(req, "supplier_firm", firm=code)

        @r.get("/demand/{buyer}" + suffix)
        def demand(req: Request, buyer: str = PathParam(..., max_length=40)) -> Response:
            return show(req, "demand", buyer=buyer)

        @r.get("/gaps" + suffix)
        def gaps(req: Request) -> Response:
            return show(req, "gaps")

        @r.get("/introductions" + suffix)
        def introductions(req: Request) -> Response:
            return show(req, "introductions")

    @r.post("/suppliers/import")
    async def upload(
        req: Request,
        file: UploadFile,
        kind: str = Form("firms", max_length=10),
        buyer: str = Form("", max_length=40),
        title: str = Form("", max_length=200),
        draft: str = Form("", max_length=5),
        csrf: str = Form(""),
    ) -> Response:
        """A registry file or a buyer's demand list uploaded and imported (the importer's
        checks; the page shows what it did and every rejected row, in the page's language)."""
        who = site.actor_of(req)
        site.check_csrf(req, csrf)
        who.require("admin", "secretary")
        lang = lang_of(req)
        name = Path(check_filename(file.filename, site.limits, lang) or "suppliers.csv").name
        if Path(name).suffix.lower() not in (".csv", ".xlsx"):
            raise InputError(f"{name}: a supplier file is .csv or .xlsx")
        if kind not in ("firms", "demand"):
            raise InputError("choose a registry file or a demand list")
        saved, new = await uploads.save(file, site.ws.path / "uploads" / "suppliers", name)
        path = saved.parent / saved.name[:12] / name  # the import records the file's own name
        path.parent.mkdir(exist_ok=True)
        os.replace(saved, path)

        def run() -> imports.ImportSummary:
            if kind == "firms":
                return imports.import_firms(site.db, who, path, draft=draft == "yes")
            return imports.import_demand(site.db, who, path, buyer=buyer, title=title)

        with uploads.discarded_on_error(path, new):
            summary = await run_in_threadpool(run)
        result = supplier_views.import_result(summary, kind, lang)
        ctx = supplier_views.suppliers_page(site.db, lang, who, imported=result)
        return site.render(req, ctx, who, lang)

    def back(buyer: str, anchor: str = "") -> Response:
        return RedirectResponse(f"/demand/{quote(buyer)}?msg=saved{anchor}", status_code=303)

    @r.post("/demand/{buyer}/run")
    def run(
        req: Request, buyer: str = PathParam(..., max_length=40), csrf: str = Form("")
    ) -> Response:
        who = site.actor_of(req)
        site.check_csrf(req, csrf)
        matching.run(site.db, who, buyer=buyer, top=10, record=True)
        return back(buyer)

    @r.post("/demand/{buyer}/send")
    def send(
        req: Request, buyer: str = PathParam(..., max_length=40), csrf: str = Form("")
    ) -> Response:
        who = site.actor_of(req)
        site.check_csrf(req, csrf)
        curation.send_shortlist(site.db, who, buyer=buyer)
        return back(buyer)

    @r.post("/matches/{match_id}")
    def decide(
        req: Request,
        match_id: int = PathParam(..., ge=1, le=2_147_483_647),
        buyer: str = Form(..., max_length=40),
        state: str = Form(..., max_length=20),
        reason: str = Form("", max_length=40),
        version: int = Form(..., ge=0, le=2_147_483_647),
        csrf: str = Form(""),
    ) -> Response:
        who = site.actor_of(req)
        site.check_csrf(req, csrf)
        curation.decide(site.db, who, match_id, state=state, reason=reason, version=version)
        return back(buyer, f"#match-{match_id}")

    @r.post("/matches/{match_id}/introduce")
    def introduce(
        req: Request,
        match_id: int = PathParam(..., ge=1, le=2_147_483_647),
        csrf: str = Form(""),
    ) -> Response:
        who = site.actor_of(req)
        site.check_csrf(req, csrf)
        curation.introduce(site.db, who, match_id)
        return RedirectResponse("/introductions?msg=saved", status_code=303)

    @r.post("/introductions/{intro_id}")
    def introduction_outcome(
        req: Request,
        intro_id: int = PathParam(..., ge=1, le=2_147_483_647),
        status: str = Form(..., max_length=20),
        outcome: str = Form("none", max_length=30),
        value_usd: str = Form("", max_length=40),
        version: int = Form(..., ge=0, le=2_147_483_647),
        csrf: str = Form(""),
    ) -> Response:
        """What an introduction led to (status, outcome, a contract's value in USD; Persian
        digits and separators read as Latin ones)."""
        who = site.actor_of(req)
        site.check_csrf(req, csrf)
        value = number(value_usd, "value_usd", required=False)
        curation.record_outcome(
            site.db, who, intro_id, status=status, outcome=outcome, value_usd=value, version=version
        )
        return RedirectResponse(f"/introductions?msg=saved#outcome-{intro_id}", status_code=303)

    @r.post("/gaps/priority")
    def gap_to_priority(
        req: Request,
        buyer: str = Form(..., max_length=40),
        item_id: str = Form(..., max_length=40),
        market: str = Form("", max_length=100),
        csrf: str = Form(""),
    ) -> Response:
        """A gap made a priority of the program of record (the latest year's)."""
        who = site.actor_of(req)
        site.check_csrf(req, csrf)
        chosen = choose_program(site.db, region=site.ws.home_region).program
        if chosen is None:
            raise RuleError("year", "there is no program yet: create the year's program first")
        gap_report.to_priority(site.db, who, chosen.id, buyer=buyer, item_id=item_id, market=market)
        return RedirectResponse(
            f"/program?year={chosen.sh_year}&msg=saved#table-priorities", status_code=303
        )

    @r.get("/demand/{buyer}/shortlist.pdf")
    def shortlist_pdf(req: Request, buyer: str = PathParam(..., max_length=40)) -> Response:
        who = site.actor_of(req)
        lang = lang_of(req)
        pdf = reports.shortlist(site.db, who, buyer=buyer, lang=lang)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": disposition(f"shortlist-{buyer}-{lang}.pdf")},
        )

    return r
