"""Reference data: text and number normalisation, countries, HS nomenclature, the two calendars,
spreadsheet cells that cannot run code, and the pages' labels of issue 15."""

__all__ = [
    "calendar",
    "cells",
    "claim_labels",
    "concordance",
    "countries",
    "glossary",
    "holidays",
    "hs",
    "invest_labels",
    "labels_files",
    "labels_pages",
    "labels_suppliers",
    "number_words",
    "numbers",
    "products",
    "program_words",
    "regions",
    "text",
    "zone_labels",
]
