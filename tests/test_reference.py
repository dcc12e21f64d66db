"""Reference data: calendar, countries, HS codes, text normalisation."""

from __future__ import annotations

import datetime as dt

import pytest

from exportplan.reference import calendar as cal
from exportplan.reference import countries, hs, text
from exportplan.workspace import Workspace


def test_solar_hijri_leap_years_and_nowruz() -> None:
    assert cal.sh_month_length(1403, 12) == 30  # 1403 is leap
    assert cal.sh_month_length(1404, 12) == 29  # 1404 is not
    assert cal.parse_period("1403/12/30").gregorian_date() == dt.date(2025, 3, 20)
    assert cal.parse_period("1404/01/01").gregorian_date() == dt.date(2025, 3, 21)
    assert cal.sh_year_bounds(1404) == (dt.date(2025, 3, 21), dt.date(2026, 3, 20))


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("1404/12/30", "not a leap year"),
        ("1404/07/31", "month 7 of 1404 has 30 days"),
        ("1404/13/01", "month 13 does not exist"),
        ("2025-02-29", "does not exist in the Gregorian calendar"),
        ("yesterday", "not a date or month"),
    ],
)
def test_dates_that_do_not_exist_say_why(raw: str, reason: str) -> None:
    with pytest.raises(cal.PeriodError, match=reason):
        cal.parse_period(raw)


def test_periods_in_persian_digits_and_both_calendars() -> None:
    assert cal.parse_period("۱۴۰۲/۱۲/۲۹") == cal.Period("sh", 1402, 12, 29)
    assert cal.parse_period("١٤٠٢/١٢") == cal.Period("sh", 1402, 12, None)
    p = cal.parse_period("2024-03-19")
    assert p.calendar == "g" and p.sh_year_month() == (1402, 12)


def test_calendar_table_in_the_workspace(ws: Workspace) -> None:
    with ws.warehouse(read_only=True) as con:
        rows = con.execute(
            "SELECT sh_year, count(*) FROM calendar WHERE sh_year IN (1403, 1404) "
            "GROUP BY 1 ORDER BY 1"
        ).fetchall()
        assert rows == [(1403, 366), (1404, 365)]
        first = con.execute(
            "SELECT date FROM calendar WHERE sh_year = 1404 AND sh_yday = 1"
        ).fetchall()
        assert first == [(dt.date(2025, 3, 21),)]
        q = con.execute(
            "SELECT DISTINCT sh_quarter FROM calendar WHERE sh_year = 1404 AND sh_month = 4"
        ).fetchall()
        assert q == [(2,)]


@pytest.mark.parametrize(
    "name, iso3",
    [
        ("Iraq", "IRQ"),
        ("عراق", "IRQ"),
        ("ترکیه", "TUR"),
        ("ترکيه", "TUR"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("جمهوری آذربایجان", "AZE"),
        ("ارمنستان", "ARM"),
        ("افغانستان", "AFG"),
        ("امارات متحده عربی", "ARE"),
        ("كويت", "KWT"),
        ("368", "IRQ"),
        ("842", "USA"),
        ("699", "IND"),
        ("IRQ", "IRQ"),
        ("iq", "IRQ"),
        ("490", "S19"),
    ],
)
def test_country_names_and_codes(name: str, iso3: str) -> None:
    assert countries.lookup(name) == iso3


def test_unknown_country_gets_the_closest_suggestion() -> None:
    assert countries.lookup("Irak") is None
    assert countries.suggest("Irak") == "Iraq (IRQ)"
    assert countries.suggest("ارمنستن") == "Armenia (ARM)"


def test_persian_names_are_overridden_where_wrong() -> None:
    c = countries.by_iso3()
    assert c["TUR"].name_fa == "ترکیه"
    assert c["AZE"].name_fa == "جمهوری آذربایجان"  # not the Iranian provinces
    assert c["RUS"].name_fa == "روسیه"


def test_distances_between_capitals() -> None:
    km = countries.distance_km("IRN", "IRQ")
    assert km is not None and 680 < km < 710  # Tehran - Baghdad
    assert countries.distance_km("IRN", "IRN") == 0.0


@pytest.mark.parametrize(
    "raw, code, padded, problem",
    [
        ("080810", "080810", False, None),
        ("80810", "080810", True, None),  # lost its leading zero
        ("8081000", "08081000", True, None),
        ("0808.10.00", "08081000", False, None),
        ("۰۸۰۸۱۰", "080810", False, None),
        ("80810.0", "080810", True, None),
        ("7403", None, False, "at least 6"),
        ("770110", None, False, "chapter 77 does not exist"),
        ("12345678901", None, True, "at most 10"),
        ("abc", None, False, "other than digits"),
    ],
)
def test_hs_code_cleaning(raw: str, code: str | None, padded: bool, problem: str | None) -> None:
    c = hs.clean_code(raw)
    assert (c.code, c.padded) == (code, padded)
    if problem:
        assert c.problem is not None and problem in c.problem
    else:
        assert c.problem is None


def test_hs_hierarchy() -> None:
    assert hs.section_of("720712") == "XV"
    assert hs.section_of("080810") == "II"
    assert hs.chapters()["72"] == "Iron and steel"


def test_text_normalisation() -> None:
    assert text.number_text("۱۲٬۵۰۰٫۵") == "12500.5"
    assert text.number_text("١٢٬٥٠٠") == "12500"
    assert text.clean_text("كيك  ي") == "کیک ی"
    assert text.to_persian_digits("1404") == "۱۴۰۴"


def test_calendar_rows_agree_with_jdatetime_day_by_day() -> None:
    """The month-walking calendar table equals converting every day with jdatetime, across
    leap years (1403 is leap: Esfand has 30 days) and a start and end inside a month."""
    import datetime as dt

    import jdatetime

    from exportplan.reference.calendar import calendar_rows

    start, end = dt.date(2019, 3, 7), dt.date(2026, 4, 2)
    rows = calendar_rows(start, end)
    assert len(rows) == (end - start).days + 1
    d = start
    for row in rows:
        j = jdatetime.date.fromgregorian(date=d)
        expected = (
            d,
            d.year,
            d.month,
            d.day,
            (d.month - 1) // 3 + 1,
            j.year,
            j.month,
            j.day,
            (j.month - 1) // 3 + 1,
            j.yday(),
        )
        assert row == expected, (row, expected)
        d += dt.timedelta(days=1)
    esfand_1403 = [r for r in rows if r[5] == 1403 and r[6] == 12]
    assert len(esfand_1403) == 30
    assert calendar_rows(start, end) is not rows  # callers may change their copy
