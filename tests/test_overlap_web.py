"""The overlap rule on the Data page (issue 13): a refused upload names the months, offices and
earlier import in the page's language and changes no total; the replace choice; removing an
import, asked first and then told with the CLI's sentence, by the administrator and the
secretary only (HTTP client for the roles, a real browser for the workflow)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser

from browsing import serve
from exportplan.auth import Actor
from exportplan.services import data, program, users
from exportplan.services import monitor as mon
from exportplan.services.imports.customs import CustomsOptions, import_file
from exportplan.web.app import create_app
from exportplan.workspace import Workspace, init
from helpers import queued_job, wait_for_import

#: The Origin a browser sends with a form of this site: a write carrying the site's cookies
#: that names no origin is refused (web/app.py)
BROWSER = {"Origin": "http://testserver"}

PASSWORD = "overlap-test-password-1"
HEAD = "تاریخ,گمرک اجرایی,کد تعرفه,کشور مقصد,ارزش دلاری\n"
ROWS = "".join(
    f"1404/{m:02d}/10,{office},080810,عراق,{100 * m + i}\n"
    for m in (1, 2, 3)
    for i, office in enumerate(("گمرک تبریز", "گمرک جلفا"))
)


@pytest.fixture
def site_ws(tmp_path: Path) -> Workspace:
    ws = init(tmp_path / "ws")
    db = ws.program()
    admin = Actor("setup", "admin")
    program.add_agency(db, admin, code="CUS", name_en="Customs", name_fa="گمرک", kind="customs")
    for name, role in (("admin", "admin"), ("secretary", "secretary"), ("viewer", "viewer")):
        users.create_user(db, admin, username=name, password=PASSWORD, role=role)
    users.create_user(db, admin, username="cus", password=PASSWORD, role="member", agency="CUS")
    f = tmp_path / "earlier.csv"
    f.write_text(HEAD + ROWS, encoding="utf-8")
    with ws.warehouse() as con:
        import_file(con, f, CustomsOptions(region=ws.home_region))
    return ws


def totals(ws: Workspace) -> tuple[float, int]:
    ytd = mon.status(ws, mon.Scope(region=ws.home_region), 1404, month=3).ytd
    return ytd, data.datasets(ws).height


def sign_in(c: TestClient, user: str) -> None:
    c.cookies.clear()
    c.get("/login")
    r = c.post(
        "/login", data={"username": user, "password": PASSWORD, "csrf": c.cookies["ep_csrf"]}
    )
    assert r.status_code == 303, r.text


def upload(c: TestClient, body: bytes, *, replace: bool = False, lang: str = "fa") -> str:
    form = {"definition": "customs", "csrf": c.cookies["ep_csrf"]}
    if replace:
        form["replace"] = "yes"
    r = c.post(
        f"/data/upload?lang={lang}", files={"file": ("again.csv", body, "text/csv")}, data=form
    )
    if r.status_code != 303:
        return f"{r.status_code} {r.text}"
    # queued for the server's writer: what its line on the Data page says once it is final
    job = wait_for_import(c, queued_job(r.headers["location"]), lang)
    outcome = "refused" if job["state"] == "failed" else job["state"]
    return f"{outcome} {job['text']} {job['detail']}"


def test_a_refused_upload_names_the_cells_in_the_pages_language(site_ws: Workspace) -> None:
    before = totals(site_ws)
    assert before[0] == pytest.approx(sum(100 * m + i for m in (1, 2, 3) for i in (0, 1)))
    crlf = (HEAD + ROWS).replace("\n", "\r\n").encode("utf-8")
    with TestClient(create_app(site_ws), follow_redirects=False, headers=BROWSER) as c:
        sign_in(c, "secretary")
        fa = upload(c, crlf)
        assert fa.startswith("refused ")
        assert "فروردین تا خرداد ۱۴۰۴" in fa and "مجموعه داده ۱ (earlier.csv" in fa
        assert "گمرک تبریز" in fa and "چیزی وارد نشد" in fa
        en = upload(c, crlf, lang="en")
        assert en.startswith("refused ") and "Farvardin–Khordad 1404" in en
        assert "dataset 1 (earlier.csv, customs)" in en
        assert totals(site_ws) == before  # the dashboard's and monitor's totals did not move
        done = upload(c, crlf, replace=True, lang="en")
        assert done.startswith("done ") and "imported as dataset" in done
        assert totals(site_ws)[0] == pytest.approx(before[0])  # replaced, not added
        page = c.get("/data.json?lang=en").json()
        rows = {r["id"]: r for r in page["tables"]["datasets"]["rows"]}
        new = max(rows)
        assert rows[1]["supplies"] == "" and rows[1]["superseded"].startswith(f"by {new}: ")
        assert rows[new]["supplies"].startswith("Farvardin–Khordad 1404")


def test_removing_an_import_is_asked_then_told_as_the_cli_does(site_ws: Workspace) -> None:
    with TestClient(create_app(site_ws), follow_redirects=False, headers=BROWSER) as c:
        sign_in(c, "admin")
        extra = (HEAD + "1404/04/10,گمرک تبریز,080810,عراق,7\n").encode("utf-8")
        assert upload(c, extra).startswith("done ")
        new = int(data.datasets(site_ws)["id"].max())  # type: ignore[arg-type]
        r = c.get(f"/data/remove/{new}?lang=en")
        assert r.status_code == 200 and 'id="confirm-remove"' in r.text
        assert f"Remove dataset {new} (" in r.text and "with its 1 row(s)" in r.text
        assert data.datasets(site_ws).height == 2  # asking removed nothing
        r = c.post(f"/data/remove/{new}?lang=en", data={"csrf": "forged"})
        assert r.status_code == 403 and data.datasets(site_ws).height == 2
        preview = data.removal_preview(site_ws, new)
        r = c.post(f"/data/remove/{new}?lang=en", data={"csrf": c.cookies["ep_csrf"]})
        assert r.status_code == 200
        said = re.search(r'id="removed">([^<]*)<', r.text)
        assert said is not None and said.group(1) == data.removal_text(preview, "en")
        assert data.datasets(site_ws).height == 1
        r = c.get("/data/remove/999?lang=en")
        assert r.status_code == 404 and "no dataset 999" in r.text


def test_only_the_administrator_and_the_secretary_may_replace_or_remove(
    site_ws: Workspace,
) -> None:
    crlf = (HEAD + ROWS).replace("\n", "\r\n").encode("utf-8")
    with TestClient(create_app(site_ws), follow_redirects=False, headers=BROWSER) as c:
        r = c.get("/data/remove/1")
        assert r.status_code == 303 and "/login" in r.headers["location"]
        for user in ("viewer", "cus"):
            sign_in(c, user)
            page = c.get("/data").text
            assert "/data/remove/1" not in page and 'name="replace"' not in page
            assert c.get("/data/remove/1").status_code == 403
            r = c.post("/data/remove/1", data={"csrf": c.cookies["ep_csrf"]})
            assert r.status_code == 403
            assert upload(c, crlf, replace=True).startswith("403 ")
        assert data.datasets(site_ws).height == 1
        sign_in(c, "secretary")
        assert "/data/remove/1" in c.get("/data").text
        r = c.post("/data/remove/1", data={"csrf": c.cookies["ep_csrf"]})
        assert r.status_code == 200 and data.datasets(site_ws).height == 0


@pytest.fixture
def server(site_ws: Workspace) -> Iterator[str]:
    """A real server over the workspace on a free loopback port (tests/browsing.py)."""
    with serve(site_ws) as url:
        yield url


def test_refuse_replace_and_remove_in_a_real_browser(
    server: str, site_ws: Workspace, tmp_path: Path, browser: Browser
) -> None:
    crlf = tmp_path / "earlier-crlf.csv"
    crlf.write_bytes((HEAD + ROWS).replace("\n", "\r\n").encode("utf-8"))
    before = totals(site_ws)
    with browser.new_context() as ctx:  # the run's shared chromium (conftest.py)
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{server}/login?lang=fa")
        page.fill("input[name=username]", "secretary")
        page.fill("input[name=password]", PASSWORD)
        page.click("form.login button")
        page.wait_for_url(f"{server}/dashboard")
        page.goto(f"{server}/data?lang=fa")
        page.set_input_files("input[name=file]", str(crlf))
        page.click("form[action='/data/upload'] button")
        refused = page.locator("li.import-failed")  # the page reloads once the writer is done
        refused.wait_for()
        assert "فروردین تا خرداد ۱۴۰۴" in refused.inner_text()
        assert totals(site_ws) == before
        page.set_input_files("input[name=file]", str(crlf))
        page.check("input[name=replace]")
        page.click("form[action='/data/upload'] button")
        page.locator("li.import-done").wait_for()
        assert totals(site_ws)[0] == pytest.approx(before[0])
        new = int(data.datasets(site_ws)["id"].max())  # type: ignore[arg-type]
        page.click(f"a[href='/data/remove/{new}']")
        question = page.locator("#confirm-remove")
        question.wait_for()
        assert "حذف شود؟" in question.inner_text()
        page.click("#confirm-remove button")
        told = page.locator("#removed")
        told.wait_for()
        assert "حذف شد" in told.inner_text() and "دوباره" in told.inner_text()
        assert data.datasets(site_ws).height == 1 and totals(site_ws) == before
    assert errors == []
