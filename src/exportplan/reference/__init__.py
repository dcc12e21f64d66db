"""Reference data: text and number normalisation, countries, HS nomenclature, the two calendars,
and spreadsheet cells that cannot run code."""

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
    "labels_suppliers",
    "number_words",
    "numbers",
    "products",
    "program_words",
    "regions",
    "text",
    "zone_labels",
]
