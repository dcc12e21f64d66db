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
    "مردادماه": 5,
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
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
    anchor: str = ""  # "current", "previous", "explicit"
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


_SPAN_RULES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            rf"{_W}از ابتدای (?:سال|امسال)(?: جاری| گذشته| \d{{4}})? تا پایان (?P<m>{_MONTH})"
            rf"{_E}"
        ),
        "to_month",
    ),
    (
        re.compile(rf"{_W}(?P<m1>{_MONTH})(?: ماه)? تا (?:پایان |آخر )?(?P<m2>{_MONTH}){_E}"),
        "months",
    ),
    (re.compile(rf"{_W}(?:سه ماهه|فصل) (?P<o>{_ORDS}){_E}"), "quarter"),
    (re.compile(rf"{_W}(?:first|second|third|fourth|last) quarter{_E}", re.I), "quarter_en"),
    (re.compile(rf"{_W}(?:فصل )?(?P<s>بهار|تابستان|پاییز|پائیز|زمستان){_E}"), "season"),
    (re.compile(rf"{_W}(?:نیمه|نیم سال|شش ماهه|۶ ماهه|6 ماهه) (?P<o>نخست|اول|دوم){_E}"), "half"),
    (re.compile(rf"{_W}(?P<o>first|second) half{_E}", re.I), "half_en"),
    (re.compile(rf"{_W}{_N} ?(?:ماهه|ماه)(?: (?:نخست|اول|ابتدای|آغازین))?{_E}"), "n_months"),
    (re.compile(rf"{_W}(?:first )?{_N}[ -]months?{_E}", re.I), "n_months"),
    (re.compile(rf"{_W}(?:ماه )?(?P<m>{_MONTH})(?: ?ماه)?{_E}", re.I), "month"),
]
_ANCHOR_RULES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(rf"{_W}(?:سال آینده|سال آتی|سال بعد|next year|the coming year){_E}", re.I),
        "next",
    ),
    (
        re.compile(
            rf"{_W}(?:امسال|سال جاری|سال جاري|this year|the current year|current year)"
            rf"{_E}",
            re.I,
        ),
        "current",
    ),
    (
        re.compile(
            rf"{_W}(?:سال گذشته|سال قبل|پارسال|سال پیش|last year|the previous year)"
            rf"{_E}",
            re.I,
        ),
        "previous",
    ),
    (
        re.compile(
            rf"{_W}(?:سال |year )?(?P<y>1[34]\d\d|19\d\d|20\d\d){_E}"
            rf"(?! ?(?:میلیون|میلیارد|هزار|دلار|یورو|تن|ریال|تومان|درصد|%|کیلو))",
            re.I,
        ),
        "explicit",
    ),
]
#: a count noun after a number: «۱۴۰۰ صادرکننده» counts exporters and names no year
_COUNT_AFTER = re.compile(
    r" ?(?:صادر ?کننده|کشور|مقصد|بازار|شرکت|واحد|تاجر|بازرگان|نفر|فقره|قلم|exporter|compan"
    r"|firm|countr|market|destination)",
    re.I,
)
_YEAR_WORD = re.compile(r"(?:سال|year) ", re.I)
_BASE_RULES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            rf"{_W}(?:نسبت به|در مقایسه با|در قیاس با|در مقایسه بامدت|از)? ?(?:مدت|دوره|"
            rf"بازه|زمان|ماه های|مقطع) (?:مشابه|مشابهِ|همسان) (?:در )?(?:سال |سال های )?"
            rf"(?:گذشته|قبل|پیش|پارسال|(?P<y>1[34]\d\d)){_E}"
        ),
        "yoy",
    ),
    (
        re.compile(
            rf"{_W}(?:compared (?:with|to)|from|against|over) (?:the )?same (?:period|months)"
            rf"(?: of| in)? (?:last year|the previous year|a year earlier|(?P<y>1[34]\d\d))"
            rf"{_E}",
            re.I,
        ),
        "yoy",
    ),
    (re.compile(rf"{_W}(?:year[- ]on[- ]year|y/y|yoy){_E}", re.I), "yoy"),
    (re.compile(rf"{_W}نسبت به ماه (?:قبل|گذشته|پیش){_E}"), "mom"),
    (
        re.compile(
            rf"{_W}(?:نسبت به|در مقایسه با|در قیاس با) (?:ماه )?(?:{_MONTH})(?: ?ماه)? ?"
            rf"(?:سال گذشته|سال قبل|پارسال|سال پیش|(?P<y>1[34]\d\d)){_E}"
        ),
        "yoy",
    ),
    (
        re.compile(
            rf"{_W}(?:نسبت به|در مقایسه با|در قیاس با) (?:سال|مدت) (?:گذشته|قبل|پیش)"
            rf"{_E}"
        ),
        "previous_year",
    ),
    (re.compile(rf"{_W}(?:نسبت به|در مقایسه با) (?:سال )?(?P<y>1[34]\d\d){_E}"), "year"),
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
        b = Base(kind, m.start(), m.end(), int(y) if y else None)
        if best is None or b.start < best.start:
            best = b
    return best


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def find_mentions(norm: str) -> list[Mention]:
    """Every span and anchor in a normalised sentence (its base's words left out)."""
    text = norm
    base = find_base(text)
    while base is not None:
        text = _blank(text, base.start, base.end)
        base = find_base(text)
    out: list[Mention] = []
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
                y = int(m.group("y"))
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


def resolve(
    mentions: list[Mention],
    published: tuple[int, int, int] | None,
    *,
    at: int,
    whole_year: bool = False,
) -> Period | None:
    """The period of a claim at offset ``at`` of its sentence from the sentence's mentions:
    the nearest span and anchor before it (else after it), resolved with the publication
    date (year, month, day). ``whole_year``: a target or forecast is about a whole year.
    None when the period is relative and there is no publication date."""
    spans = [m for m in mentions if m.kind == "span"]
    anchors = [m for m in mentions if m.kind == "anchor"]
    span = _nearest(spans, at)
    anchor = _nearest(anchors, at)
    flags: list[str] = []
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


def _nearest(items: list[Mention], at: int) -> Mention | None:
    before = [m for m in items if m.start <= at]
    if before:
        return before[-1]
    after = [m for m in items if m.start > at]
    return after[0] if after else None


def base_period(base: Base | None, period: Period, *, change: bool) -> dict[str, object] | None:
    """The months a change is measured against: the base stated, or for a change with none
    stated the same months a year before (the Iranian releases' convention)."""
    if base is None and not change:
        return None
    kind = base.kind if base is not None else "yoy"
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
