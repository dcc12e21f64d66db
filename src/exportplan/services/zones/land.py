"""Zones and their plots: creating them, and moving a plot from one state to the next along the
allowed transitions (``domain.PLOT_TRANSITIONS``), each step kept in the plot's history and
audited. A zone operator edits only the zones its agency operates (``auth``: ``zone.edit``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select

from exportplan.auth import Actor
from exportplan.domain import PLOT_STATES, ZONE_KINDS, plot_transition_allowed
from exportplan.errors import ZoneRuleError
from exportplan.services.zones.rules import area, code, sh_text
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import Agency, as_dict
from exportplan.store.program.writes import Change, write
from exportplan.store.zones.models import Plot, PlotStatusChange, Zone
from exportplan.store.zones.queries import get_zone

USE_CLASSES = ("industrial", "service", "warehouse", "green", "utility")
READY_FLAGS = ("road", "power", "water", "gas", "sewer")
#: The HS chapters of a zone's specialisation when none are given (leather and shoes)
SPECIALISATION_CHAPTERS = {
    "leather": ["41", "42", "43"],
    "shoe": ["64"],
    "shoes": ["64"],
    "bag": ["42"],
}


def require_zone(ch: Change, zone: Zone) -> None:
    """The actor's right to edit ``zone`` (a zone operator: only its own agency's)."""
    ch.require("zone.edit", agency_id=zone.operator_agency_id)


@contextmanager
def zone_change(
    db: ProgramDB, actor: Actor, zone_code: str, what: str
) -> Iterator[tuple[Change, Zone]]:
    """One checked, audited, all-or-nothing change of zone ``zone_code``."""
    with write(db, actor, "zone.edit", what) as ch:
        zone = get_zone(ch.session, zone_code)
        require_zone(ch, zone)
        yield ch, zone


def chapters_of(specialisation: str) -> list[str]:
    out: set[str] = set()
    for word in specialisation.replace(",", " ").lower().split():
        out.update(SPECIALISATION_CHAPTERS.get(word, []))
    return sorted(out)


def create_zone(
    db: ProgramDB,
    actor: Actor,
    *,
    code_: str,
    name_fa: str,
    name_en: str,
    kind: str = "specialised",
    specialisation: str = "",
    hs_chapters: list[str] | None = None,
    operator: str = "",
    operator_agency: str | None = None,
    boundary: dict[str, Any] | None = None,
    gross_area_ha: float | None = None,
) -> dict[str, Any]:
    """A new zone; ``operator_agency`` (an agency's code) is the agency whose zone operators
    may edit it."""
    c = code(code_, "zone")
    if kind not in ZONE_KINDS:
        raise ZoneRuleError(
            "kind",
            "zone kind must be one of {kinds}; got {value!r}",
            kinds=", ".join(ZONE_KINDS),
            value=kind,
        )
    if not name_en.strip() or not name_fa.strip():
        raise ZoneRuleError("name", "zone {code} needs a Persian and an English name", code=c)
    with write(db, actor, "zone.create", f"zone {c}") as ch:
        if ch.session.scalar(select(Zone).where(Zone.code == c)) is not None:
            raise ZoneRuleError("zone", "zone {code} exists already", code=c)
        agency_id = None
        if operator_agency:
            ag = ch.session.scalar(select(Agency).where(Agency.code == operator_agency))
            if ag is None:
                raise ZoneRuleError(
                    "operator_agency", "no agency with code {value!r}", value=operator_agency
                )
            agency_id = ag.id
        if boundary is not None:
            from exportplan.services.zones.shapes import checked_boundary

            boundary = checked_boundary(boundary, c)
        z = Zone(
            code=c,
            name_en=name_en.strip(),
            name_fa=name_fa.strip(),
            kind=kind,
            operator=operator,
            operator_agency_id=agency_id,
            specialisation=specialisation,
            hs_chapters=sorted(set(hs_chapters)) if hs_chapters else chapters_of(specialisation),
            allowed_isic4=[],
            gross_area_ha=gross_area_ha,
            boundary=boundary,
            services={},
        )
        ch.add(z)
        ch.flush()
        ch.audit("create", "zone", z.id, None, as_dict(z), agency_id=agency_id)
        return as_dict(z)


def new_plot(
    ch: Change,
    zone: Zone,
    *,
    code_: str,
    area_m2: object,
    use_class: str = "industrial",
    block: str = "",
    geometry: dict[str, Any] | None = None,
    area_m2_geometry: float | None = None,
    ready: dict[str, bool] | None = None,
) -> Plot:
    """A vacant plot of ``zone`` in an open write (geometry already checked by the caller).
    A plot is vacant until its first move, which starts its history: history imported later
    may begin before the day the plot was recorded (that day is in the audit log)."""
    require_zone(ch, zone)
    c = code(code_, "plot")
    a = area(area_m2, "area_m2")
    if use_class not in USE_CLASSES:
        raise ZoneRuleError(
            "use",
            "plot {code}: use must be one of {uses}; got {value!r}",
            code=c,
            uses=", ".join(USE_CLASSES),
            value=use_class,
        )
    if ch.session.scalar(select(Plot).where(Plot.zone_id == zone.id, Plot.code == c)):
        raise ZoneRuleError("plot", "zone {zone} has a plot {code} already", zone=zone.code, code=c)
    p = Plot(
        zone_id=zone.id,
        code=c,
        block=block,
        area_m2_declared=a,
        geometry=geometry,
        area_m2_geometry=area_m2_geometry,
        use_class=use_class,
        ready={k: bool((ready or {}).get(k, False)) for k in READY_FLAGS},
        tenure_offered="lease_to_own",
        status="vacant",
        status_since=None,
    )
    ch.add(p)
    ch.flush(f"plot {c}")
    ch.audit("create", "plot", p.id, None, as_dict(p), agency_id=zone.operator_agency_id)
    return p


def _who(ch: Change) -> str:
    return ch.actor.username if ch.actor is not None else ""


def reservation(ch: Change, plot: Plot) -> PlotStatusChange | None:
    """The plot's standing reservation (its last status change, when that made it reserved)."""
    last = ch.session.scalar(
        select(PlotStatusChange)
        .where(PlotStatusChange.plot_id == plot.id)
        .order_by(PlotStatusChange.at.desc(), PlotStatusChange.id.desc())
    )
    return last if last is not None and last.to_status == "reserved" else None


def lapse_if_expired(ch: Change, zone: Zone, plot: Plot, *, on: dt.date) -> None:
    """A reservation whose last day is before ``on`` has lapsed: the lapse is recorded in the
    plot's history, dated the day after that last day (the figures of any day read it so
    already, see ``store.zones.queries.states_on``)."""
    if plot.status != "reserved":
        return
    r = reservation(ch, plot)
    if r is not None and r.until is not None and r.until < on:
        move(
            ch,
            zone,
            plot,
            "vacant",
            on=r.until + dt.timedelta(days=1),
            reason="reservation expired",
        )


def move(
    ch: Change,
    zone: Zone,
    plot: Plot,
    new: str,
    *,
    on: dt.date,
    reason: str = "",
    until: dt.date | None = None,
    application_id: int | None = None,
) -> None:
    """Move ``plot`` to state ``new`` on ``on``: refused unless the transition is allowed and
    the day is not before the plot's last change. A reservation that expired before ``on``
    lapses first (``until`` and ``application_id``: a new reservation's last day and its
    application)."""
    require_zone(ch, zone)
    if new != "vacant":
        lapse_if_expired(ch, zone, plot, on=on)
    if new not in PLOT_STATES:
        raise ZoneRuleError(
            "status",
            "plot status must be one of {states}; got {value!r}",
            states=", ".join(PLOT_STATES),
            value=new,
        )
    if not plot_transition_allowed(plot.status, new):
        raise ZoneRuleError(
            "status",
            "plot {code} cannot go from {current} to {new}",
            "the plot's allowed next states are in docs/zones.md",
            code=plot.code,
            current=plot.status,
            new=new,
        )
    if plot.status_since is not None and on < plot.status_since:
        raise ZoneRuleError(
            "date",
            "plot {code}: {new} on {day} is before its last change ({current} since {since})",
            code=plot.code,
            new=new,
            day=sh_text(on),
            current=plot.status,
            since=sh_text(plot.status_since),
        )
    before = as_dict(plot)
    plot.status = new
    plot.status_since = on
    ch.add(
        PlotStatusChange(
            plot_id=plot.id,
            from_status=before["status"],
            to_status=new,
            at=on,
            reason=reason,
            by=_who(ch),
            until=until,
            application_id=application_id,
        )
    )
    ch.flush(f"plot {plot.code}")
    ch.audit("update", "plot", plot.id, before, as_dict(plot), agency_id=zone.operator_agency_id)


def set_status(
    db: ProgramDB,
    actor: Actor,
    zone_code: str,
    plot_code: str,
    new: str,
    *,
    on: dt.date,
    reason: str = "",
    version: int | None = None,
) -> dict[str, Any]:
    """One checked transition of one plot (the plot page's and the API's)."""
    from exportplan.store.zones.queries import get_plot

    with write(db, actor, "zone.edit", f"plot {plot_code}") as ch:
        zone = get_zone(ch.session, zone_code)
        plot = get_plot(ch.session, zone, plot_code)
        ch.check_version(plot, version, f"plot {plot_code}")
        move(ch, zone, plot, new, on=on, reason=reason)
        return as_dict(plot)
