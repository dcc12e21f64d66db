"""The gap report: demand items no local firm meets (no candidate above the threshold),
valued by the import they would replace, by buyer and by HS chapter; a gap becomes a
program priority in one step."""

from __future__ import annotations

import datetime as dt
from typing import Any

from exportplan.auth import Actor, check
from exportplan.errors import InputError, NotFoundError
from exportplan.reference.text import to_persian_digits
from exportplan.services.program import add_priority, priorities
from exportplan.services.program.validation import RuleError
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
                    "kind": lst.kind,
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


def default_market(kind: str, home_country: str) -> str | None:
    """The market a gap's priority names without asking: the home country for an
    import-substitution list (the imports it would replace are the home country's); None
    for a foreign buyer's request, whose market the curator names."""
    return home_country if kind == "import_substitution" else None


def to_priority(
    db: ProgramDB,
    actor: Actor,
    program_id: int,
    *,
    buyer: str,
    item_id: str,
    market: str,
    code: str | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """A program priority made from a gap item: the item's HS code, ``market`` (for an
    import-substitution list, the home country, whose imports it would replace), the buyer
    and the annual import value in the reason, in English and in Persian (kept with the
    priority as ``opportunity.reason_fa``, as a priority from the opportunity engine keeps
    it). Through the program's own service: its role check (``priority.edit``), rules and
    audit row. Refused when the item is not a gap (now), has no HS code, or is a priority of
    the program already; without ``code`` it is the next free ``P<n>``."""
    if not market.strip():
        raise RuleError(
            "market",
            "name the market of the priority: the buyer's country (an ISO3 code or a name)",
        )
    rows = {(r["buyer"], r["item_id"]): r for r in gaps(db, actor, buyer=buyer, today=today)}
    lst = matching.the_list(db, buyer)
    item = next((i for i in lst.items if i.code == item_id.strip().upper()), None)
    if item is None:
        raise NotFoundError(f"no item {item_id} in the list of {lst.buyer}")
    gap = rows.get((lst.buyer, item.code))
    if gap is None:
        raise RuleError(
            "item_id",
            f"item {item.code} of {lst.buyer} is not a gap: a local firm scores above the "
            "threshold",
            hint=f"see its candidates on /demand/{lst.buyer}",
        )
    if not item.hs_code:
        raise RuleError(
            "item_id",
            f"item {item.code} of {lst.buyer} has no HS code: a priority needs one",
            hint="give the item its HS code in the buyer's file and import it again",
        )
    held = priorities(db, program_id)
    for pr in held:
        opp = pr.get("opportunity") or {}
        if opp.get("source") == "supplier_gap" and (opp.get("buyer"), opp.get("item_id")) == (
            lst.buyer,
            item.code,
        ):
            raise RuleError(
                "item_id", f"the gap {lst.buyer} {item.code} is priority {pr['code']} already"
            )
    if code is None:
        taken, n = {pr["code"] for pr in held}, len(held) + 1
        while f"P{n}" in taken:
            n += 1
        code = f"P{n}"
    value = item.annual_value_usd
    usd = f"US${value:,.0f} a year" if value else "a value not given"
    usd_fa = (
        to_persian_digits(f"{value:,.0f}").replace(",", "٬") + " دلار در سال"
        if value
        else "ارزشی که داده نشده است"
    )
    reason = (
        f"Demand no local firm meets: item {item.code} of {lst.buyer}'s list "
        f"({item.text}), best local score "
        f"{gap['best_score'] if gap['best_score'] is not None else 'none'}; imports of "
        f"{usd} to be substituted."
    )
    reason_fa = (
        f"تقاضایی که هیچ بنگاه محلی پاسخ نمی‌دهد: ردیف {item.code} فهرست {lst.buyer} "
        f"({item.text})، بهترین امتیاز محلی "
        f"{to_persian_digits(str(gap['best_score'])) if gap['best_score'] is not None else 'هیچ'}"
        f"؛ جایگزینی واردات به ارزش {usd_fa}."
    )
    return add_priority(
        db,
        actor,
        program_id,
        code=code,
        hs_codes=[item.hs_code],
        markets=[market],
        name_en=f"Local supply of {item.text[:200]}" if item.text.isascii() else "",
        name_fa="" if item.text.isascii() else f"ساخت داخل: {item.text[:200]}",
        reason=reason,
        opportunity={
            "source": "supplier_gap",
            "buyer": lst.buyer,
            "item_id": item.code,
            "hs_code": item.hs_code,
            "annual_value_usd": value,
            "best_score": gap["best_score"],
            "reason_fa": reason_fa,
        },
    )
