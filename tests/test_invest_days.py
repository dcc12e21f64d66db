"""Iranian working days (reference/holidays.py): Fridays off, the Thursday rule, the shipped
holiday table with its source, lunar holidays moving each year, and the warning for a year the
table does not cover. Counts are checked by hand against the calendar in the comments."""

from __future__ import annotations

import datetime as dt
import itertools
from importlib.resources import files

import jdatetime

from exportplan.reference.holidays import covered_years, holiday_table, working_days


def sh(y: int, m: int, d: int) -> dt.date:
    g: dt.date = jdatetime.date(y, m, d).togregorian()
    return g


def test_the_table_names_its_source_and_covers_the_demo_years() -> None:
    text = files("exportplan.reference").joinpath("data", "iran_holidays.csv").read_text("utf-8")
    assert "Source: python-holidays" in text and "University of Tehran" in text
    assert covered_years() == frozenset({1403, 1404, 1405})
    days = {h.sh_date for h in holiday_table()}
    for year in (1403, 1404, 1405):  # the fixed solar holidays are in every year
        for md in (
            "01/01",
            "01/02",
            "01/03",
            "01/04",
            "01/12",
            "01/13",
            "03/14",
            "03/15",
            "11/22",
            "12/29",
        ):
            assert f"{year}/{md}" in days


def test_lunar_holidays_move_about_eleven_days_a_year() -> None:
    ashura = sorted(h.day for h in holiday_table() if h.name == "Ashura")
    assert len(ashura) == 3
    gaps = [(b - a).days for a, b in itertools.pairwise(ashura)]
    assert gaps == [355, 354]  # 2024-07-16, 2025-07-06, 2026-06-25: a lunar year earlier


def test_working_days_between_two_days() -> None:
    w = working_days()
    sat = sh(1404, 1, 16)  # Saturday 2025-04-05
    assert sat.weekday() == 5
    assert w.between(sat, sat) == 0
    assert w.between(sat, sat + dt.timedelta(days=1)) == 1  # Sat -> Sun
    # Sat 16 -> Sat 23 Farvardin: Sun..Wed (4), Thu off, Fri off, Sat (1) = 5
    assert w.between(sat, sat + dt.timedelta(days=7)) == 5
    assert working_days(thursday_working=True).between(sat, sat + dt.timedelta(days=7)) == 6
    # Wed 1403/12/29 (a holiday) -> Sat 1404/01/16: Nowruz 1-4, Eid 11-12, 13 off; working
    # days are Tue 5, Wed 6, Sat 9, Sun 10, Sat 16 = 5
    assert w.between(sh(1403, 12, 29), sat) == 5
    assert w.add(sh(1403, 12, 29), 5) == sat
    assert w.missing_years(sh(1403, 12, 29), sat) == []


def test_a_year_without_holidays_is_counted_with_weekends_only_and_named() -> None:
    w = working_days()
    start, end = sh(1405, 12, 25), sh(1406, 1, 10)
    assert w.missing_years(start, end) == [1406]
    # 1406/01/01-04 are Nowruz but unknown to the table: Sun 1 .. Wed 4 count as working
    assert w.is_working(sh(1406, 1, 1)) is (sh(1406, 1, 1).weekday() not in (3, 4))
