"""Checking extracted claims against the workspace: every interpretation (the stated
definition, else both; the stated measure, else value) computed with the monitoring
services the dashboard uses, with the datasets and the query behind each figure.

A change is the period against its base (``monitor.status`` for the year to date, a quarter
or a month against the same months a year before; other windows and weights from
``monitor.monthly``); a level is the period's total; a target or forecast is compared with the
program's target (``monitor.get_target``), never with actuals; a share of the target is the
year to date over the target (``Status.share_of_target_pct``). ``no_data`` says what the data
cover; ``not_checkable`` says why (rials or tomans without a rate table, imports, ranks among
provinces). A count of destination countries or of exporters is the number with exports in the
period (``monitor.distinct_count``; exporters as the customs rows name them).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import jdatetime
import numpy as np

from exportplan.analytics.claim_extract import CHANGES, Claim, extract
from exportplan.domain import DEFINITIONS
from exportplan.errors import ExportPlanError, InputError
from exportplan.reference.calendar import parse_period
from exportplan.reference.claim_words import TARGET_WORDS
from exportplan.reference.number_words import normalise
from exportplan.services import data, monitor
from exportplan.services.claims.corrections import correct
from exportplan.workspace import Workspace

#: kg per unit of a claimed weight
WEIGHT_UNITS = {"tonne": 1000.0, "kg": 1.0}


@dataclass
class Check:
    """One interpretation of a claim and its verdict."""

    definition: str
    measure: str
    period: dict[str, int] | None
    computed: float | None  # in the claim's unit (percent, USD, tonnes...)
    base_value: float | None  # the base period's total (changes)
    value: float | None  # the period's total behind a change or a share
    verdict: str  # consistent, inconsistent, no_data, not_checkable
    tolerance: dict[str, float | None]
    reason: str = ""  # English template (views translate it) for no_data / not_checkable
    reason_values: dict[str, Any] = field(default_factory=dict)
    datasets: list[dict[str, Any]] = field(default_factory=list)
    query: str = ""
    notes: list[str] = field(default_factory=list)
    variant: str = ""  # "gregorian-calendar-year": the calendar year a Gregorian year names

    def as_dict(self) -> dict[str, Any]:
        return {
            "variant": self.variant,
            "definition": self.definition,
            "computed": self.computed,
            "base_value": self.base_value,
            "verdict": self.verdict,
            "tolerance": self.tolerance,
            "datasets": self.datasets,
            "measure": self.measure,
            "period": self.period,
            "value": self.value,
            "reason": self.reason.format(**self.reason_values) if self.reason else "",
            "query": self.query,
            "notes": self.notes,
        }


@dataclass
class Checked:
    """A claim with its checks."""

    claim: Claim
    checks: list[Check]

    def as_dict(self) -> dict[str, Any]:
        return {**self.claim.as_dict(), "checks": [c.as_dict() for c in self.checks]}


def parse_published(raw: str | None) -> tuple[int, int, int] | None:
    """A publication date ``YYYY/MM/DD`` (Solar Hijri; Persian digits allowed)."""
    if raw is None or not raw.strip():
        return None
    try:
        p = parse_period(raw)
    except ValueError as exc:
        raise InputError(str(exc), hint="give the date like 1404/11/05") from None
    if p.calendar != "sh" or p.month is None or p.day is None:
        raise InputError(
            f"the publication date must be a Solar Hijri day like 1404/11/05, not {raw!r}",
            hint="give --published YYYY/MM/DD",
        )
    return p.year, p.month, p.day


class _Data:
    """The series and datasets one text's checks read, each read once."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.series: dict[tuple[monitor.Scope, str], dict[int, np.ndarray]] = {}
        self._datasets: list[dict[str, Any]] | None = None
        self._status: dict[tuple[monitor.Scope, int, int, str], monitor.Status | None] = {}
        self._targets: dict[tuple[str, int, str], float | None] = {}

    def status(
        self, scope: monitor.Scope, year: int, last: int, window: str
    ) -> monitor.Status | None:
        """The dashboard's figure (None when the monitor cannot give it)."""
        key = (scope, year, last, window)
        if key not in self._status:
            try:
                self._status[key] = monitor.status(self.ws, scope, year, last, period=window)
            except ExportPlanError:  # e.g. a year whose first months are missing
                self._status[key] = None
        return self._status[key]

    def target(self, region: str, year: int, definition: str) -> float | None:
        key = (region, year, definition)
        if key not in self._targets:
            self._targets[key] = monitor.get_target(self.ws, region, year, definition)
        return self._targets[key]

    def monthly(self, scope: monitor.Scope, measure: str) -> dict[int, np.ndarray]:
        key = (scope, measure)
        if key not in self.series:
            self.series[key] = monitor.monthly(self.ws, scope, measure)
        return self.series[key]

    def datasets(self, region: str, definition: str) -> list[dict[str, Any]]:
        if self._datasets is None:
            frame = data.datasets(self.ws)
            self._datasets = frame.to_dicts()
        return [
            {
                "id": d["id"],
                "file": d["file_name"],
                "imported_at": str(d["imported_at"]),
                "synthetic": bool(d["synthetic"]),
            }
            for d in self._datasets
            if d["kind"] == "customs"
            and d["region"] == region
            and definition in str(d["definition"] or "")
        ]


def _coverage(series: dict[int, np.ndarray]) -> str:
    keys = [
        (y, m + 1) for y, arr in sorted(series.items()) for m in range(12) if np.isfinite(arr[m])
    ]
    if not keys:
        return "none"
    (y0, m0), (y1, m1) = keys[0], keys[-1]
    return f"{y0}/{m0:02d}-{y1}/{m1:02d}"


def _window(series: dict[int, np.ndarray], year: int, first: int, last: int) -> float | None:
    arr = series.get(year)
    if arr is None:
        return None
    part = arr[first - 1 : last]
    return float(part.sum()) if np.isfinite(part).all() else None


def _query(scope: monitor.Scope, measure: str) -> str:
    sql, params = monitor.monthly_sql(scope, measure)
    return f"{sql} -- parameters: {params}"


def _in_range(value: float, low: float, high: float) -> bool:
    """Whether a computed figure lies in the claimed range (bounds may be infinite)."""
    return low - 1e-9 <= value <= high + 1e-9


def _signed(claim: Claim) -> tuple[float, float]:
    """The claimed range (a decrease is already negative: -15 ± 0.5)."""
    return claim.low, claim.high


def _tolerance(claim: Claim) -> dict[str, float | None]:
    low, high = _signed(claim)
    return {
        "low": None if math.isinf(low) else low,
        "high": None if math.isinf(high) else high,
    }


def check_claim(ws: Workspace, claim: Claim, *, region: str | None = None) -> list[Check]:
    """Every interpretation of one claim, computed and judged."""
    return _check(_Data(ws), claim, region or ws.home_region)


def _check(db: _Data, claim: Claim, region: str) -> list[Check]:
    definitions = [claim.definition_cue] if claim.definition_cue else list(DEFINITIONS)
    measure = claim.measure or "value"
    checks = [_one(db, claim, region, d, measure) for d in definitions]
    if "gregorian-year" in claim.flags and claim.period is not None:
        checks += [_calendar_year(db, claim, region, d, measure) for d in definitions]
    return checks


def calendar_window(year: int) -> tuple[int, dt.date, dt.date]:
    """The 12 Solar Hijri months closest to Gregorian ``year``: Dey of the Solar Hijri year
    ending in it to Azar of the one starting in it (for 2024: Dey 1402 to Azar 1403,
    2023-12-22 to 2024-12-20); its first Solar Hijri year and Gregorian bounds."""
    first = year - 622
    start = jdatetime.date(first, 10, 1).togregorian()
    end = jdatetime.date(first + 1, 10, 1).togregorian() - dt.timedelta(days=1)
    return first, start, end


def _calendar_sum(series: dict[int, np.ndarray], first: int) -> float | None:
    a = _window(series, first, 10, 12)
    b = _window(series, first + 1, 1, 9)
    return None if a is None or b is None else a + b


def _calendar_year(db: _Data, claim: Claim, region: str, d: str, measure: str) -> Check:
    """A claim naming a Gregorian year, checked over that calendar year as the monthly data
    allow: the 12 whole Solar Hijri months closest to it (their ends lie 10 or 11 days before
    1 January and 31 December; the months are not split, the data being monthly)."""
    assert claim.period is not None
    gregorian = claim.period["year"] + 621
    first, start, end = calendar_window(gregorian)
    period = {"year": first, "first_month": 10, "last_month": 9}  # Dey of `year` to Azar next
    check = _not_checkable(claim, d, measure, "")
    check.period, check.variant = period, "gregorian-calendar-year"
    check.notes.append(
        f"calendar year {gregorian} read as the Solar Hijri months {first}/10-{first + 1}/09 "
        f"({start.isoformat()} to {end.isoformat()}): the data are monthly by Solar Hijri "
        "month, so the months at each end are not split"
    )
    if (
        claim.kind not in ("level", "change", "change_abs")
        or claim.period_span
        not in (
            "year",
            "corrected",
        )
        or (claim.period["first_month"], claim.period["last_month"]) != (1, 12)
    ):
        check.reason = (
            "the calendar-year variant is computed for levels and changes over a whole year only"
        )
        return check
    amount = claim.unit in ("USD", *WEIGHT_UNITS)
    if claim.subject != "exports" or not (
        amount or (claim.kind, claim.unit) == ("change", "percent")
    ):
        check.reason = "the calendar-year variant needs exports in USD or tonnes"
        return check
    if claim.unit in WEIGHT_UNITS:
        measure = "weight"
    scope = monitor.Scope(
        region,
        d,
        hs=tuple(claim.scope_hs),
        partners=tuple(claim.scope_partners),
        offices=tuple(claim.scope_offices),
    )
    series = db.monthly(scope, measure)
    check.measure = measure
    check.datasets = db.datasets(region, d)
    check.query = _query(scope, measure)
    value = _calendar_sum(series, first)
    before = _calendar_sum(series, first - 1) if claim.kind != "level" else None
    check.value, check.base_value = value, before
    if value is None or (claim.kind != "level" and before is None):
        check.verdict = "no_data"
        missing = first if value is None else first - 1
        check.reason = "no data for {year} months {first}-{last}; the data cover {coverage}"
        check.reason_values = {
            "year": f"{missing}-{missing + 1}",
            "first": 10,
            "last": 9,
            "coverage": _coverage(series),
        }
        return check
    scale = WEIGHT_UNITS.get(claim.unit, 1.0)
    if claim.kind == "level":
        computed = value / scale
    elif claim.kind == "change_abs":
        computed = (value - (before or 0.0)) / scale
    elif before:
        computed = 100.0 * (value / before - 1.0)
    else:
        check.reason = "the base period has no exports: a change in percent is undefined"
        return check
    check.computed = computed
    low, high = _signed(claim)
    check.verdict = "consistent" if _in_range(computed, low, high) else "inconsistent"
    return check


def _not_checkable(claim: Claim, d: str, measure: str, reason: str, **values: Any) -> Check:
    return Check(
        definition=d,
        measure=measure,
        period=claim.period,
        computed=None,
        base_value=None,
        value=None,
        verdict="not_checkable",
        tolerance=_tolerance(claim),
        reason=reason,
        reason_values=values,
    )


def _one(db: _Data, claim: Claim, region: str, d: str, measure: str) -> Check:
    if claim.period is None:
        raise InputError(
            "the claim's period is relative (this year, last year): give the publication date",
            hint="add --published YYYY/MM/DD",
        )
    if claim.subject == "trade":
        return _not_checkable(
            claim,
            d,
            measure,
            "foreign trade is exports and imports together, not exports: the workspace holds "
            "exports only",
        )
    if claim.subject != "exports":
        return _not_checkable(
            claim,
            d,
            measure,
            "the workspace holds exports only, not {subject}",
            subject=claim.subject,
        )
    if claim.unit in ("IRR", "IRT", "EUR"):
        return _not_checkable(
            claim,
            d,
            measure,
            "amounts in {unit} cannot be compared with the USD figures: the workspace has no "
            "exchange-rate table",
            unit=claim.unit,
        )
    if claim.kind == "rank":
        return _not_checkable(
            claim,
            d,
            measure,
            "a rank among provinces needs every province's exports; the "
            "workspace holds one region's",
        )
    if claim.kind == "change_abs" and claim.unit not in ("USD", *WEIGHT_UNITS):
        return _not_checkable(
            claim,
            d,
            measure,
            "a change in level in {unit} is not one in USD or tonnes",
            unit=claim.unit,
        )
    if claim.unit in WEIGHT_UNITS:
        measure = "weight"
    scope = monitor.Scope(
        region,
        d,
        hs=tuple(claim.scope_hs),
        partners=tuple(claim.scope_partners),
        offices=tuple(claim.scope_offices),
    )
    datasets = db.datasets(region, d)
    if claim.kind in ("target", "forecast"):
        return _target(db, claim, region, d, scope, datasets)
    if claim.kind == "count":
        return _count(db, claim, scope, d, datasets)
    series = db.monthly(scope, measure)
    year = claim.period["year"]
    first, last = claim.period["first_month"], claim.period["last_month"]
    notes: list[str] = []
    if claim.period_span == "ytd" and year in series:
        known = np.flatnonzero(np.isfinite(series[year]))
        if known.size and int(known.max()) + 1 < last:
            last = int(known.max()) + 1  # the year to date in the warehouse
            notes.append(f"the year to date in the data ends with month {last}")
    period = {"year": year, "first_month": first, "last_month": last}
    value = _window(series, year, first, last)
    check = Check(
        definition=d,
        measure=measure,
        period=period,
        computed=None,
        base_value=None,
        value=value,
        verdict="no_data",
        tolerance=_tolerance(claim),
        datasets=datasets,
        query=_query(scope, measure),
        notes=notes,
    )
    if value is None:
        check.reason = "no data for {year} months {first}-{last}; the data cover {coverage}"
        check.reason_values = {
            "year": year,
            "first": first,
            "last": last,
            "coverage": _coverage(series),
        }
        return check
    if claim.kind in CHANGES:
        return _change(db, claim, scope, check, series)
    if claim.kind == "share":
        return _share(db, claim, region, scope, check)
    computed = value / WEIGHT_UNITS[claim.unit] if claim.unit in WEIGHT_UNITS else value
    if measure == "value" and claim.unit not in ("USD",):
        return _not_checkable(
            claim, d, measure, "a level in {unit} is not a value in USD", unit=claim.unit
        )
    check.computed = computed
    low, high = _signed(claim)
    check.verdict = "consistent" if _in_range(computed, low, high) else ("inconsistent")
    return check


def _count(
    db: _Data, claim: Claim, scope: monitor.Scope, d: str, datasets: list[dict[str, Any]]
) -> Check:
    """A count of destination countries or of exporters over the claim's period
    (``monitor.distinct_count``); the period's months must be in the data."""
    assert claim.period is not None
    if claim.counted is None:
        return _not_checkable(
            claim, d, "value", "the text does not say what is counted (countries or exporters)"
        )
    year, first, last = (claim.period[k] for k in ("year", "first_month", "last_month"))
    series = db.monthly(scope, "value")
    if claim.period_span == "ytd" and year in series:
        known = np.flatnonzero(np.isfinite(series[year]))
        if known.size and int(known.max()) + 1 < last:
            last = int(known.max()) + 1  # the year to date in the warehouse
    period = {"year": year, "first_month": first, "last_month": last}
    sql, params = monitor.distinct_count_sql(scope, claim.counted, year, first, last)
    check = Check(
        definition=d,
        measure="value",
        period=period,
        computed=None,
        base_value=None,
        value=None,
        verdict="no_data",
        tolerance=_tolerance(claim),
        datasets=datasets,
        query=f"{sql} -- parameters: {params}",
    )
    if _window(series, year, first, last) is None:
        check.reason = "no data for {year} months {first}-{last}; the data cover {coverage}"
        check.reason_values = {
            "year": year,
            "first": first,
            "last": last,
            "coverage": _coverage(series),
        }
        return check
    n = monitor.distinct_count(db.ws, scope, claim.counted, year, first, last)
    check.computed = float(n)
    check.value = float(n)
    low, high = _signed(claim)
    check.verdict = "consistent" if _in_range(float(n), low, high) else "inconsistent"
    return check


def _change(
    db: _Data, claim: Claim, scope: monitor.Scope, check: Check, series: dict[int, np.ndarray]
) -> Check:
    assert check.period is not None and check.value is not None
    base = claim.base or {"kind": "yoy", "year": check.period["year"] - 1}
    year, first, last = (
        check.period["year"],
        check.period["first_month"],
        check.period["last_month"],
    )
    if base.get("kind") in ("mom", "month"):  # the month before, or a month named
        by, bf, bl = int(base["year"]), int(base["first_month"]), int(base["last_month"])
    else:
        by, bf, bl = int(base["year"]), first, last
    value = check.value
    before = _window(series, by, bf, bl)
    window = (
        "ytd"
        if first == 1
        else "quarter"
        if (first - 1) % 3 == 0 and last == first + 2
        else ("month" if first == last else "")
    )
    if check.measure == "value" and by == year - 1 and window:
        # the dashboard's own figure: the period against the same months a year before
        st = db.status(scope, year, last, window)  # None: the sums stand
        if st is not None:
            value, before = st.value, st.same_period_last_year
            check.notes.append(f"monitor status, period {window} to month {last}")
    check.value = value
    check.base_value = before
    if before is None:
        check.verdict = "no_data"
        check.reason = (
            "no data for the base, {year} months {first}-{last}; the data cover {coverage}"
        )
        check.reason_values = {"year": by, "first": bf, "last": bl, "coverage": _coverage(series)}
        return check
    if claim.kind == "change_abs":
        # a change in level: the difference from the base, in the claim's unit
        check.computed = (value - before) / WEIGHT_UNITS.get(claim.unit, 1.0)
        low, high = _signed(claim)
        check.verdict = "consistent" if _in_range(check.computed, low, high) else "inconsistent"
        return check
    if before == 0:
        check.verdict = "not_checkable"
        check.reason = "the base period has no exports: a change in percent is undefined"
        return check
    check.computed = 100.0 * (value / before - 1.0)
    low, high = _signed(claim)
    check.verdict = "consistent" if _in_range(check.computed, low, high) else "inconsistent"
    return check


def _share(db: _Data, claim: Claim, region: str, scope: monitor.Scope, check: Check) -> Check:
    assert check.period is not None and check.value is not None
    whole = monitor.Scope(region, scope.definition)
    sliced = bool(scope.hs or scope.partners or scope.offices)
    if sliced:
        total = _window(db.monthly(whole, check.measure), **_months(check.period))
        if not total:
            check.verdict = "no_data"
            check.reason = "no exports of the whole region in the period"
            return check
        check.base_value = total
        check.computed = 100.0 * check.value / total
    elif claim.text and _is_of_target(claim):
        target = db.target(region, check.period["year"], scope.definition)
        if not target:
            check.verdict = "no_data"
            check.reason = "no target for {year} under the {definition} definition"
            check.reason_values = {"year": check.period["year"], "definition": scope.definition}
            return check
        check.base_value = target
        check.computed = 100.0 * check.value / target
        check.notes.append("share of the year's target reached")
    else:
        check.verdict = "not_checkable"
        check.reason = (
            "a share of the country's or the world's exports needs data the workspace does not hold"
        )
        return check
    low, high = _signed(claim)
    check.verdict = "consistent" if _in_range(check.computed, low, high) else "inconsistent"
    return check


def _months(period: dict[str, int]) -> dict[str, int]:
    return {"year": period["year"], "first": period["first_month"], "last": period["last_month"]}


def _is_of_target(claim: Claim) -> bool:
    return TARGET_WORDS.search(normalise(claim.text)) is not None


def _target(
    db: _Data,
    claim: Claim,
    region: str,
    d: str,
    scope: monitor.Scope,
    datasets: list[dict[str, Any]],
) -> Check:
    assert claim.period is not None
    year = claim.period["year"]
    check = Check(
        definition=d,
        measure="value",
        period={"year": year, "first_month": 1, "last_month": 12},
        computed=None,
        base_value=None,
        value=None,
        verdict="no_data",
        tolerance=_tolerance(claim),
        datasets=datasets,
        query=f"plan of record: target of {region}, {year}, {d}",
        notes=["a target or forecast is compared with the program's target, not with actuals"],
    )
    if claim.unit not in ("USD", "percent"):
        return _not_checkable(
            claim,
            d,
            "value",
            "a target in {unit} cannot be compared with the program's target in USD",
            unit=claim.unit,
        )
    if scope.hs or scope.partners or scope.offices:
        return _not_checkable(
            claim, d, "value", "the program's target is for the whole region, not a slice"
        )
    target = db.target(region, year, d)
    if target is None:
        check.reason = "no target for {year} under the {definition} definition"
        check.reason_values = {"year": year, "definition": d}
        return check
    check.value = target
    if claim.unit == "percent" or claim.direction:
        # a growth aimed at or expected: the program's target over the year before's exports
        series = db.monthly(scope, "value")
        before = _window(series, year - 1, 1, 12)
        check.base_value = before
        check.query += f"; base: {_query(scope, 'value')}"
        if before is None or before <= 0:
            check.reason = "no complete year {base} to measure the target's growth against"
            check.reason_values = {"base": year - 1}
            return check
        # a growth in percent, or in dollars («۵۰۰ میلیون دلار افزایش»)
        computed = 100.0 * (target / before - 1.0) if claim.unit == "percent" else target - before
    else:
        computed = target
    check.computed = computed
    low, high = _signed(claim)
    check.verdict = "consistent" if _in_range(computed, low, high) else ("inconsistent")
    return check


def check_text(
    ws: Workspace,
    text: str,
    published: tuple[int, int, int] | None,
    *,
    region: str | None = None,
    corrections: dict[int, dict[str, str]] | None = None,
) -> list[Checked]:
    """The claims of a text with their checks (an empty list: no checkable quantity);
    ``corrections``: fields corrected by hand, by the claim's index in the text."""
    return check_texts(ws, [(text, published)], region=region, corrections=[corrections or {}])[0]


def check_texts(
    ws: Workspace,
    texts: Sequence[tuple[str, tuple[int, int, int] | None]],
    *,
    region: str | None = None,
    corrections: list[dict[int, dict[str, str]]] | None = None,
) -> list[list[Checked]]:
    """Several texts checked against one read of the data (each series, figure and target
    read once for all of them): the claims of each text with their checks."""
    db = _Data(ws)
    reg = region or ws.home_region
    out: list[list[Checked]] = []
    for n, (text, published) in enumerate(texts):
        claims = extract(text, published)
        fixes = corrections[n] if corrections else {}
        for i, fields in fixes.items():
            if not 0 <= i < len(claims):
                raise InputError(f"the text has {len(claims)} claim(s); there is no claim {i + 1}")
            claims[i] = correct(claims[i], fields)
        if published is None and any(c.period is None for c in claims):
            raise InputError(
                "the text speaks of a relative period (this year, last year): give its "
                "publication date",
                hint="add --published YYYY/MM/DD (Solar Hijri)",
            )
        out.append([Checked(c, _check(db, c, reg)) for c in claims])
    return out


def recheck(ws: Workspace, claim: Claim, *, region: str | None = None) -> Checked:
    """One (corrected) claim checked again."""
    return Checked(claim, _check(_Data(ws), claim, region or ws.home_region))
