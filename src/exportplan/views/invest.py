"""The investment pipeline's pages: the board by stage (each card's move opens the gate form
with the missing fields), a project (timeline, stage log, plot or concession, exports once
operating), the enquiries inbox with working-day countdowns, an event with its follow-up
checklist, and the gate form; every table downloadable, every word in both languages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from exportplan import settings
from exportplan.domain import INVEST_STAGES, INVEST_STATUSES
from exportplan.errors import NotFoundError
from exportplan.i18n import label as t
from exportplan.reference.invest_labels import field_label
from exportplan.services.invest import figures
from exportplan.services.invest.projects import FORM_FIELDS, RELATED_INPUTS, gate_check
from exportplan.store.invest.queries import event_rows, project_detail
from exportplan.store.program import ProgramDB
from exportplan.views.context import PageContext
from exportplan.views.tables import table

__all__ = [
    "BoardContext",
    "EnquiriesContext",
    "EventContext",
    "ProjectContext",
    "board_page",
    "enquiries_page",
    "event_page",
    "gate_form",
    "project_page",
]

#: the form input each gate field is filled by (a related row's from its date)
INPUT_OF = (
    {f: f for f in FORM_FIELDS}
    | dict(RELATED_INPUTS)
    | {
        "capex_figure": "capex_usd",
        "site": "concession_ref",
        "candidate_site": "concession_ref",
    }
)
DATE_INPUTS = set(RELATED_INPUTS.values())
CHOICES = {
    "project_type": ("greenfield", "expansion", "jv", "brownfield_acquisition"),
    "likelihood": ("low", "medium", "high"),
}


@dataclass(kw_only=True)
class BoardContext(PageContext):
    """The board's columns: each stage with its label and the cards of its projects."""

    columns: list[dict[str, Any]] = field(default_factory=list)
    stages: dict[str, str] = field(default_factory=dict)
    funnel: dict[str, Any] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)


def _project_rows(db: ProgramDB, lang: str) -> list[dict[str, Any]]:
    rows = figures.project_rows(db)
    for r in rows:
        r["stage_label"] = t(r["stage"], lang)
        r["status_label"] = t(r["status"], lang)
        r["not_trackable"] = figures.not_trackable(r)
    return rows


def board_page(db: ProgramDB, lang: str, *, today: dt.date | None = None) -> BoardContext:
    """The pipeline board: projects by stage, with the funnel figures as of ``today``."""
    today = today or dt.date.today()
    rows = _project_rows(db, lang)
    f = figures.funnel_figures(db, today)
    funnel_rows = [
        {
            "stage": t(s, lang),
            "projects": n,
            "capex_usd": f["capex_by_stage_usd"][s],
            "capex_usd_excluding_estimates": f["capex_by_stage_usd_excluding_estimates"][s],
        }
        for s, n in f["projects_by_stage"].items()
    ]
    return BoardContext(
        page="investment",
        title=t("Pipeline", lang),
        lang=lang,
        stages={s: t(s, lang) for s in INVEST_STAGES},
        columns=[
            {"stage": s, "label": t(s, lang), "cards": [r for r in rows if r["stage"] == s]}
            for s in INVEST_STAGES
        ],
        funnel=f,
        events=[
            {"code": e["code"], "title": e["title"], "title_fa": e["title_fa"]}
            for e in event_rows(db)
        ],
        tables={
            "projects": table(
                t("projects", lang),
                rows,
                [
                    ("code", "project", "text"),
                    ("investor", "investor", "data"),
                    ("agency", "agency", "text"),
                    ("stage", "stage", "status"),
                    ("status", "status", "status"),
                    ("capex_usd", "capex (USD)", "usd"),
                    ("capex_is_estimate", "estimate", "bool"),
                    ("jobs_new", "jobs", "num"),
                    ("waived_fields", "waived fields", "text"),
                    ("not_trackable", "exports not trackable", "bool"),
                ],
                lang,
            ),
            "funnel": table(
                t("Funnel", lang),
                funnel_rows,
                [
                    ("stage", "stage", "text"),
                    ("projects", "projects", "num"),
                    ("capex_usd", "capex (USD)", "usd"),
                    ("capex_usd_excluding_estimates", "capex excluding estimates (USD)", "usd"),
                ],
                lang,
            ),
        },
        notes=[
            t("holidays unknown for {years}: counted as working days", lang).format(years=y)
            for y in f["holidays_unknown_years"]
        ],
    )


@dataclass(kw_only=True)
class ProjectContext(PageContext):
    project: dict[str, Any] = field(default_factory=dict)
    investor: str | None = None
    outcome: dict[str, Any] | None = None
    moves: dict[str, str] = field(default_factory=dict)


def project_page(
    db: ProgramDB, lang: str, code: str, outcome: dict[str, Any] | None = None
) -> ProjectContext:
    """One project: its fields, stage log, timeline (interactions and milestones); without a
    code the first project's (a page with nothing to show when there is none)."""
    code = code or next((p["code"] for p in figures.project_rows(db)), "")
    if not code:
        return ProjectContext(
            page="investment_project",
            title=t("Project", lang),
            lang=lang,
            notes=[t("Nothing to show.", lang)],
        )
    d = project_detail(db, code)
    if d is None:
        raise NotFoundError(f"no investment project {code!r}")
    p = d["project"]
    timeline = [
        {"day": i["at"], "what": t(i["kind"], lang), "notes": i["notes"]} for i in d["interactions"]
    ] + [
        {"day": m["actual_on"] or m["planned_on"], "what": m["kind"], "notes": ""}
        for m in d["milestones"]
    ]
    timeline.sort(key=lambda r: str(r["day"]))
    log = [
        {
            **x,
            "from": t(x["from_stage"] or "-", lang),
            "to": t(x["to_stage"], lang),
            "waived": ", ".join(field_label(f, lang) for f in x["waived_fields"]),
        }
        for x in d["log"]
    ]
    return ProjectContext(
        page="investment_project",
        title=f"{t('Project', lang)} {code}",
        lang=lang,
        project={
            **p,
            "stage_label": t(p["stage"], lang),
            "status_label": t(p["status"], lang),
            "not_trackable": figures.not_trackable(p),
        },
        investor=d["investor"],
        outcome=outcome,
        moves={s: t(s, lang) for s in INVEST_STAGES if s != p["stage"]},
        tables={
            "log": table(
                t("Stage log", lang),
                log,
                [
                    ("at", "day", "date"),
                    ("from", "from", "text"),
                    ("to", "to", "text"),
                    ("by", "by", "data"),
                    ("reason", "reason", "text"),
                    ("waived", "waived", "text"),
                ],
                lang,
            ),
            "timeline": table(
                t("Timeline", lang),
                timeline,
                [
                    ("day", "day", "date"),
                    ("what", "what", "text"),
                    ("notes", "notes", "text"),
                ],
                lang,
            ),
        },
    )


@dataclass(kw_only=True)
class EnquiriesContext(PageContext):
    rows: list[dict[str, Any]] = field(default_factory=list)
    target: int = 5


def enquiries_page(db: ProgramDB, lang: str, *, today: dt.date | None = None) -> EnquiriesContext:
    """The inbox: open enquiries first with their working days left (overdue in red)."""
    today = today or dt.date.today()
    rows = figures.enquiries_inbox(db, today)
    return EnquiriesContext(
        page="investment_enquiries",
        title=t("Enquiries", lang),
        lang=lang,
        rows=rows,
        target=int(settings.value("invest_response_days")),
        tables={
            "enquiries": table(
                t("Enquiries", lang),
                rows,
                [
                    ("ref", "project", "text"),
                    ("investor", "investor", "data"),
                    ("agency", "agency", "text"),
                    ("channel", "channel", "text"),
                    ("received_on", "received", "date"),
                    ("first_response_on", "first response", "date"),
                    ("working_days", "working days", "num"),
                    ("left", "working days left", "num"),
                    ("overdue", "overdue", "bool"),
                ],
                lang,
            )
        },
        notes=[
            t("holidays unknown for {years}: counted as working days", lang).format(years=y)
            for y in figures.service_days().missing_years(today, today)
        ],
    )


@dataclass(kw_only=True)
class EventContext(PageContext):
    event: dict[str, Any] = field(default_factory=dict)


def event_page(db: ProgramDB, lang: str, code: str) -> EventContext:
    """An event: its attendees' follow-up checklist and the projects created from it (without
    a code the first event's; a page with nothing to show when there is none)."""
    events = figures.events_follow_up(db)
    if not code and not events:
        return EventContext(
            page="investment_event",
            title=t("Events", lang),
            lang=lang,
            notes=[t("Nothing to show.", lang)],
        )
    ev = next((e for e in events if e["code"] == (code or events[0]["code"])), None)
    if ev is None:
        raise NotFoundError(f"no investment event {code!r}")
    checklist = [
        {**c, "state": t("followed up", lang) if c["done"] else t("not yet", lang)}
        for c in ev["checklist"]
    ]
    return EventContext(
        page="investment_event",
        title=ev["title_fa"] if lang == "fa" and ev["title_fa"] else ev["title"],
        lang=lang,
        event=ev,
        tables={
            "checklist": table(
                t("Follow-up checklist", lang),
                checklist,
                [
                    ("investor", "investor", "data"),
                    ("followed_up_on", "followed up", "date"),
                    ("state", "status", "text"),
                ],
                lang,
            ),
            "projects": table(
                t("Projects created", lang),
                [{"code": c} for c in ev["projects"]],
                [("code", "project", "text")],
                lang,
            ),
        },
    )


def gate_form(
    db: ProgramDB, lang: str, code: str, stage: str, missing: list[str] | None = None
) -> dict[str, Any]:
    """What the gate form shows: each missing field with its label and input."""
    g = gate_check(db, code, stage)
    lacking = g["missing"] if missing is None else missing
    inputs: list[dict[str, Any]] = []
    for f in lacking:
        name = INPUT_OF.get(f, f)
        if name in (i["name"] for i in inputs):
            continue
        inputs.append(
            {
                "field": f,
                "name": name,
                "label": field_label(f, lang),
                "kind": "date" if name in DATE_INPUTS else "text",
                "choices": CHOICES.get(name, ()),
            }
        )
    return {
        **g,
        "stage_label": t(stage, lang),
        "inputs": inputs,
        "missing_labels": [field_label(f, lang) for f in lacking],
        "statuses": {s: t(s, lang) for s in INVEST_STATUSES},
    }
