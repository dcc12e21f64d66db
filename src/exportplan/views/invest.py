"""The investment pipeline's pages: the board by stage (each card's move opens the gate form
with the missing fields), a project (timeline, stage log, plot or concession, exports once
operating), the enquiries inbox with working-day countdowns, an event with its follow-up
checklist, and the gate form; every table downloadable, every word in both languages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from exportplan import settings
from exportplan.auth import Actor
from exportplan.domain import INVEST_STAGES, INVEST_STATUSES
from exportplan.errors import NotFoundError
from exportplan.i18n import label as t
from exportplan.reference.invest_labels import field_label, follow_up_text
from exportplan.services.invest import figures
from exportplan.services.invest.digest import UNASSIGNED, digests
from exportplan.services.invest.follow_up import KINDS, FollowUpError
from exportplan.services.invest.projects import FORM_FIELDS, RELATED_INPUTS, gate_check
from exportplan.store.invest.queries import event_rows, project_detail
from exportplan.store.program import ProgramDB
from exportplan.views.context import PageContext
from exportplan.views.program_forms import FormState
from exportplan.views.tables import table

__all__ = [
    "BOARD_FILTERS",
    "BoardContext",
    "DigestContext",
    "EnquiriesContext",
    "EventContext",
    "ProjectContext",
    "board_page",
    "digest_page",
    "enquiries_page",
    "event_page",
    "follow_up_refusal",
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
    #: the board's filters: each with its label, choices (value, label) and the value chosen
    filters: list[dict[str, Any]] = field(default_factory=list)
    shown: int = 0
    total: int = 0


#: the board's filters, query parameters of its URL (a project field each)
BOARD_FILTERS = ("sector", "priority", "agency", "country", "status", "likelihood")


def _filters(rows: list[dict[str, Any]], chosen: dict[str, str], lang: str) -> list[dict[str, Any]]:
    out = []
    for key in BOARD_FILTERS:
        values = sorted({str(r[key]) for r in rows if r.get(key)})
        if key == "status":
            values = [s for s in INVEST_STATUSES if s in values]
        if key == "likelihood":
            values = [x for x in CHOICES["likelihood"] if x in values]
        labelled = key in ("status", "likelihood")
        out.append(
            {
                "name": key,
                "label": t(key, lang),
                "choices": [(v, t(v, lang) if labelled else v) for v in values],
                "value": chosen.get(key, ""),
            }
        )
    return out


def _time_rows(f: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Time in stage overall, by sector and by priority, one row per group and stage."""
    groups = [(t("all projects", lang), "", f["time_in_stage"])]
    groups += [(t("sector", lang), g, v) for g, v in f["time_in_stage_by_sector"].items()]
    groups += [(t("priority", lang), g, v) for g, v in f["time_in_stage_by_priority"].items()]
    return [
        {
            "by": by,
            "group": t(g, lang) if g == "none" else g,
            "stage": t(s, lang),
            **x,
        }
        for by, g, stages in groups
        for s, x in stages.items()
        if x["completed"] or x["current"]
    ]


def _project_rows(db: ProgramDB, lang: str) -> list[dict[str, Any]]:
    rows = figures.project_rows(db)
    for r in rows:
        r["stage_label"] = t(r["stage"], lang)
        r["status_label"] = t(r["status"], lang)
        r["not_trackable"] = figures.not_trackable(r)
    return rows


def board_page(
    db: ProgramDB,
    lang: str,
    *,
    today: dt.date | None = None,
    query: dict[str, str] | None = None,
) -> BoardContext:
    """The pipeline board: projects by stage, with the funnel figures as of ``today``; the
    query's filters (:data:`BOARD_FILTERS`, each a value of the project's field) narrow the
    cards, the tables and the figures alike."""
    today = today or dt.date.today()
    every = _project_rows(db, lang)
    chosen = {k: str(v).strip() for k, v in (query or {}).items() if k in BOARD_FILTERS and v}
    rows = [r for r in every if all(str(r.get(k) or "") == v for k, v in chosen.items())]
    f = figures.funnel_figures(db, today, only={r["code"] for r in rows} if chosen else None)
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
        filters=_filters(every, chosen, lang),
        shown=len(rows),
        total=len(every),
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
                    ("country", "country", "text"),
                    ("agency", "agency", "text"),
                    ("sector", "sector", "text"),
                    ("priority", "priority", "text"),
                    ("likelihood", "likelihood", "status"),
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
            "time_in_stage": table(
                t("Time in stage", lang),
                _time_rows(f, lang),
                [
                    ("by", "by", "text"),
                    ("group", "group", "text"),
                    ("stage", "stage", "text"),
                    ("completed", "completed stays", "num"),
                    ("median_days", "median days (completed)", "num"),
                    ("current", "current stays", "num"),
                    ("median_days_current", "median days so far (current)", "num"),
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
    opportunity: dict[str, Any] | None = None
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
    timeline = (
        [
            {"day": i["at"], "what": t(i["kind"], lang), "notes": i["notes"]}
            for i in d["interactions"]
        ]
        + [
            {
                "day": m["actual_on"] or m["planned_on"],
                "what": t(m["kind"], lang),
                "notes": t("done", lang) if m["actual_on"] else t("planned", lang),
            }
            for m in d["milestones"]
        ]
        + [
            {"day": x["deadline"], "what": t("proposition", lang), "notes": x["what"]}
            for x in d["propositions"]
        ]
        + [
            {
                "day": x["signed_on"],
                "what": t("agreement_signed", lang),
                "notes": t(x["kind"], lang),
            }
            for x in d["agreements"]
        ]
    )
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
        opportunity=d["opportunity"],
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
                    ("channel", "channel", "status"),
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
    """An event with its checklist, and the follow-up form (``form``: after a refusal, the
    values typed and each error beside its field)."""

    event: dict[str, Any] = field(default_factory=dict)
    attendee_options: list[tuple[str, str]] = field(default_factory=list)
    kinds: list[tuple[str, str]] = field(default_factory=list)
    form: FormState | None = None
    can_edit: bool = False
    saved: bool = False


def follow_up_refusal(exc: FollowUpError, values: dict[str, str], lang: str) -> FormState:
    """The follow-up form after a refusal: each field's reason in ``lang`` beside it."""
    return FormState(
        name="follow-up",
        values=values,
        errors={f: follow_up_text(tpl, v, lang) for f, (tpl, v) in exc.errors.items()},
    )


def event_page(
    db: ProgramDB,
    lang: str,
    code: str,
    *,
    actor: Actor | None = None,
    form: FormState | None = None,
    saved: bool = False,
) -> EventContext:
    """An event: its attendees' follow-up checklist and the projects created from it (without
    a code the first event's; a page with nothing to show when there is none), and the form
    entering a follow-up for whom may edit projects."""
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
        attendee_options=sorted(
            (str(c["investor_id"]), str(c["investor"])) for c in ev["checklist"]
        ),
        kinds=[(k, t(k, lang)) for k in KINDS],
        form=form,
        can_edit=actor is not None and (actor.may("invest.edit") or actor.role == "member"),
        saved=saved,
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


@dataclass(kw_only=True)
class DigestContext(PageContext):
    """The weekly digest: each agency's counts, and the three lists (every agency's, or the
    chosen one's) with the agency of each row."""

    agency: str = ""
    agencies: list[dict[str, Any]] = field(default_factory=list)
    week_end: str = ""


def digest_page(
    db: ProgramDB, lang: str, agency: str = "", *, today: dt.date | None = None
) -> DigestContext:
    """The weekly digest per agency as of ``today``: overdue enquiries, dormant projects and
    the follow-ups due (services/invest/digest.py); ``agency`` narrows it to one agency."""
    today = today or dt.date.today()
    every = digests(db, today)
    if agency and agency not in every:
        raise NotFoundError(f"no agency {agency!r}", hint=f"one of {', '.join(every)}")
    chosen = {agency: every[agency]} if agency else every

    def rows(key: str) -> list[dict[str, Any]]:
        return [
            {**r, "agency": a, **({"stage": t(r["stage"], lang)} if "stage" in r else {})}
            for a, d in chosen.items()
            for r in d[key]
        ]

    return DigestContext(
        page="investment_digest",
        title=t("Weekly digest", lang),
        lang=lang,
        agency=agency,
        week_end=(today + dt.timedelta(days=7)).isoformat(),
        agencies=[
            {
                "agency": a,
                "label": t(a, lang) if a == UNASSIGNED else a,
                "overdue_enquiries": len(d["overdue_enquiries"]),
                "dormant": len(d["dormant"]),
                "follow_ups_due": len(d["follow_ups_due"]),
            }
            for a, d in every.items()
        ],
        tables={
            "overdue_enquiries": table(
                t("overdue enquiries", lang),
                rows("overdue_enquiries"),
                [
                    ("agency", "agency", "text"),
                    ("ref", "project", "text"),
                    ("investor", "investor", "data"),
                    ("received_on", "received", "date"),
                    ("working_days", "working days", "num"),
                    ("left", "working days left", "num"),
                ],
                lang,
            ),
            "dormant": table(
                t("dormant projects", lang),
                rows("dormant"),
                [
                    ("agency", "agency", "text"),
                    ("code", "project", "text"),
                    ("investor", "investor", "data"),
                    ("stage", "stage", "text"),
                    ("last_contact", "last contact", "date"),
                    ("days_without_contact", "days without contact", "num"),
                ],
                lang,
            ),
            "follow_ups_due": table(
                t("follow-ups due", lang),
                rows("follow_ups_due"),
                [
                    ("agency", "agency", "text"),
                    ("event", "event", "data"),
                    ("investor", "investor", "data"),
                    ("project", "project", "text"),
                    ("due", "due", "date"),
                    ("overdue", "overdue", "bool"),
                ],
                lang,
            ),
        },
    )
