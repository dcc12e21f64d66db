"""The gaps an independent review found in claim reading and correcting (docs/claims.md):
a corrected period moves its base, a corrected quantity or unit gets the tolerance of its own
stated precision, corrections carried between checks accumulate, the subject is bound per
clause, a count that looks like a year is no period, an absolute change is a change in level,
and quantities are exact with a sensible tolerance for round whole numbers."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from exportplan.analytics.claim_extract import corrected, extract
from exportplan.errors import InputError
from exportplan.reference.number_words import find_numbers, normalise
from exportplan.services.claims import corrections as fixes

PUB = (1405, 9, 10)
SEED = "صادرات استان در سال جاری ۲۰ درصد افزایش یافت"


def test_a_corrected_period_moves_its_base_with_it() -> None:
    (c,) = extract(SEED, PUB)
    assert c.base is not None and c.base["year"] == 1404
    d = fixes.correct(c, {"year": "1404", "first_month": "1", "last_month": "12"})
    assert d.period == {"year": 1404, "first_month": 1, "last_month": 12}
    assert d.base == {
        "kind": "yoy",
        "year": 1403,
        "first_month": 1,
        "last_month": 12,
        "stated": False,
    }
    assert d.corrected_fields == ["period"]
    # the month before follows the corrected first month; a stated base year keeps its year
    (m,) = extract("صادرات استان در مهر امسال نسبت به ماه قبل ۵ درصد افزایش یافت", PUB)
    assert m.base is not None and (m.base["kind"], m.base["first_month"]) == ("mom", 6)
    m2 = fixes.correct(m, {"year": "1405", "first_month": "1", "last_month": "1"})
    assert m2.base is not None
    assert (m2.base["year"], m2.base["first_month"], m2.base["last_month"]) == (1404, 12, 12)
    (y,) = extract("صادرات استان در سال ۱۴۰۳ نسبت به سال ۱۴۰۰ ۳۰ درصد افزایش یافت", PUB)
    y2 = fixes.correct(y, {"year": "1403", "first_month": "1", "last_month": "6"})
    assert y2.base is not None and (y2.base["year"], y2.base["last_month"]) == (1400, 6)
    # a level corrected to a change gets the same months a year before
    (lv,) = extract("صادرات استان در هشت ماهه امسال یک میلیارد دلار بود", PUB)
    ch = fixes.correct(lv, {"kind": "change_abs"})
    assert ch.base is not None and (ch.base["year"], ch.base["last_month"]) == (1404, 8)


def test_a_corrected_quantity_or_unit_takes_its_own_precision() -> None:
    (c,) = extract(SEED, PUB)
    assert (c.low, c.high) == (19.5, 20.5)
    d = fixes.correct(c, {"quantity": "22.5"})
    assert (d.low, d.high) == pytest.approx((22.45, 22.55))
    (lv,) = extract("صادرات استان در هشت ماهه امسال ۳ میلیارد دلار بود", PUB)
    e = fixes.correct(lv, {"quantity": "۱٫۲ میلیارد"})
    assert e.quantity == 1_200_000_000 and (e.low, e.high) == pytest.approx((1.15e9, 1.25e9))
    f = fixes.correct(c, {"unit": "count", "kind": "count"})
    assert (f.low, f.high) == (20, 20)  # a count is exact
    g = fixes.correct(c, {"quantity": "-15"})  # a decrease
    assert (g.low, g.high) == pytest.approx((-15.5, -14.5))
    same = fixes.correct(c, fixes.form_values(c))  # the form sent back unchanged
    assert same is c and same.corrected_fields == []
    with pytest.raises(InputError, match="quantity"):
        fixes.correct(c, {"quantity": "twenty-ish"})
    with pytest.raises(InputError, match="months"):
        fixes.correct(c, {"first_month": "9", "last_month": "3"})


def test_successive_corrections_accumulate_in_the_carried_state() -> None:
    (c,) = extract(SEED, PUB)
    state = fixes.merge({}, 0, {**fixes.form_values(c), "year": "1404", "last_month": "12"})
    (one,) = [fixes.correct(c, f) for f in state.values()]
    carried = fixes.dump_state(SEED, [one], state)
    back = fixes.load_state(carried, SEED)
    second = fixes.merge(back, 0, {**fixes.form_values(one), "measure": "weight"})
    (two,) = [fixes.correct(c, f) for f in second.values()]
    assert two.period == {"year": 1404, "first_month": 1, "last_month": 12}
    assert two.measure == "weight" and two.corrected_fields == ["measure", "period"]
    assert json.loads(fixes.dump_state(SEED, [two], second))["fixes"]["0"] == {
        "first_month": "1",
        "last_month": "12",
        "measure": "weight",
        "year": "1404",
    }
    assert fixes.load_state(carried, SEED + " ") == {}  # another text: not its corrections
    with pytest.raises(InputError):
        fixes.load_state("{not json", SEED)


def test_the_subject_is_bound_per_clause() -> None:
    a, b = extract("صادرات استان ۲۰ درصد افزایش یافت و واردات آن ۵ درصد کاهش داشت", PUB)
    assert (a.subject, a.quantity, b.subject, b.quantity) == ("exports", 20, "imports", -5)
    c, d = extract(
        "واردات استان ۱۰ درصد کم شد، اما صادرات در هشت ماهه امسال ۱٫۲ میلیارد دلار بود", PUB
    )
    assert (c.subject, d.subject) == ("imports", "exports")
    (e,) = extract("Imports fell, while exports rose 12 percent in the first half of 1405", PUB)
    assert e.subject == "exports"


def test_a_count_that_looks_like_a_year_is_no_period() -> None:
    (c,) = extract("۱۴۰۰ صادرکننده در سه ماهه نخست امسال کالا صادر کردند", PUB)
    assert (c.kind, c.quantity, c.counted) == ("count", 1400, "exporters")
    assert c.period == {"year": 1405, "first_month": 1, "last_month": 3}
    # a year named with «سال» stays a year, and is no count
    (d,) = extract("در سال ۱۴۰۳ کشور ۲۰ درصد رشد صادرات داشت", PUB)
    assert (d.kind, d.period) == ("change", {"year": 1403, "first_month": 1, "last_month": 12})


def test_an_absolute_change_is_a_change_in_level() -> None:
    (up,) = extract("صادرات استان در هشت ماهه امسال ۲۰۰ میلیون دلار افزایش یافت", PUB)
    assert (up.kind, up.quantity, up.unit, up.direction) == ("change_abs", 2e8, "USD", 1)
    assert up.base is not None and (up.base["kind"], up.base["year"]) == ("yoy", 1404)
    (down,) = extract("صادرات استان با کاهش ۵۰ میلیون دلاری روبه‌رو شد", PUB)
    assert (down.kind, down.quantity, down.low, down.high) == ("change_abs", -5e7, -5.05e7, -4.95e7)
    (en,) = extract("Exports rose by USD 200 million in the first half of 1405", PUB)
    assert (en.kind, en.quantity) == ("change_abs", 2e8)
    # a level reached after a growth stays a level
    _, level = extract(
        "ارزش صادرات استان در دی ماه امسال با رشد ۳۲ درصدی به ۱۷۵ میلیون دلار رسید", PUB
    )
    assert level.kind == "level"


def test_quantities_are_exact_and_round_numbers_get_a_relative_tolerance() -> None:
    (n,) = find_numbers(normalise("۴٫۱ میلیارد"))
    assert n.exact == Decimal("4100000000") and n.value == 4_100_000_000
    (c,) = extract("صادرات استان در هشت ماهه امسال ۴٫۱ میلیارد دلار بود", PUB)
    q = c.as_dict()["quantity"]
    assert q == 4_100_000_000 and isinstance(q, int)
    assert json.dumps(q) == "4100000000"
    (t,) = extract("صادرات استان در هشت ماهه امسال ۱۰۰۰ تن بود", PUB)
    assert (t.low, t.high) == (950, 1050)  # ±5%, not ±500 t
    (p,) = extract("صادرات استان در هشت ماهه امسال ۱۲۴۴ تن بود", PUB)
    assert (p.low, p.high) == (1243.5, 1244.5)  # every digit stated: half a tonne
    (s,) = extract("صادرات استان در هشت ماهه امسال سه میلیارد دلار بود", PUB)
    assert (s.low, s.high) == pytest.approx((2.85e9, 3.15e9))
    (k,) = extract("صادرات استان در هشت ماهه امسال ۱٫۲ میلیارد دلار بود", PUB)
    assert (k.low, k.high) == pytest.approx((1.15e9, 1.25e9))  # the stated digit's half
    assert corrected(k, quantity=1.3e9).high == pytest.approx(1.35e9)
