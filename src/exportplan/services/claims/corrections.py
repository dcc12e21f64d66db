"""Fields of a claim corrected by hand (Scrutinizer's mixed initiative): each form value
checked and compared with the extracted claim, so only what the person changed counts as
corrected, and the corrections of one text carried from one check to the next (and into the
register) as a small JSON state tied to the text's hash."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from exportplan.analytics.claim_extract import Claim, corrected, plain_number
from exportplan.domain import DEFINITIONS
from exportplan.errors import InputError
from exportplan.reference.number_words import find_numbers, normalise, tokens

KINDS = ("level", "change", "change_abs", "share", "rank", "count", "target", "forecast")
UNITS = ("USD", "EUR", "IRR", "IRT", "tonne", "kg", "percent", "count", "rank")
QUALIFIER_NAMES = ("about", "more_than", "less_than")
#: the form's fields of a correction
FIELDS = (
    "quantity",
    "unit",
    "kind",
    "measure",
    "qualifier",
    "definition_cue",
    "year",
    "first_month",
    "last_month",
)
MAX_STATE = 20_000  # characters of the carried JSON state


def parse_quantity(raw: str) -> tuple[float, float]:
    """A corrected quantity as typed (digits of any script, ``۱٫۲ میلیارد``, words, a leading
    minus for a decrease): its value and the unit of its last stated digit."""
    norm = normalise(raw).strip()
    sign = 1.0
    if norm[:1] in ("-", "−"):
        sign, norm = -1.0, norm[1:].strip()
    toks = tokens(norm)
    nums = find_numbers(norm, toks)
    if len(nums) != 1 or nums[0].first != 0 or nums[0].last != len(toks) - 1:
        raise InputError(f"quantity must be a number; got {raw!r}", hint="e.g. 20 or 1.2 billion")
    return sign * nums[0].value, nums[0].step


def correct(claim: Claim, fields: dict[str, str]) -> Claim:
    """A claim with the fields a person corrected (form values as text; empty: unchanged,
    ``-``: none), each checked; a value equal to the claim's own is no correction. The
    period is given as ``year``, ``first_month``, ``last_month``; a quantity's stated
    precision sets the new tolerance («۱٫۲ میلیارد» ±0.05 bn)."""
    new: dict[str, Any] = {}

    def pick(name: str, allowed: tuple[str, ...], *, optional: bool = False) -> None:
        raw = fields.get(name, "").strip()
        if not raw:
            return
        if optional and raw == "-":
            value = None
        elif raw in allowed:
            value = raw
        else:
            raise InputError(f"{name} must be one of {', '.join(allowed)}; got {raw!r}")
        if value != getattr(claim, name):
            new[name] = value

    pick("kind", KINDS)
    pick("unit", UNITS)
    pick("measure", ("value", "weight"), optional=True)
    pick("definition_cue", DEFINITIONS, optional=True)
    pick("qualifier", QUALIFIER_NAMES, optional=True)
    step: float | None = None
    raw_q = fields.get("quantity", "").strip()
    if raw_q:
        value, q_step = parse_quantity(raw_q)
        if value != claim.quantity:
            new["quantity"], step = value, q_step
    period = dict(claim.period or {})
    for key in ("year", "first_month", "last_month"):
        raw = normalise(fields.get(key, "")).strip()
        if raw:
            if not raw.isdigit():
                raise InputError(f"{key} must be a whole number; got {raw!r}")
            period[key] = int(raw)
    if period != (claim.period or {}):
        if set(period) != {"year", "first_month", "last_month"}:
            raise InputError("give the period's year, first month and last month")
        if not 1 <= period["first_month"] <= period["last_month"] <= 12:
            raise InputError("the period's months must run from 1 to 12, first before last")
        if not 1300 <= period["year"] <= 1500:
            raise InputError(f"the period's year must be a Solar Hijri year; got {period['year']}")
        new["period"] = period
        new["period_span"] = "corrected"
    if not new:
        return claim
    return corrected(claim, step=step, **new)


def text_key(text: str) -> str:
    """The hash that ties corrections to the text they were made on."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_state(raw: str, text: str) -> dict[int, dict[str, str]]:
    """The corrections carried by a form (``{"text": hash, "fixes": {index: fields}}``); none
    when the text changed since (its claims may be others)."""
    if not raw.strip():
        return {}
    if len(raw) > MAX_STATE:
        raise InputError("the carried corrections are too long")
    try:
        state = json.loads(raw)
        if not isinstance(state, dict) or state.get("text") != text_key(text):
            return {}
        fixes = state.get("fixes", {})
        out = {
            int(i): {k: str(v) for k, v in f.items() if k in FIELDS}
            for i, f in fixes.items()
            if isinstance(f, dict)
        }
    except (ValueError, TypeError, AttributeError):
        raise InputError(
            "the carried corrections are not readable", hint="check the text again"
        ) from None
    return out


def merge(
    state: dict[int, dict[str, str]], index: int | None, fields: dict[str, str]
) -> dict[int, dict[str, str]]:
    """The carried corrections with one claim's new form values on top (successive
    corrections accumulate)."""
    out = {i: dict(f) for i, f in state.items()}
    if index is not None:
        out[index] = {**out.get(index, {}), **{k: v for k, v in fields.items() if v.strip()}}
    return out


def dump_state(text: str, claims: list[Claim], state: dict[int, dict[str, str]]) -> str:
    """The state to carry: for each corrected claim the values of its corrected fields."""
    fixes: dict[str, dict[str, str]] = {}
    for i, c in enumerate(claims):
        if not c.corrected_fields or i not in state:
            continue
        values = form_values(c)
        names = {"year", "first_month", "last_month"} if "period" in c.corrected_fields else set()
        names |= set(c.corrected_fields) & set(FIELDS)
        fixes[str(i)] = {k: values[k] for k in sorted(names)}
    return json.dumps({"text": text_key(text), "fixes": fixes}, ensure_ascii=False) if fixes else ""


def form_values(claim: Claim) -> dict[str, str]:
    """A claim's fields as the correction form shows them."""
    period = claim.period or {}
    return {
        "quantity": str(plain_number(claim.quantity)),
        "unit": claim.unit,
        "kind": claim.kind,
        "measure": claim.measure or "-",
        "qualifier": claim.qualifier or "-",
        "definition_cue": claim.definition_cue or "-",
        "year": str(period.get("year", "")),
        "first_month": str(period.get("first_month", "")),
        "last_month": str(period.get("last_month", "")),
    }
