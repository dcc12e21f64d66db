"""Iran's 31 provinces with their capitals' coordinates (to about 0.1 degree), so distances
can be measured from the region rather than from the national capital.

``data/iran_provinces.csv``: English and Persian names, capital, latitude, longitude (rounded
public coordinates of each capital city). A region not in the table falls back to its
country's capital, and the results say so.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from exportplan.reference.text import match_key


@dataclass(frozen=True)
class Region:
    name_en: str
    name_fa: str
    capital: str
    lat: float
    lon: float


@cache
def provinces() -> tuple[Region, ...]:
    text = files("exportplan.reference").joinpath("data", "iran_provinces.csv").read_text("utf-8")
    return tuple(
        Region(r["name_en"], r["name_fa"], r["capital"], float(r["lat"]), float(r["lon"]))
        for r in csv.DictReader(text.splitlines())
    )


def lookup(name: str) -> Region | None:
    """A province by its English or Persian name (spelling variants of ی/ي, ک/ك tolerated)."""
    key = match_key(name)
    for r in provinces():
        if key in (match_key(r.name_en), match_key(r.name_fa)):
            return r
    return None
