"""Running the matcher over the registry and a buyer's demand list, recording the proposed
matches for curation, and measuring it against a gold file (Recall@10, P@5, MRR, gap
precision).

The registry and the list are read from the program store, turned into the pure inputs of
:mod:`exportplan.analytics.matching` and matched with the shipped glossary; only validated
firms are matched (the others are shown as excluded).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select

from exportplan.analytics import match_eval
from exportplan.analytics.matching import (
    ENGINE_VERSION,
    Cert,
    FirmFacts,
    ItemResult,
    Need,
    Offer,
    Weights,
    match,
)
from exportplan.analytics.text_similarity import Glossary, Term
from exportplan.auth import Actor, check
from exportplan.domain import MATCHED_FIRM_STATES
from exportplan.errors import InputError, NotFoundError
from exportplan.reference.concordance import code_map
from exportplan.reference.glossary import supplier_glossary
from exportplan.reference.text import normalise
from exportplan.services.suppliers import embedding
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import as_dict
from exportplan.store.program.writes import write
from exportplan.store.suppliers import queries
from exportplan.store.suppliers.models import Match
from exportplan.store.suppliers.queries import FirmRecord, ListRecord


def glossary() -> Glossary:
    return Glossary([Term(en, fa, domain) for en, fa, domain, _ in supplier_glossary()])


def inputs(firms: list[FirmRecord]) -> tuple[list[Offer], list[FirmFacts]]:
    """The registry as the matcher takes it."""
    offers: list[Offer] = []
    facts: list[FirmFacts] = []
    for f in firms:
        for cid, text, codes, cap, unit in f.capabilities:
            offers.append(Offer(f.code, cid, text, tuple(codes), cap, unit))
        certs = tuple(Cert(std, a, b, method != "none") for _, std, a, b, method in f.certs)
        lists = tuple((code, status) for code, _, _, status, _ in f.lists)
        facts.append(FirmFacts(f.code, f.state in MATCHED_FIRM_STATES, certs, lists))
    return offers, facts


def needs(lst: ListRecord) -> list[Need]:
    return [
        Need(
            i.code,
            i.text,
            (("HS", i.hs_code),) if i.hs_code else (),
            i.quantity,
            i.unit,
            i.needed_by,
            tuple(i.required_certifications or ()),
            i.required_vendor_list,
        )
        for i in lst.items
    ]


def the_list(db: ProgramDB, buyer: str) -> ListRecord:
    code = normalise(buyer).upper()
    lst = queries.demand_list(db, code)
    if lst is None:
        known = [x.buyer for x in queries.demand_lists(db)]
        raise NotFoundError(
            f"no demand list of buyer {code}",
            hint=(
                f"buyers with lists: {', '.join(known)}"
                if known
                else "import one: exportplan demand import FILE.csv --buyer CODE"
            ),
        )
    return lst


def buyers(db: ProgramDB) -> list[str]:
    """The buyers with a demand list."""
    return [x.buyer for x in queries.demand_lists(db)]


def run(
    db: ProgramDB,
    actor: Actor,
    *,
    buyer: str,
    top: int = 10,
    today: dt.date | None = None,
    record: bool = False,
    weights: Weights | None = None,
) -> list[ItemResult]:
    """Candidates and excluded firms of each item of the buyer's list, best first, ties by
    firm id; with ``record``, the candidates are stored as proposed matches (a curator's
    decision on an earlier match is kept)."""
    check(actor, "read")
    if not 1 <= top <= 100:
        raise InputError(f"--top must be between 1 and 100; got {top}")
    lst = the_list(db, buyer)
    firms = queries.registry(db)
    if not any(f.state in MATCHED_FIRM_STATES for f in firms):
        raise InputError(
            "no validated firms in the registry: nothing to match",
            hint="import the registry as an administrator or secretary (exportplan suppliers "
            "import FILE.csv), or validate the firms imported as drafts",
        )
    offers, facts = inputs(firms)
    results = match(
        needs(lst),
        offers,
        facts,
        glossary=glossary(),
        top=top,
        weights=weights,
        today=today or dt.date.today(),
        concordance=code_map(),
        embed=embedding.from_settings(),
    )
    if record:
        _record(db, actor, lst, firms, results)
    return results


def _record(
    db: ProgramDB, actor: Actor, lst: ListRecord, firms: list[FirmRecord], results: list[ItemResult]
) -> None:
    firm_id = {f.code: f.id for f in firms}
    item_id = {i.code: i.id for i in lst.items}
    with write(db, actor, "match.curate", f"matches of {lst.buyer}") as ch:
        s = ch.session
        old = {
            (m.item_id, m.firm_id): m
            for m in s.scalars(select(Match).where(Match.item_id.in_(list(item_id.values()))))
        }
        for r in results:
            iid = item_id[r.item]
            for c in r.candidates:
                m = old.pop((iid, firm_id[c.firm]), None)
                if m is None:
                    m = Match(item_id=iid, firm_id=firm_id[c.firm])
                    ch.add(m)
                m.capability_id = c.capability_id
                m.score = c.score
                m.score_parts = dict(c.parts)
                m.reasons = [
                    {"template": x.template, "values": {k: str(v) for k, v in x.values}}
                    for x in c.reasons
                ]
                m.engine_version = ENGINE_VERSION
        for m in old.values():  # no longer proposed: dropped unless a curator decided it
            if m.state == "proposed":
                ch.delete(m)
        ch.flush()
        ch.audit("update", "demand_list", lst.id, None, {"matched": len(results)})


def read_gold(path: Path) -> dict[str, set[str]]:
    """A gold file (``item_id, firm_id``; an empty firm id marks a gap item)."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    gold: dict[str, set[str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {"item_id", "firm_id"} <= set(reader.fieldnames):
            raise InputError(
                f"{path.name}: a gold file has the columns item_id, firm_id; "
                f"found {', '.join(reader.fieldnames or [])}"
            )
        for row in reader:
            item = normalise(row["item_id"] or "").upper()
            if not item:
                continue
            firms = gold.setdefault(item, set())
            if (row.get("label") or "relevant").strip() not in ("relevant", ""):
                continue
            firm = normalise(row["firm_id"] or "").upper()
            if firm:
                firms.add(firm)
    return gold


def evaluate(
    db: ProgramDB,
    actor: Actor,
    *,
    buyer: str,
    gold: Path,
    today: dt.date | None = None,
    weights: Weights | None = None,
) -> dict[str, Any]:
    """The matcher measured against a gold file: Recall@10, P@5, MRR, coverage, gap
    precision and recall, and the candidates that fail a hard filter (none expected)."""
    g = read_gold(gold)
    results = run(db, actor, buyer=buyer, top=10, today=today, weights=weights)
    unknown = sorted(set(g) - {r.item for r in results})
    if unknown:
        raise InputError(
            f"{gold.name}: item(s) {', '.join(unknown[:10])} are not in the list of {buyer}"
        )
    lst = the_list(db, buyer)
    offers, facts = inputs(queries.registry(db))
    m = match_eval.evaluate(results, g)
    m["hard_filter_violations"] = match_eval.violations(
        results, needs(lst), offers, facts, today=today or dt.date.today()
    )
    m["buyer"] = lst.buyer
    m["gold"] = gold.name
    return m


def labels(db: ProgramDB, actor: Actor, *, buyer: str) -> list[dict[str, str]]:
    """The curators' decisions as a gold file: accepted (shortlisted, sent, accepted by the
    buyer, introduced) = relevant; rejected as ``not_capable`` = not relevant; other
    rejections carry no relevance label and are left out."""
    check(actor, "read")
    lst = the_list(db, buyer)
    firms = {f.id: f.code for f in queries.registry(db)}
    codes = {i.id: i.code for i in lst.items}
    out = []
    for m in queries.matches(db, list(codes)):
        if m.state == "proposed":
            continue
        if m.state == "rejected":
            if m.decision_reason != "not_capable":
                continue
            label = "not_relevant"
        else:
            label = "relevant"
        out.append({"item_id": codes[m.item_id], "firm_id": firms[m.firm_id], "label": label})
    return sorted(out, key=lambda r: (r["item_id"], r["firm_id"]))


__all__ = ["as_dict", "evaluate", "glossary", "inputs", "labels", "needs", "run"]
