"""Render docs/benchmarks.md from benchmarks/out/results.json."""

from __future__ import annotations

from typing import Any

GOALS = {
    "baci_import": (
        "Import one BACI-size year CSV (10,979,713 rows) into an empty workspace",
        "DuckDB `CREATE TABLE AS SELECT * FROM read_csv(...)` into a fresh file",
        "at most 1.5x DuckDB's read (whole process); peak memory under 1 GB",
    ),
    "customs_xlsx": (
        "Import a 1,000,000-row customs workbook (Persian headers) with progress",
        "python-calamine reading the same sheet into Python lists (the floor: our reader)",
        "under 60 s; peak memory under 1 GB (streamed)",
    ),
    "complexity_hs6": (
        "Complexity, BACI-size year at HS6 (230 x 5,000), end to end from the raw Parquet",
        "`ecomplexity` 0.5.3 on pre-aggregated exporter x HS6 totals",
        "at least 30x faster, at most half the peak memory",
    ),
    "complexity_hs4": (
        "Complexity at HS4 (230 x 1,240), end to end from the raw Parquet",
        "`ecomplexity` 0.5.3 on pre-aggregated exporter x HS4 totals",
        "at least 4x faster, at most half the peak memory",
    ),
    "complexity_hs6_cli": (
        "The HS6 case through `exportplan complexity FILE --baci` (CLI start-up included)",
        "the same `ecomplexity` 0.5.3 runs as above",
        "(for information)",
    ),
    "complexity_sitc": (
        "Complexity on the real SITC world set (226 x 785), from CSV",
        "`ecomplexity` 0.5.3 from the same CSV",
        "(no stated goal)",
    ),
}


def baci_import_section(b: dict[str, Any]) -> list[str]:
    """The BACI import benchmark (`benchmarks/baci_import_bench.py`), round by round."""
    labels = {
        "ours": "ours: import into an empty workspace",
        "ours_with_init": "ours: workspace created in the same process, then the import",
        "baseline": "before: the same import with the code of `--baseline-src`",
    }
    lines = [
        "",
        f"BACI import (`python benchmarks/baci_import_bench.py`, {b['date']}, {b['machine']};"
        f" load average {b['load_before']} before, {b['load_after']} after"
        + (f"; {b['note']}" if b.get("note") else "")
        + f"): {b['rows']:,} rows ({b['file_mb']:.0f} MiB of CSV), the peer and ours"
        " alternately, each run a fresh process measured from outside (wall and CPU time,"
        " `os.wait4`) with the peak RSS it reports itself (VmHWM since exec)."
        " Ratio = median of ours / median of the peer's;"
        " per round = median of each round's ratio. Goal: at most 1.5x, peak under 1 GB.",
        "",
        "| process | runs | wall s (median) | CPU s | peak MiB (median / max) | ratio | per round "
        "| CPU ratio |",
        "|---|---|---|---|---|---|---|---|",
    ]
    p = b["peer"]
    lines.append(
        f"| peer: DuckDB read_csv into a fresh file | {len(p['runs'])} | {p['wall']:.2f} "
        f"| {p['cpu']:.2f} | {p['maxrss_mb']:.0f} / {p['maxrss_mb_max']:.0f} | 1 | 1 | 1 |"
    )
    for key, label in labels.items():
        if key in b:
            o = b[key]
            lines.append(
                f"| {label} | {len(o['runs'])} | {o['wall']:.2f} | {o['cpu']:.2f} "
                f"| {o['maxrss_mb']:.0f} / {o['maxrss_mb_max']:.0f} "
                f"| **{o['ratio_of_medians']:.2f}** | {o['ratio_per_round']:.2f} "
                f"| {o['cpu_ratio']:.2f} |"
            )
    return lines


OPPORTUNITIES_GOAL = "under 10 s and 2 GB cold, under 1 s warm"


def opportunities_section(o: dict[str, Any]) -> list[str]:
    """The export potential's paragraph and table (``benchmarks/opportunities_bench.py``)."""
    when = o.get("_meta", {})
    lines = [
        "",
        "Export potential over all HS6 products x all markets (`python "
        "benchmarks/opportunities_bench.py`): a BACI-size workspace of five years (230 countries "
        "x 5,000 HS6, ~11 million rows a year, 55 million in all) and a region of 200,000 customs "
        "rows; each figure in a fresh process, medians; peak = the process's own VmHWM "
        f"(benchmarks/peak.py). Goal: {OPPORTUNITIES_GOAL} (issue 14). No peer is named (no open "
        "tool computes a regional export potential); the earlier code is the reference.",
    ]
    if when:
        lines += [
            "",
            f"Measured {when.get('date', '?')} on {when.get('machine', '?')}; load average "
            f"{when.get('load_before', '?')} before, {when.get('load_after', '?')} after"
            + (f" ({when['note']})" if when.get("note") else "")
            + ". CPU s is the process's own CPU time (both threads), less sensitive to a shared "
            "machine than the wall clock.",
        ]
    lines += [
        "",
        "| step | rows | median s | max s | entry written s | CPU s | peak MiB | runs |",
        "|---|---|---|---|---|---|---|---|",
    ]
    labels = {
        "cold": "cold: world aggregates over 55 M rows + potential",
        "warm": "warm: potential from the cached world aggregates",
        "markets": "markets for one product, all cached",
    }
    for key, label in labels.items():
        if key in o:
            r = o[key]
            cpu = f"{r['cpu_s']:.2f}" if "cpu_s" in r else "-"
            written = f"{r['written_s']:.2f}" if "written_s" in r else "-"
            lines.append(
                f"| {label} | {r['rows']:,} | {r['median_s']:.2f} | {r['max_s']:.2f} | {written} "
                f"| {cpu} | {r['maxrss_mb']:.0f} | {r['runs']} |"
            )
    if "cold" in o and "warm" in o:
        c, w = o["cold"], o["warm"]

        def met(ok: bool) -> str:
            return "met" if ok else "**not met**"

        lines += [
            "",
            f"Against the goal, this run: cold under 10 s {met(c['median_s'] < 10)} "
            f"({c['median_s']:.2f} s), peak under 2 GB {met(c['maxrss_mb_max'] < 2048)} "
            f"({c['maxrss_mb_max']:.0f} MiB at most), warm under 1 s {met(w['median_s'] < 1)} "
            f"({w['median_s']:.2f} s). Wall times on a loaded machine are provisional: rerun the "
            "command on a quiet one. \"median s\" is the time until the table is returned (what a "
            "page waits for); the potential's cache entry is written after it, in a thread of its "
            "own, and \"entry written s\" is the time until it is on disk (what a command's process "
            "waits for before it exits).",
        ]
    for note in o.get("_notes", []):
        lines += ["", note]
    return lines


def customs_xlsx_row(b: dict[str, Any]) -> str:
    """The customs workbook's row of the main table (`benchmarks/customs_bench.py`)."""
    what, _peer, goal = GOALS["customs_xlsx"]
    o, p = b["ours"], b["peer"]
    return (
        f"| {what} | {len(o['runs'])} | {o['wall']:.2f} ({o['seconds']:.2f}) "
        f"| {p['wall']:.2f} ({p['seconds']:.2f}) "
        f"| ours/peer process = {o['ratio_of_medians']:.2f} "
        f"| {o['maxrss_mb']:.0f} / {p['maxrss_mb']:.0f} | {goal} |"
    )


def customs_xlsx_section(b: dict[str, Any]) -> list[str]:
    """The customs workbook benchmark (`benchmarks/customs_bench.py`), process by process."""
    labels = {
        "ours": "ours: `import customs` into a fresh workspace, with progress",
        "baseline": "before: the same import with the code of `--baseline-src`",
    }
    lines = [
        "",
        f"Customs workbook import (`python benchmarks/customs_bench.py`, {b['date']}, "
        f"{b['machine']}; load average {b['load_before']} before, {b['load_after']} after"
        + (f"; {b['note']}" if b.get("note") else "")
        + f"): {b['rows']:,} rows ({b['file_mb']:.0f} MiB of xlsx), the peer and ours"
        " alternately, each run a fresh process measured from outside (wall and CPU time)"
        " with the peak RSS it reports itself (VmHWM since exec). The sheet is read a chunk of"
        " rows at a time into text columns and checked a chunk at a time (docs/data.md); the"
        " import peaked at 2066 MiB when it held the rows as Python lists. Goals: under 60 s,"
        " peak under 1 GB.",
        "",
        "| process | runs | wall s (median) | CPU s | peak MiB (median / max) | ratio |",
        "|---|---|---|---|---|---|",
    ]
    p = b["peer"]
    lines.append(
        f"| peer: python-calamine reading the sheet into lists | {len(p['runs'])} "
        f"| {p['wall']:.2f} | {p['cpu']:.2f} | {p['maxrss_mb']:.0f} / {p['maxrss_mb_max']:.0f} "
        "| 1 |"
    )
    for key, label in labels.items():
        if key in b:
            o = b[key]
            lines.append(
                f"| {label} | {len(o['runs'])} | {o['wall']:.2f} | {o['cpu']:.2f} "
                f"| {o['maxrss_mb']:.0f} / {o['maxrss_mb_max']:.0f} "
                f"| **{o['ratio_of_medians']:.2f}** |"
            )
    return lines


def render(results: dict[str, Any]) -> str:
    meta = results.get("_meta", {})
    lines = [
        "# Benchmarks",
        "",
        f"Last run: **{meta.get('date', '?')}** on {meta.get('machine', '?')}. Command: `make bench`",
        "(`python benchmarks/run.py`; `--only import|customs|complexity|monitor|opportunities|web|pages|report`"
        " for one part).",
        "",
        "Every figure is the median of the runs counted in the table (each in a fresh process), measured",
        "in the same session as its peer. *Process* is the whole process from outside (start-up,",
        "imports, reading and writing included); *timed* is the section the task times itself",
        "(for imports: the import call, after the workspace exists). Peak memory is the process's",
        "maximum resident set. Tests never assert times; this page records them.",
        "",
        "| benchmark | runs | ours: process s (timed s) | peer: process s (timed s) | speed ratio "
        "| peak MiB ours / peer | goal |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, (what, _peer, goal) in GOALS.items():
        if key not in results:
            continue
        o, p = results[key]["ours"], results[key]["peer"]
        if key == "customs_xlsx" and "ratio_of_medians" in o:
            lines.append(customs_xlsx_row(results[key]))
            continue
        if key == "baci_import" and "ratio_of_medians" in o:
            ratio = f"ours/peer process = **{o['ratio_of_medians']:.2f}**"
        elif key in ("baci_import", "customs_xlsx"):
            ratio = f"ours/peer timed = {o['seconds'] / p['seconds']:.2f}"
        else:
            ratio = f"peer/ours process = **{p['wall'] / o['wall']:.1f}x**"
        lines.append(
            f"| {what} | {len(o['runs'])} | {o['wall']:.2f} ({o['seconds']:.2f}) "
            f"| {p['wall']:.2f} ({p['seconds']:.2f}) "
            f"| {ratio} | {o['maxrss_mb']:.0f} / {p['maxrss_mb']:.0f} | {goal} |"
        )
    if "baci_import" in results and "ratio_of_medians" in results["baci_import"]["ours"]:
        lines += baci_import_section(results["baci_import"])
    if "customs_xlsx" in results and "ratio_of_medians" in results["customs_xlsx"]["ours"]:
        lines += customs_xlsx_section(results["customs_xlsx"])
    if "monitor_5m" in results:
        lines += [
            "",
            "Monitoring over a region with 5,000,000 customs rows (`benchmarks/monitor_bench.py`):",
            "each query warm, 30 calls in one process, each opening its own read-only connection",
            "(as a CLI call or a web request does). Goal: under 200 ms. No peer is named.",
            "",
            "| query | median ms | p95 ms |",
            "|---|---|---|",
        ]
        for name, r in results["monitor_5m"].items():
            lines.append(f"| {name} | {r['median_ms']:.0f} | {r['p95_ms']:.0f} |")
    if "opportunities" in results:
        lines += opportunities_section(results["opportunities"])
    if "web_load" in results:
        w = results["web_load"]
        lines += [
            "",
            f"Web pages under load (`benchmarks/web_load.py`): {w['clients']} concurrent clients, each "
            "with its own keep-alive connection, on the demo workspace, against `exportplan serve` "
            f"(one process) on 127.0.0.1; {w['requests_per_run']:,} requests a run, {w['runs']} runs, "
            "medians. Goal: under 150 ms at the 95th percentile. No peer is named. Cold = the "
            "first request after start (the page's context is then cached until the data change).",
            "",
            "| page | cold ms | median ms | p95 ms (runs) | max ms |",
            "|---|---|---|---|---|",
        ]
        for page in ("dashboard", "monitor"):
            r = w[page]
            runs = ", ".join(f"{x:.0f}" for x in r["p95_ms_runs"])
            lines.append(
                f"| {page} | {r['cold_ms']:.0f} | {r['median_ms']:.0f} | **{r['p95_ms']:.0f}** ({runs}) "
                f"| {r['max_ms']:.0f} |"
            )
        lines.append(f"\nThroughput: {w['throughput_rps']:.0f} requests/s (median of runs).")
    if "pages_bench" in results:  # every page, and the program page of 500 actions
        from benchmarks.pages_bench import section as pages_section

        lines += ["", *pages_section(results["pages_bench"]).splitlines()]
    if "import_load" in results:
        b = results["import_load"]
        lines += [
            "",
            "Pages while a 1,000,000-row customs file imports (`benchmarks/import_load.py`,"
            " `--only background`): `exportplan serve` on the demo workspace, "
            f"{b['clients']} client threads with their own keep-alive connections requesting the"
            " dashboard, the monitor and the data page in turn; the import is `exportplan import"
            " customs` in its own process, handed to the server's writer. The peer is the same"
            " pages with no import, in the same run (the baseline). Goal: no failed request and"
            " p95 under 500 ms during the import.",
            "",
            "| pages | requests | failed | median ms | p95 ms | max ms |",
            "|---|---|---|---|---|---|",
        ]
        for phase, label in (("baseline", "no import (peer)"), ("import", "during the import")):
            r = b[phase]
            lines.append(
                f"| {label} | {r['requests']:,.0f} | {r['errors_total']} | {r['median_ms']:.0f} "
                f"| **{r['p95_ms']:.0f}** | {r['max_ms']:.0f} |"
            )
        ratio = b["import"]["p95_ms"] / b["baseline"]["p95_ms"]
        lines.append(
            f"\nThe import took {b['import_s']:.1f} s (median of {b['runs']} run(s)); p95 during it "
            f"/ p95 without = {ratio:.2f}. The command printed: `{b['summary']}`."
        )
    if "council_pdf" in results:
        c = results["council_pdf"]
        lines += [
            "",
            "Council pack for the demo workspace (`benchmarks/report_bench.py`): a fresh process opens "
            "the workspace and renders the PDF (contexts from the services, charts to PNG with "
            "vl-convert, WeasyPrint); medians. Goal: under 10 s. No peer is named.",
            "",
            "| language | runs | render s | whole process s | peak RSS MB | PDF bytes |",
            "|---|---|---|---|---|---|",
        ]
        for lang in ("fa", "en"):
            if lang in c:
                r = c[lang]
                lines.append(
                    f"| {lang} | {r['runs']} | **{r['median_s']:.2f}** | {r['process_s']:.2f} "
                    f"| {r['maxrss_mb']:.0f} | {r['bytes']:,} |"
                )
    lines += ["", "Peers:", ""]
    for key, (_what, peer, _goal) in GOALS.items():
        if key in results:
            lines.append(f"- {key}: {peer}")
    lines += [
        "",
        "Notes",
        "",
        "- The complexity peer is given exporter x product totals already aggregated (its input",
        "  format); ours reads the 11-million-row BACI-layout Parquet, aggregates it with DuckDB,",
        "  computes RCA, M, diversity, ubiquity, ECI, PCI, density, COI and COG, and writes the",
        "  1.15-million-row result to Parquet, all inside the timed process.",
        "- The two do not compute the same numbers: 0.5.3 keeps a proximity diagonal of 1 and",
        "  standardises with the population sd; ours follows the Growth Lab's Stata conventions",
        "  (zero diagonal, sample sd over the long rows), verified in tests/test_conformance.py.",
        "- How: density and COG need only `X @ phi`; we keep the exact float32 co-occurrence",
        "  counts and derive `phi` one block of columns at a time (never the 200 MB float64",
        "  matrix), stack the density and COG right-hand sides into one matrix product, and solve",
        "  the eigenvector on the 230 x 230 symmetric side (exact, see docs/methods/eci-pci.md).",
        "- Raw per-run figures: benchmarks/out/results.json after a run.",
        "",
    ]
    return "\n".join(lines)
