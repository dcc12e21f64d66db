"""The single edits of a plot the zone's pages and the API make: reserving it for an
application until a day, recording an inspection, and issuing a step of the idle-plot
procedure (warning, show cause, extension, termination, reclaim order, reclaimed); each one
checked, audited, all or nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from exportplan.auth import Actor
from exportplan.errors import NotFoundError, ZoneRuleError
from exportplan.services.zones import pipeline as pl
from exportplan.services.zones.land import zone_change
from exportplan.services.zones.rules import sh_text
from exportplan.store.program.db import ProgramDB
from exportplan.store.zones.models import Application
from exportplan.store.zones.queries import get_plot


def reserve_plot(
    db: ProgramDB,
    actor: Actor,
    code: str,
    plot: str,
    *,
    ref: str,
    on: dt.date,
    until: dt.date,
) -> None:
    """Reserve vacant plot ``plot`` for application ``ref`` from ``on`` to ``until``."""
    with zone_change(db, actor, code, f"plot {plot}") as (ch, z):
        app = ch.session.scalar(
            select(Application).where(Application.zone_id == z.id, Application.ref == ref)
        )
        if app is None:
            raise NotFoundError(f"zone {code} has no application {ref!r}")
        pl.reserve(ch, z, app, get_plot(ch.session, z, plot), on=on, until=until)


def record_inspection(
    db: ProgramDB,
    actor: Actor,
    code: str,
    plot: str,
    *,
    on: dt.date,
    finding: str,
    power_kwh_last_12m: float | None = None,
) -> None:
    with zone_change(db, actor, code, f"plot {plot}") as (ch, z):
        pl.inspect(
            ch,
            z,
            get_plot(ch.session, z, plot),
            on=on,
            finding=finding,
            power_kwh_last_12m=power_kwh_last_12m,
        )


def issue_notice(
    db: ProgramDB,
    actor: Actor,
    code: str,
    plot: str,
    kind: str,
    *,
    on: dt.date,
    deadline: dt.date | None = None,
    reason: str = "",
) -> None:
    """A step of the idle-plot procedure on the plot's current contract (an extension and a
    reclaim are steps too: ``extension`` with its new deadline, ``reclaim_order``,
    ``reclaimed``)."""
    with zone_change(db, actor, code, f"plot {plot}") as (ch, z):
        p = get_plot(ch.session, z, plot)
        c = pl.contract_of(ch, p)
        if c is None or c.status == "terminated":
            raise ZoneRuleError(
                "kind",
                "plot {plot} has no contract in force; a notice needs one",
                plot=plot,
            )
        if on < c.signed_at:
            raise ZoneRuleError(
                "on",
                "plot {plot}: the {kind} on {day} is before the contract ({signed})",
                plot=plot,
                kind=kind,
                day=sh_text(on),
                signed=sh_text(c.signed_at),
            )
        pl.notice(ch, z, c, kind, on=on, deadline=deadline, reason=reason)
