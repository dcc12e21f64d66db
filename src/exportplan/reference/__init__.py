"""Reference data: text normalisation, countries, HS nomenclature, the two calendars."""

__all__ = ["calendar", "countries", "hs", "regions", "text"]
