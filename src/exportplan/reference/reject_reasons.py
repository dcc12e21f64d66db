"""The reasons the importers give a rejected row, each with a machine code and its Persian
wording (issue 16: the rejected rows' downloads in the chosen language).

The warehouse stores a reason as the importer wrote it, in English with its values in it
("unknown country 'Atlantis'; did you mean ...?"). Each entry of :data:`REASONS` is one kind
of reason: its code (the ``reason_code`` column of the downloads, for programs), the pattern
of its English text (its values as named groups), its Persian template, and a sample as the
importer writes it (a test checks that every reason text the importers' source code holds is
covered by a sample, and that every sample reads in Persian). Translated at the view, never
stored: an import made before a wording existed is translated too.
"""

from __future__ import annotations

import re

from exportplan.reference.countries import country_name
from exportplan.reference.text import to_persian_digits

__all__ = ["FIELDS_FA", "REASONS", "reason_code", "reason_text"]

#: The fields a number reason names (customs' number checks: "{label} is not a number")
FIELDS_FA: dict[str, str] = {
    "value (USD)": "ارزش (دلار)",
    "value (rials)": "ارزش (ریال)",
    "exchange rate": "نرخ ارز",
    "weight": "وزن",
}
_FIELD = r"(?P<field>value \(USD\)|value \(rials\)|exchange rate|weight)"
_N = r"[\d,.]+"
_Q = r"'.*'"

#: (code, English pattern, Persian template, a sample as an importer writes it)
REASONS: list[tuple[str, str, str, str]] = [
    # ---- the customs file's rows (ingest/customs_rows.py, customs_repeats.py) ----
    ("total_row", r"total row, not a record", "ردیف جمع است، نه یک رکورد", "total row, not a record"),
    ("period_missing", r"period missing", "دوره خالی است", "period missing"),
    ("period_is_year", rf"(?P<value>{_Q}) is a year; monthly or daily periods are needed",
     "{value} یک سال است؛ دوره ماهانه یا روزانه لازم است",
     "'1404' is a year; monthly or daily periods are needed"),
    ("period_unreadable",
     rf"(?P<value>{_Q}) is not a date or month \(expected like 1402/12/29 or 1402/12\)",
     "{value} تاریخ یا ماه نیست (مانند ۱۴۰۲/۱۲/۲۹ یا ۱۴۰۲/۱۲)",
     "'soon' is not a date or month (expected like 1402/12/29 or 1402/12)"),
    ("period_no_month", rf"(?P<value>{_Q}): month (?P<month>\d+) does not exist",
     "{value}: ماه {month} وجود ندارد", "'1404/13': month 13 does not exist"),
    ("period_not_solar_hijri",
     rf"(?P<value>{_Q}) does not exist in the Solar Hijri calendar: month (?P<month>\d+) of "
     r"(?P<year>\d+) has (?P<days>\d+) days(?P<leap> \(not a leap year\))?",
     "{value} در تقویم هجری شمسی وجود ندارد: ماه {month} سال {year} {days} روز دارد{leap}",
     "'1404/12/30' does not exist in the Solar Hijri calendar: month 12 of 1404 has 29 days "
     "(not a leap year)"),
    ("period_not_gregorian", rf"(?P<value>{_Q}) does not exist in the Gregorian calendar",
     "{value} در تقویم میلادی وجود ندارد", "'2025-02-30' does not exist in the Gregorian calendar"),
    ("gregorian_year", r"a Gregorian year does not fall in one Solar Hijri year",
     "یک سال میلادی در یک سال هجری شمسی نمی‌گنجد",
     "a Gregorian year does not fall in one Solar Hijri year"),
    ("gregorian_month",
     r"Gregorian month (?P<month>\d{4}-\d\d) spans two Solar Hijri months; give days or "
     r"Solar Hijri months",
     "ماه میلادی {month} در دو ماه هجری شمسی است؛ روز یا ماه هجری شمسی بدهید",
     "Gregorian month 2025-03 spans two Solar Hijri months; give days or Solar Hijri months"),
    ("hs_empty", r"empty HS code", "کد HS خالی است", "empty HS code"),
    ("hs_not_digits", r"HS code has characters other than digits",
     "کد HS نویسه‌ای جز رقم دارد", "HS code has characters other than digits"),
    ("hs_too_short", r"HS code has (?P<n>\d+) digits; at least 6 are needed",
     "کد HS {n} رقم دارد؛ دست‌کم ۶ رقم لازم است", "HS code has 4 digits; at least 6 are needed"),
    ("hs_too_long", r"HS code has (?P<n>\d+) digits; at most 10 are allowed",
     "کد HS {n} رقم دارد؛ حداکثر ۱۰ رقم مجاز است", "HS code has 12 digits; at most 10 are allowed"),
    ("hs_no_chapter", r"HS chapter (?P<chapter>\d+) does not exist",
     "فصل {chapter} در HS وجود ندارد", "HS chapter 77 does not exist"),
    ("destination_missing", r"destination missing", "مقصد خالی است", "destination missing"),
    ("unknown_country", r"unknown country (?P<value>'.*?')(?:; did you mean (?P<hint>.+)\?)?",
     "کشور ناشناخته {value}{hint}", "unknown country 'Atlantis'; did you mean ATA?"),
    ("number_not_finite", rf"{_FIELD} is not a finite number", "{field} عدد متناهی نیست",
     "value (USD) is not a finite number"),
    ("number_too_large", rf"{_FIELD} is not a finite number \(too large for a 64-bit float\)",
     "{field} عدد متناهی نیست (برای عدد اعشاری ۶۴ بیتی بیش از حد بزرگ است)",
     "weight is not a finite number (too large for a 64-bit float)"),
    ("number_other_decimal_mark",
     rf"{_FIELD} is written with the other decimal mark; the file is read with "
     r"(?P<marks>decimal points|decimal commas): give (?P<flag>--decimal [.,]) if its numbers "
     r"are written so",
     "{field} با نشان اعشار دیگر نوشته شده است؛ پرونده با {marks} خوانده می‌شود: اگر عددهایش "
     "چنین نوشته شده‌اند {flag} بدهید",
     "value (USD) is written with the other decimal mark; the file is read with decimal "
     "points: give --decimal , if its numbers are written so"),
    ("number_unreadable", rf"{_FIELD} is not a number", "{field} عدد نیست",
     "exchange rate is not a number"),
    ("number_ambiguous",
     rf"{_FIELD} is ambiguous: 1,234 is 1234 with decimal points and 1.234 with decimal "
     r"commas, and row (?P<row>\d+) of this file writes a number with the other decimal mark; "
     r"give --decimal \. or --decimal ,",
     "{field} دوپهلوست: ۱,۲۳۴ با نقطه اعشار ۱۲۳۴ است و ۱.۲۳۴ با ویرگول اعشار، و ردیف {row} این "
     "پرونده عددی با نشان اعشار دیگر دارد؛ ‎--decimal .‎ یا ‎--decimal ,‎ بدهید",
     "value (rials) is ambiguous: 1,234 is 1234 with decimal points and 1.234 with decimal "
     "commas, and row 7 of this file writes a number with the other decimal mark; give "
     "--decimal . or --decimal ,"),
    ("number_negative", rf"{_FIELD} is negative", "{field} منفی است", "weight is negative"),
    ("number_missing", rf"{_FIELD} missing", "{field} خالی است", "value (USD) missing"),
    ("value_above_ceiling",
     rf"value \(USD\) is above the ceiling of USD (?P<limit>{_N}) per row \(setting "
     r"max_row_value_usd\)",
     "ارزش (دلار) بیش از سقف {limit} دلار در هر ردیف است (تنظیم max_row_value_usd)",
     "value (USD) is above the ceiling of USD 5,000,000,000 per row (setting max_row_value_usd)"),
    ("rials_above_ceiling",
     rf"value \(rials\) is above the ceiling of (?P<limit>{_N}) rials per row \(USD "
     rf"(?P<usd>{_N}) at (?P<rate>{_N}) rials per USD; setting max_row_value_usd\)",
     "ارزش (ریال) بیش از سقف {limit} ریال در هر ردیف است ({usd} دلار با نرخ {rate} ریال برای هر "
     "دلار؛ تنظیم max_row_value_usd)",
     "value (rials) is above the ceiling of 5,000,000,000,000,000 rials per row (USD "
     "5,000,000,000 at 1,000,000 rials per USD; setting max_row_value_usd)"),
    ("converted_above_ceiling",
     rf"value \(rials\) converted at the rate is above the ceiling of USD (?P<limit>{_N}) per "
     r"row \(setting max_row_value_usd\)",
     "ارزش (ریال) پس از تبدیل با نرخ ارز بیش از سقف {limit} دلار در هر ردیف است (تنظیم "
     "max_row_value_usd)",
     "value (rials) converted at the rate is above the ceiling of USD 5,000,000,000 per row "
     "(setting max_row_value_usd)"),
    ("weight_above_ceiling",
     rf"weight is above the ceiling of (?P<limit>{_N}) kg per row \(setting "
     r"max_row_weight_kg\)",
     "وزن بیش از سقف {limit} کیلوگرم در هر ردیف است (تنظیم max_row_weight_kg)",
     "weight is above the ceiling of 5,000,000,000 kg per row (setting max_row_weight_kg)"),
    ("rate_zero", r"exchange rate is zero", "نرخ ارز صفر است", "exchange rate is zero"),
    ("unknown_definition", r"unknown definition; use origin or customs",
     "تعریف ناشناخته؛ origin (تولید استان) یا customs (خروج از گمرکات استان) بنویسید",
     "unknown definition; use origin or customs"),
    ("cumulative_days", r"a cumulative file needs monthly periods, not days",
     "پرونده تجمعی دوره ماهانه می‌خواهد، نه روز", "a cumulative file needs monthly periods, not days"),
    ("cumulative_gregorian", r"a cumulative file needs Solar Hijri months",
     "پرونده تجمعی ماه هجری شمسی می‌خواهد", "a cumulative file needs Solar Hijri months"),
    ("repeat", r"duplicate of row (?P<row>\d+)", "تکرار ردیف {row}", "duplicate of row 12"),
    ("cumulative_fell", r"cumulative value fell below the previous month's \((?P<value>.*)\)",
     "مقدار تجمعی از مقدار ماه قبل ({value}) کمتر شد",
     "cumulative value fell below the previous month's (1200.0)"),
    # ---- a line that did not decode (ingest/files.py) ----
    ("not_in_encoding", r"line is not valid (?P<enc>.+) \(the file's encoding\)",
     "سطر با رمزگذاری پرونده ({enc}) خوانا نیست", "line is not valid UTF-8 (the file's encoding)"),
    ("utf8_in_cp1256", r"line is UTF-8 text in a (?P<enc>.+) file \(decoding it would garble it\)",
     "سطر متن UTF-8 در پرونده‌ای با رمزگذاری {enc} است (خواندنش آن را درهم می‌ریزد)",
     "line is UTF-8 text in a Windows-1256 file (decoding it would garble it)"),
    # ---- UN Comtrade (ingest/comtrade.py) ----
    ("comtrade_year", r"refYear: not a year", "refYear: سال نیست", "refYear: not a year"),
    ("comtrade_flow", r"flowCode (?P<value>.*): only X and M are imported",
     "flowCode {value}: تنها X (صادرات) و M (واردات) وارد می‌شوند",
     "flowCode RX: only X and M are imported"),
    ("comtrade_world", r"partner World is an aggregate, not a bilateral flow",
     "طرف «جهان» جمع است، نه جریان دوجانبه",
     "partner World is an aggregate, not a bilateral flow"),
    ("comtrade_reporter", r"unknown reporter (?P<value>.*)", "گزارش‌دهنده ناشناخته {value}",
     "unknown reporter 999"),
    ("comtrade_partner", r"unknown partner (?P<value>.*)", "طرف ناشناخته {value}",
     "unknown partner 999"),
    ("comtrade_not_hs6", r"cmdCode (?P<value>.*) is not HS6", "cmdCode {value} شش‌رقمی HS نیست",
     "cmdCode 08 is not HS6"),
    ("comtrade_partner2", r"a partner2 breakdown, not the total",
     "تفکیک بر حسب partner2 است، نه کل", "a partner2 breakdown, not the total"),
    ("comtrade_procedure", r"a customs-procedure breakdown, not the total",
     "تفکیک بر حسب رویه گمرکی است، نه کل", "a customs-procedure breakdown, not the total"),
    ("comtrade_transport", r"a mode-of-transport breakdown, not the total",
     "تفکیک بر حسب شیوه حمل است، نه کل", "a mode-of-transport breakdown, not the total"),
    ("value_unreadable", r"value missing or not a number", "ارزش خالی است یا عدد نیست",
     "value missing or not a number"),
    ("value_not_finite", r"value is not a finite number", "ارزش عدد متناهی نیست",
     "value is not a finite number"),
    ("value_negative", r"value negative", "ارزش منفی است", "value negative"),
    ("world_value_above_ceiling",
     rf"value above the ceiling of USD (?P<limit>{_N}) per row \(setting max_row_value_usd x "
     r"100 for world data\)",
     "ارزش بیش از سقف {limit} دلار در هر ردیف است (تنظیم max_row_value_usd ضرب در ۱۰۰ برای "
     "داده‌های جهانی)",
     "value above the ceiling of USD 500,000,000,000 per row (setting max_row_value_usd x 100 "
     "for world data)"),
    ("weight_unreadable", r"netWgt is not a number", "netWgt (وزن خالص) عدد نیست",
     "netWgt is not a number"),
    ("weight_not_finite", r"netWgt is not a finite number", "netWgt (وزن خالص) عدد متناهی نیست",
     "netWgt is not a finite number"),
    ("weight_negative", r"netWgt negative", "netWgt (وزن خالص) منفی است", "netWgt negative"),
    ("world_weight_above_ceiling",
     rf"netWgt above the ceiling of (?P<limit>{_N}) kg per row \(setting max_row_weight_kg x "
     r"100 for world data\)",
     "netWgt (وزن خالص) بیش از سقف {limit} کیلوگرم در هر ردیف است (تنظیم max_row_weight_kg ضرب "
     "در ۱۰۰ برای داده‌های جهانی)",
     "netWgt above the ceiling of 500,000,000,000 kg per row (setting max_row_weight_kg x 100 "
     "for world data)"),
    ("comtrade_repeat", r"duplicate of an earlier row for the same year, flow, partner, product",
     "تکرار ردیفی پیشین با همان سال، جهت، طرف و کالا",
     "duplicate of an earlier row for the same year, flow, partner, product"),
    # ---- CEPII BACI (ingest/baci.py) ----
    ("baci_year", r"year missing or out of range", "سال خالی یا بیرون از بازه است",
     "year missing or out of range"),
    ("baci_exporter", r"unknown BACI exporter code", "کد صادرکننده BACI ناشناخته است",
     "unknown BACI exporter code"),
    ("baci_importer", r"unknown BACI importer code", "کد واردکننده BACI ناشناخته است",
     "unknown BACI importer code"),
    ("baci_product", r"product code is not a 6-digit HS code", "کد کالا کد شش‌رقمی HS نیست",
     "product code is not a 6-digit HS code"),
    ("value_missing", r"value missing", "ارزش خالی است", "value missing"),
    ("value_not_positive", r"value not positive", "ارزش مثبت نیست", "value not positive"),
    ("quantity_not_finite", r"quantity is not a finite number", "مقدار عدد متناهی نیست",
     "quantity is not a finite number"),
    ("quantity_negative", r"quantity negative", "مقدار منفی است", "quantity negative"),
    ("world_quantity_above_ceiling",
     rf"quantity above the ceiling of (?P<limit>{_N}) t per row \(setting max_row_weight_kg x "
     r"100 for world data\)",
     "مقدار بیش از سقف {limit} تن در هر ردیف است (تنظیم max_row_weight_kg ضرب در ۱۰۰ برای "
     "داده‌های جهانی)",
     "quantity above the ceiling of 500,000 t per row (setting max_row_weight_kg x 100 for "
     "world data)"),
    ("baci_repeat", r"duplicate of an earlier row with the same t,i,j,k",
     "تکرار ردیفی پیشین با همان t،i،j،k", "duplicate of an earlier row with the same t,i,j,k"),
    ("baci_conflict", r"rows with the same t,i,j,k disagree on the value",
     "ردیف‌هایی با همان t،i،j،k ارزش‌های متفاوت دارند",
     "rows with the same t,i,j,k disagree on the value"),
    # ---- a national tariff book (ingest/nomenclature.py) ----
    ("tariff_encoding", r"the line is in neither UTF-8 nor Windows-1256",
     "سطر نه UTF-8 است نه Windows-1256", "the line is in neither UTF-8 nor Windows-1256"),
    ("tariff_digits", r"a tariff line has 8 or 10 digits", "ردیف تعرفه ۸ یا ۱۰ رقم دارد",
     "a tariff line has 8 or 10 digits"),
    ("tariff_not_hs2022", r"HS subheading (?P<code>\d+) is not in HS 2022",
     "زیرشماره {code} در HS 2022 نیست", "HS subheading 080899 is not in HS 2022"),
    ("tariff_no_description", r"empty description", "شرح خالی است", "empty description"),
    ("tariff_repeat", r"repeats row (?P<row>\d+)", "تکرار ردیف {row}", "repeats row 4"),
    ("tariff_other_description", r"code (?P<code>\d+) has another description in row (?P<row>\d+)",
     "کد {code} در ردیف {row} شرح دیگری دارد", "code 08081000 has another description in row 9"),
    ("tariff_other_description_below", r"code (?P<code>\d+) has another description further down",
     "کد {code} پایین‌تر شرح دیگری دارد", "code 08081000 has another description further down"),
]  # fmt: skip

_COMPILED = [(code, re.compile(pattern), fa) for code, pattern, fa, _sample in REASONS]
#: a value the Persian text writes in Persian digits (a count, a row, an amount, a year)
_NUMBER = re.compile(r"[\d,.\-]+")


def _match(reason: str) -> tuple[str, re.Match[str] | None, str]:
    for code, pattern, fa in _COMPILED:
        m = pattern.fullmatch(reason)
        if m is not None:
            return code, m, fa
    return "other", None, ""


def reason_code(reason: str) -> str:
    """A stored reason's machine code (``other`` for one no entry describes)."""
    return _match(reason or "")[0]


def _fa_value(name: str, value: str | None) -> str:
    if value is None:
        return ""
    if name == "field":
        return FIELDS_FA.get(value, value)
    if name == "marks":
        return "نقطه اعشار" if value == "decimal points" else "ویرگول اعشار"
    if name == "hint":  # "Albania (ALB)": the country's Persian name
        m = re.fullmatch(r".* \((?P<iso3>[A-Z]{3})\)", value)
        shown = f"{country_name(m.group('iso3'), 'fa')} ({m.group('iso3')})" if m else value
        return f"؛ شاید {shown}؟"
    if name == "leap":
        return " (سال کبیسه نیست)"
    if name == "flag":
        return f"\u200e{value}\u200e"
    if _NUMBER.fullmatch(value):
        return to_persian_digits(value.replace(",", "٬"))
    return value


def reason_text(reason: str, lang: str) -> str:
    """A stored reason in ``lang``: the English as stored, or its Persian wording with its
    values (numbers in Persian digits; the cells quoted as the file wrote them)."""
    if lang != "fa" or not reason:
        return reason
    _code, m, fa = _match(reason)
    if m is None:
        return reason
    return fa.format(**{k: _fa_value(k, v) for k, v in m.groupdict().items()})
