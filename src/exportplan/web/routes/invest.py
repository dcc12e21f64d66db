"""The investment pipeline's pages beyond the board (``/investment``, a page of the
navigation): a project, the enquiries inbox, an event, the gate form a move opens (a fragment
for htmx) and the move itself (refused with the missing fields, 422), and the monthly report."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from exportplan import reports
from exportplan.errors import GateError, InputError
from exportplan.i18n import error_text
from exportplan.reference.invest_labels import gate_text
from exportplan.services.facts import facts
from exportplan.services.invest import outcome
from exportplan.services.invest.follow_up import FollowUpError, record_follow_up
from exportplan.services.invest.projects import (
    EXTRA_INPUTS,
    FORM_FIELDS,
    RELATED_INPUTS,
    MoveInputError,
    move_stage,
)
from exportplan.views import invest
from exportplan.views.common import query_int
from exportplan.views.context import PageContext
from exportplan.web.routes.downloads import disposition
from exportplan.web.site import Site, lang_of

__all__ = ["router"]


def router(site: Site) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/investment/enquiries")
    @r.get("/investment/enquiries.json")
    def enquiries(req: Request) -> Response:
        who, lang = site.actor_of(req), lang_of(req)
        ctx = site.cached(
            "investment_enquiries", (), lang, who, lambda: invest.enquiries_page(site.db, lang)
        )
        return site.render(req, ctx, who, lang)

    @r.get("/investment/digest")
    @r.get("/investment/digest.json")
    def digest(req: Request, agency: str = "") -> Response:
        who, lang = site.actor_of(req), lang_of(req)
        code = agency.strip()
        ctx = site.cached(
            "investment_digest", (code,), lang, who, lambda: invest.digest_page(site.db, lang, code)
        )
        return site.render(req, ctx, who, lang)

    @r.get("/investment/projects/{code}")
    @r.get("/investment/projects/{code}.json")
    def project(req: Request, code: str) -> Response:
        who, lang = site.actor_of(req), lang_of(req)
        code = code.removesuffix(".json")

        def build() -> PageContext:
            out = next((o for o in outcome.outcomes(site.ws, site.db) if o["code"] == code), None)
            return invest.project_page(site.db, lang, code, out)

        ctx = site.cached("investment_project", (code,), lang, who, build)
        return site.render(req, ctx, who, lang)

    @r.get("/investment/events/{code}")
    @r.get("/investment/events/{code}.json")
    def event(req: Request, code: str) -> Response:
        who, lang = site.actor_of(req), lang_of(req)
        saved = req.query_params.get("msg") == "saved"
        key = code.removesuffix(".json")
        ctx = site.cached(
            "investment_event", (key, saved), lang, who,
            lambda: invest.event_page(site.db, lang, key, actor=who, saved=saved),
        )  # fmt: skip
        return site.render(req, ctx, who, lang)

    @r.post("/investment/events/{code}/interactions")
    def follow_up(
        req: Request,
        code: str,
        csrf: str = Form(""),
        investor: str = Form(""),
        kind: str = Form(""),
        on: str = Form(""),
        notes: str = Form(""),
    ) -> Response:
        who, lang = site.actor_of(req), lang_of(req)
        site.check_csrf(req, csrf)
        values = {"investor": investor, "kind": kind, "on": on, "notes": notes}
        try:
            record_follow_up(site.db, who, code, investor=investor, kind=kind, on=on, notes=notes)
        except FollowUpError as exc:
            form = invest.follow_up_refusal(exc, values, lang)
            ctx = invest.event_page(site.db, lang, code, actor=who, form=form)
            return site.render(req, ctx, who, lang, status=422)
        return RedirectResponse(
            f"/investment/events/{code}?lang={lang}&msg=saved#checklist", status_code=303
        )

    @r.get("/investment/projects/{code}/gate")
    def gate(req: Request, code: str, to: str = "") -> Response:
        who, lang = site.actor_of(req), lang_of(req)
        form = invest.gate_form(site.db, lang, code, to)
        html = site.page(req, "_gate_form", lang, who, gate=form, today=dt.date.today())
        return HTMLResponse(html)

    @r.post("/investment/projects/{code}/move")
    async def move(
        req: Request,
        code: str,
        csrf: str = Form(""),
        to: str = Form(""),
        version: int = Form(0),
        on: str = Form(""),
        reason: str = Form(""),
    ) -> Response:
        who, lang = site.actor_of(req), lang_of(req)
        site.check_csrf(req, csrf)
        form = await req.form()
        names = (*FORM_FIELDS, *RELATED_INPUTS.values(), *EXTRA_INPUTS)
        fields = {
            k: str(form.get(k) or "").strip() for k in names if str(form.get(k) or "").strip()
        }
        try:
            day = dt.date.fromisoformat(on) if on else dt.date.today()
        except ValueError:
            raise InputError(
                f"day of the move {on!r}: a day such as 2026-11-28 is needed"
            ) from None
        try:
            move_stage(
                site.db,
                who,
                code,
                to,
                on=day,
                version=version or None,
                reason=reason,
                fields=fields,
            )
        except GateError as exc:
            g = invest.gate_form(site.db, lang, code, to, exc.missing)
            html = site.page(
                req,
                "investment_gate",
                lang,
                who,
                gate=g,
                title=g["code"],
                today=day,
                error=gate_text(exc.project, exc.stage, exc.missing, lang),
            )
            return HTMLResponse(html, status_code=422)
        except MoveInputError as exc:  # a value the form cannot take (capex in rials...)
            # the form again, with the refused value's input (the capex's with its currency)
            refused = "capex_usd" if exc.field.startswith("capex") else exc.field
            lacking = invest.gate_form(site.db, lang, code, to)["missing"]
            g = invest.gate_form(site.db, lang, code, to, [*lacking, refused])
            html = site.page(
                req,
                "investment_gate",
                lang,
                who,
                gate=g,
                title=g["code"],
                today=day,
                error=error_text(exc, lang)[0],
            )
            return HTMLResponse(html, status_code=422)
        return RedirectResponse(f"/investment?msg=moved#card-{code}", status_code=303)

    @r.get("/reports/investment.pdf")
    def report(req: Request) -> Response:
        site.actor_of(req)
        lang = lang_of(req)
        today = dt.date.today()
        import jdatetime

        j = jdatetime.date.fromgregorian(date=today)
        year = query_int(req.query_params, "sh_year", lang) or j.year
        month = query_int(req.query_params, "month", lang) or j.month
        data = reports.invest_report(
            site.db, sh_year=year, month=month, lang=lang, synthetic=facts(site.ws).synthetic
        )
        return Response(
            data,
            media_type="application/pdf",
            headers={
                "Content-Disposition": disposition(f"investment-{year}-{month:02d}-{lang}.pdf")
            },
        )

    return r
