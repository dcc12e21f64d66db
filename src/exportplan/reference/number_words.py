"""Numbers as Persian and English news texts write them: digits of any script with ``٫`` and
``٬``, number words (``یک میلیارد و دویست و چهل و چهار میلیون``), digits mixed with scale
words (``۱٫۲ میلیارد``, ``۸۵۴ میلیون و ۳۷۴ هزار``), ``نیم`` and ``و نیم``, decimal words
(``یک و پنج دهم``), each found with its place in the text and its stated precision.

The text is first put in a normal form of the same length (:func:`normalise`: digits ASCII,
Arabic ``ي``/``ك`` Persian, ZWNJ a space, ``٫`` a point, ``٬`` a comma), so a number's offsets
are its offsets in the text as written. ``بیلیون`` is read as 10^9 (the short scale, as news
uses it) and flagged ``ambiguous-billion``: in the long scale it is 10^12. Rule-based and
dependency-free (docs/claims.md says why no Persian NLP package is used).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

_SAME_LENGTH = str.maketrans(
    {
        **dict(zip("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789", strict=True)),
        "ي": "ی",
        "ك": "ک",
        "ى": "ی",
        "ۀ": "ه",
        "ة": "ه",
        "\u200c": " ",
        "\u200f": " ",
        "\u200e": " ",
        "\u00a0": " ",
        "٫": ".",
        "٬": ",",
        "٪": "%",
        "،": "،",
    }
)


def normalise(text: str) -> str:
    """``text`` with ASCII digits, Persian letters, ZWNJ as a space, ``٫`` as ``.``, ``٬`` as
    ``,`` and ``٪`` as ``%``: one character for one, so offsets carry over."""
    return text.translate(_SAME_LENGTH)


UNITS: dict[str, int] = {
    "صفر": 0,
    "یک": 1,
    "یه": 1,
    "دو": 2,
    "سه": 3,
    "چهار": 4,
    "پنج": 5,
    "شش": 6,
    "شیش": 6,
    "هفت": 7,
    "هشت": 8,
    "نه": 9,
}
TEENS: dict[str, int] = {
    "ده": 10,
    "یازده": 11,
    "دوازده": 12,
    "سیزده": 13,
    "چهارده": 14,
    "پانزده": 15,
    "پونزده": 15,
    "شانزده": 16,
    "هفده": 17,
    "هیفده": 17,
    "هجده": 18,
    "هیجده": 18,
    "نوزده": 19,
}
TENS: dict[str, int] = {
    "بیست": 20,
    "سی": 30,
    "چهل": 40,
    "پنجاه": 50,
    "شصت": 60,
    "هفتاد": 70,
    "هشتاد": 80,
    "نود": 90,
}
HUNDREDS: dict[str, int] = {
    "صد": 100,
    "یکصد": 100,
    "دویست": 200,
    "سیصد": 300,
    "چهارصد": 400,
    "پانصد": 500,
    "پونصد": 500,
    "ششصد": 600,
    "هفتصد": 700,
    "هشتصد": 800,
    "نهصد": 900,
}
SCALES: dict[str, int] = {
    "هزار": 10**3,
    "میلیون": 10**6,
    "ملیون": 10**6,
    "میلیارد": 10**9,
    "ملیارد": 10**9,
    "بیلیون": 10**9,
    "تریلیون": 10**12,
    "thousand": 10**3,
    "million": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "bln": 10**9,
    "trillion": 10**12,
}
#: scales written as one letter after digits ("USD 3m", "$1.2b", "5k")
_LETTER_SCALES = {"m": 10**6, "b": 10**9, "k": 10**3}
#: currencies written before their amount, after which "m" and "b" are scales
_MONEY_BEFORE = ("$", "usd", "us$", "€", "eur", "rls", "irr")
HALF = "نیم"
_HALF = Decimal("0.5")
#: decimal words: ``پنج دهم`` = 0.5, ``بیست و پنج صدم`` = 0.25
FRACTIONS: dict[str, int] = {
    "دهم": 10,
    "صدم": 100,
    "هزارم": 1000,
    "ده هزارم": 10**4,
    "صد هزارم": 10**5,
    "میلیونم": 10**6,
}
ENGLISH: dict[str, int] = {
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
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
}
WORDS: dict[str, int] = {**UNITS, **TEENS, **TENS, **HUNDREDS, **ENGLISH}
AND = ("و", "and")

_PERSIAN_WORDS = "|".join(
    sorted((w for w in (*WORDS, *SCALES) if not w.isascii()), key=len, reverse=True)
)
#: what :func:`squeeze` mends in a normalised text (see there)
_MENDS = re.compile(
    r"(?P<mark>[\u064b-\u065f\u0670\u0640])"  # harakat, the hamza of «هٔ», tatweel
    r"|(?P<ezafe>(?<=ه) +ی(?![\w]))"  # «نیمه‌ی نخست»: the ezafe written out
    r"|(?P<spaces>  +)"  # a ZWNJ next to a space, doubled spaces
    rf"|(?P<vav>(?<=\s)و(?=(?:{_PERSIAN_WORDS})(?!\w)))"  # «سی‌وپنج»: و glued to a number word
    r"|(?P<vav2>(?<=ارد|یون|زار)و(?= ))"  # «میلیاردو ۲۰۰»: و glued to the scale
    r"|(?P<decimal>(?<=\d)[/،,](?=\d{1,2} ?(?:میلیارد|میلیون|هزار|درصد|دلار|تن|%)))"
)
_MENDED = {"mark": "", "ezafe": "", "spaces": " ", "vav": "و ", "vav2": " و", "decimal": "."}


def squeeze(norm: str) -> tuple[str, list[int]]:
    """A normalised text mended for reading, with where each of its characters was written:
    diacritics and tatweel dropped, a written-out ezafe dropped («نیمه‌ی نخست» is «نیمه
    نخست»), runs of spaces (a ZWNJ beside a space) one space, a ``و`` glued to a number word
    or a scale split off («سی‌وپنج», «میلیاردو»), and ``/`` or ``,`` between a digit and one
    or two digits before a scale or unit read as the decimal point («۱/۲ میلیارد»). The
    list gives, for each character of the result (and one past its end), its offset in
    ``norm``, so a claim found in the mended text is marked in the text as written."""
    out: list[str] = []
    where: list[int] = []
    done = 0
    for m in _MENDS.finditer(norm):
        out.append(norm[done : m.start()])
        where.extend(range(done, m.start()))
        new = _MENDED[str(m.lastgroup)]
        out.append(new)
        if m.lastgroup == "vav":
            where.extend((m.start(), m.end()))
        elif m.lastgroup == "vav2":
            where.extend((m.end(), m.start()))
        else:
            where.extend([m.start()] * len(new))
        done = m.end()
    out.append(norm[done:])
    where.extend(range(done, len(norm) + 1))
    return "".join(out), where


# a digit run: 1,244,000 or 1.244 or .5 (commas inside the run group thousands)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_TOKEN = re.compile(rf"(?P<num>{_DIGITS})|(?P<word>[^\W\d_]+)|(?P<sym>\S)", re.UNICODE)


@dataclass(frozen=True)
class Token:
    """A piece of normalised text: ``num`` (digits), ``word`` or ``sym``, with its span."""

    kind: str
    text: str
    start: int
    end: int


def tokens(norm: str) -> list[Token]:
    """The tokens of a normalised text (see :func:`normalise`)."""
    out = []
    for m in _TOKEN.finditer(norm):
        kind = m.lastgroup or "sym"
        out.append(Token(kind, m.group(), m.start(), m.end()))
    return out


@dataclass(frozen=True)
class Number:
    """A number found in a text: its value, where it is (``start``/``end`` in the text, and
    ``first``/``last`` token indexes), the unit of its last stated digit (``step``: 0.1 for
    ``۱٫۲``, 10^8 for ``۱٫۲ میلیارد``, 10^6 for ``۸۵۴ میلیون``), and flags."""

    value: float
    start: int
    end: int
    first: int
    last: int
    step: float
    words: bool = False  # written (at least partly) in words
    flags: tuple[str, ...] = field(default_factory=tuple)
    exact: Decimal = Decimal(0)  # the value in decimal arithmetic (``value`` is its float)
    exact_step: Decimal = Decimal(1)

    @property
    def is_integer(self) -> bool:
        return float(self.value).is_integer()


_ONE = Decimal(1)
_TEN = Decimal(10)


def _digit_value(text: str) -> tuple[Decimal, Decimal]:
    """A digit run's value and the unit of its last stated digit (exact decimals: «۴٫۱»
    is 41/10, not the float nearest to it)."""
    plain = text.replace(",", "")
    if "." in plain:
        decimals = len(plain.split(".")[1])
        return Decimal(plain), _TEN**-decimals
    value = int(plain)
    if value == 0:
        return Decimal(0), _ONE
    zeros = len(plain) - len(plain.rstrip("0"))
    # 20 or 300 state their last digit; 1,244,000,000 states millions
    step = _TEN**zeros if value >= 1000 else _ONE
    return Decimal(value), step


def _magnitude(value: Decimal) -> int:
    """The class of a component of a number written with و: 2 hundreds, 1 tens, 0 units."""
    if value >= 100:
        return 2
    if value >= 10:
        return 1
    return 0


def _fraction_at(toks: list[Token], i: int) -> tuple[int, int] | None:
    """A decimal word starting at token ``i`` (``دهم``, ``ده هزارم``): (denominator, tokens)."""
    one = toks[i].text if toks[i].kind == "word" else ""
    two = f"{one} {toks[i + 1].text}" if i + 1 < len(toks) else ""
    if two in FRACTIONS:
        return FRACTIONS[two], 2
    if one in FRACTIONS:
        return FRACTIONS[one], 1
    return None


@dataclass
class _Part:
    """One element of a number phrase: a value under 1000 (digits or words), a scale, or a
    half."""

    kind: str  # "value", "scale", "half"
    value: Decimal
    index: int
    step: Decimal = _ONE
    words: bool = False


def _element(toks: list[Token], i: int) -> _Part | None:
    tok = toks[i]
    if tok.kind == "num":
        value, step = _digit_value(tok.text)
        return _Part("value", value, i, step)
    if tok.kind != "word":
        return None
    w = tok.text.lower() if tok.text.isascii() else tok.text
    if w in SCALES:
        # "m" and "k" only right after digits (USD 3m); the words anywhere
        return _Part("scale", Decimal(SCALES[w]), i, words=True)
    if w in _LETTER_SCALES and i > 0 and toks[i - 1].kind == "num":
        # "m", "b" and "k" right after digits (USD 3m), or apart from them after a currency
        # ("USD 200 m", "$200 m"); "200 m" alone may be metres
        glued = toks[i - 1].end == tok.start
        if glued or (i > 1 and toks[i - 2].text.lower() in _MONEY_BEFORE):
            return _Part("scale", Decimal(_LETTER_SCALES[w]), i, words=True)
    if w == HALF:
        return _Part("half", _HALF, i, words=True)
    if w in WORDS:
        return _Part("value", Decimal(WORDS[w]), i, words=True)
    return None


def _is_whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


def _join_ok(prev: _Part, nxt: _Part, seen_scale: Decimal | None) -> bool:
    """Whether ``nxt`` continues the number after ``prev`` and a ``و``."""
    if nxt.kind == "scale":
        return False
    if nxt.kind == "half":
        return True
    if prev.kind == "scale":
        return nxt.value < prev.value
    if prev.kind == "half":
        return False
    if not prev.words or not nxt.words:
        return False  # ۳ و ۵ are two numbers
    if not _is_whole(prev.value) or not _is_whole(nxt.value):
        return False
    if seen_scale is not None and nxt.value >= seen_scale:
        return False
    return _magnitude(nxt.value) < _magnitude(prev.value)


def _evaluate(parts: list[_Part]) -> tuple[Decimal, Decimal, tuple[str, ...]]:
    """The value of a phrase's parts, the unit of its last stated digit, and its flags."""
    total, group = Decimal(0), Decimal(0)
    last_scale: Decimal | None = None
    step = _ONE
    for k, p in enumerate(parts):
        prev = parts[k - 1] if k else None
        if p.kind == "scale":
            if prev is not None and prev.kind == "scale":
                total *= p.value  # "هزار میلیارد": a thousand billions
                step *= p.value
            else:
                total += (group if group else _ONE) * p.value
                if prev is not None and prev.kind == "half":
                    step = _HALF * p.value
                else:
                    step = (prev.step if prev is not None else _ONE) * p.value
            group = Decimal(0)
            last_scale = p.value
        elif p.kind == "half":
            if group == 0 and last_scale is not None and total:
                total += _HALF * last_scale  # "دو میلیارد و نیم"
                step = _HALF * last_scale
            else:
                group += _HALF
                step = _HALF
        else:
            group += p.value
            step = p.step
    return total + group, step, ()


def _fraction_ahead(toks: list[Token], k: int) -> bool:
    """Whether the word-number run starting at token ``k`` (joined by و) ends in a decimal
    word (``... و بیست و پنج صدم``)."""
    while k < len(toks):
        el = _element(toks, k)
        if el is None or el.kind != "value" or not el.words:
            return False
        k += 1
        if k < len(toks) and _fraction_at(toks, k) is not None:
            return True
        if k + 1 < len(toks) and toks[k].text in AND:
            k += 1
            continue
        return False
    return False


def find_numbers(norm: str, toks: list[Token] | None = None) -> list[Number]:
    """Every number in a normalised text, left to right, each phrase read whole (``یک میلیارد
    و دویست و چهل و چهار میلیون`` is one number; ``۲۰ درصد و وزن ۲۸`` are two)."""
    toks = tokens(norm) if toks is None else toks
    found: list[Number] = []
    i = 0
    while i < len(toks):
        first = _element(toks, i)
        plural = i + 1 < len(toks) and toks[i + 1].text == "ها"  # "میلیون ها" is no number
        if first is None or (first.kind == "scale" and (plural or toks[i].text.isascii())):
            i += 1
            continue
        parts = [first]
        seen_scale: Decimal | None = first.value if first.kind == "scale" else None
        fraction: int | None = None
        j = i + 1
        while j < len(toks):
            el = _element(toks, j)
            last = parts[-1]
            if el is not None and el.kind == "scale":
                if last.kind != "scale" and (seen_scale is None or el.value < seen_scale):
                    parts.append(el)
                    seen_scale = el.value
                    j += 1
                    continue
                if last.kind == "scale" and el.value > last.value and len(parts) <= 2:
                    parts.append(el)  # "صد هزار میلیارد" is not news; "هزار میلیارد" is
                    seen_scale = el.value * last.value
                    j += 1
                    continue
                if last.kind == "value" and seen_scale == 1000 and el.value > 1000:
                    # «هزار و ۲۰۰ میلیارد»: the thousands count the bigger scale
                    value, step, _ = _evaluate(parts)
                    parts = [_Part("value", value, parts[0].index, step, words=True), el]
                    seen_scale = el.value
                    j += 1
                    continue
                break
            if last.kind == "value" and last.words:
                frac = _fraction_at(toks, j)
                if frac is not None:
                    fraction = frac[0]
                    j += frac[1]
                    break
            if toks[j].kind == "word" and toks[j].text in AND and j + 1 < len(toks):
                nxt = _element(toks, j + 1)
                if nxt is not None and (
                    _join_ok(last, nxt, seen_scale)
                    or (
                        nxt.kind == "value"
                        and last.words
                        and nxt.words
                        and _fraction_ahead(toks, j + 1)
                    )
                ):
                    parts.append(nxt)
                    j += 2
                    continue
            break
        if fraction is not None:
            number = _with_fraction(toks, parts, fraction, i, j)
        else:
            value, step, flags = _evaluate(parts)
            number = _number(toks, parts, i, j, value, step, flags)
        if number is not None:
            found.append(number)
        i = max(j, i + 1)
    return found


def _well_formed(parts: list[_Part]) -> bool:
    for a, b in itertools.pairwise(parts):
        if b.kind == "scale" or a.kind == "scale":
            continue
        if _magnitude(b.value) >= _magnitude(a.value):
            return False
    return True


def _with_fraction(
    toks: list[Token], parts: list[_Part], denominator: int, i: int, j: int
) -> Number | None:
    """A phrase ending in a decimal word: the longest well-formed integer part that leaves a
    numerator below the denominator (``یکصد و یک صدم`` is 100.01)."""
    for split in range(len(parts) - 1, -1, -1):
        head, tail = parts[:split], parts[split:]
        if head and not _well_formed(head):
            continue
        if not _well_formed(tail):
            continue
        numerator, _, _ = _evaluate(tail)
        if not 0 < numerator < denominator or not _is_whole(numerator):
            continue
        whole, _, flags = _evaluate(head) if head else (Decimal(0), _ONE, ())
        value = whole + numerator / Decimal(denominator)
        return _number(toks, parts, i, j, value, _ONE / Decimal(denominator), flags)
    return None


def _number(
    toks: list[Token],
    parts: list[_Part],
    i: int,
    j: int,
    value: Decimal,
    step: Decimal,
    flags: tuple[str, ...],
) -> Number | None:
    if not value.is_finite():
        return None
    if any(toks[p.index].text == "بیلیون" for p in parts):
        flags = (*flags, "ambiguous-billion")
    last = j - 1
    return Number(
        value=float(value),
        exact=value,
        start=toks[i].start,
        end=toks[last].end,
        first=i,
        last=last,
        step=float(step),
        exact_step=step,
        words=any(p.words for p in parts),
        flags=flags,
    )


def parse(text: str) -> float:
    """The one number ``text`` writes (digits, words or both), or a ValueError."""
    norm = normalise(text).strip()
    toks = tokens(norm)
    sign = 1.0
    if toks and toks[0].text in ("منفی", "-"):
        sign, toks = -1.0, toks[1:]
    nums = find_numbers(norm, toks)
    if len(nums) != 1 or nums[0].first != 0 or nums[0].last != len(toks) - 1:
        raise ValueError(f"{text!r} is not one number")
    return sign * nums[0].value
