"""What several pages look up alike: the latest year with data, destinations by their Persian
names, whether the workspace is synthetic, the program of record of a year, and whole-number
query parameters."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from exportplan.errors import InputError
from exportplan.i18n import label as t
from exportplan.reference import products
from exportplan.reference.countries import country_name
from exportplan.reference.text import digits as ascii_digits
from exportplan.services import monitor
from exportplan.services.facts import facts
from exportplan.services.plan_of_record import choose_program
from exportplan.store.program import ProgramDB
from exportplan.views.format import digits, product_label
from exportplan.workspace import Workspace

__all__ = ["current_year", "driver_rows", "named", "program_id", "query_int", "synthetic"]


def current_year(ws: Workspace, definition: str = "customs") -> int:
    """The latest Solar Hijri year with data."""
    series = monitor.monthly(ws, monitor.Scope(region=ws.home_region, definition=definition))
    if not series:
        raise InputError(
            f"no {definition} exports of {ws.home_region} yet",
            hint="import the region's customs files on the Data page or with `exportplan import customs`",
        )
    return max(series)


def named(rows: list[dict[str, Any]], lang: str, by: str) -> list[dict[str, Any]]:
    """Destinations by their Persian names on Persian pages (the services label in English)."""
    if lang != "fa" or by != "partner":
        return rows
    return [{**r, "label": country_name(str(r["key"]), "fa")} for r in rows]


def driver_rows(
    d: monitor.Drivers, lang: str, names: Mapping[str, Mapping[str, str]] | None = None
) -> list[dict[str, Any]]:
    """The drivers' rows as a page shows them: names in the page's language (destinations; HS
    codes by the nomenclature and the imported tariff books' ``names``), the row adding up the
    rest as "all other (N)", and ``bar``, the chart's label: the key's code and its name, one
    bar per key (two headings of one chapter are two bars)."""
    out = []
    for r in d.table.to_dicts():
        key, name = str(r["key"]), str(r["label"] or "")
        if key == monitor.OTHER_KEY:
            name = f"{t('all other', lang)} ({digits(str(d.others), lang)})"
            bar = name
            key = t(key, lang)
        elif d.by in ("hs2", "hs4", "hs6") and key[:2].isdigit():
            bar = product_label(key, lang, names)
            name = products.name(key, lang, names) or name
        else:
            if lang == "fa" and d.by == "partner":
                name = country_name(key, "fa")
            code = digits(key, lang)
            bar = f"{code} {name}".strip() if name else code
        out.append({**r, "key": key, "label": name, "bar": bar})
    return out


def synthetic(ws: Workspace) -> bool:
    """Whether the workspace's figures come from the seeded generator."""
    return facts(ws).synthetic


def program_id(db: ProgramDB, ws: Workspace, year: int) -> int | None:
    """The program of record of the home region's year (customs first; see plan_of_record)."""
    ref = choose_program(db, region=ws.home_region, year=year).program
    return ref.id if ref else None


#: The range a whole-number query parameter may take (others: 0 .. 2**31 - 1)
QUERY_RANGES: dict[str, tuple[int, int]] = {"year": (1, 9999), "month": (1, 12)}


def query_int(query: Any, key: str, lang: str = "en") -> int | None:
    """A whole-number parameter of a page's query (absent or empty: None), in ASCII or
    Persian digits; not a whole number, or outside its range (:data:`QUERY_RANGES`), is an
    :class:`InputError` in the page's language."""
    v = query.get(key)
    if v is None or not str(v).strip():
        return None
    text = ascii_digits(str(v).strip())
    hint = t("give a whole number, or leave the field empty", lang)
    shown = repr(str(v)[:40])
    if not re.fullmatch(r"[+-]?[0-9]{1,18}", text):
        raise InputError(
            t("{key} must be a whole number; got {value}", lang).format(key=key, value=shown),
            hint=hint,
        )
    n = int(text)
    lo, hi = QUERY_RANGES.get(key, (0, 2**31 - 1))
    if not lo <= n <= hi:
        raise InputError(
            t("{key} must be between {lo} and {hi}; got {value}", lang).format(
                key=key, lo=digits(str(lo), lang), hi=digits(str(hi), lang), value=shown
            ),
            hint=hint,
        )
    return n
