"""The investment pipeline's pages, JSON twins, downloads, report and API on the small demo:
the board's JSON is the service's funnel, a move without its gate fields is a 422 naming them
in the page's language with nothing written, the monthly report is a PDF in both languages,
and the API's move refuses with the missing fields in Persian and English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

import exportplan.store.invest.models as m
from exportplan.services import demo_program, users
from exportplan.services.invest import figures
from exportplan.web.app import create_app
from exportplan.workspace import Workspace
from test_web import BROWSER, sign_in


@pytest.fixture
def client(small_demo: Workspace) -> Iterator[TestClient]:
    with TestClient(create_app(small_demo), follow_redirects=False, headers=BROWSER) as c:
        yield c


def first_at(ws: Workspace, stage: str) -> m.Project:
    with ws.program().session() as s:
        return s.scalars(
            select(m.Project).where(m.Project.stage == stage).order_by(m.Project.code)
        ).first()  # type: ignore[return-value]


def test_board_twin_gate_form_refusal_downloads_and_report(
    client: TestClient, small_demo: Workspace
) -> None:
    sign_in(client)
    board = client.get("/investment.json?lang=en").json()
    f = figures.funnel_figures(small_demo.program(), dt.date.today())
    assert board["funnel"]["projects_by_stage"] == f["projects_by_stage"]
    assert [len(c["cards"]) for c in board["columns"]] == list(f["projects_by_stage"].values())
    html = client.get("/investment?lang=fa").text
    assert 'dir="rtl"' in html and "سرنخ" in html and "بازدید از محل" in html
    p = first_at(small_demo, "qualified")
    form = client.get(f"/investment/projects/{p.code}/gate?to=site_visit&lang=fa").text
    # the demo's project has its opportunity (a candidate site) but no visit planned
    assert "بازدید برنامه‌ریزی‌شده با تاریخ" in form and "قطعه زمین یا محدوده معدنی" not in form
    r = client.post(
        f"/investment/projects/{p.code}/move?lang=en",
        data={"csrf": client.cookies["ep_csrf"], "to": "site_visit", "version": str(p.version)},
    )
    assert r.status_code == 422
    assert f"project {p.code} cannot enter stage site visit: missing site visit planned" in r.text
    assert first_at(small_demo, "qualified").version == p.version  # nothing written
    page = client.get(f"/investment/projects/{p.code}.json?lang=en").json()
    assert page["project"]["stage"] == "qualified" and page["tables"]["log"]["rows"]
    inbox = client.get("/investment/enquiries.json?lang=en").json()
    assert any(r["overdue"] for r in inbox["rows"])
    ev = client.get("/investment/events/MIM-1405-1.json?lang=en").json()
    assert len(ev["event"]["projects"]) == 14
    csv = client.get("/download/investment/projects.csv?lang=en")
    assert csv.status_code == 200 and csv.text.count("\n") == 44  # header and 43 projects
    enq = client.get("/download/investment_enquiries/enquiries.xlsx?lang=fa")
    assert enq.status_code == 200 and enq.content[:2] == b"PK"
    for lang in ("fa", "en"):
        pdf = client.get(f"/reports/investment.pdf?lang={lang}&sh_year=1405&month=8")
        assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"


def test_the_api_refuses_a_move_with_the_missing_fields_in_both_languages(
    client: TestClient, small_demo: Workspace
) -> None:
    db = small_demo.program()
    token, _ = users.sign_in(db, "secretary", demo_program.DEMO_PASSWORD, kind="api")
    auth = {"Authorization": f"Bearer {token}"}
    funnel = client.get("/api/v1/invest/funnel?as_of=1405/09/07", headers=auth).json()
    assert sum(funnel["projects_by_stage"].values()) == 43
    p = first_at(small_demo, "qualified")
    r = client.post(
        f"/api/v1/invest/projects/{p.code}/move",
        headers=auth,
        json={"to": "site_visit", "on": "1405/09/07"},
    )
    assert r.status_code == 422
    body = r.json()
    assert body["missing"] == ["site_visit_planned"]
    assert "بازدید برنامه‌ریزی‌شده با تاریخ" in body["message_fa"]
    assert "site visit planned" in body["message_en"]
