"""The "check a text" page, the register download and the claims API over a real app (the
FastAPI test client), and one real-browser flow in Persian and English (Playwright with
Debian's chromium against a real server): claims marked in place, one opened, a field
corrected and checked again, the text saved in the register and the register downloaded."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page

from browsing import serve
from exportplan.i18n import label as t
from exportplan.services import demo_program, monitor
from exportplan.services.claims import corrections as fixes
from exportplan.web.app import create_app
from exportplan.web.routes.claims import REGISTER_COLUMNS
from exportplan.workspace import Workspace, open_workspace

BROWSER = {"Origin": "http://testserver"}
SEED = "صادرات استان در سال جاری ۲۰ درصد افزایش یافت"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def claims_ws(small_demo: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A copy of the demo workspace: these tests write to its register."""
    dest = tmp_path_factory.mktemp("claims-ws") / "ws"
    shutil.copytree(small_demo.path, dest, ignore=shutil.ignore_patterns("server.json"))
    return open_workspace(dest)


def _sign_in(c: TestClient) -> None:
    c.get("/login")
    r = c.post(
        "/login",
        data={
            "username": "secretary",
            "password": demo_program.DEMO_PASSWORD,
            "csrf": c.cookies["ep_csrf"],
        },
    )
    assert r.status_code == 303, r.text


def test_page_api_and_register(claims_ws: Workspace) -> None:
    g = monitor.status(claims_ws, monitor.Scope(claims_ws.home_region, "customs"), 1405, 8)
    assert g.growth_pct is not None
    with TestClient(create_app(claims_ws), follow_redirects=False, headers=BROWSER) as c:
        assert c.get("/claims").status_code == 303  # sign in first
        _sign_in(c)
        page = c.get("/claims?lang=fa")
        assert page.status_code == 200 and "بررسی یک متن" in page.text
        form = {
            "text": SEED,
            "published": "1405/09/10",
            "outlet": "IRNA",
            "url": "",
            "action": "check",
            "csrf": c.cookies["ep_csrf"],
        }
        r = c.post("/claims/check?lang=fa", data=form)
        assert r.status_code == 200
        shown = f"{g.growth_pct:+.1f}".translate(str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫"))
        assert shown + "٪" in r.text
        assert '<mark class="claim ' in r.text and "این ادعا با تعریف" in r.text
        assert "region_summary" in r.text  # the query is shown
        # a field corrected by hand: the claimed change set to the computed one
        fixed = {
            **form,
            "fix": "0",
            "quantity": f"{g.growth_pct:.1f}",
            "unit": "percent",
            "kind": "change",
            "measure": "value",
            "definition_cue": "customs",
        }
        r = c.post("/claims/check?lang=en", data=fixed)
        assert r.status_code == 200
        assert (
            "The claim holds under customs" in r.text
            and "origin" not in r.text.split("verdict-sentence")[1][:300]
        )
        bad = c.post("/claims/check?lang=en", data={**form, "published": "1405/13/40"})
        assert bad.status_code == 200 and 'id="claims-message"' in bad.text
        saved = c.post("/claims/check", data={**form, "action": "save"})
        assert saved.status_code == 303 and saved.headers["location"].startswith("/claims?saved=")
        reg = c.get("/claims/register.csv?header=machine")
        rows = list(csv.DictReader(io.StringIO(reg.content.decode("utf-8-sig"))))
        assert [(r["definition"], r["outlet"], r["published"]) for r in rows] == [
            ("customs", "IRNA", "1405/09/10"),
            ("origin", "IRNA", "1405/09/10"),
        ]
        assert float(rows[0]["computed"]) == pytest.approx(g.growth_pct)
        assert c.get("/claims/register.xlsx").content[:2] == b"PK"
        # the API: a token, then the same JSON as the CLI
        tok = c.post(
            "/api/v1/auth/login",
            json={"username": "secretary", "password": demo_program.DEMO_PASSWORD},
        )
        headers = {"Authorization": f"Bearer {tok.json()['token']}"}
        api = c.post(
            "/api/v1/claims/check", json={"text": SEED, "published": "1405/09/10"}, headers=headers
        )
        assert api.status_code == 200, api.text
        (claim,) = api.json()["claims"]
        assert claim["checks"][0]["computed"] == pytest.approx(g.growth_pct)
        assert (
            c.post(
                "/api/v1/claims/check", json={"text": SEED, "published": "x"}, headers=headers
            ).status_code
            == 422
        )
        assert (
            c.post(
                "/api/v1/claims/check", json={"text": SEED, "published": "1405/09/10"}
            ).status_code
            == 401
        )


def _carried(page: str) -> str:
    """The corrections a checked page carries in its forms (all forms carry the same)."""
    found = set(re.findall(r'name="corrections" value="([^"]*)"', page))
    assert len(found) == 1, found
    return html.unescape(found.pop())


def test_corrections_accumulate_and_are_saved_to_the_register(claims_ws: Workspace) -> None:
    with TestClient(create_app(claims_ws), follow_redirects=False, headers=BROWSER) as c:
        _sign_in(c)
        form = {
            "text": SEED,
            "published": "1405/09/10",
            "outlet": "Mehr",
            "url": "",
            "action": "check",
            "csrf": c.cookies["ep_csrf"],
        }
        first = c.post("/claims/check?lang=fa", data=form)
        assert _carried(first.text) == ""  # nothing corrected yet
        # the period corrected (the form sends every field, as the page's form does)
        shown = {"quantity": "20", "unit": "percent", "kind": "change", "measure": "-"}
        shown |= {"qualifier": "-", "definition_cue": "-", "fix": "0"}
        r1 = c.post(
            "/claims/check?lang=fa",
            data={**form, **shown, "year": "1404", "first_month": "1", "last_month": "8"},
        )
        assert "هشت‌ماهه ۱۴۰۳" in r1.text  # the base moved with the period
        state = _carried(r1.text)
        # then the measure, on the page as it now stands: the period correction stays
        r2 = c.post(
            "/claims/check?lang=fa",
            data={
                **form,
                **shown,
                "measure": "weight",
                "year": "1404",
                "first_month": "1",
                "last_month": "8",
                "corrections": state,
            },
        )
        assert "وزن صادرات" in r2.text and "هشت‌ماهه ۱۴۰۴" in r2.text
        assert "اصلاح‌شده به دست کاربر" in r2.text
        # "Save to the register" from the main form carries both corrections
        saved = c.post(
            "/claims/check", data={**form, "action": "save", "corrections": _carried(r2.text)}
        )
        assert saved.status_code == 303
        text_id = saved.headers["location"].split("saved=")[1]
        reg = c.get("/claims/register.csv?header=machine")
        rows = [
            r
            for r in csv.DictReader(io.StringIO(reg.content.decode("utf-8-sig")))
            if r["text_id"] == text_id
        ]
        assert [(r["definition"], r["year"], r["measure"]) for r in rows] == [
            ("customs", "1404", "weight"),
            ("origin", "1404", "weight"),
        ]
        assert {r["corrected"] for r in rows} == {"measure, period"}
        # a text changed after the corrections: they are dropped, saying so, nothing saved
        changed = c.post(
            "/claims/check?lang=en",
            data={**form, "text": SEED + ".", "action": "save", "corrections": _carried(r2.text)},
        )
        assert changed.status_code == 200 and "corrections made on the earlier text" in changed.text
        # a carried state tampered with: a message in the page's language, no 500
        bad_index = json.dumps({"text": fixes.text_key(SEED), "fixes": {"x": {}}})
        for bad in ("{not json", bad_index):
            r = c.post("/claims/check?lang=en", data={**form, "corrections": bad})
            assert r.status_code == 200 and 'id="claims-message"' in r.text
        # the flags are on the page, in both languages
        flagged = {**form, "text": "صادرات استان در سال 2024 دو بیلیون دلار بود"}
        fa = c.post("/claims/check?lang=fa", data=flagged).text
        assert 'class="claim-flags"' in fa and "«بیلیون» یک میلیارد" in fa and "سال میلادی:" in fa
        en = c.post("/claims/check?lang=en", data=flagged).text
        assert "read as 10^9" in en and "a Gregorian year" in en


@pytest.fixture(scope="module")
def live(claims_ws: Workspace) -> Iterator[str]:
    """A real server over the workspace on a free loopback port (tests/browsing.py)."""
    with serve(claims_ws) as url:
        yield url


def _download_register(page: Page, text_id: str) -> list[dict[str, str]]:
    """The register downloaded by its link on the page: the rows of one checked text."""
    with page.expect_download() as dl:
        page.click("a[href='/claims/register.csv']")
    body = Path(dl.value.path()).read_bytes().decode("utf-8-sig")
    labels, *rows = list(csv.reader(io.StringIO(body)))
    # the header is in the page's language: each label back to its column
    lang = page.evaluate("document.documentElement.lang")
    names = {t(label, lang): key for key, label, _ in REGISTER_COLUMNS}
    keys = [names[x] for x in labels]
    return [dict(zip(keys, r, strict=True)) for r in rows if r[0] == text_id]


def _correct_and_save(page: Page, live: str, fields: dict[str, str]) -> str:
    """Correct the first claim's fields in its form, check again, then save; the text's id."""
    page.locator("#claims-text mark.claim").nth(0).click()
    assert page.locator("#claim-0").evaluate("d => d.open")
    for name, value in fields.items():
        page.locator(f"#claim-0 form.claim-fix input[name={name}]").fill(value)
    page.locator("#claim-0 form.claim-fix button").click()
    page.locator("#claim-0 summary").click()
    page.click("#claims-save")
    page.wait_for_url(f"{live}/claims?saved=*")
    return page.url.split("saved=")[1]


def test_browser_flow_in_persian_and_english(
    live: str, claims_ws: Workspace, browser: Browser
) -> None:
    """Paste the seed sentence, open its claim, correct the period, check again, save to the
    register and download it, in Persian and then in English: the correction is in the
    download."""
    assert Path(CHROMIUM).exists()
    text = f"{SEED}. ارزش صادرات در هشت ماهه امسال ۱۲۰ هزار میلیارد ریال بود."
    with browser.new_context() as ctx:  # the run's shared chromium (conftest.py)
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{live}/login?lang=fa")
        page.fill("input[name=username]", "secretary")
        page.fill("input[name=password]", demo_program.DEMO_PASSWORD)
        page.click("form.login button")
        page.wait_for_url(f"{live}/dashboard")
        page.click("a[data-page=claims]")
        page.wait_for_url(f"{live}/claims")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        page.fill("textarea[name=text]", SEED)
        page.fill("input[name=published]", "۱۴۰۵/۰۹/۱۰")
        page.click("#claims-check")
        marks = page.locator("#claims-text mark.claim")
        assert marks.count() == 1
        assert not page.locator("#claim-0").evaluate("d => d.open")
        marks.nth(0).click()
        table = page.locator("#claim-0 table.checks").inner_text()
        assert "صادرات از گمرکات استان" in table and "هشت‌ماهه ۱۴۰۵" in table
        # the period corrected to last year: checked again, its base moves with it
        page.locator("#claim-0 form.claim-fix input[name=year]").fill("۱۴۰۴")
        page.locator("#claim-0 form.claim-fix button").click()
        page.locator("#claim-0 summary").click()
        table = page.locator("#claim-0 table.checks").inner_text()
        assert "هشت‌ماهه ۱۴۰۴" in table and "هشت‌ماهه ۱۴۰۳" in table
        assert "اصلاح‌شده به دست کاربر: دوره" in page.locator("#claim-0 summary").inner_text()
        page.click("#claims-save")
        page.wait_for_url(f"{live}/claims?saved=*")
        saved = page.url.split("saved=")[1]
        newest = page.locator("#claim-register tbody tr").first.locator("td")
        cells = [newest.nth(i).inner_text() for i in range(9)]
        assert cells[0] == saved and cells[2] == "1405/09/10" and cells[3] == "1"
        assert cells[7] == "secretary" and cells[8].startswith(SEED[:20])
        rows = _download_register(page, saved)
        assert [(r["definition"], r["year"], r["corrected"]) for r in rows] == [
            ("customs", "1404", "period"),
            ("origin", "1404", "period"),
        ]
        # in English: two claims, the rial one not checkable and saying why
        page.click("#lang-switch")
        assert page.evaluate("document.documentElement.dir") == "ltr"
        page.fill("textarea[name=text]", text)
        page.fill("input[name=published]", "1405/09/10")
        page.click("#claims-check")
        page.locator("#claims-text mark.claim").nth(1).click()
        assert "exchange-rate table" in page.locator("#claim-1").inner_text()
        saved = _correct_and_save(page, live, {"first_month": "1", "last_month": "6"})
        rows = _download_register(page, saved)
        assert [(r["claim"], r["first_month"], r["last_month"], r["corrected"]) for r in rows] == [
            ("1", "1", "6", "period"),
            ("1", "1", "6", "period"),
            ("2", "1", "8", ""),
            ("2", "1", "8", ""),
        ]
        assert errors == []
