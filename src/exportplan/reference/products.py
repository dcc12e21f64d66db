"""Product names: the HS 2022 nomenclature in English (sections, chapters, headings,
subheadings) with Persian names of the sections, chapters and headings, looked up by code
(with the code's parents) and searched by name in either language.

The English text is the World Customs Organization's HS 2022 as UN Comtrade publishes it
(``data/hs2022.csv``, ``data/hs2022_sections.csv``; repository datasets/harmonized-system,
ODC-PDDL-1.0, public domain). The Persian names (``data/hs2022_fa.csv``) are this project's,
written with one term per concept (docs/products.md#glossary). A national tariff book adds
names at 8 digits (and may replace these): the caller passes them as ``extra``
(``code -> name`` of one language), so this module never reads the warehouse.

Search normalises Persian as files write it: Arabic ``ي``/``ك`` are Persian ``ی``/``ک``,
a zero-width non-joiner joins (``سیب‌زمینی`` is one word, ``سیب زمینی`` still finds it),
Persian and Arabic digits are ASCII digits. Ranking: the exact code, then codes starting with
the query's digits, then name matches (whole word before word start before anywhere; then
the shorter code, then the code).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from exportplan.errors import InputError, NotFoundError
from exportplan.reference.text import DIGITS

__all__ = [
    "LEVELS",
    "LICENCE",
    "Product",
    "Scored",
    "clean_code",
    "code_level",
    "lineage",
    "name",
    "nomenclature",
    "normalise",
    "product",
    "search",
]

#: Where the English nomenclature comes from, said wherever it is shown or shipped
LICENCE = (
    "HS 2022 nomenclature (English): World Customs Organization via UN Comtrade, "
    "repository datasets/harmonized-system, ODC-PDDL-1.0 (public domain dedication)"
)

#: Levels by code length; sections are Roman numerals
LEVELS: dict[int, str] = {
    2: "chapter",
    4: "heading",
    6: "subheading",
    8: "national",
    10: "national",
}

_ROMAN = re.compile(r"^[IVX]+$")
_LETTERS = {ord(a): b for a, b in {"ي": "ی", "ك": "ک", "ى": "ی", "ة": "ه", "ۀ": "ه"}.items()} | {
    ord("ـ"): None
}


@dataclass(frozen=True)
class Product:
    """One code of the nomenclature: its level, parent code (``None`` for a section) and names
    (``""`` where the language has none)."""

    code: str
    level: str
    parent: str | None
    name_en: str
    name_fa: str

    def name(self, lang: str) -> str:
        return self.name_fa if lang == "fa" else self.name_en

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Scored:
    """A search hit: the product and why it ranks where it does (``code``, ``prefix``,
    ``name``)."""

    product: Product
    match: str


def _read(name: str) -> list[dict[str, str]]:
    text = files("exportplan.reference").joinpath("data", name).read_text("utf-8-sig")
    return list(csv.DictReader(text.splitlines()))


@cache
def nomenclature() -> dict[str, Product]:
    """Every code of HS 2022 by code: sections by Roman numeral, chapters, headings,
    subheadings (chapter 99, "not classified", included, in no section)."""
    fa = {r["code"]: r["name_fa"] for r in _read("hs2022_fa.csv")}
    out: dict[str, Product] = {}
    for r in _read("hs2022_sections.csv"):
        s = r["section"]
        en = r["name"][:1].upper() + r["name"][1:]
        out[s] = Product(s, "section", None, en, fa.get(s, ""))
    for r in _read("hs2022.csv"):
        code = r["hscode"]
        if code == "TOTAL":
            continue
        # a chapter's parent is its section; chapter 99 (not classified) is in none
        section = r["section"] if r["section"] in out else None
        parent = section if len(code) == 2 else r["parent"]
        out[code] = Product(code, LEVELS[len(code)], parent, r["description"], fa.get(code, ""))
    return out


def code_level(code: str) -> str:
    """The level of a code by its form (section, chapter, heading, subheading, national)."""
    if _ROMAN.match(code):
        return "section"
    if code.isdigit() and len(code) in LEVELS:
        return LEVELS[len(code)]
    raise InputError(
        f"{code!r} is not a product code (a section I-XXI, or 2, 4, 6, 8 or 10 digits)",
        hint="give an HS code such as 0808 or 080810, or search by name with --search",
    )


def clean_code(raw: str) -> str:
    """A code as typed (Persian digits, dots, a lost leading zero) in its stored form."""
    s = raw.strip().translate(DIGITS).replace(".", "").replace(" ", "")
    if s.upper() != s and _ROMAN.match(s.upper()):
        s = s.upper()
    if s.isdigit() and len(s) % 2 == 1:  # a lost leading zero: 808 -> 0808
        s = "0" + s
    return s


class _Loaded:
    """The names of the imported tariff books, read the first time a code asks for them."""

    def __init__(self, load: Callable[[], Mapping[str, Mapping[str, str]]]) -> None:
        self._load = load
        self._names: Mapping[str, Mapping[str, str]] | None = None

    def get(self) -> Mapping[str, Mapping[str, str]]:
        if self._names is None:
            self._names = self._load()
        return self._names


#: The tariff books' names of the workspace being served (a request, a command), used by every
#: name asked without ``extra``: a table, chart, reason or report shows a national code by the
#: tariff book's name wherever one is loaded (issue 16)
_NATIONAL: ContextVar[_Loaded | None] = ContextVar("exportplan_national_names", default=None)


@contextmanager
def national_names(load: Callable[[], Mapping[str, Mapping[str, str]]]) -> Iterator[None]:
    """Within the block, codes are named by ``load()``'s names (``lang -> code -> name``,
    read once, only when a name is asked) unless a caller passes its own ``extra``."""
    token = _NATIONAL.set(_Loaded(load))
    try:
        yield
    finally:
        _NATIONAL.reset(token)


def _names_in_use() -> Mapping[str, Mapping[str, str]]:
    loaded = _NATIONAL.get()
    return loaded.get() if loaded is not None else {}


def product(raw: str, extra: Mapping[str, Mapping[str, str]] | None = None) -> Product:
    """The product of a code (Persian digits read; ``808`` is ``0808``). A national code (8 or
    10 digits) exists where ``extra`` (``lang -> code -> name``) names it; otherwise
    :class:`NotFoundError`."""
    code = clean_code(raw)
    code_level(code)
    found = nomenclature().get(code)
    ex = extra if extra is not None else _names_in_use()
    en, fa = ex.get("en", {}).get(code, ""), ex.get("fa", {}).get(code, "")
    if found is not None:
        if en or fa:
            return Product(
                code, found.level, found.parent, en or found.name_en, fa or found.name_fa
            )
        return found
    if len(code) >= 8 and (en or fa) and code[:6] in nomenclature():
        return Product(code, "national", code[:6], en, fa)
    raise NotFoundError(
        f"product code {code} is not in HS 2022"
        + (" nor in the imported tariff book" if len(code) >= 8 else ""),
        hint="search by name: exportplan reference product --search TEXT",
    )


def lineage(raw: str, extra: Mapping[str, Mapping[str, str]] | None = None) -> list[Product]:
    """The code and its parents, from its section down to it."""
    p = product(raw, extra)
    chain = [p]
    while chain[-1].parent is not None:
        chain.append(product(chain[-1].parent, extra))
    return chain[::-1]


def name(code: str, lang: str, extra: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """A code's name in ``lang``: its own, else (a Persian subheading has none; a code HS 2022
    does not know) the nearest parent's; ``""`` when no part of the code is known."""
    chain: list[Product] = []
    c = clean_code(code)
    while c and not chain:  # a code HS 2022 does not know: its nearest known parent's name
        try:
            chain = lineage(c, extra)
        except (InputError, NotFoundError):
            c = c[:-2] if len(c) > 2 and c.isdigit() else ""
    for p in reversed(chain):
        if p.name(lang):
            return p.name(lang)
    return ""


def normalise(text: str) -> str:
    """Text as search compares it: NFKC, lower case, Arabic letters as Persian, a ZWNJ
    joining, tatweel and diacritics gone, ASCII digits, punctuation as spaces."""
    s = unicodedata.normalize("NFKD", text.translate(DIGITS))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = unicodedata.normalize("NFC", s).lower()
    s = s.translate(_LETTERS)
    s = s.replace("\u200c", "").replace("\u200f", "").replace("\u200e", "")
    s = re.sub(r"[^\w]+", " ", s)
    return s.strip()


def _name_rank(query: str, text: str) -> int | None:
    """0 whole word, 1 word start, 2 anywhere (spaces ignored), None no match."""
    words = text.split()
    q_words = query.split()
    if len(q_words) == 1:
        if query in words:
            return 0
        if any(w.startswith(query) for w in words):
            return 1
    elif f" {query} " in f" {text} ":
        return 0
    if query.replace(" ", "") in text.replace(" ", ""):
        return 2
    return None


def search(
    text: str,
    lang: str | None = None,
    *,
    extra: Mapping[str, Mapping[str, str]] | None = None,
    levels: tuple[str, ...] | None = None,
    limit: int = 20,
) -> list[Scored]:
    """Codes whose code or name (in ``lang``, or in either language when ``None``) matches
    ``text``, best first (see the module's ranking)."""
    q = normalise(text)
    if not q:
        raise InputError("give a code or a word to search for", hint="for example سیب or 0808")
    ex = extra or {}
    base = nomenclature()
    keys = _keys()
    named = {c for lg in ("en", "fa") for c in ex.get(lg, {})}
    if named:
        keys = dict(keys)
        for c in named:
            if c in base or (len(c) >= 8 and c[:6] in base):
                p = product(c, ex)
                keys[c] = _key(p)
    langs = (0, 1) if lang not in ("en", "fa") else ((1,) if lang == "fa" else (0,))
    compact = q.replace(" ", "")
    ranked: list[tuple[tuple[int, int, int, str], str, str]] = []
    for code, names in keys.items():
        level = base[code].level if code in base else "national"
        if levels and level not in levels:
            continue
        if compact.isdigit():
            if code == compact:
                ranked.append(((0, 0, 0, code), code, "code"))
            elif code.startswith(compact):
                ranked.append(((1, len(code), 0, code), code, "prefix"))
            continue
        if code.lower() == compact:  # a section's numeral
            ranked.append(((0, 0, 0, code), code, "code"))
            continue
        found = [
            r
            for i in langs
            if compact in names[i + 2] and (r := _name_rank(q, names[i])) is not None
        ]
        if found:
            ranked.append(((2, min(found), _ORDER.get(level, len(code)), code), code, "name"))
    ranked.sort(key=lambda x: x[0])
    return [Scored(product(c, ex) if c in named else base[c], m) for _k, c, m in ranked[:limit]]


#: Levels in the order name matches are listed: sections, chapters, headings, subheadings
_ORDER = {"section": 1, "chapter": 2, "heading": 4, "subheading": 6, "national": 8}


def _key(p: Product) -> tuple[str, str, str, str]:
    en, fa = normalise(p.name_en), normalise(p.name_fa)
    return en, fa, en.replace(" ", ""), fa.replace(" ", "")


@cache
def _keys() -> dict[str, tuple[str, str, str, str]]:
    return {c: _key(p) for c, p in nomenclature().items()}
