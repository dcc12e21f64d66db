"""Page latency under load (``python benchmarks/web_load.py``): 20 concurrent clients on the
demo workspace, against `exportplan serve` in its own process on 127.0.0.1.

Builds (once) the full demo workspace in benchmarks/data/ws_demo, starts the server, signs in,
times the first (cold) request of each page, then runs ``--clients`` threads, each with its own
keep-alive connection and session, requesting the dashboard and the monitor page in turn
``--requests`` times. Reports the median, 95th percentile and maximum latency per page (ms) and
the throughput. No peer is named; the goal is under 150 ms at the 95th percentile.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WS = ROOT / "benchmarks" / "data" / "ws_demo"
PAGES = ("/dashboard?lang=fa", "/monitor?lang=fa")


def sign_in(port: int) -> str:
    """The Cookie header of the demo's secretary signed in through the login form: every cookie
    the login page and the sign-in set (the CSRF token is bound to the ``ep_anon`` nonce, then
    to the session). Also used by ``import_load.py``."""
    from exportplan.services.demo_program import DEMO_PASSWORD

    jar: dict[str, str] = {}

    def keep(r: http.client.HTTPResponse) -> None:
        for h in r.headers.get_all("set-cookie") or []:
            k, v = h.split(";")[0].split("=", 1)
            jar[k] = v

    con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    con.request("GET", "/login")
    r = con.getresponse()
    r.read()
    keep(r)
    assert "ep_csrf" in jar, "no CSRF cookie"
    body = f"username=secretary&password={DEMO_PASSWORD}&csrf={jar['ep_csrf']}&next=/dashboard"
    con.request(
        "POST",
        "/login",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
            "Origin": f"http://127.0.0.1:{port}",
        },
    )
    r = con.getresponse()
    r.read()
    con.close()
    keep(r)
    assert "ep_session" in jar and r.status == 303, r.status
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def get(con: http.client.HTTPConnection, path: str, cookie: str) -> float:
    t = time.perf_counter()
    con.request("GET", path, headers={"Cookie": cookie})
    r = con.getresponse()
    r.read()
    if r.status != 200:
        raise SystemExit(f"{path}: HTTP {r.status}")
    return (time.perf_counter() - t) * 1000


def main() -> dict[str, object]:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=40, help="per client and page")
    ap.add_argument("--port", type=int, default=8791)
    ap.add_argument("--runs", type=int, default=3, help="load runs (medians are reported)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if not (WS / "workspace.toml").exists():
        print("building the demo workspace (once) ...", flush=True)
        from exportplan.services import demo

        demo.build(WS, log=lambda _m: None)
    exe = Path(sys.executable).parent / "exportplan"
    server = subprocess.Popen(
        [str(exe), "serve", "-w", str(WS), "--port", str(args.port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "EXPORTPLAN_DEBUG": ""},
    )
    try:
        for _ in range(200):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request(
                    "GET", "/login"
                )
                break
            except OSError:
                time.sleep(0.1)
        cookie = sign_in(args.port)
        cold = {}
        con = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
        for p in PAGES:
            cold[p] = get(con, p, cookie)
        runs: list[tuple[float, dict[str, list[float]]]] = []
        for _run in range(args.runs):
            lat: dict[str, list[float]] = {p: [] for p in PAGES}
            lock = threading.Lock()
            start = threading.Barrier(args.clients)

            def client(
                lat: dict[str, list[float]] = lat,
                lock: threading.Lock = lock,
                start: threading.Barrier = start,
            ) -> None:
                c = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
                mine: dict[str, list[float]] = {p: [] for p in PAGES}
                start.wait()
                for i in range(args.requests * len(PAGES)):
                    p = PAGES[i % len(PAGES)]
                    mine[p].append(get(c, p, cookie))
                with lock:
                    for p in PAGES:
                        lat[p].extend(mine[p])

            t0 = time.perf_counter()
            threads = [threading.Thread(target=client) for _ in range(args.clients)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            runs.append((time.perf_counter() - t0, lat))
    finally:
        server.terminate()
        server.wait(timeout=10)
    n_req = sum(len(v) for v in runs[0][1].values())
    out: dict[str, object] = {
        "clients": args.clients,
        "runs": len(runs),
        "requests_per_run": n_req,
        "throughput_rps": statistics.median(n_req / w for w, _ in runs),
    }
    for p in PAGES:
        name = p.split("?")[0].strip("/")
        per_run = []
        for _w, lat in runs:
            values = sorted(lat[p])
            per_run.append(
                (statistics.median(values), values[int(0.95 * (len(values) - 1))], values[-1])
            )
        out[name] = {
            "cold_ms": cold[p],
            "median_ms": statistics.median(r[0] for r in per_run),
            "p95_ms": statistics.median(r[1] for r in per_run),
            "p95_ms_runs": [round(r[1], 1) for r in per_run],
            "max_ms": max(r[2] for r in per_run),
        }
    print(json.dumps(out, indent=1))
    res_path = ROOT / "benchmarks" / "out" / "results.json"
    res_path.parent.mkdir(parents=True, exist_ok=True)
    results = json.loads(res_path.read_text("utf-8")) if res_path.exists() else {}
    results["web_load"] = out
    res_path.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
