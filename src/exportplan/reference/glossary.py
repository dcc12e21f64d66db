"""The bilingual glossary of parts and processes matching uses (English term, Persian term,
domain, source), shipped as ``data/supplier_glossary.csv``: seeded from the tariff book's
headings and the oil ministry's vendor-list category names, curated by hand."""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files


@cache
def supplier_glossary() -> tuple[tuple[str, str, str, str], ...]:
    """The glossary's rows ``(term_en, term_fa, domain, source)``."""
    text = files("exportplan.reference").joinpath("data", "supplier_glossary.csv")
    rows = csv.DictReader(text.read_text("utf-8").splitlines())
    return tuple((r["term_en"], r["term_fa"], r["domain"], r["source"]) for r in rows)
