"""What a buyer may see of a firm (the design's ``Firm.visibility``, EEN practice): a firm is
named to a buyer when its visibility is ``public``, when the buyer is its own (the buyer's
vendor list holds the firm: the buyer knows it already), or once an introduction to that
buyer was accepted (or held); otherwise (``anonymous``, the default, and ``private``) the
buyer sees a stable pseudonym («Supplier A-017», «تأمین‌کننده الف-۰۱۷») with the county,
the capabilities and the certificates' status, never the name, the firm id, the national id
or the trade card. Curators (administrators and secretaries) see names on the internal
pages; what goes to a buyer (the shortlist PDF, its JSON, and the shortlist shown to anyone
else) is the buyer's view whoever asks for it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from exportplan.auth import Actor, check
from exportplan.reference.text import to_persian_digits
from exportplan.services.suppliers.matching import the_list
from exportplan.services.suppliers.registry import cert_status
from exportplan.store.program import ProgramDB
from exportplan.store.suppliers import queries

#: the curation states in which a match goes to the buyer (its shortlist)
SHOWN = ("shortlisted", "sent_to_buyer", "accepted_by_buyer", "introduced")
#: roles that see every firm's name on the internal pages
CURATORS = ("admin", "secretary")
#: vendor-list statuses under which the buyer knows the firm (it listed it, or it applied)
OWN_LIST = ("listed", "applied", "suspended")


def pseudonym(firm_db_id: int, lang: str) -> str:
    """A firm's stable pseudonym: the same firm has the same one on every list and in every
    language (its number in the store, which says nothing of its name or its firm id)."""
    ref = f"A-{firm_db_id:03d}"
    return f"تأمین‌کننده الف-{to_persian_digits(ref[2:])}" if lang == "fa" else f"Supplier {ref}"


def named_to(f: queries.FirmRecord, buyer: str, introduced: set[int]) -> bool:
    """Whether ``buyer`` may see the firm's name."""
    if f.visibility == "public" or f.id in introduced:
        return True
    return any(code == buyer and status in OWN_LIST for code, _, _, status, _ in f.lists)


def buyer_cards(
    db: ProgramDB, actor: Actor, *, buyer: str, lang: str, today: dt.date | None = None
) -> dict[str, dict[str, Any]]:
    """What the buyer sees of each firm, by firm id: ``named``, ``ref`` (the firm id, or the
    pseudonym), ``name`` (in ``lang``, the other language's when it has none, or the
    pseudonym), the county, the capabilities and the certificates ``(standard, valid to,
    status)``."""
    check(actor, "read")
    lst = the_list(db, buyer)
    introduced = queries.introduced_firms(db, lst.id)
    on = today or dt.date.today()
    first, other = ("name_fa", "name_en") if lang == "fa" else ("name_en", "name_fa")
    out: dict[str, dict[str, Any]] = {}
    for f in queries.registry(db):
        named = named_to(f, lst.buyer, introduced)
        names = {"name_fa": f.name_fa, "name_en": f.name_en}
        out[f.code] = {
            "named": named,
            "ref": f.code if named else pseudonym(f.id, "en").removeprefix("Supplier "),
            "name": (names[first] or names[other] or f.code) if named else pseudonym(f.id, lang),
            "county": f.county,
            "capabilities": [text for _, text, _, _, _ in f.capabilities],
            "certs": [(std, b, cert_status(b, m, on)) for _, std, _, b, m in f.certs],
        }
    return out


def sees_names(actor: Actor) -> bool:
    """Whether the actor sees every firm's name on the internal pages."""
    return actor.role in CURATORS
