"""Measuring a matcher against gold pairs: Recall@k, P@k and MRR over the items that have
correct firms, coverage, and the precision and recall of the declared gaps (Manning, Raghavan
& Schütze 2008, ch. 8); and a check that no candidate fails a hard filter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from exportplan.analytics.matching import FirmFacts, ItemResult, Need, Offer, hard_filter


def evaluate(results: Sequence[ItemResult], gold: dict[str, set[str]]) -> dict[str, Any]:
    """Metrics of ``results`` on the gold items (``gold[item]`` empty: a gap item)."""
    by_item = {r.item: r for r in results}
    rec10: list[float] = []
    p5: list[float] = []
    rr: list[float] = []
    declared = [i for i in gold if by_item[i].gap]
    true_gaps = [i for i in gold if not gold[i]]
    per_item = []
    for item, firms in sorted(gold.items()):
        ranked = [c.firm for c in by_item[item].candidates]
        if firms:
            hits10 = len(firms & set(ranked[:10]))
            rec10.append(hits10 / len(firms))
            p5.append(len(firms & set(ranked[:5])) / 5)
            first = next((k for k, f in enumerate(ranked, 1) if f in firms), None)
            rr.append(1.0 / first if first else 0.0)
            per_item.append(
                {
                    "item_id": item,
                    "gold": sorted(firms),
                    "top": ranked[:10],
                    "first_correct_rank": first,
                    "gap": by_item[item].gap,
                }
            )
        else:
            per_item.append(
                {
                    "item_id": item,
                    "gold": [],
                    "top": ranked[:10],
                    "first_correct_rank": None,
                    "gap": by_item[item].gap,
                }
            )

    def mean(xs: list[float]) -> float | None:
        return round(sum(xs) / len(xs), 4) if xs else None

    hit_gaps = [i for i in declared if not gold[i]]
    return {
        "items": len(gold),
        "items_with_suppliers": len(rec10),
        "gap_items": len(true_gaps),
        "recall_at_10": mean(rec10),
        "p_at_5": mean(p5),
        "mrr": mean(rr),
        "coverage": round(1 - len(declared) / len(gold), 4) if gold else None,
        "gaps_declared": len(declared),
        "gap_precision": round(len(hit_gaps) / len(declared), 4) if declared else None,
        "gap_recall": round(len(hit_gaps) / len(true_gaps), 4) if true_gaps else None,
        "per_item": per_item,
    }


def violations(
    results: Sequence[ItemResult],
    needs: Sequence[Need],
    offers: Sequence[Offer],
    firms: Sequence[FirmFacts],
    *,
    today: dt.date,
) -> list[dict[str, str]]:
    """Candidates that fail a hard filter, checked again from the inputs (none expected)."""
    need = {n.item: n for n in needs}
    facts = {f.firm: f for f in firms}
    offer = {o.capability_id: o for o in offers}
    out = []
    for r in results:
        for c in r.candidates:
            f = facts.get(c.firm, FirmFacts(c.firm, False))
            why = hard_filter(f, need[r.item], offer.get(c.capability_id), today)
            if why is not None:
                out.append({"item_id": r.item, "firm_id": c.firm, "reason": why.text()})
    return out
