"""The program workbook's sheet and column names for people, in English and Persian (merged
into the one label dictionary, ``exportplan.i18n``).

A sheet of the workbook ``exportplan program export`` writes has two header rows: the
columns' names in the workbook's language, then their machine names (what a program and the
import read). The import reads either row, in either language, and the files written before
the labels existed (one header row of machine names).
"""

from __future__ import annotations

__all__ = [
    "AGENCY_KINDS_TEXT",
    "COLUMNS",
    "FA",
    "FA_ERRORS",
    "PROGRAM_HEADER",
    "PROGRAM_KEYS_EN",
    "SHEETS_EN",
    "agency_kind_text",
]

#: Each sheet's name for people (English; Persian in :data:`FA`)
SHEETS_EN: dict[str, str] = {
    "program": "Program",
    "agencies": "Agencies",
    "priorities": "Priorities",
    "targets": "Targets",
    "actions": "Actions",
    "kpis": "KPIs",
    "measurements": "Measurements",
}

#: The program sheet's columns (field for people, value, machine name of the field)
PROGRAM_HEADER: dict[str, str] = {"field": "Field", "value": "Value", "key": "Machine name"}

#: The program sheet's fields (its rows) for people
PROGRAM_KEYS_EN: dict[str, str] = {
    "region": "Region (English)",
    "region_fa": "Region (Persian)",
    "country": "Country (ISO3)",
    "sh_year": "Year (Solar Hijri)",
    "definition": "Definition of exports",
    "name": "Program name",
    "target_usd": "Target (USD)",
}

#: Each sheet's columns for people (English; unique within a sheet in both languages)
COLUMNS: dict[str, dict[str, str]] = {
    "agencies": {
        "code": "Code",
        "name_en": "Name (English)",
        "name_fa": "Name (Persian)",
        "kind": "Kind",
        "head": "Head (English)",
        "head_fa": "Head (Persian)",
        "head_since": "Head since (Solar Hijri)",
    },
    "priorities": {
        "code": "Code",
        "name_en": "Name (English)",
        "name_fa": "Name (Persian)",
        "hs_codes": "HS codes",
        "markets": "Markets (ISO3)",
        "reason": "Reason",
    },
    "targets": {
        "code": "Code",
        "parent": "Parent target",
        "label": "Label",
        "priority": "Priority",
        "agency": "Agency",
        "period": "Period",
        "value_usd": "Value (USD)",
    },
    "actions": {
        "code": "Code",
        "agency": "Agency",
        "priority": "Priority",
        "title": "Title",
        "description": "Description",
        "start": "Start (Solar Hijri)",
        "deadline": "Deadline (Solar Hijri)",
        "status": "Status",
        "progress": "Progress (%)",
        "evidence": "Evidence",
    },
    "kpis": {
        "code": "Code",
        "agency": "Agency",
        "priority": "Priority",
        "name": "Name",
        "unit": "Unit",
        "source": "Source",
        "hs_codes": "HS codes",
        "partners": "Partners (ISO3)",
        "target_value": "Target value",
    },
    "measurements": {
        "kpi": "KPI",
        "period": "Period",
        "value": "Value",
        "source": "Source",
    },
}

#: An agency's kind for people (English, Persian): the program page, its form and the
#: workbook (not the label dictionary's word: "customs" there is the definition of exports)
AGENCY_KINDS_TEXT: dict[str, tuple[str, str]] = {
    "governorate": ("governorate", "استانداری"),
    "industry-mine-trade": ("industry, mine and trade", "صنعت، معدن و تجارت"),
    "customs": ("customs", "گمرک"),
    "free-zone": ("free zone", "منطقه آزاد"),
    "chamber-of-commerce": ("chamber of commerce", "اتاق بازرگانی"),
    "industrial-parks": ("industrial parks", "شهرک‌های صنعتی"),
    "agriculture": ("agriculture", "جهاد کشاورزی"),
    "trade-promotion": ("trade promotion", "توسعه تجارت"),
    "other": ("other", "دیگر"),
}


def agency_kind_text(kind: str, lang: str) -> str:
    """An agency's kind by its name in ``lang`` (an unknown kind as it is)."""
    names = AGENCY_KINDS_TEXT.get(kind)
    if names is None:
        return kind
    return names[1] if lang == "fa" else names[0]


#: Persian of every name above, looked up by its English
FA: dict[str, str] = {
    # sheets
    "Program": "برنامه",
    "Agencies": "دستگاه‌ها",
    "Priorities": "اولویت‌ها",
    "Targets": "اهداف",
    "Actions": "اقدامات",
    "KPIs": "شاخص‌ها",
    "Measurements": "اندازه‌گیری‌ها",
    # the program sheet
    "Field": "مورد",
    "Value": "مقدار",
    "Machine name": "نام ماشینی",
    "Region (English)": "استان (انگلیسی)",
    "Region (Persian)": "استان (فارسی)",
    "Country (ISO3)": "کشور (ISO3)",
    "Year (Solar Hijri)": "سال (هجری شمسی)",
    "Definition of exports": "تعریف صادرات",
    "Program name": "نام برنامه",
    "Target (USD)": "هدف (دلار)",
    # columns
    "Code": "کد",
    "Name (English)": "نام (انگلیسی)",
    "Name (Persian)": "نام (فارسی)",
    "Kind": "نوع",
    "Head (English)": "رئیس (انگلیسی)",
    "Head (Persian)": "رئیس (فارسی)",
    "Head since (Solar Hijri)": "آغاز ریاست (هجری شمسی)",
    "HS codes": "کدهای تعرفه",
    "Markets (ISO3)": "بازارها (ISO3)",
    "Reason": "دلیل",
    "Parent target": "هدف بالادست",
    "Label": "عنوان",
    "Priority": "اولویت",
    "Agency": "دستگاه",
    "Period": "دوره",
    "Value (USD)": "مقدار (دلار)",
    "Title": "عنوان",
    "Description": "شرح",
    "Start (Solar Hijri)": "شروع (هجری شمسی)",
    "Deadline (Solar Hijri)": "مهلت (هجری شمسی)",
    "Status": "وضعیت",
    "Progress (%)": "پیشرفت (٪)",
    "Evidence": "مستندات",
    "Name": "نام",
    "Unit": "واحد",
    "Source": "منبع",
    "Partners (ISO3)": "کشورهای طرف (ISO3)",
    "Target value": "مقدار هدف",
    "KPI": "شاخص",
}


#: Persian of the program workbook's import refusal (``WorkbookError``'s summary and hint;
#: merged into ``i18n.FA_ERRORS``)
FA_ERRORS: dict[str, str] = {
    "{file}: {count} problem(s), nothing was imported": "{file}: {count} مورد نادرست؛ هیچ "
    "چیز وارد نشد",
    "fix the rows named and import the file again": "ردیف‌های نام‌برده را اصلاح کنید و فایل را "
    "دوباره وارد کنید",
}
