"""The period of a news claim as a span plus an anchor, and its comparison base, resolved
with the publication date into a Solar Hijri year and months.

Spans: ``N ماهه`` / ``N ماه نخست`` (months 1..N), ``سه ماهه نخست|دوم|...`` and the seasons
(quarters), ``نیمه نخست|دوم`` (halves), a month name (``مهر``), ``از ابتدای سال تا پایان X``
and ``X تا Y``; none: the whole year (a past year) or the year to date (this year). Anchors:
``امسال``/``سال جاری`` (the publication's year), ``سال گذشته``/``پارسال`` (the year before),
an explicit ``سال ۱۴۰۳``; a Gregorian year is flagged (``gregorian-year``, Iranian releases use
the Jalali year). The base (``نسبت به مدت مشابه سال قبل``: the same months a year before,
``نسبت به ماه قبل``: the month before) is found first and its words are not read as the
period: the prototype of the design study read «مدت مشابه سال گذشته» as the period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from exportplan.reference.calendar import MONTHS_EN, MONTHS_FA
from exportplan.reference.claim_words import ORDINALS
from exportplan.reference.number_words import UNITS, WORDS

_W = r"(?<![\w])"  # a word starts (Persian letters are \w)
_E = r"(?![\w])"
_NUMWORD = "|".join(
    sorted((w for w in WORDS if WORDS[w] <= 12 and not w.isascii()), key=len, reverse=True)
)
_N = rf"(?P<n>\d{{1,2}}|{_NUMWORD}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_ORD = {
    "نخست": 1,
    "اول": 1,
    "یکم": 1,
    "دوم": 2,
    "سوم": 3,
    "چهارم": 4,
    "پایانی": 4,
    "آخر": 4,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "last": 4,
}
_ORDS = "|".join(_ORD)
_SEASONS = {"بهار": 1, "تابستان": 2, "پاییز": 3, "پائیز": 3, "زمستان": 4}
_MONTHS: dict[str, int] = {
    **{m: i + 1 for i, m in enumerate(MONTHS_FA)},
    **{m.lower(): i + 1 for i, m in enumerate(MONTHS_EN)},
    # spellings of news texts: «امرداد», the alef without its madda, English transliterations
    "امرداد": 5,
    "ابان": 8,
    "اذر": 9,
    "amordad": 5,
    "ordibehesht": 2,
    "dei": 10,
    "shahrivar": 6,
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
#: the ordinal of a month of the year («ماه دوم», «نخستین ماه»): the ordinals of the claims'
#: words up to the twelfth, in English up to "third" ("the fourth month" is not a release's)
_MONTH_ORD = {w: n for w, n in ORDINALS.items() if n <= 12 and not (w.isascii() and n > 3)}
_MONTH_ORDS = "|".join(sorted(_MONTH_ORD, key=len, reverse=True))
_MONTH_ORDS_FA = "|".join(w[:-1] + "مین" for w in _MONTH_ORD if w.endswith("م"))
#: an English year's qualifiers: "the current Iranian year", "last Iranian calendar year"
_YEAR_EN = r"(?: (?:iranian|persian|solar hijri|solar))?(?: calendar| fiscal)? year"
_EN_NUM = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}


def _n(text: str) -> int:
    if text.isdigit():
        return int(text)
    return _EN_NUM.get(text.lower()) or UNITS.get(text) or WORDS[text]


@dataclass(frozen=True)
class Mention:
    """A period word found in a sentence: what it says and where."""

    start: int
    end: int
    kind: str  # "span" or "anchor"
    first: int = 0  # span: months
    last: int = 0
    single_month: bool = False
    anchor: str = ""  # "current", "previous", "next", "explicit"
    trailing: int = 0  # span: the last N whole months before publication («دو ماه گذشته»)
    same: bool = False  # span: «در مدت مشابه پارسال», the sentence's months a year before
    year: int = 0  # explicit anchor
    gregorian: bool = False


@dataclass(frozen=True)
class Base:
    """The comparison base a claim states: ``yoy`` (the same months a year before), ``mom``
    (the month before) or ``year`` (an explicit year), with where it was said."""

    kind: str
    start: int
    end: int
    year: int | None = None
    month: int | None = None  # ``month``: «نسبت به مهرماه», a month of the same year named


_SPAN_RULES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            rf"{_W}از (?:ابتدای|آغاز|اول) (?:سال|امسال)(?: جاری| گذشته| \d{{4}})? تا (?:پایان |"
            rf"آخر |انتهای )?(?:\d{{1,2}} )?(?:ماه )?(?P<m>{_MONTH})(?: ?ماه)?{_E}",
            re.I,
        ),
        "to_month",
    ),
    (
        re.compile(
            rf"{_W}{_N} ?ماهه? (?:منتهی|ختم شده|منجر) به (?:پایان |آخر )?(?:ماه )?"
            rf"(?P<m>{_MONTH})(?: ?ماه)?{_E}"
        ),
        "n_to_month",
    ),
    (
        re.compile(
            rf"{_W}(?:ماه )?(?P<m1>{_MONTH})(?: ?ماه)? تا (?:پایان |آخر |انتهای )?(?:ماه )?"
            rf"(?P<m2>{_MONTH})(?: ?ماه)?{_E}",
            re.I,
        ),
        "months",
    ),
    (re.compile(rf"{_W}(?:سه ماهه|فصل) (?P<o>{_ORDS}){_E}"), "quarter"),
    (re.compile(rf"{_W}(?:first|second|third|fourth|last) quarter{_E}", re.I), "quarter_en"),
    (re.compile(rf"{_W}Q(?P<q>[1-4]){_E}"), "quarter_q"),
    (re.compile(rf"{_W}(?:فصل )?(?P<s>بهار|تابستان|پاییز|پائیز|زمستان){_E}"), "season"),
    (
        re.compile(rf"{_W}(?:نیمه|نیم سال|نیمسال|شش ماهه|۶ ماهه|6 ماهه) (?P<o>نخست|اول|دوم){_E}"),
        "half",
    ),
    (re.compile(rf"{_W}(?P<o>first|second) half{_E}", re.I), "half_en"),
    (re.compile(rf"{_W}H(?P<h>[12]){_E}"), "half_h"),
    # «دو ماه گذشته», "the past two months": the last N whole months before publication
    (re.compile(rf"{_W}{_N} ?ماهه? (?:گذشته|اخیر|سپری شده){_E}(?! ?سال)"), "trailing"),
    (re.compile(rf"{_W}(?:the )?(?:past|last) {_N} months{_E}", re.I), "trailing"),
    (re.compile(rf"{_W}{_N} ?(?:ماهه|ماه)(?: (?:نخست|اول|ابتدای|آغازین))?{_E}"), "n_months"),
    (re.compile(rf"{_W}(?:first )?{_N}[ -]months?{_E}", re.I), "n_months"),
    (
        re.compile(
            rf"{_W}(?:(?P<o1>{_MONTH_ORDS_FA}|نخستین|اولین) ماه|ماه (?P<o2>{_MONTH_ORDS})|(?:the )?"
            rf"(?P<o3>first|second|third) month){_E}",
            re.I,
        ),
        "nth_month",
    ),
    (re.compile(rf"{_W}(?:ماه )?(?P<m>{_MONTH})(?: ?ماه)?{_E}", re.I), "month"),
    # «در ماه گذشته», "last month": the month before publication
    (
        re.compile(
            rf"{_W}(?:ماه (?:گذشته|قبل|پیش|اخیر)|(?:the )?(?:last|previous|past) month){_E}",
            re.I,
        ),
        "last_month",
    ),
]
_ANCHOR_RULES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            rf"{_W}(?:سال آینده|سال آتی|سال بعد|(?:the )?(?:next|coming){_YEAR_EN}){_E}", re.I
        ),
        "next",
    ),
    (
        re.compile(
            rf"{_W}(?:امسال|سال جاری|سال جاري|(?:this|the current|current){_YEAR_EN}){_E}",
            re.I,
        ),
        "current",
    ),
    (
        re.compile(
            rf"{_W}(?:سال گذشته|سال قبل|پارسال|سال پیش|سال پیشین|(?:the )?(?:last|previous|past)"
            rf"{_YEAR_EN}){_E}",
            re.I,
        ),
        "previous",
    ),
    (
        re.compile(
            rf"(?:{_W}(?:سال ?|year )|{_W})(?P<y>1[34]\d\d|19\d\d|20\d\d){_E}"
            rf"(?! ?(?:میلیون|میلیارد|هزار|دلار|یورو|تن|ریال|تومان|درصد|%|کیلو))",
            re.I,
        ),
        "explicit",
    ),
    # «سال ۹۹»: a year of the 1390s or 1400s written with two digits
    (re.compile(rf"{_W}سال (?P<yy>9\d|0\d){_E}"), "explicit"),
]
#: a count noun after a number: «۱۴۰۰ صادرکننده» counts exporters and names no year
_COUNT_AFTER = re.compile(
    r" ?(?:صادر ?کننده|کشور|مقصد|بازار|شرکت|واحد|تاجر|بازرگان|نفر|فقره|قلم|exporter|compan"
    r"|firm|countr|market|destination)",
    re.I,
)
_YEAR_WORD = re.compile(r"(?:سال|year) ?", re.I)
#: a span named for a base: «نسبت به پاییز پارسال», «نسبت به سه ماهه نخست سال قبل»
_BASE_SPAN = (
    rf"(?:(?:ماه |فصل )?(?:{_MONTH}|بهار|تابستان|پاییز|پائیز|زمستان)(?: ?ماه)?|سه ماهه (?:{_ORDS})"
    rf"|نیمه (?:نخست|اول|دوم)|{_N} ?ماهه?(?: (?:نخست|اول))?)"
)
_PREVIOUS = r"(?:سال گذشته|سال قبل|پارسال|سال پیش|سال پیشین)"
_BASE_RULES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            rf"{_W}(?:نسبت به|در مقایسه با|در قیاس با|در مقایسه بامدت|از)? ?(?:مدت|دوره|"
            rf"بازه|زمان|ماه های|ماه|مقطع|فصل|سه ماهه) (?:مشابه|مشابهِ|همسان) (?:در )?(?:سال |"
            rf"سال های )?(?:گذشته|قبل|پیش|پیشین|پارسال|(?P<y>1[34]\d\d)){_E}"
        ),
        "yoy",
    ),
    (
        re.compile(
            rf"{_W}(?:compared (?:with|to)|from|against|over|than|on) (?:the )?same (?:period|"
            rf"months?|quarter|season|time)(?: of| in| a year| last)? (?:last year|the previous "
            rf"year|a year (?:earlier|ago|before)|year|(?:the )?(?:last|previous){_YEAR_EN}|"
            rf"(?P<y>1[34]\d\d)){_E}",
            re.I,
        ),
        "yoy",
    ),
    (re.compile(rf"{_W}(?:year[- ]on[- ]year|y/y|yoy|y-o-y){_E}", re.I), "yoy"),
    # "in the same period last year": said as the period of a figure (see find_mentions)
    (
        re.compile(
            rf"{_W}(?:the )?same (?:period|months?|quarter)(?: of| in)? (?:last year|the previous "
            rf"year|a year (?:earlier|ago|before)|(?:the )?(?:last|previous){_YEAR_EN}|(?P<y>"
            rf"1[34]\d\d)){_E}",
            re.I,
        ),
        "yoy",
    ),
    (re.compile(rf"{_W}نسبت به ماه (?:قبل|گذشته|پیش){_E}"), "mom"),
    (
        re.compile(
            rf"{_W}(?:نسبت به|در مقایسه با|در قیاس با) {_BASE_SPAN} ?(?:{_PREVIOUS}|(?:سال )?"
            rf"(?P<y>1[34]\d\d)){_E}"
        ),
        "yoy",
    ),
    (
        re.compile(
            rf"{_W}(?:compared (?:with|to)|from|against|than) (?:the (?:iranian )?month of )?"
            rf"(?:{_MONTH}) (?:last year|a year (?:earlier|ago|before)|(?:of )?(?P<y>1[34]\d\d))"
            rf"{_E}",
            re.I,
        ),
        "yoy",
    ),
    (
        re.compile(
            rf"{_W}(?:(?:نسبت به|در مقایسه با|در قیاس با) (?:سال|مدت) (?:گذشته|قبل|پیش|پیشین)"
            rf"|(?:نسبت به|در مقایسه با|در قیاس با) پارسال|(?:بیشتر|کمتر|بالاتر|پایین تر|فراتر)"
            rf" از {_PREVIOUS}|(?:higher|lower|more|less) than (?:last year|the previous year|a "
            rf"year (?:earlier|ago|before))){_E}",
            re.I,
        ),
        "previous_year",
    ),
    (re.compile(rf"{_W}(?:نسبت به|در مقایسه با) (?:سال )?(?P<y>1[34]\d\d){_E}"), "year"),
    (
        re.compile(
            rf"{_W}(?:نسبت به|در مقایسه با|در قیاس با) (?:ماه )?(?P<m>{_MONTH})(?: ?ماه)?(?: "
            rf"(?:امسال|سال جاری))?{_E}"
        ),
        "month",
    ),
    (
        re.compile(
            rf"{_W}(?:compared (?:with|to)|from) (?:last year|the previous year|(?P<y>"
            rf"1[34]\d\d)){_E}",
            re.I,
        ),
        "previous_year",
    ),
]


def find_base(norm: str) -> Base | None:
    """The first comparison base stated in a normalised sentence."""
    best: Base | None = None
    for rx, kind in _BASE_RULES:
        m = rx.search(norm)
        if m is None:
            continue
        y = m.groupdict().get("y")
        month = _MONTHS[m.group("m").lower()] if kind == "month" else None
        b = Base(kind, m.start(), m.end(), int(y) if y else None, month)
        if best is None or b.start < best.start:
            best = b
    return best


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


#: a base's words said as the period of a figure: «... در مدت مشابه پارسال ۸۰۰ میلیون دلار بود»
_AS_PERIOD = re.compile(r"(?<!\w)(?:در|طی|in|during)\s*$", re.I)
_COMPARING = re.compile(r"(?:نسبت|در مقایسه|در قیاس|از|compared|from|against|over|than|on)\b", re.I)
#: a Gregorian year that glosses the Solar Hijri one: «(March 2024-March 2025)», "March 20, 2025"
_GREGORIAN_DATE = re.compile(
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?: \d{1,2})?,?|\d{1,2} "
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?) $",
    re.I,
)
#: "the Iranian year that ended on March 20, 2025": the Solar Hijri year ending in it
_ENDED = re.compile(
    rf"{_W}(?:the )?(?:iranian|persian)(?: calendar)? year (?:that |which )?end(?:ed|ing) (?:on )?"
    rf"(?:march|mar\.?) (?:19|20|21),? (?P<g>20\d\d){_E}",
    re.I,
)


def find_mentions(norm: str) -> list[Mention]:
    """Every span and anchor in a normalised sentence (its base's words left out; a base said
    as the period of a figure, «در مدت مشابه پارسال», is a span of its own)."""
    text = norm
    out: list[Mention] = []
    base = find_base(text)
    while base is not None:
        said = text[base.start : base.end].strip()
        lead = _AS_PERIOD.search(text[: base.start])
        if base.kind == "yoy" and lead is not None and not _COMPARING.match(said):
            start = lead.start()  # from its preposition: "$800 million in the same period"
            out.append(Mention(start, base.end, "span", same=True, year=base.year or 0))
        text = _blank(text, base.start, base.end)
        base = find_base(text)
    for m in _ENDED.finditer(text):
        y = int(m.group("g")) - 622
        out.append(Mention(m.start(), m.end(), "anchor", anchor="explicit", year=y))
        text = _blank(text, m.start(), m.end())
    for rx, rule in _SPAN_RULES:
        for m in rx.finditer(text):
            mention = _span(rule, m)
            if mention is not None:
                out.append(mention)
                text = _blank(text, m.start(), m.end())
    for rx, rule in _ANCHOR_RULES:
        for m in rx.finditer(text):
            if rule == "explicit":
                if _COUNT_AFTER.match(text, m.end()) and not _YEAR_WORD.match(m.group()):
                    continue  # «۱۴۰۰ صادرکننده»: a count, not a year
                yy = m.groupdict().get("yy")
                y = int(m.group("y")) if yy is None else (1300 if yy[0] == "9" else 1400) + int(yy)
                glossed = text[: m.start()].count("(") > text[: m.start()].count(")")
                if y > 1700 and (glossed or _GREGORIAN_DATE.search(text[: m.start()])):
                    continue  # a Gregorian gloss or date, not the claim's year
                out.append(
                    Mention(
                        m.start(), m.end(), "anchor", anchor="explicit", year=y, gregorian=y > 1700
                    )
                )
            else:
                out.append(Mention(m.start(), m.end(), "anchor", anchor=rule))
    return sorted(out, key=lambda x: x.start)


def _span(rule: str, m: re.Match[str]) -> Mention | None:
    s, e = m.start(), m.end()
    if rule == "to_month":
        return Mention(s, e, "span", 1, _MONTHS[m.group("m").lower()])
    if rule == "n_to_month":
        n, last = _n(m.group("n")), _MONTHS[m.group("m").lower()]
        return Mention(s, e, "span", last - n + 1, last) if 1 <= n <= last else None
    if rule == "quarter_q":
        q = int(m.group("q"))
        return Mention(s, e, "span", 3 * q - 2, 3 * q)
    if rule == "half_h":
        second = m.group("h") == "2"
        return Mention(s, e, "span", 7 if second else 1, 12 if second else 6)
    if rule == "trailing":
        n = _n(m.group("n"))
        return Mention(s, e, "span", trailing=n) if 1 <= n <= 12 else None
    if rule == "last_month":
        return Mention(s, e, "span", single_month=True, trailing=1)
    if rule == "nth_month":
        word = (m.group("o1") or m.group("o2") or m.group("o3")).lower()
        k = (
            1
            if word in ("نخستین", "اولین")
            else _MONTH_ORD.get(word) or _MONTH_ORD[word[:-3] + "م"]
        )
        return Mention(s, e, "span", k, k, single_month=True)
    if rule == "months":
        a, b = _MONTHS[m.group("m1").lower()], _MONTHS[m.group("m2").lower()]
        return Mention(s, e, "span", a, b) if a <= b else None
    if rule == "quarter":
        q = _ORD[m.group("o")]
        return Mention(s, e, "span", 3 * q - 2, 3 * q)
    if rule == "quarter_en":
        q = _ORD[m.group().split()[0].lower()]
        return Mention(s, e, "span", 3 * q - 2, 3 * q)
    if rule == "season":
        q = _SEASONS[m.group("s")]
        return Mention(s, e, "span", 3 * q - 2, 3 * q)
    if rule in ("half", "half_en"):
        second = m.group("o").lower() in ("دوم", "second")
        return Mention(s, e, "span", 7 if second else 1, 12 if second else 6)
    if rule == "n_months":
        n = _n(m.group("n"))
        return Mention(s, e, "span", 1, n) if 1 <= n <= 12 else None
    if rule == "month":
        k = _MONTHS[m.group("m").lower()]
        return Mention(s, e, "span", k, k, single_month=True)
    return None  # pragma: no cover


@dataclass(frozen=True)
class Period:
    """A resolved period: Solar Hijri ``year`` and months ``first_month..last_month``, with
    how it was read (``span``, ``anchor``) and flags."""

    year: int
    first_month: int
    last_month: int
    span: str
    anchor: str
    flags: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, int]:
        return {"year": self.year, "first_month": self.first_month, "last_month": self.last_month}


#: where a clause ends: a comma or a colon (weak), or a turn of the sentence (strong: «اما»,
#: «؛», "but"), past which a period said after a claim is not its period
_WEAK_BREAK = re.compile(r"[،,:]")
STRONG_BREAK = re.compile(
    r"[؛;]|(?<!\w)(?:اما|ولی|در حالی که|درحالی که|حال آنکه|but|while|whereas|however)(?!\w)",
    re.I,
)


def breaks(sentence: str) -> tuple[list[int], list[int]]:
    """The offsets of a sentence's clause breaks: (every break, the strong ones)."""
    strong = [m.start() for m in STRONG_BREAK.finditer(sentence)]
    weak = [m.start() for m in _WEAK_BREAK.finditer(sentence)]
    return sorted(weak + strong), strong


def resolve(
    mentions: list[Mention],
    published: tuple[int, int, int] | None,
    *,
    at: int,
    whole_year: bool = False,
    clause_breaks: tuple[list[int], list[int]] = ([], []),
    previous: list[Mention] | None = None,
    end: int | None = None,
) -> Period | None:
    """The period of a claim at offset ``at`` of its sentence from the sentence's mentions:
    the nearest span and anchor before it (else after it, not past a turn of the sentence
    such as «اما»), resolved with the publication date (year, month, day). A span before an
    anchor that a clause break parts from it is not the claim's («در هشت ماهه ...، و در سال
    ۱۴۰۳ ...»: the year stands alone). ``whole_year``: a target or forecast is about a whole
    year. ``previous``: the mentions of the sentence before, for a base said as a period in a
    sentence that states no period of its own («در مدت مشابه پارسال این رقم ...»); ``end``:
    where the claim ends, for such a base said right after it ("$800 million in the same
    period last year"). None when
    the period is relative and there is no publication date."""
    every, strong = clause_breaks
    spans = [m for m in mentions if m.kind == "span"]
    anchors = [m for m in mentions if m.kind == "anchor"]
    right_after = [x for x in spans if x.same and end is not None and 0 <= x.start - end <= 1]
    span = right_after[0] if right_after else _nearest(spans, at, strong)
    if span is not None and span.same and span.start > at and not right_after:
        span = _nearest([x for x in spans if not x.same], at, strong)  # said of a later figure
    anchor = _nearest(anchors, at, strong)
    if (
        span is not None
        and anchor is not None
        and span.end <= anchor.start <= at
        and any(span.end <= b < anchor.start for b in every)
    ):
        span = None
    flags: list[str] = []
    if span is not None and span.same:
        # «در مدت مشابه پارسال»: the months of the sentence's own period, a year before
        own = [x for x in mentions if not x.same]
        if own or not previous:
            period = resolve(own, published, at=span.start, clause_breaks=clause_breaks)
        else:
            period = resolve(previous, published, at=10**9)
        if period is None:
            return None
        year = span.year or period.year - 1
        return Period(year, period.first_month, period.last_month, period.span, "same")
    if span is not None and span.trailing and not whole_year:
        if published is None:
            return None
        py, pm, _ = published
        year, last = (py, pm - 1) if pm > 1 else (py - 1, 12)
        first = max(1, last - span.trailing + 1)
        name = "month" if span.single_month else f"{first}-{last}"
        return Period(year, first, last, name, "published", tuple(flags))
    if span is not None and span.trailing:
        span = None
    if anchor is not None and anchor.anchor == "explicit":
        year = anchor.year
        if anchor.gregorian:
            flags.append("gregorian-year")
            year -= 621  # the Solar Hijri year that starts in it
        anchor_name = "explicit"
    else:
        if published is None:
            return None
        py, pm, _ = published
        if anchor is not None:
            year = {"current": py, "previous": py - 1, "next": py + 1}[anchor.anchor]
            anchor_name = anchor.anchor
        elif span is not None and span.last >= pm and not whole_year:
            year, anchor_name = py - 1, "implied"  # a span not yet over: last year's
        else:
            year, anchor_name = py, "implied"
    if whole_year and (span is None or not span.single_month):
        return Period(year, 1, 12, "year", anchor_name, tuple(flags))
    if span is not None:
        name = "month" if span.single_month else f"{span.first}-{span.last}"
        return Period(year, span.first, span.last, name, anchor_name, tuple(flags))
    current = published is not None and year == published[0]
    if current:
        assert published is not None
        last = max(published[1] - 1, 1)
        flags.append("year-to-date")
        return Period(year, 1, last, "ytd", anchor_name, tuple(flags))
    return Period(year, 1, 12, "year", anchor_name, tuple(flags))


def _nearest(items: list[Mention], at: int, strong: list[int]) -> Mention | None:
    before = [m for m in items if m.start <= at]
    if before:
        return before[-1]
    after = [m for m in items if m.start > at and not any(at <= b < m.start for b in strong)]
    return after[0] if after else None


def base_period(base: Base | None, period: Period, *, change: bool) -> dict[str, object] | None:
    """The months a change is measured against: the base stated, or for a change with none
    stated the same months a year before (the Iranian releases' convention)."""
    if base is None and not change:
        return None
    kind = base.kind if base is not None else "yoy"
    if kind == "month" and base is not None and base.month is not None:
        m = base.month  # «نسبت به مهرماه»: that month, this year or (if not yet past) the last
        y = period.year if m < period.first_month else period.year - 1
        return {"kind": "month", "year": y, "first_month": m, "last_month": m, "stated": True}
    if kind == "mom":
        y, m = (
            (period.year, period.first_month - 1)
            if period.first_month > 1
            else (period.year - 1, 12)
        )
        return {
            "kind": "mom",
            "year": y,
            "first_month": m,
            "last_month": m,
            "stated": base is not None,
        }
    year = base.year if base is not None and base.year else period.year - 1
    return {
        "kind": "yoy" if kind != "year" else "year",
        "year": year,
        "first_month": period.first_month,
        "last_month": period.last_month,
        "stated": base is not None,
    }
