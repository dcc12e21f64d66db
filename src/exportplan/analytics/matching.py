"""Matching demand items to suppliers' capabilities: hard filters shown as "excluded because",
then a score from codes, text and capacity, deterministic, ties broken by firm id.

Hard filters (a failing firm is listed with its reason, never ranked): the firm is validated;
each required certificate is held, verified and valid on the needed-by day; the required
vendor list lists the firm; its capacity is at least the quantity when both are known in
comparable units. Score = ``(w_code*S_code + w_text*S_text + w_cap*S_cap) / (sum of the
weights of the parts known)``: ``S_code`` is 1.0 for the same code, 0.8 for the same HS
subheading, 0.6 for the same heading, 0.2 for the same chapter (codes compared within one
scheme; it is unknown, and left out, when either side has no code); ``S_text`` is the cosine
of :mod:`.text_similarity`; ``S_cap`` is 1 if capacity covers the quantity, 0.5 if unknown.
A firm's score is its best capability's. An item whose best candidate scores below the
threshold is a gap. The design is in docs/suppliers.md.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from exportplan.analytics.text_similarity import Glossary, prepare, tfidf

ENGINE_VERSION = "lex-1"


@dataclass(frozen=True)
class Offer:
    """A capability of a firm: ``codes`` as ``(scheme, code)``."""

    firm: str
    capability_id: int
    text: str
    codes: tuple[tuple[str, str], ...] = ()
    capacity: float | None = None
    unit: str = ""


@dataclass(frozen=True)
class Cert:
    standard: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    verified: bool


@dataclass(frozen=True)
class FirmFacts:
    """What the hard filters look at: validation, certificates, vendor-list statuses."""

    firm: str
    validated: bool
    certs: tuple[Cert, ...] = ()
    lists: tuple[tuple[str, str], ...] = ()  # (list code, status), one per list as held


@dataclass(frozen=True)
class Need:
    item: str
    text: str
    codes: tuple[tuple[str, str], ...] = ()
    quantity: float | None = None
    unit: str = ""
    needed_by: dt.date | None = None
    required: tuple[str, ...] = ()
    vendor_list: str | None = None


@dataclass(frozen=True)
class Weights:
    code: float = 0.5
    text: float = 0.4
    capacity: float = 0.1
    threshold: float = 0.38
    floor: float = 0.05  # candidates below this are not shown at all
    token_weight: float = 3.0
    max_df: float = 0.1  # n-grams in more than this share of the texts are left out
    scan: int = 300  # firms examined per item at most (best first) to fill the candidates


@dataclass(frozen=True)
class Reason:
    """A reason in English with ``{name}`` placeholders and its values (the label dictionary
    renders it in Persian)."""

    template: str
    values: tuple[tuple[str, object], ...] = ()

    def text(self) -> str:
        return self.template.format(**dict(self.values))


def _r(template: str, **values: object) -> Reason:
    return Reason(template, tuple(values.items()))


@dataclass(frozen=True)
class Candidate:
    firm: str
    score: float
    capability_id: int
    parts: dict[str, float | None]
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Excluded:
    firm: str
    score: float
    reason: Reason


@dataclass
class ItemResult:
    item: str
    gap: bool
    candidates: list[Candidate] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """The shape of ``exportplan match run --json``."""
        return {
            "item_id": self.item,
            "gap": self.gap,
            "candidates": [
                {
                    "firm_id": c.firm,
                    "score": round(c.score, 4),
                    "reasons": [r.text() for r in c.reasons],
                }
                for c in self.candidates
            ],
            "excluded": [{"firm_id": e.firm, "reason": e.reason.text()} for e in self.excluded],
        }


# --- units -----------------------------------------------------------------------------------
_UNIT_WORDS = {
    "piece": (
        "piece",
        "pieces",
        "pcs",
        "pc",
        "no",
        "nos",
        "unit",
        "units",
        "c62",
        "ea",
        "each",
        "عدد",
        "دستگاه",
        "قطعه",
        "set",
        "sets",
        "ست",
        "pair",
        "pairs",
        "جفت",
    ),
    "tonne": ("tonne", "tonnes", "ton", "tons", "t", "tne", "تن"),
    "kg": ("kg", "kgs", "kilogram", "kilograms", "کیلوگرم", "کیلو"),
    "metre": ("m", "metre", "metres", "meter", "meters", "mtr", "متر"),
}
_UNIT_OF = {w: base for base, words in _UNIT_WORDS.items() for w in words}
_YEAR = ("year", "yr", "annual", "annum", "سال", "سالانه", "a")
_MONTH = ("month", "mo", "ماه", "ماهانه")


@cache
def parse_unit(unit: str) -> tuple[str, float] | None:
    """``(base unit, factor to a year)`` of a unit as written (``pieces/year``, «عدد در سال»,
    ``tonnes``), or None if it is not understood. Tonnes are counted in kg."""
    words = [w for w in re.split(r"[\s/]+|\bper\b|\bدر\b", unit.lower()) if w]
    if not words:
        return None
    base = _UNIT_OF.get(words[0].rstrip("."))
    if base is None:
        return None
    per = 1.0
    for w in words[1:]:
        if w in _MONTH:
            per = 12.0
    if base == "tonne":
        return "kg", per * 1000.0
    return base, per


def capacity_covers(offer: Offer, need: Need) -> bool | None:
    """Whether the capacity (per year) covers the quantity; None when either is unknown or
    their units do not compare."""
    if offer.capacity is None or need.quantity is None or not need.unit:
        return None
    a, b = parse_unit(offer.unit), parse_unit(need.unit)
    if a is None or b is None or a[0] != b[0]:
        return None
    scale = 1000.0 if b[0] == "kg" and b[1] >= 1000.0 else 1.0
    return offer.capacity * a[1] >= need.quantity * scale


# --- hard filters ----------------------------------------------------------------------------
def hard_filter(facts: FirmFacts, need: Need, offer: Offer | None, today: dt.date) -> Reason | None:
    """Why a firm may not be proposed for a need, or None if it may."""
    if not facts.validated:
        return _r("firm {firm} is not validated", firm=facts.firm)
    on = need.needed_by or today
    for req in need.required:
        spaced = req + " "
        held = [c for c in facts.certs if c.standard == req or c.standard.startswith(spaced)]
        if not held:
            return _r("no {standard} certificate", standard=req)
        if not any(
            c.verified
            and c.valid_to is not None
            and c.valid_to >= on
            and (c.valid_from is None or c.valid_from <= on)
            for c in held
        ):
            best = max(held, key=lambda c: c.valid_to or dt.date.min)
            if not best.verified:
                return _r("{standard} certificate not verified", standard=req)
            if best.valid_to is None:
                return _r("{standard} certificate has no end date", standard=req)
            return _r(
                "{standard} certificate valid to {valid_to}, before the needed-by date {needed_by}",
                standard=req,
                valid_to=best.valid_to,
                needed_by=on,
            )
    if need.vendor_list:
        status = dict(facts.lists).get(need.vendor_list)
        if status != "listed":
            return _r(
                "not listed on {list} ({status})", list=need.vendor_list, status=status or "absent"
            )
    if offer is not None and offer.capacity is not None and capacity_covers(offer, need) is False:
        return _r(
            "capacity {capacity} {unit} is below the quantity {quantity} {need_unit}",
            capacity=offer.capacity,
            unit=offer.unit,
            quantity=need.quantity,
            need_unit=need.unit,
        )
    return None


# --- codes -----------------------------------------------------------------------------------
CODE_LEVELS = ((6, 0.8, "subheading"), (4, 0.6, "heading"), (2, 0.2, "chapter"))


def code_score(a: tuple[str, str], b: tuple[str, str]) -> tuple[float, str]:
    """Similarity of two codes of one scheme: 1 exact, then by the longest shared level."""
    if a[0] != b[0]:
        return 0.0, ""
    x, y = a[1], b[1]
    if x == y:
        return 1.0, "exact"
    for n, s, name in CODE_LEVELS:
        if len(x) >= n and len(y) >= n and x[:n] == y[:n]:
            return s, name
    return 0.0, ""


#: the most a pair of codes of two schemes scores (through a concordance row: a concordance
#: is many-to-many, so never "exact")
CROSS = 0.8
Concordance = Mapping[tuple[str, str], tuple[tuple[str, str], ...]]


def _levels(lists: dict[tuple[str, int, str], list[int]], j: int, scheme: str, code: str) -> None:
    lists.setdefault((scheme, 0, code), []).append(j)  # 0: the exact code
    for n, _, _ in CODE_LEVELS:
        if len(code) >= n:
            lists.setdefault((scheme, n, code[:n]), []).append(j)


def cross_score(
    a: tuple[str, str], b: tuple[str, str], concordance: Concordance | None
) -> tuple[float, str]:
    """Similarity of codes of two schemes through the concordance: ``b``'s counterparts in
    ``a``'s scheme compared with ``a`` (:func:`code_score`), at most :data:`CROSS`."""
    if concordance is None or a[0] == b[0]:
        return 0.0, ""
    best = (0.0, "")
    for other in concordance.get(b, ()):
        s, level = code_score(a, other)
        if min(s, CROSS) > best[0]:
            best = (min(s, CROSS), f"{other[0]} {other[1]}, {level}")
    return best


class CodeIndex:
    """Offers by code and by each code's levels (exact, subheading, heading, chapter); with a
    concordance, also by each code's counterparts in the other scheme."""

    def __init__(self, offers: Sequence[Offer], concordance: Concordance | None = None) -> None:
        lists: dict[tuple[str, int, str], list[int]] = {}
        mapped: dict[tuple[str, int, str], list[int]] = {}
        for j, o in enumerate(offers):
            for scheme, code in o.codes:
                _levels(lists, j, scheme, code)
                for other in (concordance or {}).get((scheme, code), ()):
                    _levels(mapped, j, *other)
        self.index = {k: np.unique(np.asarray(v, dtype=np.int64)) for k, v in lists.items()}
        self.mapped = {k: np.unique(np.asarray(v, dtype=np.int64)) for k, v in mapped.items()}
        #: which offers have a code (an offer without one has no code part)
        self.known = np.array([bool(o.codes) for o in offers], dtype=bool)
        self.base = np.where(self.known, 0.0, np.nan).astype(np.float32)

    def scores(self, needs: Sequence[Need]) -> NDArray[np.float32]:
        """S_code for every (need, offer): NaN where either side has no code."""
        out = self.filled(needs)
        out[:, ~self.known] = np.nan
        out[[not n.codes for n in needs]] = np.nan
        return out

    def filled(self, needs: Sequence[Need]) -> NDArray[np.float32]:
        """:meth:`scores` with 0 where either side has no code (:attr:`known` says which
        offers have one): the score's code part as it is added."""
        out = np.zeros((len(needs), len(self.base)), dtype=np.float32)
        levels = ((0, 1.0), *((n, s) for n, s, _ in CODE_LEVELS))
        for i, need in enumerate(needs):
            row = out[i]
            for scheme, code in need.codes:
                for n, s in reversed(levels):  # coarse first, finer levels overwrite
                    if len(code) < n:
                        continue
                    hits = self.index.get((scheme, n, code if n == 0 else code[:n]))
                    if hits is not None:
                        row[hits] = s
            for scheme, code in need.codes if self.mapped else ():
                for n, s in levels:
                    if len(code) < n:
                        continue
                    hits = self.mapped.get((scheme, n, code if n == 0 else code[:n]))
                    if hits is not None:
                        row[hits] = np.maximum(row[hits], np.float32(min(s, CROSS)))
        return out


def _fa_text(s: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in s)


# --- the run ---------------------------------------------------------------------------------
def match(
    needs: Sequence[Need],
    offers: Sequence[Offer],
    firms: Sequence[FirmFacts],
    *,
    glossary: Glossary | None,
    top: int = 10,
    weights: Weights | None = None,
    today: dt.date,
    block: int = 128,
    concordance: Concordance | None = None,
    embed: Callable[[Sequence[str]], NDArray[np.float32]] | None = None,
) -> list[ItemResult]:
    """Candidates (best first, ties by firm id) and excluded firms of every need; codes of two
    schemes compared only through ``concordance``; ``embed``: the optional embedding hook
    (texts to unit vectors), whose cosine replaces the TF-IDF cosine where it is larger."""
    w = weights or Weights()
    facts = {f.firm: f for f in firms}
    order = sorted(range(len(offers)), key=[(o.firm, o.capability_id) for o in offers].__getitem__)
    offers = [offers[j] for j in order]
    if not offers:
        return [ItemResult(n.item, True) for n in needs]
    ids = [o.firm for o in offers]  # in id order: a firm's offers start where the id changes
    starts = np.flatnonzero([True, *map(str.__ne__, ids[1:], ids[:-1])])
    prep = prepare([*[o.text for o in offers], *[n.text for n in needs]], glossary)
    vec = tfidf(prep, token_weight=w.token_weight, max_df=w.max_df)
    off_vec = vec[: len(offers)].T.tocsr()  # the product's right side, converted once
    need_vec = vec[len(offers) :]
    cap_base, cap_year = _capacities(offers)
    codes = CodeIndex(offers, concordance)
    off_emb = embed([o.text for o in offers]).T if embed is not None else None
    need_emb = embed([n.text for n in needs]) if embed is not None else None
    wc, wt, wk = np.float32(w.code), np.float32(w.text), np.float32(w.capacity)
    all_parts = np.float32(w.text + w.capacity + w.code)
    text_and_capacity = np.float32(w.text + w.capacity)

    known = codes.known
    # each offer's denominator when the need has codes: all the parts, or text and capacity
    # for an offer without a code
    den = np.where(known, all_parts, text_and_capacity).astype(np.float32)
    cap = _CapacityPart(cap_base, cap_year, wk)

    def scored(b0: int) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any], NDArray[Any]]:
        """Text, code and total scores of a block of needs against every offer, and each
        firm's best score (numpy and scipy release the GIL here, so two blocks overlap).

        Row by row, in place (a row of 25,000 offers stays in the cache), with the same
        float32 operations in the same order as the formula: ``wt*text + wk*cap``, then
        ``+ wc*code`` and ``/ den`` for a need with codes, ``/ (wt+wk)`` for one without."""
        chunk = needs[b0 : b0 + block]
        text = (need_vec[b0 : b0 + block] @ off_vec).toarray()
        if need_emb is not None and off_emb is not None:
            cos = np.clip(need_emb[b0 : b0 + block] @ off_emb, 0, 1).astype(text.dtype)
            text = np.maximum(text, cos)
        code = codes.filled(chunk)
        num = np.multiply(text, wt, dtype=np.float32)
        tmp = np.empty(num.shape[1], dtype=np.float32)
        for i, n in enumerate(chunk):
            row = num[i]
            row += cap.row(n, tmp)
            if n.codes:
                np.multiply(code[i], wc, out=tmp)
                row += tmp
                row /= den
            else:
                row /= text_and_capacity
        fmax = np.round(np.maximum.reduceat(num, starts, axis=1), 9)
        return text, code, num, fmax

    results: list[ItemResult] = []
    b0s = list(range(0, len(needs), block))
    with ThreadPoolExecutor(max_workers=max(1, min(2, os.cpu_count() or 1))) as pool:
        ahead = [pool.submit(scored, b) for b in b0s[:2]]
        for n, b0 in enumerate(b0s):
            text, code, score, fmax = ahead.pop(0).result()
            if n + 2 < len(b0s):
                ahead.append(pool.submit(scored, b0s[n + 2]))
            for i, need in enumerate(needs[b0 : b0 + block]):
                results.append(
                    _rank(
                        need,
                        i,
                        score,
                        text,
                        code,
                        fmax[i],
                        starts,
                        offers,
                        facts,
                        w,
                        top,
                        today,
                        prep.concepts,
                        len(offers) + b0 + i,
                        glossary,
                        known,
                        concordance,
                    )
                )
    return results


_BASES = ("piece", "kg", "metre")


def _capacities(offers: Sequence[Offer]) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Each offer's capacity unit (base) and capacity per year (NaN when unknown)."""
    base: list[int] = []
    year: list[float] = []
    for o in offers:
        u = parse_unit(o.unit) if o.capacity is not None else None
        base.append(_BASES.index(u[0]) if u else -1)
        year.append(o.capacity * u[1] if u and o.capacity is not None else np.nan)
    return np.asarray(base), np.asarray(year, dtype=np.float64)


class _CapacityPart:
    """``wk * S_cap`` of a need against every offer, a row at a time: ``wk`` where the
    capacity covers the quantity, 0 where it does not, ``wk * 0.5`` where either is unknown
    or the units do not compare (as :func:`capacity_covers`); the same float32 values as
    ``wk * S_cap``."""

    def __init__(self, base: NDArray[np.int64], year: NDArray[np.float64], wk: np.float32):
        self.wk = wk
        self.half = np.float32(wk * np.float32(0.5))
        self.unknown = np.full(len(base), self.half, dtype=np.float32)
        #: per base unit: capacities per year (NaN where not of this base or unknown), and
        #: what a column not covering gets (0 if its capacity is known, half if not)
        self.year: list[NDArray[np.float64]] = []
        self.short: list[NDArray[np.float32]] = []
        for b, _ in enumerate(_BASES):
            cols = (base == b) & ~np.isnan(year)
            self.year.append(np.where(cols, year, np.nan))
            self.short.append(np.where(cols, np.float32(0), self.half).astype(np.float32))

    def row(self, need: Need, out: NDArray[np.float32]) -> NDArray[np.float32]:
        u = parse_unit(need.unit) if need.quantity is not None and need.unit else None
        if u is None or need.quantity is None:
            return self.unknown
        qty = need.quantity * (1000.0 if u[0] == "kg" and u[1] >= 1000.0 else 1.0)
        b = _BASES.index(u[0])
        np.copyto(out, self.short[b])
        np.copyto(out, self.wk, where=self.year[b] >= qty)
        return out


def _rank(
    need: Need,
    i: int,
    score: NDArray[Any],
    text: NDArray[Any],
    code: NDArray[Any],
    fmax: NDArray[Any],
    starts: NDArray[np.int64],
    offers: Sequence[Offer],
    facts: dict[str, FirmFacts],
    w: Weights,
    top: int,
    today: dt.date,
    concepts: list[list[int]],
    need_doc: int,
    glossary: Glossary | None,
    known: NDArray[np.bool_],
    concordance: Concordance | None = None,
) -> ItemResult:
    fs = fmax  # each firm's best score, rounded to 9 places
    # best first, ties by firm id (firms are in id order, and a stable sort keeps it); only
    # the best ``scan`` firms are sorted: those above the scan-th score, then the tied ones
    # at it in id order
    if len(fs) > w.scan:
        cut = np.partition(fs, len(fs) - w.scan)[len(fs) - w.scan]
        above = np.flatnonzero(fs > cut)
        at = np.flatnonzero(fs == cut)[: w.scan - len(above)]
        keep = np.sort(np.concatenate([above, at]))
    else:
        keep = np.arange(len(fs))
    order = keep[np.argsort(-fs[keep], kind="stable")]
    ends = np.append(starts[1:], score.shape[1])
    res = ItemResult(need.item, True)
    examined = 0
    row = score[i]
    fa_need = _fa_text(need.text)
    for k, s in zip(order.tolist(), fs[order].tolist(), strict=True):
        if s < w.floor or len(res.candidates) >= top or examined >= w.scan:
            break
        examined += 1
        a, e = int(starts[k]), int(ends[k])
        j = a + int(row[a:e].argmax()) if e - a > 1 else a  # the firm's best capability
        o = offers[j]
        f = facts.get(o.firm) or FirmFacts(o.firm, False)
        why = hard_filter(f, need, o, today)
        if why is not None:
            if len(res.excluded) < top:
                res.excluded.append(Excluded(o.firm, s, why))
            continue
        c = float(code[i, j]) if need.codes and known[j] else None
        parts: dict[str, float | None] = {"code": c, "text": float(text[i, j])}
        covers = capacity_covers(o, need)
        parts["capacity"] = None if covers is None else float(covers)
        res.candidates.append(
            Candidate(
                o.firm,
                s,
                o.capability_id,
                parts,
                _reasons(
                    need,
                    o,
                    parts,
                    concepts[j],
                    concepts[need_doc],
                    glossary,
                    f,
                    concordance,
                    fa_need,
                ),
            )
        )
    res.gap = not res.candidates or res.candidates[0].score < w.threshold
    return res


def _reasons(
    need: Need,
    o: Offer,
    parts: dict[str, float | None],
    offer_concepts: list[int],
    need_concepts: list[int],
    glossary: Glossary | None,
    facts: FirmFacts,
    concordance: Concordance | None = None,
    fa_need: bool | None = None,
) -> tuple[Reason, ...]:
    out: list[Reason] = []
    for nc in need.codes:
        for oc in o.codes:
            s, level = code_score(nc, oc)
            if s == 0:
                s, via = cross_score(nc, oc, concordance)
                if s > 0:
                    out.append(
                        _r(
                            "{a} ≈ {b} through the concordance ({via})",
                            a=f"{nc[0]} {nc[1]}",
                            b=f"{oc[0]} {oc[1]}",
                            via=via,
                        )
                    )
                continue
            if s > 0:
                out.append(
                    _r(
                        "{a} = {b} ({level})",
                        a=f"{nc[0]} {nc[1]}",
                        b=f"{oc[0]} {oc[1]}",
                        level=level,
                    )
                )
    if glossary is not None:
        offered = {glossary.concept[i] for i in offer_concepts}
        shown: set[int] = set()
        for k in need_concepts:
            c = glossary.concept[k]
            if c in offered and c not in shown and c not in glossary.weak and len(shown) < 3:
                shown.add(c)
                t = glossary.terms[k]
                o_t = next(glossary.terms[i] for i in offer_concepts if glossary.concept[i] == c)
                fa_need = _fa_text(need.text) if fa_need is None else fa_need
                fa, en = (t.fa or o_t.fa), (o_t.en if fa_need else t.en) or t.en
                out.append(_r("text: «{fa}» ↔ «{en}» via glossary", fa=fa, en=en))
    out.append(_r("text similarity {text}", text=round(parts["text"] or 0.0, 2)))
    if parts["capacity"] is None:
        out.append(_r("capacity unknown"))
    else:
        out.append(
            _r("capacity {capacity} {unit} covers the quantity", capacity=o.capacity, unit=o.unit)
        )
    for req in need.required:
        for cert in facts.certs:
            if cert.standard == req or cert.standard.startswith(req + " "):
                out.append(
                    _r(
                        "{standard} valid to {valid_to}",
                        standard=cert.standard,
                        valid_to=cert.valid_to,
                    )
                )
                break
    if need.vendor_list:
        out.append(_r("on {list}", list=need.vendor_list))
    return tuple(out)
