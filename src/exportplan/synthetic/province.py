"""A synthetic province shaped like East Azerbaijan in the brief.

Monthly customs records from Solar Hijri 1398 to the last complete month before ``today``,
under both definitions, in the files a provincial office would have:

* ``SYNTHETIC_customs_exit_{year}.csv``: goods leaving through the province's customs offices,
  Persian headers, Persian digits and ``٬`` separators, UTF-8 with BOM;
* ``SYNTHETIC_origin_{year}.csv``: goods made in the province (some leave through other
  provinces' offices), English headers and a ``definition`` column.

Customs-exit exports are about USD 2.5 bn in 1404 and grow about 20% a year; goods made in the
province are about half of that (the brief: USD 1.13 bn "produced in the province" against over
USD 2 bn "through the province's customs"). Destinations and products follow the province:
Iraq, Turkey, Armenia, Azerbaijan, Afghanistan...; steel, fruit, plastics, copper, machinery.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import jdatetime
import numpy as np

from exportplan.reference.calendar import sh_month_length
from exportplan.reference.text import to_persian_digits
from exportplan.synthetic.world import PROVINCE_HS6

PARTNERS = {  # share of customs-exit exports, Persian name as written in files
    "IRQ": (0.34, "عراق"),
    "TUR": (0.17, "ترکیه"),
    "ARM": (0.07, "ارمنستان"),
    "AZE": (0.08, "جمهوری آذربایجان"),
    "AFG": (0.06, "افغانستان"),
    "ARE": (0.06, "امارات متحده عربی"),
    "RUS": (0.05, "روسیه"),
    "GEO": (0.04, "گرجستان"),
    "CHN": (0.03, "چین"),
    "TKM": (0.03, "ترکمنستان"),
    "SYR": (0.02, "سوریه"),
    "KAZ": (0.02, "قزاقستان"),
    "UZB": (0.015, "ازبکستان"),
    "AUT": (0.005, "اتریش"),
}
OFFICES_EXIT = ("گمرک تبریز", "گمرک جلفا", "گمرک سهلان", "گمرک فرودگاه تبریز")
OFFICES_ORIGIN_ELSEWHERE = ("گمرک بازرگان", "گمرک شهید رجایی")
PRICE_USD_KG = {
    "72": 0.55,
    "73": 1.2,
    "08": 0.6,
    "39": 1.1,
    "74": 8.5,
    "84": 7.0,
    "87": 9.0,
    "64": 18.0,
    "41": 9.0,
    "57": 25.0,
    "17": 2.0,
    "18": 3.5,
    "20": 1.0,
    "25": 0.05,
    "26": 1.8,
    "94": 4.0,
}
SEASON = np.array([0.62, 0.86, 0.95, 1.0, 1.0, 1.02, 1.08, 1.12, 1.1, 1.05, 1.08, 1.12])
FRUIT_SEASON = np.array([0.4, 0.4, 0.5, 0.8, 1.1, 1.3, 1.6, 1.6, 1.4, 1.1, 0.9, 0.6])
BASE_YEAR, BASE_TOTAL, GROWTH, ORIGIN_SHARE = 1404, 2.5e9, 0.20, 0.47


@dataclass(frozen=True)
class Province:
    files_customs: list[Path]
    files_origin: list[Path]
    last_year: int
    last_month: int


def last_complete_month(today: dt.date) -> tuple[int, int]:
    j = jdatetime.date.fromgregorian(date=today)
    return (j.year, j.month - 1) if j.month > 1 else (j.year - 1, 12)


def generate(
    out: Path,
    *,
    today: dt.date,
    first_year: int = 1398,
    seed: int = 20240601,
    n_exporters: int = 120,
) -> Province:
    rng = np.random.default_rng(seed + 7)
    last_year, last_month = last_complete_month(today)
    products = [h + rng.choice(["00", "10", "90"]) for h in PROVINCE_HS6]
    iso = list(PARTNERS)
    pshare = np.array([PARTNERS[c][0] for c in iso])
    pshare /= pshare.sum()
    # series: product x partner x office x exporter, each with a share and a trend
    series = []
    exporters = [
        f"شرکت نمونه {to_persian_digits(str(n))} (ساختگی)" for n in range(1, n_exporters + 1)
    ]
    firm_size = rng.pareto(1.3, n_exporters) + 0.2
    for _ in range(420):
        k = int(rng.integers(len(products)))
        c = int(rng.choice(len(iso), p=pshare))
        series.append(
            {
                "hs": products[k],
                "partner": iso[c],
                "office": OFFICES_EXIT[int(rng.choice(4, p=[0.55, 0.3, 0.1, 0.05]))],
                "exporter": int(rng.choice(n_exporters, p=firm_size / firm_size.sum())),
                "weight": rng.lognormal(0, 1.1) * pshare[c] * 10,
                "trend": rng.normal(0.0, 0.08),
                "origin": rng.random() < 0.62,
                "start": int(rng.choice(range(first_year, last_year + 1)))
                if rng.random() < 0.15
                else first_year,
            }
        )
    w = np.array([s["weight"] for s in series])
    w /= w.sum()
    out.mkdir(parents=True, exist_ok=True)
    files_c, files_o = [], []
    for year in range(first_year, last_year + 1):
        total = BASE_TOTAL * (1 + GROWTH) ** (year - BASE_YEAR) * rng.lognormal(0, 0.02)
        months = 12 if year < last_year else last_month
        rows_c = [
            "تاریخ,گمرک اجرایی,کد تعرفه,شرح کالا,کشور مقصد,وزن خالص (کیلوگرم),ارزش دلاری,صادرکننده"
        ]
        rows_o = ["date,customs office,hs code,destination,weight kg,value usd,exporter,definition"]
        for idx, s in enumerate(series):
            if year < s["start"]:
                continue
            season = FRUIT_SEASON if s["hs"].startswith("08") else SEASON
            season = season / season.mean()
            drift = np.exp(s["trend"] * (year - BASE_YEAR))
            price = PRICE_USD_KG.get(s["hs"][:2], 2.0) * (1 + 0.03 * (year - BASE_YEAR))
            for m in range(1, months + 1):
                v = total / 12 * w[idx] * season[m - 1] * drift * rng.lognormal(-0.02, 0.2)
                if v < 2000:
                    continue
                day = int(rng.integers(1, sh_month_length(year, m) + 1))
                kg = v / price * rng.lognormal(0, 0.05)
                name = PARTNERS[s["partner"]][1]
                fa_date = to_persian_digits(f"{year}/{m:02d}/{day:02d}")
                rows_c.append(
                    f"{fa_date},{s['office']},{s['hs']},,{name},"
                    f'"{to_persian_digits(f"{kg:,.0f}").replace(",", "٬")}",'
                    f'"{to_persian_digits(f"{v:,.0f}").replace(",", "٬")}",'
                    f"{exporters[s['exporter']]}"
                )
                if s["origin"]:
                    share = ORIGIN_SHARE / 0.62 * rng.lognormal(-0.01, 0.1)
                    rows_o.append(
                        f"{year}/{m:02d}/{day:02d},{s['office']},{s['hs']},"
                        f"{s['partner']},{kg * share:.0f},{v * share:.0f},"
                        f"{exporters[s['exporter']]},origin"
                    )
                    if rng.random() < 0.08:  # made here, leaving through another province
                        rows_o.append(
                            f"{year}/{m:02d}/{day:02d},{OFFICES_ORIGIN_ELSEWHERE[idx % 2]},"
                            f"{s['hs']},{s['partner']},{kg * 0.3:.0f},{v * 0.3:.0f},"
                            f"{exporters[s['exporter']]},origin"
                        )
        fc = out / f"SYNTHETIC_customs_exit_{year}.csv"
        fo = out / f"SYNTHETIC_origin_{year}.csv"
        fc.write_bytes(b"\xef\xbb\xbf" + ("\n".join(rows_c) + "\n").encode("utf-8"))
        fo.write_text("\n".join(rows_o) + "\n", encoding="utf-8")
        files_c.append(fc)
        files_o.append(fo)
    return Province(files_c, files_o, last_year, last_month)
