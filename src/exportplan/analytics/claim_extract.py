"""Quantitative claims about a region's trade read from a Persian or English news text: each
number with a unit becomes a claim with its kind, measure, unit, qualifier, tolerance,
period, comparison base, definition cue and scope.

Rule-based, after AggChecker (Jo et al., SIGMOD 2019: a claim is a query and a claimed
result): a number binds to the unit after it (``دلار``, adjectival ``دلاری``, ``تن``,
``درصد``, ``کشور``), to the nearest measure noun before it in its clause (``ارزش`` value,
``وزن`` weight: «ارزش ... ۲۰ درصد و وزن ... ۲۸ درصد» is two claims), to the qualifier before
it (``بیش از`` a lower bound, ``حدود`` ±5%, ``کمتر از`` an upper bound) and to the period of
its sentence (:mod:`exportplan.analytics.claim_periods`). Kinds: ``level``, ``change`` (a
direction from ``افزایش``/``کاهش``), ``share`` (``سهم``), ``rank`` (``رتبه ششم``), ``count``
(``۸۸ کشور``), ``target`` and ``forecast`` (checked against the program's target, never
against actuals). Definition cues: ``از گمرکات استان`` customs, ``تولیدات استان`` origin.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

from exportplan.analytics import claim_periods as cp
from exportplan.reference.claim_words import (
    ABS_AFTER,
    ABS_BEFORE,
    ACHIEVED,
    ATTRIBUTION_BEFORE,
    COUNT_WORDS,
    CURRENCY_BEFORE,
    CUSTOMS_CUES,
    DIRECTION_BEFORE,
    DOWN,
    FORECAST,
    MEASURE_AFTER,
    MEASURES,
    MULTIPLE_BEFORE,
    MULTIPLE_EN,
    MULTIPLE_VERB,
    MULTIPLE_WORDS,
    OFFICES,
    ORDINAL_SUFFIX,
    ORDINALS,
    ORIGIN_CUES,
    PARTNERS,
    PRODUCTS,
    QUALIFIERS,
    RANK,
    SHARE,
    SUBJECTS,
    TARGET_WORDS,
    UNIT_WORDS,
    UP,
    counted_of,
)
from exportplan.reference.number_words import (
    Number,
    Token,
    find_numbers,
    normalise,
    squeeze,
    tokens,
)

EXTRACTOR_VERSION = "claims-3"
#: the kinds whose quantity carries its direction (a decrease is negative)
SIGNED = ("change", "change_abs", "target", "forecast")
#: the kinds measured against a base period
CHANGES = ("change", "change_abs")

_SENTENCE = re.compile(r"(?<!\d)[.!?؟؛;\n](?!\d)|(?<=\d)\.(?!\d)")
_CLAUSE = re.compile(r"[،,؛;:]|(?<!\w)(?:که|which|while|and|و)(?!\w)")


@dataclass
class Claim:
    """One quantitative claim, with every field a person may correct before checking again."""

    text: str  # the sentence
    start: int  # the number and its unit in the whole text
    end: int
    kind: str
    measure: str | None
    quantity: float
    unit: str
    qualifier: str | None
    low: float  # the claimed quantity's range (tolerance from precision and qualifier)
    high: float
    direction: int  # +1 increase, -1 decrease, 0 none (changes)
    period: dict[str, int] | None
    period_span: str
    period_anchor: str
    base: dict[str, Any] | None
    definition_cue: str | None
    subject: str
    scope_hs: list[str] = field(default_factory=list)
    scope_partners: list[str] = field(default_factory=list)
    scope_offices: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    edited: bool = False
    counted: str | None = None  # a count's noun: "countries" or "exporters" (None: not said)
    step: float = 1.0  # the unit of the quantity's last stated digit (its precision)
    corrected_fields: list[str] = field(default_factory=list)  # the fields corrected by hand

    def tolerance(self) -> dict[str, float | None]:
        return {
            "low": None if math.isinf(self.low) else self.low,
            "high": None if math.isinf(self.high) else self.high,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "span": [self.start, self.end],
            "kind": self.kind,
            "measure": self.measure,
            "quantity": plain_number(self.quantity),
            "unit": self.unit,
            "qualifier": self.qualifier,
            "direction": self.direction,
            "period": self.period,
            "period_span": self.period_span,
            "period_anchor": self.period_anchor,
            "base": self.base,
            "definition_cue": self.definition_cue,
            "subject": self.subject,
            "scope": {
                "hs": self.scope_hs,
                "partners": self.scope_partners,
                "offices": self.scope_offices,
            },
            "tolerance": self.tolerance(),
            "flags": self.flags,
            "edited": self.edited,
            "corrected_fields": self.corrected_fields,
        }


def plain_number(x: float) -> float | int:
    """A quantity as JSON writes it: 4100000000 for «۴٫۱ میلیارد», 20.5 for «۲۰٫۵»."""
    if math.isfinite(x) and float(x).is_integer() and abs(x) < 2**53:
        return int(x)
    return x


def sentences(norm: str) -> list[tuple[int, int]]:
    """The sentences of a normalised text as (start, end) offsets."""
    out, start = [], 0
    for m in _SENTENCE.finditer(norm):
        if norm[start : m.start()].strip():
            out.append((start, m.start()))
        start = m.end()
    if norm[start:].strip():
        out.append((start, len(norm)))
    return out


def _unit_after(toks: list[Token], num: Number) -> tuple[str | None, int]:
    """The unit right after a number (its last token index) or a count noun."""
    j = num.last + 1
    if j + 1 < len(toks) and toks[j].text == "-" and toks[j + 1].text.lower() in UNIT_WORDS:
        j += 1  # "a 12-percent rise", "a 200-tonne shipment"
    if j < len(toks):
        w = toks[j].text.lower()
        if w in UNIT_WORDS:
            return UNIT_WORDS[w], j
        if w in COUNT_WORDS or (j + 1 < len(toks) and f"{w} {toks[j + 1].text}" in COUNT_WORDS):
            if num.first > 0 and toks[num.first - 1].text.lower() in ("سال", "year"):
                return None, num.last  # «سال ۱۴۰۳ کشور ...»: a year, not a count
            return "count", j
        if w in ("us", "u.s.") and j + 1 < len(toks) and toks[j + 1].text.lower() == "dollars":
            return "USD", j + 1
        if w in ("per", "درصد") and j + 1 < len(toks) and toks[j + 1].text.lower() == "cent":
            return "percent", j + 1
    k = num.first - 1
    # «٪۱۲»: the sign typed before the digits, right to left
    sign_before = k >= 0 and toks[k].text == "%" and toks[k].end == num.start
    if sign_before and (k == 0 or toks[k - 1].kind != "num"):
        return "percent", num.last
    if k >= 0 and toks[k].text.lower() in CURRENCY_BEFORE:
        return CURRENCY_BEFORE[toks[k].text.lower()], num.last
    if k >= 1 and toks[k].text.lower() == "$" and toks[k - 1].text.lower() == "us":
        return "USD", num.last
    return None, num.last


_CROSS_AFTER = re.compile(r"^[^.،,؛]{0,25}?(?<!\w)(?:عبور|بگذرد|گذشت|فراتر)")
#: «از ۲ میلیارد دلار فراتر رفت»: a mark crossed without «مرز» (not «از ... سال گذشته»)
_PASSED_AFTER = re.compile(r"^[^.،,؛]{0,12}?(?<!\w)(?:عبور کرد|عبور کند|بگذرد|گذشت(?!ه)|فراتر)")
_CURRENCY_WORDS = ("usd", "us$", "$", "eur", "€")


def _qualifier(norm: str, start: int, end: int) -> str | None:
    """The qualifier written before a number (``بیش از``, ``حدود``, ``کمتر از``), or the
    crossing of a mark («از مرز دو میلیارد دلار عبور کند»: more than)."""
    before = norm[max(0, start - 20) : start].rstrip().lower()
    for cur in _CURRENCY_WORDS:  # "more than USD 2 bn"
        if before.endswith(cur):
            before = before[: -len(cur)].rstrip()
    for words, kind in QUALIFIERS:
        if before.endswith(words) and (
            len(before) == len(words) or not before[-len(words) - 1].isalnum()
        ):
            return kind
    if before.endswith("از مرز") and _CROSS_AFTER.search(norm[end:]):
        return "more_than"
    if re.search(r"(?<!\w)از$", before) and _PASSED_AFTER.search(norm[end:]):
        return "more_than"
    return None


#: the relative tolerance of ``حدود`` and of a round whole number (``۱۰۰۰ تن``)
ABOUT = 0.05


def _range(value: float, step: float, unit: str, qualifier: str | None) -> tuple[float, float]:
    """The claimed quantity's range: half a unit of the last stated digit (a whole number of
    1000 or more no wider than ±5%: «۱۰۰۰ تن» is about a thousand tonnes, ±50 t, not ±500);
    ±5% for ``حدود``; bounds for ``بیش از`` (above) and ``کمتر از`` (below). Counts and ranks
    are exact."""
    if qualifier == "more_than":
        return value, math.inf
    if qualifier == "less_than":
        return -math.inf, value
    half = step / 2 if unit != "rank" and unit != "count" else 0.0
    if float(value).is_integer() and abs(value) >= 1000:
        half = min(half, abs(value) * ABOUT)
    if qualifier == "about":
        half = max(half, abs(value) * ABOUT)
    return value - half, value + half


def _subject(norm: str, s0: int, s1: int, clause: int, at: int, stop: int) -> str:
    """What a number at ``at`` (ending at ``stop``) is about: a subject noun right after its
    adjectival unit («رشد ۲۰ درصدی صادرات»), else the nearest subject noun before it in its
    clause, else before it in its sentence, else the first after it in its clause; exports
    when none is said («صادرات ... ۲۰ درصد و واردات ... ۵ درصد»: exports, then imports)."""
    right_after = SUBJECTS.match(norm, stop + 1) if norm[stop : stop + 1] == " " else None
    if right_after is not None and norm[stop - 1 : stop] == "ی":
        return str(right_after.lastgroup)
    for window in (norm[clause:at], norm[s0:at]):
        found = list(SUBJECTS.finditer(window))
        if found:
            return str(found[-1].lastgroup)
    end = s1
    m = re.search(r"[،,؛;:]", norm[at:s1])
    if m is not None:
        end = at + m.start()
    after = SUBJECTS.search(norm[at:end])
    return str(after.lastgroup) if after is not None else "exports"


def _absolute_change(before: str, after: str) -> int:
    """The direction of an amount that is a change in level, 0 when it is a level."""
    m = ABS_AFTER.match(after) or ABS_BEFORE.search(before)
    if m is None:
        return 0
    return 1 if m.group("up") else -1


def _measure(norm: str, clause_start: int, at: int) -> str | None:
    """The nearest measure noun before ``at`` back to ``clause_start``."""
    window = norm[clause_start:at].lower()
    best: tuple[int, str] | None = None
    for word, measure in MEASURES.items():
        for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", window):
            if best is None or m.start() > best[0]:
                best = (m.start(), measure)
    return best[1] if best else None


def _clause_start(norm: str, s0: int, at: int) -> int:
    """Where the clause holding offset ``at`` starts: after the last clause break before the
    previous number-bearing clause (commas and ``؛`` break; ``و`` breaks only before a new
    measure noun)."""
    start = s0
    for m in re.finditer(r"[،,؛;:]", norm[s0:at]):
        start = s0 + m.end()
    return start


def _ordinal(tok: Token) -> int | None:
    w = tok.text.lower()
    if w in ("نخستین", "اولین"):
        return 1
    if w in ORDINALS:
        return ORDINALS[w]
    m = ORDINAL_SUFFIX.match(w)
    if m:
        return int(m.group(1))
    if w.endswith("مین") and w[:-3] + "م" in ORDINALS:  # ششمین
        return ORDINALS[w[:-3] + "م"]
    return None


def _ranks(norm: str, toks: list[Token], s0: int, s1: int) -> list[tuple[int, int, int]]:
    """Ranks in a sentence: ``رتبه ششم``, ``رتبه ۶``, ``ششمین``, ``ranked sixth``."""
    out = []
    for i, tok in enumerate(toks):
        if not (s0 <= tok.start < s1) or not RANK.fullmatch(tok.text):
            continue
        for j in range(i + 1, min(i + 3, len(toks))):
            r = _ordinal(toks[j])
            if r is None and toks[j].kind == "num" and toks[j].text.isdigit():
                r = int(toks[j].text)
            if r is not None:
                out.append((r, toks[j].start, toks[j].end))
                break
    taken = {a for _, a, _ in out}
    for i, tok in enumerate(toks[:-1]):
        # «چهارمین استان صادرکننده», «ششمین صادرکننده کشور», "the fourth largest exporter"
        if not (s0 <= tok.start < s1) or tok.start in taken:
            continue
        w = tok.text.lower()
        superlative = w.endswith(("مین", "th", "rd", "nd")) or w in ("نخستین", "اولین")
        superlative = superlative or w in ("first", "second", "third")
        r = _ordinal(tok) if superlative else None
        if r is not None and _RANK_AFTER.match(norm, toks[i + 1].start):
            out.append((r, tok.start, tok.end))
    return out


#: after an ordinal, the words that make it a province's rank (not «ششمین نمایشگاه»)
_RANK_AFTER = re.compile(
    r"(?:استان (?:صادر ?کننده|برتر)|صادر ?کننده|(?:largest|biggest|top) (?:exporter|exporting "
    r"province|non-oil exporter)"
    r"|among (?:iran's |the )?(?:\d+ )?provinces)",
    re.I,
)


def _scope(sent: str) -> tuple[list[str], list[str], list[str]]:
    low = sent.lower()
    hs: list[str] = []
    for word, codes in sorted(PRODUCTS.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", low) and not any(c in hs for c in codes):
            hs.extend(c for c in codes if c not in hs)
    partners = sorted(
        {iso for name, iso in PARTNERS.items() if re.search(rf"(?<!\w){name}(?!\w)", low)}
    )
    offices = sorted({o for name, o in OFFICES.items() if re.search(rf"(?<!\w){name}(?!\w)", low)})
    return sorted(hs), partners, offices


def _definition(sent: str, offices: list[str]) -> str | None:
    """The definition a sentence states: customs offices named as the way out (not as the
    source of the figures: «به نقل از اداره کل گمرکات استان»), or goods made in the region."""
    cue = any(
        ATTRIBUTION_BEFORE.search(sent[max(0, m.start() - 30) : m.start()]) is None
        for m in CUSTOMS_CUES.finditer(sent)
    )
    if cue or offices:
        return "customs"
    if ORIGIN_CUES.search(sent):
        return "origin"
    return None


_CLAUSE_END = re.compile(r"[،,؛;:]|(?<!\w)(?:اما|ولی|but|while|whereas)(?!\w)", re.I)


def _kind(sent: str, rel: int, rel_end: int, unit: str) -> tuple[str, int]:
    """A claim's kind and direction from the words of its sentence around it."""
    before, after = sent[:rel], sent[rel_end:]
    # what follows in the claim's own clause: «... رسید، اما ... رشد ۱۰ درصدی» is another's
    near_after = _CLAUSE_END.split(after[:60], maxsplit=1)[0]
    # «پیش‌بینی می‌شود ...، صادرات ... برسد»: a forecast governs its sentence up to a turn
    turns = [m.end() for m in cp.STRONG_BREAK.finditer(before)]
    since = before[turns[-1] :] if turns else before
    if unit == "count":
        return "count", 0
    if unit == "percent":
        if SHARE.search(before[-60:]) or SHARE.search(near_after[:25]):
            return "share", 0
        if (TARGET_WORDS.search(near_after[:30]) or TARGET_WORDS.search(before[-30:])) and (
            ACHIEVED.search(sent)
        ):
            return "share", 0
        # a direction word right before the number is its own («با افت ۳ درصدی», "rose 15")
        adjacent = DIRECTION_BEFORE.search(before)
        up = UP.search(adjacent.group(1)) if adjacent else None
        down = DOWN.search(adjacent.group(1)) if adjacent else None
        if up is None and down is None:
            up, down = UP.search(near_after), DOWN.search(near_after)
        if up is None and down is None:
            up, down = UP.search(before[-40:]), DOWN.search(before[-40:])
        direction = (  # «رشد منفی»: the decrease starts where the growth does, and wins
            1
            if up is not None and (down is None or up.start() < down.start())
            else -1
            if down is not None
            else 0
        )
        # a growth the program aims at or someone expects: checked against the target, not
        # against actuals
        if direction and (FORECAST.search(since) or FORECAST.search(near_after[:40])):
            return "forecast", direction
        if direction and (
            TARGET_WORDS.search(before[-40:]) or TARGET_WORDS.search(near_after[:30])
        ):
            return "target", direction
        if direction:
            return "change", direction
        return "share", 0
    direction = _absolute_change(before, after)
    if FORECAST.search(since) or FORECAST.search(near_after):
        return "forecast", direction
    if TARGET_WORDS.search(before[-60:]) or TARGET_WORDS.search(near_after[:40]):
        return "target", direction
    if direction:
        return "change_abs", direction
    return "level", 0


def extract(text: str, published: tuple[int, int, int] | None = None) -> list[Claim]:
    """The claims of a text. ``published``: the publication date (Solar Hijri year, month,
    day), which resolves ``امسال`` and the like; without it a relative period is None and
    the claim is flagged ``needs-publication-date``."""
    norm, where = squeeze(normalise(text))
    toks = tokens(norm)
    numbers = find_numbers(norm, toks)
    claims: list[Claim] = []
    last_mentions: list[cp.Mention] = []
    for s0, s1 in sentences(norm):
        sent = norm[s0:s1]
        mentions = cp.find_mentions(sent)
        context = mentions or last_mentions
        base = cp.find_base(sent)
        hs, partners, offices = _scope(sent)
        definition = _definition(sent, offices)
        found: list[tuple[int, int, float, float, str, str | None]] = []
        for num in numbers:
            if not (s0 <= num.start < s1):
                continue
            unit, last = _unit_after(toks, num)
            if unit is None:
                continue
            if unit == "times" and not (
                MULTIPLE_VERB.match(norm, toks[last].end)
                or MULTIPLE_BEFORE.search(norm, 0, num.start)
            ):
                continue  # «دو برابر میانگین کشور»: a multiple, not a change
            found.append((num.start, toks[last].end, num.value, num.step, unit, None))
            if num.flags:
                found[-1] = (*found[-1][:5], ",".join(num.flags))
        for r, a, b in _ranks(norm, toks, s0, s1):
            found.append((a, b, float(r), 1.0, "rank", None))
        for m in MULTIPLE_EN.finditer(sent):
            ratio = MULTIPLE_WORDS[(m.group("w") or m.group("n")).lower()]
            found.append((s0 + m.start(), s0 + m.end(), float(ratio), 1.0, "times", None))
        for a, b, value, step, unit, flag in sorted(found):
            rel, rel_end = a - s0, b - s0
            flags = [flag] if flag else []
            if unit == "times":
                kind, direction = "change", 1 if value > 1 else -1
            elif unit == "rank":
                kind, direction = "rank", 0
            else:
                kind, direction = _kind(sent, rel, rel_end, unit)
            qualifier = _qualifier(norm, a, b)
            clause = _clause_start(norm, s0, a)
            measure = _measure(norm, clause, a)
            after = MEASURE_AFTER.match(norm, b)
            if measure is None and after is not None:
                measure = MEASURES[after.group(1).lower()]
            # an amount of money is a value and tonnes a weight, whatever noun is near
            # («حجم تجارت ... ۳ میلیارد دلار»: «حجم» is a size here, not a weight)
            if unit in ("USD", "EUR", "IRR", "IRT"):
                measure = "value"
            elif unit in ("tonne", "kg"):
                measure = "weight"
            if unit == "times":
                # «دو برابر شد»: a change of +100% as loosely as a round number (±5% of the
                # multiple), flagged so the reader sees how it was read
                low = round(100 * (value * (1 - ABOUT) - 1), 9)
                high = round(100 * (value * (1 + ABOUT) - 1), 9)
                value, unit, step = 100 * (value - 1), "percent", 5 * value
                flags.append("multiple")
                direction = 1 if value > 0 else -1
            else:
                low, high = _range(value, step, unit, qualifier)
            if kind in SIGNED and direction < 0 and "multiple" not in flags:  # a decrease
                value, low, high = -value, -high, -low
            whole = kind in ("target", "forecast")
            period = cp.resolve(
                context,
                published,
                at=rel if mentions else 10**9,  # carried over: the last period said before
                whole_year=whole,
                clause_breaks=cp.breaks(sent) if mentions else ([], []),
                previous=last_mentions,
                end=rel_end if mentions else None,
            )
            if period is None:
                flags.append("needs-publication-date")
            else:
                flags.extend(period.flags)
            claim_base = cp.base_period(base, period, change=kind in CHANGES) if period else None
            claims.append(
                Claim(
                    text=text[where[s0] : where[s1 - 1] + 1].strip(),
                    start=where[a],
                    end=where[b - 1] + 1,
                    kind=kind,
                    measure=measure,
                    quantity=value,
                    unit=unit,
                    qualifier=qualifier,
                    low=low,
                    high=high,
                    direction=direction,
                    period=period.as_dict() if period else None,
                    period_span=period.span if period else "",
                    period_anchor=period.anchor if period else "",
                    base=claim_base,
                    definition_cue=definition,
                    subject=_subject(norm, s0, s1, clause, a, b),
                    scope_hs=list(hs),
                    scope_partners=list(partners),
                    scope_offices=list(offices),
                    flags=flags,
                    counted=counted_of(norm[a:b]) if unit == "count" else None,
                    step=step,
                )
            )
        if mentions and not all(m.same for m in mentions):
            last_mentions = mentions
    return claims


def rebased(
    base: dict[str, Any] | None, old: dict[str, int] | None, new: dict[str, int]
) -> dict[str, Any] | None:
    """A claim's comparison base moved with its corrected period: the same months a year
    before (or as many years before as stated) follow the new period; the month before
    follows its first month; an explicit base year keeps its year and takes the new months."""
    if base is None:
        return None
    if base.get("kind") == "month":
        return dict(base)  # a month named («نسبت به مهرماه») stays that month
    if base.get("kind") == "mom":
        first = new["first_month"]
        y, m = (new["year"], first - 1) if first > 1 else (new["year"] - 1, 12)
        return {**base, "year": y, "first_month": m, "last_month": m}
    if base.get("kind") == "year":
        year = int(base["year"])
    else:
        gap = (old["year"] - int(base["year"])) if old else 1
        year = new["year"] - (gap if gap > 0 else 1)
    return {
        **base,
        "year": year,
        "first_month": new["first_month"],
        "last_month": new["last_month"],
    }


def corrected(claim: Claim, *, step: float | None = None, **fields: Any) -> Claim:
    """A claim with fields corrected by hand (``quantity``, ``unit``, ``kind``, ``measure``,
    ``qualifier``, ``definition_cue``, ``period``...). Its range is recomputed from the new
    quantity, unit and qualifier at ``step`` (the corrected quantity's stated precision; the
    original's when not given); a corrected period moves its comparison base with it; a kind
    corrected to a change gets the same months a year before as its base."""
    new = replace(claim, **fields, edited=True)
    names = set(claim.corrected_fields) | set(fields) - {"period_span", "period_anchor"}
    new.corrected_fields = sorted(names)
    if step is not None:
        new.step = step
    if "period" in fields and new.period is not None:
        new.base = rebased(claim.base, claim.period, new.period)
    if new.kind in CHANGES and new.base is None and new.period is not None:
        new.base = {
            "kind": "yoy",
            "year": new.period["year"] - 1,
            "first_month": new.period["first_month"],
            "last_month": new.period["last_month"],
            "stated": False,
        }
    elif new.kind not in CHANGES and new.base is not None and not new.base.get("stated"):
        new.base = None  # the base a change was given by default
    if {"quantity", "qualifier", "unit", "kind"} & set(fields) or step is not None:
        negative = new.kind in SIGNED and new.quantity < 0
        low, high = _range(abs(new.quantity), new.step or 1.0, new.unit, new.qualifier)
        if negative:
            low, high = -high, -low
        new = replace(new, low=low, high=high)
    return new
