"""Council pack rendering time on the demo workspace (``python benchmarks/report_bench.py``).

Each run is a fresh process that opens the demo workspace (benchmarks/data/ws_demo, built by
web_load.py or here) and renders the council pack to PDF: contexts from the services, charts
to PNG with vl-convert, WeasyPrint. Medians of ``--runs``; the goal is under 10 s. No peer is
named.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from peak import peak_rss_mb  # run as a script: benchmarks/ is on the path

ROOT = Path(__file__).resolve().parents[1]
WS = ROOT / "benchmarks" / "data" / "ws_demo"


def one(lang: str) -> dict[str, float]:
    from exportplan import reports
    from exportplan.workspace import open_workspace

    t = time.perf_counter()
    ws = open_workspace(WS)
    pdf = reports.council(
        ws, ws.program(), ROOT / "benchmarks" / "out" / f"council-{lang}.pdf", lang=lang
    )
    return {
        "seconds": time.perf_counter() - t,
        "bytes": len(pdf),
        "maxrss_mb": peak_rss_mb(),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--one", choices=["fa", "en"])
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one)))
        return
    if not (WS / "workspace.toml").exists():
        from exportplan.services import demo

        demo.build(WS, log=lambda _m: None)
    (ROOT / "benchmarks" / "out").mkdir(parents=True, exist_ok=True)
    out: dict[str, dict[str, float]] = {}
    for lang in ("fa", "en"):
        runs = []
        for _ in range(args.runs):
            t = time.perf_counter()
            p = subprocess.run(
                [sys.executable, __file__, "--one", lang],
                capture_output=True,
                text=True,
                check=True,
            )
            r = json.loads(p.stdout.strip().splitlines()[-1])
            r["process"] = time.perf_counter() - t
            runs.append(r)
        out[lang] = {
            "median_s": statistics.median(r["seconds"] for r in runs),
            "process_s": statistics.median(r["process"] for r in runs),
            "maxrss_mb": statistics.median(r["maxrss_mb"] for r in runs),
            "bytes": runs[0]["bytes"],
            "runs": len(runs),
        }
        print(lang, out[lang], flush=True)
    res_path = ROOT / "benchmarks" / "out" / "results.json"
    results = json.loads(res_path.read_text("utf-8")) if res_path.exists() else {}
    results["council_pdf"] = out
    res_path.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
