"""Benchmark: the product space's layout at HS4 size, cold (no cache), against a plain numpy
Fruchterman-Reingold over all pairs on the same graph (the peer: what was too slow before).

Both draw the same backbone (maximum spanning tree plus links >= 0.55, average degree about 4)
of a proximity matrix of 1,200 products from a seeded presence matrix of 230 locations, with
the same number of iterations (300) and the same start; each run is a fresh process timing
its own layout (backbone included for ours). Goal: ours under 3 s. Writes its section of
docs/benchmarks.md with ``--write-docs``:

    python benchmarks/product_space_bench.py --write-docs
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
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- product-space-bench -->", "<!-- /product-space-bench -->"


def phi_matrix(n: int, locations: int = 230, seed: int = 11) -> Any:
    import numpy as np

    from exportplan.analytics.relatedness import proximity

    rng = np.random.default_rng(seed)
    cap, req = rng.normal(size=(locations, 4)), rng.normal(size=(n, 4))
    m = (cap @ req.T + rng.normal(size=(locations, n)) * 1.5) > 1.8
    return proximity(m)


def naive_fr(n: int, src: Any, dst: Any, iterations: int, seed: int) -> Any:
    """Fruchterman-Reingold with the exact repulsion of every pair (n x n per iteration)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, size=(n, 2))
    k = np.sqrt(4.0 / n)
    temp, cool = 0.2, 0.2 / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        d2 = np.maximum((delta**2).sum(axis=2), 1e-4)
        disp = (delta * (k * k / d2)[:, :, None]).sum(axis=1)
        ex = pos[dst] - pos[src]
        fa = ex * np.sqrt((ex * ex).sum(axis=1))[:, None] / k
        for c in (0, 1):
            disp[:, c] += np.bincount(src, weights=fa[:, c], minlength=n)
            disp[:, c] -= np.bincount(dst, weights=fa[:, c], minlength=n)
        length = np.sqrt((disp * disp).sum(axis=1))[:, None]
        pos += disp / np.maximum(length, 1e-12) * np.minimum(length, temp)
        temp -= cool
    return pos


def child(which: str, n: int, iterations: int) -> dict[str, float]:
    """One run (in this fresh process): the seconds of the layout."""
    sys.path.insert(0, str(ROOT / "src"))
    from exportplan.analytics import product_space as psa

    phi = phi_matrix(n)
    start, cpu = time.perf_counter(), time.process_time()
    bb = psa.backbone(phi)
    if which == "ours":
        psa.layout(bb, iterations=iterations, seed=7)
    else:
        naive_fr(n, bb.src, bb.dst, iterations, seed=7)
    return {
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "edges": float(bb.src.size),
    }


def machine() -> str:
    import numpy

    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {numpy.__version__}, load average {os.getloadavg()[0]:.1f} at the start"
    )


def section(res: dict[str, Any]) -> str:
    ours, peer = res["ours"], res["peer"]
    ratio = statistics.median(peer) / statistics.median(ours)
    met = "met" if statistics.median(ours) < 3.0 else "**not met**"
    return "\n".join(
        [
            BEGIN,
            f"Product space layout (`python benchmarks/product_space_bench.py --write-docs`), "
            f"{res['date']} on {res['machine']}: {res['n']} products (HS4 size), "
            f"{res['edges']:.0f} backbone edges, {res['iterations']} iterations, each run a "
            "fresh process timing its own layout (the backbone included), cold (no cache). "
            "Peer: the same force model with the exact repulsion of every pair. Goal: under 3 s.",
            "",
            "| layout | runs | wall s (median) | runs' wall s | CPU s (median) | ratio | goal |",
            "|---|---|---|---|---|---|---|",
            f"| peer: all-pairs numpy Fruchterman-Reingold | {len(peer)} | "
            f"{statistics.median(peer):.2f} | {', '.join(f'{x:.2f}' for x in peer)} | "
            f"{statistics.median(res['peer_cpu']):.2f} | 1 | |",
            f"| ours: edges plus a 12 x 12 repulsion grid | {len(ours)} | "
            f"**{statistics.median(ours):.2f}** | {', '.join(f'{x:.2f}' for x in ours)} | "
            f"{statistics.median(res['ours_cpu']):.2f} | peer/ours = **{ratio:.1f}x** | "
            f"< 3 s: {met} |",
            "",
            res.get("note", "").strip(),
            END,
        ]
    )


def write_docs(res: dict[str, Any]) -> None:
    text = DOC.read_text("utf-8")
    block = section(res)
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, "utf-8")


def main() -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--products", type=int, default=1200)
    ap.add_argument("--iterations", type=int, default=300)
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--note", default="")
    ap.add_argument("--child", choices=("ours", "peer"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.products, args.iterations)))
        return {}
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    res: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "n": args.products,
        "iterations": args.iterations,
        "ours": [],
        "peer": [],
        "ours_cpu": [],
        "peer_cpu": [],
        "note": args.note,
    }
    for _ in range(args.runs):  # alternately, so a change of load hits both
        for which in ("ours", "peer"):
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    which,
                    "--products",
                    str(args.products),
                    "--iterations",
                    str(args.iterations),
                ],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            ).stdout
            got = json.loads(out.strip().splitlines()[-1])
            res[which].append(got["seconds"])
            res[f"{which}_cpu"].append(got["cpu"])
            res["edges"] = got["edges"]
            print(which, f"{got['seconds']:.2f} s", flush=True)
    print(section(res))
    if args.write_docs:
        write_docs(res)
    return res


if __name__ == "__main__":
    main()
