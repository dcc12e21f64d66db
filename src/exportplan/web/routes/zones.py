"""The industrial zones' pages: the zones, a zone's dashboard, a plot (its inspection and
notice forms), an application (its scrutiny, reservation and decision forms), the idle-plot
worklist, the monthly report (PDF) and every table as CSV or Excel; each page also as its
JSON twin (``.json``). A refused form answers its page again (400, or 409 for a held plot)
with the values as typed and the error beside its field, in the page's language; nothing is
written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from exportplan.auth import Actor
from exportplan.errors import InputError, PlotHeldError
from exportplan.i18n import error_text
from exportplan.i18n import label as t
from exportplan.reference.numbers import NumberError, parse_number
from exportplan.reports.zone_report import zone_report
from exportplan.services.zones import edits, records
from exportplan.services.zones.rules import day, optional_day
from exportplan.views import zones as views
from exportplan.views.context import PageContext
from exportplan.views.program_forms import FormState
from exportplan.web.routes.downloads import _attachment, table_file
from exportplan.web.site import Site, lang_of, query_of


def _as_of(req: Request) -> dt.date:
    return optional_day(req.query_params.get("as_of"), "as_of") or dt.date.today()


#: The fields each zone form has (a refusal about another field is shown over the form)
FORMS: dict[str, tuple[str, ...]] = {
    "reserve": ("plot", "on", "until"),
    "inspection": ("on", "finding", "power_kwh"),
    "notice": ("kind", "on", "deadline", "reason"),
}


def refusal(name: str, values: dict[str, str], exc: InputError, lang: str) -> FormState:
    """The form ``name`` as typed, with the refusal's message beside its field."""
    field = getattr(exc, "field", "")
    vals = getattr(exc, "values", None)
    if isinstance(vals, dict) and "field" in vals:
        exc.values = {**vals, "field": t(str(vals["field"]), lang)}  # type: ignore[attr-defined]
    msg, hint = error_text(exc, lang)
    key = field if field in FORMS[name] else ""
    return FormState(name=name, values=values, errors={key: msg}, hint=hint)


def kwh(text: str) -> float | None:
    if not text.strip():
        return None
    try:
        return parse_number(text)
    except NumberError:
        from exportplan.errors import ZoneRuleError

        raise ZoneRuleError(
            "power_kwh", "{field}: {value!r} is not a number", field="power_kwh", value=text
        ) from None


def router(site: Site) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    def page(req: Request, ctx: PageContext) -> Response:
        return site.render(req, ctx, site.actor_of(req), lang_of(req))

    def context(req: Request, code: str, view: str) -> PageContext:
        """The zone page's context, from the page cache (by zone, view, day and whose)."""
        who = site.actor_of(req)
        lang = lang_of(req)
        as_of = _as_of(req)
        return site.cached(
            "zones", (code, view, as_of), lang, who, lambda: build(who, lang, code, view, as_of)
        )

    def build(who: Actor, lang: str, code: str, view: str, as_of: dt.date) -> PageContext:
        if view == "zone":
            return views.zone_dashboard(site.ws, site.db, lang, code, as_of)
        if view == "worklist":
            return views.worklist_page(site.ws, site.db, lang, code, as_of)
        kind, _, key = view.partition("/")
        if kind == "plot" and key:
            return views.plot_page(site.ws, site.db, lang, code, key, as_of, who)
        if kind == "application" and key:
            return views.application_page(site.db, lang, who, code, key)
        raise StarletteHTTPException(404, "no such page")

    @r.get("/zones")
    @r.get("/zones.json")
    def index(req: Request) -> Response:
        who, lang = site.actor_of(req), lang_of(req)
        ctx = site.cached("zones_index", (), lang, who, lambda: views.zones_index(site.db, lang))
        return site.render(req, ctx, who, lang)

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

    async def submit(
        req: Request, code: str, view: str, name: str, write: Callable[[dict[str, str]], None]
    ) -> Response:
        form = await req.form()
        values = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
        who = site.actor_of(req)
        site.check_csrf(req, values.pop("csrf", ""))
        lang = lang_of(req)
        try:
            write(values)
        except InputError as exc:
            status = 409 if isinstance(exc, PlotHeldError) else 400
            ctx = context(req, code, view)
            state = refusal(name, values, exc, lang)
            return site.render(req, ctx, who, lang, status=status, form=state)
        back = f"/zones/{code}/{view.replace('plot/', 'plots/').replace('application/', 'applications/')}"
        return RedirectResponse(f"{back}?msg=saved&lang={lang}", status_code=303)

    @r.post("/zones/{code}/applications/{ref}/reserve")
    async def reserve(req: Request, code: str, ref: str) -> Response:
        who = site.actor_of(req)

        def write(v: dict[str, str]) -> None:
            on = optional_day(v.get("on"), "on") or dt.date.today()
            until = day(v.get("until", ""), "until")
            edits.reserve_plot(site.db, who, code, v.get("plot", ""), ref=ref, on=on, until=until)

        return await submit(req, code, f"application/{ref}", "reserve", write)

    @r.post("/zones/{code}/plots/{plot}/inspection")
    async def inspection(req: Request, code: str, plot: str) -> Response:
        who = site.actor_of(req)

        def write(v: dict[str, str]) -> None:
            on = day(v.get("on", ""), "on")
            edits.record_inspection(
                site.db,
                who,
                code,
                plot,
                on=on,
                finding=v.get("finding", ""),
                power_kwh_last_12m=kwh(v.get("power_kwh", "")),
            )

        return await submit(req, code, f"plot/{plot}", "inspection", write)

    @r.post("/zones/{code}/plots/{plot}/notice")
    async def notice(req: Request, code: str, plot: str) -> Response:
        who = site.actor_of(req)

        def write(v: dict[str, str]) -> None:
            on = day(v.get("on", ""), "on")
            deadline = optional_day(v.get("deadline"), "deadline")
            edits.issue_notice(
                site.db,
                who,
                code,
                plot,
                v.get("kind", ""),
                on=on,
                deadline=deadline,
                reason=v.get("reason", "")[:2000],
            )

        return await submit(req, code, f"plot/{plot}", "notice", write)

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
        return table_file(site, ctx, tab, name, query_of(req), lang_of(req))

    return r
