"""The industrial zones' Persian words (issue 18): page labels, plot states and the wording of
the zones' refusals; :mod:`exportplan.i18n` merges them into its one dictionary."""

from __future__ import annotations

#: Page and report labels, by their English text
FA: dict[str, str] = {
    "Zones": "شهرک‌ها",
    "Industrial zones": "شهرک‌های صنعتی",
    "Zone": "شهرک",
    "Plot": "قطعه",
    "Plots": "قطعه‌ها",
    "plot": "قطعه",
    "area m²": "مساحت (متر مربع)",
    "use": "کاربری",
    "block": "بلوک",
    "status": "وضعیت",
    "since": "از تاریخ",
    "applicant": "متقاضی",
    "trade card": "کارت بازرگانی",
    "submitted": "تاریخ درخواست",
    "decided": "تاریخ تصمیم",
    "decision": "تصمیم",
    "contract signed": "تاریخ قرارداد",
    "construction deadline": "مهلت شروع ساخت",
    "days": "روز",
    "month": "ماه",
    "waiting": "در انتظار",
    "decisions": "تصمیم‌ها",
    # the plot's states
    "vacant": "واگذار نشده",
    "reserved": "رزرو",
    "allotted": "واگذار شده",
    "contracted": "قرارداد بسته شده",
    "under_construction": "در حال ساخت",
    "operating": "در حال بهره‌برداری",
    "idle": "راکد",
    "notice": "اخطار",
    "reclaim_pending": "در انتظار خلع ید",
    "reclaimed": "خلع ید شده",
    # decisions and applications
    "allot": "واگذاری",
    "reject": "رد",
    "waitlist": "فهرست انتظار",
    "rejected": "ردشده",
    "waitlisted": "در فهرست انتظار",
    "in_scrutiny": "در حال بررسی",
    # pages and the report
    "7th Development Plan art. 48(kh)(1) by-law on idle contracts": "آیین‌نامه بند خ-۱ ماده ۴۸ "
    "قانون برنامه هفتم درباره قراردادهای راکد",
    "90th percentile of days to decision": "صدک ۹۰ روزهای تا تصمیم",
    "Applications": "درخواست‌ها",
    "Application": "درخواست",
    "application": "درخواست",
    "Applications waiting and decisions by month": "درخواست‌های در انتظار و تصمیم‌ها به تفکیک ماه",
    "Backlog by month": "درخواست‌های در انتظار به تفکیک ماه",
    "Contract": "قرارداد",
    "Deadlines in the next 90 days": "مهلت‌های ۹۰ روز آینده",
    "Decide": "ثبت تصمیم",
    "Decision": "تصمیم",
    "Exports of the firm in the last 12 months (USD)": "صادرات واحد در ۱۲ ماه گذشته (دلار)",
    "Idle plots and the next legal step": "قطعه‌های راکد و گام قانونی بعدی",
    "Idle-plot worklist": "فهرست کار قطعه‌های راکد",
    "Inspections": "بازدیدها",
    "Milestones": "مراحل",
    "Monthly zone report": "گزارش ماهانه شهرک",
    "No plot has been surveyed yet: no map.": "هنوز هیچ قطعه‌ای نقشه‌برداری نشده است: نقشه‌ای نیست.",
    "Notices": "اخطارها",
    "Pace figures are defined in docs/zones.md; exports are matched to firms by name.": "تعریف "
    "شاخص‌های سرعت در docs/zones.md آمده است؛ صادرات با نام واحد تطبیق داده می‌شود.",
    "Plots by status": "قطعه‌ها به تفکیک وضعیت",
    "Plots that fit": "قطعه‌های مناسب",
    "Scrutiny checklist": "فهرست بررسی",
    "Status history": "سابقه وضعیت",
    "applications waiting": "درخواست‌های در انتظار",
    "by": "توسط",
    "day": "روز",
    "days late": "روز تأخیر",
    "difference from the area asked for": "اختلاف با مساحت درخواستی",
    "due": "مهلت",
    "every service ready": "همه خدمات آماده",
    "exports per hectare (USD)": "صادرات هر هکتار (دلار)",
    "finding": "یافته",
    "from": "از",
    "to": "تا",
    "reason": "دلیل",
    "geometry": "هندسه",
    "idle plots": "قطعه‌های راکد",
    "issued": "تاریخ صدور",
    "last notice": "آخرین اخطار",
    "legal basis": "مبنای قانونی",
    "median days to contract": "میانه روزهای تا قرارداد",
    "median days to decision": "میانه روزهای تا تصمیم",
    "milestone": "مرحله",
    "next step": "گام بعدی",
    "open": "باز",
    "passed": "تأیید",
    "failed": "ناموفق",
    "share in the zone's specialisation": "سهم در تخصص شهرک",
    "share of area allotted": "سهم مساحت واگذار شده",
    "vacant area with every service": "سهم مساحت خالی با همه خدمات",
    "ha": "هکتار",
    "as of": "تا تاریخ",
    "overdue": "معوق",
    "kind": "نوع",
    "code": "کد",
    "deadline": "مهلت",
    # codes shown as words (zone kinds, milestones, notices, next steps, deadlines)
    "state_estate": "شهرک صنعتی دولتی",
    "industrial_area": "ناحیه صنعتی",
    "private_town": "شهرک صنعتی خصوصی",
    "specialised": "شهرک تخصصی",
    "free_zone": "منطقه آزاد",
    "building_permit": "پروانه ساخت",
    "construction_start": "آغاز ساخت",
    "completion_certificate": "پایان کار",
    "operation_licence": "پروانه بهره‌برداری",
    "first_production": "آغاز تولید",
    "first_export": "نخستین صادرات",
    "completion": "پایان ساخت",
    "operation": "بهره‌برداری",
    "warning": "اخطار کتبی",
    "show_cause": "اخطار توضیح",
    "extension": "تمدید",
    "termination": "فسخ",
    "reclaim_order": "حکم خلع ید",
    "extension or reclaim_order": "تمدید یا حکم خلع ید (کمیته)",
    "check construction start": "بررسی شروع ساخت",
    # the scrutiny checklist
    "permit_valid": "جواز تأسیس معتبر",
    "sector_fits_zone": "تناسب فعالیت با شهرک",
    "environmental_ok": "تأیید زیست‌محیطی",
    "area_justified": "تناسب مساحت درخواستی",
    "documents_complete": "کامل بودن مدارک",
    "financial_capacity_ok": "توان مالی",
    # the plot's and the application's forms, the idle_suspect flag, land and exports by year
    "Reserve a plot": "رزرو قطعه",
    "Reserve": "رزرو",
    "reserved until": "رزرو تا",
    "until": "تا تاریخ",
    "on": "تاریخ",
    "Record an inspection": "ثبت بازدید",
    "Record": "ثبت",
    "Issue a notice, an extension or a reclaim": "صدور اخطار، تمدید یا خلع ید",
    "Issue": "صدور",
    "new deadline (extension) or deadline": "مهلت (یا مهلت جدید برای تمدید)",
    "electricity use in the last 12 months (kWh)": "مصرف برق ۱۲ ماه گذشته (کیلووات‌ساعت)",
    "Solar Hijri day, such as 1404/09/30": "روز به تاریخ خورشیدی، مانند ۱۴۰۴/۰۹/۳۰",
    "no_activity": "بدون فعالیت",
    "construction_in_progress": "در حال ساخت",
    "operating_below_capacity": "بهره‌برداری کمتر از ظرفیت",
    "other_use": "کاربری دیگر",
    "inspection": "بازدید",
    "Operating plots with no evidence of activity (idle_suspect)": "قطعه‌های در حال بهره‌برداری "
    "بی نشانه فعالیت (مشکوک به رکود)",
    "exports looked for in": "دوره جست‌وجوی صادرات",
    "last inspection": "آخرین بازدید",
    "Land and exports by year": "زمین و صادرات به تفکیک سال",
    "year": "سال",
    "area allotted (ha)": "مساحت واگذار شده (هکتار)",
    "area operating (ha)": "مساحت در حال بهره‌برداری (هکتار)",
    "firms on the zone's plots": "واحدهای مستقر در قطعه‌ها",
    "firms with exports": "واحدهای صادرکننده",
    "exports (USD)": "صادرات (دلار)",
    "exports per operating hectare (USD)": "صادرات هر هکتار در حال بهره‌برداری (دلار)",
    "Nothing was saved.": "چیزی ذخیره نشد.",
    "m²": "متر مربع",
}

#: The zones' codes in English words on the pages (``under_construction``: under construction)
EN: dict[str, str] = {
    k: k.replace("_", " ")
    for k in (
        "under_construction",
        "reclaim_pending",
        "in_scrutiny",
        "state_estate",
        "industrial_area",
        "private_town",
        "free_zone",
        "show_cause",
        "reclaim_order",
        "extension or reclaim_order",
        "building_permit",
        "construction_start",
        "completion_certificate",
        "operation_licence",
        "first_production",
        "first_export",
        "no_activity",
        "construction_in_progress",
        "operating_below_capacity",
        "other_use",
    )
}

#: The zones' refusals in Persian, by their English template (``errors.ZoneRuleError``)
FA_ERRORS: dict[str, str] = {
    "application {ref} is {status} already": "درخواست {ref} پیش‌تر {status} شده است",
    "application {ref} is {status}: only an allotted one gets a contract": "درخواست {ref} "
    "{status} است: فقط درخواست واگذار شده قرارداد می‌گیرد",
    "application {ref}: an allotment needs a plot": "درخواست {ref}: واگذاری بدون قطعه ممکن نیست",
    "application {ref}: contract signed on {day}, before the decision ({dec})": "درخواست {ref}: "
    "قرارداد در {day} امضا شده، پیش از تصمیم ({dec})",
    "application {ref}: decided on {day}, before it was submitted ({sub})": "درخواست {ref}: "
    "تصمیم در {day}، پیش از ثبت درخواست ({sub})",
    "application {ref}: decision must be one of {kinds}; got {value!r}": "درخواست {ref}: تصمیم "
    "باید یکی از {kinds} باشد؛ {value!r} داده شد",
    "application {ref}: the applicant is blank": "درخواست {ref}: نام متقاضی خالی است",
    "application {ref}: the scrutiny item(s) {items} failed; it cannot be allotted": "درخواست "
    "{ref}: بند(های) بررسی {items} رد شد؛ واگذاری ممکن نیست",
    "application {ref}: {field} {day} is before the contract ({signed})": "درخواست {ref}: "
    "{field} در {day} پیش از قرارداد ({signed}) است",
    "milestone must be one of {kinds}; got {value!r}": "مرحله باید یکی از {kinds} باشد؛ "
    "{value!r} داده شد",
    "no agency with code {value!r}": "دستگاهی با کد {value!r} نیست",
    "no scrutiny item {value!r}": "بند بررسی {value!r} وجود ندارد",
    "notice must be one of {kinds}; got {value!r}": "اخطار باید یکی از {kinds} باشد؛ {value!r} "
    "داده شد",
    "plot status must be one of {states}; got {value!r}": "وضعیت قطعه باید یکی از {states} "
    "باشد؛ {value!r} داده شد",
    "plot {code} cannot go from {current} to {new}": "قطعه {code} نمی‌تواند از {current} به "
    "{new} برود",
    "plot {code}: use must be one of {uses}; got {value!r}": "قطعه {code}: کاربری باید یکی از "
    "{uses} باشد؛ {value!r} داده شد",
    "plot {code}: {new} on {day} is before its last change ({current} since {since})": "قطعه "
    "{code}: {new} در {day} پیش از آخرین تغییر آن است ({current} از {since})",
    "plot {plot} has had {count} extensions already; another needs an administrator and a "
    "written reason": "قطعه {plot} تاکنون {count} بار تمدید شده است؛ تمدید دیگر به مدیر و دلیل "
    "مکتوب نیاز دارد",
    "plot {plot} is {status} to {holder} since {since}": "قطعه {plot} از {since} در اختیار "
    "{holder} است ({status})",
    "plot {plot} is held by {holder} ({status} since {since})": "قطعه {plot} در اختیار "
    "{holder} است ({status} از {since})",
    "the {kind}'s deadline {day} is before it was issued ({issued})": "مهلت {kind} ({day}) پیش "
    "از تاریخ صدور آن ({issued}) است",
    "zone kind must be one of {kinds}; got {value!r}": "نوع شهرک باید یکی از {kinds} باشد؛ "
    "{value!r} داده شد",
    "zone {code} exists already": "شهرک {code} پیش‌تر ثبت شده است",
    "zone {code} needs a Persian and an English name": "شهرک {code} به نام فارسی و انگلیسی "
    "نیاز دارد",
    "zone {zone} has a plot {code} already": "شهرک {zone} پیش‌تر قطعه {code} دارد",
    "zone {zone} has an application {ref} already": "شهرک {zone} پیش‌تر درخواست {ref} دارد",
    "{field} {value!r} must be 1-40 characters without spaces": "{field} {value!r} باید ۱ تا ۴۰ "
    "نویسه و بدون فاصله باشد",
    "{field}: {value!r} is not a day (give year/month/day)": "{field}: {value!r} یک روز نیست "
    "(سال/ماه/روز بدهید)",
    "{field}: {value!r} is not a day ({why})": "{field}: {value!r} یک روز نیست ({why})",
    "{field}: {value!r} is not a number of square metres": "{field}: {value!r} عدد متر مربع نیست",
    "{field}: {value!r} must be a positive area up to 1e9 m²": "{field}: {value!r} باید مساحتی "
    "مثبت تا ۱e9 متر مربع باشد",
    "{kind} on {day} is before the contract ({signed})": "{kind} در {day} پیش از قرارداد "
    "({signed}) است",
    "{file}: {count} row(s) refused; nothing was imported": "{file}: {count} سطر رد شد؛ هیچ "
    "چیز وارد نشد",
    "zone {zone}: the boundary is refused: {problem}": "شهرک {zone}: مرز آن پذیرفته نیست: "
    "{problem}",
    "{field}: {value!r} is not a day: there is no month {month}": "{field}: {value!r} یک روز "
    "نیست: ماه {month} وجود ندارد",
    "{field}: {value!r} is not a day: month {month} of {year} has {days} days": "{field}: "
    "{value!r} یک روز نیست: ماه {month} سال {year} {days} روز دارد",
    "plot {plot}: the reservation ends on {day}, before it starts ({start})": "قطعه {plot}: "
    "رزرو در {day} پایان می‌یابد، پیش از آغاز آن ({start})",
    "application {ref}: reserved on {day}, before it was submitted ({sub})": "درخواست {ref}: "
    "رزرو در {day}، پیش از ثبت درخواست ({sub})",
    "plot {plot} is reserved for {holder} until {until}": "قطعه {plot} تا {until} برای "
    "{holder} رزرو است",
    "plot {plot}: the finding must be one of {kinds}; got {value!r}": "قطعه {plot}: یافته باید "
    "یکی از {kinds} باشد؛ {value!r} داده شد",
    "plot {plot}: electricity use must be between 0 and 1e12 kWh; got {value}": "قطعه {plot}: "
    "مصرف برق باید بین ۰ و ۱e12 کیلووات‌ساعت باشد؛ {value} داده شد",
    "plot {plot} has no contract in force; a notice needs one": "قطعه {plot} قرارداد جاری "
    "ندارد؛ اخطار بدون قرارداد ممکن نیست",
    "plot {plot}: the {kind} on {day} is before the contract ({signed})": "قطعه {plot}: {kind} "
    "در {day} پیش از قرارداد ({signed}) است",
    "an extension needs its new deadline": "تمدید به مهلت جدید نیاز دارد",
    "{field}: {value!r} is not a number": "{field}: {value!r} عدد نیست",
    # hints
    "choose another plot, or wait until the reservation ends": "قطعه دیگری برگزینید یا تا پایان "
    "رزرو صبر کنید",
    "choose a vacant plot (the application page lists those that fit)": "یک قطعه واگذار نشده "
    "برگزینید (صفحه درخواست قطعه‌های مناسب را نشان می‌دهد)",
    "correct the rows listed and import the whole file again": "سطرهای فهرست‌شده را اصلاح و "
    "کل فایل را دوباره وارد کنید",
    "the plot's allowed next states are in docs/zones.md": "وضعیت‌های مجاز بعدی قطعه در "
    "docs/zones.md آمده است",
    "choose a vacant or reserved plot (the application page lists those that fit)": "یک قطعه "
    "واگذار نشده یا رزرو را برگزینید (صفحه درخواست قطعه‌های مناسب را نشان می‌دهد)",
}
