"""Regenerate src/exportplan/reference/data/capitals.csv from countryinfo (MIT) + pycountry.

Run once by a developer when the packages change: ``python scripts/build_capitals.py``.
The runtime reads the CSV and never imports countryinfo, so nothing depends on it at run time.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pycountry
from countryinfo import CountryInfo

OUT = Path(__file__).resolve().parents[1] / "src/exportplan/reference/data/capitals.csv"


def main() -> None:
    rows = []
    for c in pycountry.countries:
        lat = lon = cap = ""
        for name in (
            c.name,
            getattr(c, "common_name", ""),
            getattr(c, "official_name", ""),
            c.alpha_2,
        ):
            if not name:
                continue
            try:
                info = CountryInfo(name)
                ll = info.capital_latlng()
                cap = info.capital() or ""
            except LookupError:  # countryinfo's CountryNotFoundError, or a missing field
                continue
            if ll and len(ll) == 2:
                lat, lon = f"{ll[0]:.4f}", f"{ll[1]:.4f}"
                break
        rows.append((c.alpha_3, cap, lat, lon))
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["iso3", "capital", "lat", "lon"])
        w.writerows(sorted(rows))
    missing = [r[0] for r in rows if not r[2]]
    print(
        f"wrote {len(rows)} rows to {OUT}; {len(missing)} without coordinates: {' '.join(missing)}"
    )


if __name__ == "__main__":
    main()
