"""Pages while a 1,000,000-row customs file imports (``python benchmarks/import_load.py``):
page latency and failed requests against `exportplan serve` on the demo workspace, while
`exportplan import customs` (a separate process, handed to the server's writer) lands the
file, against the same pages with no import (the peer: the baseline, in the same run).

Data (made once, kept in benchmarks/data/): the demo workspace (shared with web_load.py) and a
1,000,000-row customs CSV of a year and offices the demo does not have, Persian headers
(:func:`make_customs_csv`). Each run copies the demo workspace afresh (so the file is new to
it), starts the server, signs in, warms the pages, then: ``--clients`` threads with their own
keep-alive connections request the dashboard, the monitor and the data page in turn for
``--baseline`` seconds (the baseline), and again from the moment the import starts until it has
finished (the import). Goal: no failed request and a page p95 under 500 ms during the import.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from web_load import sign_in  # run as a script: benchmarks/ is on the path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
OUT = ROOT / "benchmarks" / "out"
WS = DATA / "ws_demo"
CSV = DATA / "customs_1m.csv"
PAGES = ("/dashboard?lang=fa", "/monitor?lang=fa", "/data?lang=fa")
HEADER = "تاریخ,گمرک اجرایی,کد تعرفه,کشور مقصد,وزن خالص (کیلوگرم),ارزش دلاری,صادرکننده\n"


def make_customs_csv(path: Path, rows: int = 1_000_000, seed: int = 11) -> None:
    """A year (1390) of three offices the demo lacks: every row valid, values known."""
    import numpy as np

    rng = np.random.default_rng(seed)
    hs = ["08081000", "72142000", "39012000", "74031100", "84181090", "20029010", "57011000"]
    partners = ["عراق", "ترکیه", "ارمنستان", "جمهوری آذربایجان", "افغانستان", "روسیه", "چین"]
    offices = ["گمرک آزمون یک", "گمرک آزمون دو", "گمرک آزمون سه"]
    months, days = rng.integers(1, 13, rows), rng.integers(1, 30, rows)
    hk, pk, ok = (rng.integers(0, len(x), rows) for x in (hs, partners, offices))
    kg = rng.lognormal(8, 1.5, rows).round(0) + 1
    usd = (kg * rng.lognormal(0.5, 0.8, rows)).round(0) + 1
    firm = rng.integers(1, 2000, rows)
    tmp = path.with_suffix(".part")
    with tmp.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        for n in range(rows):
            f.write(
                f"1390/{months[n]:02d}/{days[n]:02d},{offices[ok[n]]},{hs[hk[n]]},"
                f"{partners[pk[n]]},{kg[n]:.0f},{usd[n]:.0f},شرکت {firm[n]}\n"
            )
    tmp.replace(path)


class Load:
    """``clients`` threads requesting the pages in turn until :meth:`stop`."""

    def __init__(self, port: int, cookie: str, clients: int) -> None:
        self.port, self.cookie = port, cookie
        self.halt = threading.Event()
        self.lat: list[float] = []
        self.timed: list[tuple[float, str, float]] = []  # (finished at, page, ms)
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._client, args=(i,)) for i in range(clients)]

    def _client(self, k: int) -> None:
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        i = k
        while not self.halt.is_set():
            p = PAGES[i % len(PAGES)]
            i += 1
            t = time.perf_counter()
            try:
                c.request("GET", p, headers={"Cookie": self.cookie})
                r = c.getresponse()
                r.read()
                ok = r.status == 200
                why = f"{p}: HTTP {r.status}"
            except OSError as exc:
                ok, why = False, f"{p}: {exc}"
                c.close()
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            ms = (time.perf_counter() - t) * 1000
            with self.lock:
                self.lat.append(ms)
                self.timed.append((time.perf_counter(), p, ms))
                if not ok:
                    self.errors.append(why)
        c.close()

    def start(self) -> Load:
        for th in self.threads:
            th.start()
        return self

    def stop(self, mark: float | None = None) -> dict[str, Any]:
        """The figures; ``mark``: a moment (perf_counter) the slowest requests are timed from."""
        self.halt.set()
        for th in self.threads:
            th.join()
        v = sorted(self.lat)
        slowest = sorted(self.timed, key=lambda x: -x[2])[:5]
        return {
            "slowest": [
                {"page": p, "ms": round(ms), "s_after_mark": round(at - (mark or at), 2)}
                for at, p, ms in slowest
            ],
            "requests": len(v),
            "errors": len(self.errors),
            "error_examples": self.errors[:5],
            "median_ms": statistics.median(v) if v else None,
            "p95_ms": v[int(0.95 * (len(v) - 1))] if v else None,
            "max_ms": v[-1] if v else None,
        }


def one_run(args: argparse.Namespace, exe: Path) -> dict[str, Any]:
    ws = OUT / "ws_import_load"
    if ws.exists():
        shutil.rmtree(ws)
    shutil.copytree(WS, ws, ignore=shutil.ignore_patterns("server.json", "cache", "uploads"))
    log = (OUT / "import_load_server.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [str(exe), "serve", "-w", str(ws), "--port", str(args.port)],
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        for _ in range(600):
            try:
                c = http.client.HTTPConnection("127.0.0.1", args.port, timeout=1)
                c.request("GET", "/login")
                c.getresponse().read()
                c.close()
                break
            except OSError:
                time.sleep(0.1)
        cookie = sign_in(args.port)
        warm = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
        for p in PAGES:  # cold builds are web_load's figure, not this one's
            warm.request("GET", p, headers={"Cookie": cookie})
            warm.getresponse().read()
        warm.close()
        base = Load(args.port, cookie, args.clients).start()
        time.sleep(args.baseline)
        baseline = base.stop()
        load = Load(args.port, cookie, args.clients).start()
        t = time.perf_counter()
        done = subprocess.run(
            [str(exe), "import", "customs", str(CSV), "-w", str(ws)],
            capture_output=True,
            text=True,
            check=False,
        )
        ended = time.perf_counter()
        seconds = ended - t
        during = load.stop(mark=ended)
        if done.returncode != 0:
            raise SystemExit(f"the import failed:\n{done.stderr[-3000:]}")
        summary = next(line for line in done.stdout.splitlines() if "imported as" in line)
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    return {
        "baseline": baseline,
        "import": during,
        "import_s": seconds,
        "summary": summary.strip(),
    }


def main() -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--baseline", type=float, default=20.0, help="seconds of the baseline")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--port", type=int, default=8792)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    OUT.mkdir(parents=True, exist_ok=True)
    DATA.mkdir(parents=True, exist_ok=True)
    if not (WS / "workspace.toml").exists():
        print("building the demo workspace (once) ...", flush=True)
        from exportplan.services import demo

        demo.build(WS, log=lambda _m: None)
    if not CSV.exists():
        print("writing the 1,000,000-row customs CSV (once) ...", flush=True)
        make_customs_csv(CSV)
    exe = Path(sys.executable).parent / "exportplan"
    runs = [one_run(args, exe) for _ in range(args.runs)]

    def med(phase: str, key: str) -> float:
        return float(statistics.median(r[phase][key] for r in runs))

    out: dict[str, Any] = {
        "clients": args.clients,
        "runs": len(runs),
        "rows": 1_000_000,
        "import_s": statistics.median(r["import_s"] for r in runs),
        "summary": runs[0]["summary"],
        "per_run": runs,
    }
    for phase in ("baseline", "import"):
        out[phase] = {
            k: med(phase, k) for k in ("median_ms", "p95_ms", "max_ms", "requests", "errors")
        }
        out[phase]["errors_total"] = sum(r[phase]["errors"] for r in runs)
    print(json.dumps(out, indent=1, ensure_ascii=False))
    res_path = OUT / "results.json"
    results = json.loads(res_path.read_text("utf-8")) if res_path.exists() else {}
    results["import_load"] = out
    res_path.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
