"""The Persian of the supplier registry's and the demand lists' errors (merged into the one
label dictionary, :mod:`exportplan.i18n`): the reasons of rejected rows (a cell's check in
:mod:`exportplan.ingest.supplier_cells`, a row's in :mod:`exportplan.ingest.suppliers`, a
duplicate found by the import) and the supplier services' refusals.

Each is looked up by its English template (``{name}`` placeholders): a message or a stored
reason as raised is matched against the templates (:func:`exportplan.i18n.message_text`) and
the Persian filled with the same values. A Persian wording may leave out a value the page
shows beside it (the rejected cell's value has its own column): what the user wrote stays in
that column, as written. Placeholders named in :data:`NUMBERS` hold numbers (Persian digits in
Persian); :data:`COLUMNS` are the files' columns as a Persian header names them (the importer
recognises these headers)."""

from __future__ import annotations

#: the registry's and the demand lists' columns as their Persian headers name them
COLUMNS: dict[str, str] = {
    "firm_id": "شناسه بنگاه",
    "firm_name": "نام بنگاه",
    "firm_name_en": "نام انگلیسی",
    "capability": "توانمندی",
    "hs_code": "کد تعرفه",
    "cpv_code": "کد CPV",
    "capacity": "ظرفیت",
    "unit": "واحد",
    "certifications": "گواهینامه‌ها",
    "national_id": "شناسه ملی",
    "trade_card_no": "شماره کارت بازرگانی",
    "county": "شهرستان",
    "vendor_lists": "فهرست منابع",
    "item_id": "شناسه قلم",
    "description": "شرح",
    "quantity": "مقدار",
    "needed_by": "تاریخ نیاز",
    "required_certifications": "گواهینامه‌های لازم",
    "required_vendor_list": "فهرست منابع لازم",
    "annual_value_usd": "ارزش واردات سالانه",
}

#: placeholders that hold numbers
NUMBERS = frozenset({"row", "count", "n", "mo", "y", "last", "top", "match_id", "intro_id"})

_MERGE = "merge them (exportplan suppliers merge {code} --into {other}) or correct the row"
_MERGE_FA = "آن دو را ادغام کنید یا ردیف را اصلاح کنید"

#: a day's reasons (``{what}: `` and the calendar's own reason)
_DAYS: dict[str, str] = {
    "{what}: '{raw}' is not a date or month (expected like 1402/12/29 or 1402/12)": (
        "{what}: تاریخ یا ماه نیست (مانند ۱۴۰۲/۱۲/۲۹ یا ۱۴۰۲/۱۲)"
    ),
    "{what}: '{raw}': month {mo} does not exist": "{what}: ماه {mo} وجود ندارد",
    "{what}: '{raw}' does not exist in the Solar Hijri calendar: month {mo} of {y} has {last} "
    "days (not a leap year)": "{what}: این روز در تقویم هجری شمسی نیست: ماه {mo} سال {y} "
    "{last} روز دارد (سال کبیسه نیست)",
    "{what}: '{raw}' does not exist in the Solar Hijri calendar: month {mo} of {y} has {last} "
    "days": "{what}: این روز در تقویم هجری شمسی نیست: ماه {mo} سال {y} {last} روز دارد",
    "{what}: '{raw}' does not exist in the Gregorian calendar": (
        "{what}: این روز در تقویم میلادی نیست"
    ),
    "{what}: '{raw}' is not a day (expected like 1406/03/31)": (
        "{what}: یک روز نیست (مانند ۱۴۰۶/۰۳/۳۱)"
    ),
    "{what}: a Gregorian year does not fall in one Solar Hijri year": (
        "{what}: یک سال میلادی در یک سال هجری شمسی نمی‌گنجد"
    ),
}

FA_ERRORS: dict[str, str] = {
    # ---- a cell's check (ingest/supplier_cells.py) ----
    "HS code has characters other than digits: {raw}": "کد تعرفه نویسه‌ای جز رقم دارد",
    "HS code must be 4, 6, 8 or 10 digits as text; got {s} (the cell holds a number); did you "
    "mean 0{s}? Excel drops leading zeros: format the column as text": "کد تعرفه باید ۴، ۶، ۸ "
    "یا ۱۰ رقم و به صورت متن باشد؛ {s} آمده است (خانه عدد است)؛ منظور 0{s} بود؟ اکسل صفرهای "
    "آغاز را می‌اندازد: ستون را متنی کنید",
    "HS code must be 4, 6, 8 or 10 digits as text; got {s}; did you mean 0{s}? Excel drops "
    "leading zeros: format the column as text": "کد تعرفه باید ۴، ۶، ۸ یا ۱۰ رقم و به صورت متن "
    "باشد؛ {s} آمده است؛ منظور 0{s} بود؟ اکسل صفرهای آغاز را می‌اندازد: ستون را متنی کنید",
    "HS code must be 4, 6, 8 or 10 digits; got {n} digits ({s})": "کد تعرفه باید ۴، ۶، ۸ یا ۱۰ "
    "رقم باشد؛ {n} رقم آمده است ({s})",
    "HS chapter {ch} does not exist (code {s}); chapters are 01-97": "فصل {ch} تعرفه وجود ندارد "
    "(کد {s})؛ فصل‌ها ۰۱ تا ۹۷ هستند",
    "HS heading {h} does not exist; the nearest valid parent is {ch}": "سرفصل {h} تعرفه وجود "
    "ندارد؛ نزدیک‌ترین سطح بالاتر معتبر {ch} است",
    "CPV code must be 8 digits, with its check digit after a dash or without; got {raw}": "کد "
    "CPV باید ۸ رقم باشد، با رقم کنترل پس از خط تیره یا بی آن",
    "CPV division {d} does not exist (code {stem})": "بخش {d} در CPV وجود ندارد (کد {stem})",
    "national id must be 11 digits; got '{s}' (leading zeros lost? format the column as text)": (
        "شناسه ملی باید ۱۱ رقم باشد (صفرهای آغاز افتاده است؟ ستون را متنی کنید)"
    ),
    "national id must be 11 digits; got '{s}'": "شناسه ملی باید ۱۱ رقم باشد",
    "national id {s} fails its check digit (a typo?)": "رقم کنترل شناسه ملی {s} درست نیست "
    "(اشتباه تایپی؟)",
    **_DAYS,
    "{what} is not a number: {raw}": "{what} عدد نیست",
    "{what} must be a positive number; got {raw}": "{what} باید عددی مثبت باشد",
    "certificate '{part}' is not like 'API 6D until 1406/03/31'": "گواهینامه به شکل «API 6D تا "
    "۱۴۰۶/۰۳/۳۱» (استاندارد، «تا» و روز پایان) نیست",
    "certificate {std} ends ({to}) before it starts ({start})": "گواهینامه {std} پیش از آغازش "
    "({start}) پایان می‌یابد ({to})",
    # ---- a row's check (ingest/suppliers.py) ----
    "vendor list status '{status}' is not one of applied, listed, suspended, removed": "وضعیت "
    "فهرست فروشندگان یکی از applied (درخواست‌شده)، listed (در فهرست)، suspended (تعلیق) یا "
    "removed (حذف‌شده) نیست",
    "firm_id is empty": "شناسه بنگاه خالی است",
    "firm_name is empty": "نام بنگاه خالی است",
    "a capability needs a text or an HS code": "توانمندی به متن یا کد تعرفه نیاز دارد",
    "item_id is empty": "شناسه قلم خالی است",
    "item {code} is already in row {row}": "قلم {code} در ردیف {row} هم آمده است",
    "a demand item needs a description or an HS code": "قلم تقاضا به شرح یا کد تعرفه نیاز دارد",
    "firm {code} is named '{name}' in row {row}": "بنگاه {code} در ردیف {row} نام «{name}» دارد",
    'firm {code} is named "{name}" in row {row}': "بنگاه {code} در ردیف {row} نام «{name}» دارد",
    "firm {code} has national id {nid} in row {row}": "بنگاه {code} در ردیف {row} شناسه ملی "
    "{nid} دارد",
    "duplicate firm: {code} has the same name as {other} in the same county; " + _MERGE: (
        "بنگاه تکراری: {code} هم‌نام {other} در همان شهرستان است؛ " + _MERGE_FA
    ),
    "duplicate firm: {code} has the national id of {other}; " + _MERGE: (
        "بنگاه تکراری: {code} شناسه ملی {other} را دارد؛ " + _MERGE_FA
    ),
    "firm {code} held back whole: its row {row} was rejected": "بنگاه {code} به‌تمامی کنار "
    "گذاشته شد: ردیف {row} آن رد شد",
    # ---- the import (services/suppliers/imports.py) ----
    "duplicate firm: {code} looks like {other} already in the registry (same name in the same "
    "county, or the same national id); " + _MERGE: "بنگاه تکراری: {code} همان {other} ثبت‌شده "
    "در فهرست به نظر می‌رسد (هم‌نام در همان شهرستان، یا با همان شناسه ملی)؛ " + _MERGE_FA,
    "--buyer is empty": "خریدار داده نشده است",
    "give the buyer's code, e.g. --buyer NIOC": "کد خریدار را بدهید، مانند NIOC",
    "kind must be one of {kinds}; got '{kind}'": "نوع فهرست باید یکی از {kinds} باشد",
    "the new file of {buyer} leaves out item(s) {codes}, whose matches curators have decided; "
    "nothing was imported": "فایل تازه {buyer} قلم(های) {codes} را ندارد که تصمیم گزینشگران "
    "درباره تطبیق‌هایشان گرفته شده است؛ هیچ چیز وارد نشد",
    "keep those items in the file, or close the list and import a new one": "آن اقلام را در "
    "فایل نگه دارید، یا فهرست را ببندید و فهرستی تازه وارد کنید",
    "{file}: a supplier file is .csv or .xlsx": "{file}: فایل تأمین‌کنندگان باید .csv یا .xlsx باشد",
    "choose a registry file or a demand list": "فایل فهرست تأمین‌کنندگان یا فهرست تقاضا را "
    "انتخاب کنید",
    # the file as a whole (errors.py, as the supplier importers raise them)
    "{file}: the file has no data rows": "{file}: فایل ردیف داده ندارد",
    "check that the right file was given": "بررسی کنید که فایل درست داده شده باشد",
    "{file}: missing column(s) {missing}; expected {expected}; found {found}": "{file}: "
    "ستون(های) {missing} نیست؛ ستون‌های لازم: {expected}",
    "{file}: missing column(s) {missing}; expected {expected}; found (no columns)": "{file}: "
    "ستون(های) {missing} نیست؛ ستون‌های لازم: {expected}",
    "rename the columns or give a column mapping file (--mapping)": "نام ستون‌ها را اصلاح کنید "
    "(سرآیندهای فارسی هم پذیرفته می‌شوند)",
    # ---- matching, the registry and curation (services/suppliers/) ----
    "no demand list of buyer {code}": "فهرست تقاضایی از خریدار {code} نیست",
    "buyers with lists: {known}": "خریداران دارای فهرست: {known}",
    "--top must be between 1 and 100; got {top}": "شمار نامزدها باید بین ۱ و ۱۰۰ باشد؛ {top} "
    "داده شد",
    "no validated firms in the registry: nothing to match": "در فهرست تأمین‌کنندگان هیچ بنگاه "
    "تأییدشده‌ای نیست: چیزی برای تطبیق نیست",
    "import the registry as an administrator or secretary (exportplan suppliers import "
    "FILE.csv), or validate the firms imported as drafts": "فهرست را با نقش مدیر یا دبیر وارد "
    "کنید، یا بنگاه‌های پیش‌نویس را تأیید کنید",
    "no firm {code} in the registry": "بنگاه {code} در فهرست تأمین‌کنندگان نیست",
    "a firm cannot be merged into itself": "بنگاه را نمی‌توان در خودش ادغام کرد",
    "no match {match_id}": "تطبیق {match_id} وجود ندارد",
    "no introduction {intro_id}": "معرفی {intro_id} وجود ندارد",
    "match {match_id} was rejected; it cannot be introduced": "تطبیق {match_id} رد شده است و "
    "معرفی نمی‌شود",
    "a rejection needs a reason: one of {reasons}; got '{reason}'": "رد کردن دلیل می‌خواهد",
    "a value is kept for a contract only": "ارزش فقط برای قرارداد ثبت می‌شود",
    "match {match_id} is {state}; it can go to {moves}, not {new}": "تطبیق {match_id} در وضعیت "
    "«{state}» است؛ به {moves} می‌رود، نه به «{new}»",
    "status must be one of {statuses}": "وضعیت باید یکی از {statuses} باشد",
    "outcome must be one of {outcomes}": "نتیجه باید یکی از {outcomes} باشد",
    "a contract's value must be a number of USD, 0 or more, not {value}": "ارزش قرارداد باید "
    "عددی به دلار، صفر یا بیشتر باشد",
    # the gap report (services/suppliers/gaps.py)
    "name the market of the priority: the buyer's country (an ISO3 code or a name)": "بازار "
    "اولویت را نام ببرید: کشور خریدار (کد سه‌حرفی یا نام آن)",
    "no item {item} in the list of {buyer}": "قلم {item} در فهرست {buyer} نیست",
    "item {item} of {buyer} is not a gap: a local firm scores above the threshold": "قلم {item} "
    "از {buyer} کمبود نیست: بنگاهی محلی امتیازی بالاتر از آستانه دارد",
    "item {item} of {buyer} has no HS code: a priority needs one": "قلم {item} از {buyer} کد "
    "تعرفه ندارد و اولویت به کد تعرفه نیاز دارد",
    "give the item its HS code in the buyer's file and import it again": "کد تعرفه قلم را در "
    "فایل خریدار بنویسید و آن را دوباره وارد کنید",
    "the gap {buyer} {item} is priority {code} already": "کمبود {buyer} {item} هم‌اکنون اولویت "
    "{code} است",
    "choose the outcome contract, or leave the value empty": "نتیجه «قرارداد» را برگزینید یا "
    "ارزش را خالی بگذارید",
}
