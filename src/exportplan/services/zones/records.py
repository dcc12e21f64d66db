"""What the zone's pages show of one thing: a plot with its history, contract, milestones,
inspections and notices; an application with its scrutiny checklist and the plots that fit
it; the idle-plot worklist with each plot's next legal step and its deadline; and the single
edits the pages make (the scrutiny, the decision)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from exportplan.auth import Actor
from exportplan.errors import NotFoundError
from exportplan.services.zones import pipeline as pl
from exportplan.services.zones.land import zone_change
from exportplan.services.zones.status import CONTRACT_HELD, contract_dates
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import as_dict
from exportplan.store.program.writes import Change
from exportplan.store.zones.models import (
    Application,
    Contract,
    Decision,
    Inspection,
    Milestone,
    Notice,
    Plot,
    Scrutiny,
)
from exportplan.store.zones.queries import (
    get_plot,
    get_zone,
    history,
    standing_reservations,
    states_on,
    zone_plots,
)

#: A plot fits an application when its area is within this share of the area asked for
FIT_AREA = 0.20
#: Days after a missed construction-start deadline within which the warning is due
WARNING_DAYS = 30
#: Days a show-cause notice or a reclaim order gives when it names no deadline
NOTICE_DAYS = 60


def zones_list(db: ProgramDB) -> list[dict[str, Any]]:
    from exportplan.store.zones.models import Zone

    with db.session() as s:
        return [as_dict(z) for z in s.scalars(select(Zone).order_by(Zone.code))]


def zone_info(db: ProgramDB, code: str) -> dict[str, Any]:
    with db.session() as s:
        return as_dict(get_zone(s, code))


def plots_of(db: ProgramDB, code: str, *, as_of: dt.date) -> list[dict[str, Any]]:
    """Every plot of the zone with its state on ``as_of`` and its holder's name."""
    with db.session() as s:
        zone = get_zone(s, code)
        plots = zone_plots(s, zone.id)
        states = states_on(s, zone.id, as_of)
        held = dict(
            s.execute(
                select(Decision.plot_id, Application.applicant_name)
                .join(Application, Application.id == Decision.application_id)
                .where(
                    Decision.decision == "allot",
                    Decision.decided_at <= as_of,
                    Decision.plot_id.in_([p.id for p in plots] or [-1]),
                )
                .order_by(Decision.decided_at, Decision.id)
            ).all()
        )
        return [
            {
                **as_dict(p),
                "status_on": states[p.id],
                "holder": held.get(p.id) if states[p.id] not in ("vacant", "reclaimed") else None,
            }
            for p in plots
        ]


def plot_record(db: ProgramDB, code: str, plot_code: str) -> dict[str, Any]:
    with db.session() as s:
        zone = get_zone(s, code)
        p = get_plot(s, zone, plot_code)
        c = s.scalar(select(Contract).where(Contract.plot_id == p.id).order_by(Contract.id.desc()))
        app = s.get(Application, c.application_id) if c else None
        return {
            "zone": as_dict(zone),
            "plot": as_dict(p),
            "history": [as_dict(h) for h in history(s, p.id)],
            "contract": as_dict(c) if c else None,
            "application": as_dict(app) if app else None,
            "milestones": [
                as_dict(m)
                for m in s.scalars(
                    select(Milestone)
                    .where(Milestone.contract_id == (c.id if c else -1))
                    .order_by(Milestone.actual_at)
                )
            ],
            "notices": [
                as_dict(n)
                for n in s.scalars(
                    select(Notice)
                    .where(Notice.contract_id == (c.id if c else -1))
                    .order_by(Notice.issued_at)
                )
            ],
            "inspections": [
                as_dict(i)
                for i in s.scalars(
                    select(Inspection).where(Inspection.plot_id == p.id).order_by(Inspection.at)
                )
            ],
        }


def application_record(db: ProgramDB, code: str, ref: str) -> dict[str, Any]:
    """An application, its checklist, its decisions and the plots that fit it (vacant, or
    reserved for it, industrial, area within ±20% of the area asked for, fully serviced and
    closest first); a plot reserved for another application until today or later does not
    fit, and one whose reservation expired is vacant."""
    with db.session() as s:
        zone = get_zone(s, code)
        app = s.scalar(
            select(Application).where(Application.zone_id == zone.id, Application.ref == ref)
        )
        if app is None:
            raise NotFoundError(f"zone {code} has no application {ref!r}")
        sc = s.scalar(select(Scrutiny).where(Scrutiny.application_id == app.id))
        decisions = [
            as_dict(d)
            for d in s.scalars(
                select(Decision).where(Decision.application_id == app.id).order_by(Decision.id)
            )
        ]
        standing = standing_reservations(s, zone.id, dt.date.today())
        held = {pid for pid, (a, _until) in standing.items() if a not in (None, app.id)}
        fits = [
            {
                **as_dict(p),
                "status": "vacant" if p.status == "reserved" and p.id not in standing else p.status,
                "gap": abs(p.area_m2_declared - app.area_requested_m2) / app.area_requested_m2,
                "all_ready": bool(p.ready) and all(p.ready.values()),
            }
            for p in zone_plots(s, zone.id)
            if p.status in ("vacant", "reserved")
            and p.id not in held
            and p.use_class == "industrial"
            and abs(p.area_m2_declared - app.area_requested_m2) <= FIT_AREA * app.area_requested_m2
        ]
        fits.sort(key=lambda r: (not r["all_ready"], r["gap"], r["code"]))
        return {
            "zone": as_dict(zone),
            "application": as_dict(app),
            "scrutiny": {k: getattr(sc, k) if sc else None for k in pl.SCRUTINY_ITEMS},
            "scrutiny_version": sc.version if sc else None,
            "decisions": decisions,
            "fitting_plots": fits,
        }


def applications_of(db: ProgramDB, code: str) -> list[dict[str, Any]]:
    with db.session() as s:
        zone = get_zone(s, code)
        return [
            as_dict(a)
            for a in s.scalars(
                select(Application)
                .where(Application.zone_id == zone.id)
                .order_by(Application.submitted_at.desc(), Application.ref)
            )
        ]


def review_application(
    db: ProgramDB,
    actor: Actor,
    code: str,
    ref: str,
    items: dict[str, bool | None],
    *,
    on: dt.date,
    notes: str = "",
) -> None:
    with zone_change(db, actor, code, f"application {ref}") as (ch, z):
        app = _app(ch, z.id, code, ref)
        pl.review(ch, z, app, items, on=on, notes=notes)


def decide_application(
    db: ProgramDB,
    actor: Actor,
    code: str,
    ref: str,
    decision: str,
    *,
    on: dt.date,
    plot: str | None = None,
    version: int | None = None,
) -> None:
    with zone_change(db, actor, code, f"application {ref}") as (ch, z):
        app = _app(ch, z.id, code, ref)
        ch.check_version(app, version, f"application {ref}")
        p = get_plot(ch.session, z, plot) if plot else None
        pl.decide(ch, z, app, decision, on=on, plot=p)


def _app(ch: Change, zone_id: int, code: str, ref: str) -> Application:
    app = ch.session.scalar(
        select(Application).where(Application.zone_id == zone_id, Application.ref == ref)
    )
    if app is None:
        raise NotFoundError(f"zone {code} has no application {ref!r}")
    found: Application = app
    return found


def worklist(db: ProgramDB, code: str, *, as_of: dt.date) -> list[dict[str, Any]]:
    """The idle plots on ``as_of`` (construction-start deadline passed without a start) and
    those under notice or awaiting reclaim, each with the next legal step and its deadline:
    a warning within 30 days of the missed deadline, then a show-cause notice by the warning's
    deadline, then the committee's extension or reclaim order by the show-cause deadline,
    then the reclaim (خلع ید) by the order's deadline."""
    with db.session() as s:
        zone = get_zone(s, code)
        plots = {p.code: p for p in zone_plots(s, zone.id)}
        states = states_on(s, zone.id, as_of)
        pairs = contract_dates(s, zone)
        notices: dict[int, list[Notice]] = {}
        for n in s.scalars(
            select(Notice)
            .where(Notice.contract_id.in_([c.id for _, c in pairs] or [-1]))
            .order_by(Notice.issued_at, Notice.id)
        ):
            if n.issued_at <= as_of:
                notices.setdefault(n.contract_id, []).append(n)
        holder = {
            c.plot_id: s.scalar(
                select(Application.applicant_name).where(Application.id == c.application_id)
            )
            for _, c in pairs
        }
    latest: dict[str, tuple[Any, Contract]] = {}
    for cd, c in pairs:
        if cd.signed <= as_of:
            latest[cd.plot] = (cd, c)
    out: list[dict[str, Any]] = []
    for pcode, (cd, c) in sorted(latest.items()):
        state = states[plots[pcode].id]
        if state not in CONTRACT_HELD:
            continue
        missed = cd.construction_deadline < as_of and (
            cd.construction_started is None or cd.construction_started > as_of
        )
        ns = notices.get(c.id, [])
        if not missed and not ns:
            continue
        last = ns[-1] if ns else None
        if last is None:
            step, due = "warning", cd.construction_deadline + dt.timedelta(days=WARNING_DAYS)
        elif last.kind == "warning":
            step = "show_cause"
            due = last.deadline or last.issued_at + dt.timedelta(days=NOTICE_DAYS)
        elif last.kind == "show_cause":
            step = "extension or reclaim_order"
            due = last.deadline or last.issued_at + dt.timedelta(days=NOTICE_DAYS)
        elif last.kind == "extension":
            step, due = "check construction start", last.deadline or cd.construction_deadline
        else:
            step = "reclaimed"
            due = last.deadline or last.issued_at + dt.timedelta(days=NOTICE_DAYS)
        out.append(
            {
                "plot": pcode,
                "status": state,
                "holder": holder.get(c.plot_id),
                "construction_deadline": cd.construction_deadline.isoformat(),
                "days_late": (as_of - cd.construction_deadline).days if missed else 0,
                "last_notice": last.kind if last else None,
                "next_step": step,
                "due": due.isoformat(),
                "overdue": due < as_of,
                "legal_ref": pl.LEGAL_REF,
            }
        )
    return out


def plot_ids(db: ProgramDB, code: str) -> dict[str, int]:
    with db.session() as s:
        zone = get_zone(s, code)
        return {p.code: p.id for p in s.scalars(select(Plot).where(Plot.zone_id == zone.id))}
