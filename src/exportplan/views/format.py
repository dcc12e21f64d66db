"""Numbers, days, times and periods as a page's language writes them: Persian digits and
separators and Solar Hijri days in Persian, Latin digits and Gregorian days (with the Solar Hijri
day beside a time) in English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import jdatetime

from exportplan import i18n
from exportplan.i18n import label as t
from exportplan.reference import products
from exportplan.reference.calendar import GREGORIAN_MONTHS_EN, MONTHS_EN, MONTHS_FA
from exportplan.reference.text import to_persian_digits

__all__ = [
    "digits",
    "fmt",
    "formatting_lang",
    "iso_time",
    "period_text",
    "product_label",
    "sh_date",
    "time_text",
    "today_text",
]


def formatting_lang(lang: str) -> i18n.Lang:
    """The formatting language of a page's language code (anything but Persian is English)."""
    return "fa" if lang == "fa" else "en"


def digits(s: str, lang: str) -> str:
    """Persian digits on a Persian page, the text as it is otherwise."""
    return to_persian_digits(s) if lang == "fa" else s


def sh_date(iso: str, lang: str) -> str:
    """A Gregorian ISO day as the page's calendar writes it."""
    d = dt.date.fromisoformat(iso[:10])
    if lang != "fa":
        return d.isoformat()
    j = jdatetime.date.fromgregorian(date=d)
    return digits(f"{j.year}/{j.month:02d}/{j.day:02d}", lang)


def _moment(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def iso_time(value: Any) -> str:
    """A moment (a datetime or its ISO text) as the machine-readable value of ``<time
    datetime>``: ISO 8601 to the second (HTML allows at most three decimals)."""
    return _moment(value).isoformat(timespec="seconds")


def time_text(value: Any, lang: str) -> str:
    """A moment (a datetime or its ISO text, as stored: the server's wall clock) as a person
    reads it: in Persian the Solar Hijri day and the time in Persian digits (``۱۰ آذر ۱۴۰۵،
    ۱۵:۱۴``); in English the Gregorian day and time with the Solar Hijri day beside it
    (``1 Dec 2026, 15:14 (10 Azar 1405)``); the spaces inside a day do not break."""
    m = _moment(value)
    j = jdatetime.date.fromgregorian(date=m.date())
    clock = f"{m.hour:02d}:{m.minute:02d}"
    # no-break spaces inside a day: a narrow column breaks the text only between day and time
    if lang == "fa":
        return digits(f"{j.day}\u00a0{MONTHS_FA[j.month - 1]}\u00a0{j.year}، {clock}", lang)
    return (
        f"{m.day}\u00a0{GREGORIAN_MONTHS_EN[m.month - 1]}\u00a0{m.year}, {clock} "
        f"({j.day}\u00a0{MONTHS_EN[j.month - 1]}\u00a0{j.year})"
    )


def product_label(
    code: str, lang: str, names: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """An HS code with its name in the page's language, as every table, chart, reason and
    report shows it (``0808 سیب، گلابی و به؛ تازه``, Persian digits in Persian; a Persian
    subheading by its heading's name); ``names`` are the imported tariff books' names
    (:func:`exportplan.services.products.extra`). A code the nomenclature does not know is
    the code alone."""
    code = str(code).strip()
    name = products.name(code, lang, names) if code else ""
    shown = digits(code, lang)
    return f"{shown} {name}" if name else shown


def today_text(lang: str, today: dt.date | None = None) -> str:
    """The day a document is generated, in the page's calendar."""
    return sh_date((today or dt.date.today()).isoformat(), lang)


def period_text(year: int, months: int, lang: str) -> str:
    """The Solar Hijri year and its months so far (as "Solar Hijri 1405, Farvardin–Mehr")."""
    return (
        f"{t('Solar Hijri', lang)} {digits(str(year), lang)}{'،' if lang == 'fa' else ','} "
        f"{i18n.month_range(months, 'sh', formatting_lang(lang))}"
    )


def fmt(value: Any, kind: str, lang: str) -> str:
    """A cell as the page's language writes it: Persian digits and separators in Persian,
    Solar Hijri days in Persian and Gregorian in English; a ``time`` by :func:`time_text`."""
    if value is None or value == "":
        return "–"
    lg = formatting_lang(lang)
    if kind == "usd":
        return i18n.number(float(value), lg)
    if kind == "pct":
        return i18n.percent(float(value), lg)
    if kind == "share":
        return i18n.percent(float(value), lg, signed=False)
    if kind == "num":
        if isinstance(value, int):
            return i18n.number(value, lg)
        v = float(value)
        return i18n.number(v, lg, decimals=0 if abs(v) >= 1000 else 2)
    if kind == "date":
        return sh_date(str(value), lang)
    if kind == "time":
        return time_text(value, lang)
    if kind == "status":
        return t(str(value), lang)
    if kind == "term":  # a code word, in Persian by the dictionary; in English as stored
        return t(str(value), lang) if lang == "fa" else str(value)
    if kind == "region":  # a province by its name in the page's language
        from exportplan.reference.regions import lookup

        r = lookup(str(value))
        return (r.name_fa if lang == "fa" else r.name_en) if r else str(value)
    if kind == "bool":
        return t("yes", lang) if value else ""
    s = str(value)
    return digits(s, lang) if lang == "fa" and kind == "digits" else s
