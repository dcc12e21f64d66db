"""The shortlist of a buyer's demand list as a PDF for the buyer (Persian or English, Solar
Hijri dates in Persian): each item with the firms a curator shortlisted or sent, their
scores and reasons; rendered from the demand page's own context."""

from __future__ import annotations

from typing import Any

from exportplan.auth import Actor
from exportplan.i18n import label as t
from exportplan.reports.render import check_lang, pdf
from exportplan.services.suppliers import visibility
from exportplan.store.program import ProgramDB
from exportplan.views.suppliers import demand_page


def _dir(text: str) -> str:
    """``rtl`` for a text that starts in Persian letters, else ``ltr``: a Persian item in the English
    shortlist (or an English one in the Persian) is embedded in its own direction, so that
    the item id and the words keep their order."""
    for c in text:  # the first strong letter decides, as a browser's dir="auto"
        if "\u0600" <= c <= "\u06ff":
            return "rtl"
        if c.isalpha():
            return "ltr"
    return "ltr"


SHOWN = visibility.SHOWN


def firm_name(card: dict[str, str], lang: str) -> str:
    """The firm's name in the PDF's language (Persian on the Persian PDF, English else), the
    other language's when it has none."""
    first, other = ("name_fa", "name_en") if lang == "fa" else ("name_en", "name_fa")
    return card.get(first) or card.get(other) or ""


def shortlist(db: ProgramDB, who: Actor, *, buyer: str, lang: str = "fa") -> bytes:
    """The PDF bytes of the buyer's shortlist."""
    return pdf("report_shortlist.html", shortlist_context(db, who, buyer=buyer, lang=lang))


def shortlist_context(db: ProgramDB, who: Actor, *, buyer: str, lang: str = "fa") -> dict[str, Any]:
    """What the buyer's shortlist shows: each demand item with its shortlisted candidates."""
    check_lang(lang)
    ctx = demand_page(db, lang, who, buyer)
    # the buyer's view whoever prints it: an anonymous firm by its pseudonym (visibility.py)
    firms = visibility.buyer_cards(db, who, buyer=buyer, lang=lang)
    items = []
    for i in ctx.demand_items:
        chosen = []
        for c in i["candidates"]:
            if c["state"] not in SHOWN:
                continue
            card = firms.get(c["firm_id"], {})
            name = str(card.get("name") or c["firm_id"])
            certs = [
                {"standard": std, "valid_to": to, "status": t(status, lang)}
                for std, to, status in card.get("certs", [])
            ]
            chosen.append(
                {
                    **c,
                    "firm_id": card.get("ref", c["firm_id"]),
                    "named": bool(card.get("named", True)),
                    "name": name,
                    "name_dir": _dir(name),
                    "county": card.get("county", ""),
                    "county_dir": _dir(str(card.get("county", ""))),
                    "certs": certs,
                }
            )
        if chosen:
            items.append(
                {
                    **i,
                    "candidates": chosen,
                    "text_dir": _dir(str(i.get("text", ""))),
                    "unit_dir": _dir(str(i.get("unit", ""))),
                }
            )
    return {
        "lang": lang,
        "dir": ctx.dir,
        "title": t("Shortlist for the buyer", lang) + f" {buyer}",
        "subtitle": ctx.title,
        "subtitle_dir": _dir(ctx.title),
        "items": items,
        "synthetic": True,
        "t": t,
    }
