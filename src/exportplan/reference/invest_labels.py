"""The investment pipeline's Persian words (issue 19), merged into the one label dictionary
(:data:`exportplan.i18n.FA`), and the wording of its refusals in both languages: a gate's
missing fields and an import's rejected rows."""

from __future__ import annotations

from typing import Any

from exportplan.reference.text import to_persian_digits

__all__ = [
    "EN",
    "FA",
    "FA_ERRORS",
    "FA_FOLLOW_UP",
    "FA_REASONS",
    "field_label",
    "follow_up_text",
    "gate_text",
    "reason_text",
]

FA: dict[str, str] = {
    # stages and statuses
    "lead": "سرنخ",
    "qualified": "احراز‌شده",
    "site_visit": "بازدید از محل",
    "proposal": "پیشنهاد",
    "agreement": "توافق",
    "implementation": "اجرا",
    "operating": "در حال بهره‌برداری",
    "ongoing": "جاری",
    "delayed": "با تأخیر",
    "dormant": "راکد",
    "lost": "از دست رفته",
    "abandoned": "رها‌شده",
    "won": "موفق",
    # gate fields
    "investor": "سرمایه‌گذار",
    "sector": "بخش (ISIC)",
    "project_type": "نوع طرح",
    "project_manager": "مدیر طرح",
    "likelihood": "احتمال تحقق",
    "capex_usd": "سرمایه‌گذاری (دلار) یا «نامعلوم»",
    "capex_figure": "رقم سرمایه‌گذاری (دلار)",
    "site_visit_planned": "بازدید برنامه‌ریزی‌شده با تاریخ",
    "candidate_site": "قطعه زمین یا محدوده معدنی پیشنهادی",
    "proposition": "پیشنهاد با مهلت",
    "competitor_locations": "مکان‌های رقیب (یا «هیچ»)",
    "agreement_signed": "توافق‌نامه امضاشده",
    "jobs_new": "اشتغال جدید",
    "site": "قطعه زمین یا پروانه معدن",
    "milestone_plan": "برنامه زمان‌بندی مراحل اجرا",
    "operation_licence": "پروانه بهره‌برداری",
    # pages
    "Investment": "سرمایه‌گذاری",
    "Pipeline": "خط لوله سرمایه‌گذاری",
    "Enquiries": "استعلام‌ها",
    "Events": "همایش‌ها",
    "Project": "طرح",
    "project": "طرح",
    "stage": "مرحله",
    "status": "وضعیت",
    "capex (USD)": "سرمایه‌گذاری (دلار)",
    "estimate": "برآورد",
    "jobs": "اشتغال",
    "received": "دریافت",
    "first response": "نخستین پاسخ",
    "working days": "روز کاری",
    "working days left": "روز کاری باقی‌مانده",
    "overdue": "معوق",
    "answered": "پاسخ داده شد",
    "channel": "مجرا",
    "agency": "دستگاه",
    "Move to": "انتقال به",
    "Move": "انتقال",
    "Missing to enter this stage": "کمبودها برای ورود به این مرحله",
    "reason (needed to move back)": "دلیل (برای بازگشت لازم است)",
    "day of the move": "روز انتقال",
    "Stage log": "سابقه مراحل",
    "Timeline": "گاه‌شمار",
    "from": "از",
    "to": "تا",
    "day": "روز",
    "by": "توسط",
    "waived": "معاف‌شده",
    "Follow-up checklist": "فهرست پیگیری",
    "followed up": "پیگیری شد",
    "not yet": "هنوز نه",
    "Projects created": "طرح‌های ایجادشده",
    "share followed up": "سهم پیگیری‌شده",
    "follow-up due": "مهلت پیگیری",
    "Funnel": "قیف",
    "projects": "طرح‌ها",
    "capex excluding estimates (USD)": "سرمایه‌گذاری بدون برآوردها (دلار)",
    "conversion": "نرخ گذر",
    "median days to first response": "میانه روزها تا نخستین پاسخ",
    "median working days to first response": "میانه روزهای کاری تا نخستین پاسخ",
    "share answered within target": "سهم پاسخ‌داده در مهلت",
    "unanswered": "بی‌پاسخ",
    "Data debt": "بدهی داده",
    "waived fields": "فیلدهای معاف‌شده",
    "exports not trackable": "صادرات قابل پیگیری نیست",
    "Monthly pipeline report": "گزارش ماهانه خط لوله سرمایه‌گذاری",
    "cannot become a project until an investor is set": "تا سرمایه‌گذار معلوم نشود طرح نمی‌شود",
    "plot": "قطعه",
    "concession": "محدوده معدنی",
    "firm (exporter name in customs)": "بنگاه (نام صادرکننده در گمرک)",
    "Exports of the firm": "صادرات بنگاه",
    "dormant projects": "طرح‌های راکد",
    "holidays unknown for {years}: counted as working days": "تعطیلات سال {years} ناشناخته است: "
    "روز کاری شمرده شد",
    "project {project} cannot enter stage {stage}: missing {fields}": "طرح {project} نمی‌تواند "
    "وارد مرحله «{stage}» شود؛ کمبودها: {fields}",
    "fill in the missing fields (the gate form lists them), then move it again": "کمبودها را "
    "کامل کنید (فرم مرحله آن‌ها را فهرست می‌کند) و دوباره منتقل کنید",
    # the board's filters, time in stage, the event's follow-up form, the tree's component,
    # the agencies' weekly digest
    "all": "همه",
    "Filter": "پالایش",
    "{shown} of {total} projects": "{shown} طرح از {total}",
    "all projects": "همه طرح‌ها",
    "none": "هیچ",
    "Time in stage": "مدت ماندن در مرحله",
    "group": "گروه",
    "completed stays": "ماندن‌های پایان‌یافته",
    "median days (completed)": "میانه روزها (پایان‌یافته)",
    "current stays": "ماندن‌های جاری",
    "median days so far (current)": "میانه روزها تاکنون (جاری)",
    "meeting": "دیدار",
    "call": "تماس تلفنی",
    "event_meeting": "دیدار در همایش",
    "email": "رایانامه",
    "aftercare": "خدمات پس از استقرار",
    "Enter a follow-up": "ثبت پیگیری",
    "of which from investment projects": "از این میان از طرح‌های سرمایه‌گذاری",
    "Weekly digest": "خلاصه هفتگی",
    "Investment pipeline": "خط لوله سرمایه‌گذاری",
    "overdue enquiries": "استعلام‌های دیرکرد",
    "follow-ups due": "پیگیری‌های سررسیده",
    "due": "مهلت",
    "days without contact": "روزهای بی‌تماس",
    "last contact": "آخرین تماس",
    "event": "همایش",
    "unassigned": "بدون دستگاه",
    "country": "کشور",
    "currency of the capex": "واحد پول سرمایه‌گذاری",
    "rate (rials per USD)": "نرخ (ریال به ازای هر دلار)",
    "opportunity": "فرصت",
    "mineral": "ماده معدنی",
    "licence": "پروانه",
    "area (km²)": "مساحت (کیلومتر مربع)",
    "reserve": "ذخیره",
    "commissioning": "راه‌اندازی",
    "land_allotted": "واگذاری زمین",
    "permits": "مجوزها",
    "construction_start": "آغاز ساخت",
    "first_export": "نخستین صادرات",
    "mou": "تفاهم‌نامه",
    "investment_contract": "قرارداد سرمایه‌گذاری",
    "land_contract": "قرارداد زمین",
    "concession_contract": "قرارداد بهره‌برداری معدن",
    "Top projects by capex": "طرح‌های بزرگ از نظر سرمایه‌گذاری",
    "Lost and abandoned": "از دست رفته و رها‌شده",
    "reason": "دلیل",
    "no waived fields": "هیچ فیلدی معاف نشده است",
    "week until": "هفته تا",
}

#: English wording of the pipeline's codes that are not words (merged into i18n.EN)
EN: dict[str, str] = {
    "site_visit": "site visit",
    "event_meeting": "event meeting",
    "brownfield_acquisition": "brownfield acquisition",
}

#: Persian wording of the gate form's refusals (services/invest/projects.py), merged into
#: i18n.FA_ERRORS
FA_ERRORS: dict[str, str] = {
    "{value} is not a number": "{value} عدد نیست",
    "{value} is negative": "{value} منفی است",
    "{value} is not USD, IRR (rial) or IRT (toman)": "{value} دلار (USD)، ریال (IRR) یا تومان "
    "(IRT) نیست",
    "a capex in {currency} needs the rate (rials per USD) to be converted": "سرمایه‌گذاری به "
    "{currency} برای تبدیل نرخ (ریال به ازای هر دلار) می‌خواهد",
    "capex {value} is larger than USD 10 bn: is this rial or toman? choose its currency (IRR "
    "or IRT) and give the rate, or give it in USD": "سرمایه‌گذاری {value} بیش از ۱۰ میلیارد "
    "دلار است: آیا ریال یا تومان است؟ واحد پول (IRR یا IRT) و نرخ را بدهید، یا مقدار را به "
    "دلار بنویسید",
    "{value} is not a whole number of jobs": "{value} عدد صحیح اشتغال نیست",
}

#: Persian wording of the follow-up form's refusals (services/invest/follow_up.py)
FA_FOLLOW_UP: dict[str, str] = {
    "choose one of the event's attendees": "یکی از شرکت‌کنندگان همایش را برگزینید",
    "{value} is not one of {allowed}": "{value} از این‌ها نیست: {allowed}",
    "{value} is not a day such as 2026-11-28 or 1405/09/07": "{value} روز نیست (مانند ۱۴۰۵/۰۹/۰۷)",
    "{value} is in the future": "{value} در آینده است",
    "{value} is before the event ({held})": "{value} پیش از همایش ({held}) است",
}

#: Persian wording of the import's reasons (ingest/invest.py, services/invest/imports.py)
FA_REASONS: dict[str, str] = {
    "{value} is not a Solar Hijri day such as 1404/07/12": "{value} روز هجری شمسی نیست "
    "(مانند ۱۴۰۴/۰۷/۱۲)",
    "{value} is in the future": "{value} در آینده است",
    "{value} is not a number": "{value} عدد نیست",
    "{value} is negative": "{value} منفی است",
    "{value} is not one of {allowed}": "{value} از این‌ها نیست: {allowed}",
    "a project id of 1 to 40 characters is needed": "شناسه طرح (۱ تا ۴۰ نویسه) لازم است",
    "{value} appears again (first on row {first})": "{value} دوباره آمده است (نخست در ردیف "
    "{first})",
    "{value} is not an ISO3 country code such as TUR": "{value} کد سه‌حرفی کشور نیست (مانند TUR)",
    "{value} looks like {other} on row {first} (same name and country): a duplicate investor; "
    "write one name for both, or merge them after the import (exportplan invest "
    "merge-investors)": "{value} همان {other} در ردیف {first} به نظر می‌رسد (نام و کشور یکسان): "
    "سرمایه‌گذار تکراری؛ برای هر دو یک نام بنویسید یا پس از ورود آن‌ها را ادغام کنید (exportplan "
    "invest merge-investors)",
    "{value} looks like stored investor {id} {other} (same name and country): a duplicate; "
    "write the stored name, or merge them (exportplan invest merge-investors {id} ID)": "{value} "
    "همان سرمایه‌گذار ثبت‌شده {id} ({other}) به نظر می‌رسد (نام و کشور یکسان): تکراری است؛ نام "
    "ثبت‌شده را بنویسید یا ادغام کنید (exportplan invest merge-investors {id} ID)",
    "a stage is needed: one of {allowed}": "مرحله لازم است: یکی از {allowed}",
    "{value} is not USD, IRR (rial) or IRT (toman)": "{value} دلار (USD)، ریال (IRR) یا تومان "
    "(IRT) نیست",
    "a capex in {currency} needs capex_rate (rials per USD) to be converted": "سرمایه‌گذاری به "
    "{currency} برای تبدیل نرخ capex_rate (ریال به ازای هر دلار) می‌خواهد",
    "{value} is larger than USD 10 bn: is this rial or toman? give capex_currency (IRR or IRT) "
    "and capex_rate, or the value in USD": "{value} بیش از ۱۰ میلیارد دلار است: آیا ریال یا "
    "تومان است؟ capex_currency (IRR یا IRT) و capex_rate را بدهید، یا مقدار را به دلار بنویسید",
    "{value} is not yes or no": "{value} بله یا خیر نیست",
    "{value} is not a whole number of jobs": "{value} عدد صحیح اشتغال نیست",
    "a response without enquiry_received: give the day the enquiry came": "پاسخ بدون "
    "enquiry_received: روز دریافت استعلام را بدهید",
    "{value} is before the enquiry was received ({received})": "{value} پیش از دریافت استعلام "
    "({received}) است",
    "no agency {value} in the store": "دستگاه {value} ثبت نشده است",
    "no event {value} in the store": "همایش {value} ثبت نشده است",
    "project {code} is at stage {now}: a move back needs a reason; make it on the pipeline "
    "board (exportplan invest move)": "طرح {code} در مرحله «{now}» است: بازگشت دلیل می‌خواهد؛ "
    "آن را در تابلوی خط لوله انجام دهید (exportplan invest move)",
    "an enquiry without an investor cannot be a project at stage {stage}: name the "
    "investor": "استعلام بدون سرمایه‌گذار نمی‌تواند طرحی در مرحله «{stage}» باشد: سرمایه‌گذار را "
    "نام ببرید",
    "cannot enter stage {stage}: missing {fields}; fill them in, or import legacy projects "
    "with --allow-waivers (recorded as data debt)": "ورود به مرحله «{stage}» ممکن نیست؛ "
    "کمبودها: {fields}؛ آن‌ها را کامل کنید یا طرح‌های قدیمی را با --allow-waivers وارد کنید "
    "(به‌عنوان بدهی داده ثبت می‌شود)",
    "a project id is needed": "شناسه طرح لازم است",
    "the day the stage was entered is needed": "روز ورود به مرحله لازم است",
    "the same project, stage and day as row {first}": "همان طرح، مرحله و روزِ ردیف {first}",
    "no project {value} in the store (import it first with exportplan invest import)": "طرح "
    "{value} ثبت نشده است (نخست با exportplan invest import واردش کنید)",
    "{value} is before the project was created ({created})": "{value} پیش از ایجاد طرح "
    "({created}) است",
    "project {code} is at stage {now}, but its log would end at {value}": "طرح {code} در مرحله "
    "«{now}» است، اما سابقه‌اش به «{value}» ختم می‌شود",
    "the log goes from {prev} to {value} on {day}: a move back needs a reason (make it on the "
    "pipeline board)": "سابقه در {day} از «{prev}» به «{value}» برمی‌گردد: بازگشت دلیل می‌خواهد "
    "(در تابلوی خط لوله انجام دهید)",
}


def field_label(name: str, lang: str) -> str:
    """A gate field, a stage or a status in ``lang`` (English: the code's words)."""
    return FA.get(name, name) if lang == "fa" else name.replace("_", " ")


def _value(v: Any, lang: str) -> str:
    if isinstance(v, list | tuple):
        return ("، " if lang == "fa" else ", ").join(field_label(str(x), lang) for x in v)
    text = str(v)
    if lang == "fa":
        return field_label(text, lang) if text in FA else to_persian_digits(text)
    return text


def gate_text(project: str, stage: str, missing: list[str], lang: str) -> str:
    """A refused stage move with its missing fields, in ``lang``."""
    template = "project {project} cannot enter stage {stage}: missing {fields}"
    if lang == "fa":
        template = FA[template]
    return template.format(
        project=project, stage=field_label(stage, lang), fields=_value(missing, lang)
    )


def follow_up_text(template: str, values: dict[str, Any], lang: str) -> str:
    """A follow-up form's refusal of one field in ``lang`` (what the user wrote as written)."""
    if lang != "fa" or template not in FA_FOLLOW_UP:
        return template.format(**{k: _en(v) for k, v in values.items()})
    shown = {k: _value(v, lang) for k, v in values.items()}
    if "value" in values and isinstance(values["value"], str):
        shown["value"] = values["value"]
    return FA_FOLLOW_UP[template].format(**shown)


def _en(v: Any) -> str:
    return ", ".join(str(x) for x in v) if isinstance(v, list | tuple) else str(v)


def reason_text(reject: dict[str, Any], lang: str) -> str:
    """A rejected row's reason in ``lang`` (its English template filled, or the Persian)."""
    template = str(reject.get("template") or reject["reason"])
    values = dict(reject.get("values") or {})
    if lang != "fa" or template not in FA_REASONS:
        return str(reject["reason"])
    if "value" in values:  # what the user wrote stays as written
        values = {**{k: _value(v, lang) for k, v in values.items()}, "value": values["value"]}
    else:
        values = {k: _value(v, lang) for k, v in values.items()}
    return FA_REASONS[template].format(**values)
