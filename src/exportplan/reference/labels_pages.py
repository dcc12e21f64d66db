"""Persian labels of the dashboard's pickers and council figures, and of the pages' words for
assistive technology (skip link, chart alternatives, form labels), merged into the one
dictionary by :mod:`exportplan.i18n` (issue 15: the dashboard, accessibility)."""

from __future__ import annotations

#: Persian by English text (see :data:`exportplan.i18n.FA`)
FA: dict[str, str] = {
    # accessibility
    "Skip to the content": "رفتن به محتوا",
    "Pages": "صفحه‌ها",
    "its figures are in the table": "ارقام آن در این جدول است:",
    "KPI values by month": "مقادیر شاخص‌ها به تفکیک ماه",
    "KPI": "شاخص",
    # the dashboard's pickers
    "Year": "سال",
    "Through month": "تا پایان ماه",
    "definition must be one of {choices}; got {value}": "تعریف باید یکی از {choices} باشد؛ {value} داده شد",
    "choose the definition on the page": "تعریف را در همین صفحه انتخاب کنید",
    # the dashboard's answers to the council
    "calibrated on the back-test": "واسنجی‌شده با آزمون گذشته‌نگر",
    "never added": "هرگز جمع زده نمی‌شود",
    "oldest deadline": "قدیمی‌ترین مهلت",
    "month": "ماه",
    "Sub-targets behind their path": "زیرهدف‌های عقب از مسیر",
    "path to date": "مسیر تا امروز",
    "behind by": "فاصله از مسیر",
}
