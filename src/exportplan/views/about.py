"""What a download covers, said in its own language: the page and table, the region, the
period, the export definition where the page has one, each column's unit, the calendar of
its days, the source datasets with the data version, whether the data are synthetic, the
page's notes and when the file was made."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from exportplan.i18n import label as t
from exportplan.services.facts import Facts
from exportplan.views.context import PageContext, Table
from exportplan.views.format import time_text
from exportplan.views.table_files import unit_of

__all__ = ["about_lines"]


def about_lines(
    ctx: PageContext,
    tab: Table,
    *,
    region: str,
    facts: Facts,
    query: Mapping[str, str],
    now: dt.datetime | None = None,
) -> list[tuple[str, str]]:
    """(label, value) lines in the page's language for a download of ``tab`` from ``ctx``."""
    lang = ctx.lang
    lines = [
        (t("page", lang), ctx.title),
        (t("table", lang), tab["title"]),
        (t("region", lang), t(region, lang)),
    ]
    period = ctx.get("period")
    if period:
        lines.append((t("period", lang), str(period)))
    else:
        asked = [f"{t(k, lang)} {query[k]}" for k in ("year", "month") if query.get(k)]
        lines.append(
            (
                t("period", lang),
                ("، " if lang == "fa" else ", ").join(asked)
                if asked
                else t("as each row says", lang),
            )
        )
    definition = ctx.get("definition") or query.get("definition")
    if definition:
        lines.append((t("definition", lang), t(str(definition), lang)))
    units = [
        f"{label}: {unit_of(tab['kinds'][c], lang)}"
        for c, label in zip(tab["columns"], tab["labels"], strict=True)
        if unit_of(tab["kinds"].get(c, "text"), lang)
    ]
    if units:
        lines.append((t("units", lang), "؛ ".join(units) if lang == "fa" else "; ".join(units)))
    lines.append(
        (t("calendar", lang), t("Solar Hijri" if lang == "fa" else "Gregorian (ISO)", lang))
    )
    sources = ", ".join(facts.sources) if lang != "fa" else "، ".join(facts.sources)
    lines.append(
        (
            t("sources", lang),
            f"{sources or '–'} ({t('data version', lang)} {facts.data_version or '–'})",
        )
    )
    lines.append((t("synthetic", lang), t("yes" if facts.synthetic else "no", lang)))
    lines += [(t("note", lang), note) for note in ctx.notes]
    made = now or dt.datetime.now().replace(microsecond=0)
    lines.append((t("made", lang), time_text(made, lang)))
    return lines
