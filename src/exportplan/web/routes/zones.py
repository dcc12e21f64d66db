"""The industrial zones' pages: the zones, a zone's dashboard, a plot, an application (its
scrutiny and decision forms), the idle-plot worklist, the monthly report (PDF) and every
table as CSV or Excel; each page also as its JSON twin (``.json``)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from exportplan.reports.zone_report import zone_report
from exportplan.services.zones import records
from exportplan.services.zones.rules import optional_day
from exportplan.views import zones as views
from exportplan.views.context import PageContext
from exportplan.views.tables import csv_bytes, xlsx_bytes
from exportplan.web.routes.downloads import XLSX, _attachment
from exportplan.web.site import Site, lang_of


def _as_of(req: Request) -> dt.date:
    return optional_day(req.query_params.get("as_of"), "as_of") or dt.date.today()


def router(site: Site) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    def page(req: Request, ctx: PageContext) -> Response:
        return site.render(req, ctx, site.actor_of(req), lang_of(req))

    def context(req: Request, code: str, view: str) -> PageContext:
        who = site.actor_of(req)
        lang = lang_of(req)
        if view == "zone":
            return views.zone_dashboard(site.ws, site.db, lang, code, _as_of(req))
        if view == "worklist":
            return views.worklist_page(site.db, lang, code, _as_of(req))
        kind, _, key = view.partition("/")
        if kind == "plot" and key:
            return views.plot_page(site.ws, site.db, lang, code, key, _as_of(req))
        if kind == "application" and key:
            return views.application_page(site.db, lang, who, code, key)
        raise StarletteHTTPException(404, "no such page")

    @r.get("/zones")
    @r.get("/zones.json")
    def index(req: Request) -> Response:
        return page(req, views.zones_index(site.db, lang_of(req)))

    @r.get("/zones/{code}")
    @r.get("/zones/{code}.json")
    def zone(req: Request, code: str) -> Response:
        return page(req, context(req, code.removesuffix(".json"), "zone"))

    @r.get("/zones/{code}/worklist")
    @r.get("/zones/{code}/worklist.json")
    def worklist(req: Request, code: str) -> Response:
        return page(req, context(req, code, "worklist"))

    @r.get("/zones/{code}/plots/{plot}")
    def plot(req: Request, code: str, plot: str) -> Response:
        return page(req, context(req, code, f"plot/{plot.removesuffix('.json')}"))

    @r.get("/zones/{code}/applications/{ref}")
    def application(req: Request, code: str, ref: str) -> Response:
        return page(req, context(req, code, f"application/{ref.removesuffix('.json')}"))

    @r.post("/zones/{code}/applications/{ref}/scrutiny")
    async def scrutiny(req: Request, code: str, ref: str) -> Response:
        form = await req.form()
        who = site.actor_of(req)
        site.check_csrf(req, str(form.get("csrf", "")))
        from exportplan.services.zones.pipeline import SCRUTINY_ITEMS

        items: dict[str, bool | None] = {}
        for k in SCRUTINY_ITEMS:
            v = str(form.get(k, ""))
            items[k] = True if v == "yes" else False if v == "no" else None
        records.review_application(site.db, who, code, ref, items, on=dt.date.today())
        return RedirectResponse(f"/zones/{code}/applications/{ref}?msg=saved", status_code=303)

    @r.post("/zones/{code}/applications/{ref}/decide")
    def decide(
        req: Request,
        code: str,
        ref: str,
        decision: str = Form(..., max_length=20),
        plot: str = Form("", max_length=40),
        on: str = Form("", max_length=10),
        version: int = Form(..., ge=1, le=2_147_483_647),
        csrf: str = Form(""),
    ) -> Response:
        who = site.actor_of(req)
        site.check_csrf(req, csrf)
        day = optional_day(on, "on") or dt.date.today()
        records.decide_application(
            site.db, who, code, ref, decision, on=day, plot=plot or None, version=version
        )
        return RedirectResponse(f"/zones/{code}/applications/{ref}?msg=saved", status_code=303)

    @r.get("/zones/{code}/report.pdf")
    def report(req: Request, code: str) -> Response:
        site.actor_of(req)
        lang = lang_of(req)
        pdf = zone_report(site.ws, site.db, code, as_of=_as_of(req), lang=lang)
        return _attachment(pdf, "application/pdf", f"zone-{code}-{lang}.pdf")

    @r.get("/zones/{code}/download/{view:path}/{table}.{ext}")
    def download(req: Request, code: str, view: str, table: str, ext: str) -> Response:
        ctx = context(req, code, view)
        tab = ctx.tables.get(table)
        if tab is None or ext not in ("csv", "xlsx"):
            raise StarletteHTTPException(404, f"no table {table!r} as {ext}")
        name = f"zone-{code}-{view.replace('/', '-')}-{table}.{ext}"
        if ext == "csv":
            return _attachment(csv_bytes(tab), "text/csv; charset=utf-8", name)
        return _attachment(xlsx_bytes(tab, lang_of(req)), XLSX, name)

    return r
