"""Access: sign-in limits and timing, API tokens (expiry, scope, listing, revocation, kinds),
sessions ending at once, the CSRF token bound to the session and the Origin check, Secure
cookies, the warnings, versioned KPI values under concurrent saves, ids out of range, and the
program store's migration of an existing workspace; the concurrency cases against a real
server with real concurrent clients."""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import statistics
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from exportplan.auth import Actor
from exportplan.errors import (
    AuthenticationError,
    InputError,
    PermissionDeniedError,
    TooManyAttemptsError,
)
from exportplan.services import demo_program, users
from exportplan.services import program as svc
from exportplan.services.signin_limits import SignInLimits
from exportplan.store import program as program_db
from exportplan.store.program import ProgramDB, current_revision
from exportplan.web.api_app import create_api
from exportplan.web.app import create_app
from exportplan.web.site import csrf_token
from exportplan.workspace import Workspace

#: The Origin a browser sends with a form of this site: a write carrying the site's cookies
#: that names no origin is refused (web/app.py)
BROWSER = {"Origin": "http://testserver"}

ADMIN = Actor("admin", "admin")
PASSWORD = "a long passphrase"


def seed(db: ProgramDB) -> int:
    """Two agencies, a program with a manual KPI measured once, and four users."""
    svc.add_agency(db, ADMIN, code="IMT", name_en="Industry", kind="industry-mine-trade")
    svc.add_agency(db, ADMIN, code="CUS", name_en="Customs", kind="customs")
    pid = int(
        svc.create_program(
            db, ADMIN, region="East Azerbaijan", country="IRN", sh_year=1405, target_usd=3e9
        )["id"]
    )
    svc.add_kpi(db, ADMIN, pid, code="K1", agency="IMT", name="fairs", source="manual", unit="n")
    svc.measure(db, ADMIN, pid, "K1", period="1405-03", value=1.0)
    for name, role, agency in [
        ("admin", "admin", None),
        ("sara", "secretary", None),
        ("imt", "member", "IMT"),
        ("vic", "viewer", None),
    ]:
        users.create_user(db, ADMIN, username=name, password=PASSWORD, role=role, agency=agency)
    return pid


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def serve() -> Iterator[Any]:
    """Serve apps on real loopback ports (uvicorn in a thread); stopped at the end."""
    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(app: FastAPI) -> str:
        port = free_port()
        srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        th = threading.Thread(target=srv.run, daemon=True)
        th.start()
        for _ in range(400):
            if srv.started:
                break
            time.sleep(0.05)
        assert srv.started, "the server did not start"
        running.append((srv, th))
        return f"http://127.0.0.1:{port}"

    yield start
    for srv, th in running:
        srv.should_exit = True
        th.join(timeout=10)


@dataclass
class Answer:
    status_code: int
    headers: dict[str, str]
    body: dict[str, Any]

    def json(self) -> dict[str, Any]:
        return self.body


def call(method: str, url: str, body: Any, headers: dict[str, str] | None = None) -> Answer:
    """One real HTTP request (its own connection) with a JSON body."""
    req = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method=method,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            heads = {k.lower(): v for k, v in r.headers.items()}
            return Answer(r.status, heads, json.loads(r.read() or b"{}"))
    except urllib.error.HTTPError as e:
        heads = {k.lower(): v for k, v in e.headers.items()}
        return Answer(e.code, heads, json.loads(e.read() or b"{}"))


def concurrently(n: int, call: Any) -> list[Any]:
    """``call(i)`` in ``n`` threads released at the same moment; their results in order."""
    barrier = threading.Barrier(n)
    out: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        out[i] = call(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return out


def limits(user: int = 5, address: int = 1000, lockout: int = 30) -> SignInLimits:
    return SignInLimits(
        user_attempts=user,
        address_attempts=address,
        lockout_seconds=lockout,
        max_lockout_seconds=240,
    )


# ---- sign-in limits -----------------------------------------------------------------------


def test_lockout_backs_off_and_counts_unknown_names_alike() -> None:
    now = [1000.0]
    lim = SignInLimits(
        user_attempts=3,
        address_attempts=5,
        lockout_seconds=10,
        max_lockout_seconds=35,
        clock=lambda: now[0],
    )

    def fail(name: str, address: str = "10.0.0.1") -> None:
        lim.end(lim.begin(name, address), failed=True)

    for name in ("sara", "nobody-here"):  # a real and an unknown name lock the same way
        for i in range(3):
            fail(name, f"10.0.1.{i}")
        with pytest.raises(TooManyAttemptsError) as e:
            lim.begin(name, "10.0.0.8")
        assert e.value.retry_after == 10
    now[0] += 10.5
    fail("sara", "10.0.0.7")  # the 4th failure: locked twice as long
    with pytest.raises(TooManyAttemptsError) as e:
        lim.begin("sara", "10.0.0.6")
    assert e.value.retry_after == 20
    now[0] += 20.5
    fail("sara", "10.0.0.5")
    now[0] += 0.5
    with pytest.raises(TooManyAttemptsError) as e:
        lim.begin("sara", "10.0.0.4")
    assert e.value.retry_after == 35  # capped: 40 would be more than the longest lockout
    now[0] += 35
    lim.end(lim.begin("SARA ", "10.0.0.3"), failed=False)  # a success clears the name
    fail("sara", "10.0.0.2")
    lim.begin("sara", "10.0.0.2")  # one failure after a success: not locked
    # one address, many names: locked after 5 failures whatever the names
    for i in range(5):
        fail(f"user{i}", "192.0.2.1")
    with pytest.raises(TooManyAttemptsError):
        lim.begin("someone-else", "192.0.2.1")
    lim.begin("someone-else", "192.0.2.2")


def test_concurrent_guesses_against_a_real_server(pdb: ProgramDB, serve: Any) -> None:
    """20 concurrent wrong passwords for one name, 5 allowed: exactly 5 reach the password
    check (401), 15 are refused with a time to wait (429); then the right password is refused
    too, for that name only."""
    seed(pdb)
    url = serve(create_api(pdb, limits=limits(user=5, lockout=60)))

    def guess(i: int) -> Answer:
        body = {"username": "sara", "password": f"wrong guess {i:02d}"}
        return call("POST", f"{url}/api/v1/auth/login", body)

    answers = concurrently(20, guess)
    codes = sorted(r.status_code for r in answers)
    assert codes == [401] * 5 + [429] * 15, codes
    for r in answers:
        if r.status_code == 429:
            assert 1 <= int(r.headers["retry-after"]) <= 60
            assert re.fullmatch(
                r"too many failed sign-ins; try again in \d+ seconds", r.json()["error"]
            )
    r = call("POST", f"{url}/api/v1/auth/login", {"username": "sara", "password": PASSWORD})
    assert r.status_code == 429
    r = call("POST", f"{url}/api/v1/auth/login", {"username": "vic", "password": PASSWORD})
    assert r.status_code == 200 and r.json()["token"]


def test_the_sign_in_page_says_when_to_retry_in_the_users_language(ws: Workspace) -> None:
    seed(ws.program())
    app = create_app(ws)
    app.state.site.signin_limits = limits(user=2, lockout=45)
    with TestClient(app, follow_redirects=False, headers=BROWSER) as c:
        c.get("/login")
        for _ in range(2):
            r = c.post(
                "/login",
                data={
                    "username": "sara",
                    "password": "not it at all",
                    "csrf": c.cookies["ep_csrf"],
                },
            )
            assert r.status_code == 401
        r = c.post(
            "/login", data={"username": "sara", "password": PASSWORD, "csrf": c.cookies["ep_csrf"]}
        )
        assert r.status_code == 429 and r.headers["Retry-After"] in ("44", "45")
        assert "ثانیه دیگر دوباره تلاش کنید" in r.text and ("۴۵" in r.text or "۴۴" in r.text)
        r = c.post(
            "/login?lang=en",
            data={"username": "sara", "password": PASSWORD, "csrf": c.cookies["ep_csrf"]},
        )
        assert r.status_code == 429
        assert re.search(r"too many failed sign-ins; try again in 4[45] seconds", r.text)


def test_an_unknown_name_takes_as_long_as_a_known_one(pdb: ProgramDB) -> None:
    """Median of 15 sign-ins each, interleaved: an unknown user name and a known one with a
    wrong password within 25% of each other (before, 56 ms against 384 ms)."""
    seed(pdb)
    users.sign_in(pdb, "sara", PASSWORD)  # warm up (the dummy hash is made once)
    with pytest.raises(AuthenticationError):
        users.sign_in(pdb, "nobody", PASSWORD)
    known: list[float] = []
    unknown: list[float] = []
    for i in range(15):
        for name, into in (("sara", known), (f"nobody{i}", unknown)):
            t0 = time.perf_counter()
            with pytest.raises(AuthenticationError, match="wrong user name or password"):
                users.sign_in(pdb, name, "wrong password!")
            into.append(time.perf_counter() - t0)
    mk, mu = statistics.median(known), statistics.median(unknown)
    assert abs(mu - mk) / mk < 0.25, (mk, mu)


# ---- API tokens ---------------------------------------------------------------------------


def test_tokens_expire_have_a_scope_and_are_listed_and_revoked_one_by_one(
    pdb: ProgramDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = seed(pdb)
    monkeypatch.setenv("EXPORTPLAN_API_TOKEN_DAYS", "7")
    read = users.create_api_token(pdb, ADMIN, "sara", "dashboard script")
    write = users.create_api_token(pdb, ADMIN, "sara", "sync", scope="write", days=400)
    listed = users.list_tokens(pdb, ADMIN, "sara")
    assert [(t["label"], t["scope"], t["state"]) for t in listed] == [
        ("sync", "write", "active"),
        ("dashboard script", "read", "active"),
    ]
    today = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    days = [(dt.datetime.fromisoformat(str(t["expires_at"])) - today).days for t in listed]
    assert days == [399, 6]
    assert read not in str(listed) and write not in str(listed)
    with TestClient(create_api(pdb)) as c:
        hr, hw = ({"Authorization": f"Bearer {x}"} for x in (read, write))
        assert c.get(f"/api/v1/programs/{pid}/kpis", headers=hr).status_code == 200
        r = c.put(
            f"/api/v1/programs/{pid}/kpis/K1/measurements",
            headers=hr,
            json={"period": "1405-04", "value": 2, "version": 0},
        )
        assert r.status_code == 403 and "read-only" in r.json()["error"]
        r = c.put(
            f"/api/v1/programs/{pid}/kpis/K1/measurements",
            headers=hw,
            json={"period": "1405-04", "value": 2, "version": 0},
        )
        assert r.status_code == 200
        # the service refuses a read token too, whatever the front door
        reader = users.actor_for_token(pdb, read, kind="api")
        with pytest.raises(PermissionDeniedError, match="read-only"):
            svc.measure(pdb, reader, pid, "K1", period="1405-05", value=3)
        users.revoke_token(pdb, ADMIN, int(listed[0]["id"]))  # "sync" only
        assert c.get("/api/v1/me", headers=hw).status_code == 401
        assert c.get("/api/v1/me", headers=hr).status_code == 200
    states = {t["label"]: t["state"] for t in users.list_tokens(pdb, ADMIN, "sara")}
    assert states == {"sync": "revoked", "dashboard script": "active"}
    with pytest.raises(PermissionDeniedError):
        users.list_tokens(pdb, users.actor_for_user(pdb, "vic"), "sara")
    with pytest.raises(PermissionDeniedError):
        users.revoke_token(pdb, users.actor_for_user(pdb, "vic"), int(listed[1]["id"]))
    with pytest.raises(InputError, match="read or write"):
        users.create_api_token(pdb, ADMIN, "sara", "x", scope="admin")
    # an expired token is refused
    old = users.create_api_token(pdb, ADMIN, "vic", "old", days=1)
    with pdb.engine.begin() as con:
        con.execute(text("UPDATE tokens SET expires_at = :t WHERE label = 'old'"), {"t": today})
    with pytest.raises(AuthenticationError, match="expired"):
        users.actor_for_token(pdb, old, kind="api")
    assert users.list_tokens(pdb, ADMIN, "vic")[0]["state"] == "expired"


def test_a_web_session_is_no_bearer_token_and_an_api_token_no_cookie(ws: Workspace) -> None:
    db = ws.program()
    seed(db)
    api_token = users.create_api_token(db, ADMIN, "admin", "script", scope="write")
    with TestClient(create_app(ws), follow_redirects=False, headers=BROWSER) as c:
        c.cookies.set("ep_session", api_token)
        r = c.get("/users")
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        c.cookies.clear()
        c.get("/login")
        r = c.post(
            "/login", data={"username": "admin", "password": PASSWORD, "csrf": c.cookies["ep_csrf"]}
        )
        assert r.status_code == 303
        session = c.cookies["ep_session"]
        assert c.get("/users").status_code == 200
        h = {"Authorization": f"Bearer {session}"}
        assert c.get("/api/v1/me", headers=h).status_code == 401
        h = {"Authorization": f"Bearer {api_token}"}
        assert c.get("/api/v1/me", headers=h).json()["username"] == "admin"


def test_a_password_change_or_a_disabled_user_ends_sessions_and_tokens_at_once(
    ws: Workspace,
) -> None:
    db = ws.program()
    seed(db)
    with TestClient(create_app(ws), follow_redirects=False, headers=BROWSER) as c:
        api_token = users.create_api_token(db, ADMIN, "sara", "script")
        c.get("/login")
        r = c.post(
            "/login", data={"username": "sara", "password": PASSWORD, "csrf": c.cookies["ep_csrf"]}
        )
        assert r.status_code == 303
        assert c.get("/program").status_code == 200
        h = {"Authorization": f"Bearer {api_token}"}
        assert c.get("/api/v1/me", headers=h).status_code == 200
        users.set_password(db, ADMIN, "sara", "another long passphrase")
        r = c.get("/program")  # at once, not seconds later
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        assert c.get("/api/v1/me", headers=h).status_code == 401
        assert {t["state"] for t in users.list_tokens(db, ADMIN, "sara")} == {"revoked"}
        # a disabled user
        c.get("/login")
        r = c.post(
            "/login",
            data={
                "username": "sara",
                "password": "another long passphrase",
                "csrf": c.cookies["ep_csrf"],
            },
        )
        assert r.status_code == 303 and c.get("/program").status_code == 200
        users.set_active(db, ADMIN, "sara", False)
        assert c.get("/program").status_code == 303


def test_the_cli_lists_and_revokes_tokens(ws: Workspace) -> None:
    from exportplan.cli import app

    db = ws.program()
    seed(db)
    runner = CliRunner()
    w = ["--workspace", str(ws.path)]
    r = runner.invoke(app, ["user", "token", "sara", "--label", "report", "--days", "3", *w])
    assert r.exit_code == 0, r.output
    token = r.output.strip()
    assert users.actor_for_token(db, token, kind="api").scope == "read"
    r = runner.invoke(app, ["user", "token", "sara", "--label", "sync", "--scope", "write", *w])
    assert r.exit_code == 0
    r = runner.invoke(app, ["user", "tokens", "sara", "--json", *w])
    assert r.exit_code == 0, r.output
    import json

    rows = json.loads(r.output)
    assert [(t["label"], t["scope"], t["state"]) for t in rows] == [
        ("sync", "write", "active"),
        ("report", "read", "active"),
    ]
    r = runner.invoke(app, ["user", "revoke-token", str(rows[1]["id"]), *w])
    assert r.exit_code == 0 and f"token {rows[1]['id']} of sara (report) revoked" in r.output
    with pytest.raises(AuthenticationError):
        users.actor_for_token(db, token, kind="api")
    r = runner.invoke(app, ["user", "revoke-token", "999999", *w])
    assert r.exit_code != 0 and "no token 999999" in str(r.exception)


# ---- CSRF, Origin, cookies, warnings ------------------------------------------------------


def signed_in(c: TestClient, who: str = "admin") -> None:
    c.get("/login")
    r = c.post("/login", data={"username": who, "password": PASSWORD, "csrf": c.cookies["ep_csrf"]})
    assert r.status_code == 303, r.text


def test_the_csrf_token_is_bound_to_the_session_and_the_origin_is_checked(
    ws: Workspace,
) -> None:
    seed(ws.program())
    app = create_app(ws)
    with (
        TestClient(app, follow_redirects=False, headers=BROWSER) as a,
        TestClient(app, follow_redirects=False, headers=BROWSER) as b,
    ):
        a.get("/login")
        before = a.cookies["ep_csrf"]
        signed_in(a)
        signed_in(b, "sara")
        token_a = a.cookies["ep_csrf"]
        assert token_a != before  # a new session, a new token
        assert token_a == csrf_token(a.cookies["ep_session"], None)
        assert f'name="csrf" value="{token_a}"' in a.get("/users").text
        new_user = {"username": "x1", "password": "0123456789ab", "role": "viewer"}
        # b's own token in a's session (the double-submit cookie would have let it through)
        a.cookies.set("ep_csrf", b.cookies["ep_csrf"])
        r = a.post("/users", data={**new_user, "csrf": b.cookies["ep_csrf"]})
        assert r.status_code == 403 and "CSRF" in r.text
        r = a.post("/users", data={**new_user, "csrf": before})  # the pre-sign-in token
        assert r.status_code == 403
        del a.headers["Origin"]  # the test client's default: each case names its own
        for bad in (
            {"Origin": "https://evil.example"},
            {"Referer": "http://evil.example/x"},
            {"Origin": "null"},
        ):
            r = a.post("/users", data={**new_user, "csrf": token_a}, headers=bad)
            assert r.status_code == 403 and "بررسی Origin" in r.text, bad  # the page is Persian
        a.headers["Origin"] = BROWSER["Origin"]
        assert all(u["username"] != "x1" for u in users.list_users(ws.program(), ADMIN))
        r = a.post(
            "/users",
            data={**new_user, "csrf": token_a},
            headers={"Origin": "http://testserver", "Referer": "http://testserver/users"},
        )
        assert r.status_code == 303
        assert any(u["username"] == "x1" for u in users.list_users(ws.program(), ADMIN))
        # a bearer API call is exempt from the Origin check (no cookie can send it) ...
        api_token = users.create_api_token(ws.program(), ADMIN, "admin", "t", scope="write")
        r = a.post(
            "/api/v1/agencies",
            json={"code": "FZ", "name_en": "Free zone"},
            headers={"Authorization": f"Bearer {api_token}", "Origin": "https://evil.example"},
        )
        assert r.status_code == 201
        # ... but a cookie-only API write from another site is refused before anything runs
        r = a.post(
            "/api/v1/agencies",
            json={"code": "FZ2", "name_en": "x"},
            headers={"Origin": "https://evil.example"},
        )
        assert r.status_code == 403 and "Origin check" in r.json()["error"]


def test_cookies_are_secure_behind_https(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(ws.program())
    with TestClient(create_app(ws), follow_redirects=False, headers=BROWSER) as c:
        cookies = c.get("/login").headers.get_list("set-cookie")
        assert cookies and not any("secure" in x.lower() for x in cookies)
    monkeypatch.setenv("EXPORTPLAN_BEHIND_HTTPS", "yes")
    https = {"Origin": "https://testserver"}
    with TestClient(
        create_app(ws), base_url="https://testserver", follow_redirects=False, headers=https
    ) as c:
        cookies = c.get("/login").headers.get_list("set-cookie")
        assert {x.split("=")[0] for x in cookies} == {"ep_anon", "ep_csrf"}
        assert all("; secure" in x.lower() for x in cookies), cookies
        r = c.post(
            "/login", data={"username": "sara", "password": PASSWORD, "csrf": c.cookies["ep_csrf"]}
        )
        session = [x for x in r.headers.get_list("set-cookie") if x.startswith("ep_session=")]
        assert len(session) == 1 and "secure" in session[0].lower()
        assert "httponly" in session[0].lower()


def test_warnings_for_the_network_and_the_demos_password(ws: Workspace) -> None:
    from exportplan.cli.serve import is_loopback, warnings

    db = ws.program()
    seed(db)
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert warnings(ws, "127.0.0.1") == []
    users.create_user(db, ADMIN, username="demo", password=demo_program.DEMO_PASSWORD, role="admin")
    found = warnings(ws, "0.0.0.0")
    assert len(found) == 2 and "listening on 0.0.0.0" in found[0]
    assert "demo still have the demo's password" in found[1]
    with TestClient(create_app(ws), follow_redirects=False, headers=BROWSER) as c:
        signed_in(c, "admin")
        assert "demo-password" in c.get("/users").text
        signed_in(c, "sara")  # not shown to a secretary
        assert "demo-password" not in c.get("/program").text
        users.set_password(db, ADMIN, "demo", "a brand new passphrase")
        signed_in(c, "admin")
        assert "demo-password" not in c.get("/users").text


# ---- versioned KPI values -----------------------------------------------------------------


def test_ten_concurrent_saves_of_one_month_one_wins(pdb: ProgramDB, serve: Any) -> None:
    pid = seed(pdb)
    token = users.create_api_token(pdb, ADMIN, "sara", "t", scope="write")
    url = serve(create_api(pdb))
    k1 = next(k for k in svc.kpis(pdb, pid) if k["code"] == "K1")
    read = k1["measurements"][0]
    assert read["period"] == "1405-03" and read["version"] == 1

    put = f"{url}/api/v1/programs/{pid}/kpis/K1/measurements"
    h = {"Authorization": f"Bearer {token}"}

    def save(i: int) -> Answer:
        body = {"period": "1405-03", "value": 100 + i, "version": read["version"]}
        return call("PUT", put, body, h)

    answers = concurrently(10, save)
    codes = sorted(r.status_code for r in answers)
    assert codes == [200] + [409] * 9, [(r.status_code, r.body) for r in answers]
    winner = next(i for i, r in enumerate(answers) if r.status_code == 200)
    for r in answers:
        if r.status_code == 409:
            assert "nothing was saved" in r.json()["error"], r.json()
    now = next(k for k in svc.kpis(pdb, pid) if k["code"] == "K1")["measurements"]
    assert now == [
        {"period": "1405-03", "value": 100.0 + winner, "source": "entered by hand", "version": 2}
    ]
    log = [a for a in svc.audit_log(pdb, program_id=pid) if a["entity"] == "measurement"]
    assert [a["op"] for a in log] == ["update", "create"]  # one save landed, nine refused
    assert log[0]["before"]["value"] == 1.0 and log[0]["after"]["value"] == 100.0 + winner
    # a new month: version 0; a second "new" save of it is stale
    body = {"period": "1405-04", "value": 5, "version": 0}
    assert call("PUT", put, body, h).status_code == 200
    r = call("PUT", put, body, h)
    assert r.status_code == 409 and "your version 0, now 1" in r.json()["error"]


def test_a_stale_kpi_form_is_refused_on_the_page(ws: Workspace) -> None:
    db = ws.program()
    pid = seed(db)
    with TestClient(create_app(ws), follow_redirects=False, headers=BROWSER) as c:
        signed_in(c, "imt")
        html = c.get("/program?lang=en").text
        form = re.search(
            r'action="/program/(\d+)/kpis/K1/measure".*?name="version" value="(\d+)".*?'
            r'name="period" value="([^"]+)"',
            html,
            re.S,
        )
        assert form is not None and form.groups() == (str(pid), "1", "1405-03")
        data = {"period": "1405-03", "value": "۷٫۵", "version": "1", "csrf": c.cookies["ep_csrf"]}
        r = c.post(f"/program/{pid}/kpis/K1/measure", data=data)
        assert r.status_code == 303
        r = c.post(f"/program/{pid}/kpis/K1/measure?lang=en", data={**data, "value": "9"})
        assert r.status_code == 409 and "changed since you read it" in r.text
        r = c.post(
            f"/program/{pid}/kpis/K1/measure?lang=en", data={**data, "value": "1,5", "version": "2"}
        )
        assert r.status_code == 400 and "a number is needed" in r.text
        r = c.post("/program/99999999999999999999/kpis/K1/measure?lang=en", data=data)
        assert r.status_code == 422 and "Traceback" not in r.text
    ms = svc.kpis(db, pid)[0]["measurements"]
    assert [(m["value"], m["version"]) for m in ms] == [(7.5, 2)]


# ---- ids out of range ---------------------------------------------------------------------


def test_ids_out_of_range_are_422_json_never_500(pdb: ProgramDB) -> None:
    seed(pdb)
    big = "99999999999999999999"
    with TestClient(create_api(pdb), raise_server_exceptions=False) as c:
        r = c.post("/api/v1/auth/login", json={"username": "sara", "password": PASSWORD})
        h = {"Authorization": f"Bearer {r.json()['token']}"}
        calls = [
            ("GET", f"/api/v1/programs/{big}", None),
            ("PATCH", f"/api/v1/programs/{big}", {"version": 1}),
            ("GET", f"/api/v1/programs/{big}/priorities", None),
            ("GET", f"/api/v1/programs/{big}/targets", None),
            ("GET", f"/api/v1/programs/{big}/actions", None),
            ("GET", f"/api/v1/actions/{big}", None),
            ("PATCH", f"/api/v1/actions/{big}", {"version": 1}),
            ("GET", f"/api/v1/programs/{big}/kpis", None),
            ("GET", f"/api/v1/programs/{big}/audit", None),
            (
                "PUT",
                f"/api/v1/programs/{big}/kpis/K1/measurements",
                {"period": "1405-01", "value": 1, "version": 0},
            ),
        ]
        for method, path, body in calls:
            r = c.request(method, path, headers=h, json=body)
            assert r.status_code == 422, (path, r.status_code, r.text)
            assert "less than or equal to 2147483647" in r.json()["error"], r.json()
        assert c.get("/api/v1/programs/2147483647", headers=h).status_code == 404
        assert c.get("/api/v1/actions/2147483647", headers=h).status_code == 404


# ---- the store's migration of an existing workspace ---------------------------------------


def test_an_existing_store_is_upgraded(pdb: ProgramDB) -> None:
    """A store at the first schema, with a user, a token and a measurement, upgraded: the
    token keeps its rights (scope write), the measurement starts at version 1."""
    from alembic import command
    from alembic.config import Config

    url = pdb.engine.url.render_as_string(hide_password=False)
    if pdb.engine.dialect.name == "postgresql":  # a second, empty database of the same server
        name = f"{pdb.engine.url.database}_old"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as con:
            con.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = pdb.engine.url.set(database=name).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{Path(str(pdb.engine.url.database)).with_name('old.sqlite')}"
    engine = create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(program_db.migrations_dir()))
    with engine.begin() as con:
        cfg.attributes["connection"] = con
        command.upgrade(cfg, "0001")
    assert current_revision(engine) == "0001"
    with engine.begin() as con:
        con.execute(
            text(
                "INSERT INTO users (id, username, display_name, password_hash, role, active, "
                "created_at, version) VALUES (1, 'sara', '', 'x', 'secretary', true, "
                "CURRENT_TIMESTAMP, 1)"
            )
        )
        con.execute(
            text(
                "INSERT INTO tokens (user_id, token_hash, kind, label, created_at, revoked) "
                "VALUES (1, 'abc', 'api', 'old script', CURRENT_TIMESTAMP, false)"
            )
        )
        for sql in (
            "INSERT INTO regions (id, name_en, name_fa, country) VALUES (1, 'R', '', 'IRN')",
            "INSERT INTO agencies (id, code, name_en, name_fa, kind, version) "
            "VALUES (1, 'IMT', 'I', '', 'other', 1)",
            "INSERT INTO programs (id, region_id, sh_year, definition, name, target_usd, version) "
            "VALUES (1, 1, 1405, 'customs', '', 1e9, 1)",
            "INSERT INTO kpis (id, program_id, agency_id, code, name, unit, source, hs_codes, "
            "partners, version) VALUES (1, 1, 1, 'K1', 'k', 'n', 'manual', '[]', '[]', 1)",
            "INSERT INTO measurements (kpi_id, period, value, source, recorded_at, recorded_by) "
            "VALUES (1, '1405-01', 4.5, 'entered by hand', CURRENT_TIMESTAMP, 'sara')",
        ):
            con.execute(text(sql))
    engine.dispose()
    db = program_db.connect(url)
    try:
        assert current_revision(db.engine) == "0004_zones2"
        rows = users.list_tokens(db, ADMIN, "sara")
        assert [(t["label"], t["scope"], t["state"]) for t in rows] == [
            ("old script", "write", "active")
        ]
        ms = svc.kpis(db, 1)[0]["measurements"]
        assert ms == [
            {"period": "1405-01", "value": 4.5, "source": "entered by hand", "version": 1}
        ]
        svc.measure(db, ADMIN, 1, "K1", period="1405-01", value=5.0, version=1)
        assert svc.kpis(db, 1)[0]["measurements"][0]["version"] == 2
    finally:
        db.engine.dispose()
        if pdb.engine.dialect.name == "postgresql":
            admin = create_engine(
                pdb.engine.url.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT"
            )
            with admin.connect() as con:
                con.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
