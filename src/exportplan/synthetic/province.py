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

The province's exports are drawn from its world's model (:class:`exportplan.synthetic.world.Model`),
so that a back-test of export potential on the demo carries signal. For product ``k`` and
market ``j`` in year ``t`` (the Gregorian year in which the Solar Hijri year starts) the
expected flow is the world's gravity and specialisation term with the province as exporter::

    e_kjt = spec_k * size_j^0.85 * world_size_k * demand_jk * exp(drift_jk t) / km_j * ties_j
            * exp(eta_kj + gamma_k t)

``spec_k`` is Iran's specialisation (the province's core goods ten times stronger), ``km_j`` the
distance from Tabriz, ``ties_j`` a fixed bilateral resistance (border, language, old routes: a
gravity model's dummies) calibrated so that the traditional partners take their shares of the
brief, ``eta_kj ~ N(0, 0.8)`` a persistent pair effect and ``gamma_k ~ N(0, 0.04)`` a product's
supply trend. A pair is served in a year when a persistent uniform draw (correlation 0.85 from
year to year) falls below ``1 - exp(-(e / theta)^0.55)``, the world's reporting rule, with
``theta`` set for about ``pairs`` served pairs; its value is ``e * exp(eps_kjt)``,
``eps ~ N(0, 0.3)``, scaled to the year's total. With ``signal=False`` the pairs' log values are
instead independent draws every year (same spread), unrelated to the world: a back-test on it
must find nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import jdatetime
import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtr

from exportplan.reference import countries, regions
from exportplan.reference.calendar import sh_month_length
from exportplan.reference.text import to_persian_digits
from exportplan.synthetic.world import PROVINCE_HS6, World

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
    products: list[str]  # HS6 codes the province may export (its core goods first)
    markets: list[str]  # ISO3 of the markets it may serve


def last_complete_month(today: dt.date) -> tuple[int, int]:
    j = jdatetime.date.fromgregorian(date=today)
    return (j.year, j.month - 1) if j.month > 1 else (j.year - 1, 12)


@dataclass(frozen=True)
class Pairs:
    """The province's annual flows by Solar Hijri year: ``value[y, k, j]`` in USD (0 = not
    served), over ``products`` x ``markets``."""

    years: list[int]
    products: list[str]
    markets: list[str]
    value: NDArray[np.float64]


def annual_flows(
    world: World,
    *,
    first_year: int,
    last_year: int,
    seed: int,
    signal: bool = True,
    pairs: int = 600,
    extra_products: int = 40,
) -> Pairs:
    """The province's exports by year x product x market, drawn from the world's model (see
    the module's docstring); totals follow the brief (USD 2.5 bn in 1404, +20% a year)."""
    model = world.model
    if model is None:
        raise ValueError("the world was generated without its model")
    rng = np.random.default_rng(seed + 11)
    iso = world.iso3
    irn = iso.index("IRN")
    spec = model.spec[irn] * model.world_size
    core = [world.hs6.index(h) for h in PROVINCE_HS6 if h in world.hs6]
    others = [k for k in np.argsort(-spec).tolist() if k not in core][:extra_products]
    prods = core + others
    # the core goods ten times stronger; shares compressed (a province is less lopsided than
    # a draw of its country's specialisation)
    s = spec[prods] ** 0.5 * np.where(np.arange(len(prods)) < len(core), 10.0, 1.0)
    mk = [j for j in range(len(iso)) if j != irn]
    r = regions.lookup("East Azerbaijan")
    lat, lon = (r.lat, r.lon) if r is not None else (38.08, 46.29)
    km = np.array(
        [max(150.0, countries.great_circle_km(lat, lon, model.lat[j], model.lon[j])) for j in mk]
    )
    years = list(range(first_year, last_year + 1))
    base = BASE_YEAR + 621 - model.first_year  # model time of the base year
    md = np.stack([model.market_demand(y + 621)[mk][:, prods].T for y in years])  # y, k, j
    e0 = s[None, :, None] * md / km[None, None, :]
    # ties: the brief's partners take ~90% of the expected exports in the base year
    b = years.index(BASE_YEAR) if BASE_YEAR in years else len(years) - 1
    by_market = e0[b].sum(axis=0)
    is_partner = np.array([iso[j] in PARTNERS for j in mk])
    rest = by_market[~is_partner].sum()
    share = np.array([PARTNERS[iso[j]][0] if iso[j] in PARTNERS else 0.0 for j in mk])
    ties = np.ones(len(mk))
    ties[is_partner] = share[is_partner] / share.sum() * 9.0 * rest / by_market[is_partner]
    eta = rng.normal(0.0, 0.8, (len(prods), len(mk)))
    gamma = rng.normal(0.0, 0.04, len(prods))
    t = np.array([y + 621 - model.first_year - base for y in years], dtype=float)
    loge = (
        np.log(e0 * ties[None, None, :]) + eta[None, :, :] + gamma[None, :, None] * t[:, None, None]
    )
    if not signal:  # independent every year, the same spread, nothing to do with the world
        loge = rng.normal(loge.mean(), loge.std(), loge.shape)
    e = np.exp(loge - loge.max())
    # a persistent uniform draw per pair: served when it falls below the reporting probability
    z0 = rng.normal(0.0, 1.0, e.shape[1:])
    z = 0.85 * z0[None] + np.sqrt(1 - 0.85**2) * rng.normal(0.0, 1.0, e.shape)
    u = ndtr(z)
    lo, hi = np.log(e[b].min()) - 5, np.log(e[b].max()) + 5
    for _ in range(60):  # theta: about `pairs` served pairs in the base year
        mid = (lo + hi) / 2
        n = (u[b] < 1 - np.exp(-((e[b] / np.exp(mid)) ** 0.55))).sum()
        lo, hi = (mid, hi) if n > pairs else (lo, mid)
    theta = np.exp((lo + hi) / 2)
    served = u < 1 - np.exp(-((e / theta) ** 0.55))
    value = np.where(served, e * rng.lognormal(0.0, 0.3, e.shape), 0.0)
    for i, y in enumerate(years):
        total = BASE_TOTAL * (1 + GROWTH) ** (y - BASE_YEAR) * rng.lognormal(0, 0.02)
        value[i] *= total / value[i].sum()
    return Pairs(years, [world.hs6[k] for k in prods], [iso[j] for j in mk], value)


def _written(iso3: str, *names: str) -> str:
    """The name a clerk writes for a country: the brief's Persian name for the traditional
    partners, else the first name the importer resolves that needs no quoting."""
    if iso3 in PARTNERS:
        return PARTNERS[iso3][1]
    for name in names:
        if name and "," not in name and "،" not in name and countries.lookup(name) == iso3:
            return name
    return iso3


def generate(
    out: Path,
    *,
    today: dt.date,
    world: World,
    first_year: int = 1398,
    seed: int = 20240601,
    n_exporters: int = 120,
    signal: bool = True,
    pairs: int = 600,
) -> Province:
    """Write the province's monthly customs and origin files (see the module's docstring)."""
    rng = np.random.default_rng(seed + 7)
    last_year, last_month = last_complete_month(today)
    flows = annual_flows(
        world, first_year=first_year, last_year=last_year, seed=seed, signal=signal, pairs=pairs
    )
    lines = {h: h + rng.choice(["00", "10", "90"]) for h in flows.products}
    exporters = [
        f"شرکت نمونه {to_persian_digits(str(n))} (ساختگی)" for n in range(1, n_exporters + 1)
    ]
    firm_size = rng.pareto(1.3, n_exporters) + 0.2
    firm_p = firm_size / firm_size.sum()
    names = countries.by_iso3()
    fa_name = {c: _written(c, names[c].name_fa, names[c].name_en) for c in flows.markets}
    # each pair keeps its office, exporter and whether its goods are made in the province
    npairs = (len(flows.products), len(flows.markets))
    office = rng.choice(4, size=npairs, p=[0.55, 0.3, 0.1, 0.05])
    firm = rng.choice(n_exporters, size=npairs, p=firm_p)
    # the part of a pair's goods made in the province (mean 0.6; a large flow of goods made
    # elsewhere would swing the two definitions' ratio)
    made_here = rng.beta(3.0, 2.0, npairs)
    out.mkdir(parents=True, exist_ok=True)
    files_c, files_o = [], []
    for yi, year in enumerate(flows.years):
        months = 12 if year < last_year else last_month
        rows_c = [
            "تاریخ,گمرک اجرایی,کد تعرفه,شرح کالا,کشور مقصد,وزن خالص (کیلوگرم),ارزش دلاری,صادرکننده"
        ]
        rows_o = ["date,customs office,hs code,destination,weight kg,value usd,exporter,definition"]
        ks, js = np.nonzero(flows.value[yi])
        for k, j in zip(ks.tolist(), js.tolist(), strict=True):
            hs, partner = lines[flows.products[k]], flows.markets[j]
            annual = float(flows.value[yi, k, j])
            season = FRUIT_SEASON if hs.startswith("08") else SEASON
            # a small flow ships in a few months, a large one every month
            n_ship = int(np.clip(round(annual / 40_000), 1, 12))
            ship = np.sort(rng.choice(12, size=n_ship, replace=False, p=season / season.sum()))
            weights = season[ship] / season[ship].sum()
            price = PRICE_USD_KG.get(hs[:2], 2.0) * (1 + 0.03 * (year - BASE_YEAR))
            for m0, wgt in zip(ship.tolist(), weights.tolist(), strict=True):
                m = m0 + 1
                if m > months:
                    continue
                v = annual * wgt * rng.lognormal(-0.02, 0.2)
                if v < 1:
                    continue
                day = int(rng.integers(1, sh_month_length(year, m) + 1))
                kg = v / price * rng.lognormal(0, 0.05)
                fa_date = to_persian_digits(f"{year}/{m:02d}/{day:02d}")
                who = exporters[int(firm[k, j])]
                off = OFFICES_EXIT[int(office[k, j])]
                rows_c.append(
                    f"{fa_date},{off},{hs},,{fa_name[partner]},"
                    f'"{to_persian_digits(f"{kg:,.0f}").replace(",", "٬")}",'
                    f'"{to_persian_digits(f"{v:,.0f}").replace(",", "٬")}",'
                    f"{who}"
                )
                if made_here[k, j] > 0.15:
                    share = ORIGIN_SHARE * made_here[k, j] / 0.6 * rng.lognormal(-0.01, 0.1)
                    rows_o.append(
                        f"{year}/{m:02d}/{day:02d},{off},{hs},"
                        f"{partner},{kg * share:.0f},{v * share:.0f},{who},origin"
                    )
                    if rng.random() < 0.08:  # made here, leaving through another province
                        rows_o.append(
                            f"{year}/{m:02d}/{day:02d},{OFFICES_ORIGIN_ELSEWHERE[(k + j) % 2]},"
                            f"{hs},{partner},{kg * 0.3:.0f},{v * 0.3:.0f},{who},origin"
                        )
        fc = out / f"SYNTHETIC_customs_exit_{year}.csv"
        fo = out / f"SYNTHETIC_origin_{year}.csv"
        fc.write_bytes(b"\xef\xbb\xbf" + ("\n".join(rows_c) + "\n").encode("utf-8"))
        fo.write_text("\n".join(rows_o) + "\n", encoding="utf-8")
        files_c.append(fc)
        files_o.append(fo)
    return Province(files_c, files_o, last_year, last_month, flows.products, flows.markets)
