"""The suppliers' JSON API (``/api/v1/suppliers``, in the same OpenAPI document): the
registry, a firm, a buyer's demand list with its stored candidates, a matching run, a
curator's decision on a match, the introductions and what they led to, the gap report and a
gap made a program priority. Bearer
tokens as for the rest of the API; the same services, role checks and audit rows as the
pages and the command line."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from exportplan.errors import NotFoundError
from exportplan.services.plan_of_record import choose_program
from exportplan.services.suppliers import curation, gaps, matching, registry, visibility
from exportplan.store.program import ProgramDB
from exportplan.web.api import ERRORS, Code, Id, Strict, Who

__all__ = ["DecisionIn", "GapPriorityIn", "OutcomeIn", "router"]


class DecisionIn(Strict):
    """A curator's decision: the state (``shortlisted``, ``rejected``, ``sent_to_buyer``,
    ``accepted_by_buyer``), a rejection's reason, a note, and the version read."""

    state: Annotated[str, Field(max_length=20)]
    reason: Annotated[str, Field(max_length=40)] = ""
    note: Annotated[str, Field(max_length=2000)] = ""
    version: Annotated[int, Field(ge=1)]


class GapPriorityIn(Strict):
    """A gap item made a program priority; the program of record when ``program_id`` is
    left out, and the home country as the market of an import-substitution list."""

    buyer: Code
    item_id: Code
    market: Annotated[str, Field(max_length=100)] = ""
    program_id: Annotated[int | None, Field(ge=1)] = None
    code: Code | None = None


class OutcomeIn(Strict):
    """What an introduction led to: its status, the outcome and a contract's value in USD,
    with the version read."""

    status: Annotated[str, Field(max_length=20)]
    outcome: Annotated[str, Field(max_length=30)] = "none"
    value_usd: Annotated[float | None, Field(ge=0, le=1e13, allow_inf_nan=False)] = None
    version: Annotated[int, Field(ge=0)]


class CandidateOut(BaseModel):
    firm_id: str
    score: float
    reasons: list[str]


class ExcludedOut(BaseModel):
    firm_id: str
    reason: str


class ItemRunOut(BaseModel):
    item_id: str
    gap: bool
    candidates: list[CandidateOut]
    excluded: list[ExcludedOut]


def router(db: ProgramDB, *, home_region: str, home_country: str) -> APIRouter:
    r = APIRouter(prefix="/api/v1/suppliers", tags=["suppliers"], responses=ERRORS)

    @r.get("/firms")
    def firms(
        who: Who,
        q: Annotated[str, Query(max_length=200)] = "",
        code: Annotated[str, Query(max_length=12)] = "",
        cert: Annotated[str, Query(max_length=40)] = "",
    ) -> list[dict[str, Any]]:
        """The registry (as ``/suppliers``): text in Persian or English, a code prefix, a
        certificate."""
        return registry.search(db, who, text=q, code=code, certification=cert)

    @r.get("/firms/{code}")
    def firm(who: Who, code: Code) -> dict[str, Any]:
        """A firm: capabilities with codes, certificates with their status today, and each
        buyer's vendor list as its own row (never merged)."""
        return registry.firm(db, who, code)

    @r.get("/demand/{buyer}")
    def demand(who: Who, buyer: Code) -> dict[str, Any]:
        """A buyer's demand list: its items and the stored candidates of each (score,
        reasons, curation state), best first."""
        lst = matching.the_list(db, buyer)
        stored = curation.matches(db, who, buyer=lst.buyer)
        if not visibility.sees_names(who):  # an anonymous firm by its pseudonym (visibility.py)
            cards = visibility.buyer_cards(db, who, buyer=lst.buyer, lang="en")
            for m in stored:
                card = cards[m["firm_id"]]
                m["firm_id"], m["firm"] = card["ref"], card["name"]
        items = []
        for i in lst.items:
            items.append(
                {
                    "item_id": i.code,
                    "description": i.text,
                    "hs_code": i.hs_code,
                    "quantity": i.quantity,
                    "unit": i.unit,
                    "needed_by": i.needed_by.isoformat() if i.needed_by else None,
                    "required_certifications": list(i.required_certifications or ()),
                    "required_vendor_list": i.required_vendor_list,
                    "annual_value_usd": i.annual_value_usd,
                    "candidates": [m for m in stored if m["item_id"] == i.code],
                }
            )
        return {"buyer": lst.buyer, "kind": lst.kind, "title_fa": lst.title_fa,
                "title_en": lst.title_en, "items": items}  # fmt: skip

    @r.get("/demand/{buyer}/shortlist")
    def shortlist(
        who: Who, buyer: Code, lang: Annotated[str, Query(pattern="^(fa|en)$")] = "en"
    ) -> dict[str, Any]:
        """What goes to the buyer (as the shortlist PDF): each item's shortlisted or sent
        firms, a firm whose visibility is anonymous by its pseudonym until an introduction to
        this buyer is accepted (``named`` false: no name, firm id, national id or trade card),
        with its county, capabilities and certificates' status."""
        lst = matching.the_list(db, buyer)
        cards = visibility.buyer_cards(db, who, buyer=lst.buyer, lang=lang)
        items: dict[str, dict[str, Any]] = {}
        for m in curation.matches(db, who, buyer=lst.buyer):
            if m["state"] not in visibility.SHOWN:
                continue
            card = cards[m["firm_id"]]
            item = items.setdefault(
                m["item_id"], {"item_id": m["item_id"], "description": m["item"], "firms": []}
            )
            item["firms"].append(
                {
                    "ref": card["ref"],
                    "named": card["named"],
                    "name": card["name"],
                    "county": card["county"],
                    "capabilities": card["capabilities"],
                    "certifications": [
                        {
                            "standard": std,
                            "valid_to": to.isoformat() if to else None,
                            "status": status,
                        }
                        for std, to, status in card["certs"]
                    ],
                    "score": m["score"],
                    "state": m["state"],
                }
            )
        return {"buyer": lst.buyer, "items": list(items.values())}

    @r.post("/demand/{buyer}/match", response_model=list[ItemRunOut])
    def run(
        who: Who, buyer: Code, top: Annotated[int, Query(ge=1, le=100)] = 10
    ) -> list[dict[str, object]]:
        """``exportplan match run --json --record``: the candidates and excluded firms of each
        item, stored as proposed matches (a curator's earlier decision is kept)."""
        return [x.as_dict() for x in matching.run(db, who, buyer=buyer, top=top, record=True)]

    @r.post("/matches/{match_id}")
    def decide(who: Who, match_id: Id, body: DecisionIn) -> dict[str, Any]:
        """A curator's decision on a match (the label kept for evaluation)."""
        return curation.decide(
            db, who, match_id, state=body.state, reason=body.reason, note=body.note,
            version=body.version,
        )  # fmt: skip

    @r.get("/introductions")
    def introductions(who: Who) -> list[dict[str, Any]]:
        """Every introduction with its firm, item, expiry, status and outcome."""
        return curation.introductions(db, who)

    @r.post("/introductions/{intro_id}")
    def outcome(who: Who, intro_id: Id, body: OutcomeIn) -> dict[str, Any]:
        """What an introduction led to (the same service as the page's form)."""
        return curation.record_outcome(
            db, who, intro_id, status=body.status, outcome=body.outcome,
            value_usd=body.value_usd, version=body.version,
        )  # fmt: skip

    @r.get("/gaps")
    def gap_report(who: Who) -> dict[str, Any]:
        """The demand no local firm meets, valued, with the totals by buyer and chapter."""
        rows = gaps.gaps(db, who)
        return {"gaps": rows, "summary": gaps.summary(rows)}

    @r.post("/gaps/priority", status_code=201)
    def gap_priority(who: Who, body: GapPriorityIn) -> dict[str, Any]:
        """A gap made a program priority (the program's own service and role check)."""
        program_id = body.program_id
        if program_id is None:
            chosen = choose_program(db, region=home_region).program
            if chosen is None:
                raise NotFoundError(
                    "there is no program yet", hint="create the year's program first"
                )
            program_id = chosen.id
        market = body.market
        if not market:
            lst = matching.the_list(db, body.buyer)
            market = gaps.default_market(lst.kind, home_country) or ""
        return gaps.to_priority(
            db, who, program_id, buyer=body.buyer, item_id=body.item_id, market=market,
            code=body.code,
        )  # fmt: skip

    return r
