"""Request limits against a real server (uvicorn in its own process, over a copy of the small
demo) with real streamed bodies on raw sockets: a body over its limit is refused with 413 and a
message in the page's language before it is read (the server's peak memory does not grow by
the body), someone not signed in gets the small form limit even on the upload route, a bad
file name is refused with 400, and nothing of a refused or failed upload stays on disk."""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from exportplan.services import demo_program
from exportplan.workspace import Workspace
from helpers import queued_job, until_final

MB = 1024 * 1024
LIMITS = {  # small limits, so that a test sends little
    "EXPORTPLAN_UPLOAD_LIMIT_MB": "2",
    "EXPORTPLAN_FORM_LIMIT_KB": "64",
    "EXPORTPLAN_FIELD_LIMIT_KB": "8",
    "EXPORTPLAN_FORM_MAX_FIELDS": "6",
    "EXPORTPLAN_FORM_MAX_FILES": "1",
    "EXPORTPLAN_FILENAME_MAX_BYTES": "240",
}
SERVE = (
    "import sys, uvicorn\n"
    "from exportplan.web.app import create_app\n"
    "from exportplan.workspace import open_workspace\n"
    "uvicorn.run(create_app(open_workspace(sys.argv[1])), host='127.0.0.1',"
    " port=int(sys.argv[2]), log_level='warning')\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    port: int
    pid: int
    ws: Path

    def status(self, field: str) -> int:
        """A field of the server process's /proc status in kB (VmRSS, VmHWM)."""
        text = Path(f"/proc/{self.pid}/status").read_text()
        m = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
        assert m is not None
        return int(m.group(1))

    def deleted_files(self) -> list[str]:
        """Files the server holds open that are deleted (temporary files not yet closed)."""
        out = []
        for fd in Path(f"/proc/{self.pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.endswith("(deleted)"):
                out.append(target)
        return out


@pytest.fixture(scope="module")
def server(small_demo: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    ws = tmp_path_factory.mktemp("limits") / "ws"
    shutil.copytree(small_demo.path, ws, ignore=shutil.ignore_patterns("*.wal", "cache"))
    port = free_port()
    env = {**os.environ, **LIMITS, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-c", SERVE, str(ws), str(port)], env=env)
    try:
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, "the server stopped"
                time.sleep(0.1)
        yield Server(port, proc.pid, ws)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    sent: int  # bytes of the body the client got to send

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def message(self) -> str:
        m = re.search(r'<p class="error" data-code="(\d+)">([^<]*)</p>', self.text)
        assert m is not None, self.text[:500]
        assert int(m.group(1)) == self.status
        return m.group(2)


def exchange(
    port: int,
    head: str,
    chunks: Iterator[bytes] | list[bytes] = (),  # type: ignore[assignment]
    *,
    chunked: bool = False,
) -> Answer:
    """One request on a raw socket: the head, then the body chunk by chunk (HTTP chunked
    encoding if ``chunked``), stopping as soon as the server answers; then the answer."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
    sock.sendall(head.encode("latin-1"))
    sent = 0
    try:
        for chunk in chunks:
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered: stop sending
            data = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" if chunked else chunk
            sock.sendall(data)
            sent += len(chunk)
        else:
            if chunked:
                sock.sendall(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    raw = b""
    try:
        while b"\r\n\r\n" not in raw or not _complete(raw):
            part = sock.recv(65536)
            if not part:
                break
            raw += part
    except ConnectionResetError:
        pass
    sock.close()
    head_part, _, body = raw.partition(b"\r\n\r\n")
    lines = head_part.decode("latin-1").split("\r\n")
    assert lines and lines[0].startswith("HTTP/1.1 "), raw[:200]
    headers = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
    return Answer(int(lines[0].split()[1]), headers, body, sent)


def _complete(raw: bytes) -> bool:
    head, _, body = raw.partition(b"\r\n\r\n")
    m = re.search(rb"(?i)content-length:\s*(\d+)", head)
    return m is not None and len(body) >= int(m.group(1))


def zeros(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    block = b"0" * size
    for _ in range(total // size):
        yield block


def request_head(
    method: str,
    path: str,
    *,
    length: int | None = None,
    chunked: bool = False,
    ctype: str = "application/x-www-form-urlencoded",
    cookies: dict[str, str] | None = None,
) -> str:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Type: {ctype}"]
    lines.append("Origin: http://127.0.0.1")  # as a browser sends with the site's own forms
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
    return "\r\n".join(lines) + "\r\n\r\n"


def sign_in(server: Server, user: str = "secretary") -> dict[str, str]:
    """A signed-in user's cookies (through the real login form)."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    conn.request("GET", "/login")
    r = conn.getresponse()
    r.read()
    jar = dict(c.split(";")[0].split("=", 1) for c in r.headers.get_all("set-cookie") or [])
    form = urllib.parse.urlencode(
        {"username": user, "password": demo_program.DEMO_PASSWORD, "csrf": jar["ep_csrf"]}
    )
    conn.request(
        "POST",
        "/login",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
            "Origin": f"http://127.0.0.1:{server.port}",
        },
    )
    r = conn.getresponse()
    r.read()
    conn.close()
    assert r.status == 303, r.status
    for c in r.headers.get_all("set-cookie") or []:
        k, v = c.split(";")[0].split("=", 1)
        jar[k] = v
    return jar


def multipart(
    fields: dict[str, str], files: list[tuple[str, bytes]], boundary: str = "xXbOuNdArYxX"
) -> tuple[str, bytes]:
    """A multipart body (file names written raw, as a hostile client may)."""
    out = b""
    for k, v in fields.items():
        out += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        ).encode()
    for name, data in files:
        out += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{name}"\r\nContent-Type: text/csv\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    out += f"--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", out


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def test_a_declared_body_over_the_limit_is_refused_before_it_is_read(server: Server) -> None:
    hwm = server.status("VmHWM")
    # 200 MB upload without a session: the form limit (64 KB), not the upload limit, at once
    a = exchange(
        server.port,
        request_head(
            "POST", "/data/upload?lang=en", length=200 * MB, ctype="multipart/form-data; boundary=b"
        ),
        zeros(200 * MB),
    )
    assert a.status == 413
    assert a.message() == "the request is too large: at most 64 KB may be sent here"
    assert "raise EXPORTPLAN_FORM_LIMIT_KB" in a.text  # the next step names the setting
    assert a.headers["connection"] == "close"
    assert a.sent < 8 * MB  # answered after the head: the client stopped early
    # a 100 MB login body, in Persian (the default language)
    a = exchange(server.port, request_head("POST", "/login", length=100 * MB), zeros(100 * MB))
    assert a.status == 413
    assert (
        a.message()
        == "درخواست بیش از اندازه بزرگ است: در اینجا حداکثر ۶۴ کیلوبایت را می‌توان فرستاد"
    )
    assert a.sent < 8 * MB
    assert server.status("VmHWM") - hwm < 30 * 1024  # kB: nothing of the bodies was held


def test_a_streamed_body_is_counted_and_refused_when_it_passes_the_limit(server: Server) -> None:
    jar = sign_in(server)  # first: the password hash itself takes memory (argon2)
    hwm = server.status("VmHWM")
    held = server.deleted_files()
    before = listing(server.ws / "uploads")
    # chunked (no Content-Length): refused once 64 KB have arrived
    a = exchange(
        server.port,
        request_head("POST", "/login?lang=en", chunked=True),
        zeros(100 * MB),
        chunked=True,
    )
    assert a.status == 413 and a.message().startswith("the request is too large: at most 64 KB")
    assert a.sent < 16 * MB
    # JSON errors on the API: the same limit, as the documented JSON body
    a = exchange(
        server.port,
        request_head("POST", "/api/v1/auth/login", chunked=True, ctype="application/json"),
        zeros(100 * MB),
        chunked=True,
    )
    assert a.status == 413
    assert json.loads(a.body)["error"].startswith("the request is too large: at most 64 KB")
    # a signed-in secretary gets the upload limit (2 MB here): 3 MB streamed is refused
    ctype, body = multipart({"csrf": jar["ep_csrf"]}, [("big.csv", b"0" * (3 * MB))])
    a = exchange(
        server.port,
        request_head("POST", "/data/upload?lang=en", chunked=True, ctype=ctype, cookies=jar),
        [body[i : i + 65536] for i in range(0, len(body), 65536)],
        chunked=True,
    )
    assert a.status == 413
    assert a.message() == "the request is too large: at most 2 MB may be sent here"
    assert "raise EXPORTPLAN_UPLOAD_LIMIT_MB" in a.text
    assert server.status("VmHWM") - hwm < 30 * 1024
    assert listing(server.ws / "uploads") == before  # nothing kept
    time.sleep(0.5)
    assert server.deleted_files() == held  # the parser's temporary file is closed too


def test_a_viewer_gets_the_form_limit_on_the_upload_route(server: Server) -> None:
    jar = sign_in(server, "viewer")
    ctype, body = multipart({"csrf": jar["ep_csrf"]}, [("x.csv", b"0" * (200 * 1024))])
    a = exchange(
        server.port,
        request_head("POST", "/data/upload?lang=en", length=len(body), ctype=ctype, cookies=jar),
        [body],
    )
    assert a.status == 413 and "at most 64 KB" in a.message()


def test_form_fields_files_and_field_sizes_are_limited(server: Server) -> None:
    jar = sign_in(server)
    cases = [
        ({f"f{i}": "x" for i in range(7)}, [], "the form has too many fields: at most 6"),
        ({"note": "x" * 9000}, [], "a form field is too large: at most 8 KB per field"),
        (
            {"csrf": jar["ep_csrf"]},
            [("a.csv", b"1"), ("b.csv", b"2")],
            "the form has too many files: at most 1",
        ),
    ]
    for fields, files, expected in cases:
        ctype, body = multipart(fields, files)
        a = exchange(
            server.port,
            request_head(
                "POST", "/data/upload?lang=en", length=len(body), ctype=ctype, cookies=jar
            ),
            [body],
        )
        assert a.status == 413, (expected, a.text[:300])
        assert a.message() == expected
    ctype, body = multipart({f"f{i}": "x" for i in range(7)}, [])
    a = exchange(
        server.port,
        request_head("POST", "/data/upload", length=len(body), ctype=ctype, cookies=jar),
        [body],
    )
    assert a.message() == "فرم خانه‌های بیش از اندازه دارد: حداکثر ۶"


def test_bad_file_names_are_refused_and_nothing_stays(server: Server) -> None:
    jar = sign_in(server)
    before = listing(server.ws / "uploads")
    long_name = "ص" * 130 + ".csv"  # 264 bytes in UTF-8, 134 characters
    cases = [
        (long_name, "en", "the file name is too long: at most 240 bytes, this one has 264"),
        ("a\x00b.csv", "en", "the file name holds a NUL or another control character"),
        ("report\u202evsc.exe", "en", "the file name holds a NUL or another control character"),
        (
            long_name,
            "fa",
            "نام پرونده بیش از اندازه بلند است: حداکثر ۲۴۰ بایت، این نام ۲۶۴ بایت است",
        ),
    ]
    for name, lang, expected in cases:
        ctype, body = multipart({"csrf": jar["ep_csrf"]}, [(name, b"a,b\n1,2\n")])
        a = exchange(
            server.port,
            request_head(
                "POST", f"/data/upload?lang={lang}", length=len(body), ctype=ctype, cookies=jar
            ),
            [body],
        )
        assert a.status == 400, a.text[:300]
        assert a.message() == expected
    assert listing(server.ws / "uploads") == before


def final_job(server: Server, jar: dict[str, str], job_id: int) -> dict[str, Any]:
    """The import ``job_id`` of the server's queue once it is final (its Data page line)."""
    import http.client

    def jobs() -> list[dict[str, Any]]:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        conn.request("GET", "/data/imports.json?lang=en", headers={"Cookie": cookie})
        queue: list[dict[str, Any]] = json.loads(conn.getresponse().read())["imports"]
        conn.close()
        return queue

    return next(j for j in until_final(jobs, job_id) if j["id"] == job_id)


def test_a_failed_import_leaves_no_file(server: Server) -> None:
    jar = sign_in(server)
    before = listing(server.ws / "uploads")
    ctype, body = multipart({"csrf": jar["ep_csrf"]}, [("no-columns.csv", b"a,b\n1,2\n")])
    a = exchange(
        server.port,
        request_head("POST", "/data/upload?lang=en", length=len(body), ctype=ctype, cookies=jar),
        [body],
    )
    assert a.status == 303  # queued for the server's writer, which refuses the file
    job = final_job(server, jar, queued_job(a.headers["location"]))
    assert job["state"] == "failed" and "missing column" in job["text"]
    assert listing(server.ws / "uploads") == before  # the writer removed the refused upload
    # a good file is kept (named by its hash), and the page answers with its summary
    good = (
        "تاریخ,گمرک اجرایی,کد تعرفه,کشور مقصد,وزن خالص (کیلوگرم),ارزش دلاری\n"
        "1395/01/03,گمرک جلفا,08081000,عراق,100,200\n"  # a month the demo has not loaded
    ).encode("utf-8-sig")
    ctype, body = multipart({"csrf": jar["ep_csrf"]}, [("azar-1405.csv", good)])
    a = exchange(
        server.port,
        request_head("POST", "/data/upload?lang=en", length=len(body), ctype=ctype, cookies=jar),
        [body],
    )
    assert a.status == 303
    job = final_job(server, jar, queued_job(a.headers["location"]))
    assert job["state"] == "done" and "imported as dataset" in job["text"], (
        job["text"],
        job["detail"],
    )
    added = listing(server.ws / "uploads") - before
    assert len(added) == 1 and next(iter(added)).endswith("-azar-1405.csv")
    assert not [n for n in listing(server.ws / "uploads") if n.startswith(".partial-")]
