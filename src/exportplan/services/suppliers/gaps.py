"""The gap report: demand items no local firm meets (no candidate above the threshold),
valued by the import they would replace, by buyer and by HS chapter; a gap becomes a
program priority in one step."""

from __future__ import annotations

import datetime as dt
from typing import Any

from exportplan.auth import Actor, check
from exportplan.errors import InputError
from exportplan.services.suppliers import matching
from exportplan.store.program.db import ProgramDB
from exportplan.store.suppliers import queries


def gaps(
    db: ProgramDB, actor: Actor, *, buyer: str | None = None, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Every gap item of one buyer's list (or of all), with its value and best score."""
    check(actor, "read")
    lists = [matching.the_list(db, buyer)] if buyer else queries.demand_lists(db)
    out: list[dict[str, Any]] = []
    for lst in lists:
        if not lst.items:
            continue
        try:
            results = matching.run(db, actor, buyer=lst.buyer, top=1, today=today)
        except InputError:
            results = []
        items = {i.code: i for i in lst.items}
        for r in results:
            if not r.gap:
                continue
            i = items[r.item]
            out.append(
                {
                    "buyer": lst.buyer,
                    "item_id": i.code,
                    "description": i.text,
                    "hs_code": i.hs_code,
                    "hs_chapter": i.hs_code[:2],
                    "annual_value_usd": i.annual_value_usd,
                    "best_score": round(r.candidates[0].score, 3) if r.candidates else None,
                }
            )
    return out


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Gap value by buyer and by HS chapter (items without a value counted, not summed)."""
    by_buyer: dict[str, float] = {}
    by_chapter: dict[str, float] = {}
    for r in rows:
        v = r["annual_value_usd"] or 0.0
        by_buyer[r["buyer"]] = by_buyer.get(r["buyer"], 0.0) + v
        ch = r["hs_chapter"] or "—"
        by_chapter[ch] = by_chapter.get(ch, 0.0) + v
    return {
        "items": len(rows),
        "valued": sum(1 for r in rows if r["annual_value_usd"]),
        "total_usd": sum(r["annual_value_usd"] or 0.0 for r in rows),
        "by_buyer": dict(sorted(by_buyer.items())),
        "by_chapter": dict(sorted(by_chapter.items())),
    }
