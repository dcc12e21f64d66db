"""Matching 10,000 firms x 1,000 demand items (``python benchmarks/match_bench.py``).

The registry is the demo's generator scaled to 10,000 firms (about 25,000 capabilities from
the same industries, Persian and English, with codes, capacities and certificates); the
1,000 items are drawn from the demo's two lists' templates with their sizes, needed-by dates
and required certificates varied. Each run is a fresh process that builds the matcher's
inputs (untimed) and times ``analytics.matching.match`` (hard filters, codes, TF-IDF text
with the glossary, capacity, ranking; the top 10 per item), then prints its figures and its
own peak memory (VmHWM). Median of the runs. Goal: under 5 s. No peer is named (the
design's peer, scikit-learn's TfidfVectorizer, is not a dependency). Writes its section of
docs/benchmarks.md between ``<!-- match_bench -->`` markers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exportplan.analytics.matching import FirmFacts, ItemResult, Need, Offer

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- match_bench -->", "<!-- /match_bench -->"


def build_inputs(firms: int, items: int) -> tuple[list[Need], list[Offer], list[FirmFacts]]:
    """The bench's registry and demand items (deterministic: fixed seeds); also the input of
    the matcher's regression test (tests/test_match_regression.py) at a smaller size."""
    from exportplan.analytics.matching import Cert, FirmFacts, Need, Offer
    from exportplan.ingest import supplier_cells as cells
    from exportplan.synthetic import suppliers as syn

    rows = syn.registry_rows(firms, seed=7)
    offers: list[Offer] = []
    certs: dict[str, tuple[Cert, ...]] = {}
    words = ("سری", "مدل", "series", "type", "grade", "kit")
    for k, r in enumerate(rows):  # each firm words its capability its own way
        r["capability"] += f" {words[k % 6]} {k % 997}"
        cap = float(r["capacity"]) if r["capacity"] else None
        codes = (("HS", r["hs_code"]),) if r["hs_code"] else ()
        offers.append(Offer(r["firm_id"], k, r["capability"], codes, cap, r["unit"]))
        if r["firm_id"] not in certs:
            certs[r["firm_id"]] = tuple(
                Cert(c.standard, c.valid_from, c.valid_to, True)
                for c in cells.certifications(r["certifications"])
            )
    facts = [FirmFacts(f, True, c) for f, c in certs.items()]
    rng = random.Random(11)
    templates = [(t[1], t[2], t[4], t[6]) for t in syn.NIOC_ITEMS] + [
        (t[1], t[2], t[4], t[6]) for t in syn.EU_ITEMS
    ]
    lines = [line for _, (_, ls) in syn.INDUSTRIES.items() for line in ls]
    needs: list[Need] = []
    for i in range(items):
        if i % 2:
            text, hs, unit, req = rng.choice(templates)
        else:  # a capability asked for in the other language
            line = rng.choice(lines)
            text = (line.en if rng.random() < 0.5 else line.fa).replace(
                "{s}", str(rng.choice((2, 6, 10)))
            )
            hs, unit, req = (line.hs if rng.random() < 0.5 else ""), "pieces", ""
        needs.append(
            Need(
                f"Q{i:04d}",
                f"{text} {rng.randint(1, 40)}",
                (("HS", hs),) if hs else (),
                float(rng.randint(1, 500)),
                unit,
                dt.date(2027, 1, 1) + dt.timedelta(days=rng.randint(0, 400)),
                (req,) if req else (),
            )
        )
    return needs, offers, facts


def canonical(results: list[ItemResult]) -> list[dict[str, Any]]:
    """Every field of a run's results, floats as Python floats (exact), reasons as their
    template and values as text."""

    def reason(r: Any) -> list[Any]:
        return [r.template, [[k, str(v)] for k, v in r.values]]

    return [
        {
            "item": r.item,
            "gap": r.gap,
            "candidates": [
                [c.firm, float(c.score), c.capability_id, c.parts, [reason(x) for x in c.reasons]]
                for c in r.candidates
            ],
            "excluded": [[e.firm, float(e.score), reason(e.reason)] for e in r.excluded],
        }
        for r in results
    ]


def digest(results: list[ItemResult]) -> str:
    """A digest of :func:`canonical` (floats by repr, so any change of a bit shows)."""
    text = json.dumps(canonical(results), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def child(firms: int, items: int) -> None:
    from benchmarks.peak import peak_rss_mb
    from exportplan.analytics.matching import match
    from exportplan.services.suppliers.matching import glossary

    t0 = time.perf_counter()
    needs, offers, facts = build_inputs(firms, items)
    g = glossary()
    prepared = time.perf_counter() - t0
    t1, c1 = time.perf_counter(), time.process_time()
    res = match(needs, offers, facts, glossary=g, top=10, today=dt.date(2026, 12, 1))
    timed, cpu = time.perf_counter() - t1, time.process_time() - c1
    print(
        json.dumps(
            {
                "firms": len(facts),
                "capabilities": len(offers),
                "items": len(needs),
                "inputs_s": prepared,
                "match_s": timed,
                "match_cpu_s": cpu,
                "gaps": sum(r.gap for r in res),
                "candidates": sum(len(r.candidates) for r in res),
                "peak_mb": peak_rss_mb(),
                "digest": digest(res) if (firms, items) == (10_000, 1_000) else "",
            }
        )
    )


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import numpy as np

    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {mem:.0f} GiB, Python "
        f"{platform.python_version()}, numpy {np.__version__}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--firms", type=int, default=10_000)
    ap.add_argument("--items", type=int, default=1_000)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--no-doc", action="store_true", help="Do not write docs/benchmarks.md.")
    a = ap.parse_args()
    if a.child:
        child(a.firms, a.items)
        return
    load_before = os.getloadavg()[0]
    runs = []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    for _ in range(a.runs):
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--firms", str(a.firms), "--items", str(a.items)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
        print(runs[-1])
    frozen = ROOT / "tests" / "data" / "match_frozen" / "bench_full.sha256"
    same = all(r["digest"] == frozen.read_text("utf-8").strip() for r in runs)
    print("output as frozen before the speed work:", same if runs[0]["digest"] else "not checked")
    med = statistics.median(r["match_s"] for r in runs)
    r0 = runs[0]
    section = "\n".join(
        [
            START,
            "",
            "## Supplier matching",
            "",
            f"Matching (`python benchmarks/match_bench.py`, {dt.date.today().isoformat()}, {machine()};"
            f" load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after): "
            f"{r0['firms']:,} firms ({r0['capabilities']:,} capabilities) x {r0['items']:,} demand "
            "items, the demo's generator scaled up; each run a fresh process timing "
            "`analytics.matching.match` (hard filters, codes, character n-gram TF-IDF with the "
            "glossary, capacity, top 10 per item) after building its inputs. Goal: under 5 s. No "
            "peer is named (scikit-learn's TfidfVectorizer, the design's, is not a dependency)."
            + (
                " Measured on a loaded machine: provisional, to be rerun on a quiet one."
                if load_before > (os.cpu_count() or 1)
                else ""
            )
            + (
                " The output (candidates, order, scores, reasons) is the one frozen before the "
                "speed work (tests/data/match_frozen/bench_full.sha256): "
                + ("identical." if same else "**different**.")
                if runs[0]["digest"]
                else ""
            ),
            "",
            "| runs | match s (median) | runs s | CPU s (median) | inputs s | peak MiB | gaps | candidates |",
            "|---|---|---|---|---|---|---|---|",
            f"| {len(runs)} | **{med:.2f}** | {', '.join(format(r['match_s'], '.2f') for r in runs)} "
            f"| {statistics.median(r['match_cpu_s'] for r in runs):.2f} "
            f"| {statistics.median(r['inputs_s'] for r in runs):.2f} "
            f"| {max(r['peak_mb'] for r in runs):.0f} | {r0['gaps']} | {r0['candidates']:,} |",
            "",
            END,
        ]
    )
    print(section)
    if not a.no_doc:
        text = DOC.read_text("utf-8")
        if START in text:
            text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
        DOC.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
