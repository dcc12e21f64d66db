"""The 1,000,000-row customs workbook against python-calamine reading it into lists,
alternately, each run a fresh process: ``python benchmarks/customs_bench.py`` (``--runs N``,
``--baseline-src PATH``).

The workbook (Persian headers, Solar Hijri dates, numeric HS codes some of which lost their
leading zero; :func:`benchmarks.run.make_customs_xlsx`, cached in
benchmarks/data/customs_1m.xlsx) is, in each round, read by:

* peer: python-calamine reading the sheet into Python lists (``tasks.py calamine_read``: the
  floor of any import through that reader, and what the import did before it streamed);
* ours: ``import customs`` into a fresh workspace with progress (``tasks.py customs_import``:
  archive check, the sheet read a chunk of rows at a time, checks, duplicates, the
  warehouse's writer);
* with ``--baseline-src /work/main/src``, also ours from another checkout (before/after under
  the same load).

Whole-process wall and CPU time from outside (``os.wait4``), the peak RSS each process reports
itself (VmHWM since exec, :mod:`peak`), medians, and every import's accounting checked
(accepted + rejected = read = 1,000,000). The result goes into benchmarks/out/results.json
(``customs_xlsx``) and docs/benchmarks.md (its row of the main table and its own section).
Goals (issue 13): under 60 s, peak under 1 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
ROWS = 1_000_000
ROW_START = "| Import a 1,000,000-row customs workbook"
SECTION_START = "Customs workbook import (`"


def measure(xlsx: Path, runs: int, baseline_src: Path | None) -> dict[str, Any]:
    from benchmarks.baci_import_bench import _fresh, run_task, summary

    src = ROOT / "src"
    ws = OUT / "ws_customs"
    kinds: dict[str, list[dict[str, Any]]] = {"peer": [], "ours": []}
    if baseline_src is not None:
        kinds["baseline"] = []
    for r in range(runs):
        for kind in list(kinds) if r % 2 == 0 else list(reversed(kinds)):
            if kind == "peer":
                res = run_task("calamine_read", str(xlsx), src=src)
                if res["rows"] != ROWS + 2:  # the title and the header rows
                    raise SystemExit(f"peer read {res['rows']} rows")
            else:
                _fresh(ws)
                code = baseline_src if kind == "baseline" and baseline_src else src
                res = run_task("customs_import", str(xlsx), str(ws), src=code)
                if res["rows"] + res["rejected"] != ROWS:
                    raise SystemExit(f"{kind}: {res['rows']} + {res['rejected']} != {ROWS}")
            kinds[kind].append(res)
            print(
                f"round {r + 1} {kind:9s} {res['wall']:7.2f} s wall, {res['cpu']:7.2f} s cpu, "
                f"{res['maxrss_mb']:6.0f} MiB",
                flush=True,
            )
    _fresh(ws)
    out: dict[str, Any] = {k: summary(v) for k, v in kinds.items()}
    for k in kinds:
        if k != "peer":
            out[k]["ratio_of_medians"] = out[k]["wall"] / out["peer"]["wall"]
            out[k]["ratio_per_round"] = statistics.median(
                o["wall"] / p["wall"] for o, p in zip(kinds[k], kinds["peer"], strict=True)
            )
    out["rows"] = ROWS
    out["file_mb"] = xlsx.stat().st_size / 2**20
    return out


def splice_doc(res: dict[str, Any]) -> None:
    """Put this benchmark's figures into docs/benchmarks.md (its row and its section), leaving
    the other benchmarks' figures as they are."""
    from benchmarks.report import customs_xlsx_row, customs_xlsx_section

    doc = ROOT / "docs" / "benchmarks.md"
    lines = doc.read_text(encoding="utf-8").split("\n")
    row = customs_xlsx_row(res)
    if not any(ln.startswith(ROW_START) for ln in lines):
        raise SystemExit("docs/benchmarks.md has no customs workbook row to replace")
    lines = [row if ln.startswith(ROW_START) else ln for ln in lines]
    start = next((n for n, ln in enumerate(lines) if ln.startswith(SECTION_START)), None)
    if start is not None:  # the earlier section: blank line, paragraph, blank line, table
        end = start + 2
        while end < len(lines) and lines[end].startswith("|"):
            end += 1
        del lines[start - 1 : end]
    baci = next((n for n, ln in enumerate(lines) if ln.startswith("BACI import (`")), None)
    at = _after_table(lines, baci if baci is not None else lines.index(row))
    lines[at:at] = customs_xlsx_section(res)
    doc.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {doc.relative_to(ROOT)}")


def _after_table(lines: list[str], start: int) -> int:
    """The index just after the first table at or after line ``start``."""
    n = start
    while n < len(lines) and not lines[n].startswith("|"):
        n += 1
    while n < len(lines) and lines[n].startswith("|"):
        n += 1
    return n


def main() -> None:
    from benchmarks.run import DATA, _machine, make_customs_xlsx

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--baseline-src", type=Path, default=None, help="another checkout's src/")
    ap.add_argument("--load", default="", help="a note on the machine's load, for the record")
    ap.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    DATA.mkdir(parents=True, exist_ok=True)
    xlsx = DATA / "customs_1m.xlsx"
    if not xlsx.exists():
        print("writing the 1,000,000-row workbook (once) ...", flush=True)
        make_customs_xlsx(xlsx)
    load = os.getloadavg()
    res = measure(xlsx, args.runs, args.baseline_src)
    res["date"] = dt.date.today().isoformat()
    res["machine"] = _machine()
    res["load_before"] = f"{load[0]:.1f}"
    res["load_after"] = f"{os.getloadavg()[0]:.1f}"
    res["note"] = args.load
    prev = OUT / "results.json"
    results = json.loads(prev.read_text(encoding="utf-8")) if prev.exists() else {}
    results["customs_xlsx"] = res
    prev.write_text(json.dumps(results, indent=1), encoding="utf-8")
    o, p = res["ours"], res["peer"]
    print(
        f"ours {o['wall']:.1f} s, {o['maxrss_mb']:.0f} MiB (max {o['maxrss_mb_max']:.0f}); "
        f"peer {p['wall']:.1f} s, {p['maxrss_mb']:.0f} MiB; goals: under 60 s, under 1 GB"
    )
    if not args.no_doc:
        splice_doc(res)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
