"""The program page's forms as the page shows them after a refusal: the values typed, each
error beside its field in the page's language, and for a stale form the current values and
what changed since it was read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from exportplan.errors import ConflictError, ExportPlanError
from exportplan.i18n import error_text
from exportplan.i18n import label as t
from exportplan.reference.program_words import FA_RULES, WORDS
from exportplan.reference.text import to_persian_digits

__all__ = ["FIELD_OF", "FormState", "form_refusal", "rule_text"]

#: The form field a rule's ``field`` (RuleError.field) is shown beside, where the two differ
FIELD_OF = {
    "value_usd": "value",
    "target_usd": "target",
    "sh_year": "year",
    "hs_codes": "hs",
    "partners": "partners",
    "name_en": "name",
    "head_since": "start",
}


@dataclass
class FormState:
    """One form after a refusal: ``values`` as typed, ``errors`` by field (``""``: the form as
    a whole), ``current`` and ``changed`` when it was stale (someone saved in between)."""

    name: str
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    hint: str = ""
    current: dict[str, Any] | None = None
    changed: list[str] = field(default_factory=list)
    key: str = ""  # which row's form (an action's id), when the page has one per row

    def error(self, name: str) -> str:
        return self.errors.get(name, "")


def rule_text(message: str, lang: str) -> str:
    """A service's refusal in the page's language: the Persian wording of the rules the forms
    meet (:data:`~exportplan.reference.program_words.FA_RULES`), numbers and days in Persian
    digits; the English message when it has none."""
    if lang != "fa":
        return message
    for pattern, persian in FA_RULES:
        m = re.fullmatch(pattern, message)
        if m is not None:
            values = {k: _persian(v) for k, v in m.groupdict().items() if v is not None}
            return persian.format(**values)
    return message


def _persian(value: str) -> str:
    """A part of a rule's message in Persian: a known word in Persian, a number or a day in
    Persian digits; a code (``TPO2``, ``P1-IMT``) as written."""
    if value in WORDS:
        return WORDS[value]
    if re.fullmatch(r"[\d,./-]+", value):
        return to_persian_digits(value.replace(",", "٬"))
    return value


def form_refusal(
    name: str,
    exc: ExportPlanError,
    values: dict[str, str],
    lang: str,
    *,
    current: dict[str, Any] | None = None,
    key: str = "",
    blank_keeps: bool = False,
) -> FormState:
    """A form refused by ``exc``: its error beside the field the rule names (or the form as
    a whole), in ``lang``; a conflict carries the row as it is now and the fields that differ
    from what the form was showing (``blank_keeps``: a field left empty keeps what is saved,
    so it differs from nothing)."""
    if rule_text(exc.message, lang) != exc.message:  # the program's own wording of its rule
        msg, hint = rule_text(exc.message, lang), rule_text(exc.hint, lang) if exc.hint else ""
    else:  # a template's wording, else the shared messages' (error_text), else as raised
        msg, hint = error_text(exc, lang)
        msg = rule_text(msg, lang)
        hint = rule_text(hint, lang) if hint else ""
    where = getattr(exc, "field", "")
    where = FIELD_OF.get(where, where)
    state = FormState(name=name, values=values, hint=hint, key=key)
    state.errors[where if where in values else ""] = msg
    if isinstance(exc, ConflictError) and current is not None:
        state.current = current
        state.changed = [
            k
            for k, v in current.items()
            if k in values and str(v or "") != values[k] and (values[k] or not blank_keeps)
        ]
        state.errors[""] = msg + " · " + t("the form shows the values saved now", lang)
    return state
