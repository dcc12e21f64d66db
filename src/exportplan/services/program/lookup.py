"""Finding a product or a country by its name for the program's forms: an HS code is given as
digits, or as words that name one product (the warehouse's product names, then the HS chapters,
then the nomenclature's names in either language); words that name several are refused with
the candidates, so the person can choose. The forms' type-ahead lists (:func:`suggest_hs`,
:func:`suggest_markets`) offer the field's text completed with a code."""

from __future__ import annotations

from typing import Any

from exportplan.errors import InputError
from exportplan.reference import countries
from exportplan.reference.hs import chapters
from exportplan.reference.text import match_key
from exportplan.services import products
from exportplan.services.program.validation import RuleError

__all__ = ["find_countries", "find_products", "hs_from_words", "suggest_hs", "suggest_markets"]

#: The nomenclature's levels a priority's or a KPI's product is chosen at
LEVELS = ("chapter", "heading", "subheading")


def named_products(ws: Any, words: str, *, limit: int = 8) -> list[tuple[str, str, str]]:
    """Products (code, English name, Persian name) found by the product search (the header's
    product box, ``reference product --search``) for ``words`` in either language, best
    first; none for text that is no search."""
    try:
        hits = products.find(ws, words, None, levels=LEVELS, limit=limit)
    except InputError:
        return []
    return [(h.product.code, h.product.name_en, h.product.name_fa) for h in hits]


def find_countries(text: str, *, limit: int = 8) -> list[countries.Country]:
    """Countries whose English or Persian name (Persian letters unified, any case) or code
    holds every word of ``text``: names that start with it first."""
    terms = match_key(text).split()
    if not terms:
        return []
    scored: list[tuple[int, str, countries.Country]] = []
    for c in countries.all_countries():
        keys = [match_key(c.name_en), match_key(c.name_fa), c.iso3.lower()]
        if all(any(t in k for k in keys) for t in terms):
            first = 0 if any(k.startswith(terms[0]) for k in keys) else 1
            scored.append((first, c.name_en, c))
    return [c for _, _, c in sorted(scored, key=lambda x: (x[0], x[1]))[:limit]]


def suggest_hs(ws: Any, text: str, lang: str) -> list[tuple[str, str]]:
    """The HS field's type-ahead: for the words after its last code, the products they name,
    each offered as the field's codes with that product's code in place of the words
    (value, label in ``lang``)."""
    parts = text.replace(",", " ").split()
    keep = [p for p in parts if p.isdigit()]
    words = " ".join(p for p in parts if not p.isdigit())
    if len(words) < 2:
        return []
    head = " ".join(keep)
    out = []
    for code, en, fa in named_products(ws, words):
        name = (fa or en) if lang == "fa" else (en or fa)
        out.append((f"{head} {code}".strip(), f"{code} {name[:70]}"))
    return out


def suggest_markets(text: str, lang: str) -> list[tuple[str, str]]:
    """The markets field's type-ahead: for the text after its last comma, the countries it
    names, each offered as the field with that country's code in place of the text."""
    *done, last = text.split(",")
    if not last.strip():
        return []
    head = ", ".join(d.strip() for d in done if d.strip())
    out = []
    for c in find_countries(last):
        name = (c.name_fa or c.name_en) if lang == "fa" else c.name_en
        out.append((f"{head}, {c.iso3}" if head else c.iso3, f"{name} ({c.iso3})"))
    return out


def find_products(ws: Any, words: str, *, limit: int = 8) -> list[tuple[str, str]]:
    """Products (code, name) whose name holds every word of ``words`` (any case): the
    warehouse's HS4 and HS6 names, then the HS chapters'."""
    terms = [w.lower() for w in words.split() if w]
    if not terms:
        return []
    found: list[tuple[str, str]] = []
    with ws.warehouse(read_only=True) as con:
        where = " AND ".join("lower(name) LIKE ?" for _ in terms)
        rows = con.execute(
            "SELECT code, any_value(name) FROM hs_names WHERE length(code) IN (4, 6) AND "
            f"{where} GROUP BY code ORDER BY length(code), code LIMIT ?",
            [*(f"%{t}%" for t in terms), limit],
        ).fetchall()
    found = [(str(c), str(n)) for c, n in rows]
    for code, name in chapters().items():
        if len(found) >= limit:
            break
        if all(t in name.lower() for t in terms):
            found.append((code, name))
    return found


def hs_from_words(ws: Any, text: str) -> list[str]:
    """The HS codes of a form's field: digits kept as written; a run of words between them is
    a product's name, which must name exactly one product."""
    out: list[str] = []
    words: list[str] = []

    def flush() -> None:
        if not words:
            return
        name = " ".join(words)
        words.clear()
        hits = find_products(ws, name) or [(c, fa or en) for c, en, fa in named_products(ws, name)]
        if len(hits) == 1:
            out.append(hits[0][0])
            return
        if not hits:
            raise RuleError("hs_codes", f"HS codes: no product is named {name!r}")
        shown = "; ".join(f"{c} {n[:40]}" for c, n in hits[:5])
        raise RuleError(
            "hs_codes", f"HS codes: {name!r} names {len(hits)} products: {shown}; give the code"
        )

    for part in text.replace(",", " ").split():
        if part.isdigit():
            flush()
            out.append(part)
        else:
            words.append(part)
    flush()
    return out
