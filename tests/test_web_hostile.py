"""Clear errors, never a bare 500: every registered page route (the pages, their JSON twins,
the downloads and reports; the JSON API has its own tests) is walked with hostile values in
its path and query (empty, negative, huge, not digits, Persian digits, NUL, very long), and
each answer is a page or a JSON error with a message, in the page's language where the
message is the web app's own; Persian digits are accepted where a number is expected."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from exportplan.auth import local_actor
from exportplan.services import demo_program
from exportplan.services import program as program_svc
from exportplan.web.app import create_app
from exportplan.workspace import Workspace, open_workspace
from helpers import walk

#: The Origin a browser sends with a form of this site: a write carrying the site's cookies
#: that names no origin is refused (web/app.py)
BROWSER = {"Origin": "http://testserver"}

HOSTILE = ["", "-1", "0", "99999999999999999999", "abc", "۱۴۰۴", "1e3", "\x00", "x" * 300]
#: What each route reads from its query (and one parameter no route knows)
QUERY = {
    "/dashboard": ["year", "month"],
    "/monitor": ["year", "definition", "by", "product"],
    "/product-space": ["colour", "definition"],  # issue 16 (tables' sort-/filter- are the browser's)
    "/opportunities": ["product", "market", "preset"],
    "/program": ["year"],
    "/data": [],
    "/data/imports": [],  # the import queue's status (its .json)
    "/data/remove/{dataset_id}": [],  # asks before removing an import
    "/users": [],
    "/products": ["q"],  # the product search (its .json)
    "/login": ["next"],
    "/reports/council.pdf": ["year", "month"],
    "/program/export.xlsx": ["year"],
    "/program/audit": ["user", "what", "agency", "since", "until"],  # issue 15
    "/program/actions/{action_id}": [],
    "/reports/handover/{agency}.pdf": ["date"],
    "/claims": ["saved"],  # issue 20
    "/claims/check": [],  # the language switch of a checked page: a redirect
    "/claims/register.{fmt}": [],
    "/zones": [],  # issue 18
    "/zones/{code}": ["as_of"],
    "/zones/{code}/worklist": ["as_of"],
    "/zones/{code}/plots/{plot}": ["as_of"],
    "/zones/{code}/applications/{ref}": [],
    "/zones/{code}/report.pdf": ["as_of"],
    "/investment": ["sector", "priority", "agency", "country", "status", "likelihood"],  # issue 19
    "/investment/enquiries": [],
    "/investment/digest": ["agency"],
    "/investment/projects/{code}": [],
    "/investment/projects/{code}/gate": ["to"],
    "/investment/events/{code}": ["msg"],
    "/reports/investment.pdf": ["sh_year", "month"],
    "/suppliers": ["q", "code", "cert"],  # issue 17
    "/suppliers/firm/{code}": [],
    "/demand/{buyer}": [],
    "/demand/{buyer}/shortlist.pdf": [],
    "/gaps": [],
    "/introductions": [],
    "/program/suggest/{kind}": ["hs", "markets"],  # the priority form's type-ahead lists
}
#: Path values (the documents are slow to build: the walk asks mostly for ones that fail; a
#: Persian agency code that exists is tested on its own below)
PATH_VALUES = {
    "agency": ["۱۲۳", "x" * 300, "%00"],
    "name": ["nope", "dashboard"],
    "table": ["nope"],
    "ext": ["csv", "exe"],
    "dataset_id": ["1", "99999999999999999999", "-1", "abc", "۱"],
    "action_id": ["1", "99999999999999999999", "-1", "abc", "۱"],
    "code": ["nope", "۱", "x" * 300],
    "plot": ["nope", "%00"],
    "ref": ["nope"],
    "buyer": ["nope", "۱"],
    "fmt": ["csv", "exe"],
    "kind": ["hs", "markets", "nope"],
}
DOCUMENTS = (".pdf", ".xlsx", ".csv")
PERSIAN_AGENCY = "سازمان"


@pytest.fixture(scope="module")
def client(small_demo: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("hostile-pages") / "ws"
    shutil.copytree(small_demo.path, path, ignore=shutil.ignore_patterns("*.wal", "cache"))
    ws = open_workspace(path)
    program_svc.add_agency(
        ws.program(), local_actor(), code=PERSIAN_AGENCY, name_en="Agency", name_fa="سازمان"
    )
    with TestClient(
        create_app(ws), follow_redirects=False, raise_server_exceptions=False, headers=BROWSER
    ) as c:
        c.get("/login")
        r = c.post(
            "/login",
            data={
                "username": "admin",
                "password": demo_program.DEMO_PASSWORD,
                "csrf": c.cookies["ep_csrf"],
            },
        )
        assert r.status_code == 303
        yield c


def page_routes(c: TestClient) -> list[str]:
    return sorted(
        {
            r.path
            for r in walk(c.app.routes)  # type: ignore[attr-defined]
            if "GET" in (getattr(r, "methods", None) or ())
            and not r.path.startswith(("/api/", "/static", "/internal/"))  # JSON, not pages
            and r.path not in ("/", "/favicon.ico")
        }
    )


def concrete(path: str) -> list[str]:
    out = [path]
    for key, values in PATH_VALUES.items():
        if "{" + key + "}" in path:
            out = [p.replace("{" + key + "}", v) for p in out for v in values]
    return out


def assert_clear(url: str, params: dict[str, str], r: Any) -> None:
    where = (url, params, r.status_code)
    assert r.status_code < 500, (*where, r.text[:300])
    assert "Traceback" not in r.text
    if r.status_code < 400:
        return
    if url.endswith(".json"):
        assert r.json()["error"], where
    else:
        m = re.search(r'<p class="error" data-code="(\d+)">([^<]+)</p>', r.text)
        assert m is not None and int(m.group(1)) == r.status_code, (*where, r.text[:300])
        assert len(r.text) < 200_000  # the message is bounded


def test_every_page_route_answers_hostile_values_with_a_message(client: TestClient) -> None:
    routes = page_routes(client)
    twins = {p.removesuffix(".json") for p in routes}
    downloads = {
        "/download/{name}/{table}.{ext}",
        "/data/rejects/{dataset_id}.csv",
        "/zones/{code}/download/{view:path}/{table}.{ext}",
    }
    assert twins - downloads <= (
        set(QUERY) | {"/reports/handover/{agency}.pdf", "/reports/workbook.xlsx"}
    ), "a new page route: say which query parameters it reads"
    asked = 0
    for route in routes:
        for url in concrete(route):
            document = url.endswith(DOCUMENTS)
            keys = QUERY.get(url.removesuffix(".json"), [])
            for key in keys if document else [*keys, "zzz"]:
                values = HOSTILE[1::2] if url.endswith(".json") else HOSTILE  # the same builders
                if document:  # slow to build: the values that must be refused
                    values = ["99999999999999999999", "abc", "\x00"]
                for value in values:
                    r = client.get(url, params={key: value, "lang": "en"})
                    assert_clear(url, {key: value}, r)
                    asked += 1
            if document and not keys:
                assert_clear(url, {}, client.get(url, params={"lang": "en"}))
                asked += 1
    assert asked > 100


def test_the_messages_are_in_the_pages_language(client: TestClient) -> None:
    r = client.get("/dashboard", params={"year": "abc", "lang": "fa"})
    assert r.status_code == 400
    assert "year باید یک عدد صحیح باشد" in r.text
    r = client.get("/dashboard", params={"year": "99999999999999999999", "lang": "en"})
    assert r.status_code == 400 and "year must be a whole number" in r.text
    r = client.get("/dashboard", params={"month": "13", "lang": "fa"})
    assert r.status_code == 400 and "month باید بین ۱ و ۱۲ باشد" in r.text
    j = client.get("/dashboard.json", params={"year": "-5", "lang": "en"}).json()
    assert j["error"] == "year must be between 1 and 9999; got '-5'"


def test_persian_digits_are_numbers(client: TestClient) -> None:
    latin = client.get("/dashboard.json", params={"year": "1405"}).json()
    persian = client.get("/dashboard.json", params={"year": "۱۴۰۵"}).json()
    assert latin["year"] == persian["year"] == 1405
    assert latin["status"] == persian["status"]


def test_a_handover_pdf_for_an_agency_with_a_persian_code(client: TestClient) -> None:
    r = client.get(f"/reports/handover/{PERSIAN_AGENCY}.pdf", params={"lang": "fa"})
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    cd = r.headers["content-disposition"]
    assert cd.startswith('attachment; filename="handover-______-fa.pdf"')
    assert "filename*=UTF-8''handover-%D8%B3" in cd
