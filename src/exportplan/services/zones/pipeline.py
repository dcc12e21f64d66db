"""An application's way through a zone: submission with its scrutiny checklist, the
committee's decision (allot, reject, waitlist), the contract with its deadlines, the
milestones, inspections and the idle-plot notices; each step moves the plot along the allowed
transitions and is audited. Used by the single edits and, row by row in one write, the import.

A plot that is not vacant or reserved is refused for a second allotment, naming who holds it
since when (:class:`~exportplan.errors.PlotHeldError`). An expired establishment permit fails
the scrutiny item ``permit_valid``; a failed item blocks the allotment, it never crashes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from exportplan.domain import ALLOTTABLE_STATES, DECISIONS
from exportplan.errors import PlotHeldError, ZoneRuleError
from exportplan.services.zones.land import lapse_if_expired, move, require_zone, reservation
from exportplan.services.zones.rules import area, code, sh_text
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
    Zone,
)

SCRUTINY_ITEMS = (
    "permit_valid",
    "sector_fits_zone",
    "environmental_ok",
    "area_justified",
    "documents_complete",
    "financial_capacity_ok",
)
#: The most land a planned job justifies (m² per job) in the ``area_justified`` item
AREA_PER_JOB_MAX_M2 = 400.0
MILESTONE_KINDS = (
    "building_permit",
    "construction_start",
    "completion_certificate",
    "operation_licence",
    "first_production",
    "first_export",
)
INSPECTION_FINDINGS = (
    "no_activity",
    "construction_in_progress",
    "operating",
    "operating_below_capacity",
    "other_use",
)
#: The findings that confirm the plot is in use (an ``idle_suspect`` flag is lifted by one)
ACTIVE_FINDINGS = ("construction_in_progress", "operating", "operating_below_capacity")
NOTICE_KINDS = ("warning", "show_cause", "extension", "termination", "reclaim_order", "reclaimed")
#: Extensions of one contract beyond this many need an administrator and a written reason
MAX_EXTENSIONS = 2
LEGAL_REF = "7th Development Plan art. 48(kh)(1) by-law on idle contracts"
NO_PROXY = "no proxy (وکالتی) transfer of an unfinished project (2025 directive)"


def auto_scrutiny(app: Application, zone: Zone, on: dt.date) -> dict[str, bool | None]:
    """The checklist items the record decides by itself on ``on``: the permit's validity, the
    sector against the zone's HS chapters, the area against the jobs planned; the others stay
    open (None) for the reviewer."""
    items: dict[str, bool | None] = dict.fromkeys(SCRUTINY_ITEMS)
    if app.permit_valid_to is not None:
        items["permit_valid"] = app.permit_valid_to >= on
    if zone.hs_chapters and app.products_hs:
        items["sector_fits_zone"] = any(h[:2] in zone.hs_chapters for h in app.products_hs)
    if app.jobs_planned:
        items["area_justified"] = app.area_requested_m2 / app.jobs_planned <= AREA_PER_JOB_MAX_M2
    return items


def new_application(
    ch: Change,
    zone: Zone,
    *,
    ref: object,
    applicant: str,
    area_m2: object,
    submitted: dt.date,
    trade_card: str | None = None,
    national_id: str | None = None,
    permit_no: str = "",
    permit_valid_to: dt.date | None = None,
    products_hs: list[str] | None = None,
    jobs_planned: int | None = None,
    capex_usd: float | None = None,
    plot: Plot | None = None,
) -> Application:
    require_zone(ch, zone)
    r = code(ref, "application_id")
    if not applicant.strip():
        raise ZoneRuleError("applicant", "application {ref}: the applicant is blank", ref=r)
    if ch.session.scalar(
        select(Application).where(Application.zone_id == zone.id, Application.ref == r)
    ):
        raise ZoneRuleError(
            "application_id",
            "zone {zone} has an application {ref} already",
            zone=zone.code,
            ref=r,
        )
    a = Application(
        zone_id=zone.id,
        ref=r,
        applicant_name=applicant.strip(),
        trade_card=(trade_card or "").strip() or None,
        national_id=(national_id or "").strip() or None,
        permit_no=permit_no,
        permit_valid_to=permit_valid_to,
        products_hs=products_hs or [],
        area_requested_m2=area(area_m2, "area_m2"),
        jobs_planned=jobs_planned,
        capex_usd=capex_usd,
        preferred_plot_id=plot.id if plot is not None else None,
        submitted_at=submitted,
        status="submitted",
    )
    ch.add(a)
    ch.flush(f"application {r}")
    ch.add(Scrutiny(application_id=a.id, **auto_scrutiny(a, zone, submitted)))
    ch.audit(
        "create", "zone_application", a.id, None, as_dict(a), agency_id=zone.operator_agency_id
    )
    return a


def scrutiny_of(ch: Change, app: Application) -> Scrutiny:
    s = ch.session.scalar(select(Scrutiny).where(Scrutiny.application_id == app.id))
    if s is None:
        s = Scrutiny(application_id=app.id)
        ch.add(s)
        ch.flush()
    return s


def review(
    ch: Change,
    zone: Zone,
    app: Application,
    items: dict[str, bool | None],
    *,
    on: dt.date,
    notes: str = "",
) -> Scrutiny:
    """The reviewer's answers to the open items (the automatic ones are decided again on
    ``on``; an expired permit stays failed whatever is ticked)."""
    require_zone(ch, zone)
    s = scrutiny_of(ch, app)
    before = as_dict(s)
    for k, v in items.items():
        if k not in SCRUTINY_ITEMS:
            raise ZoneRuleError("item", "no scrutiny item {value!r}", value=k)
        setattr(s, k, v)
    for k, v in auto_scrutiny(app, zone, on).items():
        if v is not None:
            setattr(s, k, v)
    s.reviewer = ch.actor.username if ch.actor is not None else ""
    s.notes = notes
    s.completed_at = on
    if app.status == "submitted":
        app.status = "in_scrutiny"
    ch.flush(f"application {app.ref}")
    ch.audit("update", "zone_scrutiny", s.id, before, as_dict(s), agency_id=zone.operator_agency_id)
    return s


def holder(ch: Change, plot: Plot) -> str:
    """Who holds ``plot``: the applicant it is reserved for, or of its last allotment."""
    r = reservation(ch, plot) if plot.status == "reserved" else None
    if r is not None and r.application_id is not None:
        app = ch.session.get(Application, r.application_id)
        if app is not None:
            return app.applicant_name
    name = ch.session.scalar(
        select(Application.applicant_name)
        .join(Decision, Decision.application_id == Application.id)
        .where(Decision.plot_id == plot.id, Decision.decision == "allot")
        .order_by(Decision.decided_at.desc(), Decision.id.desc())
    )
    return name or "?"


def decide(
    ch: Change,
    zone: Zone,
    app: Application,
    decision: str,
    *,
    on: dt.date,
    plot: Plot | None = None,
    reasons: str = "",
) -> Decision:
    require_zone(ch, zone)
    if decision not in DECISIONS:
        raise ZoneRuleError(
            "decision",
            "application {ref}: decision must be one of {kinds}; got {value!r}",
            ref=app.ref,
            kinds=", ".join(DECISIONS),
            value=decision,
        )
    if app.status not in ("submitted", "in_scrutiny", "waitlisted"):
        raise ZoneRuleError(
            "decision", "application {ref} is {status} already", ref=app.ref, status=app.status
        )
    if on < app.submitted_at:
        raise ZoneRuleError(
            "decided",
            "application {ref}: decided on {day}, before it was submitted ({sub})",
            ref=app.ref,
            day=sh_text(on),
            sub=sh_text(app.submitted_at),
        )
    if decision == "allot":
        if plot is None:
            raise ZoneRuleError("plot", "application {ref}: an allotment needs a plot", ref=app.ref)
        lapse_if_expired(ch, zone, plot, on=on)
        _not_reserved_for_another(ch, plot, app)
        if plot.status not in ALLOTTABLE_STATES:
            raise PlotHeldError(
                "plot {plot} is {status} to {holder} since {since}"
                if plot.status in ("allotted", "contracted")
                else "plot {plot} is held by {holder} ({status} since {since})",
                "choose a vacant or reserved plot (the application page lists those that fit)",
                plot=plot.code,
                status=plot.status,
                holder=holder(ch, plot),
                since=sh_text(plot.status_since) if plot.status_since else "?",
            )
        failed = [
            k
            for k, v in as_dict(scrutiny_of(ch, app)).items()
            if k in SCRUTINY_ITEMS and v is False
        ]
        if failed:
            raise ZoneRuleError(
                "decision",
                "application {ref}: the scrutiny item(s) {items} failed; it cannot be allotted",
                ref=app.ref,
                items=", ".join(failed),
            )
    d = Decision(
        application_id=app.id,
        plot_id=plot.id if plot else None,
        decision=decision,
        decided_at=on,
        committee="",
        reasons=reasons,
    )
    ch.add(d)
    before = as_dict(app)
    app.status = {"allot": "allotted", "reject": "rejected", "waitlist": "waitlisted"}[decision]
    ch.flush(f"application {app.ref}")
    if plot is not None and decision == "allot":
        move(ch, zone, plot, "allotted", on=on, reason=f"application {app.ref}")
    ch.audit(
        "update",
        "zone_application",
        app.id,
        before,
        as_dict(app),
        agency_id=zone.operator_agency_id,
    )
    return d


def _not_reserved_for_another(ch: Change, plot: Plot, app: Application) -> None:
    r = reservation(ch, plot) if plot.status == "reserved" else None
    if r is not None and r.application_id not in (None, app.id):
        other = ch.session.get(Application, r.application_id)
        raise PlotHeldError(
            "plot {plot} is reserved for {holder} until {until}",
            "choose another plot, or wait until the reservation ends",
            plot=plot.code,
            holder=other.applicant_name if other else "?",
            until=sh_text(r.until) if r.until else "?",
        )


def reserve(
    ch: Change, zone: Zone, app: Application, plot: Plot, *, on: dt.date, until: dt.date
) -> None:
    """Reserve a vacant ``plot`` for ``app`` from ``on`` to ``until`` (its last day; the plot
    is vacant again the day after unless it is allotted by then). A reservation that expired
    lapses first; a plot reserved for another application, or held, is refused naming who
    holds it."""
    require_zone(ch, zone)
    if until < on:
        raise ZoneRuleError(
            "until",
            "plot {plot}: the reservation ends on {day}, before it starts ({start})",
            plot=plot.code,
            day=sh_text(until),
            start=sh_text(on),
        )
    if on < app.submitted_at:
        raise ZoneRuleError(
            "on",
            "application {ref}: reserved on {day}, before it was submitted ({sub})",
            ref=app.ref,
            day=sh_text(on),
            sub=sh_text(app.submitted_at),
        )
    if app.status not in ("submitted", "in_scrutiny", "waitlisted"):
        raise ZoneRuleError(
            "plot", "application {ref} is {status} already", ref=app.ref, status=app.status
        )
    lapse_if_expired(ch, zone, plot, on=on)
    _not_reserved_for_another(ch, plot, app)
    if plot.status != "vacant":
        raise PlotHeldError(
            "plot {plot} is held by {holder} ({status} since {since})",
            "choose a vacant plot (the application page lists those that fit)",
            plot=plot.code,
            status=plot.status,
            holder=holder(ch, plot),
            since=sh_text(plot.status_since) if plot.status_since else "?",
        )
    move(
        ch,
        zone,
        plot,
        "reserved",
        on=on,
        reason=f"application {app.ref}",
        until=until,
        application_id=app.id,
    )
    if app.status == "submitted":
        before = as_dict(app)
        app.status = "in_scrutiny"
        ch.flush(f"application {app.ref}")
        ch.audit(
            "update",
            "zone_application",
            app.id,
            before,
            as_dict(app),
            agency_id=zone.operator_agency_id,
        )


def sign(
    ch: Change,
    zone: Zone,
    app: Application,
    *,
    on: dt.date,
    construction_start_deadline: dt.date,
    construction_end_deadline: dt.date | None = None,
    operation_deadline: dt.date | None = None,
) -> Contract:
    """The contract of an allotted application; its deadlines cannot precede its signature."""
    require_zone(ch, zone)
    d = ch.session.scalar(
        select(Decision)
        .where(Decision.application_id == app.id, Decision.decision == "allot")
        .order_by(Decision.id.desc())
    )
    if d is None or d.plot_id is None or app.status != "allotted":
        raise ZoneRuleError(
            "contract_signed",
            "application {ref} is {status}: only an allotted one gets a contract",
            ref=app.ref,
            status=app.status,
        )
    if on < d.decided_at:
        raise ZoneRuleError(
            "contract_signed",
            "application {ref}: contract signed on {day}, before the decision ({dec})",
            ref=app.ref,
            day=sh_text(on),
            dec=sh_text(d.decided_at),
        )
    for field, deadline in (
        ("construction_deadline", construction_start_deadline),
        ("construction_end_deadline", construction_end_deadline),
        ("operation_deadline", operation_deadline),
    ):
        if deadline is not None and deadline < on:
            raise ZoneRuleError(
                field,
                "application {ref}: {field} {day} is before the contract ({signed})",
                ref=app.ref,
                field=field,
                day=sh_text(deadline),
                signed=sh_text(on),
            )
    plot = ch.session.get(Plot, d.plot_id)
    assert plot is not None
    c = Contract(
        decision_id=d.id,
        application_id=app.id,
        plot_id=plot.id,
        signed_at=on,
        tenure=plot.tenure_offered,
        construction_start_deadline=construction_start_deadline,
        construction_end_deadline=construction_end_deadline,
        operation_deadline=operation_deadline,
        transfer_restrictions=NO_PROXY,
        status="active",
    )
    ch.add(c)
    app.status = "contracted"
    ch.flush(f"contract of {app.ref}")
    move(ch, zone, plot, "contracted", on=on, reason=f"contract of {app.ref}")
    ch.audit("create", "zone_contract", c.id, None, as_dict(c), agency_id=zone.operator_agency_id)
    return c


def milestone(ch: Change, zone: Zone, contract: Contract, kind: str, *, on: dt.date) -> Milestone:
    """A milestone reached; construction start and first production move the plot."""
    require_zone(ch, zone)
    if kind not in MILESTONE_KINDS:
        raise ZoneRuleError(
            "milestone",
            "milestone must be one of {kinds}; got {value!r}",
            kinds=", ".join(MILESTONE_KINDS),
            value=kind,
        )
    if on < contract.signed_at:
        raise ZoneRuleError(
            "milestone",
            "{kind} on {day} is before the contract ({signed})",
            kind=kind,
            day=sh_text(on),
            signed=sh_text(contract.signed_at),
        )
    m = Milestone(contract_id=contract.id, kind=kind, planned_at=None, actual_at=on)
    ch.add(m)
    ch.flush()
    plot = ch.session.get(Plot, contract.plot_id)
    assert plot is not None
    target = {
        "construction_start": "under_construction",
        "first_production": "operating",
        "operation_licence": "operating",
    }.get(kind)
    if target is not None and plot.status != target:
        move(ch, zone, plot, target, on=on, reason=kind)
    ch.audit("create", "zone_milestone", m.id, None, as_dict(m), agency_id=zone.operator_agency_id)
    return m


def inspect(
    ch: Change,
    zone: Zone,
    plot: Plot,
    *,
    on: dt.date,
    finding: str,
    power_kwh_last_12m: float | None = None,
) -> Inspection:
    """An inspection of ``plot`` on ``on``: its finding (one of :data:`INSPECTION_FINDINGS`)
    and, when the power company's data exists, the plot's electricity use over 12 months."""
    require_zone(ch, zone)
    if finding not in INSPECTION_FINDINGS:
        raise ZoneRuleError(
            "finding",
            "plot {plot}: the finding must be one of {kinds}; got {value!r}",
            plot=plot.code,
            kinds=", ".join(INSPECTION_FINDINGS),
            value=finding,
        )
    if power_kwh_last_12m is not None and not 0 <= power_kwh_last_12m <= 1e12:
        raise ZoneRuleError(
            "power_kwh",
            "plot {plot}: electricity use must be between 0 and 1e12 kWh; got {value}",
            plot=plot.code,
            value=power_kwh_last_12m,
        )
    i = Inspection(
        plot_id=plot.id,
        at=on,
        by=ch.actor.username if ch.actor else "",
        finding=finding,
        power_kwh_last_12m=power_kwh_last_12m,
    )
    ch.add(i)
    ch.flush()
    ch.audit("create", "zone_inspection", i.id, None, as_dict(i), agency_id=zone.operator_agency_id)
    return i


def notice(
    ch: Change,
    zone: Zone,
    contract: Contract,
    kind: str,
    *,
    on: dt.date,
    deadline: dt.date | None = None,
    reason: str = "",
) -> Notice:
    """A step of the idle-plot procedure. A warning or show-cause puts an idle plot under
    notice; an extension sets a new construction-start deadline and returns the plot to
    ``contracted`` (more than :data:`MAX_EXTENSIONS` need an administrator and a reason); a
    reclaim order makes it ``reclaim_pending``; ``reclaimed`` ends the contract and the plot
    is vacant again for the next applicant."""
    require_zone(ch, zone)
    if kind not in NOTICE_KINDS:
        raise ZoneRuleError(
            "notice",
            "notice must be one of {kinds}; got {value!r}",
            kinds=", ".join(NOTICE_KINDS),
            value=kind,
        )
    if deadline is not None and deadline < on:
        raise ZoneRuleError(
            "deadline",
            "the {kind}'s deadline {day} is before it was issued ({issued})",
            kind=kind,
            day=sh_text(deadline),
            issued=sh_text(on),
        )
    plot = ch.session.get(Plot, contract.plot_id)
    assert plot is not None
    before = as_dict(contract)
    if kind in ("warning", "show_cause"):
        if plot.status in ("contracted", "under_construction", "operating"):
            move(ch, zone, plot, "idle", on=on, reason=kind)
        if plot.status == "idle":
            move(ch, zone, plot, "notice", on=on, reason=kind)
    elif kind == "extension":
        if deadline is None:
            raise ZoneRuleError("deadline", "an extension needs its new deadline")
        done = ch.session.scalars(
            select(Notice).where(Notice.contract_id == contract.id, Notice.kind == "extension")
        ).all()
        if len(done) >= MAX_EXTENSIONS and (
            ch.actor is None or ch.actor.role != "admin" or not reason.strip()
        ):
            raise ZoneRuleError(
                "extension",
                "plot {plot} has had {count} extensions already; another needs an "
                "administrator and a written reason",
                plot=plot.code,
                count=len(done),
            )
        contract.construction_start_deadline = deadline
        contract.status = "extended"
        if plot.status == "notice":
            move(ch, zone, plot, "contracted", on=on, reason="extension")
    elif kind in ("termination", "reclaim_order"):
        if plot.status == "idle":
            move(ch, zone, plot, "notice", on=on, reason=kind)
        move(ch, zone, plot, "reclaim_pending", on=on, reason=kind)
    elif kind == "reclaimed":
        move(ch, zone, plot, "reclaimed", on=on, reason="reclaimed")
        contract.status = "terminated"
    n = Notice(
        contract_id=contract.id,
        kind=kind,
        issued_at=on,
        deadline=deadline,
        legal_ref=LEGAL_REF,
        outcome=reason,
    )
    ch.add(n)
    ch.flush(f"plot {plot.code}")
    ch.audit(
        "update",
        "zone_contract",
        contract.id,
        before,
        as_dict(contract),
        agency_id=zone.operator_agency_id,
    )
    return n


def contract_of(ch: Change, plot: Plot) -> Contract | None:
    """The plot's current contract (the last one signed)."""
    return ch.session.scalar(
        select(Contract).where(Contract.plot_id == plot.id).order_by(Contract.id.desc())
    )


def summary(app: Application) -> dict[str, Any]:
    return as_dict(app)
