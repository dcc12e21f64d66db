"""Product names for every front door: a code's name at its level with its parents, and
searching codes by name in either language, the HS 2022 nomenclature with the names of the
imported tariff books (:func:`exportplan.reference.products`)."""

from __future__ import annotations

from contextlib import AbstractContextManager

from exportplan.errors import InputError, NotFoundError
from exportplan.reference import products as ref
from exportplan.reference.products import Product, Scored
from exportplan.store.warehouse import queries
from exportplan.workspace import Workspace

__all__ = ["Product", "Scored", "describe", "extra", "find", "naming", "resolve"]

Names = dict[str, dict[str, str]]


def extra(ws: Workspace | None) -> Names:
    """The imported names (``lang -> code -> name``); none without a workspace."""
    if ws is None:
        return {}
    with ws.warehouse(read_only=True) as con:
        return queries.national_names(con)


def naming(ws: Workspace) -> AbstractContextManager[None]:
    """A block in which every product name shown uses the workspace's tariff books (read once,
    when a name is first asked): the web app wraps each request in it, the commands their
    reports."""
    return ref.national_names(lambda: extra(ws))


def describe(ws: Workspace | None, code: str) -> list[Product]:
    """The code and its parents, section first."""
    return ref.lineage(code, extra(ws))


def find(
    ws: Workspace | None,
    text: str,
    lang: str | None = None,
    *,
    levels: tuple[str, ...] | None = None,
    limit: int = 20,
) -> list[Scored]:
    """Codes matching ``text`` by code or by name, best first."""
    return ref.search(text, lang, extra=extra(ws), levels=levels, limit=limit)


def resolve(ws: Workspace | None, text: str, lang: str = "en", *, digits: int = 4) -> str:
    """The code of ``digits`` digits a person means by ``text``: a code (its first ``digits``
    digits), or the best match of a name search; an :class:`InputError` when nothing matches
    (in the page's language)."""
    from exportplan.i18n import label as t

    raw = text.strip()
    code = ref.clean_code(raw)
    if code.isdigit() and len(code) >= digits:
        return code[:digits]
    levels = tuple(
        lv for lv, n in (("heading", 4), ("subheading", 6), ("national", 8)) if n >= digits
    )
    try:
        hits = find(ws, raw, None, levels=levels, limit=1)
    except InputError:
        hits = []
    if not hits:
        raise NotFoundError(
            t("no product matches {text}", lang).format(text=repr(raw[:40])),
            hint=t("type a code such as 0808, or a word of its name such as apple", lang),
        )
    return hits[0].product.code[:digits]
