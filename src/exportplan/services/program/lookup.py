"""Finding a product by its name for the program's forms: an HS code is given as digits, or as
words that name one product (the warehouse's product names, then the HS chapters); words that
name several are refused with the candidates, so the person can choose."""

from __future__ import annotations

from typing import Any

from exportplan.reference.hs import chapters
from exportplan.services.program.validation import RuleError

__all__ = ["find_products", "hs_from_words"]


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
        hits = find_products(ws, name)
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
