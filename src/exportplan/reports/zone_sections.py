"""The industrial zones' sections of the handover dossier: the zones the agency operates with
their pace figures on the day, and their idle-plot worklist with each plot's next legal step
and its deadline (registered after the program's sections)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from exportplan.reports.sections import TableSection, register
from exportplan.services.program.agencies import agencies
from exportplan.services.zones import records
from exportplan.services.zones.status import zone_status
from exportplan.store.program import ProgramDB

__all__ = ["zone_worklist_section", "zones_section"]


def _operated(db: ProgramDB, agency: str) -> list[dict[str, Any]]:
    ids = {a["id"] for a in agencies(db) if a["code"] == agency}
    return [z for z in records.zones_list(db) if z["operator_agency_id"] in ids]


def zones_section(db: ProgramDB, agency: str, today: dt.date) -> TableSection:
    """One row per zone the agency operates: plots, share of area allotted, median and 90th
    percentile days to decision, applications waiting, idle plots (``zones status``)."""
    rows = []
    for z in _operated(db, agency):
        st = zone_status(db, z["code"], as_of=today)
        rows.append(
            {
                "zone": z["code"],
                "plots": st["plots_total"],
                "share": (
                    None if st["share_allotted_area"] is None else 100 * st["share_allotted_area"]
                ),
                "median": st["median_days_to_decision"],
                "p90": st["p90_days_to_decision"],
                "backlog": st["backlog"],
                "idle": len(st["idle_plots"]),
            }
        )
    return TableSection(
        columns=(
            ("zone", "Zone", "text"),
            ("plots", "Plots", "num"),
            ("share", "share of area allotted", "share"),
            ("median", "median days to decision", "num"),
            ("p90", "90th percentile of days to decision", "num"),
            ("backlog", "applications waiting", "num"),
            ("idle", "idle plots", "num"),
        ),
        rows=rows,
    )


def zone_worklist_section(db: ProgramDB, agency: str, today: dt.date) -> TableSection:
    """The idle plots and those under notice in the agency's zones, with the next legal step
    and its deadline (the worklist page's rows)."""
    rows = [
        {**r, "zone": z["code"]}
        for z in _operated(db, agency)
        for r in records.worklist(db, z["code"], as_of=today)
    ]
    return TableSection(
        columns=(
            ("zone", "Zone", "text"),
            ("plot", "plot", "text"),
            ("holder", "applicant", "text"),
            ("status", "status", "status"),
            ("next_step", "next step", "status"),
            ("due", "due", "date"),
            ("overdue", "overdue", "bool"),
        ),
        rows=rows,
    )


register("zones", title_en="Industrial zones", title_fa="شهرک‌های صنعتی", build=zones_section)
register(
    "zone_worklist",
    title_en="Idle-plot worklist",
    title_fa="فهرست کار قطعه‌های راکد",
    build=zone_worklist_section,
)
