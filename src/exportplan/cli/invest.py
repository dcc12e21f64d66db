"""Commands for the investment pipeline: import projects and stage logs, the funnel and the
enquiry service as of a day, the enquiries inbox, dormant projects, stage moves, statuses,
investor merges, the data debt and the monthly pipeline report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from exportplan.cli.common import JsonOpt, WorkspaceOpt, app, out
from exportplan.cli.program import UserOpt, context, table
from exportplan.errors import GateError, InputError, RowsRefusedError

invest_app = typer.Typer(
    no_args_is_help=True,
    help="The investment pipeline: projects, stages, enquiries, events, funnel, report.",
)
app.add_typer(invest_app, name="invest")

LangOpt = Annotated[str, typer.Option("--lang", help="en or fa: the language of messages.")]
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="Solar Hijri day YYYY/MM/DD (default: today).")
]


def _day(text: str | None) -> dt.date:
    from exportplan.ingest.invest import sh_day
    from exportplan.reference.calendar import PeriodError

    if not text:
        return dt.date.today()
    try:
        return sh_day(text)
    except PeriodError as exc:
        raise InputError(str(exc), hint="give a Solar Hijri day such as 1405/09/07") from None


def _json(data: Any) -> None:
    out.print_json(json.dumps(data, ensure_ascii=False, default=str))


def _refused(exc: RowsRefusedError, lang: str) -> None:
    from exportplan.reference.invest_labels import reason_text

    for r in exc.rejects:
        out.print(
            f"  {r['file']} row {r['row']}, {r['column']} = {r['value']!r}: {reason_text(r, lang)}",
            markup=False,
        )


@invest_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="FILE.csv or FILE.xlsx.")],
    allow_waivers: Annotated[
        bool,
        typer.Option(
            "--allow-waivers",
            help="Accept legacy projects without their stage's "
            "gate fields, recording the waived fields as data debt.",
        ),
    ] = False,
    lang: LangOpt = "en",
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Import projects (columns project_id, investor, country, sector, stage, status, capex_usd,
    capex_is_estimate, jobs, enquiry_received, first_response), all or nothing; every refused
    row is listed with its column, value and reason.

    Example: exportplan invest import pipeline.xlsx --allow-waivers
    """
    from exportplan.services.invest.imports import import_projects

    _, db, actor = context(workspace, user)
    try:
        res = import_projects(db, actor, file, allow_waivers=allow_waivers)
    except RowsRefusedError as exc:
        _refused(exc, lang)
        raise
    out.print(
        f"{res['file']}: {res['rows']} rows: {res['created']} created, {res['updated']} "
        f"updated, {res['unchanged']} unchanged; {res['investors_created']} new investors, "
        f"{res['enquiries']} new enquiries; {res['waived']} with waived gate fields (data debt: "
        "exportplan invest debt)"
    )


@invest_app.command("import-stages")
def import_stages(
    file: Annotated[Path, typer.Argument(help="FILE.csv or FILE.xlsx.")],
    lang: LangOpt = "en",
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Import stage-log rows (project_id, stage, entered), all or nothing.

    Example: exportplan invest import-stages stages.csv
    """
    from exportplan.services.invest.imports import import_stages as run

    _, db, actor = context(workspace, user)
    try:
        res = run(db, actor, file)
    except RowsRefusedError as exc:
        _refused(exc, lang)
        raise
    out.print(
        f"{res['file']}: {res['rows']} rows for {res['projects']} projects: {res['written']} "
        f"log rows written, {res['unchanged']} projects unchanged"
    )


@invest_app.command("funnel")
def funnel(
    as_of: AsOfOpt = None,
    target_days: Annotated[
        int | None, typer.Option("--target-days", min=1, help="Working days to answer.")
    ] = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """The funnel and the enquiry service as of a day: projects and capex by stage (with and
    without estimates), conversion, median days to first response, share within target.

    Example: exportplan invest funnel --as-of 1405/09/07 --json
    """
    from exportplan.services.invest.figures import funnel_figures

    _, db, _ = context(workspace, None)
    f = funnel_figures(db, _day(as_of), target_days=target_days)
    if as_json:
        _json(f)
        return
    rows = [
        {
            "stage": s,
            "projects": n,
            "capex_usd": f["capex_by_stage_usd"][s],
            "capex_usd_excluding_estimates": f["capex_by_stage_usd_excluding_estimates"][s],
        }
        for s, n in f["projects_by_stage"].items()
    ]
    table(
        rows,
        ["stage", "projects", "capex_usd", "capex_usd_excluding_estimates"],
        f"funnel as of {f['as_of']}",
        False,
    )
    conv = [{"step": k, **v} for k, v in f["conversion"].items()]
    table(conv, ["step", "reached", "reached_next", "rate"], "conversion", False)
    out.print(
        f"median days to first response: {f['median_days_to_first_response']} "
        f"({f['median_working_days_to_first_response']} working days); answered within "
        f"{f['target_working_days']} working days: {f['answered_within_target']} of "
        f"{f['judged']}; unanswered: {', '.join(f['unanswered']) or 'none'}"
    )
    for y in f["holidays_unknown_years"]:
        out.print(f"warning: holidays unknown for {y}: counted as working days")


@invest_app.command("enquiries")
def enquiries(
    as_of: AsOfOpt = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only those past target.")] = False,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """The enquiries inbox: working days taken, or left to the target (negative: overdue).

    Example: exportplan invest enquiries --overdue
    """
    from exportplan.services.invest.figures import enquiries_inbox

    _, db, _ = context(workspace, None)
    rows = [r for r in enquiries_inbox(db, _day(as_of)) if r["overdue"] or not overdue]
    table(
        rows,
        [
            "ref",
            "investor",
            "agency",
            "channel",
            "received_on",
            "first_response_on",
            "working_days",
            "left",
            "overdue",
        ],
        "enquiries",
        as_json,
    )


@invest_app.command("dormant")
def dormant(
    days: Annotated[int | None, typer.Option("--days", min=1, help="Days without contact.")] = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Open projects with no interaction for N days (default the setting, 90).

    Example: exportplan invest dormant --days 90
    """
    from exportplan.services.invest.figures import dormant_projects

    _, db, _ = context(workspace, None)
    codes = dormant_projects(db, _day(as_of), days=days)
    table([{"project": c} for c in codes], ["project"], "dormant projects", as_json)


@invest_app.command("move")
def move(
    project: Annotated[str, typer.Argument(help="Project id.")],
    stage: Annotated[str, typer.Argument(help="The stage to enter.")],
    on: AsOfOpt = None,
    reason: Annotated[str, typer.Option("--reason", help="Why (needed to move back).")] = "",
    field: Annotated[
        list[str] | None, typer.Option("--field", help="A gate field NAME=VALUE (repeatable).")
    ] = None,
    lang: LangOpt = "en",
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Move a project to a stage through its gate; refused with the missing fields listed.

    Example: exportplan invest move EP-0007 qualified --field project_manager=Rahimi
    """
    from exportplan.reference.invest_labels import gate_text
    from exportplan.services.invest.projects import move_stage

    _, db, actor = context(workspace, user)
    fields = dict(f.split("=", 1) for f in field or [] if "=" in f)
    try:
        res = move_stage(db, actor, project, stage, on=_day(on), reason=reason, fields=fields)
    except GateError as exc:
        out.print(gate_text(exc.project, exc.stage, exc.missing, lang), markup=False)
        raise
    out.print(f"{res['code']}: {res['from']} -> {res['to']}")


@invest_app.command("status")
def status(
    project: Annotated[str, typer.Argument(help="Project id.")],
    value: Annotated[str, typer.Argument(help="ongoing, delayed, dormant, lost, abandoned, won.")],
    reason: Annotated[
        str, typer.Option("--reason", help="Why (needed but for ongoing, won).")
    ] = "",
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Set a project's status (independent of its stage).

    Example: exportplan invest status EP-0007 delayed --reason "permits pending"
    """
    from exportplan.services.invest.projects import set_status

    _, db, actor = context(workspace, user)
    res = set_status(db, actor, project, value, reason=reason)
    out.print(f"{res['code']}: {res['status']}")


@invest_app.command("merge-investors")
def merge_investors(
    keep: Annotated[int, typer.Argument(help="Investor id to keep.")],
    drop: Annotated[int, typer.Argument(help="Investor id merged into it.")],
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Merge a duplicate investor into another: its projects and enquiries move over.

    Example: exportplan invest merge-investors 3 7
    """
    from exportplan.services.invest.projects import merge_investors as run

    _, db, actor = context(workspace, user)
    moved = run(db, actor, keep, drop)
    out.print(
        f"investor {drop} merged into {keep}: "
        + ", ".join(f"{n} {k.removeprefix('invest_')}" for k, n in moved.items())
    )


@invest_app.command("debt")
def debt(as_json: JsonOpt = False, workspace: WorkspaceOpt = None) -> None:
    """The data debt: projects imported with waived gate fields.

    Example: exportplan invest debt --json
    """
    from exportplan.services.invest.figures import data_debt

    _, db, _ = context(workspace, None)
    table(data_debt(db), ["code", "stage", "waived_fields"], "data debt", as_json)


@invest_app.command("report")
def report(
    sh_year: Annotated[int, typer.Option("--sh-year", help="Solar Hijri year, e.g. 1405.")],
    month: Annotated[int, typer.Option("--month", min=1, max=12, help="Solar Hijri month.")],
    pdf: Annotated[Path, typer.Option("--pdf", help="Where to write the PDF.")],
    lang: Annotated[str, typer.Option("--lang", help="fa or en.")] = "fa",
    workspace: WorkspaceOpt = None,
) -> None:
    """The monthly pipeline report as PDF (funnel, enquiry service, top projects, lost
    reasons, data debt) as of the month's last day.

    Example: exportplan invest report --sh-year 1405 --month 8 --pdf pipeline-1405-08.pdf
    """
    from exportplan.reports import invest_report
    from exportplan.services.facts import facts

    ws, db, _ = context(workspace, None)
    invest_report(db, pdf, sh_year=sh_year, month=month, lang=lang, synthetic=facts(ws).synthetic)
    out.print(f"written to {pdf}")


@invest_app.command("digest")
def digest(
    agency: Annotated[
        str | None, typer.Option("--agency", help="An agency's code (default: every agency).")
    ] = None,
    as_of: AsOfOpt = None,
    days: Annotated[int, typer.Option("--days", min=1, help="Days the week looks ahead.")] = 7,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """The weekly digest per agency: overdue enquiries, dormant projects, follow-ups due.

    Example: exportplan invest digest --agency IMT --as-of 1405/09/07
    """
    from exportplan.services.invest.digest import agency_digest, digests

    _, db, _ = context(workspace, None)
    day = _day(as_of)
    got = (
        {agency: agency_digest(db, agency, day, days=days)}
        if agency
        else digests(db, day, days=days)
    )
    if as_json:
        _json(got if not agency else got[agency])
        return
    for code, d in got.items():
        out.print(
            f"{code}: {len(d['overdue_enquiries'])} overdue enquiries, {len(d['dormant'])} "
            f"dormant projects, {len(d['follow_ups_due'])} follow-ups due by {d['week_end']}",
            markup=False,
        )
        for e in d["overdue_enquiries"]:
            out.print(
                f"  enquiry {e['ref']} ({e['investor']}): {-e['left']} working days overdue",
                markup=False,
            )
        for p in d["dormant"]:
            out.print(
                f"  dormant {p['code']} ({p['investor']}): {p['days_without_contact']} days without contact",
                markup=False,
            )
        for f in d["follow_ups_due"]:
            late = " (overdue)" if f["overdue"] else ""
            out.print(
                f"  follow up {f['investor']} after {f['event']} by {f['due']}{late}", markup=False
            )
