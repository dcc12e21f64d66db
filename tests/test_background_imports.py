"""Imports in the background: the server holds one warehouse instance and one writer; pages keep
answering from the last commit while an import runs; the command line's imports are handed to a
running server; a failed import writes nothing and says why on the Data page; a server killed
mid-import loses nothing committed.

The end-to-end tests run a real ``exportplan serve`` subprocess, real ``exportplan import``
subprocesses and a client thread requesting pages over HTTP throughout.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from fastapi.testclient import TestClient

from exportplan.errors import WorkspaceError
from exportplan.services import data as data_svc
from exportplan.services.demo_program import DEMO_PASSWORD
from exportplan.store import warehouse
from exportplan.store.warehouse import writes
from exportplan.web.app import create_app
from exportplan.workspace import Workspace, open_workspace
from helpers import imports, queued_job, wait_for_import

#: The Origin a browser sends with a form of this site: a write carrying the site's cookies
#: that names no origin is refused (web/app.py)
BROWSER = {"Origin": "http://testserver"}

HEADER = "تاریخ,گمرک اجرایی,کد تعرفه,کشور مقصد,وزن خالص (کیلوگرم),ارزش دلاری\n"
PARTNERS = ("عراق", "ترکیه", "ارمنستان", "روسیه")


def customs_csv(path: Path, rows: int, *, office: str = "گمرک آزمون", year: int = 1390) -> Path:
    """``rows`` valid customs records of a year and an office the demo does not have (so the
    file adds cells beside the loaded ones); value of row i is i + 1 USD."""
    lines = [
        f"{year}/{i % 12 + 1:02d}/{i % 28 + 1:02d},{office},0808{i % 90 + 10:02d}00,"
        f"{PARTNERS[i % len(PARTNERS)]},{i % 500 + 1},{i + 1}\n"
        for i in range(rows)
    ]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def counts(ws: Workspace) -> tuple[int, ...]:
    with ws.warehouse(read_only=True) as con:
        row = con.execute(
            "SELECT (SELECT count(*) FROM region_flows), (SELECT count(*) FROM rejects), "
            "(SELECT count(*) FROM datasets), (SELECT count(*) FROM region_summary)"
        ).fetchall()[0]
    return tuple(int(x) for x in row)


@pytest.fixture
def demo_ws(small_demo: Workspace, tmp_path: Path) -> Workspace:
    """A copy of the small demo (with its users), this test's own."""
    shutil.copytree(small_demo.path, tmp_path / "demo")
    for stale in ("server.json", "uploads", "cache"):
        p = tmp_path / "demo" / stale
        if p.is_dir():
            shutil.rmtree(p)
        else:
            p.unlink(missing_ok=True)
    return open_workspace(tmp_path / "demo")


# ---- a real server, a real command line, a real client ---------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(ws: Workspace, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "exportplan.cli", *args, "-w", str(ws.path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "200"},
    )


SERVE = [sys.executable, "-m", "exportplan.cli", "serve"]


@contextmanager
def server(
    ws: Workspace, port: int, command: list[str] | None = None
) -> Iterator[subprocess.Popen[str]]:
    log = (ws.path.parent / f"server-{port}.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [*(command or SERVE), "-w", str(ws.path), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )
    try:
        end = time.monotonic() + 60
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                try:
                    c.request("GET", "/login")
                    c.getresponse().read()
                finally:
                    c.close()
                break
            except OSError as exc:
                if proc.poll() is not None or time.monotonic() > end:
                    raise AssertionError(
                        f"the server did not start: {Path(log.name).read_text('utf-8')}"
                    ) from exc
                time.sleep(0.1)
        assert ws.server() is not None and ws.server().pid == proc.pid  # type: ignore[union-attr]
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()


def sign_in(port: int, user: str = "secretary") -> str:
    """The Cookie header of a signed-in user (every cookie the login page and the sign-in set:
    the CSRF token is bound to the ep_anon nonce, then to the session)."""
    jar: dict[str, str] = {}

    def keep(r: http.client.HTTPResponse) -> None:
        for h in r.headers.get_all("set-cookie") or []:
            k, v = h.split(";")[0].split("=", 1)
            jar[k] = v

    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", "/login")
    r = c.getresponse()
    r.read()
    keep(r)
    assert "ep_csrf" in jar
    c.request(
        "POST",
        "/login",
        body=f"username={user}&password={DEMO_PASSWORD}&csrf={jar['ep_csrf']}&next=/dashboard",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
            "Origin": f"http://127.0.0.1:{port}",
        },
    )
    r = c.getresponse()
    r.read()
    c.close()
    keep(r)
    assert "ep_session" in jar and r.status == 303, r.status
    return "; ".join(f"{k}={v}" for k, v in jar.items())


@dataclass
class Pages:
    """A client thread requesting pages until stopped: every answer's status and time, and the
    file names of the imports each ``/data.json`` listed."""

    port: int
    cookie: str
    results: list[tuple[str, int, float]] = field(default_factory=list)
    listed: list[list[str]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        paths = ("/dashboard?lang=fa", "/data.json", "/monitor?lang=en", "/data?lang=en")
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        i = 0
        while not self.stop.is_set():
            p = paths[i % len(paths)]
            i += 1
            t = time.perf_counter()
            try:
                c.request("GET", p, headers={"Cookie": self.cookie})
                r = c.getresponse()
                body = r.read()
                status = r.status
            except OSError:
                status, body = 0, b""
                c.close()
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.results.append((p, status, time.perf_counter() - t))
            if p == "/data.json" and status == 200:
                rows = json.loads(body)["tables"]["datasets"]["rows"]
                self.listed.append([str(r["file_name"]) for r in rows])
        c.close()

    @contextmanager
    def running(self) -> Iterator[Pages]:
        th = threading.Thread(target=self.run, daemon=True)
        th.start()
        try:
            yield self
        finally:
            self.stop.set()
            th.join(60)


def test_cli_imports_complete_while_the_server_serves_pages(
    demo_ws: Workspace, tmp_path: Path
) -> None:
    a = customs_csv(tmp_path / "office-a.csv", 60_000, office="گمرک آزمون الف")
    b = customs_csv(tmp_path / "office-b.csv", 40_000, office="گمرک آزمون ب")
    before = counts(demo_ws)
    port = free_port()
    with server(demo_ws, port):
        pages = Pages(port, sign_in(port))
        with pages.running():
            while len(pages.results) < 4:
                time.sleep(0.05)
            # two imports at once, from two command lines: both are queued, both land
            with ThreadPool() as pool:
                done_a = pool.submit(lambda: cli(demo_ws, "import", "customs", str(a)))
                done_b = pool.submit(lambda: cli(demo_ws, "import", "customs", str(b)))
                ra, rb = done_a(), done_b()
            during = len(pages.results)
            time.sleep(0.5)
        # a definition no file can be read with is refused by the server, with its message
        bad = cli(demo_ws, "import", "customs", str(a), "--definition", "bogus")
        # the hand-off needs the token: a wrong one is refused
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("POST", "/internal/imports", body="{}", headers={"Authorization": "Bearer x"})
        refused = c.getresponse()
        refused_body = json.loads(refused.read())
        c.close()
    assert ra.returncode == 0, ra.stderr
    assert rb.returncode == 0, rb.stderr
    assert re.search(
        r"office-a\.csv: imported as dataset \d+: read 60,000, accepted 60,000, rejected 0",
        ra.stdout,
    ), ra.stdout
    assert re.search(
        r"office-b\.csv: imported as dataset \d+: read 40,000, accepted 40,000, rejected 0",
        rb.stdout,
    ), rb.stdout
    assert bad.returncode == 2 and "definition must be one of" in bad.stderr, bad.stderr
    assert refused.status == 401 and "command line on this machine" in refused_body["error"]
    # the pages answered throughout, none failed
    assert during >= 8
    failed = [(p, s) for p, s, _ in pages.results if s != 200]
    assert failed == [], failed[:5]
    # each /data.json saw the last commit: the earlier imports, then a, b or both, whole
    earlier = pages.listed[0]
    assert all(set(earlier) <= set(seen) for seen in pages.listed)
    assert all(
        set(seen) - set(earlier) <= {"office-a.csv", "office-b.csv"} for seen in pages.listed
    )
    assert {"office-a.csv", "office-b.csv"} <= set(pages.listed[-1])
    # the server is gone (its announcement with it) and the data are in the warehouse
    assert demo_ws.server() is None and not demo_ws.server_path.exists()
    after = counts(demo_ws)
    assert after[0] == before[0] + 100_000 and after[2] == before[2] + 2
    with demo_ws.warehouse(read_only=True) as con:
        total = con.execute(
            "SELECT sum(value_usd) FROM region_flows WHERE customs_office LIKE 'گمرک آزمون%'"
        ).fetchall()[0][0]
    assert total == sum(range(1, 60_001)) + sum(range(1, 40_001))


class ThreadPool:
    """Call functions in threads; ``submit`` returns a function that waits for the result."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []

    def __enter__(self) -> ThreadPool:
        return self

    def __exit__(self, *exc: object) -> None:
        for th in self.threads:
            th.join()

    def submit(self, fn: Callable[[], Any]) -> Callable[[], Any]:
        box: list[Any] = []
        th = threading.Thread(target=lambda: box.append(fn()))
        th.start()
        self.threads.append(th)

        def result() -> Any:
            th.join()
            return box[0]

        return result


KILLING_SERVER = """
import os, signal, sys
from exportplan.store.warehouse import writes

real = writes.add_rejects

def then_die(con, dataset_id, file_name, rejects):
    real(con, dataset_id, file_name, rejects)
    if "kill" in file_name:
        os.kill(os.getpid(), signal.SIGKILL)

writes.add_rejects = then_die
from exportplan.cli import main
sys.argv = ["exportplan", *sys.argv[1:]]
main()
"""


def test_a_server_killed_mid_import_loses_nothing_committed(
    demo_ws: Workspace, tmp_path: Path
) -> None:
    first = customs_csv(tmp_path / "first.csv", 2_000, office="گمرک آزمون الف")
    doomed = customs_csv(tmp_path / "kill-me.csv", 3_000, office="گمرک آزمون ب")
    before = counts(demo_ws)
    port = free_port()
    with server(demo_ws, port, [sys.executable, "-c", KILLING_SERVER, "serve"]) as proc:
        ok = cli(demo_ws, "import", "customs", str(first))
        cut = cli(demo_ws, "import", "customs", str(doomed))
        proc.wait(timeout=60)
    assert ok.returncode == 0 and "read 2,000, accepted 2,000" in ok.stdout, ok.stderr
    assert proc.returncode == -signal.SIGKILL
    assert cut.returncode == 2 and "stopped during the import of kill-me.csv" in cut.stderr
    assert "nothing of it was committed" in cut.stderr
    # the killed server's announcement is stale: ignored, and the warehouse is free again
    assert demo_ws.server_path.exists() and demo_ws.server() is None
    after = counts(demo_ws)
    assert after[0] == before[0] + 2_000 and after[2] == before[2] + 1
    names = set(data_svc.datasets(demo_ws).get_column("file_name").to_list())
    assert "first.csv" in names and "kill-me.csv" not in names
    # the file imports whole afterwards (no server: in this process), and a server starts again
    again = cli(demo_ws, "import", "customs", str(doomed))
    assert again.returncode == 0 and "read 3,000, accepted 3,000, rejected 0" in again.stdout
    with server(demo_ws, free_port()):
        pass
    assert counts(demo_ws)[0] == before[0] + 5_000


# ---- in one process: the app's writer and the pages ------------------------------------------


def secretary(client: TestClient) -> None:
    client.get("/login")
    r = client.post(
        "/login",
        data={
            "username": "secretary",
            "password": DEMO_PASSWORD,
            "csrf": client.cookies["ep_csrf"],
            "next": "/data",
        },
    )
    assert r.status_code == 303


def upload(client: TestClient, name: str, body: bytes) -> int:
    r = client.post(
        "/data/upload",
        files={"file": (name, body, "text/csv")},
        data={"definition": "customs", "csrf": client.cookies["ep_csrf"]},
    )
    assert r.status_code == 303, r.text
    return queued_job(r.headers["location"])


def job_of(client: TestClient, job_id: int, lang: str = "en") -> dict[str, Any]:
    return next(j for j in imports(client, lang) if j["id"] == job_id)


def test_pages_read_the_last_commit_while_the_writer_holds_a_transaction(
    demo_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer is held inside its open transaction (after writing the flows and rejects,
    before the commit) until the pages have been read: they answer at once, from the last
    commit."""
    reached, go_on = threading.Event(), threading.Event()
    real = writes.add_rejects

    def paused(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        reached.set()
        assert go_on.wait(60)

    monkeypatch.setattr(writes, "add_rejects", paused)
    body = customs_csv(tmp_path / "held.csv", 5_000).read_bytes()
    before = counts(demo_ws)
    with TestClient(create_app(demo_ws), follow_redirects=False, headers=BROWSER) as client:
        secretary(client)
        listed_before = len(client.get("/data.json").json()["tables"]["datasets"]["rows"])
        job_id = upload(client, "held.csv", body)
        assert reached.wait(60)
        assert job_of(client, job_id)["state"] == "writing"
        t = time.perf_counter()
        for path in ("/dashboard.json", "/monitor.json", "/data.json", "/data?lang=fa"):
            assert client.get(path).status_code == 200, path
        elapsed = time.perf_counter() - t
        rows = client.get("/data.json").json()["tables"]["datasets"]["rows"]
        assert len(rows) == listed_before and not any(
            r["file_name"].endswith("held.csv") for r in rows
        )
        assert counts(demo_ws) == before  # another reader, in the test itself
        fa = client.get("/data?lang=fa").text
        assert "در حال نوشتن" in fa and "held.csv" in fa
        go_on.set()
        job = wait_for_import(client, job_id)
        rows = client.get("/data.json").json()["tables"]["datasets"]["rows"]
    assert elapsed < 30  # the writer was still paused: nothing waited for it
    assert job["state"] == "done" and "rows read 5,000, accepted 5,000, rejected 0" in job["text"]
    assert any(r["file_name"].endswith("-held.csv") for r in rows)
    assert counts(demo_ws)[0] == before[0] + 5_000


@pytest.mark.parametrize("stage", ["flows", "rejects", "commit"])
def test_a_failed_import_writes_nothing_and_says_why_on_the_data_page(
    demo_ws: Workspace, tmp_path: Path, fault: list[str], stage: str
) -> None:
    fault.append(stage)
    before = counts(demo_ws)
    with TestClient(create_app(demo_ws), follow_redirects=False, headers=BROWSER) as client:
        secretary(client)
        job_id = upload(client, "broken.csv", customs_csv(tmp_path / "b.csv", 500).read_bytes())
        job = wait_for_import(client, job_id)
        fa = job_of(client, job_id, "fa")
        page = client.get("/data?lang=en").text
        # a file the importer refuses: its message and hint, on the page
        bad = upload(client, "no-columns.csv", b"a,b\n1,2\n")
        refused = wait_for_import(client, bad)
        fault.clear()
        retry = wait_for_import(
            client, upload(client, "broken.csv", (tmp_path / "b.csv").read_bytes())
        )
    assert job["state"] == "failed"
    assert job["text"] == f"internal error: injected failure at {stage} (nothing of it was written)"
    assert fa["state_label"] == "ناموفق" and "هیچ بخشی از آن نوشته نشد" in fa["text"]
    assert "injected failure at" in page and "import-failed" in page
    assert refused["state"] == "failed" and "missing column(s)" in refused["text"]
    assert refused["detail"] == "rename the columns or give a column mapping file (--mapping)"
    assert retry["state"] == "done" and "accepted 500" in retry["text"]
    assert counts(demo_ws)[0] == before[0] + 500 and counts(demo_ws)[2] == before[2] + 1


def test_the_server_holds_one_instance_and_lets_go_when_it_stops(
    demo_ws: Workspace,
) -> None:
    with TestClient(create_app(demo_ws), headers=BROWSER):
        assert warehouse.held(demo_ws.warehouse_path)
        with demo_ws.warehouse(read_only=True) as a, demo_ws.warehouse() as b:
            b.execute("BEGIN TRANSACTION")
            b.execute("DELETE FROM region_flows")
            assert a.execute("SELECT count(*) FROM region_flows").fetchall()[0][0] > 0
            b.execute("ROLLBACK")
        # another process cannot open the file meanwhile
        other = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import duckdb; duckdb.connect({str(demo_ws.warehouse_path)!r})",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert other.returncode != 0 and "lock" in other.stderr.lower()
    assert not warehouse.held(demo_ws.warehouse_path)
    assert counts(demo_ws)[0] > 0


def test_a_workspace_is_served_once_and_a_stale_announcement_is_ignored(
    demo_ws: Workspace,
) -> None:
    with demo_ws.serving("127.0.0.1", 1) as info:
        assert demo_ws.server() == info and info.url == "http://127.0.0.1:1"
        assert (demo_ws.server_path.stat().st_mode & 0o777) == 0o600
    assert demo_ws.server() is None and not demo_ws.server_path.exists()
    # a live process that announced itself: a second server is refused
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        demo_ws.server_path.write_text(
            json.dumps({"pid": sleeper.pid, "host": "0.0.0.0", "port": 9, "token": "t"})
        )
        assert demo_ws.server() is not None and demo_ws.server().url == "http://127.0.0.1:9"  # type: ignore[union-attr]
        with pytest.raises(WorkspaceError, match="served already"), demo_ws.serving("127.0.0.1", 2):
            pass
    finally:
        sleeper.kill()
        sleeper.wait()
    assert demo_ws.server() is None  # its process is gone: stale
    with demo_ws.serving("127.0.0.1", 3) as info:
        assert demo_ws.server() == info


def test_the_hand_off_needs_loopback_and_the_token(demo_ws: Workspace, tmp_path: Path) -> None:
    f = customs_csv(tmp_path / "x.csv", 10)
    body = {"kind": "customs", "path": str(f), "kwargs": {"options": {"region": "East Azerbaijan"}}}
    with (
        TestClient(create_app(demo_ws), headers=BROWSER) as client,
        demo_ws.serving("127.0.0.1", 1) as info,
    ):
        no_token = client.post("/internal/imports", json=body)
        # the right token, but TestClient's address is not loopback
        not_local = client.post(
            "/internal/imports", json=body, headers={"Authorization": f"Bearer {info.token}"}
        )
        status = client.get("/internal/imports/1", headers={"Authorization": "Bearer nope"})
    assert no_token.status_code == not_local.status_code == status.status_code == 401
    assert no_token.json()["error_kind"] == "AuthenticationError"
    assert data_svc.datasets(demo_ws).filter(pl.col("file_name") == "x.csv").height == 0


# ---- in a real browser: the progress part updates itself --------------------------------------


def test_the_data_page_follows_an_upload_in_a_real_browser(
    demo_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Debian's chromium uploads a file on the Persian Data page: the page shows the import
    while the writer is held in its transaction, then (its script polling the status under the
    strict CSP) reloads itself once it is done, with the new import in the table."""
    import uvicorn
    from playwright.sync_api import sync_playwright

    reached, go_on = threading.Event(), threading.Event()
    real = writes.add_rejects

    def paused(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        reached.set()
        assert go_on.wait(60)

    monkeypatch.setattr(writes, "add_rejects", paused)
    f = customs_csv(tmp_path / "browser-upload.csv", 3_000)
    port = free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(demo_ws), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    errors: list[str] = []
    try:
        while not srv.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = b.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{base}/login?lang=fa")
            page.fill("input[name=username]", "secretary")
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("form.login button")
            page.wait_for_url(f"{base}/dashboard")
            page.goto(f"{base}/data?lang=fa")
            page.set_input_files("input[name=file]", str(f))
            page.click("form[action='/data/upload'] button")
            page.wait_for_url(re.compile(r".*/data\?import=\d+"))
            assert reached.wait(60)
            row = page.locator("#imports li").first
            row.locator(".state").filter(has_text="در حال نوشتن").wait_for(timeout=30_000)
            assert "browser-upload.csv" in row.inner_text()
            assert "browser-upload" not in page.locator("table").first.inner_text()
            go_on.set()
            # the script sees the import done and reloads: the table then lists it
            page.locator("table").first.filter(has_text="browser-upload.csv").wait_for(
                timeout=30_000
            )
            done = page.locator("#imports li").first.inner_text()
            b.close()
    finally:
        go_on.set()
        srv.should_exit = True
        thread.join(timeout=30)
    assert "انجام‌شده" in done and "ردیف خوانده‌شده ۳٬۰۰۰" in done, done
    assert errors == [], errors


def test_stopping_the_writer_fails_the_queued_imports_and_finishes_the_running_one(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from exportplan.ingest.customs import CustomsOptions
    from exportplan.services.imports.worker import ImportWorker

    reached, go_on = threading.Event(), threading.Event()
    real = writes.add_rejects

    def paused(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        reached.set()
        assert go_on.wait(60)

    monkeypatch.setattr(writes, "add_rejects", paused)
    w = ImportWorker(ws)
    opts = CustomsOptions(region=ws.home_region)
    first = w.submit_customs(customs_csv(tmp_path / "one.csv", 100), opts, who="t")
    second = w.submit_customs(customs_csv(tmp_path / "two.csv", 100, office="دو"), opts)
    with pytest.raises(Exception, match="definition must be one of"):
        w.submit_customs(tmp_path / "one.csv", CustomsOptions(region="R", definition="bogus"))
    assert reached.wait(60) and first.state == "writing" and second.state == "queued"
    w.stop(timeout=0.2)  # the running import goes on; the queued one is dropped
    assert second.state == "failed" and second.error == "the server stopped before this import ran"
    assert warehouse.held(ws.warehouse_path)  # still writing: not let go yet
    go_on.set()
    summary = first.wait()
    assert summary.rows_accepted == 100 and first.state == "done" and first.done == 100
    with pytest.raises(Exception, match="stopped before this import ran"):
        second.wait()
    warehouse.release(ws.warehouse_path)
    assert counts(ws)[0] == 100 and counts(ws)[2] == 1
