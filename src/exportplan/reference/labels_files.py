"""Persian labels of the downloads and reports in Persian (issue 16, "every download and
report in Persian passes the untranslated-string test"): the column kinds of a data dictionary,
the words of a cell a file for people writes in its language, merged into the one dictionary
by :mod:`exportplan.i18n`."""

from __future__ import annotations

#: A column kind as a data dictionary names it (views/table_files.py)
KIND_NAMES: dict[str, str] = {
    "usd": "amount in US dollars",
    "pct": "percent change",
    "share": "percent share",
    "num": "number",
    "date": "day",
    "time": "moment",
    "status": "status",
    "term": "code word",
    "region": "province",
    "bool": "yes or no",
    "text": "text",
    "data": "as entered",
    "digits": "digits",
}

#: Persian by English text (see :data:`exportplan.i18n.FA`)
FA: dict[str, str] = {
    "amount in US dollars": "مبلغ به دلار آمریکا",
    "percent change": "درصد تغییر",
    "percent share": "درصد سهم",
    "number": "عدد",
    "day": "روز",
    "moment": "زمان",
    "code word": "کدواژه",
    "province": "استان",
    "yes or no": "بله یا خیر",
    "text": "متن",
    "as entered": "چنان‌که وارد شده",
    "digits": "رقم",
    # an enquiry's channels (domain.ENQUIRY_CHANNELS) the dictionary did not have
    "web": "وبگاه",
    "phone": "تلفن",
    "embassy": "سفارت",
    "referral": "معرفی",
}
