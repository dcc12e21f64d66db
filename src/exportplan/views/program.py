"""The program page: the program of record's priorities, target tree, actions (editable by
whom the roles allow) and KPIs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from exportplan.auth import Actor
from exportplan.i18n import label as t
from exportplan.reference.countries import country_name
from exportplan.services import products, program
from exportplan.services.plan_of_record import choose_program
from exportplan.store.program import ProgramDB
from exportplan.views import charts
from exportplan.views.common import synthetic
from exportplan.views.context import PageContext
from exportplan.views.format import digits, product_label
from exportplan.views.program_edit import edit_fields, path_note, progress_rows
from exportplan.views.tables import table
from exportplan.workspace import Workspace

__all__ = ["STATUSES", "ProgramContext", "program_page"]

STATUSES = ("planned", "in-progress", "blocked", "done", "cancelled")


@dataclass(kw_only=True)
class ProgramContext(PageContext):
    """The program of record of a year (``program`` is None when there is none); ``actions``
    carry ``editable`` for the signed-in user."""

    program: dict[str, Any] | None = None
    statuses: dict[str, str] = field(default_factory=dict)
    actions: list[dict[str, Any]] = field(default_factory=list)
    tree: list[dict[str, Any]] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    #: the KPIs entered by hand that the signed-in user may measure, with each month's value
    #: and version (the page's forms send the version back)
    measurable: list[dict[str, Any]] = field(default_factory=list)
    #: the forms' choices and whose work comes first (views/program_edit.edit_fields)
    can_edit: bool = False
    may_add_action: bool = False
    my_agency: str | None = None
    mine: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    agency_options: list[tuple[str, str]] = field(default_factory=list)
    agency_rows: list[dict[str, Any]] = field(default_factory=list)
    kinds: list[tuple[str, str]] = field(default_factory=list)
    priority_options: list[tuple[str, str]] = field(default_factory=list)
    #: the markets field's list without script: every country (code, name in the language)
    country_options: list[tuple[str, str]] = field(default_factory=list)
    year: int | None = None
    path_note: str = ""


def countries_text(isos: list[str], lang: str) -> str:
    """Markets by their names in the page's language."""
    return ("، " if lang == "fa" else ", ").join(country_name(str(c), lang) for c in isos)


def priority_name(p: dict[str, Any], lang: str) -> str:
    """A priority's name in the page's language: its Persian name, or in Persian one written
    from its products and markets when none was given (the English name is the engine's
    ``HS 7308 to KWT``)."""
    if lang != "fa":
        return str(p.get("name_en") or "")
    if p.get("name_fa"):
        return str(p["name_fa"])
    goods = "، ".join(product_label(c, "fa") for c in p.get("hs_codes") or [])
    return f"{goods} به {countries_text(list(p.get('markets') or []), 'fa')}"


def program_page(
    ws: Workspace, db: ProgramDB, lang: str, actor: Actor, year: int | None = None
) -> ProgramContext:
    """The program of record of ``year`` (default: the latest) as ``actor`` sees it."""
    choice = choose_program(db, region=ws.home_region, year=year)
    if choice.program is None:
        return ProgramContext(
            page="program",
            title=t("Program", lang),
            lang=lang,
            program=None,
            tables={},
            charts={},
            notes=[t("Nothing to show.", lang)],
            synthetic=synthetic(ws),
            can_edit=actor.may("program.edit"),
            year=year,
        )
    v = program.show(db, choice.program.id)
    for p in v["priorities"]:  # the reason in the page's language, when it was kept in both
        opp = p.get("opportunity") or {}
        if lang == "fa" and opp.get("reason_fa"):
            p["reason"] = opp["reason_fa"]
        p["name_shown"] = priority_name(p, lang)
    by_code = {p["code"]: p["name_shown"] for p in v["priorities"]}
    tree_rows = progress_rows(ws, db, v, lang)
    for row in tree_rows:
        # a priority's node by the priority's name; the others' labels in the page's language
        # where the dictionary has them ("all other exports")
        if row["code"] == "TOTAL":
            continue
        if lang == "fa" and row.get("priority") in by_code:
            row["label"] = by_code[row["priority"]]
        else:
            row["label"] = t(str(row["label"] or ""), lang)
    names = products.extra(ws)
    sep = "؛ " if lang == "fa" else "; "  # between a priority's products
    actions = v["actions"]
    for a in actions:
        a["editable"] = actor.role in ("admin", "secretary") or (
            actor.role == "member"
            and actor.agency_id is not None
            and _agency_id(v, a["agency"]) == actor.agency_id
        )
    measurable = [
        {"code": k["code"], "name": k["name"], "unit": k["unit"], "measurements": k["measurements"]}
        for k in v["kpis"]
        if k["source"] == "manual"
        and actor.may("kpi.measure", agency_id=_agency_id(v, str(k["agency"])))
    ]
    kpi_rows = [
        {"kpi": k["code"], "period": digits(m["period"], lang), "value": m["value"]}
        for k in v["kpis"]
        if k["unit"] == "USD"
        for m in k["measurements"]
    ]
    return ProgramContext(
        page="program",
        title=t("Program", lang),
        lang=lang,
        program=v["program"],
        synthetic=synthetic(ws),
        statuses={s: t(s, lang) for s in STATUSES},
        actions=actions,
        charts={"kpis": charts.kpi_lines(kpi_rows, lang)} if kpi_rows else {},
        tables={
            "priorities": table(
                t("Priorities", lang),
                [
                    {
                        **p,
                        "products": sep.join(product_label(c, lang, names) for c in p["hs_codes"]),
                        "markets": countries_text(p["markets"], lang),
                    }
                    for p in v["priorities"]
                ],
                [
                    ("code", "code", "text"),
                    ("products", "products", "text"),
                    ("markets", "markets", "text"),
                    ("name_shown", "name", "text"),
                    ("reason", "reason", "text"),
                ],
                lang,
            ),
            "targets": table(
                t("Targets", lang),
                tree_rows,
                [
                    ("code", "code", "text"),
                    ("label", "label", "text"),
                    ("priority", "priority", "text"),
                    ("agency", "agency", "text"),
                    ("period", "period", "text"),
                    ("value_usd", "Target", "usd"),
                    ("achieved_usd", "achieved to date", "usd"),
                    ("from_investment_usd", "of which from investment projects", "usd"),
                    ("share_pct", "share of target reached", "share"),
                    ("needed_per_month_usd", "needed per remaining month", "usd"),
                    ("behind", "behind its path", "bool"),
                    ("unallocated_usd", "unallocated", "usd"),
                ],
                lang,
            ),
            "actions": table(
                t("Actions", lang),
                actions,
                [
                    ("code", "code", "text"),
                    ("agency", "agency", "text"),
                    ("priority", "priority", "text"),
                    ("title", "title", "data"),
                    ("start", "start", "date"),
                    ("deadline", "deadline", "date"),
                    ("status", "Status", "status"),
                    ("progress", "Progress", "num"),
                    ("overdue", "overdue", "bool"),
                ],
                lang,
            ),
            "kpis": table(
                t("KPIs", lang),
                [{**k, "unit": t(str(k["unit"]), lang)} for k in v["kpis"]],
                [
                    ("code", "code", "text"),
                    ("agency", "agency", "text"),
                    ("name", "name", "data"),
                    ("unit", "unit", "text"),
                    ("latest", "latest", "num"),
                    ("year_to_date", "year to date", "usd"),
                    ("target_value", "Target", "num"),
                ],
                lang,
            ),
            # the KPI chart's figures (its text alternative)
            "kpi_series": table(
                t("KPI values by month", lang),
                kpi_rows,
                [("kpi", "KPI", "text"), ("period", "period", "text"), ("value", "value", "num")],
                lang,
            ),
        },
        tree=tree_rows,
        agencies=[a["code"] for a in v["agencies"]],
        measurable=measurable,
        notes=[],
        year=int(v["program"]["sh_year"]),
        path_note=path_note(tree_rows, int(v["program"]["sh_year"]), lang),
        **edit_fields(v, actor, lang),
    )


def _agency_id(view: dict[str, Any], code: str) -> int | None:
    for a in view["agencies"]:
        if a["code"] == code:
            return int(a["id"])
    return None
