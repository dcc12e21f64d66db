"""The zones' pages, JSON twins, downloads, monthly report and API (issue 18) on the small
demo: values equal the service's, both languages, refusals as clear 4xx pages and JSON."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pypdf import PdfReader

from exportplan.services import demo_program
from exportplan.services.zones.records import worklist
from exportplan.services.zones.rules import sh_text
from exportplan.services.zones.status import zone_status
from exportplan.web.app import create_app
from exportplan.workspace import Workspace

BROWSER = {"Origin": "http://testserver"}
TODAY = dt.date.today()


@pytest.fixture
def client(small_demo: Workspace) -> Iterator[TestClient]:
    with TestClient(create_app(small_demo), follow_redirects=False, headers=BROWSER) as c:
        yield c


def sign_in(c: TestClient, user: str = "secretary") -> None:
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


def test_pages_twins_downloads_and_report(client: TestClient, small_demo: Workspace) -> None:
    assert client.get("/zones/TLS").status_code == 303  # signed-in users only
    sign_in(client)
    st = zone_status(small_demo.program(), "TLS", as_of=TODAY)
    twin = client.get(f"/zones/TLS.json?lang=en&as_of={sh_text(TODAY)}").json()  # not the clock
    assert twin["status"] == st
    assert twin["charts"]["map"]["layer"][1]["data"]["values"][0]["geometry"]["type"] == "Polygon"
    assert len(twin["charts"]["map"]["layer"][1]["data"]["values"]) == 120
    en = client.get("/zones/TLS?lang=en").text
    assert "Tabriz leather and shoe industrial zone" in en and "Idle-plot worklist" in en
    fa = client.get("/zones/TLS?lang=fa").text
    assert (
        'dir="rtl"' in fa and "شهرک تخصصی چرم و کفش تبریز" in fa and "میانه روزهای تا تصمیم" in fa
    )
    assert re.search("[۰-۹]", fa)
    rows = worklist(small_demo.program(), "TLS", as_of=TODAY)
    assert {r["plot"] for r in rows} >= set(st["idle_plots"])
    page = client.get("/zones/TLS/worklist?lang=en").text
    for r in rows:
        assert f">{r['plot']}</a>" in page
    csv = client.get("/zones/TLS/download/worklist/worklist.csv?lang=en")
    assert csv.status_code == 200 and csv.text.count("\n") == len(rows) + 1
    xlsx = client.get("/zones/TLS/download/zone/plots.xlsx?lang=fa")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.max_row == 122  # a title, the header, 120 plots
    plot = st["idle_plots"][0]
    p = client.get(f"/zones/TLS/plots/{plot}.json?lang=en").json()
    assert p["record"]["plot"]["code"] == plot and p["record"]["contract"] is not None
    assert client.get("/zones/TLS/plots/NOPE?lang=en").status_code == 404
    assert client.get("/zones/TLS/download/zone/nope.csv").status_code == 404
    for lang, word in (("en", "Monthly zone report"), ("fa", "گزارش ماهانه شهرک")):
        doc = client.get(f"/zones/TLS/report.pdf?lang={lang}&as_of={sh_text(TODAY)}")
        assert doc.status_code == 200 and doc.content[:5] == b"%PDF-"
        text = "".join(pg.extract_text() for pg in PdfReader(io.BytesIO(doc.content)).pages)
        assert plot in text
        if lang == "en":
            assert word in text


def test_application_flow_refusals_and_api(client: TestClient, small_demo: Workspace) -> None:
    sign_in(client)
    twin = client.get(f"/zones/TLS.json?lang=en&as_of={sh_text(TODAY)}").json()  # not the clock
    waiting = [a for a in twin["tables"]["applications"]["rows"] if a["status"] == "submitted"]
    assert waiting
    ref = waiting[0]["ref"]
    app = client.get(f"/zones/TLS/applications/{ref}.json?lang=en").json()
    fits = app["tables"]["fitting_plots"]["rows"]
    assert fits and all(abs(f["area"] - 2500) <= 500 for f in fits)
    csrf = client.cookies["ep_csrf"]
    r = client.post(
        f"/zones/TLS/applications/{ref}/scrutiny",
        data={"csrf": csrf, "documents_complete": "yes", "environmental_ok": "yes"},
    )
    assert r.status_code == 303
    version = client.get(f"/zones/TLS/applications/{ref}.json").json()["record"]["application"]
    held = next(p for p in twin["tables"]["plots"]["rows"] if p["status"] == "contracted")
    r = client.post(
        f"/zones/TLS/applications/{ref}/decide?lang=en",
        data={
            "csrf": csrf,
            "decision": "allot",
            "plot": held["code"],
            "version": version["version"],
        },
    )
    assert r.status_code == 409 and f"plot {held['code']} is contracted to" in r.text
    r = client.post(
        f"/zones/TLS/applications/{ref}/decide?lang=fa",
        data={
            "csrf": csrf,
            "decision": "allot",
            "plot": held["code"],
            "version": version["version"],
        },
    )
    assert r.status_code == 409 and "در اختیار" in r.text  # the refusal in Persian
    r = client.post(
        f"/zones/TLS/applications/{ref}/decide",
        data={
            "csrf": csrf,
            "decision": "allot",
            "plot": fits[0]["code"],
            "version": version["version"],
        },
    )
    assert r.status_code == 303
    after = client.get(f"/zones/TLS/applications/{ref}.json").json()["record"]
    assert after["application"]["status"] == "allotted"
    assert after["scrutiny"]["documents_complete"] is True
    # the API: a token, the status, and a viewer refused a change
    tok = client.post(
        "/api/v1/auth/login", json={"username": "viewer", "password": demo_program.DEMO_PASSWORD}
    )
    h = {"Authorization": f"Bearer {tok.json()['token']}"}
    st = client.get(f"/api/v1/zones/TLS/status?as_of={sh_text(TODAY)}", headers=h)
    assert st.status_code == 200
    assert st.json() == zone_status(small_demo.program(), "TLS", as_of=TODAY)
    plots = client.get("/api/v1/zones/TLS/plots", headers=h).json()
    one = next(p for p in plots if p["code"] == fits[0]["code"])
    assert one["status"] == "allotted"
    r = client.post(
        f"/api/v1/zones/TLS/plots/{one['code']}/status",
        headers=h,
        json={"status": "vacant", "on": sh_text(TODAY), "version": one["version"]},
    )
    assert r.status_code == 403 and "viewer" in r.json()["error"]
    assert client.get("/api/v1/zones/NOPE/status", headers=h).status_code == 404


ZONE_ROUTES = {
    ("get", "/api/v1/zones"),
    ("get", "/api/v1/zones/{code}/status"),
    ("get", "/api/v1/zones/{code}/plots"),
    ("get", "/api/v1/zones/{code}/worklist"),
    ("post", "/api/v1/zones/{code}/plots/{plot}/status"),
}


def test_openapi_lists_the_zones_routes(client: TestClient, small_demo: Workspace) -> None:
    """Both OpenAPI documents, the web application's and the API's alone (``create_api``),
    describe the zones' routes with their response models."""
    from exportplan.web.api_app import create_api

    for doc in (
        client.get("/api/v1/openapi.json").json(),
        TestClient(create_api(small_demo.program())).get("/api/v1/openapi.json").json(),
    ):
        ops = {(m, p) for p, item in doc["paths"].items() for m in item}
        assert ops >= ZONE_ROUTES, ZONE_ROUTES - ops
        status = doc["paths"]["/api/v1/zones/{code}/status"]["get"]["responses"]["200"]
        ref = status["content"]["application/json"]["schema"]["$ref"]
        model = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert {"share_allotted_area", "idle_plots", "backlog"} <= set(model["properties"])
