"""What the program page's forms need to show, for whom: the editors' choices (agencies,
priorities, parents with what each leaves unallocated), a member's own actions and KPIs first,
the target tree's progress (achieved to date, share, needed per month, behind its path), and
one action's page with its evidence and notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from exportplan.auth import Actor
from exportplan.i18n import label as t
from exportplan.reference import countries
from exportplan.reference.program_sheets import agency_kind_text
from exportplan.services import program
from exportplan.services.invest.attribution import tree_investment
from exportplan.services.program.progress import NOT_MEASURED, tree_progress
from exportplan.store.program import ProgramDB
from exportplan.store.program.models import ACTION_STATUSES, AGENCY_KINDS
from exportplan.views.context import PageContext
from exportplan.views.format import fmt

__all__ = ["ActionContext", "action_page", "edit_fields", "path_note", "with_progress"]


def edit_fields(view: dict[str, Any], actor: Actor, lang: str) -> dict[str, Any]:
    """The forms' choices and the signed-in user's own work (``mine``: a member's agency's
    actions and KPIs, shown first)."""
    agencies = view["agencies"]
    own = next((a for a in agencies if a["id"] == actor.agency_id), None)
    mine_code = own["code"] if own is not None and actor.role == "member" else None
    return {
        "can_edit": actor.may("program.edit"),
        "may_add_action": actor.may("program.edit") or mine_code is not None,
        "my_agency": mine_code,
        "mine": {
            "actions": [a for a in view["actions"] if a["agency"] == mine_code],
            "kpis": [k for k in view["kpis"] if k["agency"] == mine_code],
        }
        if mine_code
        else {"actions": [], "kpis": []},
        "agency_options": [
            (
                a["code"],
                f"{a['code']} · {a['name_fa'] or a['name_en'] if lang == 'fa' else a['name_en']}",
            )
            for a in agencies
            if actor.may("program.edit") or a["code"] == mine_code
        ],
        "agency_rows": [
            {
                "code": a["code"],
                "name": (a["name_fa"] or a["name_en"]) if lang == "fa" else a["name_en"],
                "kind": a["kind"],
                "kind_name": agency_kind_text(a["kind"], lang),
                "head": ((a["head"] or {}).get("name_fa") or (a["head"] or {}).get("name_en"))
                if lang == "fa"
                else (a["head"] or {}).get("name_en"),
                "since": (a["head"] or {}).get("since"),
            }
            for a in agencies
        ],
        "kinds": [(k, agency_kind_text(k, lang)) for k in AGENCY_KINDS],
        "priority_options": [
            (p["code"], f"{p['code']} · {p.get('name_shown') or p['name_en']}")
            for p in view["priorities"]
        ],
        "country_options": country_options(lang) if actor.may("priority.edit") else [],
    }


@cache
def country_options(lang: str) -> list[tuple[str, str]]:
    """Every country as the markets field offers it: its code, its name in ``lang``."""
    shown = [
        (c.iso3, (c.name_fa or c.name_en) if lang == "fa" else c.name_en)
        for c in countries.all_countries()
    ]
    return sorted(shown, key=lambda x: x[1])


def with_progress(
    ws: Any, db: ProgramDB, view: dict[str, Any], rows: list[dict[str, Any]], lang: str
) -> list[dict[str, Any]]:
    """The tree's rows with each node's progress (:func:`tree_progress`) and, for the target
    form, what each parent leaves unallocated."""
    progress = tree_progress(ws, db, int(view["program"]["id"]), view=view)
    # the part of each node's achievement from investment projects (a component, not added)
    invest = tree_investment(ws, db, int(view["program"]["id"]), view=view, progress=progress)
    out = []
    for r in rows:
        p = progress.get(r["code"], {})
        inv = invest.get(r["code"], {})
        out.append(
            {
                **r,
                "achieved_usd": p.get("achieved_usd"),
                "from_investment_usd": inv.get("from_investment_usd"),
                "investment_projects": inv.get("projects", []),
                "share_pct": 100 * p["share"] if p.get("share") is not None else None,
                "needed_per_month_usd": p.get("needed_per_month_usd"),
                "due_usd": p.get("due_usd"),
                "behind": p.get("behind", False),
                "measured": p.get("measured", False),
                "why": t(p.get("why", NOT_MEASURED), lang) if not p.get("measured") else "",
                "through": p.get("through"),
                "profile_years": p.get("profile_years", []),
                "free_usd": r["value_usd"] - r["allocated_usd"],
            }
        )
    return out


def progress_rows(ws: Any, db: ProgramDB, view: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The target tree depth first (each row a node with its ``depth`` and the total labelled
    in the page's language), with each node's progress (:func:`with_progress`)."""
    rows: list[dict[str, Any]] = []

    def walk(node: dict[str, Any], depth: int) -> None:
        label = node["label"] if node["code"] != "TOTAL" else t("the program's total", lang)
        rows.append({**node, "depth": depth, "label": label})
        for c in node["children"]:
            walk(c, depth + 1)

    walk(view["targets"], 0)
    return with_progress(ws, db, view, rows, lang)


def path_note(rows: list[dict[str, Any]], year: int, lang: str) -> str:
    """How the page's monthly path is drawn, stated (the years of the seasonal profile)."""
    root = next((r for r in rows if r["code"] == "TOTAL"), None)
    years = root["profile_years"] if root else []
    through = root["through"] if root else 0
    if years:
        text = t(
            "Path: each month's share of the year in {years} (the seasonal profile of earlier "
            "complete years); a node is behind when its exports to date are below its path to "
            "the end of month {month}.",
            lang,
        )
        shown = ("، " if lang == "fa" else ", ").join(fmt(str(y), "digits", lang) for y in years)
    else:
        text = t(
            "Path: an even twelfth a month (no earlier complete year in the data); a node is "
            "behind when its exports to date are below its path to the end of month {month}.",
            lang,
        )
        shown = ""
    if not through:  # nothing to compare yet
        head = text.split("؛" if lang == "fa" else ";")[0]
        text = (
            head + ("؛ " if lang == "fa" else "; ") + t("no month of the year has data yet.", lang)
        )
    return text.format(years=shown, month=fmt(str(through or 0), "digits", lang), year=year)


@dataclass(kw_only=True)
class ActionContext(PageContext):
    """One action as everyone who can read it sees it (its evidence and notes), with its
    forms for whom may edit it."""

    action: dict[str, Any] = field(default_factory=dict)
    program_year: int = 0
    editable: bool = False
    can_edit: bool = False
    statuses: dict[str, str] = field(default_factory=dict)
    agency_options: list[tuple[str, str]] = field(default_factory=list)
    priority_options: list[tuple[str, str]] = field(default_factory=list)


def action_page(db: ProgramDB, lang: str, actor: Actor, action_id: int) -> ActionContext:
    """An action's page: what it is, its status, evidence and notes, and its edit and close
    forms for the user who may edit it."""
    a = program.get_action(db, action_id)
    view = program.show(db, int(a["program_id"]))
    ag = next((x for x in view["agencies"] if x["code"] == a["agency"]), None)
    editable = actor.may("action.edit", agency_id=ag["id"] if ag else None)
    fields = edit_fields(view, actor, lang)
    return ActionContext(
        page="program_action",
        title=f"{t('Action', lang)} {a['code']}",
        lang=lang,
        action=a,
        program_year=int(view["program"]["sh_year"]),
        editable=editable,
        can_edit=fields["can_edit"],
        statuses={s: t(s, lang) for s in ACTION_STATUSES},
        agency_options=fields["agency_options"],
        priority_options=fields["priority_options"],
    )
