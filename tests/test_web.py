"""The web application through its contexts, JSON twins and HTML (the browser tests are in
test_browser.py): every page renders from the services, in both languages, with downloads,
roles and CSRF checked on the server."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from browsing import demo_copy
from exportplan.i18n import FA as WEB_FA
from exportplan.services import demo_program, monitor, opportunities, program
from exportplan.web.app import create_app
from exportplan.workspace import Workspace
from helpers import wait_for_imports

#: The Origin a browser sends with a form of this site: a write carrying the site's cookies
#: that names no origin is refused (web/app.py)
BROWSER = {"Origin": "http://testserver"}

PERSIAN_DIGIT = re.compile("[۰-۹]")


@pytest.fixture(scope="module")
def app_ws(small_demo: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A copy of the shared demo: these tests upload a customs file and edit actions (the
    shared one stays as built, conftest.py checks)."""
    return demo_copy(small_demo, tmp_path_factory, "web")


@pytest.fixture
def client(app_ws: Workspace) -> Iterator[TestClient]:
    with TestClient(create_app(app_ws), follow_redirects=False, headers=BROWSER) as c:
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


def test_pages_need_a_signed_in_user(client: TestClient) -> None:
    r = client.get("/dashboard")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    client.get("/login")
    r = client.post(
        "/login",
        data={
            "username": "secretary",
            "password": "wrong password",
            "csrf": client.cookies["ep_csrf"],
        },
    )
    assert r.status_code == 401 and "نام کاربری یا گذرواژه نادرست است" in r.text  # Persian page
    r = client.post(
        "/login",
        data={"username": "secretary", "password": demo_program.DEMO_PASSWORD, "csrf": "forged"},
    )
    assert r.status_code == 403 and "CSRF" in r.text


def test_dashboard_context_is_the_services_numbers(client: TestClient, app_ws: Workspace) -> None:
    sign_in(client)
    j = client.get("/dashboard.json?lang=en").json()
    st = monitor.status(app_ws, monitor.Scope(region=app_ws.home_region), j["year"])
    assert j["status"]["ytd"] == pytest.approx(st.ytd)
    assert j["status"]["target"] == 3e9
    assert j["status"]["forecast_central"] == pytest.approx(st.forecast_central)
    pid = program.programs(app_ws.program())[0]["id"]
    overdue = program.actions(app_ws.program(), pid, overdue=True)
    assert [r["code"] for r in j["tables"]["overdue"]["rows"]] == [a["code"] for a in overdue]
    assert set(j["charts"]) == {"cumulative", "drivers"}
    assert j["charts"]["cumulative"]["$schema"].startswith(
        "https://vega.github.io/schema/vega-lite"
    )


def test_persian_pages_are_right_to_left_with_persian_digits(client: TestClient) -> None:
    sign_in(client)
    for page in ("dashboard", "monitor", "opportunities", "program", "data"):
        r = client.get(f"/{page}?lang=fa")
        assert r.status_code == 200, (page, r.text[:500])
        html = r.text
        assert '<html lang="fa" dir="rtl">' in html, page
        assert 'class="chart" dir="ltr"' in html or page in ("data",), page
        assert PERSIAN_DIGIT.search(html), page
        assert "Traceback" not in html
        en = client.get(f"/{page}?lang=en").text
        assert '<html lang="en" dir="ltr">' in en
        assert (
            not PERSIAN_DIGIT.search(en.split("<main")[1].split("<table")[0])
            or page == "opportunities"
        )
    # the language sticks (cookie) until switched
    assert 'dir="ltr"' in client.get("/dashboard").text


def test_every_json_twin_matches_its_page(client: TestClient, app_ws: Workspace) -> None:
    sign_in(client)
    j = client.get("/monitor.json?lang=en&by=partner").json()
    d = monitor.drivers(app_ws, monitor.Scope(region=app_ws.home_region), j["year"], by="partner")
    assert j["summary"]["now"] == pytest.approx(d.total_now)
    assert {r["key"] for r in j["tables"]["destinations"]["rows"]} == set(d.table["key"].to_list())
    o = client.get("/opportunities.json?lang=en&product=0808&market=IRQ").json()
    mk = opportunities.markets(app_ws, "0808", params=opportunities.Params(level="hs4"), top=15)
    assert [r["market"] for r in o["tables"]["markets"]["rows"]] == mk.table["market"].to_list()
    p = client.get("/program.json?lang=en").json()
    assert p["program"]["target_usd"] == 3e9
    data = client.get("/data.json").json()
    assert data["tables"]["datasets"]["rows"][0]["kind"] == "baci"


def test_every_table_downloads_as_csv_and_excel(client: TestClient) -> None:
    sign_in(client)
    for page in ("dashboard", "monitor", "opportunities", "program", "data"):
        tables = client.get(f"/{page}.json?lang=fa").json()["tables"]
        for name, tab in tables.items():
            r = client.get(f"/download/{page}/{name}.csv?lang=fa")
            assert r.status_code == 200 and r.content.startswith("\ufeff".encode())
            lines = r.content.decode("utf-8-sig").strip().splitlines()
            assert next(csv.reader([lines[0]])) == tab["labels"]  # the page's language
            assert len(lines) - 1 >= len(tab["rows"])  # quoted cells may hold newlines
            x = client.get(f"/download/{page}/{name}.xlsx?lang=fa")
            sheet = load_workbook(io.BytesIO(x.content)).active
            assert sheet is not None and sheet.sheet_view.rightToLeft
            assert sheet.max_row == len(tab["rows"]) + 2
    assert client.get("/download/monitor/nope.csv").status_code == 404
    users_csv = client.get("/download/users/users.csv").content.decode("utf-8-sig")
    assert "secretary" in users_csv and "password" not in users_csv.split("\n")[0]
    sign_in(client, "viewer")
    assert client.get("/download/users/users.csv").status_code == 403


def test_the_users_page_names_agencies_and_roles_and_has_a_json_twin(
    client: TestClient, app_ws: Workspace
) -> None:
    """Users by agency name (not id) and role name in the page's language; a JSON twin; a
    navigation link for those who may list users, none for a viewer."""
    db = app_ws.program()
    agencies = {a["id"]: a for a in program.agencies(db)}
    sign_in(client)
    for lang in ("fa", "en"):
        data = client.get(f"/users.json?lang={lang}").json()
        tab = data["tables"]["users"]
        assert "agency_id" not in tab["columns"]
        by_name = {r["username"]: r for r in tab["rows"]}
        member = next(
            u for u in demo_program_users(app_ws) if u["role"] == "member" and u["agency_id"]
        )
        a = agencies[member["agency_id"]]
        name = a["name_fa"] if lang == "fa" else a["name_en"]
        assert by_name[member["username"]]["agency"] == f"{name} ({a['code']})"
        assert by_name["secretary"]["role_label"] == ("دبیر" if lang == "fa" else "secretary")
        html = client.get(f"/dashboard?lang={lang}").text
        assert 'href="/users"' in html
        page = client.get(f"/users?lang={lang}").text
        assert f">{name} ({a['code']})</option>" in page
    sign_in(client, "viewer")
    assert 'href="/users"' not in client.get("/dashboard").text
    assert client.get("/users.json").status_code == 403


def demo_program_users(ws: Workspace) -> list[dict[str, object]]:
    from exportplan.auth import local_actor
    from exportplan.services import users

    return users.list_users(ws.program(), local_actor())


def test_an_agency_member_edits_only_their_own_actions(
    client: TestClient, app_ws: Workspace
) -> None:
    db = app_ws.program()
    pid = program.programs(db)[0]["id"]
    acts = program.actions(db, pid)
    own = next(a for a in acts if a["agency"] == "AGRI")
    other = next(a for a in acts if a["agency"] == "CUS")
    sign_in(client, "agri")
    html = client.get("/program?lang=en").text
    assert f'action="/program/actions/{own["id"]}"' in html
    assert f'action="/program/actions/{other["id"]}"' not in html
    csrf = client.cookies["ep_csrf"]
    r = client.post(
        f"/program/actions/{own['id']}",
        data={
            "version": own["version"],
            "status": "in-progress",
            "progress": "30",
            "note": "site chosen",
            "csrf": csrf,
        },
    )
    assert r.status_code == 303
    assert program.get_action(db, own["id"])["progress"] == 30
    r = client.post(
        f"/program/actions/{other['id']}",
        data={"version": other["version"], "progress": "99", "csrf": csrf},
    )
    assert r.status_code == 403 and "only their own agency" in r.text
    r = client.post(
        f"/program/actions/{own['id']}",
        data={"version": own["version"], "progress": "50", "csrf": csrf},
    )
    assert r.status_code == 409 and "changed since you read it" in r.text  # stale form
    r = client.post(f"/program/actions/{own['id']}", data={"version": 99, "progress": "50"})
    assert r.status_code == 403 and "CSRF" in r.text
    assert program.get_action(db, other["id"])["progress"] == other["progress"]


def test_errors_are_pages_not_tracebacks(client: TestClient) -> None:
    sign_in(client)
    r = client.get("/monitor?by=nonsense&lang=en")
    assert r.status_code == 400 and "by must be one of" in r.text and "Traceback" not in r.text
    r = client.get("/opportunities?product=7701&lang=en")
    assert r.status_code == 400 and "chapter 77 does not exist" in r.text
    assert client.get("/monitor.json?by=nonsense").json()["error"].startswith("by must be one of")


def test_upload_uses_the_importers_validation(client: TestClient, app_ws: Workspace) -> None:
    sign_in(client)
    text = (
        "تاریخ,گمرک اجرایی,کد تعرفه,کشور مقصد,وزن خالص (کیلوگرم),ارزش دلاری\n"
        '۱۴۰۵/۰۸/۰۱,گمرک آستارا,۸۰۸۱۰۰۰,عراق,"۱۰٬۰۰۰","۲۰٬۰۰۰"\n'
        "1404/12/30,گمرک آستارا,08081000,عراق,100,200\n"
        "1405/08/02,گمرک آستارا,08081000,Atlantis,100,200\n"
    ).encode("utf-8-sig")
    r = client.post(
        "/data/upload",
        files={"file": ("aban-1405.csv", text, "text/csv")},
        data={"definition": "customs", "csrf": client.cookies["ep_csrf"]},
    )
    # queued for the server's writer: the answer is at once, the page shows the import
    assert r.status_code == 303 and r.headers["location"].startswith("/data?import="), r.text
    job = next(j for j in wait_for_imports(client) if j["file_name"].endswith("aban-1405.csv"))
    assert job["state"] == "done" and "rows read 3, accepted 1, rejected 2" in job["text"]
    page = client.get("/data?lang=en").text
    assert 'id="imports"' in page and "aban-1405.csv" in page
    m = re.search(r"/data/rejects/(\d+)\.csv", job["rejects_url"])
    assert m is not None
    rej = client.get(f"/data/rejects/{m.group(1)}.csv").text
    assert "does not exist in the Solar Hijri calendar" in rej and "Atlantis" in rej
    # in Persian the columns are named in Persian; their machine names on request (issue 16)
    fa = client.get(f"/data/rejects/{m.group(1)}.csv?lang=fa").content.decode("utf-8-sig")
    assert fa.splitlines()[0] == "فایل,ردیف,ستون,مقدار,دلیل,کد دلیل" and "Atlantis" in fa
    assert "در تقویم هجری شمسی وجود ندارد" in fa and ",unknown_country" in fa  # reasons too
    machine = client.get(f"/data/rejects/{m.group(1)}.csv?lang=fa&header=machine").text
    assert machine.lstrip("\ufeff").startswith("file,row,column,value,reason,reason_code")
    sign_in(client, "viewer")
    r = client.post(
        "/data/upload",
        files={"file": ("x.csv", text, "text/csv")},
        data={"csrf": client.cookies["ep_csrf"]},
    )
    assert r.status_code == 403


def test_the_data_page_shows_import_times_as_people_read_them(
    client: TestClient, app_ws: Workspace
) -> None:
    """Each import's time in the page's calendar and digits, its ISO value kept in
    <time datetime>, and no raw timestamp left in the page's text."""
    from exportplan.views.format import time_text

    sign_in(client)
    with app_ws.warehouse(read_only=True) as con:
        rows = con.execute("SELECT imported_at FROM datasets ORDER BY id").fetchall()
    stored = [r[0] for r in rows]
    assert len(stored) >= 5  # the demo's five BACI years and its customs files
    for lang in ("fa", "en"):
        page = client.get(f"/data?lang={lang}").text
        table = page[page.index('id="table-datasets"') :]
        shown = re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', table)
        assert [at for at, _ in shown] == [m.replace(microsecond=0).isoformat() for m in stored]
        assert [text for _, text in shown] == [time_text(m, lang) for m in stored]
        text = re.sub(r"<[^>]*>", " ", page)  # the page's text, without its attributes
        assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text), lang
        if lang == "fa":
            assert all(PERSIAN_DIGIT.search(t) and "1405" not in t for _, t in shown)
        else:
            # the Gregorian day with the Solar Hijri day beside it
            assert all(
                re.fullmatch(r"\d{1,2}\s\w{3}\s\d{4}, \d\d:\d\d \(\d{1,2}\s\w+\s\d{4}\)", t)
                for _, t in shown
            ), shown


def test_every_label_has_a_persian_form() -> None:
    from pathlib import Path

    templates = Path(__file__).parents[1] / "src" / "exportplan" / "views" / "templates"
    used: set[str] = set()
    for f in templates.glob("*.html"):
        used |= set(re.findall(r'(?<![a-z_])t\("([^"]+)", lang\)', f.read_text("utf-8")))
    from exportplan import i18n

    missing = sorted(u for u in used if u not in WEB_FA and u not in i18n.FA)
    assert not missing, missing
