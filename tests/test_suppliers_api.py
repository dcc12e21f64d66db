"""The suppliers' JSON API (/api/v1/suppliers) and a gap made a program priority, on a
workspace of its own (the demo's registry and two lists, one program), over real HTTP
requests: bearer tokens and roles as for the rest of the API, the same answers as the
services, the curator's decision stored as a label, and the priority audited with its reason
in both languages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from exportplan.auth import Actor
from exportplan.services import program, users
from exportplan.services.plan_of_record import choose_program
from exportplan.services.suppliers import curation, demo, gaps, matching
from exportplan.store.program import ProgramDB
from exportplan.store.program.models import Audit
from exportplan.web.app import create_app
from exportplan.workspace import Workspace, init

ADMIN = Actor("root", "admin")
PASSWORD = "a long password 17"
TODAY = dt.date(2026, 11, 28)
SITE = {"Origin": "http://testserver"}


@pytest.fixture(scope="module")
def sws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = init(tmp_path_factory.mktemp("suppliers-api") / "ws")
    db = ws.program()
    demo.build(db, ws.path / "supplier-files", today=TODAY)
    program.create_program(
        db, ADMIN, region=ws.home_region, country=ws.home_country, sh_year=1405,
        target_usd=1e9,
    )  # fmt: skip
    for name, role in (("sec", "secretary"), ("vic", "viewer")):
        users.create_user(db, ADMIN, username=name, password=PASSWORD, role=role)
    return ws


@pytest.fixture
def api(sws: Workspace) -> Iterator[TestClient]:
    with TestClient(create_app(sws), follow_redirects=False, headers=SITE) as c:
        yield c


def auth(c: TestClient, who: str) -> dict[str, str]:
    r = c.post("/api/v1/auth/login", json={"username": who, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def test_registry_demand_run_and_decision(api: TestClient, sws: Workspace) -> None:
    assert api.get("/api/v1/suppliers/firms").status_code == 401  # no token, no answer
    vic = auth(api, "vic")
    firms = api.get("/api/v1/suppliers/firms", params={"q": "شير"}, headers=vic).json()
    assert firms and all("F" in f["firm_id"] for f in firms)
    # Arabic ي in the query finds the same firms as Persian ی
    same = api.get("/api/v1/suppliers/firms", params={"q": "شیر"}, headers=vic).json()
    assert [f["firm_id"] for f in firms] == [f["firm_id"] for f in same]
    f = api.get(f"/api/v1/suppliers/firms/{firms[0]['firm_id']}", headers=vic).json()
    assert f["firm_id"] == firms[0]["firm_id"] and f["capability_rows"]
    assert {c["status"] for c in f["cert_rows"]} <= {"valid", "expiring", "expired", "unverified"}
    assert api.get("/api/v1/suppliers/firms/NOPE", headers=vic).status_code == 404
    d = api.get("/api/v1/suppliers/demand/NIOC", headers=vic).json()
    assert d["buyer"] == "NIOC" and d["kind"] == "import_substitution"
    n01 = next(i for i in d["items"] if i["item_id"] == "N01")
    assert n01["required_certifications"] == ["API 6D"]
    scores = [c["score"] for c in n01["candidates"]]
    assert scores and scores == sorted(scores, reverse=True)
    # a viewer may read but not run or decide
    assert api.post("/api/v1/suppliers/demand/NIOC/match", headers=vic).status_code == 403
    sec = auth(api, "sec")
    run = api.post("/api/v1/suppliers/demand/NIOC/match", headers=sec)
    assert run.status_code == 200, run.text
    db = sws.program()
    service = matching.run(db, ADMIN, buyer="NIOC", top=10)
    assert run.json() == [r.as_dict() for r in service]  # the same answer as the service
    d = api.get("/api/v1/suppliers/demand/NIOC", headers=sec).json()
    m = next(c for i in d["items"] for c in i["candidates"] if c["state"] == "proposed")
    bad = api.post(
        f"/api/v1/suppliers/matches/{m['match_id']}",
        json={"state": "rejected", "version": m["version"]},
        headers=sec,
    )
    assert bad.status_code == 400 and "reason" in bad.json()["error"]
    ok = api.post(
        f"/api/v1/suppliers/matches/{m['match_id']}",
        json={"state": "rejected", "reason": "not_capable", "version": m["version"]},
        headers=sec,
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["state"] == "rejected" and ok.json()["decided_by"] == "sec"
    stale = api.post(
        f"/api/v1/suppliers/matches/{m['match_id']}",
        json={"state": "rejected", "reason": "price", "version": m["version"]},
        headers=sec,
    )
    assert stale.status_code == 409
    labels = matching.labels(db, ADMIN, buyer="NIOC")
    assert {"item_id": m["item_id"], "firm_id": m["firm_id"], "label": "not_relevant"} in labels
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/suppliers/firms",
        "/api/v1/suppliers/firms/{code}",
        "/api/v1/suppliers/demand/{buyer}",
        "/api/v1/suppliers/demand/{buyer}/match",
        "/api/v1/suppliers/matches/{match_id}",
        "/api/v1/suppliers/gaps",
        "/api/v1/suppliers/gaps/priority",
        "/api/v1/suppliers/introductions",
        "/api/v1/suppliers/introductions/{intro_id}",
    } <= set(paths)


def test_an_introductions_outcome_through_the_api(api: TestClient, sws: Workspace) -> None:
    """An introduction's outcome recorded by a secretary's token, refused to a viewer's, with
    a stale version a 409 and a negative value refused by the schema."""
    db = sws.program()
    m = next(x for x in curation.matches(db, ADMIN, buyer="NIOC") if x["state"] != "rejected")
    intro = curation.introduce(db, ADMIN, int(m["match_id"]))
    sec, vic = auth(api, "sec"), auth(api, "vic")
    url = f"/api/v1/suppliers/introductions/{intro['id']}"
    body = {"status": "held", "outcome": "contract", "value_usd": 1.5e6, "version": intro["version"]}
    assert api.post(url, json=body, headers=vic).status_code == 403
    assert api.post(url, json=body | {"value_usd": -1}, headers=sec).status_code == 422
    r = api.post(url, json=body, headers=sec)
    assert r.status_code == 200, r.text
    assert (r.json()["outcome"], r.json()["contract_value_usd"]) == ("contract", 1.5e6)
    assert api.post(url, json=body, headers=sec).status_code == 409  # the version moved on
    listed = api.get("/api/v1/suppliers/introductions", headers=vic).json()
    mine = next(x for x in listed if x["introduction_id"] == intro["id"])
    assert (mine["status"], mine["contract_value_usd"]) == ("held", 1.5e6)


def test_gap_becomes_a_priority(api: TestClient, sws: Workspace) -> None:
    db = sws.program()
    rows = gaps.gaps(db, ADMIN)
    vic, sec = auth(api, "vic"), auth(api, "sec")
    report = api.get("/api/v1/suppliers/gaps", headers=vic).json()
    assert report["gaps"] == rows and report["summary"]["items"] == len(rows)
    assert report["summary"]["total_usd"] == sum(r["annual_value_usd"] or 0 for r in rows)
    nioc = next(r for r in rows if r["buyer"] == "NIOC" and r["hs_code"])
    body = {"buyer": "NIOC", "item_id": nioc["item_id"]}
    assert api.post("/api/v1/suppliers/gaps/priority", json=body, headers=vic).status_code == 403
    r = api.post("/api/v1/suppliers/gaps/priority", json=body, headers=sec)
    assert r.status_code == 201, r.text
    pr = r.json()
    assert pr["hs_codes"] == [nioc["hs_code"][:6]] or pr["hs_codes"] == [nioc["hs_code"]]
    assert pr["markets"] == [sws.home_country]  # import substitution: the home market
    assert "NIOC" in pr["reason"] and nioc["item_id"] in pr["reason"]
    if nioc["annual_value_usd"]:
        assert f"US${nioc['annual_value_usd']:,.0f} a year" in pr["reason"]
    assert pr["opportunity"]["source"] == "supplier_gap"
    assert (
        "NIOC" in pr["opportunity"]["reason_fa"]
        and "جایگزینی واردات" in (pr["opportunity"]["reason_fa"])
    )
    with db.session() as s:
        audit = s.scalars(
            select(Audit).where(Audit.entity == "priority", Audit.entity_id == pr["id"])
        ).all()
    assert [a.username for a in audit] == ["sec"]
    again = api.post("/api/v1/suppliers/gaps/priority", json=body, headers=sec)
    assert again.status_code == 400 and f"priority {pr['code']} already" in again.json()["error"]
    # a foreign buyer's gap needs its market named; a non-gap item is refused
    eu = next((r for r in rows if r["buyer"] == "AT_MACHINES" and r["hs_code"]), None)
    if eu is not None:
        no_market = api.post(
            "/api/v1/suppliers/gaps/priority",
            json={"buyer": "AT_MACHINES", "item_id": eu["item_id"]},
            headers=sec,
        )
        assert no_market.status_code == 400 and "market" in no_market.json()["error"]
    met = next(r.item for r in matching.run(db, ADMIN, buyer="NIOC", today=TODAY) if not r.gap)
    not_gap = api.post(
        "/api/v1/suppliers/gaps/priority", json={"buyer": "NIOC", "item_id": met}, headers=sec
    )
    assert not_gap.status_code == 400 and "is not a gap" in not_gap.json()["error"]


def test_gap_page_button(api: TestClient, sws: Workspace) -> None:
    api.get("/login")
    r = api.post(
        "/login",
        data={"username": "sec", "password": PASSWORD, "csrf": api.cookies["ep_csrf"]},
        headers={"Origin": "http://testserver"},
    )
    assert r.status_code == 303
    page = api.get("/gaps.json?lang=en").json()
    forms = page["to_program"]
    nioc = [g for g in forms if g["buyer"] == "NIOC"]
    assert nioc and all(g["market"] == sws.home_country for g in nioc)
    assert all(g["market"] == "" for g in forms if g["buyer"] == "AT_MACHINES")
    html = api.get("/gaps?lang=fa").text
    assert "افزودن به برنامه" in html and 'action="/gaps/priority"' in html
    db = sws.program()
    held = {p["opportunity"]["item_id"] for p in _gap_priorities(db)}
    todo = next(g for g in nioc if g["item_id"] not in held)
    r = api.post(
        "/gaps/priority",
        data={**todo, "csrf": api.cookies["ep_csrf"]},
        headers={"Origin": "http://testserver"},
    )
    assert r.status_code == 303 and "#table-priorities" in r.headers["location"]
    assert todo["item_id"] in {p["opportunity"]["item_id"] for p in _gap_priorities(db)}
    # no CSRF token, no priority
    other = next(g for g in nioc if g["item_id"] not in held | {todo["item_id"]})
    r = api.post("/gaps/priority", data=other, headers={"Origin": "http://testserver"})
    assert r.status_code == 403
    assert other["item_id"] not in {p["opportunity"]["item_id"] for p in _gap_priorities(db)}


def _gap_priorities(db: ProgramDB) -> list[dict[str, Any]]:
    pid = choose_program(db, region="East Azerbaijan").program
    assert pid is not None
    return [
        p
        for p in program.priorities(db, pid.id)
        if (p.get("opportunity") or {}).get("source") == "supplier_gap"
    ]


def test_gap_priority_from_the_command_line(sws: Workspace) -> None:
    from typer.testing import CliRunner

    from exportplan.cli import app

    db = sws.program()
    held = {p["opportunity"]["item_id"] for p in _gap_priorities(db)}
    todo = next(
        r for r in gaps.gaps(db, ADMIN, buyer="NIOC") if r["hs_code"] and r["item_id"] not in held
    )
    res = CliRunner().invoke(
        app, ["match", "prioritise", "--buyer", "NIOC", "--item", todo["item_id"],
              "-w", str(sws.path)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    added = next(p for p in _gap_priorities(db) if p["opportunity"]["item_id"] == todo["item_id"])
    assert f"priority {added['code']}: HS {todo['hs_code']}" in res.output
    assert added["markets"] == [sws.home_country]
