"""The program's writes on the web pages (issue 15), through a real app over a copy of the demo
workspace: each form's refusal beside its field in the page's language, the numbers of a
refused sub-target, stale forms answered with the values saved now, who sees which forms, the
workbook's preview before anything is written, the audit page's filters, and the progress of
the target tree against the warehouse's own numbers. The browser walks are in
test_browser_program.py."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from exportplan.analytics.target_path import due_by, seasonal_profile
from exportplan.auth import Actor
from exportplan.services import monitor, program
from exportplan.services.program.progress import tree_progress
from exportplan.web.app import create_app
from exportplan.workspace import Workspace, open_workspace
from helpers import client_as

BROWSER = {"Origin": "http://testserver"}
ADMIN = Actor(username="test", role="admin")


@pytest.fixture(scope="module")
def ws(small_demo: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A copy of the demo workspace these tests may change."""
    path = tmp_path_factory.mktemp("program-web") / "ws"
    shutil.copytree(small_demo.path, path)
    return open_workspace(path)


@pytest.fixture(scope="module")
def app(ws: Workspace) -> Any:
    return create_app(ws)


@pytest.fixture(scope="module")
def sec(app: Any) -> Iterator[TestClient]:
    c = client_as(app, "secretary")
    yield c
    c.close()


def post(c: TestClient, url: str, **data: str) -> Any:
    return c.post(url, data={**data, "csrf": c.cookies["ep_csrf"]})


def field_error(html: str, form: str, name: str) -> str:
    m = re.search(rf'id="e-{form}-{name}"[^>]*>([^<]*)<', html)
    assert m is not None, (form, name, re.findall(r'class="field-error"[^>]*>([^<]*)<', html))
    return m.group(1).replace("&#39;", "'")


def pid_of(ws: Workspace, year: int | None = None) -> int:
    progs = program.programs(ws.program())
    return int(next(p["id"] for p in progs if year is None or p["sh_year"] == year))


def test_the_secretary_creates_a_program_and_sets_its_tree(sec: TestClient, ws: Workspace) -> None:
    db = ws.program()
    r = post(sec, "/program/create?lang=fa", year="۱۴۰۶", target="2e9", definition="customs")
    assert r.status_code == 303 and r.headers["location"].startswith("/program?year=1406")
    p = next(p for p in program.programs(db) if p["sh_year"] == 1406)
    assert (p["target_usd"], p["definition"]) == (2e9, "customs")
    # the same year and definition again: refused beside the field, in Persian
    r = post(sec, "/program/create?lang=fa", year="1406", target="1e9", definition="customs")
    assert r.status_code == 400
    assert "برای سال ۱۴۰۶ از پیش برنامه‌ای با تعریف گمرکی دارد" in field_error(
        r.text, "create", "definition"
    )
    assert 'value="1e9"' in r.text  # the form keeps what was typed
    pid = p["id"]
    r = post(sec, f"/program/{pid}/targets?lang=en", code="T1", parent="TOTAL", value="1.5e9")
    assert r.status_code == 303
    # overflowing the total: refused with the numbers, nothing saved
    r = post(sec, f"/program/{pid}/targets?lang=en", code="T2", parent="TOTAL", value="600000000")
    assert r.status_code == 400
    msg = field_error(r.text, "target", "value")
    assert msg == (
        "target T2 (USD 600,000,000) would take the targets under TOTAL to USD 2,100,000,000, "
        "above TOTAL's USD 2,000,000,000 (unallocated: USD 500,000,000)"
    )
    r = post(sec, f"/program/{pid}/targets?lang=fa", code="T2", parent="TOTAL", value="600000000")
    assert "تخصیص‌نیافته: ۵۰۰٬۰۰۰٬۰۰۰ دلار" in field_error(r.text, "target", "value")
    tree = program.target_tree(db, pid)
    assert [c["code"] for c in tree["children"]] == ["T1"] and tree["unallocated_usd"] == 5e8
    # the program's total cannot go below what is allocated; a stale edit shows what is saved
    r = post(sec, f"/program/{pid}/edit?lang=en", version=str(p["version"]), target="1e9")
    assert r.status_code == 400 and "USD 1,500,000,000" in field_error(r.text, "program", "target")
    r = post(sec, f"/program/{pid}/edit?lang=en", version=str(p["version"]), target="3e9")
    assert r.status_code == 303
    r = post(sec, f"/program/{pid}/edit?lang=en", version=str(p["version"]), target="4e9")
    assert r.status_code == 409 and "has changed since you read it" in r.text
    assert re.search(r'<li class="changed">target: 3000000000 \(you typed: 4e9\)', r.text)
    assert program.programs(db)[-1]["target_usd"] == 3e9


def read_field(html: str) -> str:
    """The target form's ``read`` field: each node the page showed with its version."""
    m = re.search(r'name="read" value="([^"]*)"', html)
    assert m is not None
    return m.group(1)


def test_a_stale_sub_target_answers_with_what_is_saved_now(
    sec: TestClient, app: Any, ws: Workspace
) -> None:
    """Two sessions read the tree; one changes T1; the other's change of T1 is refused with
    T1's values now and the field that changed, in the page's language; sent again from the
    page it got back, it is saved. A node created since the page was read is a conflict too."""
    db, pid = ws.program(), pid_of(ws, 1406)
    other = client_as(app, "admin")
    seen = read_field(sec.get("/program?year=1406&lang=en").text)
    t1 = next(c for c in program.target_tree(db, pid)["children"] if c["code"] == "T1")
    assert f"T1:{t1['version']}" in seen.split() and "TOTAL:" in seen
    r = post(
        other, f"/program/{pid}/targets", code="T1", value="1.2e9", label="fruit", read=seen
    )  # fmt: skip  (the same page read by the other session)
    assert r.status_code == 303
    r = post(sec, f"/program/{pid}/targets?lang=en", code="T1", value="1.4e9", read=seen)
    assert r.status_code == 409 and "target T1 has changed since you read it" in r.text
    assert re.search(r'<li class="changed">value: 1200000000 \(you typed: 1.4e9\)', r.text)
    assert '<li class="">label: fruit</li>' in r.text  # left empty: kept, not a difference
    assert '<li class="">parent: TOTAL</li>' in r.text
    r = post(sec, f"/program/{pid}/targets?lang=fa", code="T1", value="1.4e9", read=seen)
    assert r.status_code == 409 and "فرم مقادیر ذخیره‌شده کنونی را نشان می‌دهد" in r.text
    assert re.search(r'<li class="changed">مقدار: <bdi translate="no">1200000000</bdi>', r.text)
    again = read_field(r.text)  # the page it got back reads the tree as it is now
    assert f"T1:{t1['version'] + 1}" in again.split()
    value = re.search(r'id="f-target-value"[^>]*value="([^"]*)"', r.text)
    assert value is not None and value.group(1) == "1.4e9"  # the form keeps what was typed
    assert (
        post(sec, f"/program/{pid}/targets", code="T1", value="1.4e9", read=again).status_code
        == 303
    )
    # a node the page did not show, created since by the other session: a conflict too
    assert post(other, f"/program/{pid}/targets", code="T9", value="1e6").status_code == 303
    r = post(sec, f"/program/{pid}/targets?lang=en", code="T9", value="2e6", read=again)
    assert r.status_code == 409 and '<li class="changed">value: 1000000 (you typed: 2e6)' in r.text
    tree = program.target_tree(db, pid)
    assert {c["code"]: c["value_usd"] for c in tree["children"]} == {"T1": 1.4e9, "T9": 1e6}
    assert post(other, f"/program/{pid}/targets", code="T9", value="0").status_code == 303
    program.delete_target(db, ADMIN, pid, "T9")
    other.close()


def test_priorities_by_hand_and_from_an_opportunity(sec: TestClient, ws: Workspace) -> None:
    db, pid = ws.program(), pid_of(ws, 1406)
    # an unknown country, beside the markets field, with the nearest name, in Persian
    r = post(sec, f"/program/{pid}/priorities?lang=fa", code="PX", hs="0808", markets="Irak")
    assert r.status_code == 400
    assert field_error(r.text, "priority", "markets") == (
        "بازارها: کشور ناشناخته «Irak»؛ منظورتان Iraq (IRQ) است؟"
    )
    # a product by its name: words that name several products are refused with the candidates
    r = post(sec, f"/program/{pid}/priorities?lang=en", code="PX", hs="a", markets="IRQ")
    assert r.status_code == 400 and "give the code" in field_error(r.text, "priority", "hs")
    r = post(
        sec, f"/program/{pid}/priorities?lang=en", code="PX", hs="0808 08", markets="Iraq, Turkey",
        reason="apples and fruit to neighbours",
    )  # fmt: skip
    assert r.status_code == 303
    px = next(p for p in program.priorities(db, pid) if p["code"] == "PX")
    assert (px["hs_codes"], px["markets"]) == (["08", "0808"], ["IRQ", "TUR"])
    # one click from the opportunities page: the engine's reason kept, shown in Persian too
    opp = sec.get("/opportunities.json?lang=en&product=0808").json()
    market = opp["tables"]["markets"]["rows"][0]["market"]
    page = sec.get("/opportunities?lang=en&product=0808").text
    assert f'name="market" value="{market}"' in page and "Add to the program" in page
    r = post(sec, "/program/priorities/from-opportunity", product="0808", market=market)
    assert r.status_code == 303 and "year=1406" in r.headers["location"]
    added = [p for p in program.priorities(db, pid) if p["opportunity"]]
    assert len(added) == 1 and added[0]["code"] == "P2" and added[0]["markets"] == [market]
    assert added[0]["reason"] == opp["tables"]["markets"]["rows"][0]["reason"]
    fa = sec.get("/program.json?lang=fa").json()["tables"]["priorities"]["rows"]
    assert (
        next(p for p in fa if p["code"] == "P2")["reason"] == added[0]["opportunity"]["reason_fa"]
    )
    assert re.search("[آ-ی]", added[0]["opportunity"]["reason_fa"])
    r = post(sec, "/program/priorities/from-opportunity?lang=en", product="0808", market=market)
    assert r.status_code == 400 and f"HS 0808 to {market} is priority P2 already" in r.text


def test_the_priority_forms_type_ahead(sec: TestClient, app: Any, ws: Workspace) -> None:
    """The HS field's list offers the products the header's search finds for the words typed
    (after the codes kept), the markets field's the countries named in either language,
    Persian spellings unified; without script the markets list holds every country and a
    Persian product name is resolved when the form is sent."""
    r = sec.get("/program/suggest/hs?lang=fa&hs=0808 سیب")
    assert r.status_code == 200
    options = re.findall(r'<option value="([^"]*)">([^<]*)</option>', r.text)
    assert (
        r.text.startswith('<datalist id="dl-hs">')
        and ("0808 0808", "0808 سیب، گلابی و به؛ تازه") in options
    )
    r = sec.get("/program/suggest/hs?lang=en&hs=apples fresh")
    assert ("080810", "080810 Fruit, edible; apples, fresh") in re.findall(
        r'<option value="([^"]*)">([^<]*)</option>', r.text
    )
    assert "<option" not in sec.get("/program/suggest/hs?hs=0808").text  # no words: no list
    r = sec.get("/program/suggest/markets?lang=fa&markets=Iraq, تركيه")  # Arabic ك and ي
    assert re.findall(r'<option value="([^"]*)">([^<]*)</option>', r.text) == [
        ("Iraq, TUR", "ترکیه (TUR)")
    ]
    r = sec.get("/program/suggest/markets?lang=en&markets=arab emir")
    assert re.findall(r'<option value="([^"]*)">', r.text) == ["ARE"]
    assert sec.get("/program/suggest/other?q=x").status_code in (404, 422)
    viewer = client_as(app, "viewer")
    page = viewer.get("/program?year=1406&lang=en").text
    assert 'id="dl-markets"' not in page  # no form, no list
    viewer.close()
    page = sec.get("/program?year=1406&lang=fa").text
    assert '<option value="TUR">ترکیه</option>' in page and 'list="dl-hs"' in page
    assert 'hx-get="/program/suggest/markets"' in page
    pid = pid_of(ws, 1406)
    r = post(sec, f"/program/{pid}/priorities?lang=fa", code="PS", hs="سیب", markets="IRQ")
    assert r.status_code == 400  # several products: the candidates, in Persian digits
    assert "0808" in field_error(r.text, "priority", "hs") or "۰۸۰۸" in field_error(
        r.text, "priority", "hs"
    )
    r = post(sec, f"/program/{pid}/priorities", code="PS", hs="زردآلو", markets="عراق")
    assert r.status_code == 303
    ps = next(p for p in program.priorities(ws.program(), pid) if p["code"] == "PS")
    assert (ps["hs_codes"], ps["markets"]) == (["0809"], ["IRQ"])
    r = post(sec, f"/program/{pid}/priorities?lang=en", code="PT", hs="zzqx", markets="IRQ")
    assert "no product is named 'zzqx'" in field_error(r.text, "priority", "hs")


def test_actions_dates_stale_forms_and_who_sees_what(
    sec: TestClient, app: Any, ws: Workspace
) -> None:
    db, pid = ws.program(), pid_of(ws, 1406)
    # a day that does not exist, beside the deadline, in Persian
    r = post(
        sec, f"/program/{pid}/actions?lang=fa", agency="IMT", title="Baghdad fair",
        start="1405/12/01", deadline="1404/12/30",
    )  # fmt: skip
    assert r.status_code == 400
    assert field_error(r.text, "action", "deadline") == (
        "مهلت: «۱۴۰۴/۱۲/۳۰» در تقویم هجری شمسی وجود ندارد: ماه ۱۲ سال ۱۴۰۴ ۲۹ روز دارد"
    )
    r = post(
        sec, f"/program/{pid}/actions?lang=fa", agency="IMT", title="Baghdad fair",
        start="1406/01/15", deadline="1406/01/10",
    )  # fmt: skip
    assert field_error(r.text, "action", "deadline") == "مهلت ۱۴۰۶/۰۱/۱۰ پیش از شروع ۱۴۰۶/۰۱/۱۵ است"
    r = post(
        sec, f"/program/{pid}/actions", agency="IMT", title="Baghdad fair", priority="PX",
        start="۱۴۰۶/۰۱/۱۵", deadline="1406/03/31",
    )  # fmt: skip
    assert r.status_code == 303
    a = program.actions(db, pid)[-1]
    assert (a["agency"], a["priority"], a["start_sh"]) == ("IMT", "PX", "1406/01/15")
    # the secretary edits it on its page and reassigns it
    r = post(
        sec, f"/program/actions/{a['id']}/edit", version=str(a["version"]), title="Baghdad fair",
        agency="CUS", deadline="1406/04/10", evidence="invitation letter", note="moved to CUS",
    )  # fmt: skip
    assert r.status_code == 303
    b = program.get_action(db, a["id"])
    assert (b["agency"], b["deadline_sh"], b["evidence"]) == (
        "CUS",
        "1406/04/10",
        "invitation letter",
    )
    # a stale form: the values saved now, what differs from what was typed (not a bare 409)
    r = post(sec, f"/program/actions/{a['id']}/edit?lang=en", version=str(a["version"]),
             title="Baghdad fair", deadline="1406/05/01")  # fmt: skip
    assert r.status_code == 409 and "has changed since you read it" in r.text
    assert "deadline: 1406/04/10 (you typed: 1406/05/01)" in r.text
    assert f'name="version" value="{b["version"]}"' in r.text  # the form now carries the new one
    # the member of CUS sees it among "my actions", edits it, cannot give it away
    cus = client_as(app, "cus")
    page = cus.get("/program?lang=en").text
    assert (
        'id="mine"' in page
        and f'href="/program/actions/{a["id"]}"'
        in page.split('id="mine"')[1].split("</section>")[0]
    )
    r = post(cus, f"/program/actions/{a['id']}/edit", version=str(b["version"]),
             status="in-progress", progress="40", note="booth booked")  # fmt: skip
    assert r.status_code == 303
    r = post(cus, f"/program/actions/{a['id']}/edit", version=str(b["version"] + 1),
             agency="IMT")  # fmt: skip
    # the agency field is not on a member's form; the service refuses it anyway
    assert r.status_code == 403
    other = next(x for x in program.actions(db, pid_of(ws, 1405)) if x["agency"] == "IMT")
    assert cus.get(f"/program/actions/{other['id']}").text.count('action="/program/actions/') == 0
    # the secretary closes it with its evidence
    c = program.get_action(db, a["id"])
    r = post(sec, f"/program/actions/{a['id']}/edit", version=str(c["version"]), status="done",
             evidence="3 contracts signed")  # fmt: skip
    assert r.status_code == 303
    d = program.get_action(db, a["id"])
    assert (d["status"], d["progress"], d["evidence"]) == ("done", 100, "3 contracts signed")
    # a viewer reads the notes and the evidence and finds no form but signing out
    viewer = client_as(app, "viewer")
    for url in (f"/program/actions/{a['id']}?lang=en", "/program?year=1406&lang=en",
                "/opportunities?lang=en"):  # fmt: skip
        html = viewer.get(url).text
        forms = re.findall(r'<form method="post" action="([^"]+)"', html)
        assert forms == ["/logout"], (url, forms)
    html = viewer.get(f"/program/actions/{a['id']}?lang=en").text
    assert "booth booked" in html and "moved to CUS" in html and "3 contracts signed" in html
    r = post(viewer, f"/program/{pid}/actions", agency="IMT", title="x", start="1406/01/01",
             deadline="1406/01/02")  # fmt: skip
    assert r.status_code == 403


def test_kpis_measurements_and_the_head_change(sec: TestClient, app: Any, ws: Workspace) -> None:
    db, pid = ws.program(), pid_of(ws, 1405)
    r = post(sec, f"/program/{pid}/kpis?lang=en", code="KW", agency="IMT", name="apples to Iraq",
             source="data", hs="0808", partners="Iraq")  # fmt: skip
    assert r.status_code == 303
    kw = next(k for k in program.kpis(db, pid) if k["code"] == "KW")
    scope = monitor.Scope(region=ws.home_region, hs=("0808",), partners=("IRQ",))
    series = monitor.monthly(ws, scope)[1405]
    expected = {f"1405-{m:02d}": float(v) for m, v in enumerate(series, 1) if not np.isnan(v)}
    assert {m["period"]: m["value"] for m in kw["measurements"]} == expected
    # the refresh is one audit row, not one per month
    log = program.audit_log(db, program_id=pid, limit=50)
    created = next(x["id"] for x in log if x["entity"] == "kpi" and x["entity_id"] == kw["id"])
    since = [x for x in log if x["id"] > created]
    assert [x["entity"] for x in since] == ["kpi-refresh"]
    assert since[0]["after"]["values"] >= len(expected) and "KW" in since[0]["after"]["kpis"]
    # a member records a month of their own KPI; a stale value comes back with the one saved
    r = post(sec, f"/program/{pid}/kpis", code="KM", agency="IMT", name="fairs", source="manual",
             unit="n")  # fmt: skip
    assert r.status_code == 303
    imt = client_as(app, "imt")
    assert "KM · fairs" in imt.get("/program?year=1405&lang=en").text.split('id="mine"')[1]
    r = post(imt, f"/program/{pid}/kpis/KM/measure", period="1405-03", value="۴", version="0")
    assert r.status_code == 303
    r = post(imt, f"/program/{pid}/kpis/KM/measure?lang=en", period="1405-03", value="5",
             version="0")  # fmt: skip
    assert r.status_code == 409
    assert "value: 4.0 (you typed: 5)" in r.text
    r = post(imt, "/program/agencies", code="NEW", name="x")
    assert r.status_code == 403
    # a new agency, then a change of head: the outgoing term ends the day before
    r = post(sec, "/program/agencies?lang=fa", code="TPO2", name="Trade promotion office",
             name_fa="دفتر توسعه تجارت", kind="trade-promotion")  # fmt: skip
    assert r.status_code == 303
    r = post(sec, "/program/agencies?lang=fa", code="TPO2", name="again")
    assert field_error(r.text, "agency", "code") == "دستگاه «TPO2» از پیش هست"
    assert post(sec, "/program/agencies/head", agency="TPO2", name="A. First",
                start="1405/01/01").status_code == 303  # fmt: skip
    r = post(sec, "/program/agencies/head?lang=fa", agency="TPO2", name="B. Second",
             start="1404/12/01")  # fmt: skip
    assert "رئیس تازه باید پس از آن آغاز کند" in field_error(r.text, "head", "start")
    r = post(sec, "/program/agencies/head", agency="TPO2", name="B. Second", start="1405/08/01")
    assert r.status_code == 303
    target = r.headers["location"]
    assert target.startswith("/program?msg=head&agency=TPO2&day=2026-10-23")
    page = sec.get(target.split("#")[0] + "&lang=en").text
    link = re.search(r'href="(/reports/handover/TPO2\.pdf\?date=2026-10-23)"', page)
    assert link is not None
    terms = program.terms(db, "TPO2")
    assert [(t["person"], t["end"]) for t in terms] == [
        ("A. First", "2026-10-22"),
        ("B. Second", None),
    ]
    pdf = sec.get(link.group(1))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_workbook_round_trip_previews_before_writing(sec: TestClient, ws: Workspace) -> None:
    db, pid = ws.program(), pid_of(ws, 1405)
    xlsx = sec.get("/program/export.xlsx?year=1405&lang=en")
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content))
    sh = wb["actions"]
    header = [c.value for c in sh[2]]  # the machine names, below the names for people
    sh.cell(3, header.index("title") + 1, "Retitled in the workbook")
    sh.cell(4, header.index("deadline") + 1, "1404/12/30")  # a day that does not exist
    bad = io.BytesIO()
    wb.save(bad)
    before = program.actions(db, pid)
    seen = program.latest_change(db)

    def upload(data: bytes, lang: str = "en") -> Any:
        return sec.post(
            f"/program/import/preview?lang={lang}",
            data={"csrf": sec.cookies["ep_csrf"]},
            files={"file": ("plan.xlsx", data, "application/octet-stream")},
        )

    r = upload(bad.getvalue())
    assert r.status_code == 422 and 'id="import-refused"' in r.text
    assert re.search(
        r"<td>actions</td><td>4</td><td>Deadline \(Solar Hijri\)</td><td>[^<]*1404/12/30", r.text
    )
    assert "Retitled in the workbook" in r.text  # the changes it would make are listed too
    assert 'id="import-confirm"' not in r.text
    assert program.actions(db, pid) == before and program.latest_change(db) == seen
    sh.cell(4, header.index("deadline") + 1, before[1]["deadline_sh"])  # fixed
    good = io.BytesIO()
    wb.save(good)
    r = upload(good.getvalue(), "fa")
    assert r.status_code == 200 and 'id="import-confirm"' in r.text
    assert program.actions(db, pid) == before  # still nothing written
    upload_name = re.search(r'name="upload" value="([^"]+)"', r.text)
    seen_now = re.search(r'name="seen" value="(\d+)"', r.text)
    assert upload_name and seen_now
    # someone saves meanwhile: the confirmation previews again instead of importing
    program.update_action(
        db, ADMIN, before[5]["id"], version=before[5]["version"], note="meanwhile"
    )
    r = post(sec, "/program/import/confirm?lang=en", upload=upload_name.group(1),
             seen=seen_now.group(1))  # fmt: skip
    assert r.status_code == 200 and "The program changed since your preview" in r.text
    assert program.get_action(db, before[0]["id"])["title"] == before[0]["title"]
    seen_again = re.search(r'name="seen" value="(\d+)"', r.text)
    assert seen_again
    r = post(sec, "/program/import/confirm", upload=upload_name.group(1), seen=seen_again.group(1))
    assert r.status_code == 303 and r.headers["location"] == "/program?msg=imported"
    assert program.get_action(db, before[0]["id"])["title"] == "Retitled in the workbook"
    r = post(sec, "/program/import/confirm", upload="../program.sqlite", seen="0")
    assert r.status_code == 404


def test_a_persian_workbook_round_trips_on_the_web(sec: TestClient, ws: Workspace) -> None:
    """The Persian download (Persian tabs and headers, machine names below) uploaded back: an
    edited cell is the one change previewed; a bad day is named by the Persian tab, the row
    Excel shows and the Persian column name."""
    db, pid = ws.program(), pid_of(ws, 1405)
    xlsx = sec.get("/program/export.xlsx?year=1405&lang=fa")
    wb = load_workbook(io.BytesIO(xlsx.content))
    sh = wb[program.sheet_label("actions", "fa")]
    header = [c.value for c in sh[2]]
    before = program.actions(db, pid)
    code = sh.cell(3, header.index("code") + 1).value
    sh.cell(3, header.index("title") + 1, "عنوان تازه در کاربرگ")

    def upload(book: Any) -> Any:
        data = io.BytesIO()
        book.save(data)
        return sec.post(
            "/program/import/preview?lang=fa",
            data={"csrf": sec.cookies["ep_csrf"]},
            files={"file": ("plan.xlsx", data.getvalue(), "application/octet-stream")},
        )

    r = upload(wb)
    assert r.status_code == 200 and 'id="import-confirm"' in r.text
    rows = re.findall(r"<tr><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>", r.text)
    assert rows == [code]  # exactly the edited action
    sh.cell(4, header.index("deadline") + 1, "۱۴۰۴/۱۲/۳۰")  # a day that does not exist
    r = upload(wb)
    assert r.status_code == 422
    assert re.search(r"<td>اقدامات</td><td>۴</td><td>مهلت \(هجری شمسی\)</td><td>[^<]*وجود ندارد", r.text)
    assert program.actions(db, pid) == before


def test_the_audit_page_filters(sec: TestClient, ws: Workspace) -> None:
    all_rows = sec.get("/program/audit.json?lang=en").json()["rows"]
    assert {r["username"] for r in all_rows} >= {"secretary", "imt", "cus"}
    mine = sec.get("/program/audit.json?user=cus").json()["rows"]
    assert mine and {r["username"] for r in mine} == {"cus"}
    heads = sec.get("/program/audit.json?what=term&agency=TPO2").json()["rows"]
    assert len(heads) == 2 and all(r["entity"] == "term" for r in heads)
    assert sec.get("/program/audit.json?since=2999-01-01").json()["rows"] == []
    today = all_rows[0]["at"][:10]
    assert len(sec.get(f"/program/audit.json?since={today}&until={today}").json()["rows"]) == len(
        [r for r in all_rows if r["at"][:10] == today]
    )
    html = sec.get("/program/audit?since=1404/12/30&lang=fa").text
    assert "در تقویم هجری شمسی وجود ندارد" in html
    refresh = sec.get("/program/audit?what=kpi-refresh&lang=en").text
    assert re.search(r"\d+ values \(\d+ new, \d+ changed\) of [^<]*KW", refresh)


def test_the_target_trees_progress_is_the_warehouses_numbers(ws: Workspace) -> None:
    """Achieved to date, share, need per month and the path of the demo's priorities, against
    the monitoring service's monthly series and a plain reading of the method."""
    db = ws.program()
    pid = pid_of(ws, 1405)
    view = program.show(db, pid)
    prog = tree_progress(ws, db, pid)
    total = monitor.monthly(ws, monitor.Scope(region=ws.home_region))
    through = max(m for m in range(1, 13) if not np.isnan(total[1405][m - 1]))
    assert prog["TOTAL"]["through"] == through
    assert prog["TOTAL"]["achieved_usd"] == pytest.approx(float(np.nansum(total[1405])))
    for p in view["priorities"][:2]:
        node = next(c for c in view["targets"]["children"] if c["priority"] == p["code"])
        scope = monitor.Scope(
            region=ws.home_region, hs=tuple(p["hs_codes"]), partners=tuple(p["markets"])
        )
        years = monitor.monthly(ws, scope)
        got = prog[node["code"]]
        achieved = float(np.nansum(years[1405][:through]))
        assert got["achieved_usd"] == pytest.approx(achieved)
        assert got["share"] == pytest.approx(achieved / node["value_usd"])
        assert got["needed_per_month_usd"] == pytest.approx(
            (node["value_usd"] - achieved) / (12 - through)
        )
        complete = [
            y
            for y in sorted(years)
            if y < 1405 and not np.isnan(years[y]).any() and years[y].sum() > 0
        ][-3:]
        assert got["profile_years"] == complete
        shares = np.mean([years[y] / years[y].sum() for y in complete], axis=0)
        due = node["value_usd"] * shares[:through].sum() / shares.sum()
        assert got["due_usd"] == pytest.approx(due)
        assert got["behind"] == (achieved < due)
        for child in node["children"]:  # an agency's part: not measured, and says why
            assert prog[child["code"]] == {
                "measured": False,
                "why": "an agency's share of its parent's exports is not in the data",
            }


def test_the_monthly_path_by_hand() -> None:
    flat = {
        2020: np.full(12, 10.0),
        2021: np.array([0.0] * 6 + [20.0] * 6),
        2022: np.full(12, np.nan),
    }
    profile, used = seasonal_profile(flat, before=2022)
    assert used == [2020, 2021]
    assert profile[0] == pytest.approx((1 / 12 + 0) / 2) and profile[11] == pytest.approx(
        (1 / 12 + 1 / 6) / 2
    )
    assert due_by(1200.0, profile, list(range(1, 13)), 6) == pytest.approx(1200 * 6 * (1 / 24))
    assert due_by(300.0, profile, [4, 5, 6], 5) == pytest.approx(200.0)  # a quarter's months
    assert due_by(300.0, profile, [4, 5, 6], 0) == 0.0
    even, none = seasonal_profile({2021: np.full(12, np.nan)}, before=2022)
    assert none == [] and even == pytest.approx(np.full(12, 1 / 12))
