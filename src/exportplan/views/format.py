"""Numbers, days and periods as a page's language writes them: Persian digits and separators and
Solar Hijri days in Persian, Latin digits and Gregorian days in English."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jdatetime

from exportplan import i18n
from exportplan.i18n import label as t
from exportplan.reference.text import to_persian_digits

__all__ = ["digits", "fmt", "formatting_lang", "period_text", "sh_date", "today_text"]


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


def today_text(lang: str, today: dt.date | None = None) -> str:
    """The day a document is generated, in the page's calendar."""
    return sh_date((today or dt.date.today()).isoformat(), lang)


def period_text(year: int, months: int, lang: str) -> str:
    """The Solar Hijri year and its months so far (as "Solar Hijri 1405, Farvardin–Mehr")."""
    return (
        f"{t('Solar Hijri', lang)} {digits(str(year), lang)}, "
        f"{i18n.month_range(months, 'sh', formatting_lang(lang))}"
    )


def fmt(value: Any, kind: str, lang: str) -> str:
    """A cell as the page's language writes it: Persian digits and separators in Persian,
    Solar Hijri days in Persian and Gregorian in English."""
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
    if kind == "status":
        return t(str(value), lang)
    if kind == "bool":
        return t("yes", lang) if value else ""
    s = str(value)
    return digits(s, lang) if lang == "fa" and kind == "digits" else s
