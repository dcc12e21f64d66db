"""The Persian words of claim checking (the page, the verdict sentences, the reasons), merged
into the one label dictionary by :mod:`exportplan.i18n`."""

from __future__ import annotations

FA_CLAIMS: dict[str, str] = {
    "Claims": "ادعاها",
    "Check a text": "بررسی یک متن",
    "Claim register": "دفتر ادعاها",
    "Text": "متن",
    "Publication date": "تاریخ انتشار",
    "Outlet": "رسانه",
    "URL": "نشانی",
    "Check": "بررسی",
    "Check again": "بررسی دوباره",
    "Save to the register": "ثبت در دفتر",
    "Download the register": "بارگیری دفتر",
    "no checkable quantity found in the text": "در این متن هیچ مقدار قابل بررسی یافت نشد",
    "claim": "ادعا",
    "kind": "نوع",
    "measure": "سنجه",
    "quantity": "مقدار",
    "qualifier": "قید",
    "base": "پایه مقایسه",
    "computed": "محاسبه‌شده",
    "verdict": "نتیجه",
    "tolerance": "رواداری",
    "datasets": "مجموعه داده‌ها",
    "query": "پرس‌وجو",
    "definition cue": "نشانه تعریف",
    "checked at": "زمان بررسی",
    "checked by": "بررسی‌کننده",
    "claims": "ادعاها",
    "consistent": "سازگار",
    "inconsistent": "نادرست",
    "no data": "بدون داده",
    "not checkable": "قابل بررسی نیست",
    "level": "مقدار",
    "change": "تغییر",
    "share": "سهم",
    "rank": "رتبه",
    "count": "شمار",
    "forecast": "پیش‌بینی",
    "export value": "ارزش صادرات",
    "export weight": "وزن صادرات",
    "about": "حدود",
    "more_than": "بیش از",
    "less_than": "کمتر از",
    "customs (goods leaving through the province's customs offices)": "صادرات از گمرکات استان",
    "origin (goods made in the province)": "تولیدات استان",
    "same months a year before": "ماه‌های مشابه سال قبل",
    "the month before": "ماه قبل",
    "Every interpretation": "همه تفسیرها",
    "Correct a field": "اصلاح یک فیلد",
    "the program's target": "هدف برنامه",
    "change in level": "تغییر مقدار",
    "calendar year": "سال میلادی",
    "first month": "ماه نخست",
    "last month": "ماه پایانی",
    "Flags": "هشدارها",
    "corrected by hand": "اصلاح‌شده به دست کاربر",
    "definition_cue": "نشانه تعریف",
    "US dollars": "دلار",
    "euros": "یورو",
    "rials": "ریال",
    "tomans": "تومان",
    "tonnes": "تن",
    "kilograms": "کیلوگرم",
    "percent": "درصد",
    "a count": "شمار",
    "a rank": "رتبه",
    "exports": "صادرات",
    "imports": "واردات",
    "transit": "ترانزیت",
    "foreign trade": "تجارت خارجی",
    "a multiple («دو برابر», doubled) read as a change in percent (two times: +100%), within "
    "5% of the multiple": "چند برابر («دو برابر») به صورت تغییر درصدی خوانده شد (دو برابر: "
    "۱۰۰+ درصد)، با رواداری ۵ درصد از آن",
    "«بیلیون» read as 10^9 (the short scale); in the long scale it is 10^12": "«بیلیون» "
    "یک میلیارد (۱۰ به توان ۹) خوانده شد؛ در مقیاس بلند یک هزار میلیارد است",
    "a Gregorian year: read as the Solar Hijri year that starts in it (Iranian releases use "
    "the Solar Hijri year), and also checked over the calendar year (the 12 Solar Hijri months "
    "closest to it)": "سال میلادی: سال خورشیدی‌ای که در آن آغاز می‌شود خوانده شد (گزارش‌های "
    "ایران سال خورشیدی را به کار می‌برند) و با سال میلادی (دوازده ماه خورشیدی نزدیک به آن) نیز "
    "سنجیده شد",
    "a relative period (this year, last year): the publication date is needed": "دوره نسبی "
    "(امسال، سال گذشته): تاریخ انتشار لازم است",
    "this year so far: months 1 to the month before publication, shortened to the data": (
        "امسال تاکنون: از فروردین تا ماه پیش از انتشار، تا آخرین ماه داده‌ها"
    ),
    "the text changed: the corrections made on the earlier text were dropped": "متن تغییر "
    "کرد: اصلاح‌های متن پیشین کنار گذاشته شد",
}

#: Persian wording of the reasons and sentences of a check, by their English template
FA_CLAIM_TEXTS: dict[str, str] = {
    "no data for {year} months {first}-{last}; the data cover {coverage}": "برای ماه‌های "
    "{first} تا {last} سال {year} داده‌ای نیست؛ داده‌ها {coverage} را پوشش می‌دهند",
    "no data for the base, {year} months {first}-{last}; the data cover {coverage}": "برای "
    "پایه مقایسه، ماه‌های {first} تا {last} سال {year}، داده‌ای نیست؛ داده‌ها {coverage} را "
    "پوشش می‌دهند",
    "amounts in {unit} cannot be compared with the USD figures: the workspace has no "
    "exchange-rate table": "مبالغ به {unit} با ارقام دلاری مقایسه‌پذیر نیستند: جدول نرخ ارز در "
    "این فضای کار نیست",
    "the workspace holds exports only, not {subject}": "این فضای کار تنها صادرات را دارد، نه "
    "{subject}",
    "foreign trade is exports and imports together, not exports: the workspace holds exports "
    "only": "تجارت خارجی صادرات و واردات با هم است، نه صادرات: این فضای کار تنها صادرات را دارد",
    "a rank among provinces needs every province's exports; the workspace holds one region's": (
        "رتبه میان استان‌ها به صادرات همه استان‌ها نیاز دارد؛ این فضای کار صادرات یک استان را دارد"
    ),
    "no complete year {base} to measure the target's growth against": "سال کاملی ({base}) "
    "برای سنجش رشد هدف در برابر آن نیست",
    "the text does not say what is counted (countries or exporters)": "متن نمی‌گوید چه چیزی "
    "شمرده شده است (کشورها یا صادرکنندگان)",
    "a level in {unit} is not a value in USD": "مقدار به {unit} ارزش دلاری نیست",
    "the base period has no exports: a change in percent is undefined": "دوره پایه صادراتی "
    "ندارد: تغییر درصدی تعریف نمی‌شود",
    "no exports of the whole region in the period": "استان در این دوره صادراتی ندارد",
    "no target for {year} under the {definition} definition": "برای سال {year} با تعریف "
    "{definition} هدفی تعیین نشده است",
    "a share of the country's or the world's exports needs data the workspace does not hold": (
        "سهم از صادرات کشور یا جهان به داده‌هایی نیاز دارد که در این فضای کار نیست"
    ),
    "a target in {unit} cannot be compared with the program's target in USD": "هدف به {unit} "
    "با هدف دلاری برنامه مقایسه‌پذیر نیست",
    "the program's target is for the whole region, not a slice": "هدف برنامه برای کل استان "
    "است، نه بخشی از آن",
    "a change in level in {unit} is not one in USD or tonnes": "تغییر مقدار به {unit} "
    "تغییری به دلار یا تن نیست",
    "the calendar-year variant is computed for levels and changes over a whole year only": (
        "گونه سال میلادی تنها برای مقدار و تغییرِ یک سال کامل محاسبه می‌شود"
    ),
    "the calendar-year variant needs exports in USD or tonnes": "گونه سال میلادی به صادرات "
    "به دلار یا تن نیاز دارد",
    # verdict sentences
    "The claim holds under {definitions} for {period}": "این ادعا با تعریف {definitions} و "
    "دوره {period} سازگار است",
    "it does not hold under {definitions} ({computed})": "با تعریف {definitions} نادرست است "
    "({computed})",
    "The claim does not hold under {definitions} for {period} ({computed})": "این ادعا با "
    "تعریف {definitions} و دوره {period} نادرست است ({computed})",
    "there are no data for {definitions}": "برای تعریف {definitions} داده‌ای نیست",
    "The claim cannot be checked: {reason}": "این ادعا قابل بررسی نیست: {reason}",
    "The claim cannot be checked under {definitions}: {reason}": "این ادعا با تعریف "
    "{definitions} قابل بررسی نیست: {reason}",
}
