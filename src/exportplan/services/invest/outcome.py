"""The bridge from a project to exports: an operating project's firm's exports from the
warehouse per Solar Hijri year and definition, against the exports the project expected in its
third year. The customs data name exporters (no trade card or national id), so the firm is
found by ``exporter_name``; an operating project without one is "exports not trackable"."""

from __future__ import annotations

from typing import Any

from exportplan.services.invest.figures import not_trackable
from exportplan.store.invest.queries import project_rows
from exportplan.store.program.db import ProgramDB
from exportplan.store.warehouse.queries import exporter_exports
from exportplan.workspace import Workspace

__all__ = ["outcomes"]


def outcomes(ws: Workspace, db: ProgramDB) -> list[dict[str, Any]]:
    """Each operating project: its exports by year (None when not trackable) and expected."""
    out: list[dict[str, Any]] = []
    rows = [p for p in project_rows(db) if p["stage"] == "operating"]
    if not rows:
        return out
    with ws.warehouse(read_only=True) as con:
        for p in rows:
            flag = not_trackable(p)
            years = [] if flag else exporter_exports(con, ws.home_region, p["exporter_name"])
            out.append(
                {
                    "code": p["code"],
                    "exporter_name": p["exporter_name"],
                    "trade_card_no": p["trade_card_no"],
                    "exports_not_trackable": flag,
                    "exports_by_year": years,
                    "expected_exports_usd_y3": p["expected_exports_usd_y3"],
                }
            )
    return out
