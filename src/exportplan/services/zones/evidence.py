"""Evidence from exports about a zone's land: the ``idle_suspect`` flag (an operating plot
whose firm shows no exports and no inspection confirming activity for 12 months) and the
yearly "land -> exports" table (per Solar Hijri year: area allotted and operating at the
year's end, and the exports of the zone's firms in the year).

The rule of ``idle_suspect``, on the day asked: the plot is ``operating``; its firm (the
applicant of its last contract, matched to the customs records by name as in
:mod:`.outcome`) has no exports in the 12 complete Solar Hijri months before the month of the
day asked; and no inspection in the 365 days up to that day found it in use
(:data:`~exportplan.services.zones.pipeline.ACTIVE_FINDINGS`). Production records do not
exist here, so they are not part of the rule. A flag asks for an inspection; it never moves
the plot (there is no automatic reclaim).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import jdatetime
from sqlalchemy import select

from exportplan.domain import ALLOTTED_STATES
from exportplan.reference.text import clean_text
from exportplan.services.zones.outcome import operating_firms, window
from exportplan.services.zones.pipeline import ACTIVE_FINDINGS
from exportplan.store.program.db import ProgramDB
from exportplan.store.warehouse.firm_exports import by_exporter
from exportplan.store.zones.models import Application, Contract, Inspection, PlotStatusChange
from exportplan.store.zones.queries import get_zone, states_on, zone_plots
from exportplan.workspace import Workspace

#: An inspection confirms activity for this many days
INSPECTION_DAYS = 365
#: Days given for the inspection an ``idle_suspect`` flag asks for
SUSPECT_INSPECTION_DAYS = 30


def _totals(
    ws: Workspace, first: tuple[int, int], last: tuple[int, int], definition: str
) -> dict[str, float]:
    with ws.warehouse() as con:
        df = by_exporter(con, region=ws.home_region, definition=definition, first=first, last=last)
    out: dict[str, float] = {}
    for name, _hs2, v in df.iter_rows():
        out[clean_text(str(name))] = out.get(clean_text(str(name)), 0.0) + float(v or 0.0)
    return out


def idle_suspects(
    ws: Workspace, db: ProgramDB, zone_code: str, *, as_of: dt.date, definition: str = "origin"
) -> list[dict[str, Any]]:
    """The operating plots flagged ``idle_suspect`` on ``as_of`` (the rule in the module's
    docstring), each with its evidence and the inspection it asks for."""
    firms = operating_firms(db, zone_code, as_of)
    first, last = window(as_of)
    totals = _totals(ws, first, last, definition)
    since = as_of - dt.timedelta(days=INSPECTION_DAYS)
    with db.session() as s:
        zone = get_zone(s, zone_code)
        ids = {p.code: p.id for p in zone_plots(s, zone.id)}
        seen: dict[int, list[Inspection]] = {}
        for i in s.scalars(
            select(Inspection)
            .where(Inspection.plot_id.in_(list(ids.values()) or [-1]), Inspection.at <= as_of)
            .order_by(Inspection.at, Inspection.id)
        ):
            seen.setdefault(i.plot_id, []).append(i)
    out: list[dict[str, Any]] = []
    for f in firms:
        exports = totals.get(clean_text(f["applicant"]), 0.0)
        ins = seen.get(ids[f["plot"]], [])
        active = [i for i in ins if i.at >= since and i.finding in ACTIVE_FINDINGS]
        if exports > 0 or active:
            continue
        out.append(
            {
                "plot": f["plot"],
                "status": "operating",
                "holder": f["applicant"],
                "exports_usd": 0.0,
                "exports_window": f"{first[0]:04d}/{first[1]:02d}-{last[0]:04d}/{last[1]:02d}",
                "last_inspection": ins[-1].at.isoformat() if ins else None,
                "last_finding": ins[-1].finding if ins else None,
                "next_step": "inspection",
                "due": (as_of + dt.timedelta(days=SUSPECT_INSPECTION_DAYS)).isoformat(),
            }
        )
    return out


def _year_end(year: int) -> dt.date:
    first_next: dt.date = jdatetime.date(year + 1, 1, 1).togregorian()
    return first_next - dt.timedelta(days=1)


def land_exports(
    ws: Workspace, db: ProgramDB, zone_code: str, *, as_of: dt.date, definition: str = "origin"
) -> list[dict[str, Any]]:
    """Per Solar Hijri year, from the year of the zone's first plot move to the year of
    ``as_of``: the area allotted (``allotted`` .. ``idle``, as in ``share_allotted_area``) and
    operating on the year's last day (``as_of`` for its own year), the firms holding a plot
    under contract then, and their exports in the year's months (up to the month of ``as_of``
    in its own year), with exports per operating hectare."""
    with db.session() as s:
        zone = get_zone(s, zone_code)
        plots = {p.id: p for p in zone_plots(s, zone.id)}
        first_move = s.scalar(
            select(PlotStatusChange.at)
            .where(PlotStatusChange.plot_id.in_(list(plots) or [-1]))
            .order_by(PlotStatusChange.at)
        )
        contracts = s.execute(
            select(Contract.plot_id, Contract.signed_at, Application.applicant_name)
            .join(Application, Application.id == Contract.application_id)
            .where(Contract.plot_id.in_(list(plots) or [-1]))
            .order_by(Contract.signed_at, Contract.id)
        ).all()
        if first_move is None:
            return []
        j0 = jdatetime.date.fromgregorian(date=first_move).year
        j_as = jdatetime.date.fromgregorian(date=as_of)
        ends = {y: min(_year_end(y), as_of) for y in range(j0, j_as.year + 1)}
        states = {y: states_on(s, zone.id, d) for y, d in ends.items()}
    out: list[dict[str, Any]] = []
    for y, end in ends.items():
        st = states[y]
        holders: dict[int, str] = {}
        for plot_id, signed, name in contracts:
            if signed <= end:
                holders[plot_id] = name
        names = {
            clean_text(n)
            for pid, n in holders.items()
            if st[pid] in ALLOTTED_STATES or st[pid] in ("notice", "reclaim_pending")
        }
        last_month = 12 if y < j_as.year else j_as.month
        totals = _totals(ws, (y, 1), (y, last_month), definition)
        exports = sum(v for n, v in totals.items() if n in names)
        allotted = sum(p.area_m2_declared for pid, p in plots.items() if st[pid] in ALLOTTED_STATES)
        operating = sum(p.area_m2_declared for pid, p in plots.items() if st[pid] == "operating")
        out.append(
            {
                "sh_year": y,
                "until": end.isoformat(),
                "area_allotted_ha": round(allotted / 1e4, 4),
                "area_operating_ha": round(operating / 1e4, 4),
                "firms": len(names),
                "firms_with_exports": sum(1 for n in names if totals.get(n, 0.0) > 0),
                "exports_usd": round(exports, 2),
                "exports_per_operating_ha_usd": (
                    round(exports / (operating / 1e4), 2) if operating else None
                ),
            }
        )
    return out
