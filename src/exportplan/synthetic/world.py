"""A synthetic world-trade panel in the CEPII BACI layout (``t,i,j,k,v,q``).

Model (seeded, vectorised): country size ``Y ~ lognormal(0, 1.5)``, real ISO countries and
capitals (so distances and names are real), gravity ``Y_i^0.95 Y_j^0.85 / d_ij``; products in
real HS chapters with a latent complexity ``c_k`` and country capability ``a_i`` (correlated
with size), specialisation ``exp(1.6 z_ik + u_i,chapter - 3 softplus(c_k - a_i))`` so that RCA,
ECI and the product space behave like real data; each (i, j, k) flow is reported with a
probability rising with its expected size. Values in thousand USD, quantities in tonnes.
Yearly growth per exporter (about 4% +- 3%), a persistent drift of each market's demand for
each product (``exp(g_jk t)``, ``g_jk ~ N(0, 0.05)``: some markets' imports of a product trend
up, others down) and noise make a panel. The model's terms are returned (:class:`Model`) so
that a province can be drawn from the same gravity and specialisation model
(:mod:`exportplan.synthetic.province`).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from numpy.typing import NDArray

from exportplan.reference import countries

BACI_CODE = {"USA": 842, "FRA": 251, "IND": 699, "CHE": 757, "NOR": 579}
MUST_HAVE = (
    "IRN",
    "IRQ",
    "TUR",
    "ARM",
    "AZE",
    "AFG",
    "ARE",
    "CHN",
    "RUS",
    "DEU",
    "USA",
    "GEO",
    "IND",
    "TKM",
    "SYR",
    "AUT",
    "ITA",
    "KAZ",
    "UZB",
    "PAK",
    "QAT",
    "OMN",
    "KWT",
)
# product groups of East Azerbaijan (steel, fruit, plastics, copper, machinery, leather/shoes...)
PROVINCE_HS6 = (
    "720712",
    "721420",
    "721310",
    "730890",
    "080810",
    "080610",
    "081310",
    "080212",
    "390120",
    "390210",
    "391723",
    "392321",
    "740311",
    "740811",
    "841810",
    "842139",
    "843359",
    "870190",
    "870421",
    "640399",
    "410712",
    "570110",
    "170490",
    "180690",
    "200290",
    "252329",
    "260300",
    "940360",
)


@dataclass(frozen=True)
class Model:
    """The terms the world's flows are drawn from (index order: ``World.iso3``, ``World.hs6``):
    the expected flow of ``k`` from ``i`` to ``j`` in year ``first_year + t`` is
    ``size_i^0.95 size_j^0.85 / dist_ij * spec_ik * world_size_k * demand_jk * exp(drift_jk t)
    * exp(growth_i t)``."""

    size: NDArray[np.float64]
    spec: NDArray[np.float64]  # (countries, products)
    world_size: NDArray[np.float64]
    demand: NDArray[np.float64]  # (markets, products)
    drift: NDArray[np.float64]  # (markets, products): yearly log drift of the market's demand
    lat: NDArray[np.float64]  # capitals, degrees
    lon: NDArray[np.float64]
    first_year: int

    def market_demand(self, year: float) -> NDArray[np.float64]:
        """``size_j^0.85 * world_size_k * demand_jk * exp(drift_jk t)`` for a year (may lie
        after the panel's last year: the drift goes on)."""
        t = year - self.first_year
        return (
            self.size[:, None] ** 0.85
            * self.world_size[None, :]
            * self.demand
            * np.exp(self.drift * t)
        )


@dataclass(frozen=True)
class World:
    iso3: list[str]
    codes: NDArray[np.int64]
    hs6: list[str]
    years: list[int]
    model: Model | None = None


def _softplus(x: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.logaddexp(0.0, x)


def _products(rng: np.random.Generator, n: int) -> list[str]:
    chapters = [c for c in range(1, 98) if c != 77]
    codes = set(PROVINCE_HS6)
    weights = rng.lognormal(0, 0.7, len(chapters))
    weights /= weights.sum()
    while len(codes) < n:
        ch = chapters[rng.choice(len(chapters), p=weights)]
        codes.add(f"{ch:02d}{rng.integers(1, 100):02d}{rng.integers(10, 100):02d}")
    return sorted(codes)


def generate(
    out: Path,
    *,
    n_countries: int = 200,
    n_products: int = 1200,
    years: int = 6,
    first_year: int = 2019,
    rows_per_year: int = 250_000,
    seed: int = 20240601,
    formats: tuple[str, ...] = ("csv",),
) -> World:
    """Write ``SYNTHETIC_BACI_Y{year}.csv`` (and/or ``.parquet``) files and the matching
    country codes file. A BACI-size year: ``n_countries=230, n_products=5000,
    rows_per_year=11_000_000`` (``python -m exportplan.synthetic.world --help``)."""
    rng = np.random.default_rng(seed)
    with_caps = [
        c for c in countries.all_countries() if c.lat is not None and len(c.iso3) == 3 and c.iso2
    ]
    pool = [c for c in with_caps if c.iso3 not in MUST_HAVE]
    pick = rng.choice(len(pool), size=n_countries - len(MUST_HAVE), replace=False)
    chosen = sorted(
        [c for c in with_caps if c.iso3 in MUST_HAVE] + [pool[i] for i in pick],
        key=lambda c: c.iso3,
    )
    iso3 = [c.iso3 for c in chosen]
    codes = np.array([BACI_CODE.get(c.iso3, c.numeric) for c in chosen], dtype=np.int64)
    lat = np.radians([c.lat or 0.0 for c in chosen])
    lon = np.radians([c.lon or 0.0 for c in chosen])
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
    dist = np.maximum(2 * 6371.0 * np.arcsin(np.sqrt(a)), 150.0)
    C = len(iso3)
    size = rng.lognormal(0, 1.5, C)
    size[iso3.index("IRN")] = max(size[iso3.index("IRN")], np.exp(0.8))
    hs6 = _products(rng, n_products)
    hs6_int = np.array([int(h) for h in hs6], dtype=np.int32)
    P = len(hs6)
    chapter = np.array([int(h[:2]) for h in hs6])
    comp = rng.normal(0, 1, P) + 0.02 * (chapter - 48)
    cap = 0.8 * (np.log(size) - np.log(size).mean()) / np.log(size).std() + 0.6 * rng.normal(
        0, 1, C
    )
    u = rng.normal(0, 1.2, (C, 98))
    spec = np.exp(
        1.6 * rng.normal(0, 1, (C, P))
        + u[:, chapter]
        - 3.0 * _softplus(comp[None, :] - cap[:, None])
    )
    irn = iso3.index("IRN")
    prov = np.isin(np.array(hs6), PROVINCE_HS6)
    # the province's goods: widely traded, and as complex as such goods are in real data
    simple = {7, 8, 20, 25, 26, 41, 57, 72, 74, 17}
    middle = {39, 73, 94, 64, 18}
    for k in np.flatnonzero(prov):
        comp[k] = -1.0 if chapter[k] in simple else (0.0 if chapter[k] in middle else 0.8)
    spec = np.exp(
        1.6 * rng.normal(0, 1, (C, P))
        + u[:, chapter]
        - 3.0 * _softplus(comp[None, :] - cap[:, None])
    )
    spec[irn, prov] *= 6.0
    world_size = rng.lognormal(0, 1.0, P)
    world_size[prov] = np.maximum(world_size[prov], np.exp(1.0))
    demand = np.exp(0.6 * rng.normal(0, 1, (C, P)))
    # a separate stream, so the draws above are those of earlier versions of the generator
    drift = np.random.default_rng(seed + 55).normal(0.0, 0.05, (C, P))
    gravity = size[:, None] ** 0.95 * size[None, :] ** 0.85 / dist
    np.fill_diagonal(gravity, 0.0)
    unit_value = rng.lognormal(0.5, 1.0, P)  # thousand USD per tonne
    growth = rng.normal(0.04, 0.03, C)
    # calibrate the reporting threshold on a sample so that rows ~ rows_per_year
    sample = rng.integers(0, C, 4000)
    e_sample = np.concatenate(
        [
            (gravity[i][:, None] * spec[i][None, :] * world_size[None, :] * demand).ravel()[::7]
            for i in sample[:40]
        ]
    )
    lo, hi = np.log(e_sample.min() + 1e-30), np.log(e_sample.max())
    target = rows_per_year / (C * C * P)
    for _ in range(60):
        mid = (lo + hi) / 2
        p = 1 - np.exp(-((e_sample / np.exp(mid)) ** 0.55))
        lo, hi = (mid, hi) if p.mean() > target else (lo, mid)
    theta = np.exp((lo + hi) / 2)
    out.mkdir(parents=True, exist_ok=True)
    year_list = [first_year + y for y in range(years)]
    # expected world total of year 0 (E[v] = E for every triple), scaled to USD 20 trillion
    expected_total = float((gravity * (demand @ (spec * world_size[None, :]).T).T).sum())
    scale = 2.0e10 / expected_total  # values are in thousand USD, as in BACI
    for y, year in enumerate(year_list):
        ry = np.random.default_rng(seed + 1000 + year)
        level = np.exp(growth * y)
        demand_y = demand * np.exp(drift * y)
        cols: dict[str, list[NDArray[Any]]] = {c: [] for c in ("t", "i", "j", "k", "v", "q")}
        for i in range(C):
            e = gravity[i][:, None] * spec[i][None, :] * world_size[None, :] * demand_y * level[i]
            p = 1 - np.exp(-((e / theta) ** 0.55))
            keep = ry.random(e.shape) < p
            jj, kk = np.nonzero(keep)
            if jj.size == 0:
                continue
            v = e[jj, kk] / p[jj, kk] * ry.lognormal(-0.045, 0.3, jj.size) * scale
            v = np.maximum(np.round(v, 3), 0.001)
            cols["t"].append(np.full(jj.size, year, dtype=np.int16))
            cols["i"].append(np.full(jj.size, codes[i], dtype=np.int16))
            cols["j"].append(codes[jj].astype(np.int16))
            cols["k"].append(hs6_int[kk])
            cols["v"].append(v)
            cols["q"].append(np.round(v / unit_value[kk] * ry.lognormal(0, 0.2, jj.size), 3))
        table = pa.table({c: np.concatenate(a) for c, a in cols.items()})
        stem = out / f"SYNTHETIC_BACI_Y{year}"
        if "csv" in formats:
            pacsv.write_csv(table, f"{stem}.csv")  # k as a number, as BACI writes it
        if "parquet" in formats:
            pq.write_table(table, f"{stem}.parquet")
    with (out / "SYNTHETIC_country_codes.csv").open("w", encoding="utf-8") as fh:
        fh.write("country_code,country_name,country_iso2,country_iso3\n")
        for c, code in zip(chosen, codes, strict=True):
            fh.write(f'{code},"{c.name_en}",{c.iso2},{c.iso3}\n')
    model = Model(
        size=size,
        spec=spec,
        world_size=world_size,
        demand=demand,
        drift=drift,
        lat=np.degrees(lat),
        lon=np.degrees(lon),
        first_year=first_year,
    )
    return World(iso3=iso3, codes=codes, hs6=hs6, years=year_list, model=model)


def main() -> None:
    ap = argparse.ArgumentParser(description="Write a synthetic world in the BACI layout.")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--countries", type=int, default=200)
    ap.add_argument("--products", type=int, default=1200)
    ap.add_argument("--years", type=int, default=6)
    ap.add_argument("--first-year", type=int, default=2019)
    ap.add_argument("--rows", type=int, default=250_000, help="rows per year (BACI: ~11 million)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--formats", default="csv", help="csv, parquet or csv,parquet")
    a = ap.parse_args()
    w = generate(
        a.out,
        n_countries=a.countries,
        n_products=a.products,
        years=a.years,
        first_year=a.first_year,
        rows_per_year=a.rows,
        seed=a.seed,
        formats=tuple(a.formats.split(",")),
    )
    print(
        f"wrote {len(w.years)} year(s), {len(w.iso3)} countries, {len(w.hs6)} products to {a.out}"
    )


if __name__ == "__main__":
    main()
