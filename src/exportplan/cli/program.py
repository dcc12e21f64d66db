"""Commands for the program: priorities, targets, agencies, actions, KPIs, audit, workbook.

The command line is the administrator's door: it acts as ``cli:<login>`` with the
administrator role (whoever can open the workspace's files can change them anyway), or, with
``--user NAME``, as that user with that user's role, so the audit log names them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer

from exportplan.cli.common import JsonOpt, WorkspaceOpt, app, emit, out, workspace_of

program_app = typer.Typer(
    no_args_is_help=True,
    help="The export program: priorities, targets, agencies, actions, KPIs, audit, workbook.",
)
app.add_typer(program_app, name="program")

ProgramOpt = Annotated[
    int | None, typer.Option("--program", help="Program id (default: the one for --year).")
]
YearOpt = Annotated[
    int | None, typer.Option("--year", help="Solar Hijri year of the program (e.g. 1405).")
]
UserOpt = Annotated[
    str | None,
    typer.Option("--user", help="Act as this user, with their role (default: the local admin)."),
]


def context(workspace: Path | None, user: str | None) -> tuple[Any, Any, Any]:
    """The workspace, its program store and who acts (``--user``, else the local admin)."""
    from exportplan.services import users

    ws = workspace_of(workspace)
    db = ws.program()
    actor = users.actor_for_user(db, user) if user else users.local_actor()
    return ws, db, actor


def _pid(ws: Any, db: Any, program: int | None, year: int | None) -> int:
    from exportplan.services.plan_of_record import program_id_for

    if program is not None:
        return program
    return program_id_for(db, region=None, year=year)


def _json(data: Any) -> None:
    out.print_json(json.dumps(data, ensure_ascii=False, default=str))


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return " ".join(str(x) for x in v)
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}"
    return str(v)


def table(rows: list[dict[str, Any]], cols: list[str], title: str, as_json: bool) -> None:
    """Rows as a table for people, or as JSON."""
    if as_json:
        _json(rows)
        return
    df = pl.DataFrame(
        [{c: _cell(r.get(c)) for c in cols} for r in rows],
        schema=dict.fromkeys(cols, pl.String),
    )
    emit(df, as_json=False, as_csv=False, title=title)


@program_app.command("create")
def create(
    year: Annotated[int, typer.Option("--year", help="Solar Hijri year, e.g. 1405.")],
    target: Annotated[float, typer.Option("--target", help="The year's target in USD.")],
    definition: Annotated[
        str, typer.Option(help="customs (leaving through the region) or origin (made in it).")
    ] = "customs",
    region: Annotated[str | None, typer.Option(help="Default: the home region.")] = None,
    name: Annotated[str, typer.Option(help="A title for the program.")] = "",
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Create the program of a year with its total target (the root of the target tree).

    Example: exportplan program create --year 1405 --target 3e9
    """
    from exportplan.services import program as svc

    ws, db, actor = context(workspace, user)
    p = svc.create_program(
        db,
        actor,
        region=region or ws.home_region,
        country=ws.home_country,
        sh_year=year,
        target_usd=target,
        definition=definition,
        name=name,
    )
    out.print(f"program {p['id']}: {p['name']} — USD {p['target_usd']:,.0f} ({definition})")


@program_app.command("list")
def list_programs(as_json: JsonOpt = False, workspace: WorkspaceOpt = None) -> None:
    """The programs in the workspace.

    Example: exportplan program list
    """
    from exportplan.services import program as svc

    _, db, _ = context(workspace, None)
    table(
        svc.programs(db),
        ["id", "region", "sh_year", "definition", "target_usd", "name", "version"],
        "Programs",
        as_json,
    )


@program_app.command("show")
def show(
    program: ProgramOpt = None,
    year: YearOpt = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """The program: target tree, priorities, actions (overdue flagged) and KPIs.

    Example: exportplan program show --year 1405
    """
    from exportplan.services import program as svc

    ws, db, _ = context(workspace, None)
    v = svc.show(db, _pid(ws, db, program, year))
    if as_json:
        _json(v)
        return
    p = v["program"]
    out.print(
        f"[bold]{p['name']}[/] (program {p['id']}): {p['region']}, Solar Hijri {p['sh_year']}, "
        f"{p['definition']} definition, target USD {p['target_usd']:,.0f}"
    )
    _print_tree(v["targets"])
    table(
        v["priorities"], ["code", "hs_codes", "markets", "name_en", "reason"], "Priorities", False
    )
    table(
        v["actions"],
        [
            "code",
            "agency",
            "priority",
            "title",
            "start_sh",
            "deadline_sh",
            "status",
            "progress",
            "overdue",
        ],
        "Actions",
        False,
    )
    table(
        v["kpis"],
        ["code", "agency", "name", "unit", "source", "latest", "year_to_date", "target_value"],
        "KPIs",
        False,
    )
    if v["overdue"]:
        out.print(f"[bold red]{len(v['overdue'])} overdue action(s)[/]")


def _print_tree(node: dict[str, Any], depth: int = 0) -> None:
    extra = " ".join(f"{k}={node[k]}" for k in ("priority", "agency", "period") if node.get(k))
    un = (
        f"  (unallocated USD {node['unallocated_usd']:,.0f})"
        if node["unallocated_usd"] is not None
        else ""
    )
    out.print(
        f"{'  ' * depth}{node['code']}: USD {node['value_usd']:,.0f} {extra}{un}", markup=False
    )
    for c in node["children"]:
        _print_tree(c, depth + 1)


@program_app.command("update")
def update(
    program: ProgramOpt = None,
    year: YearOpt = None,
    target: Annotated[float | None, typer.Option("--target", help="New total in USD.")] = None,
    name: Annotated[str | None, typer.Option(help="New title.")] = None,
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Change the program's total target or title.

    Example: exportplan program update --year 1405 --target 3.2e9
    """
    from exportplan.services import program as svc

    ws, db, actor = context(workspace, user)
    pid = _pid(ws, db, program, year)
    cur = next(p for p in svc.programs(db) if p["id"] == pid)
    p = svc.update_program(db, actor, pid, version=cur["version"], target_usd=target, name=name)
    out.print(f"program {pid}: USD {p['target_usd']:,.0f}, {p['name']}")


@program_app.command("add-agency")
def add_agency(
    code: Annotated[str, typer.Option(help="Short code, e.g. IMT.")],
    name: Annotated[str, typer.Option(help="English name.")],
    name_fa: Annotated[str, typer.Option(help="Persian name.")] = "",
    kind: Annotated[
        str,
        typer.Option(
            help="governorate, industry-mine-trade, customs, free-zone, chamber-of-commerce, "
            "industrial-parks, agriculture, trade-promotion or other."
        ),
    ] = "other",
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Add an agency that can own targets, actions and KPIs.

    Example: exportplan program add-agency --code IMT --name "Industry, Mine and Trade" --kind industry-mine-trade
    """
    from exportplan.services import program as svc

    _, db, actor = context(workspace, user)
    a = svc.add_agency(db, actor, code=code, name_en=name, name_fa=name_fa, kind=kind)
    out.print(f"agency {a['code']}: {a['name_en']}")


@program_app.command("agencies")
def list_agencies(as_json: JsonOpt = False, workspace: WorkspaceOpt = None) -> None:
    """The agencies and their current heads.

    Example: exportplan program agencies
    """
    from exportplan.services import program as svc

    _, db, _ = context(workspace, None)
    rows = [
        {
            **a,
            "head": (a["head"] or {}).get("name_en", ""),
            "since": (a["head"] or {}).get("since_sh", ""),
        }
        for a in svc.agencies(db)
    ]
    table(rows, ["code", "name_en", "name_fa", "kind", "head", "since"], "Agencies", as_json)


@program_app.command("set-head")
def set_head(
    agency: Annotated[str, typer.Option(help="Agency code.")],
    name: Annotated[str, typer.Option(help="The new head's name (English).")],
    start: Annotated[str, typer.Option(help="First day, e.g. 1405/03/10.")],
    name_fa: Annotated[str, typer.Option(help="Persian name.")] = "",
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """A new head of an agency; the previous term ends the day before. The agency keeps all
    it owns (see `program handover`).

    Example: exportplan program set-head --agency IMT --name "Maryam Ahmadi" --start 1405/03/10
    """
    from exportplan.services import program as svc

    _, db, actor = context(workspace, user)
    svc.set_head(db, actor, agency, name_en=name, name_fa=name_fa, start=start)
    out.print(f"{agency}: {name} from {start}")


@program_app.command("add-priority")
def add_priority(
    code: Annotated[str, typer.Option(help="Short code, e.g. P1.")],
    hs: Annotated[
        list[str] | None, typer.Option("--hs", help="HS code at any level (repeat).")
    ] = None,
    market: Annotated[
        list[str] | None, typer.Option("--market", help="Market: ISO3 or name (repeat).")
    ] = None,
    name: Annotated[str, typer.Option(help="English name.")] = "",
    name_fa: Annotated[str, typer.Option(help="Persian name.")] = "",
    reason: Annotated[str, typer.Option(help="Why it was chosen.")] = "",
    from_opportunity: Annotated[
        bool,
        typer.Option(
            "--from-opportunity",
            help="Take the reason and figures from `opportunities markets` for one --hs and "
            "one --market.",
        ),
    ] = False,
    program: ProgramOpt = None,
    year: YearOpt = None,
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Add a priority: a product group x a market or group of markets, with its reason.

    Example: exportplan program add-priority --year 1405 --code P1 --hs 0808 --market IRQ --from-opportunity
    """
    from exportplan.errors import InputError
    from exportplan.services import program as svc

    ws, db, actor = context(workspace, user)
    pid = _pid(ws, db, program, year)
    if from_opportunity:
        if len(hs or []) != 1 or len(market or []) != 1:
            raise InputError("--from-opportunity needs exactly one --hs and one --market")
        assert hs is not None and market is not None
        p = svc.priority_from_opportunity(
            ws, db, actor, pid, code=code, product=hs[0], market=market[0]
        )
    else:
        p = svc.add_priority(
            db,
            actor,
            pid,
            code=code,
            hs_codes=hs or [],
            markets=market or [],
            name_en=name,
            name_fa=name_fa,
            reason=reason,
        )
    out.print(f"priority {p['code']}: HS {' '.join(p['hs_codes'])} to {' '.join(p['markets'])}")
    if p["reason"]:
        out.print(f"  {p['reason']}", markup=False)


@program_app.command("set-target")
def set_target(
    code: Annotated[str, typer.Option(help="The node's code, e.g. P1 or P1-IMT.")],
    value: Annotated[float, typer.Option(help="USD.")],
    parent: Annotated[str, typer.Option(help="Parent node (default: the total).")] = "TOTAL",
    label: Annotated[str, typer.Option(help="A label.")] = "",
    priority: Annotated[str | None, typer.Option(help="Priority code it is for.")] = None,
    agency: Annotated[str | None, typer.Option(help="Agency code it is for.")] = None,
    period: Annotated[
        str | None, typer.Option(help="Solar Hijri month (1405-05) or quarter (1405-Q2).")
    ] = None,
    program: ProgramOpt = None,
    year: YearOpt = None,
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Create or change a sub-target; children never add up to more than their parent.

    Example: exportplan program set-target --year 1405 --code P1 --value 8e8 --priority P1
    """
    from exportplan.services import program as svc

    ws, db, actor = context(workspace, user)
    pid = _pid(ws, db, program, year)
    t = svc.set_target(
        db,
        actor,
        pid,
        code=code,
        value_usd=value,
        parent=parent,
        label=label,
        priority=priority,
        agency=agency,
        period=period,
        version=None,
    )
    out.print(f"target {t['code']}: USD {t['value_usd']:,.0f} under {parent}")


@program_app.command("targets")
def targets(
    program: ProgramOpt = None,
    year: YearOpt = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """The target tree with what is not yet allocated at each level.

    Example: exportplan program targets --year 1405
    """
    from exportplan.services import program as svc

    ws, db, _ = context(workspace, None)
    tree = svc.target_tree(db, _pid(ws, db, program, year))
    if as_json:
        _json(tree)
    else:
        _print_tree(tree)


@program_app.command("add-action")
def add_action(
    agency: Annotated[str, typer.Option(help="Owner agency's code.")],
    title: Annotated[str, typer.Option(help="What will be done.")],
    start: Annotated[str, typer.Option(help="Start day (1405/01/15 or 2026-04-04).")],
    deadline: Annotated[str, typer.Option(help="Deadline day.")],
    priority: Annotated[str | None, typer.Option(help="Priority code.")] = None,
    description: Annotated[str, typer.Option(help="Details.")] = "",
    code: Annotated[str | None, typer.Option(help="Code (default A001, A002...).")] = None,
    program: ProgramOpt = None,
    year: YearOpt = None,
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Add an action an agency commits to.

    Example: exportplan program add-action --agency IMT --title "Baghdad fair" --start 1405/01/15 --deadline 1405/03/31
    """
    from exportplan.services import program as svc

    ws, db, actor = context(workspace, user)
    a = svc.add_action(
        db,
        actor,
        _pid(ws, db, program, year),
        agency=agency,
        title=title,
        start=start,
        deadline=deadline,
        priority=priority,
        description=description,
        code=code,
    )
    out.print(
        f"action {a['code']} ({a['agency']}): {a['title']}, {a['start_sh']} to {a['deadline_sh']}"
    )


@program_app.command("update-action")
def update_action(
    code: Annotated[str, typer.Argument(help="Action code, e.g. A001.")],
    status: Annotated[
        str | None, typer.Option(help="planned, in-progress, blocked, done or cancelled.")
    ] = None,
    progress: Annotated[int | None, typer.Option(help="Percent done.")] = None,
    note: Annotated[str | None, typer.Option(help="A progress note.")] = None,
    evidence: Annotated[str | None, typer.Option(help="Evidence (a link or document).")] = None,
    deadline: Annotated[str | None, typer.Option(help="New deadline.")] = None,
    version: Annotated[
        int | None,
        typer.Option(help="The version you read (refused if it changed since); default: now."),
    ] = None,
    program: ProgramOpt = None,
    year: YearOpt = None,
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Update an action's status, progress, evidence or deadline, or add a note.

    Example: exportplan program update-action A001 --year 1405 --status done --note "3 contracts"
    """
    from exportplan.services import program as svc

    ws, db, actor = context(workspace, user)
    aid = svc.action_id(db, _pid(ws, db, program, year), code)
    v = version if version is not None else svc.get_action(db, aid)["version"]
    a = svc.update_action(
        db,
        actor,
        aid,
        version=v,
        status=status,
        progress=progress,
        note=note,
        evidence=evidence,
        deadline=deadline,
    )
    out.print(f"action {a['code']}: {a['status']}, {a['progress']}% (version {a['version']})")


@program_app.command("actions")
def list_actions(
    agency: Annotated[str | None, typer.Option(help="Only this agency's.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue ones.")] = False,
    program: ProgramOpt = None,
    year: YearOpt = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Actions with their owners, dates (Solar Hijri), status and overdue flag.

    Example: exportplan program actions --year 1405 --overdue
    """
    from exportplan.services import program as svc

    ws, db, _ = context(workspace, None)
    rows = svc.actions(
        db, _pid(ws, db, program, year), agency=agency, overdue=True if overdue else None
    )
    table(
        rows,
        [
            "code",
            "agency",
            "priority",
            "title",
            "start_sh",
            "deadline_sh",
            "status",
            "progress",
            "overdue",
            "version",
        ],
        "Actions",
        as_json,
    )


@program_app.command("add-kpi")
def add_kpi(
    code: Annotated[str, typer.Option(help="Short code.")],
    agency: Annotated[str, typer.Option(help="Owner agency's code.")],
    name: Annotated[str, typer.Option(help="What it measures.")],
    source: Annotated[str, typer.Option(help="data (from the warehouse) or manual.")] = "data",
    hs: Annotated[list[str] | None, typer.Option("--hs", help="HS codes (data KPIs).")] = None,
    partner: Annotated[
        list[str] | None, typer.Option("--partner", help="Destinations (data KPIs).")
    ] = None,
    unit: Annotated[str, typer.Option(help="Unit (data KPIs count USD).")] = "USD",
    target: Annotated[float | None, typer.Option(help="Target value for the year.")] = None,
    priority: Annotated[str | None, typer.Option(help="Priority code.")] = None,
    program: ProgramOpt = None,
    year: YearOpt = None,
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Add a KPI, from the warehouse (exports of HS codes to partners) or entered by hand.

    Example: exportplan program add-kpi --code K1 --agency IMT --name "apples to Iraq" --hs 0808 --partner IRQ
    """
    from exportplan.services import program as svc

    ws, db, actor = context(workspace, user)
    k = svc.add_kpi(
        db,
        actor,
        _pid(ws, db, program, year),
        code=code,
        agency=agency,
        name=name,
        source=source,
        hs_codes=hs or [],
        partners=partner or [],
        unit=unit,
        target_value=target,
        priority=priority,
    )
    out.print(f"KPI {k['code']} ({k['source']}): {k['name']}")


@program_app.command("measure")
def measure(
    kpi: Annotated[str, typer.Option(help="KPI code.")],
    period: Annotated[str, typer.Option(help="Solar Hijri month, e.g. 1405-03.")],
    value: Annotated[float, typer.Option(help="The value.")],
    version: Annotated[
        int | None,
        typer.Option(
            "--version",
            min=0,
            help="The month's version you read (`program kpis --json`; 0: it had no value): "
            "refused, nothing saved, if the value changed since. Without it the value read "
            "now is replaced.",
        ),
    ] = None,
    program: ProgramOpt = None,
    year: YearOpt = None,
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Record a hand-entered KPI's value for a month.

    Example: exportplan program measure --year 1405 --kpi K2 --period 1405-03 --value 4.5 --version 1
    """
    from exportplan.services import program as svc

    ws, db, actor = context(workspace, user)
    pid = _pid(ws, db, program, year)
    m = svc.measure(db, actor, pid, kpi, period=period, value=value, version=version)
    out.print(f"{kpi} {m['period']}: {m['value']:g} (version {m['version']})")


@program_app.command("refresh-kpis")
def refresh_kpis(
    program: ProgramOpt = None,
    year: YearOpt = None,
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Measure every data KPI from the warehouse (the monitoring service's monthly numbers).

    Example: exportplan program refresh-kpis --year 1405
    """
    from exportplan.services import program as svc

    ws, db, actor = context(workspace, user)
    n = svc.refresh_kpis(ws, db, actor, _pid(ws, db, program, year))
    out.print(f"{n} monthly value(s) recorded from the warehouse")


@program_app.command("kpis")
def list_kpis(
    program: ProgramOpt = None,
    year: YearOpt = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """KPIs with their latest value and year to date.

    Example: exportplan program kpis --year 1405
    """
    from exportplan.services import program as svc

    ws, db, _ = context(workspace, None)
    table(
        svc.kpis(db, _pid(ws, db, program, year)),
        ["code", "agency", "name", "unit", "source", "latest", "year_to_date", "target_value"],
        "KPIs",
        as_json,
    )


@program_app.command("audit")
def audit(
    agency: Annotated[str | None, typer.Option(help="Only changes to this agency's rows.")] = None,
    limit: Annotated[int, typer.Option(help="Newest N changes.")] = 50,
    program: ProgramOpt = None,
    year: YearOpt = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Who changed what, when, with the values before and after.

    Example: exportplan program audit --year 1405 --limit 20
    """
    from exportplan.services import program as svc

    ws, db, _ = context(workspace, None)
    pid = _pid(ws, db, program, year) if (program or year) else None
    rows = svc.audit_log(db, program_id=pid, agency=agency, limit=limit)
    if as_json:
        _json(rows)
        return
    for r in rows:
        r["change"] = svc.describe_change(r["before"], r["after"])
    table(rows, ["at", "username", "op", "entity", "entity_id", "change"], "Audit", False)


@program_app.command("handover")
def handover(
    agency: Annotated[str, typer.Option(help="Agency code.")],
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Everything an agency owns (targets, actions, KPIs, open and overdue items, history),
    for the day its head changes.

    Example: exportplan program handover --agency IMT
    """
    from exportplan.services import program as svc

    _, db, _ = context(workspace, None)
    h = svc.handover(db, agency)
    if as_json:
        _json(h)
        return
    a = h["agency"]
    head = (a["head"] or {}).get("name_en", "no head recorded")
    out.print(f"[bold]{a['name_en']}[/] ({a['code']}), head: {head}; as of {h['as_of_sh']}")
    table(h["terms"], ["person", "title", "start", "end"], "Heads", False)
    table(h["targets"], ["program_id", "code", "label", "period", "value_usd"], "Targets", False)
    table(
        h["open_actions"],
        ["program_id", "code", "title", "deadline_sh", "status", "progress", "overdue"],
        "Open actions",
        False,
    )
    table(h["kpis"], ["code", "name", "unit", "latest", "target_value"], "KPIs", False)
    out.print(
        f"{len(h['overdue'])} overdue; {len(h['history'])} recent change(s) in `program audit --agency {agency}`"
    )


@program_app.command("export")
def export(
    file: Annotated[Path, typer.Argument(help="FILE.xlsx or FILE.yaml.")],
    lang: Annotated[
        str,
        typer.Option(
            help="fa|en: the sheets' tabs and headers in that language (a second header row "
            "holds the machine names); Persian sheets right-to-left with Persian digits."
        ),
    ] = "en",
    program: ProgramOpt = None,
    year: YearOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write the whole program to a workbook or YAML file that `program import` reads back.

    Example: exportplan program export plan-1405.xlsx --year 1405 --lang fa
    """
    from exportplan.cli.common import choice
    from exportplan.services import program as program_io

    ws, db, _ = context(workspace, None)
    chosen = choice("lang", lang, ("fa", "en"))
    program_io.export(db, _pid(ws, db, program, year), file, lang=chosen)
    out.print(f"written to {file}")


@program_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="FILE.xlsx or FILE.yaml.")],
    lang: Annotated[
        str, typer.Option(help="fa|en: the problems' sheets, columns and wording.")
    ] = "en",
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Create or update a program from a workbook or YAML file (English or Persian headers,
    or the machine names alone), all or nothing; every problem is named by sheet, row (as
    Excel numbers it) and column.

    Example: exportplan program import plan-1405.xlsx
    """
    from exportplan.cli.common import choice, err
    from exportplan.i18n import error_text
    from exportplan.services import program as program_io
    from exportplan.views.program_audit import problem_lines

    chosen = choice("lang", lang, ("fa", "en"))
    _, db, actor = context(workspace, user)
    try:
        res = program_io.import_file(db, actor, file)
    except program_io.WorkbookError as exc:
        for line in problem_lines(exc.problems, chosen):
            out.print(f"  {line}", markup=False)
        if chosen != "fa":
            raise
        message, hint = error_text(exc, "fa")  # the summary in Persian too, not only the lines
        err.print(f"خطا: {message}", markup=False, style="bold red")
        err.print(f"گام بعد: {hint}", markup=False, style="yellow")
        raise SystemExit(2) from None
    out.print(
        f"program {res['program_id']}: {res['created']} created, {res['updated']} updated, "
        f"{res['unchanged']} unchanged"
    )


# ---- users ---------------------------------------------------------------------------------
