"""The outcome link of a zone: the exports of the firms on its operating plots, read from
the warehouse, per hectare of their plots, and the share of those firms whose exports fall in
the zone's specialisation (its HS chapters, e.g. 41-43 and 64 for leather and shoes).

The customs records carry the exporter's name only (no trade card number, no national id):
a plot's firm is matched to its exports by the applicant's name, letters and digits unified
(:func:`exportplan.reference.text.clean_text`); a trade card on the application is kept for
the day the records carry one. Exports are those of the 12 complete Solar Hijri months before
the day asked, under one definition (``origin`` by default: goods made in the region).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import jdatetime

from exportplan.reference.text import clean_text
from exportplan.store.program.db import ProgramDB
from exportplan.store.warehouse.firm_exports import by_exporter
from exportplan.store.zones.queries import get_zone, states_on, zone_plots
from exportplan.workspace import Workspace

#: A firm's exports are "in the specialisation" when at least this share is in its chapters
FIT_SHARE = 0.5


def window(as_of: dt.date) -> tuple[tuple[int, int], tuple[int, int]]:
    """The 12 complete Solar Hijri months before the month of ``as_of``."""
    j = jdatetime.date.fromgregorian(date=as_of)
    y, m = (j.year - 1, 12) if j.month == 1 else (j.year, j.month - 1)
    fy, fm = (y - 1, m + 1) if m < 12 else (y, 1)
    return (fy, fm), (y, m)


def operating_firms(db: ProgramDB, zone_code: str, as_of: dt.date) -> list[dict[str, Any]]:
    """The firms on the zone's operating plots on ``as_of``: plot, area, applicant, trade card."""
    from sqlalchemy import select

    from exportplan.store.zones.models import Application, Contract

    with db.session() as s:
        zone = get_zone(s, zone_code)
        plots = {p.id: p for p in zone_plots(s, zone.id)}
        states = states_on(s, zone.id, as_of)
        rows = s.execute(
            select(Contract.plot_id, Application.applicant_name, Application.trade_card)
            .join(Application, Application.id == Contract.application_id)
            .where(Contract.plot_id.in_(list(plots) or [-1]), Contract.signed_at <= as_of)
            .order_by(Contract.signed_at, Contract.id)
        ).all()
    firm: dict[int, tuple[str, str | None]] = {}
    for plot_id, name, card in rows:
        firm[plot_id] = (name, card)  # the plot's last contract
    return [
        {
            "plot": plots[pid].code,
            "area_m2": plots[pid].area_m2_declared,
            "applicant": n,
            "trade_card": c,
        }
        for pid, (n, c) in sorted(firm.items(), key=lambda kv: plots[kv[0]].code)
        if states[pid] == "operating"
    ]


def outcome(
    ws: Workspace, db: ProgramDB, zone_code: str, *, as_of: dt.date, definition: str = "origin"
) -> dict[str, Any]:
    """Exports of the zone's operating firms, per hectare, and their fit with the zone."""
    with db.session() as s:
        chapters = set(get_zone(s, zone_code).hs_chapters)
    firms = operating_firms(db, zone_code, as_of)
    first, last = window(as_of)
    with ws.warehouse() as con:
        df = by_exporter(con, region=ws.home_region, definition=definition, first=first, last=last)
    totals: dict[str, dict[str, float]] = {}
    for name, hs2, v in df.iter_rows():
        totals.setdefault(clean_text(str(name)), {}).setdefault(str(hs2), 0.0)
        totals[clean_text(str(name))][str(hs2)] += float(v or 0.0)
    rows: list[dict[str, Any]] = []
    for f in firms:
        by_ch = totals.get(clean_text(f["applicant"]), {})
        total = sum(by_ch.values())
        in_spec = sum(v for ch, v in by_ch.items() if ch in chapters)
        rows.append(
            {
                **f,
                "exports_usd": round(total, 2),
                "share_in_specialisation": round(in_spec / total, 4) if total else None,
            }
        )
    exporting = [r for r in rows if r["exports_usd"] > 0]
    area_ha = sum(r["area_m2"] for r in rows) / 10_000
    total_usd = sum(r["exports_usd"] for r in rows)
    fit = [r for r in exporting if (r["share_in_specialisation"] or 0) >= FIT_SHARE]
    return {
        "zone": zone_code,
        "definition": definition,
        "window": f"{first[0]:04d}-{first[1]:02d}..{last[0]:04d}-{last[1]:02d}",
        "matched_by": "exporter name (the customs records carry no trade card number)",
        "hs_chapters": sorted(chapters),
        "operating_firms": len(rows),
        "firms_with_exports": len(exporting),
        "operating_area_ha": round(area_ha, 4),
        "exports_usd": round(total_usd, 2),
        "exports_per_ha_usd": round(total_usd / area_ha, 2) if area_ha else None,
        "share_firms_in_specialisation": round(len(fit) / len(exporting), 4) if exporting else None,
        "firms": rows,
    }
