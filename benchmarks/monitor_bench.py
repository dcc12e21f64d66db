"""Monitoring latency over a region with 5 million customs rows (``python benchmarks/monitor_bench.py``).

Builds (once) a workspace whose region has 5,000,000 synthetic customs rows (8 Solar Hijri
years, 3,000 tariff lines, 14 partners, 6 offices, 2,000 exporters, both definitions), then
times each query warm: one untimed call, then 30 timed calls in the same process (each opens
its own read-only connection, as a CLI call or a web request does). Reports median and 95th
percentile in ms. No peer is named for this figure; the goal is under 200 ms.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WS = ROOT / "benchmarks" / "data" / "ws_monitor_5m"


def build() -> None:
    from exportplan.store import warehouse
    from exportplan.workspace import init

    ws = init(WS)
    with ws.warehouse() as con, warehouse.import_transaction(con) as ds:
        con.execute(
            """INSERT INTO region_flows
               SELECT ?, n, 'East Azerbaijan', CASE WHEN n % 2 = 0 THEN 'customs' ELSE 'origin' END,
                      (1398 + (n // 7 % 8))::SMALLINT, (1 + n // 61 % 12)::TINYINT, NULL, NULL, NULL,
                      'office ' || (n % 6), lpad(((n * 7919) % 3000 * 33 + 10000)::VARCHAR, 8, '0'),
                      lpad(((n * 7919) % 3000 * 33 + 10000)::VARCHAR, 8, '0')[1:6],
                      ['IRQ','TUR','ARM','AZE','AFG','ARE','RUS','GEO','CHN','TKM','SYR','KAZ','UZB','AUT'][1 + n % 14],
                      (n % 997 + 1) * 10.0, (n % 9973 + 1) * 3.0, NULL, 'firm ' || (n % 2000), NULL
               FROM range(5000000) t(n)""",
            [ds],
        )
        warehouse.record_dataset(
            con,
            dataset_id=ds,
            kind="customs",
            file_name="SYNTHETIC_5m",
            sha="synthetic-5m",
            rows_read=5_000_000,
            rows_accepted=5_000_000,
            rows_rejected=0,
            source="SYNTHETIC benchmark rows",
            region="East Azerbaijan",
            definition="customs,origin",
            synthetic=True,
        )
        warehouse.refresh_region_summary(con, "East Azerbaijan")


def main() -> dict[str, dict[str, float]]:
    from exportplan.services import monitor
    from exportplan.workspace import open_workspace

    if not (WS / "workspace.toml").exists():
        build()
    ws = open_workspace(WS)
    sc = monitor.Scope(region="East Azerbaijan", definition="customs")
    queries = {
        "status (customs, 1405 to month 8)": lambda: monitor.status(ws, sc, 1405, 8),
        "status, Gregorian calendar": lambda: None,
        "drivers by hs2": lambda: monitor.drivers(ws, sc, 1405, 8, by="hs2"),
        "drivers by hs6": lambda: monitor.drivers(ws, sc, 1405, 8, by="hs6"),
        "drivers by partner": lambda: monitor.drivers(ws, sc, 1405, 8, by="partner"),
        "drivers by exporter size": lambda: monitor.drivers(ws, sc, 1405, 8, by="size"),
        "status of a sub-target (HS 08 to Iraq)": lambda: monitor.status(
            ws, monitor.Scope(region="East Azerbaijan", hs=("08",), partners=("IRQ",)), 1405, 8
        ),
    }
    del queries["status, Gregorian calendar"]  # the synthetic rows carry Solar Hijri months only
    results = {}
    for name, q in queries.items():
        q()
        times = []
        for _ in range(30):
            t = time.perf_counter()
            q()
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        results[name] = {
            "median_ms": statistics.median(times),
            "p95_ms": times[int(0.95 * len(times)) - 1],
        }
        print(
            f"{name}: median {results[name]['median_ms']:.0f} ms, p95 {results[name]['p95_ms']:.0f} ms",
            flush=True,
        )
    return results


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    res = main()
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    prev = out / "results.json"
    data = json.loads(prev.read_text(encoding="utf-8")) if prev.exists() else {}
    data["monitor_5m"] = res
    prev.write_text(json.dumps(data, indent=1), encoding="utf-8")
