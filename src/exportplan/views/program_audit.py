"""The program's audit page (filtered by who, what, agency and days) and the workbook import's
preview (every change and every problem, by sheet, row and column, before anything is
written)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from exportplan.i18n import label as t
from exportplan.reference.audit_fields import field_label
from exportplan.services import program
from exportplan.services.program.validation import parse_date
from exportplan.store.program import ProgramDB
from exportplan.views.context import PageContext
from exportplan.views.format import fmt, sh_date, time_text
from exportplan.views.program_forms import rule_text

__all__ = [
    "AuditContext",
    "ImportContext",
    "audit_changes",
    "audit_page",
    "import_page",
    "problem_lines",
    "problem_rows",
]


@dataclass(kw_only=True)
class AuditContext(PageContext):
    """The audit rows that pass the filters, newest first, with the filters' choices."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    user_options: list[tuple[str, str]] = field(default_factory=list)
    what_options: list[tuple[str, str]] = field(default_factory=list)
    agency_options: list[tuple[str, str]] = field(default_factory=list)
    user_filter: str = ""
    what_filter: str = ""
    agency_filter: str = ""
    since: str = ""
    until: str = ""
    refused: str = ""


def audit_page(db: ProgramDB, lang: str, query: dict[str, str]) -> AuditContext:
    """The audit log of the programs and agencies under the query's filters (``user``,
    ``what``, ``agency``, ``since``, ``until``; days in Solar Hijri or ISO); a day that does
    not exist is said, not a failure."""
    agencies = program.agencies(db)
    codes = {a["id"]: a["code"] for a in agencies}
    user, what = query.get("user", "")[:100], query.get("what", "")[:40]
    agency = query.get("agency", "")[:40]
    agency = agency if agency in codes.values() else ""
    since_text, until_text = query.get("since", "")[:20], query.get("until", "")[:20]
    refused = ""
    days: dict[str, dt.date | None] = {"since": None, "until": None}
    for key, text in (("since", since_text), ("until", until_text)):
        if text.strip():
            try:
                days[key] = parse_date(text.strip(), key)
            except program.RuleError as exc:
                refused = rule_text(exc.message, lang)
    rows = program.audit_log(
        db,
        agency=agency or None,
        username=user or None,
        entity=what or None,
        since=days["since"],
        until=days["until"],
        limit=500,
    )
    shown = [
        {
            **r,
            "agency": codes.get(r["agency_id"]) if r["agency_id"] else "",
            "code": str((r["after"] or r["before"] or {}).get("code", "")),
            "what": _summary(r),
            "changes": audit_changes(r, lang),
            "entity_name": entity_name(r["entity"], lang),
        }
        for r in rows
    ]
    filters = program.audit_filters(db)
    return AuditContext(
        page="audit",
        title=t("Audit log", lang),
        lang=lang,
        rows=shown,
        user_options=[(u, u) for u in filters["users"]],
        what_options=[(e, entity_name(e, lang)) for e in filters["entities"]],
        agency_options=[(a["code"], a["code"]) for a in agencies],
        user_filter=user,
        what_filter=what,
        agency_filter=agency,
        since=since_text,
        until=until_text,
        refused=refused,
    )


def entity_name(entity: str, lang: str) -> str:
    """A kind of record by its name in ``lang``: the dictionary's word, else (in English) its
    machine name as words (``supplier_introduction`` -> "supplier introduction")."""
    name = t(entity, lang)
    if lang != "fa" and name == entity:
        return entity.replace("_", " ").replace("-", " ")
    return name


ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}.*)?$")


def _value(v: Any, lang: str) -> tuple[str, bool]:
    """An audited value as the page shows it, and whether it is data (shown as typed): a day
    or a time in the page's calendar, a state by its name in the page's language."""
    if v is None or v == "":
        return "–", False
    s = str(v)
    if ISO_TIME.match(s):
        return (time_text(s, lang) if "T" in s else sh_date(s, lang)), False
    if isinstance(v, str) and t(s, "fa") != s:  # a code word the dictionary knows
        return t(s, lang), False
    if isinstance(v, int | float) and not isinstance(v, bool):
        return fmt(v, "num", lang), False
    return s[:80], True


def audit_changes(r: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The fields an audit row changed, each with its name in the page's language and its
    values before and after (empty for a creation or a deletion: ``op`` says it)."""
    before, after = r["before"], r["after"]
    if before is None or after is None or r["entity"] == "kpi-refresh":
        return []
    out = []
    for k in [k for k in after if k != "version" and before.get(k) != after.get(k)][:8]:
        old, old_data = _value(before.get(k), lang)
        new, new_data = _value(after.get(k), lang)
        out.append(
            {
                "field": field_label(k, lang, t(k, lang)),
                "old": old,
                "old_data": old_data,
                "new": new,
                "new_data": new_data,
            }
        )
    return out


def _summary(r: dict[str, Any]) -> str:
    if r["entity"] == "kpi-refresh" and r["after"]:
        a = r["after"]
        return (
            f"{a.get('values', 0)} values ({a.get('new', 0)} new, {a.get('changed', 0)} "
            f"changed) of {', '.join(a.get('kpis', []))}, {a.get('months', '')}"
        )
    return program.describe_change(r["before"], r["after"])


def problem_rows(problems: list[tuple[str, int, str, str]], lang: str) -> list[dict[str, Any]]:
    """A workbook's problems in ``lang``: the sheet's tab and the column's name as the
    workbook of that language shows them, the row as Excel numbers it, the rule's wording."""
    return [
        {
            "sheet": program.sheet_label(s, lang),
            "row": r,
            "column": program.column_label(s, c, lang),
            "what": rule_text(m, lang),
        }
        for s, r, c, m in problems
    ]


def problem_lines(problems: list[tuple[str, int, str, str]], lang: str) -> list[str]:
    """The problems as the terminal prints them (one line each, in ``lang``)."""
    if lang == "fa":
        return [
            f"{t('sheet', lang)} {p['sheet']}، {t('row', lang)} {fmt(p['row'], 'num', lang)}، "
            f"{t('column', lang)} {p['column']}: {p['what']}"
            for p in problem_rows(problems, lang)
        ]
    return [
        f"{p['sheet']} row {p['row']}, {p['column']}: {p['what']}"
        for p in problem_rows(problems, lang)
    ]


@dataclass(kw_only=True)
class ImportContext(PageContext):
    """A workbook's preview: what it would change, what it refuses, and how to confirm."""

    file_name: str = ""
    upload: str = ""
    seen: int = 0
    changes: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    stale: bool = False


def import_page(
    preview: dict[str, Any], lang: str, *, file_name: str, upload: str, seen: int,
    stale: bool = False,
) -> ImportContext:  # fmt: skip
    """The preview of :func:`exportplan.services.program.preview_file` as the page shows it."""
    return ImportContext(
        page="program_import",
        title=t("Import the program workbook", lang),
        lang=lang,
        file_name=file_name,
        upload=upload,
        seen=seen,
        changes=[
            {**c, "what": program.describe_change(c["before"], c["after"])}
            for c in preview["changes"]
        ],
        problems=problem_rows(preview["problems"], lang),
        unchanged=int(preview.get("unchanged", 0)),
        stale=stale,
    )
