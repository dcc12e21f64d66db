"""Claim extraction on shapes of real releases that the gold sets do not hold, written by hand
before and while the extractor `claims-3` was made to read them (docs/claims.md): spelling
variants (a ZWNJ beside a space, a written-out ezafe, diacritics, glued «و», «/» as the
decimal point), more period words (the month before publication, trailing months, «منتهی به»,
the Nth month, Q1/H1, the Iranian year in English, bases naming a span), kinds (ranks by an
ordinal, inflected direction words, «رشد منفی», multiples, a forecast across a clause),
measures bound by their unit, qualifiers, English money («USD 200 m») and foreign trade."""

from __future__ import annotations

import re
from typing import Any

import pytest

from exportplan.analytics.claim_extract import extract
from exportplan.services import monitor
from exportplan.services.claims.check import check_text
from exportplan.views.claims import check_rows, flag_texts
from exportplan.workspace import Workspace

PUB = (1404, 9, 12)
Case = tuple[str, tuple[int, int, int], list[dict[str, Any]]]


def fields(text: str, published: tuple[int, int, int] = PUB) -> list[dict[str, Any]]:
    out = []
    for c in extract(text, published):
        p = c.period
        out.append(
            {
                "kind": c.kind,
                "measure": c.measure,
                "quantity": c.quantity,
                "unit": c.unit,
                "period": None if p is None else (p["year"], p["first_month"], p["last_month"]),
                "qualifier": c.qualifier,
                "cue": c.definition_cue,
                "subject": c.subject,
                "flags": c.flags,
                "range": (c.low, c.high),
            }
        )
    return out


def check_cases(cases: list[Case]) -> None:
    for text, published, expected in cases:
        got = fields(text, published)
        assert len(got) == len(expected), (text, got)
        for g, e in zip(got, expected, strict=True):
            assert {k: g[k] for k in e} == e, text


P_1_6 = (1404, 1, 6)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # a ZWNJ beside a space, a written-out ezafe, the hamza of «هٔ»
        ("صادرات استان در نیمه‌ اول امسال ۱ میلیارد دلار بود", PUB, [{"period": P_1_6}]),
        ("صادرات استان در نیمه‌ی نخست امسال ۵۰۰ میلیون دلار بود", PUB, [{"period": P_1_6}]),
        (
            "صادرات استان در سه‌ماهه‌ی دوم امسال ۲۰ درصد افزایش یافت",
            PUB,
            [{"period": (1404, 4, 6), "kind": "change"}],
        ),
        (
            "صادرات استان در نیمهٔ دوم سال گذشته ۱٫۸ میلیارد دلار بود",
            PUB,
            [{"period": (1403, 7, 12)}],
        ),
        ("صادرات در نیمسال نخست امسال ۹۰۰ میلیون دلار بود", PUB, [{"period": P_1_6}]),
        # «از ابتدای سال تا پایان MONTH» with «ماه» glued or apart
        (
            "صادرات استان از ابتدای سال تا پایان مهرماه ۵۰۰ میلیون دلار بود",
            PUB,
            [{"period": (1404, 1, 7)}],
        ),
        (
            "صادرات از آغاز سال جاری تا پایان آبان‌ماه ۸۰۰ میلیون دلار بود",
            PUB,
            [{"period": (1404, 1, 8)}],
        ),
        (
            "صادرات استان از ابتدای سال تا ۲۰ آبان ۹۰۰ میلیون دلار بود",
            PUB,
            [{"period": (1404, 1, 8)}],
        ),
        # the month before publication, and the last N whole months
        ("صادرات استان در ماه گذشته ۵۰ میلیون دلار بود", PUB, [{"period": (1404, 8, 8)}]),
        (
            "صادرات استان در ماه گذشته ۵۰ میلیون دلار بود",
            (1404, 1, 20),
            [{"period": (1403, 12, 12)}],
        ),
        ("Exports reached $70 million last month", PUB, [{"period": (1404, 8, 8)}]),
        ("صادرات استان در دو ماه گذشته ۹۰ میلیون دلار بود", PUB, [{"period": (1404, 7, 8)}]),
        ("Exports reached $90 million in the past two months", PUB, [{"period": (1404, 7, 8)}]),
        # «N ماهه منتهی به MONTH»: N months ending in the month named
        (
            "صادرات استان در ده ماهه منتهی به دی ماه ۲ میلیارد دلار بود",
            (1404, 11, 5),
            [{"period": (1404, 1, 10)}],
        ),
        # the Nth month
        ("صادرات استان در نخستین ماه امسال ۱۰۰ میلیون دلار بود", PUB, [{"period": (1404, 1, 1)}]),
        ("صادرات در ماه دوم سال جاری ۱۱۰ میلیون دلار بود", PUB, [{"period": (1404, 2, 2)}]),
        # Q2, H1
        ("Exports reached $600 million in Q2", PUB, [{"period": (1404, 4, 6)}]),
        ("Exports reached $1.1 billion in H1", PUB, [{"period": P_1_6}]),
        # the Iranian year in English
        (
            "Exports in the last Iranian year reached $2.5 billion",
            PUB,
            [{"period": (1403, 1, 12)}],
        ),
        (
            "Exports are expected to exceed $3 billion in the next Iranian year",
            PUB,
            [{"kind": "forecast", "period": (1405, 1, 12)}],
        ),
        (
            "Exports reached $300 million in Azar of the current Iranian calendar year",
            PUB,
            [{"period": (1404, 9, 9)}],
        ),
        # a year glued to «سال», a year of two digits
        ("صادرات استان در سال۱۴۰۲ ۲ میلیارد دلار بود", PUB, [{"period": (1402, 1, 12)}]),
        ("صادرات استان در سال ۹۹ ۱٫۶ میلیارد دلار بود", PUB, [{"period": (1399, 1, 12)}]),
        # months spelt without the madda, «امرداد»
        ("صادرات در اذر ماه ۲۱۰ میلیون دلار بود", (1404, 10, 5), [{"period": (1404, 9, 9)}]),
        ("صادرات در امرداد امسال ۱۹۰ میلیون دلار بود", PUB, [{"period": (1404, 5, 5)}]),
    ],
)
def test_period_words(text: str, published: tuple[int, int, int], expected: Any) -> None:
    check_cases([(text, published, expected)])


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # a base naming a span or a month: not the period
        (
            "Exports fell 6 percent in the Iranian month of Aban compared with the same month "
            "last year",
            PUB,
            [{"period": (1404, 8, 8), "quantity": -6.0}],
        ),
        (
            "صادرات در فصل تابستان امسال نسبت به تابستان پارسال ۱۱ درصد رشد داشت",
            PUB,
            [{"period": (1404, 4, 6)}],
        ),
        (
            "صادرات در آبان ماه نسبت به ماه مشابه سال قبل ۱۰ درصد افزایش یافت",
            PUB,
            [{"period": (1404, 8, 8)}],
        ),
        (
            "صادرات در سه ماهه دوم نسبت به سه ماهه دوم سال ۱۴۰۲ هشت درصد رشد کرد",
            PUB,
            [{"period": (1404, 4, 6)}],
        ),
        # «بیشتر از سال گذشته»: a base, and the amount a change in level
        (
            "صادرات استان ۳۰۰ میلیون دلار بیشتر از سال گذشته بود",
            PUB,
            [{"kind": "change_abs", "quantity": 3e8, "period": (1404, 1, 8)}],
        ),
        # a span parted from a later anchor by a clause break is not that anchor's span; a
        # span after a turn («اما») is not the earlier claim's
        (
            "صادرات در هشت ماهه امسال ۲۰ درصد رشد داشت، و در سال ۱۴۰۳ به ۳ میلیارد دلار رسید",
            PUB,
            [{"period": (1404, 1, 8)}, {"period": (1403, 1, 12)}],
        ),
        (
            "صادرات در سال ۱۴۰۲ نسبت به سال قبل ۹ درصد رشد کرد اما در شش ماه نخست امسال ۳ درصد "
            "کاهش یافت",
            PUB,
            [{"period": (1402, 1, 12)}, {"period": P_1_6, "quantity": -3.0}],
        ),
        # a base said as the period of a figure: the sentence's months a year before
        (
            "صادرات در ۸ ماهه امسال به ۱ میلیارد دلار رسید در حالی که در مدت مشابه پارسال ۸۰۰ "
            "میلیون دلار بود",
            PUB,
            [{"period": (1404, 1, 8)}, {"period": (1403, 1, 8), "quantity": 8e8}],
        ),
        (
            "صادرات امسال ۱ میلیارد دلار بود که در مدت مشابه سال ۱۴۰۲ به ۷۰۰ میلیون دلار می‌رسید",
            PUB,
            [{"period": (1404, 1, 8)}, {"period": (1402, 1, 8)}],
        ),
        (
            "Exports stood at $1 billion in the first eight months, compared with $800 million "
            "in the same period last year",
            PUB,
            [{"period": (1404, 1, 8)}, {"period": (1403, 1, 8), "quantity": 8e8}],
        ),
        (
            "صادرات استان در هفت ماهه امسال به ۱ میلیارد دلار رسید. در مدت مشابه سال گذشته این "
            "رقم ۸۰۰ میلیون دلار بود.",
            PUB,
            [{"period": (1404, 1, 7)}, {"period": (1403, 1, 7)}],
        ),
        # a Gregorian gloss or date is not the year; the Iranian year that ended in one is
        (
            "Exports in the Iranian calendar year 1403 (March 2024-March 2025) reached $3.1 "
            "billion",
            PUB,
            [{"period": (1403, 1, 12), "flags": []}],
        ),
        (
            "Exports reached $3.1 billion in the Iranian year that ended on March 20, 2025",
            PUB,
            [{"period": (1403, 1, 12), "flags": []}],
        ),
        # English with the span at the end after commas stays bound
        (
            "Exports reached $1.2 billion, up 20 percent, in the first eight months",
            PUB,
            [{"period": (1404, 1, 8)}, {"period": (1404, 1, 8), "kind": "change"}],
        ),
    ],
)
def test_bases_and_clauses(text: str, published: tuple[int, int, int], expected: Any) -> None:
    check_cases([(text, published, expected)])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a rank by an ordinal before «استان صادرکننده» or «صادرکننده»
        ("آذربایجان شرقی در هفت ماهه امسال پنجمین استان صادرکننده کشور بود", [(5.0, "rank")]),
        ("استان ششمین صادرکننده غیرنفتی کشور است", [(6.0, "rank")]),
        ("The province was the third largest exporter among Iran's provinces", [(3.0, "rank")]),
        ("ششمین نمایشگاه صادراتی استان در تبریز برگزار شد", []),
        ("Turkey was the second largest export destination of the province", []),
        # inflected direction words; a negative growth is a decrease
        ("صادرات استان رشدی ۱۸ درصدی داشت", [(18.0, "change")]),
        ("صادرات استان جهش ۴۰ درصدی داشت", [(40.0, "change")]),
        ("صادرات با رشد منفی ۱۵ درصدی همراه بود", [(-15.0, "change")]),
        ("صادرات با ۷ درصد رشد منفی روبرو شد", [(-7.0, "change")]),
        ("Exports surged 30 percent", [(30.0, "change")]),
        ("Exports plunged 12 percent", [(-12.0, "change")]),
        ("The province aims to raise exports by 20 percent this year", [(20.0, "target")]),
        # a forecast governs its sentence across a comma, not past a turn
        (
            "پیش‌بینی می‌شود با تکمیل خط ریلی و رونق بازار عراق و افزایش تقاضای همسایگان، صادرات "
            "استان در سال آینده به ۵ میلیارد دلار برسد",
            [(5e9, "forecast")],
        ),
        (
            "پیش‌بینی می‌شد صادرات امسال بیشتر شود، اما صادرات استان به ۲ میلیارد دلار رسید",
            [(2e9, "level")],
        ),
        # multiples: a change in percent, flagged; «برابر» with no verb is no change
        ("صادرات استان دو برابر شد", [(100.0, "change")]),
        ("صادرات فرش به ۲٫۵ برابر افزایش یافت", [(150.0, "change")]),
        ("Exports of carpets doubled", [(100.0, "change")]),
        ("افزایش ۳ برابری صادرات استان", [(200.0, "change")]),
        ("صادرات سرانه استان ۳ برابر میانگین کشوری است", []),
    ],
)
def test_kinds(text: str, expected: list[tuple[float, str]]) -> None:
    got = fields(text)
    assert [(g["quantity"], g["kind"]) for g in got] == expected


def test_a_period_carried_over_is_the_last_one_said() -> None:
    text = (
        "صادرات در سه ماهه نخست ۳۰۰ میلیون دلار و در شش ماهه نخست امسال ۷۰۰ میلیون دلار بود. "
        "این رقم ۱۰ درصد رشد داشت."
    )
    assert [g["period"] for g in fields(text)] == [(1404, 1, 3), P_1_6, P_1_6]


def test_a_month_named_as_the_base_is_that_month() -> None:
    (c,) = extract("صادرات استان در آبان‌ماه امسال نسبت به مهرماه ۱۲ درصد افزایش یافت", PUB)
    assert c.period == {"year": 1404, "first_month": 8, "last_month": 8}
    assert c.base == {
        "kind": "month",
        "year": 1404,
        "first_month": 7,
        "last_month": 7,
        "stated": True,
    }
    (c,) = extract("صادرات در فروردین نسبت به اسفند ۱۲ درصد کاهش یافت", (1404, 3, 1))
    assert c.base is not None and (c.base["year"], c.base["first_month"]) == (1403, 12)


def test_a_multiple_is_flagged_and_as_loose_as_a_round_number() -> None:
    (c,) = fields("صادرات استان نسبت به پارسال دو برابر شد")
    assert "multiple" in c["flags"] and c["unit"] == "percent"
    assert c["range"] == (90.0, 110.0)  # 1.9 to 2.1 times
    fa, en = flag_texts(["multiple"], "fa")[0], flag_texts(["multiple"], "en")[0]
    assert "دو برابر" in fa and re.search("[A-Za-z]", fa) is None and "+100%" in en


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        # money is a value and tonnes a weight whatever noun is near
        ("حجم مبادلات تجاری استان با عراق ۳ میلیارد دلار بود", "value"),
        ("ارزش کالاهای صادراتی ۴۰۰ هزار تن بود", "weight"),
        # «مقدار», «تناژ»: weight
        ("مقدار صادرات ۲۰ درصد افزایش یافت", "weight"),
        ("تناژ صادرات استان ۱۲ درصد کاهش یافت", "weight"),
    ],
)
def test_measures(text: str, measure: str) -> None:
    (c,) = fields(text)
    assert c["measure"] == measure


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("صادرات استان متجاوز از ۲ میلیارد دلار بود", "more_than"),
        ("صادرات استان حداقل ۲ میلیارد دلار خواهد بود", "more_than"),
        ("صادرات استان از ۲ میلیارد دلار فراتر رفت", "more_than"),
        ("Exports surpassed $2 billion", "more_than"),
        ("صادرات استان حداکثر ۲ میلیارد دلار بود", "less_than"),
        # «از X سال گذشته به Y»: no mark crossed («گذشته» is not «گذشت»)
        ("صادرات از ۲ میلیارد دلار در سال گذشته به رقم بالاتری رسید", None),
    ],
)
def test_qualifiers(text: str, qualifier: str | None) -> None:
    assert fields(text)[0]["qualifier"] == qualifier


@pytest.mark.parametrize(
    ("text", "quantity", "unit"),
    [
        # the thousands of a bigger scale
        ("صادرات استان هزار و ۲۰۰ میلیارد ریال بود", 1.2e12, "IRR"),
        ("صادرات یک هزار و ۲۰۰ میلیارد و ۵۰۰ میلیون تومان بود", 1.2005e12, "IRT"),
        # «/» and «,» as the decimal point before a scale or a unit
        ("صادرات استان ۱/۲ میلیارد دلار بود", 1.2e9, "USD"),
        ("صادرات استان ۲/۵ درصد رشد داشت", 2.5, "percent"),
        ("صادرات استان ۱,۲ میلیارد دلار بود", 1.2e9, "USD"),
        # «و» glued to a number word or to a scale
        ("صادرات استان سی‌وپنج درصد رشد داشت", 35.0, "percent"),
        ("صادرات استان یک میلیاردو ۲۰۰ میلیون دلار بود", 1.2e9, "USD"),
        # a unit joined by a hyphen
        ("Exports showed a 12-percent rise", 12.0, "percent"),
        # the percent sign typed before the digits
        ("صادرات استان ٪۱۲ رشد داشت", 12.0, "percent"),
        # English money
        ("Exports reached USD 200 m", 2e8, "USD"),
        ("Exports reached $200 m", 2e8, "USD"),
        ("Exports reached USD 200 mln", 2e8, "USD"),
        ("Exports reached 1.2 bln dollars", 1.2e9, "USD"),
        ("Exports reached $1.2b", 1.2e9, "USD"),
        ("Exports reached Rls 72 trillion", 7.2e13, "IRR"),
    ],
)
def test_numbers_and_units(text: str, quantity: float, unit: str) -> None:
    (c,) = fields(text)
    assert (c["quantity"], c["unit"]) == (pytest.approx(quantity), unit)


def test_metres_and_dates_are_no_money() -> None:
    assert [g["quantity"] for g in fields("The road is 200 m long and cost 5 million dollars")] == [
        5e6
    ]
    assert fields("بخشنامه مورخ ۱۴۰۳/۰۵/۱۲ به گمرکات ابلاغ شد") == []


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("تجارت خارجی استان در هشت ماهه امسال ۳ میلیارد دلار بود", "trade"),
        ("Foreign trade of the province reached $3 billion", "trade"),
        ("حجم صادرات و واردات استان ۴ میلیارد دلار بود", "trade"),
        # the Industry, Mine and Trade organisation names trade but speaks of exports
        ("رئیس سازمان صنعت، معدن و تجارت استان گفت: صادرات ۲۰ درصد رشد کرد", "exports"),
        ("مدیر کل صنعت معدن و تجارت استان از رشد ۲۰ درصدی صادرات خبر داد", "exports"),
    ],
)
def test_foreign_trade_is_not_exports(text: str, subject: str) -> None:
    assert [g["subject"] for g in fields(text)] == [subject]


def test_a_direction_and_a_subject_next_to_the_number_are_its_own() -> None:
    got = fields("کاهش ۵ درصدی واردات و رشد ۲۰ درصدی صادرات استان در هشت ماهه امسال")
    assert [(g["quantity"], g["subject"]) for g in got] == [(-5.0, "imports"), (20.0, "exports")]
    got = fields(
        "صادرات در سه ماهه دوم با افت ۳ درصدی به ۶۵۰ میلیون دلار رسید، اما در شش ماهه "
        "نخست رشد ۱۰ درصدی داشت"
    )
    assert [(g["quantity"], g["period"]) for g in got] == [
        (-3.0, (1404, 4, 6)),
        (6.5e8, (1404, 4, 6)),
        (10.0, P_1_6),
    ]
    # a forecast said after a clause break is not the earlier figure's
    got = fields(
        "سال گذشته صادرات ۲٫۶ میلیارد دلار بود، امسال پیش‌بینی می‌شود به ۳ میلیارد دلار برسد"
    )
    assert [g["kind"] for g in got] == ["level", "forecast"]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        (
            "به نقل از اداره کل گمرکات استان، صادرات آذربایجان شرقی به ترکیه ۳۰۰ میلیون دلار بود",
            None,
        ),
        ("طبق آمار گمرکات استان صادرات ۱۲ درصد رشد داشت", None),
        (
            "مدیرکل گمرکات استان گفت: ۹۰۰ میلیون دلار کالا از گمرکات استان صادر شد",
            "customs",
        ),
    ],
)
def test_customs_named_as_a_source_is_no_cue(text: str, cue: str | None) -> None:
    assert fields(text)[0]["cue"] == cue


def test_offsets_are_those_of_the_text_as_written() -> None:
    text = "صادراتِ استان در نیمه‌ی نخستِ  امسال  سی‌وپنج درصد و ۱/۲ میلیارد دلار بود"
    spans = [text[c.start : c.end] for c in extract(text, PUB)]
    assert spans == ["سی‌وپنج درصد", "۱/۲ میلیارد دلار"]
    assert all(c.text == text for c in extract(text, PUB))


def test_foreign_trade_and_a_multiple_are_checked_honestly(small_demo: Workspace) -> None:
    published = (1405, 9, 10)  # the demo's data run through Aban 1405
    trade, doubled = check_text(
        small_demo,
        "تجارت خارجی استان در هشت ماهه امسال ۳ میلیارد دلار بود. صادرات از گمرکات استان در "
        "هشت ماهه امسال دو برابر شد",
        published,
    )
    assert {c.verdict for c in trade.checks} == {"not_checkable"}
    fa, en = check_rows(trade, "fa")[0]["reason"], check_rows(trade, "en")[0]["reason"]
    assert "تجارت خارجی" in fa and re.search("[A-Za-z]", fa) is None
    assert "foreign trade" in en and "exports only" in en
    (c,) = doubled.checks
    assert doubled.claim.kind == "change" and c.definition == "customs"
    assert c.computed is not None and c.tolerance == {"low": 90.0, "high": 110.0}
    assert c.verdict == ("consistent" if 90 <= c.computed <= 110 else "inconsistent")


def test_a_month_named_as_the_base_is_checked_against_that_month(small_demo: Workspace) -> None:
    (checked,) = check_text(
        small_demo,
        "صادرات از گمرکات استان در آبان‌ماه امسال نسبت به شهریور ۱۲ درصد افزایش یافت",
        (1405, 9, 10),
    )
    (c,) = checked.checks
    series = monitor.monthly(small_demo, monitor.Scope(small_demo.home_region, "customs"), "value")
    aban, shahrivar = float(series[1405][7]), float(series[1405][5])
    assert c.base_value == pytest.approx(shahrivar)
    assert c.computed == pytest.approx(100 * (aban / shahrivar - 1))
    assert check_rows(checked, "fa")[0]["base"] == "شهریور ۱۴۰۵"
