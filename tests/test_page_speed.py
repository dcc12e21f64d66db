"""What keeps the pages fast stays correct: the program's actions are read in a fixed number of
SQL statements however many there are (on SQLite and PostgreSQL), and a cached page's HTML
carries each browser's own CSRF token, shows a change at once and the Data page's import queue
as it is now. The timings themselves are benchmarks/pages_bench.py's (docs/benchmarks.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from exportplan.services import demo_program, program
from exportplan.store.program import ProgramDB
from exportplan.web.app import create_app
from exportplan.workspace import Workspace
from helpers import client_as
from test_program import SECRETARY, setup_program


def statements(db: ProgramDB, pid: int) -> tuple[int, list[dict[str, Any]]]:
    """The SQL statements of reading the program's actions, and the actions."""
    seen: list[str] = []

    def count(_c: object, _cur: object, sql: str, *_a: object) -> None:
        seen.append(sql)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        acts = program.actions(db, pid)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen), acts


def test_the_actions_are_read_in_a_fixed_number_of_statements(pdb: ProgramDB) -> None:
    pid = setup_program(pdb)
    program.add_priority(pdb, SECRETARY, pid, code="P1", hs_codes=["0802"], markets="IRQ")
    sizes = []
    for n in (2, 12):
        while len(program.actions(pdb, pid)) < n:
            i = len(program.actions(pdb, pid))
            a = program.add_action(
                pdb,
                SECRETARY,
                pid,
                agency=("IMT", "CUS")[i % 2],
                title=f"action {i}",
                start="1405-01-10",
                deadline="1405-06-30",
                priority="P1" if i % 3 == 0 else None,
            )
            program.update_action(pdb, SECRETARY, a["id"], version=a["version"], note=f"n{i}")
        count, acts = statements(pdb, pid)
        sizes.append(count)
        # what the batched reads give is what each action's own view gives
        for a in acts:
            one = program.get_action(pdb, a["id"])
            assert (a["agency"], a["priority"], a["notes"]) == (
                one["agency"],
                one["priority"],
                one["notes"],
            )
            assert [x["text"] for x in a["notes"]] == [f"n{a['title'].split()[1]}"]
    assert sizes[0] == sizes[1] <= 6, sizes  # not three more statements per action


@pytest.fixture(scope="module")
def clients(small_demo: Workspace) -> Iterator[tuple[TestClient, TestClient]]:
    app = create_app(small_demo)
    pair = []
    for user in ("secretary", "imt"):
        c = client_as(app, user)
        c.__enter__()
        pair.append(c)
    yield pair[0], pair[1]
    for c in pair:
        c.__exit__(None, None, None)


def tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrf" value="([^"]+)"', html))


def test_a_cached_page_carries_each_browsers_own_token_and_shows_a_change_at_once(
    clients: tuple[TestClient, TestClient], small_demo: Workspace
) -> None:
    sec, imt = clients
    first, again = sec.get("/program?lang=en").text, sec.get("/program?lang=en").text
    assert first == again and tokens(first) == {sec.cookies["ep_csrf"]}
    # a second secretary session: the same page, its own token
    other = TestClient(create_app(small_demo), headers={"Origin": "http://testserver"})
    with other:
        other.get("/login")
        other.post(
            "/login",
            data={
                "username": "secretary",
                "password": demo_program.DEMO_PASSWORD,
                "csrf": other.cookies["ep_csrf"],
            },
        )
        theirs = other.get("/program?lang=en").text
    assert tokens(theirs) == {other.cookies["ep_csrf"]} != tokens(first)
    assert theirs.replace(other.cookies["ep_csrf"], "T") == first.replace(
        sec.cookies["ep_csrf"], "T"
    )
    # the member sees the forms of its own agency only, not the secretary's page
    mine = imt.get("/program?lang=en").text
    assert tokens(mine) == {imt.cookies["ep_csrf"]}
    assert mine.count('class="edit-action"') < first.count('class="edit-action"')
    # a change in the store shows on the next request
    db = small_demo.program()
    pid = program.programs(db)[0]["id"]
    act = next(a for a in program.actions(db, pid) if a["agency"] == "IMT")
    progress = 17 if act["progress"] != 17 else 18
    r = sec.post(
        f"/program/actions/{act['id']}",
        data={"version": act["version"], "progress": str(progress), "csrf": sec.cookies["ep_csrf"]},
    )
    assert r.status_code == 303
    row = sec.get("/program?lang=en").text.split(f'id="action-{act["id"]}"')[1].split("</tr>")[0]
    assert f'name="progress" value="{progress}"' in row
    # the Data page: cached, its import queue rendered as it is on each request
    data = sec.get("/data?lang=en").text
    assert '<section id="imports"' in data and "imports-slot-" not in data
    assert tokens(data) == {sec.cookies["ep_csrf"]}
    # every page is cached now, a zone's dashboard by zone and day too: three requests keep
    # one rendered entry, and another page adds its own
    site = sec.app.state.site  # type: ignore[attr-defined]
    kept = len(site.html)
    for _ in range(3):
        assert sec.get("/zones/TLS?lang=en").status_code == 200
    assert len(site.html) == kept + 1
    # a cached page's HTML is kept, once per frame
    sec.get("/dashboard?lang=en")
    sec.get("/dashboard?lang=en")
    assert len(site.html) == kept + 2
