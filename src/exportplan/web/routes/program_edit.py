"""The secretary's and the agencies' writes on the program page: the program, priorities (by
hand, or from an opportunity in one click), sub-targets, actions (add, edit, reassign, close),
KPIs, agencies and a change of head, and the audit page. Each route parses its form, calls
the program service (which checks the role and writes through the one write helper) and
redirects; a refusal answers the page again with the form as typed and the error beside its
field, in the page's language (a stale form: the values saved now and what changed)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from exportplan.auth import Actor
from exportplan.errors import (
    AuthenticationError,
    ExportPlanError,
    NotFoundError,
    PermissionDeniedError,
)
from exportplan.reference.numbers import NumberError, parse_number
from exportplan.reference.text import digits
from exportplan.services import program
from exportplan.services.plan_of_record import choose_program
from exportplan.services.program.lookup import hs_from_words, suggest_hs, suggest_markets
from exportplan.services.program.validation import RuleError
from exportplan.views.program import program_page
from exportplan.views.program_audit import audit_page
from exportplan.views.program_edit import action_page
from exportplan.views.program_forms import form_refusal
from exportplan.views.templating import render as render_template
from exportplan.web.api import error_status
from exportplan.web.site import Site, lang_of

MAX_ID = 2_147_483_647


def number(text: str, field: str, *, required: bool = True) -> float | None:
    """A form's number (Persian digits and separators too); a clear refusal otherwise."""
    if not text.strip():
        if required:
            raise RuleError(field, f"{field}: a number is needed, such as 4.5")
        return None
    try:
        v = parse_number(text)
    except NumberError:
        raise RuleError(field, f"{field}: a number is needed, such as 4.5") from None
    if not math.isfinite(v) or abs(v) > 1e13:
        raise RuleError(field, f"{field}: a finite number up to 1e13 is needed")
    return v


#: The query parameters the audit page reads (views/program_audit.audit_page)
AUDIT_FILTERS = frozenset({"user", "what", "agency", "since", "until"})


def router(site: Site) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    async def form_of(req: Request) -> dict[str, str]:
        form = await req.form()
        return {k: v.strip() if isinstance(v, str) else "" for k, v in form.items()}

    def signed(req: Request, values: dict[str, str]) -> tuple[Actor, str]:
        who = site.actor_of(req)
        site.check_csrf(req, values.pop("csrf", ""))
        return who, lang_of(req)

    def attempt(
        req: Request,
        who: Actor,
        lang: str,
        name: str,
        values: dict[str, str],
        write: Callable[[], str],
        *,
        year: int | None = None,
        page: Callable[[], Any] | None = None,
        current: Callable[[], dict[str, Any]] | None = None,
        key: str = "",
        path: str = "/program",
        blank_keeps: bool = False,
    ) -> Response:
        """Run a write and redirect where it says; a refusal answers ``page`` (the program
        page of ``year``) again with the form's state. A role refusal stays a 403 page."""
        try:
            return RedirectResponse(write(), status_code=303)
        except (AuthenticationError, PermissionDeniedError):
            raise
        except ExportPlanError as exc:
            now = current() if current is not None else None
            state = form_refusal(
                name, exc, values, lang, current=now, key=key, blank_keeps=blank_keeps
            )
            ctx = page() if page is not None else program_page(site.ws, site.db, lang, who, year)
            return site.render(
                req, ctx, who, lang, status=error_status(exc), forms={name: state}, path=path
            )  # path: the page's, whose twin the answer links (not the form's address)

    # ---- the program -----------------------------------------------------------------------

    @r.post("/program/create")
    async def create(req: Request) -> Response:
        values = await form_of(req)
        who, lang = signed(req, values)

        def write() -> str:
            year = number(digits(values.get("year", "")), "sh_year")
            target = number(values.get("target", ""), "target_usd")
            assert year is not None and target is not None
            if not year.is_integer():
                raise RuleError("sh_year", f"{year:g} is not a Solar Hijri year (for example 1405)")
            program.create_program(
                site.db, who, region=site.ws.home_region, country="IRN", sh_year=int(year),
                target_usd=target, definition=values.get("definition", "customs"),
                name=values.get("name", ""),
            )  # fmt: skip
            return f"/program?year={int(year)}&msg=saved"

        return attempt(req, who, lang, "create", values, write)

    @r.post("/program/{program_id}/edit")
    async def edit(req: Request, program_id: int = PathParam(..., ge=1, le=MAX_ID)) -> Response:
        values = await form_of(req)
        who, lang = signed(req, values)
        year = _year_of(program_id)

        def write() -> str:
            target = number(values.get("target", ""), "target_usd")
            program.update_program(
                site.db, who, program_id, version=_int(values.get("version")),
                target_usd=target, name=values.get("name") or None,
            )  # fmt: skip
            return f"/program?year={year}&msg=saved"

        def current() -> dict[str, Any]:
            p = next(x for x in program.programs(site.db) if x["id"] == program_id)
            return {"name": p["name"], "target": f"{p['target_usd']:.0f}", "version": p["version"]}

        return attempt(req, who, lang, "program", values, write, year=year, current=current)

    # ---- priorities ------------------------------------------------------------------------

    @r.post("/program/{program_id}/priorities")
    async def add_priority(
        req: Request, program_id: int = PathParam(..., ge=1, le=MAX_ID)
    ) -> Response:
        values = await form_of(req)
        who, lang = signed(req, values)
        year = _year_of(program_id)

        def write() -> str:
            program.add_priority(
                site.db, who, program_id, code=values.get("code", ""),
                hs_codes=hs_from_words(site.ws, values.get("hs", "")),
                markets=values.get("markets", ""), name_en=values.get("name_en", ""),
                name_fa=values.get("name_fa", ""), reason=values.get("reason", ""),
            )  # fmt: skip
            return f"/program?year={year}&msg=saved#table-priorities"

        return attempt(req, who, lang, "priority", values, write, year=year)

    @r.post("/program/priorities/from-opportunity")
    async def from_opportunity(req: Request) -> Response:
        values = await form_of(req)
        who, _lang = signed(req, values)
        year = _int(values.get("year")) or None
        chosen = choose_program(site.db, region=site.ws.home_region, year=year).program
        if chosen is None:
            raise RuleError("year", "there is no program yet: create the year's program first")
        program.priority_from_opportunity(
            site.ws, site.db, who, chosen.id,
            product=values.get("product", ""), market=values.get("market", ""),
        )  # fmt: skip
        return RedirectResponse(
            f"/program?year={chosen.sh_year}&msg=saved#table-priorities", status_code=303
        )

    # ---- the target tree -------------------------------------------------------------------

    @r.post("/program/{program_id}/targets")
    async def set_target(
        req: Request, program_id: int = PathParam(..., ge=1, le=MAX_ID)
    ) -> Response:
        values = await form_of(req)
        who, lang = signed(req, values)
        year = _year_of(program_id)

        code = values.get("code", "")

        def write() -> str:
            value = number(values.get("value", ""), "value_usd")
            assert value is not None
            program.set_target(
                site.db, who, program_id, code=code, value_usd=value,
                parent=values.get("parent") or "TOTAL", label=values.get("label", ""),
                priority=values.get("priority") or None, agency=values.get("agency") or None,
                period=digits(values.get("period", "")) or None,
                version=read_version(values.pop("read", None), code),
            )  # fmt: skip
            return f"/program?year={year}&msg=saved#table-targets"

        def current() -> dict[str, Any]:
            return target_now(program.target_tree(site.db, program_id), code)

        return attempt(
            req, who, lang, "target", values, write, year=year, current=current, blank_keeps=True
        )

    # ---- actions ---------------------------------------------------------------------------

    @r.post("/program/{program_id}/actions")
    async def add_action(
        req: Request, program_id: int = PathParam(..., ge=1, le=MAX_ID)
    ) -> Response:
        values = await form_of(req)
        who, lang = signed(req, values)
        year = _year_of(program_id)

        def write() -> str:
            a = program.add_action(
                site.db, who, program_id, agency=values.get("agency", ""),
                title=values.get("title", ""), start=digits(values.get("start", "")),
                deadline=digits(values.get("deadline", "")),
                priority=values.get("priority") or None,
                description=values.get("description", ""),
            )  # fmt: skip
            return f"/program?year={year}&msg=saved#action-{a['id']}"

        return attempt(req, who, lang, "action", values, write, year=year)

    def action_refusal_page(req: Request, who: Actor, lang: str, action_id: int) -> Any:
        return lambda: action_page(site.db, lang, who, action_id)

    def action_now(action_id: int) -> Callable[[], dict[str, Any]]:
        def now() -> dict[str, Any]:
            a = program.get_action(site.db, action_id)
            return {
                "title": a["title"], "status": a["status"], "progress": a["progress"],
                "deadline": a["deadline_sh"], "evidence": a["evidence"], "version": a["version"],
            }  # fmt: skip

        return now

    def edit_action_values(
        req: Request, action_id: int, values: dict[str, str], *, inline: bool
    ) -> Response:
        who, lang = signed(req, values)

        def write() -> str:
            progress = values.get("progress", "")
            prog = number(digits(progress), "progress", required=False)
            if prog is not None and not prog.is_integer():
                raise RuleError("progress", f"progress is a whole percentage; got {progress}")
            edits: dict[str, Any] = {
                "status": values.get("status") or None,
                "progress": int(prog) if prog is not None else None,
                "note": values.get("note") or None,
            }
            if not inline:
                current = program.get_action(site.db, action_id)
                for k in ("title", "description", "evidence"):
                    if k in values and values[k] != (current.get(k) or ""):
                        edits[k] = values[k]
                for k in ("start", "deadline"):
                    if values.get(k) and digits(values[k]) != current[f"{k}_sh"]:
                        edits[k] = digits(values[k])
                if values.get("agency") and values["agency"] != current["agency"]:
                    edits["agency"] = values["agency"]
            program.update_action(site.db, who, action_id, version=_int(values.get("version")),
                                  **edits)  # fmt: skip
            return (
                f"/program?msg=saved#action-{action_id}"
                if inline
                else f"/program/actions/{action_id}?msg=saved"
            )

        return attempt(
            req, who, lang, "action-edit", values, write,
            page=action_refusal_page(req, who, lang, action_id),
            current=action_now(action_id), key=str(action_id),
            path=f"/program/actions/{action_id}",
        )  # fmt: skip

    @r.post("/program/actions/{action_id}")
    async def edit_action_inline(
        req: Request, action_id: int = PathParam(..., ge=1, le=MAX_ID)
    ) -> Response:
        return edit_action_values(req, action_id, await form_of(req), inline=True)

    @r.post("/program/actions/{action_id}/edit")
    async def edit_action(
        req: Request, action_id: int = PathParam(..., ge=1, le=MAX_ID)
    ) -> Response:
        return edit_action_values(req, action_id, await form_of(req), inline=False)

    def show_action(req: Request, action_id: int = PathParam(..., ge=1, le=MAX_ID)) -> Response:
        who, lang = site.actor_of(req), lang_of(req)
        build = lambda: action_page(site.db, lang, who, action_id)  # noqa: E731
        ctx = site.cached("program_action", (action_id,), lang, who, build)
        return site.render(req, ctx, who, lang)

    def show_action_json(
        req: Request, action_id: int = PathParam(..., ge=1, le=MAX_ID)
    ) -> Response:
        return show_action(req, action_id)

    # the twin first: "/program/actions/5.json" would otherwise be action "5.json"
    r.add_api_route("/program/actions/{action_id}.json", show_action_json, methods=["GET"])
    r.add_api_route("/program/actions/{action_id}", show_action, methods=["GET"])

    # ---- KPIs ------------------------------------------------------------------------------

    @r.post("/program/{program_id}/kpis")
    async def add_kpi(req: Request, program_id: int = PathParam(..., ge=1, le=MAX_ID)) -> Response:
        values = await form_of(req)
        who, lang = signed(req, values)
        year = _year_of(program_id)

        def write() -> str:
            source = values.get("source", "data")
            hs = hs_from_words(site.ws, values.get("hs", ""))
            program.add_kpi(
                site.db, who, program_id, code=values.get("code", ""),
                agency=values.get("agency", ""), name=values.get("name", ""), source=source,
                hs_codes=hs, partners=values.get("partners", ""),
                unit=values.get("unit") or "USD",
                target_value=number(values.get("target_value", ""), "target_value",
                                    required=False),
                priority=values.get("priority") or None,
            )  # fmt: skip
            if source == "data" and who.may("kpi.refresh"):
                program.refresh_kpis(site.ws, site.db, who, program_id)
            return f"/program?year={year}&msg=saved#table-kpis"

        return attempt(req, who, lang, "kpi", values, write, year=year)

    @r.post("/program/{program_id}/kpis/{code}/measure")
    async def measure_kpi(
        req: Request,
        program_id: int = PathParam(..., ge=1, le=MAX_ID),
        code: str = PathParam(..., max_length=40),
    ) -> Response:
        values = await form_of(req)
        who, lang = signed(req, values)
        year = _year_of(program_id)
        period = digits(values.get("period", ""))[:10]

        def write() -> str:
            value = number(values.get("value", "")[:40], "value")
            assert value is not None
            program.measure(
                site.db, who, program_id, code, period=period, value=value,
                version=_int(values.get("version")),
            )  # fmt: skip
            return f"/program?year={year}&msg=saved#kpi-{code}"

        def current() -> dict[str, Any]:
            k = next((k for k in program.kpis(site.db, program_id) if k["code"] == code), None)
            m = next((m for m in (k or {}).get("measurements", []) if m["period"] == period), None)
            return {"period": period, "value": m["value"] if m else None,
                    "version": m["version"] if m else 0}  # fmt: skip

        return attempt(
            req, who, lang, "measure", values, write, year=year, current=current, key=code
        )

    # ---- agencies and their heads ----------------------------------------------------------

    @r.post("/program/agencies")
    async def add_agency(req: Request) -> Response:
        values = await form_of(req)
        who, lang = signed(req, values)

        def write() -> str:
            program.add_agency(
                site.db, who, code=values.get("code", ""), name_en=values.get("name", ""),
                name_fa=values.get("name_fa", ""), kind=values.get("kind", "other"),
            )  # fmt: skip
            return "/program?msg=saved#agencies"

        return attempt(req, who, lang, "agency", values, write)

    @r.post("/program/agencies/head")
    async def change_head(req: Request) -> Response:
        values = await form_of(req)
        who, lang = signed(req, values)

        def write() -> str:
            agency = values.get("agency", "")
            if not values.get("name"):
                raise RuleError("name_en", "the new head needs a name")
            done = program.set_head(
                site.db, who, agency, name_en=values.get("name", ""),
                name_fa=values.get("name_fa", ""), start=digits(values.get("start", "")),
            )  # fmt: skip
            return f"/program?msg=head&agency={agency}&day={done['start']}#head-changed"

        return attempt(req, who, lang, "head", values, write)

    # ---- the forms' type-ahead --------------------------------------------------------------

    @r.get("/program/suggest/{kind}")
    def suggest(req: Request, kind: str = PathParam(..., pattern="^(hs|markets)$")) -> Response:
        """The options of a field's type-ahead list (the <datalist> htmx swaps in as the field
        is typed; without script the field is resolved when the form is sent)."""
        site.actor_of(req)
        lang = lang_of(req)
        text = req.query_params.get(kind, "")[:200]
        options = (
            suggest_hs(site.ws, text, lang) if kind == "hs" else suggest_markets(text, lang)
        )
        html = render_template("_suggest.html", id=f"dl-{kind}", options=options)
        return HTMLResponse(html, headers={"Cache-Control": "private, max-age=300"})

    # ---- the audit log ---------------------------------------------------------------------

    def audit(req: Request) -> Response:
        """The audit log, cached like the navigation's pages until the store changes (every
        write adds an audit row): the same for everyone signed in, by filters and language."""
        who, lang = site.actor_of(req), lang_of(req)
        query = {k: v for k, v in req.query_params.items() if k in AUDIT_FILTERS}
        ctx = site.cache.get(
            ("audit", tuple(sorted(query.items())), lang, ""),
            site.versions(),
            lambda: audit_page(site.db, lang, query),
        )
        return site.render(req, ctx, who, lang)

    r.add_api_route("/program/audit", audit, methods=["GET"])
    r.add_api_route("/program/audit.json", audit, methods=["GET"])

    def _year_of(program_id: int) -> int:
        p = next((x for x in program.programs(site.db) if x["id"] == program_id), None)
        if p is None:
            raise NotFoundError(f"no program {program_id}")
        return int(p["sh_year"])

    return r


def read_version(read: str | None, code: str) -> int | None:
    """The version of target ``code`` as the form read it: its ``read`` field lists each node
    the page showed as ``CODE:VERSION``; a code the page did not show reads as 0 (a node
    someone created since is a conflict); no field at all (a script's post): no check."""
    if read is None:
        return None
    seen = dict(part.rpartition(":")[::2] for part in read.split() if ":" in part)
    return _int(seen.get(code.strip(), "0"))


def target_now(tree: dict[str, Any], code: str) -> dict[str, Any]:
    """A node of the target tree as the target form shows it after a conflict (the form's
    field names; an empty dict when there is no such node any more)."""

    def find(node: dict[str, Any], parent: str) -> dict[str, Any]:
        if node["code"] == code.strip():
            return {
                "parent": parent, "value": f"{node['value_usd']:.0f}", "label": node["label"],
                "priority": node["priority"], "agency": node["agency"],
                "period": node["period"], "version": node["version"],
            }  # fmt: skip
        for c in node["children"]:
            hit = find(c, node["code"])
            if hit:
                return hit
        return {}

    return find(tree, "")


def _int(text: str | None) -> int:
    """A hidden field's whole number (a version); 0 when missing or malformed."""
    t = digits(text or "").strip()
    return int(t) if t.isdigit() and len(t) < 10 else 0
