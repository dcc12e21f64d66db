"""The one dictionary of Persian and English words, and number formatting, for the pages, the
reports, the terminal and the services.

Persian output uses Persian digits, the Arabic thousands separator ``٬``, the decimal
separator ``٫`` and ``٪``; Solar Hijri months by name. Labels are looked up by their English
text; a missing Persian label falls back to English (a test checks the monitor's labels).
"""

from __future__ import annotations

import functools
import math
import re
import string
from typing import Literal

from exportplan.errors import ExportPlanError
from exportplan.reference import error_words as _error_words
from exportplan.reference import (
    labels_analyst,
    labels_files,
    labels_pages,
    program_sheets,
    zone_labels,
)
from exportplan.reference import labels_suppliers as _suppliers
from exportplan.reference import supplier_errors as _supplier_errors
from exportplan.reference.calendar import MONTHS_EN, MONTHS_FA
from exportplan.reference.claim_labels import FA_CLAIMS
from exportplan.reference.invest_labels import EN as INVEST_EN
from exportplan.reference.invest_labels import FA as INVEST_FA
from exportplan.reference.invest_labels import FA_ERRORS as INVEST_FA_ERRORS
from exportplan.reference.program_words import PROGRAM_FA
from exportplan.reference.text import to_persian_digits

Lang = Literal["en", "fa"]

#: Persian words, looked up by their English text: the pages', the reports', the terminal's and
#: the services' (one dictionary; a test checks that every label the templates use is here)
FA: dict[str, str] = {
    "Exports": "صادرات",
    "scope": "دامنه",
    "definition": "تعریف",
    "period": "دوره",
    "unit": "واحد",
    "data": "داده",
    "year to date": "از ابتدای سال",
    "exports in the period": "صادرات دوره",
    "same months last year": "ماه‌های مشابه سال قبل",
    "growth": "رشد",
    "target": "هدف",
    "share of target reached": "سهم تحقق هدف",
    "needed per month for the rest of the year": "نیاز ماهانه برای باقی سال",
    "none: the target is already reached": "هیچ: هدف هم‌اکنون به دست آمده است",
    "last year's average over the same remaining months": "میانگین سال قبل در ماه‌های باقی‌مانده",
    "forecast of the year": "پیش‌بینی کل سال",
    "forecast of the year (central)": "پیش‌بینی کل سال (مرکزی)",
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
    "months": "ماه",
    "Solar Hijri": "هجری شمسی",
    "Gregorian": "میلادی",
    "USD": "دلار",
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
    "Dashboard": "داشبورد",
    "Monitor": "پایش",
    "Opportunities": "فرصت‌ها",
    "Program": "برنامه",
    "Data": "داده‌ها",
    "Users": "کاربران",
    "Sign in": "ورود",
    "Sign out": "خروج",
    "User name": "نام کاربری",
    "Password": "گذرواژه",
    "English": "English",
    "Persian": "فارسی",
    "exportplan": "برنامه صادرات",
    "Exports against the target": "صادرات در برابر هدف",
    "Year to date": "از ابتدای سال تا کنون",
    "Target": "هدف",
    "Forecast of the year": "پیش‌بینی کل سال",
    "Growth on the same months": "رشد نسبت به ماه‌های مشابه",
    "Probability of reaching the target": "احتمال تحقق هدف",
    "Overdue actions": "اقدامات معوق",
    "Top drivers of the change": "عوامل اصلی تغییر",
    "Cumulative exports by month": "صادرات تجمعی ماهانه",
    "this year": "امسال",
    "last year": "سال قبل",
    "Monthly exports": "صادرات ماهانه",
    "Destinations": "مقاصد",
    "By": "بر حسب",
    "product (HS2)": "کالا (فصل)",
    "product (HS4)": "کالا (چهاررقمی)",
    "destination": "مقصد",
    "customs office": "گمرک",
    "exporter size": "اندازه صادرکننده",
    "Definition": "تعریف",
    "both": "هر دو",
    "Price and volume": "قیمت و مقدار",
    "Show": "نمایش",
    "Markets for a product": "بازارهای یک کالا",
    "Products for a market": "کالاهای یک بازار",
    "New products": "کالاهای جدید",
    "Feasibility and attractiveness": "امکان‌پذیری و جذابیت",
    "Strategy": "راهبرد",
    "low-hanging": "میوه‌های در دسترس",
    "balanced": "متوازن",
    "long-jumps": "جهش‌های بلند",
    "HS code": "کد تعرفه",
    "Market": "بازار",
    "Priorities": "اولویت‌ها",
    "Targets": "اهداف",
    "Actions": "اقدامات",
    "KPIs": "شاخص‌ها",
    "Agency": "دستگاه",
    "Status": "وضعیت",
    "Progress": "پیشرفت",
    "Note": "یادداشت",
    "Save": "ذخیره",
    "Saved.": "ذخیره شد.",
    "Imports": "ورود داده‌ها",
    "Rejected rows": "ردیف‌های ردشده",
    "Upload a customs file": "بارگذاری فایل گمرکی",
    "Upload": "بارگذاری",
    # the upload's decimal mark (issue 13: numbers are read under a declared convention)
    "Decimal mark": "ممیز اعشار",
    "not declared: decimal point, ambiguous numbers rejected": "اعلام‌نشده: نقطه، اعداد مبهم رد می‌شوند",
    ". decimal point (1,234.5)": "نقطه (1,234.5)",
    ", decimal comma (1.234,5)": "ویرگول (1.234,5)",
    "File": "فایل",
    "Add a user": "افزودن کاربر",
    "Role": "نقش",
    "Add": "افزودن",
    "Download": "دریافت",
    "Error": "خطا",
    "Next step": "گام بعد",
    "Back": "بازگشت",
    "planned": "برنامه‌ریزی‌شده",
    "in-progress": "در حال اجرا",
    "blocked": "متوقف",
    "done": "انجام‌شده",
    "cancelled": "لغوشده",
    "overdue": "معوق",
    "SYNTHETIC DATA": "داده ساختگی",
    "every figure is made up by a seeded generator": "همه ارقام ساختگی و تولیدشده است",
    "unallocated": "تخصیص‌نیافته",
    "code": "کد",
    "value": "مقدار",
    "name": "نام",
    "rank": "رتبه",
    "reason": "دلیل",
    "potential": "پتانسیل",
    "untapped": "پتانسیل استفاده‌نشده",
    "market imports": "واردات بازار",
    "growth %/yr": "رشد سالانه ٪",
    "title": "عنوان",
    "deadline": "مهلت",
    "start": "شروع",
    "priority": "اولویت",
    "markets": "بازارها",
    "HS codes": "کدهای تعرفه",
    "latest": "آخرین",
    "source": "منبع",
    "kind": "نوع",
    "file": "فایل",
    "imported": "زمان ورود",
    "rows read": "ردیف خوانده‌شده",
    "accepted": "پذیرفته",
    "rejected": "ردشده",
    "region": "منطقه",
    "synthetic": "ساختگی",
    "feasibility (density)": "امکان‌پذیری (چگالی)",
    "PCI": "پیچیدگی کالا",
    "COG": "سود پیچیدگی",
    "world trade": "تجارت جهانی",
    "score": "امتیاز",
    "largest markets": "بزرگ‌ترین بازارها",
    "role": "نقش",
    "active": "فعال",
    "agency": "دستگاه",
    "the program's total": "کل برنامه",
    "Excluded": "مستثنا",
    # issue 14: what the export potential's terms rest on (the opportunities page)
    "Demand growth: GDP and population projections": "رشد تقاضا: پیش‌بینی تولید ناخالص و جمعیت",
    "Demand growth: none (today's imports)": "رشد تقاضا: بدون رشد (واردات امروز)",
    "Demand growth: the market's own trend (shrunk, capped)": "رشد تقاضا: روند خود بازار "
    "(کاهش‌یافته و سقف‌دار)",
    "Ease of trade: the region's ratio": "سهولت تجارت: نسبت استان",
    "Ease of trade: the country's ratio": "سهولت تجارت: نسبت کشور",
    "Tariffs: from the tariff file": "تعرفه‌ها: از پرونده تعرفه",
    "Tariffs: neutral (no file)": "تعرفه‌ها: خنثی (بدون پرونده)",
    "Exporters' GDP projection: applied": "پیش‌بینی تولید ناخالص صادرکنندگان: اعمال شد",
    "Exporters' GDP projection: not applied": "پیش‌بینی تولید ناخالص صادرکنندگان: اعمال نشد",
    "Nothing to show.": "موردی برای نمایش نیست.",
    "Council report": "گزارش شورای صادرات",
    "Handover dossier": "پرونده تحویل و تحول",
    "generated": "تهیه‌شده در",
    "late": "معوق",
    "due within 30 days": "سررسید تا ۳۰ روز آینده",
    "Opportunities worth discussing": "فرصت‌های قابل بحث",
    "as of": "تا تاریخ",
    "Heads": "مدیران",
    "end": "پایان",
    "Open actions": "اقدامات باز",
    "Recent history": "تاریخچه اخیر",
    "when": "زمان",
    "who": "کاربر",
    "what": "مورد",
    "Reports": "گزارش‌ها",
    "Council report (PDF)": "گزارش شورا (PDF)",
    "All tables (Excel)": "همه جداول (Excel)",
    "Program workbook": "کاربرگ برنامه",
    "customs": "خروج از گمرکات استان",
    "origin": "تولید استان",
    "to": "تا",
    "USD a year": "دلار در سال",
    "You may not change this.": "اجازه تغییر این مورد را ندارید.",
    "chapter": "فصل",
    "section": "بخش",
    "all other": "سایر موارد",
    "back-test": "آزمون گذشته",
    "no interval": "بدون بازه",
    "{a80} of {n} years inside the 80% interval, {a95} inside the 95%": (
        "در {a80} سال از {n} سال کل واقعی در بازه ۸۰ درصد و در {a95} سال در بازه ۹۵ درصد بود"
    ),
    "only {n} back-test years (at least {k} are needed): no interval or probability": (
        "تنها {n} سال برای آزمون گذشته (دست‌کم {k} سال لازم است): بازه و احتمال داده نمی‌شود"
    ),
    "the year to date is zero: no interval": "صادرات از ابتدای سال صفر است: بازه‌ای داده نمی‌شود",
    # ---- request limits and parameters of the web app (web/limits.py, views/common.py) ----
    "MB": "مگابایت",
    "KB": "کیلوبایت",
    "bytes": "بایت",
    "the request is too large: at most {limit} may be sent here": (
        "درخواست بیش از اندازه بزرگ است: در اینجا حداکثر {limit} را می‌توان فرستاد"
    ),
    "send a smaller file, or ask the administrator to raise {setting}": (
        "پرونده کوچک‌تری بفرستید، یا از مدیر سامانه بخواهید {setting} را بیشتر کند"
    ),
    "a form field is too large: at most {limit} per field": (
        "یکی از خانه‌های فرم بیش از اندازه بزرگ است: حداکثر {limit} برای هر خانه"
    ),
    "the form has too many fields: at most {count}": "فرم خانه‌های بیش از اندازه دارد: حداکثر {count}",
    "the form has too many files: at most {count}": "فرم پرونده‌های بیش از اندازه دارد: حداکثر {count}",
    "the file name is too long: at most {limit} bytes, this one has {size}": (
        "نام پرونده بیش از اندازه بلند است: حداکثر {limit} بایت، این نام {size} بایت است"
    ),
    "the file name holds a NUL or another control character": (
        "نام پرونده نویسهٔ NUL یا نویسهٔ کنترلی دیگری دارد"
    ),
    "rename the file and upload it again": "نام پرونده را تغییر دهید و دوباره بارگذاری کنید",
    "{key} must be a whole number; got {value}": (
        "{key} باید یک عدد صحیح باشد؛ مقدار داده‌شده: {value}"
    ),
    "{key} must be between {lo} and {hi}; got {value}": (
        "{key} باید بین {lo} و {hi} باشد؛ مقدار داده‌شده: {value}"
    ),
    "give a whole number, or leave the field empty": "یک عدد صحیح بدهید یا خانه را خالی بگذارید",
    # ---- access: sign-in, the demo's password, KPI values ---------------------------------
    "wrong user name or password": "نام کاربری یا گذرواژه نادرست است",
    "too many failed sign-ins; try again in {seconds} seconds": (
        "ورودهای ناموفق بیش از حد؛ {seconds} ثانیه دیگر دوباره تلاش کنید"
    ),
    "These users still have the demo's password": "این کاربران هنوز گذرواژه نسخه نمایشی را دارند",
    "set new ones with `exportplan user password NAME`": (
        "با `exportplan user password NAME` گذرواژه تازه بگذارید"
    ),
    "KPI values": "مقادیر شاخص‌ها",
    "a change sent from another site ({site}) is refused (Origin check)": (
        "تغییری که از سایت دیگری ({site}) فرستاده شده پذیرفته نمی‌شود (بررسی Origin)"
    ),
    "a change that names no site (no Origin or Referer header) is refused": (
        "تغییری که سایت فرستنده‌اش را نمی‌گوید (بدون سرآیند Origin یا Referer) پذیرفته نمی‌شود"
    ),
    "make the change from this site's own pages": "تغییر را از صفحه‌های خود این سامانه انجام دهید",
    # the overlap rule of customs imports and removing an import (issue 13)
    "dataset": "مجموعه داده",
    "offices": "گمرکات",
    "(no office given: every office)": "(گمرک ذکر نشده: همه گمرکات)",
    "months and offices supplied": "ماه‌ها و گمرکات تأمین‌شده",
    "replaced by later imports": "جایگزین‌شده با بارگذاری‌های بعدی",
    "Nothing was imported: this file covers months and customs offices already loaded, and "
    "the same exports would be counted twice.": "چیزی وارد نشد: این پرونده ماه‌ها و گمرکاتی را "
    "در بر می‌گیرد که پیش‌تر بارگذاری شده‌اند و همان صادرات دو بار شمرده می‌شد.",
    "To put this file's figures in their place, upload it again with Replace chosen; or "
    "remove the earlier import.": "برای نشاندن ارقام این پرونده به جای آن‌ها، آن را دوباره با "
    "گزینه «جایگزینی» بارگذاری کنید؛ یا بارگذاری پیشین را حذف کنید.",
    "Replace the months and offices already loaded": "جایگزینی ماه‌ها و گمرکاتی که پیش‌تر "
    "بارگذاری شده‌اند",
    "Remove an import": "حذف یک بارگذاری",
    "Remove": "حذف",
    "Cancel": "انصراف",
    # background imports (the Data page's progress part)
    "Imports in progress": "وضعیت ورود داده‌ها",
    "queued": "در صف",
    "reading": "در حال خواندن",
    "validating": "در حال بررسی",
    "writing": "در حال نوشتن",
    "failed": "ناموفق",
    "rows": "ردیف",
    "imported as dataset": "واردشده به‌عنوان مجموعه داده",
    "already imported as dataset": "پیش‌تر واردشده به‌عنوان مجموعه داده",
    "nothing of it was written": "هیچ بخشی از آن نوشته نشد",
    "The pages show the data as last committed until an import is done.": (
        "تا پایان ورود داده، صفحه‌ها آخرین داده‌های ثبت‌شده را نشان می‌دهند."
    ),
    "Reload the page to see the import's progress.": "برای دیدن پیشرفت ورود داده صفحه را تازه کنید.",
    "the server restarted: an import it was running was rolled back": (
        "کارساز دوباره راه‌اندازی شد: ورود داده‌ای که در جریان بود برگردانده شد"
    ),
    # products (p16a): names and search of HS codes
    "product": "کالا",
    "products": "کالاها",
    "heading": "سرفصل",
    "subheading": "زیرسرفصل",
    "national": "ردیف تعرفه ملی",
    "level": "سطح",
    "Search products": "جست‌وجوی کالا",
    "search": "جست‌وجو",
    "code or name, for example سیب or 0808": "کد یا نام، برای نمونه سیب یا ۰۸۰۸",
    "no product matches {text}": "هیچ کالایی با {text} جور نیست",
    "type a code such as 0808, or a word of its name such as apple": (
        "کدی مانند ۰۸۰۸ یا واژه‌ای از نام کالا مانند سیب بنویسید"
    ),
    "matches": "یافته‌ها",
    # Persian is complete (p16a): the framework's refusals (the roles: FA_ROLES below)
    "Not Found": "این نشانی در سامانه نیست",
    "Method Not Allowed": "این درخواست برای این نشانی پذیرفته نیست",
    "check the address, or start again from the dashboard": (
        "نشانی را بررسی کنید یا از پیشخوان دوباره آغاز کنید"
    ),
    "number": "تعداد",
    "set new ones with": "گذرواژهٔ تازه را با این فرمان بگذارید:",
    "(all other)": "(سایر)",
    "all other exports": "سایر صادرات",
    "days": "روز",
    "none": "هیچ",
    "baci": "تجارت جهانی (BACI)",
    "value (USD)": "ارزش (دلار)",
    # the audit log's records and fields (p16a)
    "created": "ایجاد شد",
    "deleted": "حذف شد",
    "user": "کاربر",
    "zone": "شهرک",
    "zone_application": "درخواست زمین شهرک",
    "zone_contract": "قرارداد زمین شهرک",
    "zone_milestone": "گام اجرای طرح در شهرک",
    "supplier_firm": "بنگاه تأمین‌کننده",
    "supplier_match": "جفت‌یابی تأمین‌کننده",
    "supplier_introduction": "معرفی تأمین‌کننده",
    "demand_list": "فهرست نیاز خریدار",
    "invest_demo": "داده نمایشی سرمایه‌گذاری",
    "status_since": "وضعیت از",
    "decided_by": "تصمیم‌گیرنده",
    "decided_at": "زمان تصمیم",
    "decision_reason": "دلیل تصمیم",
    # the zones' use classes and contract terms, the investment's contacts (p16a)
    "industrial": "صنعتی",
    "service": "خدماتی",
    "warehouse": "انبار",
    "green": "فضای سبز",
    "utility": "تأسیسات",
    "no proxy (وکالتی) transfer of an unfinished project (2025 directive)": (
        "بدون انتقال وکالتی طرح نیمه‌تمام (دستورالعمل ۲۰۲۵)"
    ),
    "contract of": "قرارداد",
    "meeting": "دیدار",
    # supplier matching's levels and list states (p16a)
    "exact": "یکسان",
    "absent": "ثبت‌نشده",
    "call": "تماس تلفنی",
    "event_meeting": "دیدار در همایش",
    "email": "رایانامه",
    "aftercare": "خدمات پس از استقرار",
    "pieces/year": "عدد در سال",
    "tonnes/year": "تن در سال",
}
FA.update({k: v for k, v in PROGRAM_FA.items() if k not in FA})  # the program's forms (issue 15)
FA.update({k: v for k, v in program_sheets.FA.items() if k not in FA})  # its workbook's names

FA.update({k: v for k, v in INVEST_FA.items() if k not in FA})  # investment pipeline (issue 19)

#: The users page: the roles' names (the value stored stays the code)
FA_ROLES: dict[str, str] = {
    "viewer": "بیننده",
    "member": "عضو دستگاه",
    "secretary": "دبیر",
    "admin": "مدیر سامانه",
}
FA.update({k: v for k, v in FA_ROLES.items() if k not in FA})

#: Downloads that explain themselves (views/table_files.py, views/about.py; issue 16)
FA_DOWNLOADS: dict[str, str] = {
    "East Azerbaijan": "آذربایجان شرقی",
    "page": "صفحه",
    "table": "جدول",
    "units": "واحدها",
    "calendar": "تقویم",
    "sources": "منابع",
    "data version": "نسخه داده‌ها",
    "note": "یادداشت",
    "made": "زمان تهیه",
    "about this file": "درباره این پرونده",
    "data dictionary": "واژه‌نامه داده‌ها",
    "column name": "نام ستون",
    "sheet": "برگه",
    "Gregorian (ISO)": "میلادی (ISO)",
    "as each row says": "چنان‌که هر سطر می‌گوید",
    "US dollars (current)": "دلار آمریکا (به قیمت جاری)",
    "percent (change)": "درصد (تغییر)",
    "percent (share)": "درصد (سهم)",
    "Solar Hijri day": "روز هجری شمسی",
    "Gregorian day (ISO)": "روز میلادی (ISO)",
    "moment (server's clock)": "زمان (ساعت کارساز)",
    "Save as PNG": "ذخیره به‌صورت PNG",
    "Save as SVG": "ذخیره به‌صورت SVG",
    "Filter the rows": "پالایش سطرها",
    "Sort by this column": "مرتب‌سازی با این ستون",
    "rows shown": "سطر نمایش داده شده",
    "Record what an introduction led to": "ثبت نتیجه معرفی",
    "contract value": "ارزش قرارداد",
    # the rejected rows' download (views/rejects.py): the machine code of a reason
    "reason_code": "کد دلیل",
}
#: An introduction's statuses and outcomes (domain.INTRODUCTION_STATUSES, _OUTCOMES)
FA_INTRODUCTIONS: dict[str, str] = {
    "declined": "ردشده",
    "held": "برگزارشده",
    "no_show": "حاضر نشد",
    "samples_requested": "درخواست نمونه",
    "quotation": "پیش‌فاکتور",
    "trial_order": "سفارش آزمایشی",
    "contract": "قرارداد",
    # an investment project's likelihood (the board's filter)
    "low": "کم",
    "medium": "متوسط",
    "high": "زیاد",
}
FA.update({k: v for k, v in FA_DOWNLOADS.items() if k not in FA})
FA.update({k: v for k, v in FA_INTRODUCTIONS.items() if k not in FA})

#: The council pack's headings (reports/council_pack.py; issue 16)
FA_COUNCIL: dict[str, str] = {
    "{region} export program {year}": "برنامه صادرات {region} {year}",
    "Targets: achieved to date": "هدف‌ها: تحقق‌یافته تاکنون",
    "Behind their path": "عقب از مسیر",
    "of": "از",
    "due by now": "لازم تا کنون",
    "No target is behind its path.": "هیچ هدفی از مسیر خود عقب نیست.",
    "Overdue actions by agency": "اقدام‌های معوق به تفکیک دستگاه",
    "No action is overdue.": "هیچ اقدامی معوق نیست.",
    "{n} sub-targets that only name an agency are not shown: an agency's share of its "
    "parent's exports is not in the data.": (
        "{n} زیرهدف که تنها نام یک دستگاه را دارند نشان داده نشده‌اند: سهم یک دستگاه از "
        "صادرات بالادستش در داده‌ها نیست."
    ),
    "all other exports": "سایر صادرات",
}
FA.update({k: v for k, v in FA_COUNCIL.items() if k not in FA})
FA.update(labels_pages.FA)  # issue 15: the dashboard's pickers, accessibility
FA.update({k: v for k, v in labels_files.FA.items() if k not in FA})  # issue 16: downloads
FA.update({k: v for k, v in labels_analyst.FA.items() if k not in FA})  # issue 16: analysts' views

#: The audit log's record types and fields of the newer domains (views/program_audit.py)
FA_AUDIT_WORDS: dict[str, str] = {
    "invest_enquiry": "پرسش سرمایه‌گذار",
    "invest_interaction": "تماس با سرمایه‌گذار",
    "invest_investor": "سرمایه‌گذار",
    "invest_project": "طرح سرمایه‌گذاری",
    "token": "توکن دسترسی",
    "zone_inspection": "بازدید قطعه",
    "zone_scrutiny": "بررسی درخواست",
    "investor_id": "سرمایه‌گذار",
    "opportunity_id": "فرصت",
    "source_event_id": "همایش مبدأ",
    "agency_id": "دستگاه",
    "priority_id": "اولویت",
    "project_id": "طرح",
    "status_reason": "دلیل وضعیت",
    "capex_is_estimate": "سرمایه برآوردی است",
    "capex_unknown": "سرمایه نامعلوم",
    "capex_original": "سرمایه به ارز اعلام‌شده",
    "expected_exports_usd_y3": "صادرات مورد انتظار سال سوم (دلار)",
    "plot_code": "قطعه",
    "concession_ref": "پروانه بهره‌برداری",
    "trade_card_no": "کارت بازرگانی",
    "national_id": "شناسه ملی",
    "exporter_name": "نام صادرکننده",
    "waived_fields": "فیلدهای معاف‌شده",
    "created_on": "تاریخ ایجاد",
    "name_fa": "نام فارسی",
    "match_key": "کلید تطبیق",
    "merged_into_id": "ادغام‌شده در",
    "received_on": "تاریخ دریافت",
    "acknowledged_on": "تاریخ اعلام وصول",
    "first_response_on": "تاریخ نخستین پاسخ",
    "title_fa": "عنوان فارسی",
    "held_on": "تاریخ برگزاری",
    "place": "محل",
    "follow_up_due_days": "مهلت پیگیری (روز)",
    "invitees": "دعوت‌شدگان",
    "opportunities_presented": "فرصت‌های ارائه‌شده",
}
FA.update({k: v for k, v in FA_AUDIT_WORDS.items() if k not in FA})

#: Where the terminal's fuller wording differs from the pages' (a page heads a column or a card
#: with the shorter word)
FA_TERMINAL: dict[str, str] = {
    "year to date": "از ابتدای سال تا کنون",
    "months": "ماه‌ها",
    "USD": "دلار آمریکا",
}

#: English wording where the key is a code
EN: dict[str, str] = {
    "customs": "leaving through the province's customs",
    "origin": "made in the province",
}
EN.update(INVEST_EN)  # investment pipeline (issue 19): its codes' English words


FA.update(FA_CLAIMS)  # claims: the words of claim checking (reference/claim_labels.py)


def t(text: str, lang: Lang) -> str:
    """A word of the terminal and the services (English as written; codes stay codes)."""
    if lang != "fa":
        return text
    return FA_TERMINAL.get(text) or FA.get(text, text)


def label(text: str, lang: str) -> str:
    """A word of the pages and the reports: Persian from :data:`FA`; in English the text
    itself, or its wording in :data:`EN` when it is a code."""
    if lang != "fa":
        return EN.get(text, text)
    return FA.get(text) or text


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


#: Persian wording of the warnings on fragile numbers (complexity), looked up by the English
#: template; ``{name}`` placeholders are filled by :func:`warning_text`
FA_WARNINGS: dict[str, str] = {
    "{year}: PCI does not fall with ubiquity (correlation {corr_pci_ubiquity}; it should be "
    "negative) among {n_locations} locations: the product ranking is inverted, "
    "do not read high PCI as complex": "{year}: شاخص پیچیدگی کالا (PCI) با فراگیری کالا کاهش "
    "نمی‌یابد (همبستگی {corr_pci_ubiquity}؛ باید منفی باشد) در میان {n_locations} مکان: رتبه‌بندی "
    "کالاها وارونه است و PCI بالا را نشانه پیچیدگی ندانید",
    "{year}: ECI does not rise with diversity (correlation {corr_eci_diversity}; it should "
    "be positive) among {n_locations} locations: the location ranking is inverted": "{year}: "
    "شاخص پیچیدگی اقتصادی (ECI) با تنوع افزایش نمی‌یابد (همبستگی {corr_eci_diversity}؛ باید مثبت "
    "باشد) در میان {n_locations} مکان: رتبه‌بندی مکان‌ها وارونه است",
    "{year}: the second and third eigenvalues are close ({eigenvalue_2} and "
    "{eigenvalue_3}, relative gap {relative_gap} < {min_relative_gap}): the ECI/PCI "
    "ordering is unstable, a small change of the data can reorder it": "{year}: مقدار ویژه "
    "دوم و سوم به هم نزدیک‌اند ({eigenvalue_2} و {eigenvalue_3}، فاصله نسبی {relative_gap} کمتر "
    "از {min_relative_gap}): ترتیب ECI/PCI ناپایدار است و تغییری کوچک در داده‌ها می‌تواند آن را "
    "جابه‌جا کند",
    "{year}: the ECI of {loc} ({eci}) rests on {n_products} product(s), fewer "
    "than {minimum}: it is the mean PCI of so few products that it can be "
    "extreme; do not rank it": "{year}: ECI {loc} ({eci}) تنها بر {n_products} کالا استوار است، "
    "کمتر از {minimum}: میانگین PCI چنین کالاهای اندکی می‌تواند افراطی باشد؛ آن را رتبه‌بندی "
    "نکنید",
    "{year}: {count} location(s) have an ECI on fewer than {minimum} products: "
    "{locations}": "{year}: {count} مکان ECI خود را بر کمتر از {minimum} کالا دارند: {locations}",
    "sample filter (Atlas of Economic Complexity 2013): {applied}; removed from the sample "
    "and projected on it: {count} location(s){locations}": "فیلتر نمونه (اطلس پیچیدگی اقتصادی "
    "۲۰۱۳): {applied}؛ خارج از نمونه و تصویرشده بر آن: {count} مکان{locations}",
    "population filter not applied: {reason}": "فیلتر جمعیت اعمال نشد: {reason}",
    # issue 14: the region's year placed on a world year (world data lag customs records)
    "the region's exports of {region_year} (a complete year) are placed on world year {world_year} "
    "(the world data cover {world_first}-{world_last}): the world data lag the customs records, so the "
    "region is compared with the world of {world_year}": "صادرات استان در {region_year} "
    "(سالی کامل) بر سال جهانی {world_year} نهاده شد (داده‌های جهانی {world_first}-{world_last} را پوشش "
    "می‌دهند): داده‌های جهانی از آمار گمرک عقب‌ترند، پس استان با جهانِ {world_year} مقایسه "
    "می‌شود",
    # removing an import (issue 13): the CLI's sentence and the Data page's
    "dataset {id} ({name}) removed with its {rows} row(s) and its rejects": "مجموعه داده {id} "
    "({name}) با {rows} ردیف و ردیف‌های ردشده‌اش حذف شد",
    "Remove dataset {id} ({name}) with its {rows} row(s) and its rejects?": "مجموعه داده {id} "
    "({name}) با {rows} ردیف و ردیف‌های ردشده‌اش حذف شود؟",
    "; the months and offices it had replaced are supplied again by {what}": "؛ ماه‌ها و "
    "گمرکاتی که جایگزین کرده بود دوباره از این‌ها تأمین می‌شوند: {what}",
    "; {n} cell(s) it had replaced stay replaced by a later import": "؛ {n} خانه که جایگزین "
    "کرده بود همچنان با بارگذاری بعدی جایگزین می‌مانند",
    "by {id}: {what}": "با {id}: {what}",
}


# suppliers: the registry's and matching's words, in a module of their own
FA.update(_suppliers.FA)
FA_WARNINGS.update(_suppliers.REASONS_FA)


def _warning_value(value: object, lang: Lang) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return number(value, lang) if lang == "fa" else str(value)
    if isinstance(value, float):
        text = f"{value:.4g}"
        return to_persian_digits(text.replace(".", "٫")) if lang == "fa" else text
    if isinstance(value, list | tuple):
        return ("، " if lang == "fa" else ", ").join(_warning_value(v, lang) for v in value)
    text = str(value)
    day_like = re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2}", text) is not None  # a Solar Hijri day
    return to_persian_digits(text) if lang == "fa" and (text.isdigit() or day_like) else text


def warning_text(template: str, lang: Lang, **values: object) -> str:
    """A warning in English or Persian: ``template`` (English, with ``{name}`` placeholders)
    or its Persian wording, filled with ``values`` (Persian digits in Persian); a ``{year}: ``
    prefix is dropped when the year is None."""
    text = FA_WARNINGS.get(template, template) if lang == "fa" else template
    if values.get("year") is None:
        text = text.removeprefix("{year}: ")
    filled = {k: _warning_value(v, lang) for k, v in values.items()}
    if values.get("year") is not None:  # a year has no thousands separator
        year = str(values["year"])
        filled["year"] = to_persian_digits(year) if lang == "fa" else year
    return text.format(**filled)


#: Persian wording of domain errors that carry an English ``template`` and ``values``
#: (:class:`exportplan.errors.UnsafeArchiveError`), looked up by the English template
FA_ERRORS: dict[str, str] = dict(_error_words.FA_ERRORS)


# ---- industrial zones (issue 18): their labels and refusals live in their own module ----
FA.update({k: v for k, v in zone_labels.FA.items() if k not in FA})  # never re-words a label
# (and the investment gate form's refusals, issue 19; the program workbook's import refusal)
FA_ERRORS.update({**zone_labels.FA_ERRORS, **INVEST_FA_ERRORS, **program_sheets.FA_ERRORS})
EN.update({k: v for k, v in zone_labels.EN.items() if k not in EN})


#: Persian wording of messages raised as plain English text (the suppliers' and demand lists'
#: rejected rows and refusals), found by matching the text against the English templates
FA_MESSAGES: dict[str, str] = {**_supplier_errors.FA_ERRORS, **_error_words.FA_MESSAGES}


def _pattern(template: str) -> re.Pattern[str]:
    """The regular expression a template's filled text matches: its placeholders as groups
    (a number's digits only), a placeholder used twice as the same text."""
    out, seen = [], set()
    for literal, name, _, _ in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if name is None:
            continue
        if name in seen:
            out.append(f"(?P={name})")
        else:
            seen.add(name)
            out.append(f"(?P<{name}>\\d+)" if name in _supplier_errors.NUMBERS else f"(?P<{name}>.+?)")
    return re.compile("".join(out), re.DOTALL)


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    # the longest first: a template that is another's beginning is tried after it
    return tuple(
        (_pattern(en), fa) for en, fa in sorted(FA_MESSAGES.items(), key=lambda kv: -len(kv[0]))
    )


def _message_value(name: str, value: str) -> str:
    """A value put in a Persian message: numbers in Persian digits, the files' columns by their
    Persian headers (``needed_by``, ``API 6D end``), a state by its label, else as written."""
    columns = _supplier_errors.COLUMNS
    if name in _supplier_errors.NUMBERS:
        return to_persian_digits(value)
    if name in ("missing", "expected"):
        return "، ".join(columns.get(c, c) for c in value.split(", "))
    if name == "what":
        std, _, end = value.rpartition(" ")
        if std and end in ("start", "end"):
            return f"{'آغاز' if end == 'start' else 'پایان'} {std}"
        return columns.get(value) or FA.get(value, value)  # a file's column, else a field
    if name in ("status", "kinds", "known", "state", "moves", "new", "statuses", "outcomes"):
        return "، ".join(FA.get(v, v) for v in value.split(", "))
    if re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2}", value):  # a Solar Hijri day as the file wrote it
        return to_persian_digits(value)
    return value


def message_text(text: str, lang: str) -> str:
    """A message raised as English text (a rejected row's reason, a refusal) in ``lang``: its
    Persian wording (:data:`FA_MESSAGES`) with the same values, or the text as it is."""
    if lang != "fa" or not text:
        return text
    for pattern, fa in _patterns():
        m = pattern.fullmatch(text)
        if m is not None:
            return fa.format(**{k: _message_value(k, v) for k, v in m.groupdict().items()})
    return text


def error_text(exc: ExportPlanError, lang: str) -> tuple[str, str]:
    """A domain error's message and hint in ``lang``: the Persian wording of its template when
    it carries one (:data:`FA_ERRORS`), else of its message (:func:`message_text`), else the
    message as raised."""
    template = getattr(exc, "template", "")
    if lang == "fa" and template not in FA_ERRORS:
        return message_text(exc.message, lang), message_text(exc.hint, lang)
    if lang != "fa":
        return exc.message, exc.hint
    values = {k: _warning_value(v, "fa") for k, v in getattr(exc, "values", {}).items()}
    hint_template = getattr(exc, "hint_template", "")
    hint = FA_ERRORS.get(hint_template, hint_template).format(**values) if hint_template else ""
    return FA_ERRORS[template].format(**values), hint
