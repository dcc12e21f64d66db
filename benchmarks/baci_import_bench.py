"""BACI import against DuckDB's own read_csv, alternately, each run a fresh process:
``python benchmarks/baci_import_bench.py`` (``--runs N``, ``--baseline-src PATH``).

One BACI-size year (~11 million rows, the shared generator's, cached in benchmarks/data/world
by :func:`benchmarks.run.prepare_world`) is imported, in each round, by three processes in turn:

* peer: ``CREATE TABLE t AS SELECT * FROM read_csv(FILE)`` into a fresh DuckDB file
  (``tasks.py duckdb_read_csv``, the peer ``run.py`` always used);
* ours: the import into a fresh copy of an empty workspace (``tasks.py baci_import_ws``: what
  ``exportplan import baci FILE --country-codes F`` does once ``exportplan init`` has run);
* ours with init: the workspace created in the same process first (``tasks.py baci_import``,
  how the figure was measured before this benchmark existed);
* with ``--baseline-src /work/main/src``, also ours from another checkout (before/after under
  the same load).

Each process is timed from outside (whole process: interpreter start-up, imports, reading,
writing) and its CPU time comes from ``os.wait4`` and its peak RSS is the one it reports itself
(``VmHWM``, :mod:`peak`: wait4's ru_maxrss would count this driver's memory too). Reported: medians over the
runs, the ratio of the medians and the median of the per-round ratios (more robust when the
machine is shared), and the accounting of every import (accepted + rejected = read). The
result goes into benchmarks/out/results.json (``baci_import``) and docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
PY = sys.executable
GOAL_RATIO = 1.5
GOAL_RSS_MB = 1000.0


def run_task(name: str, *args: str, src: Path) -> dict[str, Any]:
    """One task in a fresh process: whole-process wall time, its CPU time and the peak RSS it
    reports itself."""
    import tempfile

    env = dict(os.environ, PYTHONPATH=f"{src}{os.pathsep}{ROOT}")
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(
            [PY, str(ROOT / "benchmarks" / "tasks.py"), name, *args],
            stdout=out,
            stderr=err,
            env=env,
        )
        _pid, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed:\n{stderr[-3000:]}")
    res: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    res["wall"] = wall
    res["cpu"] = usage.ru_utime + usage.ru_stime
    # res["maxrss_mb"]: the task's own VmHWM, printed by tasks.py
    return res


def _fresh(p: Path) -> None:
    if p.is_dir():
        shutil.rmtree(p)
    elif p.exists():
        p.unlink()
    for extra in (p.with_name(p.name + ".wal"), p.with_name(p.name + ".tmp")):
        if extra.is_dir():
            shutil.rmtree(extra)
        elif extra.exists():
            extra.unlink()


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "wall": statistics.median(r["wall"] for r in runs),
        "cpu": statistics.median(r["cpu"] for r in runs),
        "seconds": statistics.median(r["seconds"] for r in runs),
        "maxrss_mb": statistics.median(r["maxrss_mb"] for r in runs),
        "maxrss_mb_max": max(r["maxrss_mb"] for r in runs),
        "runs": runs,
    }


def measure(
    csv: Path, codes: Path, runs: int, baseline_src: Path | None, rows: int
) -> dict[str, Any]:
    src = ROOT / "src"
    template, ws, db = OUT / "baci_ws_template", OUT / "baci_ws", OUT / "baci_peer.db"
    _fresh(template)
    run_task("make_workspace", str(template), src=src)
    kinds: dict[str, list[dict[str, Any]]] = {"peer": [], "ours": [], "ours_with_init": []}
    if baseline_src is not None:
        kinds["baseline"] = []
    for r in range(runs):
        order = list(kinds) if r % 2 == 0 else list(reversed(kinds))
        for kind in order:
            if kind == "peer":
                _fresh(db)
                res = run_task("duckdb_read_csv", str(csv), str(db), src=src)
            elif kind == "ours_with_init":
                _fresh(ws)
                res = run_task("baci_import", str(csv), str(codes), str(ws), src=src)
            else:
                _fresh(ws)
                shutil.copytree(template, ws)
                res = run_task(
                    "baci_import_ws",
                    str(csv),
                    str(codes),
                    str(ws),
                    src=baseline_src if kind == "baseline" and baseline_src else src,
                )
            if kind != "peer" and res["rows"] + res.get("rejected", 0) != rows:
                raise SystemExit(f"{kind}: {res['rows']} accepted of {rows} rows")
            kinds[kind].append(res)
            print(
                f"round {r + 1} {kind:15s} {res['wall']:6.2f} s wall, {res['cpu']:6.2f} s cpu, "
                f"{res['maxrss_mb']:6.0f} MiB",
                flush=True,
            )
    _fresh(ws)
    _fresh(db)
    out: dict[str, Any] = {k: summary(v) for k, v in kinds.items()}
    peer = kinds["peer"]
    for k in kinds:
        if k == "peer":
            continue
        out[k]["ratio_of_medians"] = out[k]["wall"] / out["peer"]["wall"]
        out[k]["ratio_per_round"] = statistics.median(
            o["wall"] / p["wall"] for o, p in zip(kinds[k], peer, strict=True)
        )
        out[k]["cpu_ratio"] = out[k]["cpu"] / out["peer"]["cpu"]
    out["rows"] = rows
    out["file_mb"] = csv.stat().st_size / 2**20
    return out


def splice_doc(res: dict[str, Any]) -> None:
    """Put this benchmark's figures into docs/benchmarks.md, leaving the other benchmarks'
    figures as they are (``make bench`` regenerates the whole page)."""
    from benchmarks.report import GOALS, baci_import_section

    doc = ROOT / "docs" / "benchmarks.md"
    lines = doc.read_text(encoding="utf-8").split("\n")
    what, _peer, goal = GOALS["baci_import"]
    o, p = res["ours"], res["peer"]
    row = (
        f"| {what} | {len(o['runs'])} | {o['wall']:.2f} ({o['seconds']:.2f}) "
        f"| {p['wall']:.2f} ({p['seconds']:.2f}) "
        f"| ours/peer process = **{o['ratio_of_medians']:.2f}** "
        f"| {o['maxrss_mb']:.0f} / {p['maxrss_mb']:.0f} | {goal} |"
    )
    lines = [row if ln.startswith("| Import one BACI-size year") else ln for ln in lines]
    start = next((n for n, ln in enumerate(lines) if ln.startswith("BACI import (`")), None)
    if start is not None:  # the earlier section: its paragraph, blank line and table
        end = start + 2
        while end < len(lines) and lines[end].startswith("|"):
            end += 1
        del lines[start - 1 : end]
    table_end = next(n for n, ln in enumerate(lines) if ln.startswith("| Import one BACI-size"))
    while lines[table_end].startswith("|"):
        table_end += 1
    lines[table_end:table_end] = baci_import_section(res)
    doc.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {doc.relative_to(ROOT)}")


def main() -> None:
    from benchmarks.run import _machine, prepare_world

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--gen-world", type=Path, default=ROOT.parent / "shared" / "bench" / "gen_world.py"
    )
    ap.add_argument("--baseline-src", type=Path, default=None, help="another checkout's src/")
    ap.add_argument("--load", default="", help="a note on the machine's load, for the record")
    ap.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md")
    ap.add_argument(
        "--doc-only", action="store_true", help="write the last run's figures into the docs"
    )
    args = ap.parse_args()
    if args.doc_only:
        last = json.loads((OUT / "results.json").read_text(encoding="utf-8"))["baci_import"]
        splice_doc(last)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    csv, _parquet, codes = prepare_world(args.gen_world)
    with csv.open("rb") as fh:
        rows = sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 24), b"")) - 1
    load = os.getloadavg()
    res = measure(csv, codes, args.runs, args.baseline_src, rows)
    res["date"] = dt.date.today().isoformat()
    res["machine"] = _machine()
    res["load_before"] = f"{load[0]:.1f}"
    res["load_after"] = f"{os.getloadavg()[0]:.1f}"
    res["note"] = args.load
    prev = OUT / "results.json"
    results = json.loads(prev.read_text(encoding="utf-8")) if prev.exists() else {}
    results["baci_import"] = res
    prev.write_text(json.dumps(results, indent=1), encoding="utf-8")
    o, p = res["ours"], res["peer"]
    print(
        f"ours {o['wall']:.2f} s vs DuckDB read_csv {p['wall']:.2f} s: "
        f"{o['ratio_of_medians']:.2f}x (per round {o['ratio_per_round']:.2f}x, goal <= "
        f"{GOAL_RATIO}x); peak {o['maxrss_mb_max']:.0f} MiB (goal < {GOAL_RSS_MB:.0f})"
    )
    if not args.no_doc:
        splice_doc(res)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
