"""The warm pages' layer (web/warm.py), which answers a cached page below the framework: it
sends what the normal path sends (body and headers, every page in both languages, the JSON
twins), with this browser's CSRF token; it never answers after a sign-out, a password change,
a disabled user, a role change or a change of the data; one user never gets another's page;
writes, HEAD and pages that are not cached go through the normal path. Through a real app
over a copy of the demo workspace."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from exportplan.auth import Actor
from exportplan.services import demo_program, program, users
from exportplan.web.app import create_app
from exportplan.web.warm import WarmPage, WarmPages
from exportplan.workspace import Workspace, open_workspace
from helpers import client_as

#: Every page of the navigation and the linked ones (benchmarks/pages_bench.py's list)
PAGES = (
    "/dashboard",
    "/dashboard?definition=origin",
    "/monitor",
    "/monitor?by=partner",
    "/opportunities",
    "/program",
    "/program/audit",
    "/investment",
    "/suppliers",
    "/gaps",
    "/zones",
    "/zones/TLS",
    "/claims",
    "/data",
    "/users",
    "/introductions",
    "/investment/enquiries",
    "/zones/TLS/worklist",
)
TWINS = ("/dashboard.json", "/program.json", "/monitor.json", "/zones.json")
ADMIN = Actor("test-admin", "admin")


@pytest.fixture(scope="module")
def ws(small_demo: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    path = tmp_path_factory.mktemp("warm-pages") / "ws"
    shutil.copytree(small_demo.path, path)
    return open_workspace(path)


@pytest.fixture(scope="module")
def app(ws: Workspace) -> Iterator[Any]:
    yield create_app(ws)


def warm(app: Any) -> WarmPages:
    pages: WarmPages = app.state.site.warm
    return pages


def with_lang(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"


def normal(app: Any, c: TestClient, url: str) -> Any:
    """The normal path's answer (the warm layer off for this request)."""
    warm(app).enabled = False
    try:
        return c.get(url)
    finally:
        warm(app).enabled = True


def answered_warm(app: Any, c: TestClient, url: str) -> tuple[Any, bool]:
    """The answer, and whether the warm layer sent it."""
    before = warm(app).hits
    r = c.get(url)
    return r, warm(app).hits == before + 1


def test_the_warm_answer_is_the_normal_one_for_every_page_in_both_languages(app: Any) -> None:
    one, two = client_as(app, "secretary"), client_as(app, "secretary")  # two browsers
    csrf1, csrf2 = one.cookies["ep_csrf"], two.cookies["ep_csrf"]
    assert csrf1 != csrf2
    for url in (with_lang(p, lang) for p in PAGES + TWINS for lang in ("fa", "en")):
        expected = normal(app, one, url)  # builds and keeps the page
        assert expected.status_code == 200, (url, expected.status_code)
        same, was_warm = answered_warm(app, one, url)
        assert was_warm, url
        assert same.content == expected.content, url
        assert same.headers.multi_items() == expected.headers.multi_items(), url
        # another browser of the same user: the same page with its own CSRF token
        other, was_warm = answered_warm(app, two, url)
        assert was_warm, url
        assert other.headers.multi_items() == expected.headers.multi_items(), url
        if url.split("?")[0].endswith(".json"):
            assert other.content == expected.content, url
            continue
        assert csrf1 in expected.text and csrf2 not in expected.text, url
        assert csrf2 in other.text and csrf1 not in other.text, url
        assert other.text.replace(csrf2, csrf1) == expected.text, url
    one.close()
    two.close()


def test_a_page_that_is_not_cached_and_every_write_go_through_the_normal_path(app: Any) -> None:
    sec = client_as(app, "secretary")
    pages = warm(app)
    sec.get("/login?lang=en")  # no cached context: nothing kept
    assert not pages.holds_address("/login", b"lang=en")
    assert sec.get("/login?lang=en").status_code == 200
    sec.get("/program?lang=en")
    assert pages.holds_address("/program", b"lang=en")
    hits = pages.hits
    assert sec.head("/program?lang=en").status_code in (200, 405)
    r = sec.post("/program?lang=en", data={"csrf": sec.cookies["ep_csrf"]})
    assert r.status_code == 405  # the app's answer: no such form
    assert pages.hits == hits
    # without a session cookie: the app's answer (to the sign-in)
    anon = TestClient(app, follow_redirects=False)
    r = anon.get("/program?lang=en")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert pages.hits == hits
    sec.close()


def test_a_change_of_the_data_shows_at_once(app: Any, ws: Workspace) -> None:
    sec = client_as(app, "secretary")
    sec.get("/program?lang=en")
    before, was_warm = answered_warm(app, sec, "/program?lang=en")
    assert was_warm and "Warm layer agency" not in before.text
    program.add_agency(  # a write through a service, as another process would make it
        ws.program(), ADMIN, code="WARM1", name_en="Warm layer agency", name_fa="نهاد", kind="other"
    )
    after, was_warm = answered_warm(app, sec, "/program?lang=en")
    assert not was_warm and "Warm layer agency" in after.text
    again, was_warm = answered_warm(app, sec, "/program?lang=en")  # kept again
    assert was_warm and again.content == after.content
    sec.close()


def test_a_user_never_gets_another_users_page(app: Any) -> None:
    sec, member = client_as(app, "secretary"), client_as(app, "imt")
    theirs = sec.get("/program?lang=en")
    assert answered_warm(app, sec, "/program?lang=en")[1]  # the secretary's page is kept
    mine = normal(app, member, "/program?lang=en")
    assert mine.text.replace(member.cookies["ep_csrf"], "") != theirs.text.replace(
        sec.cookies["ep_csrf"], ""
    )
    got, was_warm = answered_warm(app, member, "/program?lang=en")
    assert was_warm and got.content == mine.content
    assert (
        '<span class="who"><bdi translate="no">secretary</bdi>' in theirs.text
    )  # whose page it is
    assert '<span class="who"><bdi translate="no">secretary</bdi>' not in got.text
    assert '<span class="who"><bdi translate="no">imt</bdi>' in got.text
    sec.close()
    member.close()


def test_a_sign_out_ends_the_warm_answers_at_once(app: Any) -> None:
    sec = client_as(app, "secretary")
    sec.get("/dashboard?lang=en")
    assert answered_warm(app, sec, "/dashboard?lang=en")[1]
    session = sec.cookies["ep_session"]
    r = sec.post("/logout", data={"csrf": sec.cookies["ep_csrf"]})
    assert r.status_code == 303
    sec.cookies.set("ep_session", session)  # a copy of the old cookie, sent again
    r, was_warm = answered_warm(app, sec, "/dashboard?lang=en")
    assert not was_warm and r.status_code == 303 and r.headers["location"].startswith("/login")
    sec.close()


@pytest.mark.parametrize("change", ["password", "disabled"])
def test_a_password_change_or_a_disabled_user_ends_them_at_once(
    app: Any, ws: Workspace, change: str
) -> None:
    c = client_as(app, "cus")
    c.get("/monitor?lang=fa")
    assert answered_warm(app, c, "/monitor?lang=fa")[1]
    if change == "password":
        users.set_password(ws.program(), ADMIN, "cus", "a new long password 1")
    else:
        users.set_active(ws.program(), ADMIN, "cus", False)
    r, was_warm = answered_warm(app, c, "/monitor?lang=fa")
    assert not was_warm and r.status_code == 303
    if change == "password":
        users.set_password(ws.program(), ADMIN, "cus", demo_program.DEMO_PASSWORD)
    else:
        users.set_active(ws.program(), ADMIN, "cus", True)
    c.close()


def test_the_store_is_asked_on_every_request_even_when_the_data_version_holds(
    app: Any, ws: Workspace
) -> None:
    """A change of the users table that writes no audit row (the data's version holds): a
    role changed or a user disabled in the store by hand still shows on the next request."""
    c = client_as(app, "agri")
    as_member = c.get("/program?lang=en")
    assert answered_warm(app, c, "/program?lang=en")[1]
    version = app.state.site.versions()
    with ws.program().engine.begin() as con:
        con.execute(text("UPDATE users SET role = 'viewer' WHERE username = 'agri'"))
    assert app.state.site.versions() == version
    r, was_warm = answered_warm(app, c, "/program?lang=en")
    assert not was_warm and r.status_code == 200
    assert r.text.replace(c.cookies["ep_csrf"], "") != as_member.text.replace(
        c.cookies["ep_csrf"], ""
    )
    assert r.content == normal(app, c, "/program?lang=en").content  # the viewer's page
    with ws.program().engine.begin() as con:
        con.execute(text("UPDATE users SET active = false WHERE username = 'agri'"))
    r, was_warm = answered_warm(app, c, "/program?lang=en")
    assert not was_warm and r.status_code == 303
    with ws.program().engine.begin() as con:
        con.execute(text("UPDATE users SET role = 'member', active = true WHERE username = 'agri'"))
    c.close()


def test_the_data_pages_import_queue_is_rendered_on_every_warm_answer(app: Any) -> None:
    sec = client_as(app, "secretary")
    sec.get("/data?lang=en")
    first, was_warm = answered_warm(app, sec, "/data?lang=en")
    assert was_warm
    site = app.state.site
    assert site.imports_slot not in first.text and site.csrf_slot not in first.text
    assert site.imports_html("en") in first.text
    sec.close()


def test_the_kept_pages_are_bounded_in_number_and_bytes() -> None:
    pages = WarmPages(max_pages=3, max_bytes=1000)
    for i in range(5):
        pages.keep(WarmPages.key(f"/p{i}", b"", "en", "u", "r", None), WarmPage((1,), b"x", "t"))
    assert [k[0] for k in pages.items] == ["/p2", "/p3", "/p4"]
    assert not pages.holds_address("/p0", b"") and pages.holds_address("/p4", b"")
    assert pages.get(WarmPages.key("/p2", b"", "en", "u", "r", None)) is not None  # now newest
    pages = WarmPages(max_pages=10, max_bytes=1000)
    for i in range(5):  # 5 x 240 bytes: over 1000, the oldest goes
        pages.keep(
            WarmPages.key(f"/b{i}", b"", "en", "u", "r", None), WarmPage((1,), b"z" * 240, "t")
        )
    assert [k[0] for k in pages.items] == ["/b1", "/b2", "/b3", "/b4"] and pages.bytes == 960
    huge = WarmPage((1,), b"h" * 251, "t")  # over a quarter of the bytes: not kept
    pages.keep(WarmPages.key("/huge", b"", "en", "u", "r", None), huge)
    assert not pages.holds_address("/huge", b"") and pages.bytes == 960
    pages.keep(WarmPages.key("/q", b"x" * 513, "en", "u", "r", None), WarmPage((1,), b"", "t"))
    assert not pages.holds_address("/q", b"x" * 513)  # a junk query is not kept
    pages.keep(WarmPages.key("/b1", b"", "en", "u", "r", None), WarmPage((2,), b"n", "t"))
    assert pages.bytes == 721 and len(pages.items) == 4  # a page kept again replaces its old
