"""The number parser of news texts (reference/number_words.py): a round-trip property test
against num2fawords (an independent writer of Persian number words), digits of every script
with ``٫`` and ``٬``, mixed digits and scale words, ``نیم``, decimal words, ``بیلیون``, and
each number's place and stated precision."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from num2fawords import words

from exportplan.reference.number_words import find_numbers, normalise, parse


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_integers_round_trip_through_num2fawords(n: int) -> None:
    assert parse(words(n)) == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=10**9 - 1), st.integers(min_value=1, max_value=9))
def test_tenths_round_trip_through_num2fawords(whole: int, tenth: int) -> None:
    text = words(f"{whole}.{tenth}")
    assert parse(text) == pytest.approx(whole + tenth / 10, rel=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_digits_of_every_script_with_separators(n: int) -> None:
    grouped = f"{n:,}"
    persian = grouped.translate(str.maketrans("0123456789,", "۰۱۲۳۴۵۶۷۸۹٬"))
    arabic = grouped.translate(str.maketrans("0123456789,", "٠١٢٣٤٥٦٧٨٩٬"))
    for text in (str(n), grouped, persian, arabic):
        assert parse(text) == n


@pytest.mark.parametrize(
    ("text", "value", "step"),
    [
        ("۱٫۲ میلیارد", 1.2e9, 1e8),
        ("١٫٢٤٤ میلیارد", 1.244e9, 1e6),
        ("۱ میلیارد و ۲۴۴ میلیون", 1_244_000_000, 1e6),
        ("۸۵۴ میلیون و ۳۷۴ هزار", 854_374_000, 1e3),
        ("یک میلیارد و دویست و چهل و چهار میلیون", 1_244_000_000, 1e6),
        ("هشتصد و پنجاه و چهار میلیون و سیصد و هفتاد و چهار هزار", 854_374_000, 1e3),
        ("سه میلیارد", 3e9, 1e9),
        ("نیم", 0.5, 0.5),
        ("نیم میلیارد", 5e8, 5e8),
        ("یک و نیم میلیارد", 1.5e9, 5e8),
        ("دو میلیارد و نیم", 2.5e9, 5e8),
        ("یک و پنج دهم", 1.5, 0.1),
        ("یکصد و یک صدم", 100.01, 0.01),
        ("سه و یکصد و بیست و پنج هزارم", 3.125, 0.001),
        ("هزار میلیارد", 1e12, 1e12),
        ("پونصد", 500, 1),
        ("شیش", 6, 1),
        ("هیجده", 18, 1),
        ("20.5", 20.5, 0.1),
        ("1.5 billion", 1.5e9, 1e8),
        ("1,244,000,000", 1_244_000_000, 1e6),
        ("۲۰", 20, 1),
    ],
)
def test_hand_cases(text: str, value: float, step: float) -> None:
    (number,) = find_numbers(normalise(text))
    assert number.value == pytest.approx(value)
    assert number.step == pytest.approx(step)
    assert parse(text) == pytest.approx(value)


def test_billion_is_read_as_ten_to_the_ninth_and_flagged() -> None:
    (number,) = find_numbers(normalise("دو بیلیون دلار"))
    assert number.value == 2e9
    assert number.flags == ("ambiguous-billion",)
    (plain,) = find_numbers(normalise("دو میلیارد دلار"))
    assert plain.flags == ()


def test_two_numbers_joined_by_and_stay_two_with_their_places() -> None:
    text = "ارزش صادرات ۲۰ درصد و وزن آن ۲۸ درصد افزایش یافت"
    nums = find_numbers(normalise(text))
    assert [(n.value, text[n.start : n.end]) for n in nums] == [(20, "۲۰"), (28, "۲۸")]
    # digits joined by و are two numbers; words are one
    assert [n.value for n in find_numbers(normalise("۳ و ۵"))] == [3, 5]
    assert [n.value for n in find_numbers(normalise("بیست و پنج"))] == [25]


def test_normal_form_keeps_offsets_and_plural_scales_are_no_number() -> None:
    text = "صادرات\u200cاستان ۱٬۲۰۰ تن؛ میلیون‌ها دلار"
    assert len(normalise(text)) == len(text)
    assert normalise("كيلوگرم ٫") == "کیلوگرم ."
    nums = find_numbers(normalise(text))
    assert [(n.value, text[n.start : n.end]) for n in nums] == [(1200, "۱٬۲۰۰")]


@pytest.mark.parametrize("bad", ["", "دلار", "۲۰ و وزن", "بیست بیست"])
def test_not_one_number_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not one number"):
        parse(bad)


def test_negative_words() -> None:
    assert parse(words(-1244)) == -1244
