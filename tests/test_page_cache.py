"""The page cache on the pages that were built on every request (the zones' pages, the
supplier pages, the investment pipeline's, an action's page): a warm request reads nothing
but the session and the data's version from the program store; a write shows at once; each role and agency has its own
context (a viewer never gets the forms an editor's context holds), through a real app over a
copy of the demo workspace."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from exportplan.services import program
from exportplan.web.app import create_app
from exportplan.workspace import Workspace, open_workspace
from helpers import client_as


@pytest.fixture(scope="module")
def ws(small_demo: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    path = tmp_path_factory.mktemp("page-cache") / "ws"
    shutil.copytree(small_demo.path, path)
    return open_workspace(path)


@pytest.fixture(scope="module")
def app(ws: Workspace) -> Iterator[Any]:
    yield create_app(ws)


def statements(ws: Workspace, c: TestClient, url: str) -> tuple[int, str]:
    """The program store's SQL statements of one request, and its page."""
    engine = ws.program().engine
    count = [0]

    def seen(*_a: Any, **_k: Any) -> None:
        count[0] += 1

    event.listen(engine, "before_cursor_execute", seen)
    try:
        r = c.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert r.status_code == 200, (url, r.status_code)
    return count[0], r.text


PAGES = (
    "/zones/TLS?lang=fa",
    "/zones?lang=en",
    "/gaps?lang=fa",
    "/introductions?lang=en",
    "/investment/enquiries?lang=fa",
    "/program/actions/{action}?lang=en",
)


def test_warm_pages_read_only_the_session_and_the_version(app: Any, ws: Workspace) -> None:
    sec = client_as(app, "secretary")
    floor, _ = statements(ws, sec, "/login")  # a page that reads nothing of the store
    db = ws.program()
    action = program.actions(db, program.programs(db)[0]["id"])[0]["id"]
    for url in (p.replace("{action}", str(action)) for p in PAGES):
        cold, first = statements(ws, sec, url)
        warm, again = statements(ws, sec, url)
        assert warm < cold, (url, cold, warm)
        assert warm <= floor + 4, (url, floor, warm)  # the session and the latest change
        assert again.replace(sec.cookies["ep_csrf"], "") == first.replace(
            sec.cookies["ep_csrf"], ""
        )
    sec.close()


def test_a_write_shows_at_once_and_each_role_has_its_own_context(app: Any, ws: Workspace) -> None:
    sec, viewer = client_as(app, "secretary"), client_as(app, "viewer")
    seen_by_viewer = viewer.get("/program?lang=en").text
    seen_by_secretary = sec.get("/program?lang=en").text
    assert 'id="target-set"' in seen_by_secretary and 'id="target-set"' not in seen_by_viewer
    assert 'id="target-set"' not in viewer.get("/program?lang=en").text  # after the editor's
    before = sec.get("/zones?lang=fa").text
    r = sec.post(
        "/program/agencies?lang=en",
        data={"code": "CACHE1", "name": "Cache test agency", "kind": "other",
              "csrf": sec.cookies["ep_csrf"]},
    )  # fmt: skip
    assert r.status_code == 303
    assert "Cache test agency" in sec.get("/program?lang=en").text  # the write shows at once
    cold, _ = statements(ws, sec, "/zones?lang=fa")  # rebuilt: a new version
    warm, after = statements(ws, sec, "/zones?lang=fa")
    assert warm < cold and after.replace(sec.cookies["ep_csrf"], "") == before.replace(
        sec.cookies["ep_csrf"], ""
    )
    sec.close()
    viewer.close()
