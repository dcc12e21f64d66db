"""The program pages' Persian words (merged into the one label dictionary, ``exportplan.i18n``)
and the Persian wording of the program's rules as the forms meet them: each an English
message's pattern (as the services raise it) with its Persian form, the pattern's parts filled
in with Persian digits."""

from __future__ import annotations

__all__ = ["FA_RULES", "PROGRAM_FA", "WORDS"]

#: Persian labels of the program's forms, its audit page and its workbook preview
PROGRAM_FA: dict[str, str] = {
    "Add a priority by hand": "افزودن اولویت به‌صورت دستی",
    "Add an action": "افزودن اقدام",
    "Add an agency": "افزودن دستگاه",
    "Add or change a sub-target": "افزودن یا تغییر زیرهدف",
    "Add to the program": "افزودن به برنامه",
    "Agencies and their heads": "دستگاه‌ها و رئیسان آن‌ها",
    "Audit log": "گزارش تغییرات",
    "Changes": "تغییرات",
    "Close": "بستن",
    "Close the action as": "بستن اقدام با وضعیت",
    "Create": "ایجاد",
    "Create the year's program": "ایجاد برنامه سال",
    "Define a KPI": "تعریف شاخص",
    "Download the program workbook": "دریافت کاربرگ برنامه",
    "Edit the action": "ویرایش اقدام",
    "Edit the program": "ویرایش برنامه",
    "Edited workbook": "کاربرگ ویرایش‌شده",
    "Handover dossier for that day": "پرونده تحویل برای همان روز",
    "Import the program workbook": "ورود کاربرگ برنامه",
    "Import these changes": "ثبت این تغییرات",
    "My KPIs": "شاخص‌های من",
    "My actions": "اقدامات من",
    "My agency's work": "کار دستگاه من",
    "Notes": "یادداشت‌ها",
    "Nothing can be imported: fix the rows below and upload the workbook again.": "چیزی وارد "
    "نمی‌شود: ردیف‌های زیر را درست کنید و کاربرگ را دوباره بارگذاری کنید.",
    "Or choose one on the opportunities page: each market there has a button to add it to the "
    "program.": "یا در صفحه فرصت‌ها یکی را برگزینید: هر بازار آن‌جا دکمه‌ای برای افزودن به برنامه "
    "دارد.",
    "Path: each month's share of the year in {years} (the seasonal profile of earlier complete "
    "years); a node is behind when its exports to date are below its path to the end of month "
    "{month}.": "مسیر: سهم هر ماه از سال در {years} (الگوی فصلی سال‌های کامل پیشین)؛ هدفی عقب است "
    "که صادراتش تاکنون کمتر از مسیرش تا پایان ماه {month} باشد.",
    "Path: an even twelfth a month (no earlier complete year in the data); a node is behind "
    "when its exports to date are below its path to the end of month {month}.": "مسیر: هر ماه "
    "یک‌دوازدهم (سال کامل پیشینی در داده‌ها نیست)؛ هدفی عقب است که صادراتش تاکنون کمتر از مسیرش "
    "تا پایان ماه {month} باشد.",
    "Preview": "پیش‌نمایش",
    "no month of the year has data yet.": "هنوز هیچ ماهی از سال داده ندارد.",
    "Problems": "ایرادها",
    "Record": "ثبت",
    "Record a change of head": "ثبت تغییر رئیس",
    "Saved now": "آنچه اکنون ذخیره است",
    "Solar Hijri day, such as 1405/01/15": "روز هجری شمسی، مانند ۱۴۰۵/۰۱/۱۵",
    "The new head is recorded.": "رئیس تازه ثبت شد.",
    "The outgoing head's term ends the day before the new one starts; the agency keeps its "
    "targets, actions and KPIs.": "دوره رئیس پیشین یک روز پیش از آغاز رئیس تازه پایان می‌یابد؛ "
    "هدف‌ها، اقدامات و شاخص‌ها از آنِ دستگاه می‌مانند.",
    "The program as a workbook": "برنامه در قالب کاربرگ",
    "The program changed since your preview; this is the preview again, of the program as it "
    "is now.": "برنامه پس از پیش‌نمایش شما تغییر کرده است؛ این پیش‌نمایشِ دوباره برنامه در حال "
    "حاضر است.",
    "The workbook was imported.": "کاربرگ وارد شد.",
    "Unallocated under each target": "تخصیص‌نیافته زیر هر هدف",
    "a day, Solar Hijri or ISO": "یک روز، هجری شمسی یا ISO",
    "a month or a quarter of the year, such as 1405-05 or 1405-Q2": "یک ماه یا فصل سال، مانند "
    "۱۴۰۵-۰۵ یا 1405-Q2",
    "an existing code changes that target": "کدی که هست همان هدف را تغییر می‌دهد",
    "codes or a product's name, separated by spaces": "کدها یا نام کالا، جداشده با فاصله",
    "column": "ستون",
    "countries by code or name, separated by commas": "کشورها با کد یا نام، جداشده با ویرگول",
    "description": "شرح",
    "edit it, upload it: every change and every problem is shown before anything is written": (
        "ویرایشش کنید و بارگذاری کنید: هر تغییر و هر ایراد پیش از ثبت هر چیزی نشان داده می‌شود"
    ),
    "entered by hand": "ورود دستی",
    "every agency": "همه دستگاه‌ها",
    "everyone": "همه",
    "everything": "همه چیز",
    "evidence": "مستندات",
    "fields": "فیلدها",
    "from": "از",
    "to": "تا",
    "from the data: exports of HS codes to markets": "از داده‌ها: صادرات کدهای HS به بازارها",
    "head": "رئیس",
    "month": "ماه",
    "name (English)": "نام (انگلیسی)",
    "name (Persian)": "نام (فارسی)",
    "new head (English)": "رئیس تازه (انگلیسی)",
    "new head (Persian)": "رئیس تازه (فارسی)",
    "problem": "ایراد",
    "row": "ردیف",
    "sheet": "برگه",
    "since": "از تاریخ",
    "the form shows the values saved now": "فرم مقادیر ذخیره‌شده کنونی را نشان می‌دهد",
    "unchanged": "بدون تغییر",
    "under": "زیرِ",
    "parent": "زیرِ",
    "you typed": "آنچه نوشتید",
    "when": "زمان",
    "who": "کاربر",
    "what": "مورد",
    "Action": "اقدام",
    "achieved to date": "تحقق‌یافته تاکنون",
    "needed per remaining month": "نیاز هر ماه باقی‌مانده",
    "behind its path": "عقب از مسیر",
    "an agency's share of its parent's exports is not in the data": "سهم یک دستگاه از صادرات "
    "هدف بالادستی در داده‌ها نیست",
    "it names no priority or period: no slice of the data to measure": "نه اولویتی را نام "
    "می‌برد نه دوره‌ای: بخشی از داده‌ها برای سنجش ندارد",
    # the audit log's words
    "create": "ایجاد",
    "update": "تغییر",
    "delete": "حذف",
    "refresh": "به‌روزرسانی",
    "program": "برنامه",
    "action": "اقدام",
    "kpi": "شاخص",
    "measurement": "مقدار شاخص",
    "term": "دوره مسئولیت",
    "kpi-refresh": "به‌روزرسانی شاخص‌ها از داده",
    "status": "وضعیت",
    "progress": "پیشرفت",
    "version": "نسخه",
    # agency kinds
    "governorate": "استانداری",
    "industry-mine-trade": "صنعت، معدن و تجارت",
    "free-zone": "منطقه آزاد",
    "chamber-of-commerce": "اتاق بازرگانی",
    "industrial-parks": "شهرک‌های صنعتی",
    "agriculture": "جهاد کشاورزی",
    "trade-promotion": "توسعه تجارت",
    "other": "دیگر",
}

#: Words a rule's message carries that the Persian wording names in Persian
WORDS: dict[str, str] = {
    "start": "شروع",
    "deadline": "مهلت",
    "date": "تاریخ",
    "since": "از تاریخ",
    "until": "تا تاریخ",
    "head_since": "آغاز رئیس",
    "period": "دوره",
    "customs": "گمرکی",
    "origin": "تولید استان",
    "priority": "اولویت",
    "action": "اقدام",
    "KPI": "شاخص",
    "target": "هدف",
    "agency": "دستگاه",
    "markets": "بازارها",
    "partners": "بازارها",
    "value": "مقدار",
    "value_usd": "مبلغ",
    "target_usd": "هدف",
    "sh_year": "سال",
    "target_value": "هدف",
    "progress": "پیشرفت",
}

_Q = r"'(?P<{}>[^']*)'"
_N = r"(?P<{}>[\d,]+)"

#: The program's rules in Persian: (the English message's pattern, its Persian wording); the
#: first pattern that matches the whole message is used (``views/program_forms.rule_text``)
FA_RULES: list[tuple[str, str]] = [
    (
        r"target (?P<code>\S+) \(USD " + _N.format("value") + r"\) would take the targets under "
        r"(?P<parent>\S+) to USD "
        + _N.format("sum")
        + r", above \S+'s USD "
        + _N.format("cap")
        + r" \(unallocated: USD "
        + _N.format("free")
        + r"\)",
        "هدف {code} ({value} دلار) جمع هدف‌های زیر {parent} را به {sum} دلار می‌رساند، بیش از "
        "{cap} دلارِ {parent} (تخصیص‌نیافته: {free} دلار)",
    ),
    (
        r"target (?P<code>\S+) cannot go below what its own children add up to \(USD "
        + _N.format("kids")
        + r"\)",
        "هدف {code} نمی‌تواند کمتر از جمع زیرهدف‌هایش ({kids} دلار) باشد",
    ),
    (
        r"the program's target cannot go below what is allocated under it \(USD "
        + _N.format("a")
        + r"\)",
        "هدف برنامه نمی‌تواند کمتر از آنچه زیر آن تخصیص یافته ({a} دلار) باشد",
    ),
    (
        r"(?P<what>\w+): " + _Q.format("text") + r" does not exist in the Solar Hijri calendar: "
        r"month (?P<m>\d+) of (?P<y>\d+) has (?P<n>\d+) days.*",
        "{what}: «{text}» در تقویم هجری شمسی وجود ندارد: ماه {m} سال {y} {n} روز دارد",
    ),
    (
        r"(?P<what>\w+): " + _Q.format("text") + r": month (?P<m>\d+) does not exist",
        "{what}: «{text}»: ماه {m} وجود ندارد",
    ),
    (
        r"(?P<what>\w+): " + _Q.format("text") + r" is not a date or month .*",
        "{what}: «{text}» تاریخ یا ماه نیست (مانند ۱۴۰۲/۱۲/۲۹ یا ۱۴۰۲/۱۲)",
    ),
    (
        r"(?P<what>\w+): " + _Q.format("text") + r" is not a day .*",
        "{what}: «{text}» یک روز نیست (سال/ماه/روز بدهید)",
    ),
    (
        r"the deadline (?P<d1>\S+)( \([\d-]+\))? is before the start (?P<d0>\S+)( \([\d-]+\))?",
        "مهلت {d1} پیش از شروع {d0} است",
    ),
    (r"an action needs a title", "اقدام عنوان لازم دارد"),
    (
        r"(?P<what>priority|action|KPI) " + _Q.format("code") + r" exists already in program \d+",
        "{what} «{code}» در این برنامه از پیش هست",
    ),
    (
        r"(?P<what>priority|action|KPI|target|agency) code "
        + _Q.format("code")
        + r" must be 1-40 characters without spaces",
        "کد {what} «{code}» باید ۱ تا ۴۰ نویسه و بی‌فاصله باشد",
    ),
    (
        r"(?P<what>markets|partners): unknown country "
        + _Q.format("c")
        + r"; did you mean (?P<s>.+)\?",
        "{what}: کشور ناشناخته «{c}»؛ منظورتان {s} است؟",
    ),
    (
        r"(?P<what>markets|partners): unknown country " + _Q.format("c"),
        "{what}: کشور ناشناخته «{c}»",
    ),
    (
        r"(?P<what>markets|partners): at least one market is needed",
        "{what}: دست‌کم یک بازار لازم است",
    ),
    (r"(KPI )?HS codes: at least one HS code is needed", "کدهای HS: دست‌کم یک کد لازم است"),
    (
        r"(KPI )?HS codes: " + _Q.format("c") + r" is not an HS code \(digits only\)",
        "کدهای HS: «{c}» کد HS نیست (فقط رقم)",
    ),
    (r"(KPI )?HS codes: HS chapter (?P<c>\d+) does not exist", "کدهای HS: فصل {c} در HS نیست"),
    (r"HS codes: no product is named " + _Q.format("n"), "کدهای HS: کالایی به نام «{n}» نیست"),
    (
        r"HS codes: " + _Q.format("n") + r" names (?P<k>\d+) products: (?P<l>.+); give the code",
        "کدهای HS: «{n}» نام {k} کالاست: {l}؛ کد را بنویسید",
    ),
    (
        r"HS (?P<h>\S+) to (?P<m>\S+) is priority (?P<c>\S+) already",
        "HS {h} به {m} از پیش اولویت {c} است",
    ),
    (
        r"the program's target must be a positive amount in USD",
        "هدف برنامه باید مبلغی مثبت به دلار باشد",
    ),
    (
        r"(?P<r>.+) has a (?P<d>customs|origin) program for (?P<y>\d+) already \(program \d+\)",
        "{r} برای سال {y} از پیش برنامه‌ای با تعریف {d} دارد",
    ),
    (
        r"(?P<y>\S+) is not a Solar Hijri year \(for example 1405\)",
        "{y} سال هجری شمسی نیست (مثلاً ۱۴۰۵)",
    ),
    (r"agency " + _Q.format("c") + r" exists already", "دستگاه «{c}» از پیش هست"),
    (r"an agency needs an English name", "دستگاه نام انگلیسی لازم دارد"),
    (
        r"the current head of (?P<a>\S+) started on (?P<d>\S+); a new head must start after that "
        r"\(got (?P<g>\S+)\)",
        "رئیس کنونی {a} از {d} آغاز کرده است؛ رئیس تازه باید پس از آن آغاز کند (داده‌شده: {g})",
    ),
    (r"the new head needs a name", "رئیس تازه نام لازم دارد"),
    (r"a KPI needs a name", "شاخص نام لازم دارد"),
    (r"a KPI from data counts exports in USD", "شاخص برگرفته از داده صادرات را به دلار می‌شمارد"),
    (
        r"progress is a percentage from 0 to 100; got (?P<p>\S+)",
        "پیشرفت درصدی از ۰ تا ۱۰۰ است؛ داده‌شده: {p}",
    ),
    (r"progress is a whole percentage; got (?P<p>.+)", "پیشرفت درصدی صحیح است؛ داده‌شده: {p}"),
    (
        r"KPI (?P<k>\S+) (?P<p>\S+) has changed since you read it \(your version (?P<v>\d+), now "
        r"(?P<n>\d+).*\); nothing was saved",
        "مقدار شاخص {k} برای {p} پس از آن‌که آن را خواندید تغییر کرده است (نسخه شما {v}، اکنون "
        "{n})؛ چیزی ذخیره نشد",
    ),
    (  # p16a: an action by its code, in Persian words
        r"action (?P<c>\S+) has changed since you read it \(your version (?P<v>\d+), now "
        r"(?P<n>\d+)\); nothing was saved",
        "اقدام {c} پس از آن‌که آن را خواندید تغییر کرده است (نسخه شما {v}، اکنون {n})؛ چیزی "
        "ذخیره نشد",
    ),
    (
        r"(?P<what>.+) has changed since you read it \(your version (?P<v>\d+), now (?P<n>\d+)\); "
        r"nothing was saved",
        "{what} پس از آن‌که آن را خواندید تغییر کرده است (نسخه شما {v}، اکنون {n})؛ چیزی ذخیره نشد",
    ),
    (
        r"(?P<what>.+) was changed by someone else while you were editing it; nothing was saved",
        "{what} هم‌زمان با ویرایش شما به دست دیگری تغییر کرد؛ چیزی ذخیره نشد",
    ),
    (
        r"reload it and apply your change again",
        "دوباره بارگذاری کنید و تغییر خود را دوباره اعمال کنید",
    ),
    (
        r"reload it and enter your value again",
        "دوباره بارگذاری کنید و مقدار خود را دوباره وارد کنید",
    ),
    (r"nothing to change", "چیزی برای تغییر نیست"),
    (r"(?P<f>\w+): a number is needed, such as 4.5", "{f}: عددی لازم است، مانند ۴٫۵"),
    (r"(?P<f>\w+): a finite number up to 1e13 is needed", "{f}: عددی متناهی تا ۱e13 لازم است"),
    (
        r"no agency with code " + _Q.format("c") + r" \(known: (?P<k>.*)\)",
        "دستگاهی با کد «{c}» نیست (موجود: {k})",
    ),
    (r"no target " + _Q.format("c") + r" in program \d+", "هدفی با کد «{c}» در این برنامه نیست"),
    (
        r"target (?P<c>\S+) sits under another parent; it cannot move",
        "هدف {c} زیر هدف دیگری است و جابه‌جا نمی‌شود",
    ),
    (
        r"TOTAL is the program's total: .*",
        "TOTAL کل برنامه است: آن را با «ویرایش برنامه» تغییر دهید",
    ),
    (
        r"a target is a finite amount in USD of at least 0",
        "هدف مبلغی متناهی به دلار و دست‌کم صفر است",
    ),
    (
        r"period " + _Q.format("p") + r" is not in the program's year (?P<y>\d+)",
        "دوره «{p}» در سال برنامه ({y}) نیست",
    ),
    (
        r"period " + _Q.format("p") + r" must be a Solar Hijri month .*",
        "دوره «{p}» باید ماه (۱۴۰۴-۰۵) یا فصل (1404-Q2) هجری شمسی باشد",
    ),
    (
        r"a measurement is for a Solar Hijri month, e.g. 1404-05",
        "مقدار برای یک ماه هجری شمسی است، مانند ۱۴۰۴-۰۵",
    ),
    (
        r"there is no program yet: create the year's program first",
        "هنوز برنامه‌ای نیست: نخست برنامه سال را ایجاد کنید",
    ),
    (
        r"the opportunities for HS (?P<h>\S+) do not include " + _Q.format("m"),
        "فرصت‌های HS {h} بازار «{m}» را در بر ندارد",
    ),
]
