"""The Origin check of writes against a real server: a write from another site, or one that
carries this browser's cookies and names no site (neither ``Origin`` nor ``Referer``), is
refused before anything runs, in the user's language; the site's own forms, a script's API
sign-in and a bearer-token call are accepted."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import uvicorn

from exportplan.auth import Actor
from exportplan.services import program as svc
from exportplan.services import users
from exportplan.web.app import create_app
from exportplan.web.site import csrf_token
from exportplan.workspace import Workspace

ADMIN = Actor("admin", "admin")
PASSWORD = "a long passphrase"


@dataclass
class Reply:
    status: int
    body: str
    location: str
    cookies: dict[str, str]


@dataclass
class Server:
    port: int

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def send(
        self,
        method: str,
        path: str,
        body: str = "",
        *,
        cookies: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        ctype: str = "application/x-www-form-urlencoded",
    ) -> Reply:
        """One request on its own connection, with exactly the headers given (http.client
        adds no Origin or Referer of its own)."""
        con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        heads = {"Content-Type": ctype, **(headers or {})}
        if cookies:
            heads["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        con.request(method, path, body=body.encode() if body else None, headers=heads)
        r = con.getresponse()
        text = r.read().decode("utf-8", "replace")
        jar = dict(c.split(";")[0].split("=", 1) for c in r.headers.get_all("set-cookie") or [])
        con.close()
        return Reply(r.status, text, r.headers.get("location", ""), jar)

    def sign_in(self, user: str = "admin") -> dict[str, str]:
        """A browser's cookies after the login form (sent with the Origin a browser sends)."""
        jar = self.send("GET", "/login").cookies
        form = urllib.parse.urlencode(
            {"username": user, "password": PASSWORD, "csrf": jar["ep_csrf"]}
        )
        r = self.send("POST", "/login", form, cookies=jar, headers={"Origin": self.origin})
        assert r.status == 303, (r.status, r.body[:300])
        jar.update(r.cookies)
        assert "ep_session" in jar
        return jar


@pytest.fixture
def server(ws: Workspace) -> Iterator[Server]:
    """The web app over a workspace with an admin and a secretary, on a real loopback port."""
    db = ws.program()
    svc.add_agency(db, ADMIN, code="IMT", name_en="Industry", kind="industry-mine-trade")
    for name, role in (("admin", "admin"), ("sara", "secretary")):
        users.create_user(db, ADMIN, username=name, password=PASSWORD, role=role)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    cfg = uvicorn.Config(create_app(ws), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(cfg)
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    for _ in range(400):
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield Server(port)
    srv.should_exit = True
    th.join(timeout=10)


def user_names(ws: Workspace) -> set[str]:
    return {str(u["username"]) for u in users.list_users(ws.program(), ADMIN)}


def new_user(name: str, jar: dict[str, str]) -> str:
    return urllib.parse.urlencode(
        {"username": name, "password": "0123456789ab", "role": "viewer", "csrf": jar["ep_csrf"]}
    )


def test_a_cookie_write_that_names_no_site_is_refused(server: Server, ws: Workspace) -> None:
    jar = server.sign_in()
    # neither Origin nor Referer, with a valid session and CSRF token: refused, in Persian ...
    r = server.send("POST", "/users", new_user("u1", jar), cookies=jar)
    assert r.status == 403, r.body[:300]
    assert "بدون سرآیند Origin یا Referer" in r.body
    # ... and in English when the page is English
    r = server.send("POST", "/users?lang=en", new_user("u1", jar), cookies=jar)
    assert r.status == 403 and "names no site (no Origin or Referer header)" in r.body
    # an empty Referer names no site either
    r = server.send("POST", "/users", new_user("u1", jar), cookies=jar, headers={"Referer": ""})
    assert r.status == 403
    # the JSON API with the session cookie only: refused the same way, as JSON
    r = server.send(
        "POST",
        "/api/v1/agencies",
        json.dumps({"code": "FZ", "name_en": "Free zone"}),
        cookies=jar,
        ctype="application/json",
    )
    assert r.status == 403
    refusal = json.loads(r.body)
    assert "no Origin or Referer" in refusal["error"]
    assert refusal["hint"] == "make the change from this site's own pages"
    # the sign-in form's nonce counts as this browser's cookie: a login without a site refused
    anon = server.send("GET", "/login").cookies
    form = urllib.parse.urlencode(
        {"username": "sara", "password": PASSWORD, "csrf": anon["ep_csrf"]}
    )
    r = server.send("POST", "/login", form, cookies=anon)
    assert r.status == 403 and "ep_session" not in r.cookies
    assert user_names(ws) == {"admin", "sara"}  # nothing written
    assert {a["code"] for a in svc.agencies(ws.program())} == {"IMT"}


def test_the_sites_own_writes_and_token_calls_are_accepted(server: Server, ws: Workspace) -> None:
    jar = server.sign_in()
    # a browser's form: Origin of this site
    r = server.send(
        "POST", "/users", new_user("u1", jar), cookies=jar, headers={"Origin": server.origin}
    )
    assert r.status == 303, r.body[:300]
    # no Origin (an older browser), but this site's page as Referer
    r = server.send(
        "POST",
        "/users",
        new_user("u2", jar),
        cookies=jar,
        headers={"Referer": f"{server.origin}/users"},
    )
    assert r.status == 303, r.body[:300]
    # another site's Referer, and a look-alike host, are refused
    for referer in ("http://evil.example/users", f"http://127.0.0.1:{server.port}.evil.example/"):
        r = server.send(
            "POST", "/users", new_user("u3", jar), cookies=jar, headers={"Referer": referer}
        )
        assert r.status == 403 and "بررسی Origin" in r.body, referer
    assert user_names(ws) == {"admin", "sara", "u1", "u2"}
    # a script signs in to the API with no cookie and no Origin, then writes with its token
    r = server.send(
        "POST",
        "/api/v1/auth/login",
        json.dumps({"username": "sara", "password": PASSWORD}),
        ctype="application/json",
    )
    assert r.status == 200, r.body
    token = json.loads(r.body)["token"]
    r = server.send(
        "POST",
        "/api/v1/agencies",
        json.dumps({"code": "FZ", "name_en": "Free zone"}),
        headers={"Authorization": f"Bearer {token}"},
        ctype="application/json",
    )
    assert r.status == 201, r.body
    assert {a["code"] for a in svc.agencies(ws.program())} == {"IMT", "FZ"}


def test_a_form_without_the_browsers_cookies_fails_the_csrf_check(server: Server) -> None:
    """Without a session or the ``ep_anon`` nonce the expected CSRF token would be a constant
    anyone can compute; such a form (a cross-site login: ``ep_anon`` is SameSite=Strict) is
    refused even when it names this site."""
    form = urllib.parse.urlencode(
        {"username": "sara", "password": PASSWORD, "csrf": csrf_token(None, None)}
    )
    r = server.send("POST", "/login?lang=en", form, headers={"Origin": server.origin})
    assert r.status == 403 and "CSRF check" in r.body
    assert "ep_session" not in r.cookies
