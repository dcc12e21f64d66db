"""Commands for industrial zones: create a zone, import its plots and applications, and its
figures on a day (``zones status``: the pace, the area allotted, the idle plots, the backlog).

Dates are Solar Hijri on input (``1404/09/30``). The command line acts as the local
administrator, or with ``--user NAME`` as that user (a zone operator edits only its zones).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from exportplan.cli.common import JsonOpt, WorkspaceOpt, app, out, workspace_of

zones_app = typer.Typer(
    no_args_is_help=True,
    help="Industrial zones: plots, applications, allotment, and the pace as numbers.",
)
app.add_typer(zones_app, name="zones")

UserOpt = Annotated[
    str | None,
    typer.Option("--user", help="Act as this user, with their role (default: the local admin)."),
]
ZoneOpt = Annotated[str, typer.Option("--zone", help="The zone's code.")]


def _context(workspace: Path | None, user: str | None) -> tuple[Any, Any, Any]:
    from exportplan.services import users

    ws = workspace_of(workspace)
    db = ws.program()
    actor = users.actor_for_user(db, user) if user else users.local_actor()
    return ws, db, actor


def _print(data: Any, as_json: bool) -> None:
    if as_json:
        out.print_json(json.dumps(data, ensure_ascii=False, default=str))
        return
    for k, v in data.items():
        out.print(f"{k}: {v}")


@zones_app.command("create")
def create(
    code: Annotated[str, typer.Argument(help="The zone's code, e.g. TLS.")],
    name_fa: Annotated[str, typer.Option("--name-fa", help="Persian name.")],
    name_en: Annotated[str, typer.Option("--name-en", help="English name.")],
    specialisation: Annotated[
        str, typer.Option(help="What the zone is for, e.g. 'leather shoe' (sets HS 41-43, 64).")
    ] = "",
    kind: Annotated[
        str,
        typer.Option(help="state_estate, industrial_area, private_town, specialised, free_zone."),
    ] = "specialised",
    operator_agency: Annotated[
        str | None,
        typer.Option("--operator-agency", help="Code of the agency whose zone operators edit it."),
    ] = None,
    boundary: Annotated[
        Path | None, typer.Option(help="GeoJSON file of the zone's boundary (WGS84).")
    ] = None,
    as_json: JsonOpt = False,
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Create a zone.

    Example: exportplan zones create TLS --name-fa "شهرک چرم و کفش تبریز" --name-en "Tabriz
    leather and shoe zone" --specialisation "leather shoe"
    """
    from exportplan.services.zones import create_zone

    _, db, actor = _context(workspace, user)
    shape = None
    if boundary is not None:
        try:
            shape = json.loads(boundary.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            from exportplan.errors import InputError

            raise InputError(f"{boundary.name}: not a readable GeoJSON file ({exc})") from exc
        if isinstance(shape, dict) and shape.get("type") == "FeatureCollection":
            shape = (shape.get("features") or [{}])[0]
    z = create_zone(
        db,
        actor,
        code_=code,
        name_fa=name_fa,
        name_en=name_en,
        kind=kind,
        specialisation=specialisation,
        operator_agency=operator_agency,
        boundary=shape,
    )
    _print({k: z[k] for k in ("code", "name_en", "name_fa", "kind", "hs_chapters")}, as_json)


@zones_app.command("import-plots")
def import_plots(
    file: Annotated[Path, typer.Argument(help="CSV or Excel (plot, area_m2, use) or GeoJSON.")],
    zone: ZoneOpt,
    as_json: JsonOpt = False,
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Import a zone's plots: all or nothing; refused rows are listed and kept in the
    workspace's rejects/ folder.

    Example: exportplan zones import-plots plots.geojson --zone TLS
    """
    from exportplan.services.zones.imports import import_plots as run

    ws, db, actor = _context(workspace, user)
    _print(run(db, actor, file, zone=zone, rejects_dir=ws.path / "rejects"), as_json)


@zones_app.command("import-applications")
def import_applications(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV or Excel: application_id, applicant, plot, area_m2, submitted, decided, "
            "decision, contract_signed, construction_deadline, construction_started, "
            "operating_since (Solar Hijri dates, blank where a step has not happened)."
        ),
    ],
    zone: ZoneOpt,
    as_json: JsonOpt = False,
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Import a zone's applications with their decisions, contracts and milestones: all or
    nothing; refused rows are listed and kept in the workspace's rejects/ folder.

    Example: exportplan zones import-applications applications.csv --zone TLS
    """
    from exportplan.services.zones.imports import import_applications as run

    ws, db, actor = _context(workspace, user)
    _print(run(db, actor, file, zone=zone, rejects_dir=ws.path / "rejects"), as_json)


@zones_app.command("status")
def status(
    zone: ZoneOpt,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Solar Hijri day, e.g. 1404/09/30 (default: today)."),
    ] = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """A zone's figures on a day: plots and area by status, days to decision and to contract
    (median, 90th percentile), share of area allotted, idle plots, backlog.

    Example: exportplan zones status --zone TLS --as-of 1404/09/30 --json
    """
    from exportplan.services.zones.rules import optional_day
    from exportplan.services.zones.status import zone_status

    _, db, _ = _context(workspace, None)
    day = optional_day(as_of, "as-of") or dt.date.today()
    data = zone_status(db, zone, as_of=day)
    if as_json:
        _print(data, True)
        return
    short = {k: v for k, v in data.items() if k not in ("backlog_by_month", "deadline_risk")}
    _print(short, False)
