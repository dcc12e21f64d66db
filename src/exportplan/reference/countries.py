"""Countries: ISO codes, BACI codes, English and Persian names, capitals, distances.

Sources: ISO 3166-1 via ``pycountry`` (codes, English names, Persian names from its ``fa``
translations), corrected by ``data/country_overrides.csv`` (wrong or missing Persian names,
each with its reason); capital coordinates from ``countryinfo`` (MIT), frozen in
``data/capitals.csv`` by ``scripts/build_capitals.py``; BACI's own codes in
``data/baci_codes.csv`` (251 France, 579 Norway, 699 India, 757 Switzerland, 842 USA, 490
"Other Asia, n.e.s.", and former groupings); extra names for matching in
``data/country_aliases.csv``.
"""

from __future__ import annotations

import csv
import difflib
import gettext
import math
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import pycountry

from exportplan.reference.text import match_key


@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str
    numeric: int
    name_en: str
    name_fa: str
    capital: str
    lat: float | None
    lon: float | None


def _rows(name: str) -> list[dict[str, str]]:
    text = files("exportplan.reference").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def all_countries() -> tuple[Country, ...]:
    """Every ISO country plus BACI's special locations, sorted by ISO3."""
    fa = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fa"], fallback=True)
    overrides = {r["iso3"]: r for r in _rows("country_overrides.csv")}
    caps = {r["iso3"]: r for r in _rows("capitals.csv")}
    out = []
    for c in pycountry.countries:
        ov = overrides.get(c.alpha_3)
        name_en = ov["name_en"] if ov else getattr(c, "common_name", c.name)
        name_fa = ov["name_fa"] if ov else fa.gettext(c.name)
        if name_fa == c.name:  # no translation
            name_fa = name_en
        cap = caps.get(c.alpha_3, {})
        out.append(
            Country(
                iso3=c.alpha_3,
                iso2=c.alpha_2,
                numeric=int(c.numeric),
                name_en=name_en,
                name_fa=name_fa,
                capital=cap.get("capital", ""),
                lat=float(cap["lat"]) if cap.get("lat") else None,
                lon=float(cap["lon"]) if cap.get("lon") else None,
            )
        )
    for r in _rows("special_locations.csv"):
        out.append(
            Country(
                iso3=r["iso3"],
                iso2="",
                numeric=int(r["numeric"]),
                name_en=r["name_en"],
                name_fa=r["name_fa"],
                capital="",
                lat=None,
                lon=None,
            )
        )
    return tuple(sorted(out, key=lambda c: c.iso3))


@cache
def by_iso3() -> dict[str, Country]:
    return {c.iso3: c for c in all_countries()}


@cache
def baci_code_map() -> dict[int, str]:
    """BACI numeric code -> ISO3: ISO numeric codes, then BACI's own codes on top."""
    m = {c.numeric: c.iso3 for c in all_countries()}
    for r in _rows("baci_codes.csv"):
        m[int(r["code"])] = r["iso3"]
    return m


@cache
def _name_index() -> dict[str, str]:
    idx: dict[str, str] = {}
    for c in pycountry.countries:
        for name in (c.name, getattr(c, "common_name", ""), getattr(c, "official_name", "")):
            if name:
                idx[match_key(name)] = c.alpha_3
    for own in all_countries():
        for name in (own.name_en, own.name_fa, own.iso3):
            idx[match_key(name)] = own.iso3
        if own.iso2:
            idx[match_key(own.iso2)] = own.iso3
    for r in _rows("country_aliases.csv"):
        idx[match_key(r["alias"])] = r["iso3"]
    return idx


def lookup(value: str) -> str | None:
    """ISO3 for a name (English or Persian, any spelling in the tables) or a code, else None."""
    v = value.strip()
    if not v:
        return None
    if v.isdigit():
        return baci_code_map().get(int(v))
    return _name_index().get(match_key(v))


def suggest(value: str) -> str | None:
    """Closest known name to an unknown one, as ``"name (ISO3)"``, or None."""
    idx = _name_index()
    hit = difflib.get_close_matches(match_key(value), list(idx), n=1, cutoff=0.6)
    if not hit:
        return None
    iso3 = idx[hit[0]]
    c = by_iso3().get(iso3)
    return f"{c.name_en if c else hit[0]} ({iso3})"


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on a sphere of radius 6371.0088 km (mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def distance_km(a: str, b: str) -> float | None:
    """Great-circle distance between two countries' capitals, None when one is unknown."""
    ca, cb = by_iso3().get(a), by_iso3().get(b)
    if not ca or not cb or ca.lat is None or cb.lat is None or ca.lon is None or cb.lon is None:
        return None
    return great_circle_km(ca.lat, ca.lon, cb.lat, cb.lon)


def country_name(iso3: str, lang: str = "en") -> str:
    """A country's name in English or Persian (the ISO3 code itself when unknown)."""
    c = by_iso3().get(iso3)
    if c is None:
        return iso3
    return c.name_fa if lang == "fa" and c.name_fa else c.name_en
