"""Run the benchmarks and write docs/benchmarks.md: ``make bench`` (or ``python benchmarks/run.py``).

Every measurement runs in a fresh process, three times (``--runs``); we report medians of the
whole-process wall time (start-up, imports and I/O included) and of peak RSS, with the named
peer measured in the same run. Data (made once, kept in benchmarks/data/, not committed):

* a BACI-size synthetic year (230 countries x 5,000 HS6, ~11 million rows) written by the
  project's shared generator ``../shared/bench/gen_world.py`` (override: ``--gen-world``);
* exporter x product totals of that year at HS6 and HS4, as Parquet, for ``ecomplexity``
  0.5.3 (the peer gets pre-aggregated data: its best case; we start from the raw rows);
* a 1,000,000-row customs workbook with Persian headers, Solar Hijri dates and numeric HS
  codes (some lost their leading zero), written by :func:`make_customs_xlsx`;
* the real SITC world set in tests/data (226 x 785);
* a 1,000,000-row customs CSV for the pages-during-an-import benchmark
  (:mod:`benchmarks.import_load`, ``--only background``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
OUT = ROOT / "benchmarks" / "out"
PY = sys.executable


def task(name: str, *args: str) -> dict[str, Any]:
    t = time.perf_counter()
    proc = subprocess.run(
        [PY, str(ROOT / "benchmarks" / "tasks.py"), name, *args],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed:\n{proc.stderr[-3000:]}")
    res: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    res["wall"] = wall
    return res


def save(results: dict[str, Any]) -> None:
    """Written after every benchmark, so a failure later loses nothing measured."""
    (OUT / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")


def repeat(n: int, name: str, *args: str, fresh: list[Path] | None = None) -> dict[str, Any]:
    runs = []
    for _ in range(n):
        for p in fresh or []:
            _remove(p)
        runs.append(task(name, *args))
    med = {k: statistics.median(r[k] for r in runs) for k in ("seconds", "wall", "maxrss_mb")}
    med["runs"] = runs
    med["rows"] = runs[0].get("rows")
    return med


def _remove(p: Path) -> None:
    import shutil

    if p.is_dir():
        shutil.rmtree(p)
    elif p.exists():
        p.unlink()


def prepare_world(gen_world: Path) -> tuple[Path, Path, Path]:
    import duckdb

    wd = DATA / "world"
    csv, parquet = wd / "BACI_SYN_Y2022.csv", wd / "BACI_SYN_Y2022.parquet"
    if not (csv.exists() and parquet.exists()):
        if not gen_world.exists():
            raise SystemExit(
                f"{gen_world} not found: give --gen-world PATH to the shared generator"
            )
        wd.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [PY, str(gen_world), "--out", str(wd), "--years", "2022", "--formats", "csv,parquet"],
            check=True,
        )
    codes = wd / "country_codes_SYN.csv"
    if not codes.exists():
        rows = duckdb.sql(
            f"SELECT DISTINCT i FROM read_parquet('{parquet}') UNION "
            f"SELECT DISTINCT j FROM read_parquet('{parquet}') ORDER BY 1"
        ).fetchall()
        codes.write_text(
            "country_code,country_name,country_iso2,country_iso3\n"
            + "".join(f"{c},Synthetic {c},,X{c:03d}\n" for (c,) in rows),
            encoding="utf-8",
        )
    for digits in (6, 4):
        agg = wd / f"agg_hs{digits}.parquet"
        if not agg.exists():
            duckdb.sql(
                f"COPY (SELECT t AS year, i::VARCHAR AS loc, (k // {10 ** (6 - digits)})::VARCHAR "
                f"AS prod, sum(v) AS val FROM read_parquet('{parquet}') GROUP BY ALL) "
                f"TO '{agg}' (FORMAT parquet)"
            )
    return csv, parquet, codes


def make_customs_xlsx(path: Path, rows: int = 1_000_000, seed: int = 7) -> None:
    """A year of a province's customs lines in one sheet, as an office exports them."""
    import numpy as np
    from openpyxl import Workbook

    rng = np.random.default_rng(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("صادرات")
    ws.append(["گزارش صادرات استان (داده ساختگی برای آزمون سرعت)"])
    ws.append(
        [
            "تاریخ",
            "گمرک اجرایی",
            "کد تعرفه",
            "کشور مقصد",
            "وزن خالص (کیلوگرم)",
            "ارزش دلاری",
            "صادرکننده",
            "شرح کالا",
        ]
    )
    hs = [
        int(c)
        for c in (
            "08081000",
            "72142000",
            "39012000",
            "74031100",
            "84181090",
            "72071200",
            "20029010",
            "64039990",
            "57011000",
            "87019000",
        )
    ]
    partners = [
        "عراق",
        "ترکیه",
        "ارمنستان",
        "جمهوری آذربایجان",
        "افغانستان",
        "امارات متحده عربی",
        "روسیه",
        "گرجستان",
        "چین",
    ]
    offices = ["گمرک تبریز", "گمرک جلفا", "گمرک سهلان"]
    months = rng.integers(1, 13, rows)
    days = rng.integers(1, 30, rows)
    hk = rng.integers(0, len(hs), rows)
    pk = rng.integers(0, len(partners), rows)
    ok = rng.integers(0, len(offices), rows)
    kg = rng.lognormal(8, 1.5, rows).round(0)
    usd = (kg * rng.lognormal(0.5, 0.8, rows)).round(0)
    firm = rng.integers(1, 2000, rows)
    for n in range(rows):
        ws.append(
            [
                f"1404/{months[n]:02d}/{days[n]:02d}",
                offices[ok[n]],
                hs[hk[n]],
                partners[pk[n]],
                float(kg[n]),
                float(usd[n]),
                f"شرکت {firm[n]}",
                "",
            ]
        )
    wb.save(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--gen-world", type=Path, default=ROOT.parent / "shared" / "bench" / "gen_world.py"
    )
    ap.add_argument(
        "--only",
        choices=[
            "import",
            "customs",
            "complexity",
            "monitor",
            "opportunities",
            "web",
            "pages",
            "report",
            "background",
        ],
        action="append",
    )
    args = ap.parse_args()
    only = set(
        args.only
        or [
            "import",
            "customs",
            "complexity",
            "monitor",
            "opportunities",
            "web",
            "pages",
            "background",
        ]
    )
    OUT.mkdir(parents=True, exist_ok=True)
    DATA.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    prev = OUT / "results.json"
    if prev.exists():
        results = json.loads(prev.read_text(encoding="utf-8"))
    if "complexity" in only:  # the BACI-size world only where it is read here
        _csv, parquet, _codes = prepare_world(args.gen_world)
    n = args.runs
    if "import" in only:
        print("BACI import vs DuckDB read_csv (benchmarks/baci_import_bench.py) ...", flush=True)
        save(results)
        subprocess.run(
            [
                PY,
                str(ROOT / "benchmarks" / "baci_import_bench.py"),
                *("--runs", str(n), "--gen-world", str(args.gen_world), "--no-doc"),
            ],
            check=True,
        )
        results["baci_import"] = json.loads((OUT / "results.json").read_text("utf-8"))[
            "baci_import"
        ]
    save(results)
    if "customs" in only:
        print("customs workbook import (benchmarks/customs_bench.py) ...", flush=True)
        save(results)
        subprocess.run(
            [PY, str(ROOT / "benchmarks" / "customs_bench.py"), "--runs", str(n), "--no-doc"],
            check=True,
        )
        results["customs_xlsx"] = json.loads((OUT / "results.json").read_text("utf-8"))[
            "customs_xlsx"
        ]
    save(results)
    if "complexity" in only:
        for digits in (6, 4):
            print(f"complexity HS{digits} ...", flush=True)
            results[f"complexity_hs{digits}"] = {
                "ours": repeat(
                    n, "ours_complexity", str(parquet), str(digits), str(OUT / "o.parquet")
                ),
                "peer": repeat(
                    n,
                    "peer_complexity",
                    str(DATA / "world" / f"agg_hs{digits}.parquet"),
                    str(OUT / "p.parquet"),
                ),
            }
        save(results)
        print("complexity HS6 through the CLI ...", flush=True)
        results["complexity_hs6_cli"] = {
            "ours": repeat(n, "ours_cli", str(parquet), "hs6", str(OUT / "c.parquet")),
            "peer": results["complexity_hs6"]["peer"],
        }
        sitc = ROOT / "tests" / "data" / "world_trade_avg_1998_to_2000.csv"
        save(results)
        print("complexity SITC ...", flush=True)
        results["complexity_sitc"] = {
            "ours": repeat(
                n, "ours_csv", str(sitc), "country", "product", "value", str(OUT / "o.parquet")
            ),
            "peer": repeat(
                n, "peer_csv", str(sitc), "country", "product", "value", str(OUT / "p.parquet")
            ),
        }
    if "monitor" in only:
        print("monitoring queries over 5 million customs rows ...", flush=True)
        save(results)
        subprocess.run([PY, str(ROOT / "benchmarks" / "monitor_bench.py")], check=True)
        results["monitor_5m"] = json.loads((OUT / "results.json").read_text("utf-8"))["monitor_5m"]
    if "opportunities" in only:
        print("export potential on a BACI-size workspace ...", flush=True)
        save(results)
        subprocess.run(
            [
                PY,
                str(ROOT / "benchmarks" / "opportunities_bench.py"),
                "--runs",
                str(max(n, 5)),
                "--no-doc",
            ],
            check=True,
        )
        results["opportunities"] = json.loads((OUT / "results.json").read_text("utf-8"))[
            "opportunities"
        ]
    if "web" in only:
        print("web pages under load ...", flush=True)
        save(results)
        subprocess.run([PY, str(ROOT / "benchmarks" / "web_load.py")], check=True)
        results["web_load"] = json.loads((OUT / "results.json").read_text("utf-8"))["web_load"]
    if "pages" in only:
        print("every page under load, and the program page of 500 actions ...", flush=True)
        save(results)
        subprocess.run([PY, str(ROOT / "benchmarks" / "pages_bench.py")], check=True)
        results["pages_bench"] = json.loads((OUT / "results.json").read_text("utf-8"))[
            "pages_bench"
        ]
    if "background" in only:
        print("pages while a 1,000,000-row customs file imports ...", flush=True)
        save(results)
        subprocess.run(
            [PY, str(ROOT / "benchmarks" / "import_load.py"), "--runs", str(max(1, n // 3))],
            check=True,
        )
        results["import_load"] = json.loads((OUT / "results.json").read_text("utf-8"))[
            "import_load"
        ]
    if "report" in only:
        print("council pack rendering ...", flush=True)
        save(results)
        subprocess.run([PY, str(ROOT / "benchmarks" / "report_bench.py")], check=True)
        results["council_pdf"] = json.loads((OUT / "results.json").read_text("utf-8"))[
            "council_pdf"
        ]
    results["_meta"] = {"date": dt.date.today().isoformat(), "machine": _machine(), "runs": n}
    save(results)
    write_doc(results)


def _machine() -> str:
    import numpy as np

    blas = ""
    try:
        from threadpoolctl import threadpool_info

        info = threadpool_info()
        blas = f", BLAS {info[0]['internal_api']} {info[0]['architecture']}" if info else ""
    except ImportError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {mem:.0f} GiB, Python "
        f"{platform.python_version()}, numpy {np.__version__}{blas}"
    )


def write_doc(results: dict[str, Any]) -> None:
    from benchmarks.report import render

    (ROOT / "docs" / "benchmarks.md").write_text(render(results), encoding="utf-8")
    print("wrote docs/benchmarks.md")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
