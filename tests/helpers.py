"""What the web tests share: a client signed in as a demo user, waiting for the server's
import queue (the Data page's ``/data/imports.json``) and walking the app's routes, including
those of included routers."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from fastapi.testclient import TestClient

Job = dict[str, Any]

#: How long a test waits for an import to become final before it fails
TIMEOUT = 60.0


def client_as(app: Any, user: str) -> TestClient:
    """A test client of ``app`` (as a browser sends: with its Origin) signed in as the demo's
    ``user`` with the demo's password; the sign-in must succeed."""
    from exportplan.services import demo_program

    c = TestClient(app, follow_redirects=False, headers={"Origin": "http://testserver"})
    c.get("/login")
    r = c.post(
        "/login",
        data={
            "username": user,
            "password": demo_program.DEMO_PASSWORD,
            "csrf": c.cookies["ep_csrf"],
        },
    )
    assert r.status_code == 303, r.text
    return c


def until_final(
    jobs: Callable[[], list[Job]], job_id: int | None = None, timeout: float = TIMEOUT
) -> list[Job]:
    """The queue as ``jobs()`` reads it once the import ``job_id`` (every import when None)
    is final; fails the test when that takes longer than ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while True:
        queue = jobs()
        waited = [j for j in queue if job_id is None or j["id"] == job_id]
        assert job_id is None or waited, (job_id, queue)  # the import is in the queue
        if all(j["final"] for j in waited):
            return queue
        assert time.monotonic() < end, ("the import did not finish", waited)
        time.sleep(0.05)


def imports(client: TestClient, lang: str = "en") -> list[Job]:
    """The server's import queue as the Data page polls it, newest first."""
    queue: list[Job] = client.get(f"/data/imports.json?lang={lang}").json()["imports"]
    return queue


def wait_for_imports(client: TestClient, lang: str = "en") -> list[Job]:
    """The queue once every import in it is final."""
    return until_final(lambda: imports(client, lang))


def wait_for_import(client: TestClient, job_id: int, lang: str = "en") -> Job:
    """The import ``job_id`` once it is final (its line on the Data page, in ``lang``)."""
    return next(j for j in until_final(lambda: imports(client, lang), job_id) if j["id"] == job_id)


def queued_job(location: str) -> int:
    """The import an upload queued, from the Data page address it redirects to
    (``/data?import=7#imports``)."""
    return int(location.split("import=")[1].split("#")[0].split("&")[0])


def walk(routes: list[Any]) -> Iterator[Any]:
    """Every route of an app, those of included routers too (``original_router``)."""
    for r in routes:
        inner = getattr(r, "original_router", None)
        if inner is not None:
            yield from walk(inner.routes)
        else:
            yield r
