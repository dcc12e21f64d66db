"""Importing the pipeline from files, all or nothing: ``invest import`` (projects, their
investors and enquiries; gate fields missing for a project's stage are refused, or with
``allow_waivers`` recorded on the project as data debt) and ``invest import-stages`` (the stage
log). Every refused row is kept with file, row, column, value and reason; if any row is
refused nothing is written. Importing the same file again changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select

from exportplan.auth import Actor
from exportplan.domain import stage_index
from exportplan.errors import RowsRefusedError
from exportplan.ingest.invest import read_projects, read_stages
from exportplan.reference.text import match_key
from exportplan.services.invest.gates import missing, related_of
from exportplan.store.invest.models import Enquiry, Event, Investor, Project, StageLog
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import Agency, as_dict
from exportplan.store.program.writes import Change, write

__all__ = ["import_projects", "import_stages"]

_FIELDS = (
    "name",
    "sector",
    "status",
    "capex_usd",
    "capex_original",
    "capex_is_estimate",
    "capex_unknown",
    "jobs_new",
    "project_type",
    "project_manager",
    "likelihood",
    "plot_code",
    "concession_ref",
    "trade_card_no",
    "exporter_name",
    "competitor_locations",
)


def _investor(
    ch: Change, r: dict[str, Any], known: dict[tuple[str, str], Investor], rej: Any
) -> Investor | None:
    if not r["investor"]:
        return None
    k = (r["investor_key"], r["country"])
    inv = known.get(k)
    if inv is not None:
        if match_key(inv.name) != match_key(r["investor"]):
            rej.add(
                r["row"],
                "investor",
                r["investor"],
                "{value} looks like stored investor "
                "{id} {other} (same name and country): a duplicate; write the stored name, "
                "or merge them (exportplan invest merge-investors {id} ID)",
                id=inv.id,
                other=inv.name,
            )
        return inv
    inv = Investor(name=r["investor"], match_key=r["investor_key"], country=r["country"])
    ch.add(inv)
    ch.flush()
    ch.audit("create", "invest_investor", inv.id, None, as_dict(inv))
    known[k] = inv
    return inv


def import_projects(
    db: ProgramDB,
    actor: Actor,
    path: Path,
    *,
    allow_waivers: bool = False,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Import a projects file (``ingest.invest.PROJECT_COLUMNS``); a summary of what changed,
    or :class:`RowsRefusedError` with every problem and nothing written."""
    today = today or dt.date.today()
    rows, rej = read_projects(path, today=today)
    counts = {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "investors_created": 0,
        "enquiries": 0,
        "waived": 0,
    }
    with write(db, actor, "invest.import", f"file {path.name}") as ch:
        s = ch.session
        known = {
            (i.match_key, i.country): i
            for i in s.scalars(select(Investor).where(Investor.merged_into_id.is_(None)))
        }
        n_inv = len(known)
        agencies = {a.code: a.id for a in s.scalars(select(Agency))}
        events = {e.code: e.id for e in s.scalars(select(Event))}
        for r in rows:
            before_rejects = len(rej.rows)
            inv = _investor(ch, r, known, rej)
            agency_id = agencies.get(r["agency"]) if r["agency"] else None
            if r["agency"] and agency_id is None:
                rej.add(r["row"], "agency", r["agency"], "no agency {value} in the store")
            event_id = events.get(r["event"]) if r["event"] else None
            if r["event"] and event_id is None:
                rej.add(r["row"], "event", r["event"], "no event {value} in the store")
            if len(rej.rows) > before_rejects:
                continue
            p = s.scalars(select(Project).where(Project.code == r["code"])).first()
            new = p is None
            if p is None:
                p = Project(code=r["code"], created_on=r["created"], stage="lead", waived_fields=[])
            before = None if new else as_dict(p)
            old_stage = p.stage
            for f in _FIELDS:
                if r[f] is not None or f in ("capex_is_estimate", "capex_unknown"):
                    setattr(p, f, r[f])
            p.investor_id = inv.id if inv is not None else None
            if agency_id is not None:
                p.agency_id = agency_id
            if event_id is not None:
                p.source_event_id = event_id
            stage = r["stage"]
            if stage_index(stage) < stage_index(old_stage):
                rej.add(
                    r["row"],
                    "stage",
                    stage,
                    "project {code} is at stage {now}: a move back "
                    "needs a reason; make it on the pipeline board (exportplan invest move)",
                    code=r["code"],
                    now=old_stage,
                )
                continue
            lacking = missing(p, related_of(s, None if new else p.id), stage)
            if "investor" in lacking:
                rej.add(
                    r["row"],
                    "investor",
                    "",
                    "an enquiry without an investor cannot be a "
                    "project at stage {stage}: name the investor",
                    stage=stage,
                )
                continue
            if lacking and not allow_waivers:
                rej.add(
                    r["row"],
                    "stage",
                    stage,
                    "cannot enter stage {stage}: missing {fields}; "
                    "fill them in, or import legacy projects with --allow-waivers (recorded "
                    "as data debt)",
                    stage=stage,
                    fields=lacking,
                )
                continue
            waived = sorted(set(p.waived_fields or []) | set(lacking))
            if waived != sorted(p.waived_fields or []):
                p.waived_fields = waived
            p.stage = stage
            if new:
                ch.add(p)
            ch.flush()
            if new or stage != old_stage:
                ch.add(
                    StageLog(
                        project_id=p.id,
                        from_stage=None if new else old_stage,
                        to_stage=stage,
                        at=r["created"] if new else today,
                        by=actor.username,
                        waived_fields=lacking,
                        source="import",
                    )
                )
            counts["waived"] += bool(lacking)
            counts["enquiries"] += _enquiry(ch, p, r)
            after = as_dict(p)
            if new:
                counts["created"] += 1
                ch.audit("create", "invest_project", p.id, None, after, agency_id=p.agency_id)
            elif after != before or ch.dirty:
                counts["updated"] += 1
                ch.audit("update", "invest_project", p.id, before, after, agency_id=p.agency_id)
            else:
                counts["unchanged"] += 1
        if rej.rows:
            raise RowsRefusedError(path.name, rej.rows)
        counts["investors_created"] = len(known) - n_inv
    return {"file": path.name, "rows": len(rows), **counts}


def _enquiry(ch: Change, p: Project, r: dict[str, Any]) -> int:
    if r["enquiry_received"] is None:
        return 0
    e = ch.session.scalars(select(Enquiry).where(Enquiry.project_id == p.id)).first()
    status = "answered" if r["first_response"] else "new"
    if e is None:
        e = Enquiry(
            project_id=p.id,
            investor_id=p.investor_id,
            agency_id=p.agency_id,
            channel=r["channel"],
            received_on=r["enquiry_received"],
            first_response_on=r["first_response"],
            status=status,
        )
        ch.add(e)
        ch.flush()
        ch.audit("create", "invest_enquiry", e.id, None, as_dict(e), agency_id=p.agency_id)
        return 1
    before = as_dict(e)
    e.received_on, e.first_response_on = r["enquiry_received"], r["first_response"]
    if e.status in ("new", "answered"):
        e.status = status
    if ch.dirty:
        ch.flush()
        ch.audit("update", "invest_enquiry", e.id, before, as_dict(e), agency_id=p.agency_id)
    return 0


def import_stages(
    db: ProgramDB, actor: Actor, path: Path, *, today: dt.date | None = None
) -> dict[str, Any]:
    """Import stage-log rows (``project_id, stage, entered``): for each project named, the file's
    rows replace the log rows earlier imports wrote (moves made on the board stay); the log's
    last stage must be the project's stage, and no move may go back (that needs a reason)."""
    today = today or dt.date.today()
    rows, rej = read_stages(path, today=today)
    by_code: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_code.setdefault(r["code"], []).append(r)
    counts = {"projects": 0, "written": 0, "unchanged": 0}
    with write(db, actor, "invest.import", f"file {path.name}") as ch:
        s = ch.session
        for code, entries in by_code.items():
            p = s.scalars(select(Project).where(Project.code == code)).first()
            if p is None:
                for r in entries:
                    rej.add(
                        r["row"],
                        "project_id",
                        code,
                        "no project {value} in the store "
                        "(import it first with exportplan invest import)",
                    )
                continue
            bad = [r for r in entries if r["entered"] < p.created_on]
            for r in bad:
                rej.add(
                    r["row"],
                    "entered",
                    r["entered_text"],
                    "{value} is before the project was created ({created})",
                    created=p.created_on.isoformat(),
                )
            if bad:
                continue
            log = list(s.scalars(select(StageLog).where(StageLog.project_id == p.id)))
            moves = [x for x in log if x.source != "import"]
            merged: list[tuple[dt.date, str, Any]] = sorted(
                [(x.at, x.to_stage, x) for x in moves]
                + [(r["entered"], r["stage"], r) for r in entries],
                key=lambda t: (t[0], stage_index(t[1])),
            )
            if merged[-1][1] != p.stage:
                last = merged[-1][2] if isinstance(merged[-1][2], dict) else entries[-1]
                rej.add(
                    last["row"],
                    "stage",
                    merged[-1][1],
                    "project {code} is at stage {now}, but its log would end at {value}",
                    code=code,
                    now=p.stage,
                )
                continue
            if _goes_back(merged, entries, rej):
                continue
            old = sorted((str(x.at), x.to_stage, str(x.from_stage)) for x in log)
            chain = [
                (at, stg, item, merged[i - 1][1] if i else None)
                for i, (at, stg, item) in enumerate(merged)
            ]
            new = sorted((str(at), stg, str(frm)) for at, stg, _i, frm in chain)
            counts["projects"] += 1
            if new == old:
                counts["unchanged"] += 1
                continue
            waived = next((x.waived_fields for x in log if x.source == "import"), [])
            for x in log:
                if x.source == "import":
                    ch.delete(x)
            ch.flush()
            for at, stg, item, frm in chain:
                if isinstance(item, StageLog):
                    item.from_stage = frm
                    continue
                ch.add(
                    StageLog(
                        project_id=p.id,
                        from_stage=frm,
                        to_stage=stg,
                        at=at,
                        by=actor.username,
                        source="import",
                        waived_fields=waived if stg == p.stage else [],
                    )
                )
                counts["written"] += 1
            ch.flush()
            ch.audit(
                "update",
                "invest_stage_log",
                p.id,
                {"log": [list(t) for t in old]},
                {"log": [list(t) for t in new]},
                agency_id=p.agency_id,
            )
        if rej.rows:
            raise RowsRefusedError(path.name, rej.rows)
    return {"file": path.name, "rows": len(rows), **counts}


def _goes_back(
    merged: list[tuple[dt.date, str, Any]], entries: list[dict[str, Any]], rej: Any
) -> bool:
    """Refuse a log that moves back or repeats a stage (a move back needs a reason)."""
    for i in range(1, len(merged)):
        prev, (_at, stg, item) = merged[i - 1][1], merged[i]
        if stage_index(stg) <= stage_index(prev):
            row = item if isinstance(item, dict) else entries[0]
            rej.add(
                row["row"],
                "stage",
                stg,
                "the log goes from {prev} to {value} on {day}: a "
                "move back needs a reason (make it on the pipeline board)",
                prev=prev,
                day=row["entered_text"],
            )
            return True
    return False
