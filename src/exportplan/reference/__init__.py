"""Reference data: text and number normalisation, countries, HS nomenclature, the two calendars,
and spreadsheet cells that cannot run code."""

__all__ = ["calendar", "cells", "countries", "hs", "numbers", "regions", "text"]
