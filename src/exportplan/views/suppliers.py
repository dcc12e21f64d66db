"""The supplier pages' contexts: the registry with its search, a firm (capabilities,
certificates with their status, vendor lists side by side, exports), a buyer's demand list
(candidates with reasons, the excluded and why, curation), the gap report, introductions."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from exportplan.auth import Actor
from exportplan.domain import INTRODUCTION_OUTCOMES, INTRODUCTION_STATUSES, REJECT_REASONS
from exportplan.i18n import label as t
from exportplan.i18n import message_text, warning_text
from exportplan.services.suppliers import curation, gaps, matching, registry
from exportplan.store.program import ProgramDB
from exportplan.views.context import PageContext
from exportplan.views.format import fmt, product_label, sh_date
from exportplan.views.tables import table

__all__ = [
    "demand_page",
    "firm_page",
    "gaps_page",
    "introductions_page",
    "reason_text",
    "suppliers_page",
]


def _named_codes(codes: list[str], lang: str) -> str:
    """A firm's codes, each HS code with its name in the page's language (``HS 848180`` or
    ``848180``); a code of another system as written."""
    out = []
    for c in codes:
        raw = str(c).removeprefix("HS ").strip()
        out.append(product_label(raw, lang) if raw.isdigit() else str(c))
    return ("؛ " if lang == "fa" else "; ").join(out)


def reason_text(template: str, values: dict[str, Any], lang: str) -> str:
    """A matching reason in the page's language (dates as Solar Hijri days in Persian)."""
    shown = {}
    for k, v in values.items():
        if isinstance(v, dt.date) or (isinstance(v, str) and len(v) == 10 and v[4:5] == "-"):
            v = sh_date(str(v), lang) if lang == "fa" else str(v)
        shown[k] = (
            t(v, lang)
            if isinstance(v, str)
            and v
            in (
                "absent",
                "suspended",
                "applied",
                "removed",
                "exact",
                "heading",
                "subheading",
                "chapter",
            )
            else v
        )
        if k in ("a", "b") and isinstance(v, str) and v.removeprefix("HS ").isdigit():
            shown[k] = product_label(v.removeprefix("HS "), lang)  # a code with its name
        elif k == "capacity" and isinstance(v, int | float):  # not "4.268e+04"
            shown[k] = fmt(v, "num", lang)
        elif k == "unit" and isinstance(v, str):
            shown[k] = t(v, lang) if lang == "fa" else v
    return warning_text(template, "fa" if lang == "fa" else "en", **shown)


@dataclass(kw_only=True)
class SuppliersContext(PageContext):
    q: str = ""
    code: str = ""
    cert: str = ""
    #: what an upload on the page imported (:func:`import_result`), None before one
    imported: dict[str, Any] | None = None


def import_result(summary: Any, kind: str, lang: str) -> dict[str, Any]:
    """What an uploaded registry file or demand list did: its counts and its rejected rows
    (file, row, column, value, and the reason in the page's language; the column by the
    header a Persian file gives it)."""
    from exportplan.reference.supplier_errors import COLUMNS

    rows = [
        {
            "file": summary.file_name,
            "row": r.row,
            "column": COLUMNS.get(r.column, r.column) if lang == "fa" else r.column,
            "value": r.value,
            "reason": message_text(r.reason, lang),
        }
        for r in summary.rejects
    ]
    what = "firms" if kind == "firms" else "items"
    text = warning_text(
        "{file}: rows read {read}, accepted {accepted}, rejected {rejected}; {what} created "
        "{created}, updated {updated}",
        "fa" if lang == "fa" else "en",
        file=summary.file_name,
        read=summary.rows_read,
        accepted=summary.rows_accepted,
        rejected=summary.rows_rejected,
        what=t(what, lang),
        created=summary.created,
        updated=summary.updated,
    )
    if summary.already_imported:
        text += " " + t("(this file was imported before: nothing changed)", lang)
    return {
        "message": text,
        "rejects": table(
            t("Rejected rows", lang),
            rows,
            [
                ("file", "file", "data"),
                ("row", "row", "num"),
                ("column", "column", "text"),
                ("value", "value", "data"),
                ("reason", "reason", "text"),
            ],
            lang,
        ),
    }


def suppliers_page(
    db: ProgramDB,
    lang: str,
    who: Actor,
    *,
    q: str = "",
    code: str = "",
    cert: str = "",
    today: dt.date | None = None,
    imported: dict[str, Any] | None = None,
) -> SuppliersContext:
    rows = registry.search(db, who, text=q, code=code, certification=cert, today=today)
    for r in rows:
        r["codes"] = _named_codes(r["codes"], lang)
        if lang == "fa":  # the registry's states in Persian ("ISO 9001 (valid)", "NIOC listed")
            r["state"] = t(str(r["state"]), lang)
            r["certifications"] = re.sub(
                r"\((\w+)\)", lambda m: f"({t(m.group(1), lang)})", str(r["certifications"] or "")
            ).replace("; ", "؛ ")
            r["lists"] = "؛ ".join(
                f"{part.rsplit(' ', 1)[0]} {t(part.rsplit(' ', 1)[-1], lang)}"
                for part in str(r["lists"] or "").split("; ")
                if part
            )
    return SuppliersContext(
        page="suppliers",
        title=t("Supplier registry", lang),
        lang=lang,
        tables={
            "firms": table(
                t("Supplier registry", lang),
                rows,
                [
                    ("firm_id", "firm id", "text"),
                    ("name", "name", "data"),
                    ("state", "state", "text"),
                    ("county", "county", "text"),
                    ("capabilities", "capabilities", "num"),
                    ("codes", "codes", "text"),
                    ("certifications", "certifications", "text"),
                    ("lists", "vendor lists", "text"),
                ],
                lang,
            )
        },
        q=q,
        code=code,
        cert=cert,
        imported=imported,
    )


@dataclass(kw_only=True)
class FirmContext(PageContext):
    firm: dict[str, Any] = field(default_factory=dict)


def firm_page(
    db: ProgramDB,
    lang: str,
    who: Actor,
    code: str,
    *,
    exports: list[dict[str, Any]] | None = None,
    today: dt.date | None = None,
) -> FirmContext:
    f = registry.firm(db, who, code, today=today)
    certs = [{**c, "status": t(c["status"], lang)} for c in f["cert_rows"]]
    caps = [{**c, "codes": _named_codes(c["codes"], lang)} for c in f["capability_rows"]]
    lists = [{**x, "status": t(x["status"], lang)} for x in f["list_rows"]]
    tables = {
        "capabilities": table(
            t("Capabilities", lang),
            caps,
            [
                ("text", "text", "data"),
                ("codes", "codes", "text"),
                ("capacity", "capacity", "num"),
                ("unit", "unit", "term"),
            ],
            lang,
        ),
        "certificates": table(
            t("Certificates", lang),
            certs,
            [
                ("standard", "standard", "text"),
                ("valid_from", "valid from", "date"),
                ("valid_to", "valid to", "date"),
                ("status", "status", "text"),
            ],
            lang,
        ),
        "lists": table(
            t("Vendor lists (each buyer's own, side by side)", lang),
            lists,
            [
                ("list", "list", "text"),
                ("category", "category", "text"),
                ("grade", "grade", "text"),
                ("status", "status", "text"),
                ("as_of", "list date", "date"),
            ],
            lang,
        ),
        "exports": table(
            t("Exports (customs data, by trade card)", lang),
            exports or [],
            [
                ("sh_year", "year", "digits"),
                ("definition", "definition", "term"),
                ("value_usd", "value (USD)", "usd"),
            ],
            lang,
        ),
    }
    return FirmContext(
        page="supplier_firm",
        title=f"{f['name']} ({f['firm_id']})",
        lang=lang,
        tables=tables,
        firm={k: v for k, v in f.items() if not k.endswith("_rows")},
    )


@dataclass(kw_only=True)
class DemandContext(PageContext):
    buyer: str = ""
    demand_items: list[dict[str, Any]] = field(default_factory=list)
    reject_reasons: dict[str, str] = field(default_factory=dict)
    may_curate: bool = False
    buyers: list[str] = field(default_factory=list)


def demand_page(
    db: ProgramDB, lang: str, who: Actor, buyer: str, *, today: dt.date | None = None
) -> DemandContext:
    """Each item with its best candidates (reasons, score parts), the firms excluded and why,
    and the stored matches' curation states."""
    lst = matching.the_list(db, buyer)
    results = {r.item: r for r in matching.run(db, who, buyer=lst.buyer, top=5, today=today)}
    stored: dict[tuple[str, str], dict[str, Any]] = {
        (m["item_id"], m["firm_id"]): m for m in curation.matches(db, who, buyer=lst.buyer)
    }
    items = []
    flat = []
    for i in lst.items:
        r = results[i.code]
        cands = []
        for c in r.candidates:
            m = stored.get((i.code, c.firm))
            cands.append(
                {
                    "firm_id": c.firm,
                    "score": round(c.score, 3),
                    "reasons": [reason_text(x.template, dict(x.values), lang) for x in c.reasons],
                    # the English side of a glossary match: the buyer's words, shown as data
                    "reasons_en": [str(dict(x.values).get("en") or "") for x in c.reasons],
                    "match_id": m["match_id"] if m else None,
                    "version": m["version"] if m else None,
                    "state": m["state"] if m else "",
                    "state_label": t(m["state"], lang) if m else "",
                }
            )
            flat.append(
                {
                    "item_id": i.code,
                    "firm_id": c.firm,
                    "score": round(c.score, 3),
                    "state": m["state"] if m else "",
                }
            )
        items.append(
            {
                "item_id": i.code,
                "text": i.text,
                "hs_code": i.hs_code,
                "quantity": i.quantity,
                "unit": i.unit,
                "needed_by": i.needed_by,
                "required": i.required_certifications,
                "value": i.annual_value_usd,
                "gap": r.gap,
                "candidates": cands,
                "excluded": [
                    {
                        "firm_id": e.firm,
                        "reason": reason_text(e.reason.template, dict(e.reason.values), lang),
                    }
                    for e in r.excluded
                ],
            }
        )
    title = (lst.title_fa if lang == "fa" else lst.title_en) or lst.title_en or lst.title_fa
    return DemandContext(
        page="demand",
        title=f"{t('Demand list', lang)} {lst.buyer}: {title}",
        lang=lang,
        tables={
            "candidates": table(
                t("Candidates", lang),
                flat,
                [
                    ("item_id", "item", "text"),
                    ("firm_id", "firm id", "text"),
                    ("score", "score", "num"),
                    ("state", "state", "status"),
                ],
                lang,
            )
        },
        buyer=lst.buyer,
        demand_items=items,
        may_curate=who.may("match.curate"),
        reject_reasons={r: t(r, lang) for r in REJECT_REASONS},
        buyers=matching.buyers(db),
    )


@dataclass(kw_only=True)
class GapsContext(PageContext):
    summary: dict[str, Any] = field(default_factory=dict)
    #: one "add to the program" form per gap with an HS code: buyer, item, market (empty
    #: when the curator names it)
    to_program: list[dict[str, str]] = field(default_factory=list)


def gaps_page(
    db: ProgramDB,
    lang: str,
    who: Actor,
    *,
    today: dt.date | None = None,
    home_country: str = "IRN",
) -> GapsContext:
    raw = gaps.gaps(db, who, today=today)
    to_program = (
        [
            {
                "buyer": r["buyer"],
                "item_id": r["item_id"],
                "market": gaps.default_market(r["kind"], home_country) or "",
            }
            for r in raw
            if r["hs_code"]
        ]
        if who.may("priority.edit")
        else []
    )
    rows = [{**r, "hs_code": _named_codes(str(r.get("hs_code") or "").split(), lang)} for r in raw]
    return GapsContext(
        to_program=to_program,
        page="gaps",
        title=t("Gap report", lang),
        lang=lang,
        tables={
            "gaps": table(
                t("Demand no local firm meets", lang),
                rows,
                [
                    ("buyer", "buyer", "text"),
                    ("item_id", "item", "text"),
                    ("description", "text", "data"),
                    ("hs_code", "codes", "text"),
                    ("annual_value_usd", "annual import value (USD)", "usd"),
                    ("best_score", "best score", "num"),
                ],
                lang,
            )
        },
        summary=gaps.summary(raw),
    )


@dataclass(kw_only=True)
class IntroductionsContext(PageContext):
    """The introductions; ``editable``: for a curator, each one's status and outcome for the
    form that records what it led to; ``statuses``/``outcomes``: (code, label) choices."""

    editable: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[tuple[str, str]] = field(default_factory=list)
    outcomes: list[tuple[str, str]] = field(default_factory=list)


def introductions_page(
    db: ProgramDB, lang: str, who: Actor, *, now: dt.datetime | None = None
) -> PageContext:
    rows = curation.introductions(db, who, now=now)
    editable = (
        [
            {k: r[k] for k in ("introduction_id", "version", "firm_id", "item_id", "status")}
            | {"outcome": r["outcome"], "value": r["contract_value_usd"]}
            for r in rows
        ]
        if who.may("match.curate")
        else []
    )
    for r in rows:
        r["status"] = t(r["status"], lang)
    return IntroductionsContext(
        editable=editable,
        statuses=[(s, t(s, lang)) for s in INTRODUCTION_STATUSES],
        outcomes=[(o, t(o, lang)) for o in INTRODUCTION_OUTCOMES],
        page="introductions",
        title=t("Introductions", lang),
        lang=lang,
        tables={
            "introductions": table(
                t("Introductions", lang),
                rows,
                [
                    ("firm_id", "firm id", "text"),
                    ("item_id", "item", "text"),
                    ("requested_at", "requested", "date"),
                    ("expires_at", "expires", "date"),
                    ("days_left", "days left", "num"),
                    ("status", "status", "text"),
                    ("outcome", "outcome", "status"),
                    ("contract_value_usd", "contract value", "usd"),
                ],
                lang,
            )
        },
    )
