"""A zone's figures on a day: plots and area by status, the pace (days to decision and to
contract), the share of area allotted, the idle plots, the backlog and decisions by month,
readiness and deadline risk; computed here once for the command line, the pages, the API and
the monthly report (definitions in :mod:`exportplan.analytics.zone_pace`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportplan.analytics import zone_pace as pace
from exportplan.domain import PLOT_STATES
from exportplan.store.program.db import ProgramDB
from exportplan.store.zones.models import Application, Contract, Decision, Milestone, Zone
from exportplan.store.zones.queries import get_zone, states_on, zone_plots

#: States in which a passed construction-start deadline makes a plot idle
CONTRACT_HELD = ("contracted", "idle", "notice", "reclaim_pending")
BACKLOG_MONTHS = 24


def app_dates(s: Session, zone_id: int) -> list[pace.AppDates]:
    apps = {a.id: a for a in s.scalars(select(Application).where(Application.zone_id == zone_id))}
    first: dict[int, Decision] = {}
    for d in s.scalars(
        select(Decision)
        .where(Decision.application_id.in_(list(apps) or [-1]))
        .order_by(Decision.decided_at, Decision.id)
    ):
        if d.application_id not in first or first[d.application_id].decision == "waitlist":
            first[d.application_id] = d  # a waitlist is replaced by the decision after it
    signed: dict[int, dt.date] = {}
    for c in s.scalars(select(Contract).where(Contract.application_id.in_(list(apps) or [-1]))):
        signed.setdefault(c.application_id, c.signed_at)
    return [
        pace.AppDates(
            ref=a.ref,
            submitted=a.submitted_at,
            decided=first[a.id].decided_at if a.id in first else None,
            decision=first[a.id].decision if a.id in first else None,
            contract=signed.get(a.id),
        )
        for a in sorted(apps.values(), key=lambda a: a.ref)
    ]


def contract_dates(s: Session, zone: Zone) -> list[tuple[pace.ContractDates, Contract]]:
    plots = {p.id: p for p in zone_plots(s, zone.id)}
    rows = list(
        s.scalars(
            select(Contract)
            .where(Contract.plot_id.in_(list(plots) or [-1]))
            .order_by(Contract.signed_at, Contract.id)
        )
    )
    ms: dict[int, dict[str, dt.date]] = {}
    for m in s.scalars(
        select(Milestone).where(Milestone.contract_id.in_([c.id for c in rows] or [-1]))
    ):
        if m.actual_at is not None:
            ms.setdefault(m.contract_id, {}).setdefault(m.kind, m.actual_at)
    out = []
    for c in rows:
        got = ms.get(c.id, {})
        out.append(
            (
                pace.ContractDates(
                    plot=plots[c.plot_id].code,
                    signed=c.signed_at,
                    construction_deadline=c.construction_start_deadline,
                    construction_started=got.get("construction_start"),
                    completion_deadline=c.construction_end_deadline,
                    completed=got.get("completion_certificate"),
                    operation_deadline=c.operation_deadline,
                    operating=got.get("first_production") or got.get("operation_licence"),
                ),
                c,
            )
        )
    return out


def _round(v: float | None, n: int = 1) -> float | None:
    return None if v is None else round(v, n)


def zone_status(db: ProgramDB, zone_code: str, *, as_of: dt.date) -> dict[str, Any]:
    """The figures of ``zone status --json`` (and of the dashboard), on ``as_of``."""
    with db.session() as s:
        zone = get_zone(s, zone_code)
        plots = zone_plots(s, zone.id)
        states = states_on(s, zone.id, as_of)
        apps = app_dates(s, zone.id)
        contracts = contract_dates(s, zone)
    by_status = dict.fromkeys(PLOT_STATES, 0)
    area_by = dict.fromkeys(PLOT_STATES, 0.0)
    for p in plots:
        by_status[states[p.id]] += 1
        area_by[states[p.id]] += p.area_m2_declared
    code_state = {p.code: states[p.id] for p in plots}
    latest: dict[str, pace.ContractDates] = {}
    for cd, _c in contracts:
        if cd.signed <= as_of:
            latest[cd.plot] = cd  # the plot's last contract signed by then
    held = [cd for code, cd in latest.items() if code_state.get(code) in CONTRACT_HELD]
    dec = pace.days_to_decision(apps, as_of=as_of)
    con = pace.days_to_contract(apps, as_of=as_of)
    months = pace.sh_months(as_of, BACKLOG_MONTHS)
    vacant = [
        (p.area_m2_declared, bool(p.ready) and all(p.ready.values()))
        for p in plots
        if states[p.id] == "vacant"
    ]
    return {
        "zone": zone.code,
        "as_of": as_of.isoformat(),
        "plots_total": len(plots),
        "area_total_m2": round(sum(p.area_m2_declared for p in plots), 1),
        "plots_by_status": by_status,
        "area_by_status_m2": {k: round(v, 1) for k, v in area_by.items()},
        "share_allotted_area": _round(pace.share_allotted_area(area_by), 4),
        "median_days_to_decision": _round(pace.percentile(dec, 50)),
        "p90_days_to_decision": _round(pace.percentile(dec, 90)),
        "median_days_to_contract": _round(pace.percentile(con, 50)),
        "p90_days_to_contract": _round(pace.percentile(con, 90)),
        "decided_applications": len(dec),
        "contracts_counted": len(con),
        "idle_plots": pace.idle_plots(held, as_of=as_of),
        "backlog": pace.waiting_on(apps, as_of),
        "backlog_by_month": pace.backlog_by_month(apps, months, as_of=as_of),
        "readiness": _round(pace.readiness(vacant), 4),
        "deadline_risk": [
            {**r, "day": r["day"].isoformat() if isinstance(r["day"], dt.date) else r["day"]}
            for r in pace.deadline_risk(
                held
                + [
                    cd
                    for code, cd in latest.items()
                    if code_state.get(code) == "under_construction"
                ],
                as_of=as_of,
            )
        ],
    }
