"""The back-test of export potential, on the demo and on a province with nothing to find
(``python benchmarks/potential_backtest.py``), written into docs/opportunities.md.

Builds (once, under benchmarks/data/) two workspaces with the demo's generator at the demo's
size: ``demo`` (the province drawn from its world's model, as `exportplan demo` builds it) and
``random`` (the same world; the province's flows drawn independently every year, so nothing
at year T says anything about T + K). On each it runs
`exportplan opportunities backtest` (entries and growth, with intervals) and, on the demo's
world, the demand check that chose the default demand growth (a weight on each market's own
trend, tuned on one half of the markets, judged on the other). The tables go between the
``backtest`` markers of docs/opportunities.md with the date, the machine and the command.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
DOC = ROOT / "docs" / "opportunities.md"
BEGIN, END = "<!-- backtest:begin -->", "<!-- backtest:end -->"
TODAY = dt.date(2026, 11, 28)  # the records run to 1405/08: complete Gregorian years 2020-2025


def build(path: Path, *, signal: bool, small: bool) -> None:
    from exportplan.services import demo

    if (path / "demo.json").exists():
        return
    size = {"years": 5, "products": 300, "rows_per_year": 40_000} if small else {}
    demo.build(path, today=TODAY, signal=signal, log=lambda _m: None, **size)  # type: ignore[arg-type]


def fmt(x: float) -> str:
    return "n/a" if x != x else f"{x:.2f}"


def backtest_table(path: Path, *, year: int, ahead: int, level: str, reps: int) -> list[str]:
    from exportplan.services import opportunities_backtest as obt
    from exportplan.workspace import open_workspace

    res = obt.backtest(open_workspace(path), year=year, ahead=ahead, level=level, reps=reps)
    m = res.meta
    lines = [
        f"{m['pairs']:,} pairs ({level.upper()}, {m['markets']} markets); entries: "
        f"{m['entries']:,} of {m['pairs_not_served']:,} pairs not served in "
        f"{m['region_years'][0]}-{year}; growth: {m['pairs_served']:,} pairs served in {year} "
        f"({m['exits']:,} exited by {year + ahead}). Ease of trade: {m['ease_basis']}'s ratio; "
        f"demand growth: {m['demand_growth']}.",
        "",
        "| test | method | statistic | estimate | 95% interval |",
        "|---|---|---|---|---|",
    ]
    for r in res.table.iter_rows(named=True):
        lines.append(
            f"| {r['test']} | {r['method']} | {r['statistic']} | {fmt(r['estimate'])} | "
            f"{fmt(r['low95'])} to {fmt(r['high95'])} |"
        )
    return lines


def demand_table(path: Path, *, year: int, ahead: int, level: str) -> list[str]:
    from exportplan.services import opportunities_backtest as obt
    from exportplan.workspace import open_workspace

    res = obt.demand_check(open_workspace(path), year=year, ahead=ahead, level=level)
    m = res.meta
    lines = [
        f"Outcome: {m['outcome']}; split: {m['split']}. Weight chosen on the tuning half: "
        f"**{m['chosen_on_tuning_half']:g}**.",
        "",
        "| trend weight | half | RMSE (log) | median abs. error (log) | pairs |",
        "|---|---|---|---|---|",
    ]
    for r in res.table.iter_rows(named=True):
        lines.append(
            f"| {r['trend_weight']:g} | {r['half']} | {r['rmse_log']:.3f} | "
            f"{r['median_abs_log']:.3f} | {r['pairs']:,} |"
        )
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--small", action="store_true", help="the test suite's small demo instead")
    ap.add_argument("--year", type=int, default=2022)
    ap.add_argument("--ahead", type=int, default=3)
    ap.add_argument("--level", default="hs6")
    ap.add_argument("--reps", type=int, default=500)
    ap.add_argument("--no-write", action="store_true", help="print, do not touch the docs")
    a = ap.parse_args()
    tag = "small" if a.small else "full"
    t0 = time.perf_counter()
    ws_demo, ws_random = DATA / f"bt_demo_{tag}", DATA / f"bt_random_{tag}"
    build(ws_demo, signal=True, small=a.small)
    build(ws_random, signal=False, small=a.small)
    demo_lines = backtest_table(ws_demo, year=a.year, ahead=a.ahead, level=a.level, reps=a.reps)
    rand_lines = backtest_table(ws_random, year=a.year, ahead=a.ahead, level=a.level, reps=a.reps)
    # the demo's world ends in 2024 and starts in 2019 (2020 small); a trend needs 3 years
    demand_ahead = min(a.ahead, 2024 - ((2020 if a.small else 2019) + 2))
    demand_year = 2024 - demand_ahead
    dem = demand_table(ws_demo, year=demand_year, ahead=demand_ahead, level=a.level)
    cmd = "python benchmarks/potential_backtest.py" + (" --small" if a.small else "")
    block = [
        BEGIN,
        f"Measured {dt.date.today().isoformat()} on {platform.node()} ({platform.machine()}, "
        f"Python {platform.python_version()}) with `{cmd}` "
        f"({time.perf_counter() - t0:.0f} s, building included); potential at {a.year} from "
        f"the data up to {a.year} (window 3 years), outcomes in {a.year + a.ahead}; "
        f"{a.reps} bootstrap draws of whole markets.",
        "",
        "**The demo** (the province drawn from its world's model: there is signal to find):",
        "",
        *demo_lines,
        "",
        "**Nothing to find** (the same world; the province's flows independent every year):",
        "",
        *rand_lines,
        "",
        f"**The demand default** (the demo's world, {demand_year} to "
        f"{demand_year + demand_ahead}):",
        "",
        *dem,
        END,
    ]
    text = "\n".join(block)
    print(text)
    if not a.no_write:
        doc = DOC.read_text("utf-8")
        pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
        if not pattern.search(doc):
            raise SystemExit(f"{DOC} has no {BEGIN} ... {END} block")
        DOC.write_text(pattern.sub(lambda _m: text, doc), encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
