"""What a person reads of a checked text: the verdict table of each claim (definition,
period, base, computed, verdict), its verdict sentence in Persian or English, the text with
its claims marked in place, and the claim register."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from exportplan.i18n import Lang, number
from exportplan.i18n import label as t
from exportplan.reference.calendar import MONTHS_EN, MONTHS_FA
from exportplan.reference.claim_labels import FA_CLAIM_TEXTS
from exportplan.reference.text import to_persian_digits
from exportplan.services.claims.check import Check, Checked
from exportplan.services.claims.corrections import form_values
from exportplan.views.context import PageContext

__all__ = [
    "ClaimsContext",
    "check_rows",
    "claims_json",
    "claims_page",
    "flag_texts",
    "kind_text",
    "marked_text",
    "period_text",
    "verdict_sentence",
]

_N_MONTHS_FA = {
    2: "دو",
    3: "سه",
    4: "چهار",
    5: "پنج",
    6: "شش",
    7: "هفت",
    8: "هشت",
    9: "نه",
    10: "ده",
    11: "یازده",
}


_FIGURES = re.compile(r"[\d/\-]+")


def text_of(template: str, lang: str, **values: Any) -> str:
    """A sentence or reason of claim checking in ``lang`` (Persian digits in Persian)."""
    if lang == "fa":
        template = FA_CLAIM_TEXTS.get(template, template)
        values = {
            k: to_persian_digits(str(v))
            if isinstance(v, int | float) or (isinstance(v, str) and _FIGURES.fullmatch(v))
            else v
            for k, v in values.items()
        }
    return template.format(**values)


DEFINITION_NAMES = {
    "customs": "customs (goods leaving through the province's customs offices)",
    "origin": "origin (goods made in the province)",
}
VERDICT_LABELS = {
    "consistent": "consistent",
    "inconsistent": "inconsistent",
    "no_data": "no data",
    "not_checkable": "not checkable",
}


def definition_name(definition: str, lang: str) -> str:
    return t(DEFINITION_NAMES.get(definition, definition), lang)


def check_name(check: Check, lang: str) -> str:
    """The definition a check uses, and its variant («صادرات از گمرکات استان، سال میلادی»)."""
    name = definition_name(check.definition, lang)
    if check.variant:
        name += ("، " if lang == "fa" else ", ") + t("calendar year", lang)
    return name


def period_text(period: dict[str, int] | None, lang: str) -> str:
    """``هشت‌ماهه ۱۴۰۵``, ``مهر ۱۴۰۵``, ``سال ۱۴۰۴``; in English ``Farvardin–Aban 1405``."""
    if period is None:
        return "-"
    y, a, b = period["year"], period["first_month"], period["last_month"]
    names = MONTHS_FA if lang == "fa" else MONTHS_EN
    year = to_persian_digits(str(y)) if lang == "fa" else str(y)
    if a > b:  # from month a of year y to month b of the next year
        nxt = to_persian_digits(str(y + 1)) if lang == "fa" else str(y + 1)
        if lang == "fa":
            return f"{names[a - 1]} {year} تا {names[b - 1]} {nxt}"
        return f"{names[a - 1]} {year}–{names[b - 1]} {nxt} ({12 - a + 1 + b} months)"
    if a == 1 and b == 12:
        return f"سال {year}" if lang == "fa" else f"the year {year}"
    if a == b:
        return f"{names[a - 1]} {year}"
    if lang == "fa" and a == 1 and b in _N_MONTHS_FA:
        return f"{_N_MONTHS_FA[b]}‌ماهه {year}"
    months = b - a + 1
    if lang == "fa":
        return f"{names[a - 1]} تا {names[b - 1]} {year}"
    return f"{names[a - 1]}–{names[b - 1]} {year} ({months} months)"


def _amount(v: float, unit: str, lang: str) -> str:
    """An amount in its unit: «۱٫۲۴۴ میلیارد دلار», "USD 1.244 bn", «۱٬۰۰۰ تن»."""
    lg: Lang = "fa" if lang == "fa" else "en"
    if unit == "USD":
        if abs(v) >= 1e9:
            s = number(v / 1e9, lg, decimals=3)
            return f"{s} میلیارد دلار" if lang == "fa" else f"USD {s} bn"
        s = number(v / 1e6, lg, decimals=1)
        return f"{s} میلیون دلار" if lang == "fa" else f"USD {s} m"
    s = number(v, lg)
    if lang == "fa":
        return f"{s} {t(UNIT_NAMES.get(unit, unit), lang)}"
    return f"{s} {UNIT_NAMES.get(unit, unit)}"


def _value_text(check: Check, unit: str, kind: str, lang: str) -> str:
    v = check.computed
    if v is None:
        return "-"
    if kind in ("count", "rank") or unit in ("count", "rank"):
        return number(v, "fa" if lang == "fa" else "en")
    if unit == "percent":
        s = f"{v:+.1f}" if kind in ("change", "target", "forecast") else f"{v:.1f}"
        return to_persian_digits(s.replace(".", "٫")) + "٪" if lang == "fa" else s + "%"
    if kind == "change_abs" or (kind in ("target", "forecast") and check.base_value is not None):
        return ("+" if v >= 0 else "−") + _amount(abs(v), unit, lang)
    return _amount(v, unit, lang)


UNIT_NAMES = {
    "USD": "US dollars",
    "EUR": "euros",
    "IRR": "rials",
    "IRT": "tomans",
    "tonne": "tonnes",
    "kg": "kilograms",
    "percent": "percent",
    "count": "a count",
    "rank": "a rank",
}
SUBJECT_NAMES = {
    "exports": "exports",
    "imports": "imports",
    "transit": "transit",
    "trade": "foreign trade",
}
#: what each flag of a claim says
FLAG_TEXTS = {
    "ambiguous-billion": "«بیلیون» read as 10^9 (the short scale); in the long scale it is 10^12",
    "gregorian-year": "a Gregorian year: read as the Solar Hijri year that starts in it "
    "(Iranian releases use the Solar Hijri year), and also checked over the calendar year (the "
    "12 Solar Hijri months closest to it)",
    "needs-publication-date": "a relative period (this year, last year): the publication date "
    "is needed",
    "year-to-date": "this year so far: months 1 to the month before publication, shortened to "
    "the data",
    "multiple": "a multiple («دو برابر», doubled) read as a change in percent (two times: "
    "+100%), within 5% of the multiple",
}


KIND_NAMES = {"change_abs": "change in level"}
FIELD_NAMES = {"definition_cue": "definition cue"}


def kind_text(kind: str, lang: str) -> str:
    """A claim's kind in ``lang``."""
    return t(KIND_NAMES.get(kind, kind), lang)


def flag_texts(flags: list[str], lang: str) -> list[str]:
    """What a claim's flags say, in ``lang`` (an unknown flag: its name through the labels)."""
    return [t(FLAG_TEXTS.get(f, f), lang) for f in flags]


def reason_text(check: Check, lang: str) -> str:
    if not check.reason:
        return ""
    values = dict(check.reason_values)
    if "unit" in values:
        values["unit"] = t(UNIT_NAMES.get(str(values["unit"]), str(values["unit"])), lang)
    if "subject" in values:
        values["subject"] = t(
            SUBJECT_NAMES.get(str(values["subject"]), str(values["subject"])), lang
        )
    if "definition" in values and lang == "fa":
        values["definition"] = definition_name(str(values["definition"]), lang)
    if "coverage" in values and lang == "fa":
        values["coverage"] = to_persian_digits(str(values["coverage"]))
    return text_of(check.reason, lang, **values)


def _base_text(checked: Checked, check: Check, lang: str) -> str:
    base = checked.claim.base
    if checked.claim.kind in ("target", "forecast"):
        return t("the program's target", lang)
    if base is None and not (check.variant and checked.claim.kind != "level"):
        return "-"
    if base is not None and base.get("kind") == "mom":
        return t("the month before", lang)
    if base is not None and base.get("kind") == "month":  # «نسبت به مهرماه»: that month
        return period_text({k: int(base[k]) for k in ("year", "first_month", "last_month")}, lang)
    if check.period is None:
        return "-"
    if check.variant:  # the same months a year before
        return period_text({**check.period, "year": check.period["year"] - 1}, lang)
    if base is None:
        return "-"
    p = {**check.period, "year": int(base["year"])}
    return period_text(p, lang)


def check_rows(checked: Checked, lang: str) -> list[dict[str, Any]]:
    """The verdict table of a claim: one row per interpretation."""
    rows = []
    for c in checked.checks:
        rows.append(
            {
                "definition": check_name(c, lang),
                "measure": t(f"export {c.measure}", lang),
                "period": period_text(c.period, lang),
                "base": _base_text(checked, c, lang),
                "computed": _value_text(c, checked.claim.unit, checked.claim.kind, lang),
                "verdict": t(VERDICT_LABELS[c.verdict], lang),
                "verdict_code": c.verdict,
                "reason": reason_text(c, lang),
            }
        )
    return rows


def _join(items: list[str], lang: str) -> str:
    return (" و " if lang == "fa" else " and ").join(items)


def verdict_sentence(checked: Checked, lang: str) -> str:
    """One sentence saying under which definitions and period the claim holds, with the
    figure of those under which it does not (the design study's example); the calendar-year
    variant of a Gregorian year in a clause of its own."""
    sep = "؛ " if lang == "fa" else "; "
    parts: list[str] = []
    for variant in dict.fromkeys(c.variant for c in checked.checks):
        group = [c for c in checked.checks if c.variant == variant]
        parts += _sentence_parts(checked, group, lang)
    sentence = sep.join(parts)
    return sentence + ("." if sentence else "")


def _sentence_parts(checked: Checked, checks: list[Check], lang: str) -> list[str]:
    good = [c for c in checks if c.verdict == "consistent"]
    bad = [c for c in checks if c.verdict == "inconsistent"]
    missing = [c for c in checks if c.verdict == "no_data"]
    unchecked = [c for c in checks if c.verdict == "not_checkable"]
    unit, kind = checked.claim.unit, checked.claim.kind
    parts: list[str] = []

    def names(cs: list[Check]) -> str:
        q = ("«", "»") if lang == "fa" else ("", "")
        return _join([f"{q[0]}{check_name(c, lang)}{q[1]}" for c in cs], lang)

    def figures(cs: list[Check]) -> str:
        return ("، " if lang == "fa" else ", ").join(_value_text(c, unit, kind, lang) for c in cs)

    if good:
        parts.append(
            text_of(
                "The claim holds under {definitions} for {period}",
                lang,
                definitions=names(good),
                period=period_text(good[0].period, lang),
            )
        )
        if bad:
            parts.append(
                text_of(
                    "it does not hold under {definitions} ({computed})",
                    lang,
                    definitions=names(bad),
                    computed=figures(bad),
                )
            )
    elif bad:
        parts.append(
            text_of(
                "The claim does not hold under {definitions} for {period} ({computed})",
                lang,
                definitions=names(bad),
                period=period_text(bad[0].period, lang),
                computed=figures(bad),
            )
        )
    if missing:
        text = text_of("there are no data for {definitions}", lang, definitions=names(missing))
        parts.append(f"{text} ({reason_text(missing[0], lang)})")
    if unchecked:
        if good or bad or missing:
            parts.append(
                text_of(
                    "The claim cannot be checked under {definitions}: {reason}",
                    lang,
                    definitions=names(unchecked),
                    reason=reason_text(unchecked[0], lang),
                )
            )
        else:
            parts.append(
                text_of(
                    "The claim cannot be checked: {reason}",
                    lang,
                    reason=reason_text(unchecked[0], lang),
                )
            )
    return parts


def overall(checked: Checked) -> str:
    """The claim's mark in the text: consistent when any interpretation holds, inconsistent
    when all checked ones fail, else not checkable (no data counts as not checkable)."""
    verdicts = {c.verdict for c in checked.checks}
    if "consistent" in verdicts:
        return "consistent"
    if "inconsistent" in verdicts:
        return "inconsistent"
    return "not_checkable"


def marked_text(text: str, checked: list[Checked]) -> str:
    """The text as HTML (escaped) with each claim wrapped in a mark naming its verdict."""
    out, pos = [], 0
    for i, c in enumerate(sorted(checked, key=lambda x: x.claim.start)):
        a, b = c.claim.start, c.claim.end
        if a < pos:
            continue
        out.append(html.escape(text[pos:a]))
        out.append(
            f'<mark class="claim {overall(c)}" data-claim="{i}" tabindex="0">'
            f"{html.escape(text[a:b])}</mark>"
        )
        pos = b
    out.append(html.escape(text[pos:]))
    return "".join(out)


def claims_json(checked: list[Checked], lang: str = "fa") -> dict[str, Any]:
    """The JSON of ``exportplan claims check --json`` and of the API: the claims with their
    checks, each with its verdict sentence."""
    return {
        "claims": [{**c.as_dict(), "verdict_sentence": verdict_sentence(c, lang)} for c in checked]
    }


@dataclass(kw_only=True)
class ClaimsContext(PageContext):
    """The "check a text" page: the form's values, the marked text, each claim with its
    table and sentence, and the register of checked texts."""

    text: str = ""
    published: str = ""
    outlet: str = ""
    url: str = ""
    marked: str = ""
    claims: list[dict[str, Any]] = field(default_factory=list)
    register: list[dict[str, Any]] = field(default_factory=list)
    message: str = ""
    checked: bool = False
    corrections: str = ""  # the corrections made on the page so far (carried JSON)


def claims_page(
    lang: str,
    *,
    text: str = "",
    published: str = "",
    outlet: str = "",
    url: str = "",
    checked: list[Checked] | None = None,
    register: list[dict[str, Any]] | None = None,
    message: str = "",
    corrections: str = "",
) -> ClaimsContext:
    """The page's context; ``checked`` None before a text is checked."""
    items = []
    for i, c in enumerate(sorted(checked or [], key=lambda x: x.claim.start)):
        items.append(
            {
                "index": i,
                "claim": c.claim.as_dict(),
                "quoted": text[c.claim.start : c.claim.end] if text else "",
                "mark": overall(c),
                "kind": kind_text(c.claim.kind, lang),
                "rows": check_rows(c, lang),
                "sentence": verdict_sentence(c, lang),
                "checks": [k.as_dict() for k in c.checks],
                "period": period_text(c.claim.period, lang),
                "flags": flag_texts(c.claim.flags, lang),
                "corrected": [t(FIELD_NAMES.get(f, f), lang) for f in c.claim.corrected_fields],
                "form": form_values(c.claim),
            }
        )
    if checked is not None and not checked and not message:
        message = t("no checkable quantity found in the text", lang)
    return ClaimsContext(
        page="claims",
        title=t("Check a text", lang),
        lang=lang,
        text=text,
        published=published,
        outlet=outlet,
        url=url,
        marked=marked_text(text, checked or []) if checked else "",
        claims=items,
        register=register or [],
        message=message,
        corrections=corrections,
        checked=checked is not None,
        synthetic=any(d["synthetic"] for c in checked or [] for k in c.checks for d in k.datasets),
    )
