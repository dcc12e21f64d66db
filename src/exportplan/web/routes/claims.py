"""The "check a text" page: the form, a text's claims marked in place with every
interpretation, a field corrected by hand and checked again, the claim register and its
download; and the JSON API of ``exportplan claims check``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from exportplan.auth import Actor
from exportplan.errors import ExportPlanError, InputError, NotFoundError
from exportplan.i18n import error_text
from exportplan.i18n import label as t
from exportplan.services.claims import corrections as fixes
from exportplan.services.claims import register
from exportplan.services.claims.check import check_text, parse_published
from exportplan.views.claims import claims_json, claims_page
from exportplan.views.table_files import HEADERS
from exportplan.views.tables import csv_bytes, table, xlsx_bytes
from exportplan.views.templating import render as render_template
from exportplan.web.api import current_actor
from exportplan.web.routes.downloads import XLSX, disposition
from exportplan.web.site import Site, lang_of

REGISTER_COLUMNS = [
    ("text_id", "#", "num"),
    ("outlet", "Outlet", "text"),
    ("url", "URL", "text"),
    ("published", "Publication date", "text"),
    ("checked_at", "checked at", "text"),
    ("checked_by", "checked by", "text"),
    ("claim", "claim", "num"),
    ("quoted", "Text", "text"),
    ("kind", "kind", "text"),
    ("measure", "measure", "text"),
    ("quantity", "quantity", "num"),
    ("unit", "unit", "text"),
    ("year", "year", "num"),
    ("first_month", "first month", "num"),
    ("last_month", "last month", "num"),
    ("definition", "definition", "text"),
    ("computed", "computed", "num"),
    ("verdict", "verdict", "text"),
    ("reason", "notes", "text"),
    ("corrected", "corrected by hand", "text"),
]


class ClaimsIn(BaseModel):
    text: Annotated[str, Field(min_length=1, max_length=register.MAX_TEXT)]
    published: Annotated[str, Field(pattern=r"^\s*\S{4}/\S{1,2}/\S{1,2}\s*$")]
    lang: Annotated[str, Field(pattern="^(fa|en)$")] = "fa"


class ClaimsOut(BaseModel):
    claims: list[dict[str, Any]]


def api_router() -> APIRouter:
    """``POST /api/v1/claims/check``: the claims of a text with their checks (the same JSON
    as ``exportplan claims check --json``)."""
    r = APIRouter(prefix="/api/v1")

    @r.post("/claims/check", response_model=ClaimsOut)
    def api_check(
        body: ClaimsIn, req: Request, who: Annotated[Actor, Depends(current_actor)]
    ) -> dict[str, Any]:
        ws = req.app.state.ws
        checked = check_text(ws, body.text, parse_published(body.published))
        return claims_json(checked, body.lang)

    return r


def router(site: Site) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    def page(req: Request, who: Actor, lang: str, **values: Any) -> Response:
        ctx = claims_page(lang, register=register.texts(site.db), **values)
        html = render_template("claims.html", **{**site.base(req, lang, who), **ctx})
        return HTMLResponse(html)

    @r.get("/claims")
    def claims_get(req: Request) -> Response:
        who = site.actor_of(req)
        lang = lang_of(req)
        saved = req.query_params.get("saved")
        message = f"{t('Save to the register', lang)}: #{saved}" if saved else ""
        # the empty form and the register, cached like the other pages until the store
        # changes (a saved text adds an audit row)
        ctx = site.cached(
            "claims",
            (message,),
            lang,
            who,
            lambda: claims_page(lang, register=register.texts(site.db), message=message),
        )
        return site.render(req, ctx, who, lang)

    @r.get("/claims/check")
    def claims_check_get(req: Request) -> Response:
        """The language switch of a checked page (a GET of the form's address): the form."""
        lang = req.query_params.get("lang")
        return RedirectResponse(
            f"/claims?lang={lang}" if lang in ("fa", "en") else "/claims", status_code=303
        )

    @r.post("/claims/check")
    async def claims_post(
        req: Request,
        text: str = Form(""),
        published: str = Form(""),
        outlet: str = Form(""),
        url: str = Form(""),
        action: str = Form("check"),
        fix: str = Form(""),
        corrections: str = Form(""),
        csrf: str = Form(""),
    ) -> Response:
        who = site.actor_of(req)
        site.check_csrf(req, csrf)
        lang = lang_of(req)
        form = await req.form()
        values: dict[str, Any] = {
            "text": text[: register.MAX_TEXT],
            "published": published,
            "outlet": outlet,
            "url": url,
            "corrections": corrections,
        }
        try:
            # the corrections made so far on this text, with this form's on top
            state = fixes.load_state(corrections, text)
            dropped = bool(corrections.strip()) and not state
            index = int(fix) if fix.strip().isdigit() else None
            state = fixes.merge(
                state, index, {k: str(form.get(k, "")) for k in fixes.FIELDS if index is not None}
            )
            checked = check_text(site.ws, text, parse_published(published), corrections=state)
            values["corrections"] = fixes.dump_state(text, [c.claim for c in checked], state)
            if dropped:
                message = t(
                    "the text changed: the corrections made on the earlier text were dropped", lang
                )
                return page(req, who, lang, checked=checked, message=message, **values)
            if action == "save":
                text_id = register.record(
                    site.db,
                    who,
                    text=text,
                    published=published,
                    outlet=outlet,
                    url=url,
                    checked=checked,
                )
                return RedirectResponse(f"/claims?saved={text_id}", status_code=303)
        except ExportPlanError as exc:
            message, hint = error_text(exc, lang)
            shown = t(message, lang) + (f" ({t(hint, lang)})" if hint else "")
            return page(req, who, lang, message=shown, **values)
        return page(req, who, lang, checked=checked, **values)

    @r.get("/claims/register.{fmt}")
    def register_download(req: Request, fmt: str) -> Response:
        site.actor_of(req)
        lang = lang_of(req)
        tab = table(
            t("Claim register", lang), register.register_rows(site.db), REGISTER_COLUMNS, lang
        )
        if fmt == "csv":
            header = req.query_params.get("header", "label")
            if header not in HEADERS:
                raise InputError(
                    f"header must be one of {', '.join(HEADERS)}, not {header[:40]!r}",
                    hint="label: the page's labels; machine: the column names; both: two rows",
                )
            return Response(
                csv_bytes(tab, header=header, lang=lang),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": disposition("claim-register.csv")},
            )
        if fmt == "xlsx":
            return Response(
                xlsx_bytes(tab, lang),
                media_type=XLSX,
                headers={"Content-Disposition": disposition("claim-register.xlsx")},
            )
        raise NotFoundError(
            f"the claim register downloads as csv or xlsx, not {fmt!r}",
            hint="use /claims/register.csv or /claims/register.xlsx",
        )

    return r
