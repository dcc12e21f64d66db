"""Claim extraction (analytics/claim_extract.py, claim_periods.py) on hand-written sentences
in the shapes of provincial releases: the three failure shapes of the design study's prototype
(span plus anchor, the comparison base, measure binding) are explicit cases."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportplan.analytics.claim_extract import corrected, extract, sentences
from exportplan.reference.claim_words import counted_of
from exportplan.reference.number_words import normalise

PUB = (1404, 9, 12)


def one(text: str, published: tuple[int, int, int] | None = PUB) -> dict[str, object]:
    (claim,) = extract(text, published)
    return claim.as_dict()


def test_seed_sentence_is_a_change_over_the_year_to_date() -> None:
    c = one("صادرات استان در سال جاری ۲۰ درصد افزایش یافت", (1405, 9, 10))
    assert (c["kind"], c["quantity"], c["unit"], c["direction"]) == ("change", 20, "percent", 1)
    assert c["period"] == {"year": 1405, "first_month": 1, "last_month": 8}
    assert c["base"] == {
        "kind": "yoy",
        "year": 1404,
        "first_month": 1,
        "last_month": 8,
        "stated": False,
    }
    assert c["tolerance"] == {"low": 19.5, "high": 20.5}
    assert c["definition_cue"] is None


def test_span_and_anchor_compose_and_the_base_is_not_the_period() -> None:
    c = one("ارزش صادرات استان در هشت ماهه امسال نسبت به مدت مشابه سال گذشته ۱۲ درصد کاهش یافت")
    assert c["period"] == {"year": 1404, "first_month": 1, "last_month": 8}
    assert c["base"] == {
        "kind": "yoy",
        "year": 1403,
        "first_month": 1,
        "last_month": 8,
        "stated": True,
    }
    assert (c["direction"], c["measure"]) == (-1, "value")


def test_two_measures_in_one_sentence_are_two_claims() -> None:
    claims = extract(
        "ارزش صادرات در ۱۰ ماهه امسال ۲۰ درصد و وزن آن ۲۸ درصد افزایش یافت", (1404, 11, 20)
    )
    assert [(c.measure, c.quantity, c.kind) for c in claims] == [
        ("value", 20, "change"),
        ("weight", 28, "change"),
    ]
    assert all(c.period == {"year": 1404, "first_month": 1, "last_month": 10} for c in claims)


@pytest.mark.parametrize(
    ("text", "kind", "quantity", "unit", "qualifier", "period", "cue"),
    [
        (
            "صادرات یک میلیارد و ۲۴۴ میلیون دلار کالا از گمرکات آذربایجان شرقی در هشت ماهه امسال",
            "level",
            1_244_000_000,
            "USD",
            None,
            (1404, 1, 8),
            "customs",
        ),
        (
            "هدف‌گذاری سه میلیارد دلاری برای صادرات استان در سال ۱۴۰۵",
            "target",
            3e9,
            "USD",
            None,
            (1405, 1, 12),
            None,
        ),
        (
            "پیش‌بینی می‌شود صادرات تولیدات استان تا پایان سال به ۲٫۵ میلیارد دلار برسد",
            "forecast",
            2.5e9,
            "USD",
            None,
            (1404, 1, 12),
            "origin",
        ),
        (
            "صادرات فرش استان به عراق در مهر ماه حدود ۱۲ میلیون دلار بود",
            "level",
            12e6,
            "USD",
            "about",
            (1404, 7, 7),
            None,
        ),
        (
            "در سه ماهه نخست سال ۱۴۰۳ صادرات استان ۸۵۴ میلیون و ۳۷۴ هزار دلار بود",
            "level",
            854_374_000,
            "USD",
            None,
            (1403, 1, 3),
            None,
        ),
        (
            "صادرات استان در سال گذشته بالغ بر سه میلیارد دلار بود",
            "level",
            3e9,
            "USD",
            "more_than",
            (1403, 1, 12),
            None,
        ),
        (
            "کالاهای تولیدی استان در نیمه نخست امسال به ۸۸ کشور صادر شد",
            "count",
            88,
            "count",
            None,
            (1404, 1, 6),
            "origin",
        ),
        (
            "سهم استان از صادرات غیرنفتی کشور در پاییز امسال کمتر از ۵ درصد بود",
            "share",
            5,
            "percent",
            "less_than",
            (1404, 7, 9),
            None,
        ),
        (
            "وزن صادرات از گمرک جلفا در آبان ۱٫۵ میلیون تن بود",
            "level",
            1.5e6,
            "tonne",
            None,
            (1404, 8, 8),
            "customs",
        ),
        (
            "East Azarbaijan's exports rose 37% in the first four months year on year",
            "change",
            37,
            "percent",
            None,
            (1404, 1, 4),
            None,
        ),
        (
            "Exports through the province's customs reached USD 1.2 billion in 1403",
            "level",
            1.2e9,
            "USD",
            None,
            (1403, 1, 12),
            "customs",
        ),
        (
            "صادرات ریالی استان ۱۲۰ هزار میلیارد ریال بود",
            "level",
            1.2e14,
            "IRR",
            None,
            (1404, 1, 8),
            None,
        ),
    ],
)
def test_fields(
    text: str,
    kind: str,
    quantity: float,
    unit: str,
    qualifier: str | None,
    period: tuple[int, int, int],
    cue: str | None,
) -> None:
    c = one(text)
    assert (c["kind"], c["unit"], c["qualifier"], c["definition_cue"]) == (
        kind,
        unit,
        qualifier,
        cue,
    )
    assert c["quantity"] == pytest.approx(quantity)
    y, a, b = period
    assert c["period"] == {"year": y, "first_month": a, "last_month": b}


def test_rank_and_level_in_one_sentence_and_tolerances() -> None:
    claims = extract("آذربایجان شرقی با صادرات ۱٫۲ میلیارد دلار رتبه ششم کشور را دارد", PUB)
    assert [(c.kind, c.quantity, c.unit) for c in claims] == [
        ("level", 1.2e9, "USD"),
        ("rank", 6, "rank"),
    ]
    assert (claims[0].low, claims[0].high) == pytest.approx((1.15e9, 1.25e9))
    (about,) = extract("صادرات حدود ۲۰۰ میلیون دلار بود", PUB)
    assert (about.low, about.high) == pytest.approx((190e6, 210e6))
    (more,) = extract("صادرات بیش از ۲۰۰ میلیون دلار بود", PUB)
    assert more.low == 200e6 and math.isinf(more.high)


def test_scope_products_destinations_offices() -> None:
    c = one("صادرات فرش و پسته از گمرک سهلان به ترکیه و ارمنستان ۳ میلیون دلار بود")
    assert c["scope"] == {
        "hs": ["0802", "57"],
        "partners": ["ARM", "TUR"],
        "offices": ["گمرک سهلان"],
    }


def test_relative_period_without_publication_date_is_flagged() -> None:
    c = one("صادرات استان در هشت ماهه امسال ۲۰ درصد افزایش یافت", None)
    assert c["period"] is None and "needs-publication-date" in c["flags"]  # type: ignore[operator]
    explicit = one("صادرات استان در سال ۱۴۰۲ ۲۰ درصد افزایش یافت", None)
    assert explicit["period"] == {"year": 1402, "first_month": 1, "last_month": 12}


def test_gregorian_year_is_flagged_and_billion_is_flagged() -> None:
    c = one("Exports rose 12 percent in 2024")
    assert "gregorian-year" in c["flags"]  # type: ignore[operator]
    assert c["period"] == {"year": 1403, "first_month": 1, "last_month": 12}
    b = one("صادرات دو بیلیون دلار بود")
    assert "ambiguous-billion" in b["flags"]  # type: ignore[operator]


def test_no_checkable_quantity_gives_no_claims() -> None:
    assert extract("صادرات استان در سال جاری رونق گرفت و بازارهای تازه‌ای گشوده شد", PUB) == []
    assert extract("", PUB) == []


def test_sentences_keep_decimals_and_the_previous_sentence_period_carries() -> None:
    text = "صادرات در هشت ماهه امسال ۱٫۵ میلیارد دلار بود. وزن آن ۲ میلیون تن بود."
    assert len(sentences(normalise(text))) == 2
    a, b = extract(text, PUB)
    assert a.quantity == 1.5e9 and b.quantity == 2e6 and b.unit == "tonne"
    assert b.period == {"year": 1404, "first_month": 1, "last_month": 8}
    assert text[a.start : a.end] == "۱٫۵ میلیارد دلار"


def test_a_corrected_field_keeps_the_precision() -> None:
    (c,) = extract("صادرات در هشت ماهه امسال ۲۰ درصد افزایش یافت", PUB)
    d = corrected(c, quantity=25.0, measure="weight")
    assert (d.quantity, d.measure, d.edited) == (25.0, "weight", True)
    assert (d.low, d.high) == pytest.approx((24.5, 25.5))


WORDS = [
    "صادرات",
    "۲۰",
    "درصد",
    "میلیارد",
    "دلار",
    "و",
    "نیم",
    "هشت",
    "ماهه",
    "امسال",
    "سال",
    "۱۴۰۳",
    "مهر",
    "تا",
    "آبان",
    "نسبت به",
    "مدت مشابه",
    "رتبه",
    "ششم",
    "کشور",
    "بیش از",
    "حدود",
    "کاهش",
    "هدف",
    "تن",
    "ریال",
    "یک",
    "صد",
    "هزار",
    "دهم",
    ".",
    "،",
    "2024",
    "%",
    "USD",
    "billion",
    "rose",
    "first",
    "months",
    "سه ماهه",
    "نخست",
    "بیلیون",
    "٫",
    "٬",
    "۱٫۲",
]


@settings(max_examples=120, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=4)), max_size=25),
    st.integers(1, 12),
)
def test_any_text_is_read_without_error_and_claims_point_into_it(
    words: list[str], month: int
) -> None:
    text = " ".join(words)
    for c in extract(text, (1404, month, 15)):
        assert 0 <= c.start < c.end <= len(text)
        assert c.low <= c.quantity <= c.high
        if c.period is not None:
            assert 1 <= c.period["first_month"] <= c.period["last_month"] <= 12


def test_a_count_says_what_it_counts() -> None:
    assert counted_of("۹۰ کشور") == "countries" and counted_of("45 destination") == "countries"
    assert counted_of("۱۲۰۰ صادرکننده") == "exporters" and counted_of("300 firms") == "exporters"
    assert counted_of("12 tonnes") is None
    (c,) = extract("In the first half of 1405, 1,200 exporters shipped goods.", (1405, 7, 1))
    assert (c.kind, c.unit, c.quantity, c.counted) == ("count", "count", 1200, "exporters")
