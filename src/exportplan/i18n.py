"""Persian and English labels and number formatting for the front doors.

Persian output uses Persian digits, the Arabic thousands separator ``٬``, the decimal
separator ``٫`` and ``٪``; Solar Hijri months by name. Labels are looked up by their English
text; a missing Persian label falls back to English (a test checks the monitor's labels).
"""

from __future__ import annotations

import math
from typing import Literal

from exportplan.reference.calendar import MONTHS_EN, MONTHS_FA
from exportplan.reference.text import to_persian_digits

Lang = Literal["en", "fa"]

FA: dict[str, str] = {
    "Exports": "صادرات",
    "scope": "دامنه",
    "definition": "تعریف",
    "period": "دوره",
    "unit": "واحد",
    "data": "داده",
    "year to date": "از ابتدای سال تا کنون",
    "exports in the period": "صادرات دوره",
    "same months last year": "ماه‌های مشابه سال قبل",
    "growth": "رشد",
    "target": "هدف",
    "share of target reached": "سهم تحقق هدف",
    "needed per month for the rest of the year": "نیاز ماهانه برای باقی سال",
    "last year's average over the same remaining months": "میانگین سال قبل در ماه‌های باقی‌مانده",
    "forecast of the year": "پیش‌بینی کل سال",
    "bias-corrected forecast (centre of the intervals)": "پیش‌بینی اصلاح‌شده (مرکز بازه‌ها)",
    "80% interval": "بازه ۸۰ درصد",
    "95% interval": "بازه ۹۵ درصد",
    "probability of reaching the target": "احتمال تحقق هدف",
    "back-test: true total inside the 80% / 95% interval": "آزمون گذشته: کل واقعی در بازه ۸۰ / ۹۵ درصد",
    "method": "روش",
    "notes": "یادداشت‌ها",
    "key": "کلید",
    "label": "عنوان",
    "before": "قبل",
    "now": "اکنون",
    "change": "تغییر",
    "contribution (points)": "سهم در رشد (واحد درصد)",
    "new product-market pairs": "جفت‌های کالا-بازار جدید",
    "lost product-market pairs": "جفت‌های کالا-بازار از دست رفته",
    "continuing pairs (intensive margin)": "جفت‌های ادامه‌دار (حاشیه فشرده)",
    "volume effect": "اثر مقدار",
    "price effect": "اثر قیمت",
    "without weights": "بدون وزن",
    "total change": "کل تغییر",
    "goods leaving through the region's customs offices": "کالای خارج‌شده از گمرکات استان",
    "goods made in the region": "کالای تولید استان",
    "months": "ماه‌ها",
    "Solar Hijri": "هجری شمسی",
    "Gregorian": "میلادی",
    "USD": "دلار آمریکا",
    "year": "سال",
    "forecast": "پیش‌بینی",
    "actual": "واقعی",
    "log error": "خطای لگاریتمی",
    "inside 80%": "درون ۸۰٪",
    "inside 95%": "درون ۹۵٪",
    "partner": "کشور",
    "region exports": "صادرات استان",
    "partner-reported imports from the country": "واردات گزارش‌شده شریک از کشور",
    "region share %": "سهم استان ٪",
    "yes": "بله",
    "no": "خیر",
}


def t(text: str, lang: Lang) -> str:
    return FA.get(text, text) if lang == "fa" else text


def number(value: float | int | None, lang: Lang, *, decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    s = f"{value:,.{decimals}f}"
    if lang == "fa":
        s = to_persian_digits(s.replace(",", "٬").replace(".", "٫"))
    return s


def percent(value: float | None, lang: Lang, *, signed: bool = True) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    s = f"{value:+.1f}" if signed else f"{value:.1f}"
    return to_persian_digits(s.replace(".", "٫")) + "٪" if lang == "fa" else s + "%"


def month_range(months: int, calendar: str, lang: Lang, *, first: int = 1) -> str:
    if calendar == "sh":
        names = MONTHS_FA if lang == "fa" else MONTHS_EN
        if first == months:
            return names[months - 1]
        return f"{names[first - 1]}–{names[months - 1]}"
    text = str(months) if first == months else f"{first}–{months}"
    return text if lang == "en" else to_persian_digits(text)
