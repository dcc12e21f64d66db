"""Reads of the zones' tables that several services share: a zone or a plot by its code, a
zone's plots, and a plot's state on a given day from its status history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportplan.errors import NotFoundError
from exportplan.store.zones.models import Plot, PlotStatusChange, Zone


def get_zone(s: Session, code: str) -> Zone:
    """The zone ``code``, or an error listing the zones there are."""
    z = s.scalar(select(Zone).where(Zone.code == code))
    if z is None:
        known = list(s.scalars(select(Zone.code).order_by(Zone.code)))
        raise NotFoundError(
            f"no zone {code!r}" + (f"; the zones are {', '.join(known)}" if known else ""),
            hint="create it with `exportplan zones create CODE --name-fa ... --name-en ...`",
        )
    return z


def zone_plots(s: Session, zone_id: int) -> list[Plot]:
    """A zone's plots in the order of their codes."""
    return list(s.scalars(select(Plot).where(Plot.zone_id == zone_id).order_by(Plot.code)))


def get_plot(s: Session, zone: Zone, code: str) -> Plot:
    p = s.scalar(select(Plot).where(Plot.zone_id == zone.id, Plot.code == code))
    if p is None:
        raise NotFoundError(f"zone {zone.code} has no plot {code!r}")
    return p


def states_on(s: Session, zone_id: int, day: dt.date) -> dict[int, str]:
    """Each plot's state on ``day``: the last status change on or before it (``vacant`` for a
    plot with none yet; ``vacant`` too for a reservation whose last day is before ``day``:
    an expired reservation lapses on the day asked, whether or not the lapse is recorded)."""
    out = {p.id: "vacant" for p in zone_plots(s, zone_id)}
    rows = s.execute(
        select(PlotStatusChange.plot_id, PlotStatusChange.to_status, PlotStatusChange.until)
        .join(Plot, Plot.id == PlotStatusChange.plot_id)
        .where(Plot.zone_id == zone_id, PlotStatusChange.at <= day)
        .order_by(PlotStatusChange.at, PlotStatusChange.id)
    ).all()
    for plot_id, status, until in rows:
        out[plot_id] = "vacant" if status == "reserved" and until and until < day else status
    return out


def history(s: Session, plot_id: int) -> list[PlotStatusChange]:
    return list(
        s.scalars(
            select(PlotStatusChange)
            .where(PlotStatusChange.plot_id == plot_id)
            .order_by(PlotStatusChange.at, PlotStatusChange.id)
        )
    )


def standing_reservations(
    s: Session, zone_id: int, day: dt.date
) -> dict[int, tuple[int | None, dt.date | None]]:
    """The plots reserved on ``day`` (their last change on or before it made them reserved
    and its last day is not before ``day``): plot id -> (application id, last day)."""
    out: dict[int, tuple[int | None, dt.date | None]] = {}
    rows = s.execute(
        select(
            PlotStatusChange.plot_id,
            PlotStatusChange.to_status,
            PlotStatusChange.application_id,
            PlotStatusChange.until,
        )
        .join(Plot, Plot.id == PlotStatusChange.plot_id)
        .where(Plot.zone_id == zone_id, PlotStatusChange.at <= day)
        .order_by(PlotStatusChange.at, PlotStatusChange.id)
    ).all()
    for plot_id, status, app_id, until in rows:
        if status == "reserved" and (until is None or until >= day):
            out[plot_id] = (app_id, until)
        else:
            out.pop(plot_id, None)
    return out
