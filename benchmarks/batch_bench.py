"""The world-scale complexity batch on DuckDB and on Spark ``local[2]``, all years of a
synthetic BACI-size world: ``python benchmarks/batch_bench.py`` (one command).

Defaults: 10 years (2013-2022) x ~11 million rows a year from the shared generator
(``../shared/bench/gen_world.py``, Parquet, cached in benchmarks/data/batch_world); DuckDB with
``--memory-limit 16GB`` and a spill folder; then Spark ``local[2]`` on the same years
(``--spark-years N`` for fewer, said in the output and the docs). Each engine runs in a fresh
process (``--child``) through the same service as ``exportplan complexity batch``; the child
prints its wall time and its own peak memory (VmHWM, :mod:`peak`), and for Spark the JVM's
VmHWM too (the JVM is a separate process). The two outputs are then compared over the years
both ran (``exportplan complexity compare``). Figures go to benchmarks/out/results.json
(``batch``) and, for a run at BACI size (>= 10 years, >= 11 M rows), docs/benchmarks.md.

A small run that only proves the command works:
``python benchmarks/batch_bench.py --years 2 --rows 200000 --countries 120 --products 1000 --no-doc``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
DATA = ROOT / "benchmarks" / "data"
PY = sys.executable
FIRST_YEAR = 2013
MARK_START = "<!-- batch-bench -->"
MARK_END = "<!-- /batch-bench -->"


def prepare(args: argparse.Namespace) -> tuple[Path, list[int]]:
    """The synthetic world (generated once per size): a folder of BACI-layout Parquet files."""
    years = [FIRST_YEAR + i for i in range(args.years)]
    wd = args.data / f"batch_world_{args.countries}x{args.products}_{args.rows}"
    missing = [y for y in years if not (wd / f"BACI_SYN_Y{y}.parquet").exists()]
    if missing:
        if not args.gen_world.exists():
            raise SystemExit(f"{args.gen_world} not found: give --gen-world PATH")
        wd.mkdir(parents=True, exist_ok=True)
        print(f"generating {len(missing)} year(s) into {wd} ...", flush=True)
        subprocess.run(
            [
                PY,
                str(args.gen_world),
                "--out",
                str(wd),
                "--years",
                ",".join(map(str, years)),  # one model: the years are a panel
                "--rows",
                str(args.rows),
                "--countries",
                str(args.countries),
                "--products",
                str(args.products),
                "--headings",  # HS4 headings: 1,240 at BACI size, fewer for a small world
                str(min(1240, args.products // 4)),
                "--formats",
                "parquet",
            ],
            check=True,
        )
    return wd, years


def child(args: argparse.Namespace) -> None:
    """One engine's run in this process; prints one JSON line with its figures."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.peak import peak_rss_mb
    from exportplan.services import batch, batch_engines

    years = [int(y) for y in args.child_years.split(",")]
    t0 = time.perf_counter()
    if args.child == "spark":
        batch.SPARK_YEARS_PER_JOB = args.spark_years_per_job
        conf = args.out_dir.parent / "batch_spark.yaml"
        conf.write_text(f"spark.driver.memory: {args.spark_driver_memory}\n", encoding="utf-8")
        eng = batch_engines.spark_engine("local[2]", conf)
        jvm_pid = int(eng.session.sparkContext._jvm.ProcessHandle.current().pid())
    else:
        eng = batch_engines.duckdb_engine(args.memory_limit, args.spill_dir)
        jvm_pid = 0
    started = time.perf_counter() - t0

    def progress(year: int, done: dict[str, Any]) -> None:  # a year's figures as it finishes
        row = {
            "progress": args.child,
            "year": year,
            "python_peak_mb": round(peak_rss_mb(), 1),
            "jvm_peak_mb": round(_jvm_peak_mb(jvm_pid), 1),
            "load": round(os.getloadavg()[0], 1),
        }
        print(json.dumps({**row, **done}), flush=True)

    man = batch.run(args.source, years, eng, args.out_dir, overwrite=True, progress=progress)
    jvm_mb = _jvm_peak_mb(jvm_pid)
    eng.close()
    rows_in = sum(s["input_rows"] for s in man["row_counts"].values())
    print(
        json.dumps(
            {
                "engine": args.child,
                "years": years,
                "input_rows": rows_in,
                "output_rows": sum(o["rows"] for o in man["outputs"]),
                "wall_s": round(time.perf_counter() - t0, 2),
                "start_s": round(started, 2),
                "batch_s": man["seconds"]["total"],
                "engine_s": round(sum(y["engine_s"] for y in man["seconds"]["years"].values()), 2),
                "driver_s": round(sum(y["driver_s"] for y in man["seconds"]["years"].values()), 2),
                "python_peak_mb": round(peak_rss_mb(), 1),
                "jvm_peak_mb": round(jvm_mb, 1),
                "versions": man["engine"]["versions"],
                "spill_bytes": _size(args.spill_dir) if args.spill_dir else 0,
            }
        ),
        flush=True,
    )


def _jvm_peak_mb(pid: int) -> float:
    """The Spark JVM's own VmHWM (0 without one)."""
    if not pid:
        return 0.0
    status = Path(f"/proc/{pid}/status").read_text()
    m = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(m.group(1)) / 1024 if m else 0.0


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def run_child(
    engine: str, source: Path, years: list[int], out: Path, args: argparse.Namespace
) -> dict[str, Any]:
    cmd = [
        PY,
        str(Path(__file__).resolve()),
        "--child",
        engine,
        "--source",
        str(source),
        "--child-years",
        ",".join(map(str, years)),
        "--out-dir",
        str(out),
        "--memory-limit",
        args.memory_limit,
        "--spill-dir",
        str(args.spill_dir),
        "--spark-driver-memory",
        args.spark_driver_memory,
        "--spark-years-per-job",
        str(args.spark_years_per_job),
    ]
    env = dict(os.environ, PYTHONPATH=f"{ROOT / 'src'}{os.pathsep}{ROOT}")
    t = time.perf_counter()
    # the child's lines (a year's figures as it finishes, then the run's) are echoed as they
    # come, so a run stopped part way still shows which years finished and how fast
    lines: list[str] = []
    err_log = out.parent / f"batch_{engine}.stderr"
    with (
        err_log.open("w", encoding="utf-8") as err_fh,
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err_fh, text=True, env=env) as proc,
    ):
        assert proc.stdout is not None
        for ln in proc.stdout:
            print(f"  {ln.rstrip()}", flush=True)
            lines.append(ln)
    if proc.returncode != 0:
        err = err_log.read_text(encoding="utf-8", errors="replace")
        raise SystemExit(f"{engine} failed:\n{err[-3000:]}")
    line = [ln for ln in lines if ln.startswith('{"engine"')][-1]
    fig: dict[str, Any] = json.loads(line)
    fig["process_s"] = round(time.perf_counter() - t, 2)
    return fig


def doc_section(res: dict[str, Any]) -> list[str]:
    d, s = res["duckdb"], res.get("spark")
    lines = [
        MARK_START,
        f"World-scale complexity batch (`python benchmarks/batch_bench.py`, {res['date']}, "
        f"{res['machine']}, load {res['load_before']} before / {res['load_after']} after): "
        f"{len(d['years'])} years x {res['rows_per_year']:,} rows a year (synthetic, "
        f"{res['countries']} x {res['products']}), Parquet; one run per engine, each a fresh "
        "process. Peak: the process's own VmHWM (and the Spark JVM's).",
        "",
        "| engine | years | input rows | process s | engine s | driver s | peak MiB (Python / JVM) | settings |",
        "|---|---|---|---|---|---|---|---|",
        f"| DuckDB {d['versions'].get('duckdb', '')} | {len(d['years'])} | {d['input_rows']:,} "
        f"| {d['process_s']:.1f} | {d['engine_s']:.1f} | {d['driver_s']:.1f} "
        f"| {d['python_peak_mb']:.0f} / - | memory limit {res['memory_limit']}, spill folder "
        f"({d['spill_bytes']:,} bytes left) |",
    ]
    if s:
        lines.append(
            f"| Spark {s['versions'].get('spark', '')} local[2] | {len(s['years'])} "
            f"| {s['input_rows']:,} | {s['process_s']:.1f} | {s['engine_s']:.1f} "
            f"| {s['driver_s']:.1f} | {s['python_peak_mb']:.0f} / {s['jvm_peak_mb']:.0f} "
            f"| Java {s['versions'].get('java', '')}, driver memory {res['spark_driver_memory']}, "
            f"start-up {s['start_s']:.1f} s |"
        )
        per_year = (s["process_s"] / len(s["years"])) / (d["process_s"] / len(d["years"]))
        lines += [
            "",
            f"Spark/DuckDB time per year: **{per_year:.1f}x**; outputs over the common years "
            f"compared with `exportplan complexity compare`: **{res['compare']}**.",
        ]
    lines.append(MARK_END)
    return lines


def splice_doc(res: dict[str, Any]) -> None:
    doc = ROOT / "docs" / "benchmarks.md"
    text = doc.read_text(encoding="utf-8")
    section = "\n".join(doc_section(res))
    if MARK_START in text:
        a, b = text.index(MARK_START), text.index(MARK_END) + len(MARK_END)
        text = text[:a] + section + text[b:]
    else:
        text = text.rstrip() + "\n\n## World-scale batch\n\n" + section + "\n"
    doc.write_text(text, encoding="utf-8")
    print(f"wrote {doc.relative_to(ROOT)}")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--rows", type=int, default=11_000_000, help="rows a year")
    ap.add_argument("--countries", type=int, default=230)
    ap.add_argument("--products", type=int, default=5000)
    ap.add_argument("--spark-years", type=int, default=None, help="Spark on the first N years only")
    ap.add_argument("--engines", default="duckdb,spark")
    ap.add_argument("--spark-driver-memory", default="4g", help="the local JVM's heap")
    ap.add_argument(
        "--spark-years-per-job",
        type=int,
        default=1,
        help="years a Spark job covers (1: a year's figures as each finishes)",
    )
    ap.add_argument("--memory-limit", default="16GB")
    ap.add_argument("--spill-dir", type=Path, default=DATA / "batch_spill")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument(
        "--gen-world", type=Path, default=ROOT.parent / "shared" / "bench" / "gen_world.py"
    )
    ap.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md")
    # the child's own arguments
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--child-years", default="", help=argparse.SUPPRESS)
    ap.add_argument("--source", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--out-dir", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    sys.path.insert(0, str(ROOT))
    from benchmarks.run import _machine

    source, years = prepare(args)
    engines = args.engines.split(",")
    load = os.getloadavg()
    res: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": _machine(),
        "load_before": f"{load[0]:.1f}",
        "rows_per_year": args.rows,
        "countries": args.countries,
        "products": args.products,
        "memory_limit": args.memory_limit,
        "spark_driver_memory": args.spark_driver_memory,
    }
    outs = {}
    for engine in engines:
        ys = years[: args.spark_years] if engine == "spark" and args.spark_years else years
        outs[engine] = args.data / f"batch_out_{engine}"
        shutil.rmtree(outs[engine], ignore_errors=True)
        shutil.rmtree(args.spill_dir, ignore_errors=True)
        print(f"{engine}: {len(ys)} year(s) ...", flush=True)
        res[engine] = run_child(engine, source, ys, outs[engine], args)
        print(json.dumps(res[engine]), flush=True)
    if "duckdb" in outs and "spark" in outs:
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        common = sorted(set(res["duckdb"]["years"]) & set(res["spark"]["years"]))
        a, b = args.data / "batch_cmp_duckdb", args.data / "batch_cmp_spark"
        for src, dst in ((outs["duckdb"], a), (outs["spark"], b)):
            shutil.rmtree(dst, ignore_errors=True)
            dst.mkdir()
            shutil.copy(src / "manifest.json", dst / "manifest.json")
            for y in common:  # both datasets: the complexity rows and the potential's
                shutil.copytree(src / f"year={y}", dst / f"year={y}")
                shutil.copytree(
                    src / "potential_aggregates" / f"year={y}",
                    dst / "potential_aggregates" / f"year={y}",
                )
        cmp = subprocess.run(
            [
                PY,
                "-m",
                "exportplan.cli",
                "complexity",
                "compare",
                str(a),
                str(b),
                "--diff",
                str(args.data / "batch_diff.parquet"),
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        res["compare"] = f"equal over {len(common)} year(s)" if cmp.returncode == 0 else "DIFFER"
        print(cmp.stdout + cmp.stderr, flush=True)
    res["load_after"] = f"{os.getloadavg()[0]:.1f}"
    OUT.mkdir(parents=True, exist_ok=True)
    prev = OUT / "results.json"
    results = json.loads(prev.read_text(encoding="utf-8")) if prev.exists() else {}
    results["batch"] = res
    prev.write_text(json.dumps(results, indent=1), encoding="utf-8")
    full = args.years >= 10 and args.rows >= 11_000_000
    if not args.no_doc and full and "duckdb" in res:
        splice_doc(res)
    elif not args.no_doc:
        print("not at BACI size (>= 10 years x 11 M rows): docs/benchmarks.md left as it is")


if __name__ == "__main__":
    main()
