"""Calibration study of the year-end forecast: interval coverage and target probabilities on simulated series.

``make calibrate`` (or ``python benchmarks/forecast_calibration.py --write-docs``) simulates
monthly export series from five processes, forecasts the last year at months 1-11 from the
last 3..12 complete years with :func:`exportplan.analytics.forecast.forecast_year` (the very
function the workspace and ``monitor forecast --series`` call), and measures:

* the empirical coverage of the 80% and 95% intervals against the realised year total, by
  history length x process and overall (also for the old normal-quantile rule, for reference);
* the reliability of ``P(Y >= T)`` for targets drawn around the truth (``T = Y exp(u)``,
  ``u ~ N(0, 0.15)``): predicted probability in ten bins against the observed frequency;
* the Brier score against a climatological baseline (the base rate of reaching the target).

Seeds: one ``SeedSequence`` is split into a *tuning* set and a *held-out* set before anything
is tuned; choices (back-test minimum years, share window) were made on ``--split tune`` and
the table in docs/monitoring.md is written from ``--split holdout`` only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import math
import os
import platform
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from exportplan.analytics.forecast import forecast_year  # noqa: E402

PROCESSES = ("stable", "trending", "ar1", "shocks", "drifting")
HISTORIES = tuple(range(3, 13))  # complete years before the forecast year
MONTHS = tuple(range(1, 12))
YEARS = 13  # 12 history years at most + the forecast year
MASTER_SEED = 20261201
Z80, Z95 = 1.2815515655446004, 1.959963984540054
TARGET_SD = 0.15
DOCS = ROOT / "docs" / "monitoring.md"
START, END = "<!-- calibration:start -->", "<!-- calibration:end -->"
FloatArray = NDArray[np.float64]


def seeds(split: str) -> dict[str, np.random.SeedSequence]:
    """One seed per process, from the tuning or the held-out half of the master sequence."""
    tune, holdout = np.random.SeedSequence(MASTER_SEED).spawn(2)
    base = {"tune": tune, "holdout": holdout}[split]
    return dict(zip(PROCESSES, base.spawn(len(PROCESSES)), strict=True))


def simulate(process: str, n: int, rng: np.random.Generator) -> FloatArray:
    """``n`` monthly series of ``YEARS`` years (shape n x YEARS x 12), positive values (USD)."""
    t = np.arange(YEARS * 12)
    amp = rng.uniform(0.1, 0.4, (n, 1))
    season = rng.normal(0.0, 1.0, (n, 12))
    season = amp * (season - season.mean(1, keepdims=True)) / season.std(1, keepdims=True)
    sigma = rng.uniform(0.05, 0.25, (n, 1))
    level = rng.normal(16.0, 1.0, (n, 1))
    seas = np.tile(season, YEARS)  # (n, YEARS*12)
    if process == "stable":
        x = level + seas + sigma * rng.normal(size=(n, t.size))
    elif process == "trending":
        g = rng.uniform(-0.1, 0.25, (n, 1))
        x = level + g * t / 12.0 + seas + sigma * rng.normal(size=(n, t.size))
    elif process == "ar1":
        phi = rng.uniform(0.3, 0.8, (n, 1))
        eta = rng.uniform(0.02, 0.06, (n, 1)) * rng.normal(size=(n, t.size))
        growth = np.zeros((n, t.size))
        for i in range(1, t.size):
            growth[:, i] = phi[:, 0] * growth[:, i - 1] + eta[:, i]
        x = level + np.cumsum(growth, 1) + seas + 0.5 * sigma * rng.normal(size=(n, t.size))
    elif process == "shocks":
        jumps = (rng.random((n, t.size)) < 1 / 24) * rng.normal(0.0, 0.25, (n, t.size))
        x = level + np.cumsum(jumps, 1) + seas + sigma * rng.normal(size=(n, t.size))
    elif process == "drifting":
        steps = rng.normal(0.0, 0.06, (n, YEARS, 12))
        steps[:, 0] = 0.0
        drift = np.cumsum(steps, 1)
        drift -= drift.mean(2, keepdims=True)
        seas_y = season[:, None, :] + drift
        x = level + seas_y.reshape(n, -1) + sigma * rng.normal(size=(n, t.size))
    else:
        raise ValueError(process)
    return np.exp(x).reshape(n, YEARS, 12)


def _run(args: tuple[str, int, str, int, int]) -> dict[str, Any]:
    """Every forecast of one process: coverage counts and probability pairs."""
    process, n, split, min_years, k_years = args
    rng = np.random.default_rng(seeds(split)[process])
    data = simulate(process, n, rng)
    u = rng.normal(0.0, TARGET_SD, (n, len(HISTORIES), len(MONTHS)))
    cov: dict[tuple[int, int], list[int]] = {}  # (H, month) -> [n, in80, in95, old80, old95]
    probs: list[tuple[int, float, int]] = []  # (H, p, reached)
    widths: dict[int, list[float]] = {}
    for s in range(n):
        truth = float(data[s, -1].sum())
        for hi, h in enumerate(HISTORIES):
            hist = {y: data[s, y] for y in range(YEARS - 1 - h, YEARS - 1)}
            for mi, m in enumerate(MONTHS):
                cur = data[s, -1].copy()
                cur[m:] = np.nan
                hist[YEARS - 1] = cur
                f = forecast_year(hist, YEARS - 1, m, k_years=k_years, min_years=min_years)
                c = cov.setdefault((h, m), [0, 0, 0, 0, 0])
                if f.low80 is None or f.high80 is None or f.low95 is None or f.high95 is None:
                    continue
                c[0] += 1
                c[1] += f.low80 <= truth <= f.high80
                c[2] += f.low95 <= truth <= f.high95
                e = np.array([b.log_error for b in f.backtests])
                mu, sd = float(e.mean()), max(float(e.std(ddof=1)), 1e-9)
                r = math.log(truth / f.point) - mu
                c[3] += abs(r) <= Z80 * sd
                c[4] += abs(r) <= Z95 * sd
                widths.setdefault(h, []).append(math.log(f.high80 / f.low80))
                target = truth * math.exp(float(u[s, hi, mi]))
                p = f.prob_at_least(target)
                assert p is not None
                probs.append((h, p, int(truth >= target)))
    return {"process": process, "cov": cov, "probs": probs, "widths": widths}


def study(n: int, split: str, min_years: int, k_years: int, jobs: int) -> dict[str, Any]:
    tasks = [(p, n, split, min_years, k_years) for p in PROCESSES]
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            parts = list(pool.map(_run, tasks))
    else:
        parts = [_run(t) for t in tasks]
    return {p["process"]: p for p in parts}


def _pct(a: float, b: float) -> str:
    return f"{100 * a / b:.1f}" if b else "-"


def tables(res: dict[str, Any], *, old: bool = True) -> str:
    """Markdown: coverage by history x process, by month, reliability and Brier score."""
    lines: list[str] = []

    def cov_table(idx_new: int, idx_old: int, label: str) -> None:
        lines.append(f"**{label}** (percent of forecasts whose interval held the year total)\n")
        head = "| history years (back-test years) | " + " | ".join(PROCESSES) + " | all |"
        lines.append(head)
        lines.append("|" + "---|" * (len(PROCESSES) + 2))
        for h in HISTORIES:
            cells, tot, hit, hit_old = [], 0, 0, 0
            for p in PROCESSES:
                k = sum(res[p]["cov"].get((h, m), [0])[0] for m in MONTHS)
                x = sum(res[p]["cov"].get((h, m), [0] * 5)[idx_new] for m in MONTHS)
                xo = sum(res[p]["cov"].get((h, m), [0] * 5)[idx_old] for m in MONTHS)
                tot, hit, hit_old = tot + k, hit + x, hit_old + xo
                cells.append(_pct(x, k) if k else "no interval")
            all_ = _pct(hit, tot) if tot else "no interval"
            if old and tot:
                all_ += f" (normal: {_pct(hit_old, tot)})"
            lines.append(f"| {h} ({max(h - 2, 0)}) | " + " | ".join(cells) + f" | {all_} |")
        lines.append("")

    cov_table(1, 3, "80% interval")
    cov_table(2, 4, "95% interval")
    lines.append("**By month, history of 5 years or more, all processes** (80% / 95%)\n")
    lines.append("| month | " + " | ".join(str(m) for m in MONTHS) + " |")
    lines.append("|" + "---|" * (len(MONTHS) + 1))
    row = []
    for m in MONTHS:
        c = np.sum([res[p]["cov"][(h, m)] for p in PROCESSES for h in HISTORIES if h >= 5], 0)
        row.append(f"{_pct(c[1], c[0])} / {_pct(c[2], c[0])}")
    lines.append("| coverage | " + " | ".join(row) + " |\n")
    probs = np.array([q for p in PROCESSES for q in res[p]["probs"]], dtype=np.float64)
    lines.append(
        "**Reliability of P(reaching the target)** (targets `T = Y exp(u)`, `u ~ N(0, "
        f"{TARGET_SD})`; all histories with an interval, months 1-11)\n"
    )
    lines.append("| predicted | forecasts | mean predicted | observed |")
    lines.append("|---|---|---|---|")
    edges = np.linspace(0, 1, 11)
    for lo, hi in itertools.pairwise(edges):
        sel = (probs[:, 1] >= lo) & ((probs[:, 1] < hi) if hi < 1 else (probs[:, 1] <= hi))
        k = int(sel.sum())
        if k:
            lines.append(
                f"| {lo:.1f}-{hi:.1f} | {k:,} | {probs[sel, 1].mean():.3f} | "
                f"{probs[sel, 2].mean():.3f} |"
            )
    lines.append("")
    lines.append("| history years | Brier score | climatological Brier | skill |")
    lines.append("|---|---|---|---|")
    for label, sel in [
        *[(str(h), probs[:, 0] == h) for h in HISTORIES if (probs[:, 0] == h).any()],
        ("all", np.ones(len(probs), dtype=bool)),
    ]:
        p_, y_ = probs[sel, 1], probs[sel, 2]
        brier = float(np.mean((p_ - y_) ** 2))
        clim = float(np.mean((y_.mean() - y_) ** 2))
        lines.append(f"| {label} | {brier:.4f} | {clim:.4f} | {1 - brier / clim:+.3f} |")
    top = probs[probs[:, 1] >= 0.99]
    if len(top):
        lines.append(
            f'\nForecasts shown as ">99%": {len(top):,}; the target was missed in '
            f"{100 * (1 - top[:, 2].mean()):.1f}% of them."
        )
    lines.append("")
    return "\n".join(lines)


def write_docs(text: str) -> None:
    doc = DOCS.read_text(encoding="utf-8")
    block = f"{START}\n{text}\n{END}"
    if START in doc:
        doc = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _m: block, doc, flags=re.S)
    else:
        doc = doc.rstrip() + "\n\n" + block + "\n"
    DOCS.write_text(doc, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--series", type=int, default=1000, help="series per process (default 1000)")
    ap.add_argument("--split", choices=("tune", "holdout"), default="holdout")
    ap.add_argument("--min-years", type=int, default=2, help="complete years before a back-test")
    ap.add_argument("--k-years", type=int, default=5, help="years in the seasonal share")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--write-docs", action="store_true", help="write the tables into the docs")
    a = ap.parse_args()
    t0 = time.perf_counter()
    res = study(a.series, a.split, a.min_years, a.k_years, a.jobs)
    secs = time.perf_counter() - t0
    n_fc = a.series * len(PROCESSES) * len(HISTORIES) * len(MONTHS)
    cmd = (
        f"python benchmarks/forecast_calibration.py --series {a.series} --split {a.split}"
        + (f" --min-years {a.min_years}" if a.min_years != 2 else "")
        + (f" --k-years {a.k_years}" if a.k_years != 5 else "")
        + (" --write-docs" if a.write_docs else "")
    )
    head = (
        f"Measured {dt.date.today().isoformat()} on {platform.machine()} "
        f"({os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}), "
        f"{a.series:,} series per process, {n_fc:,} forecasts, split `{a.split}` "
        f"(seeds: `SeedSequence({MASTER_SEED}).spawn(2)[{0 if a.split == 'tune' else 1}]`), "
        f"{secs:.0f} s with {a.jobs} processes. Command: `{cmd}` (`make calibrate`).\n"
    )
    text = head + "\n" + tables(res)
    print(text)
    if a.write_docs:
        if a.split != "holdout":
            raise SystemExit("the docs take the held-out split only")
        write_docs(text)


if __name__ == "__main__":
    main()
