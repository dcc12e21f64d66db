"""The program's workflows in a real browser (issue 15): Debian's chromium through Playwright
against ONE real server over a copy of the demo workspace, two long walks in both languages.
The secretary creates the year's program, makes a priority of an opportunity in one click,
sets a sub-target and overflows one (refused with the numbers), adds an action for an agency
(an impossible day refused first) and a KPI, records a change of head and downloads the
dossier of that day, and takes a workbook with one bad row through its preview, refusal, fix
and confirmation; the agency's member updates the action and records the KPI's value; the
viewer finds no form. The only console lines are the browser's notes of the refused forms'
4xx answers; no request leaves 127.0.0.1."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page

from browsing import Watched, demo_copy, serve, shot, sign_in
from exportplan.services import program
from exportplan.workspace import Workspace

YEAR = 1406


@pytest.fixture(scope="module")
def copy(small_demo: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return demo_copy(small_demo, tmp_path_factory, "browser-program")


@pytest.fixture(scope="module")
def server(copy: Workspace) -> Iterator[str]:
    """This module's own server, over its copy of the demo (the walks write to it); the
    browser is the run's shared one (conftest.py)."""
    with serve(copy) as url:
        yield url


def watched_page(browser: Browser) -> Watched:
    w = Watched(browser.new_context(viewport={"width": 1280, "height": 900}).new_page())
    w.page.set_default_timeout(60_000)  # a loaded machine builds the program page slowly
    return w


def refusals_only(w: Watched, server: str, expected: int) -> None:
    """The console held only the browser's notes of refused forms' 4xx answers (as many as
    were provoked), and no request left the server."""
    refused = [e for e in w.errors if re.search(r"status of 4(00|09|22) ", e)]
    assert [e for e in w.errors if e not in refused] == [] and len(refused) == expected, w.errors
    foreign = [
        u for u in w.urls if not u.startswith(server) and not u.startswith(("data:", "blob:"))
    ]
    assert foreign == [], foreign


def submit(page: Page, form: str, button: str = "button[type=submit]") -> None:
    """Send a form and wait for its answer: a page load, or, for a form htmx enhances
    (assets/js/forms.js), the swap of the page's content settled."""
    target = page.locator(f"{form} {button}").first
    if target.evaluate("b => !!b.closest('form[hx-boost]')"):
        page.evaluate(
            "() => { window.__settled = false; document.addEventListener('htmx:afterSettle',"
            " () => { window.__settled = true; }, {once: true}); }"
        )
        target.click()
        page.wait_for_function("window.__settled === true")
    else:
        with page.expect_navigation():
            target.click()


def test_the_secretary_takes_a_program_from_nothing_to_allocated(
    browser: Browser, server: str, copy: Workspace, tmp_path: Path
) -> None:
    db = copy.program()
    w = watched_page(browser)
    page = w.page
    sign_in(w, server, "secretary", "fa")
    # the year's program, in Persian (Persian digits accepted)
    page.goto(f"{server}/program?lang=fa")
    page.click("#program-create summary")
    page.fill("#f-create-year", "۱۴۰۶")
    page.fill("#f-create-target", "2000000000")
    submit(page, "#program-create")
    assert f"year={YEAR}" in page.url and page.locator("p.ok").count() == 1
    pid = next(p["id"] for p in program.programs(db) if p["sh_year"] == YEAR)
    # a priority from an opportunity, in one click; its reason shown in Persian
    page.goto(f"{server}/opportunities?lang=fa&product=0808")
    button = page.locator("#add-priority button").first
    market = button.get_attribute("data-market")
    with page.expect_navigation():
        button.click()
    pr = program.priorities(db, pid)
    assert [(p["code"], p["markets"]) for p in pr] == [("P1", [market])]
    row = page.locator("#table-priorities tbody tr").first
    assert (
        re.search("[آ-ی]", row.inner_text())
        and pr[0]["opportunity"]["reason_fa"] in row.inner_text()
    )
    # a sub-target, then one that would overflow the total: refused with the numbers
    page.click("#target-set summary")
    page.fill("#f-target-code", "P1")
    page.fill("#f-target-value", "800000000")
    page.select_option("#f-target-priority", "P1")
    submit(page, "#target-set")
    page.click("#target-set summary")
    page.fill("#f-target-code", "P2")
    page.fill("#f-target-value", "1500000000")
    submit(page, "#target-set")
    error = page.locator("#e-target-value")
    assert error.is_visible()
    assert (
        "۱٬۵۰۰٬۰۰۰٬۰۰۰" in error.inner_text() and "تخصیص‌نیافته: ۱٬۲۰۰٬۰۰۰٬۰۰۰" in error.inner_text()
    )
    assert page.locator("#f-target-value").get_attribute("aria-invalid") == "true"
    assert page.locator("#f-target-value").input_value() == "1500000000"  # kept as typed
    tree = program.target_tree(db, pid)
    assert [(c["code"], c["value_usd"]) for c in tree["children"]] == [("P1", 8e8)]
    shot(page, "program-refused-fa")
    # an action for an agency: an impossible day refused beside the field, then saved
    page.click("#action-add summary")
    page.select_option("#f-action-agency", "IMT")
    page.select_option("#f-action-priority", "P1")
    page.fill("#f-action-title", "Baghdad fair")
    page.fill("#f-action-start", "1405/12/01")
    page.fill("#f-action-deadline", "1405/12/30")
    submit(page, "#action-add")
    assert "وجود ندارد" in page.locator("#e-action-deadline").inner_text()
    page.fill("#f-action-deadline", "1406/03/31")
    submit(page, "#action-add")
    action = program.actions(db, pid)[0]
    assert (action["agency"], action["title"], action["deadline_sh"]) == (
        "IMT",
        "Baghdad fair",
        "1406/03/31",
    )
    # a KPI entered by hand for the agency, in English
    page.goto(f"{server}/program?lang=en")
    page.click("#kpi-add summary")
    page.fill("#f-kpi-code", "K1")
    page.select_option("#f-kpi-agency", "IMT")
    page.fill("#f-kpi-name", "contracts signed")
    page.select_option("#f-kpi-source", "manual")
    page.fill("#f-kpi-unit", "contracts")
    submit(page, "#kpi-add")
    assert [k["code"] for k in program.kpis(db, pid)] == ["K1"]
    # a change of head, and the handover dossier for that day one click away
    page.click("#head-change summary")
    page.select_option("#f-head-agency", "IMT")
    page.fill("#f-head-name", "S. Ahmadi")
    page.fill("#f-head-start", "1405/09/01")
    submit(page, "#head-change")
    link = page.locator("#head-changed a")
    assert "2026-11-22" in (link.get_attribute("href") or "")
    with page.expect_download() as dl:
        link.click()
    pdf = Path(dl.value.path())
    assert pdf.read_bytes().startswith(b"%PDF")
    assert [t["end"] for t in program.terms(db, "IMT")][-2:] == ["2026-11-21", None]
    # the workbook: downloaded, one bad row refused in the preview, fixed, confirmed
    with page.expect_download() as dl:
        page.click("#workbook a")
    downloaded = tmp_path / "downloaded.xlsx"
    dl.value.save_as(downloaded)
    wb = load_workbook(downloaded)
    sheet = wb["actions"]
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index("title") + 1, "Baghdad fair (two days)")
    sheet.cell(2, header.index("deadline") + 1, "1406/02/31x")
    bad = tmp_path / "plan.xlsx"
    wb.save(bad)
    page.set_input_files("#f-workbook-file", str(bad))
    submit(page, "#workbook")
    assert page.locator("#import-refused").is_visible()
    assert page.locator("#table-problems tbody tr").count() == 1
    cells = page.locator("#table-problems tbody tr td").all_inner_texts()
    assert cells[:3] == ["actions", "2", "deadline"], cells
    assert page.locator("#import-confirm").count() == 0
    assert program.actions(db, pid)[0]["title"] == "Baghdad fair"  # nothing written
    sheet.cell(2, header.index("deadline") + 1, "1406/03/31")
    wb.save(bad)
    page.set_input_files("#f-workbook-file", str(bad))
    submit(page, "form[enctype]")
    assert "Baghdad fair (two days)" in page.locator("#table-changes").inner_text()
    shot(page, "program-import-en")
    submit(page, "#import-confirm")
    assert page.url.endswith("/program?msg=imported") and page.locator("p.ok").count() == 1
    assert program.actions(db, pid)[0]["title"] == "Baghdad fair (two days)"
    page.goto(f"{server}/program?lang=en")
    page.click("#target-set summary")
    shot(page, "program-edit-en")
    refusals_only(w, server, expected=3)  # the sub-target, the day, the workbook
    page.context.close()


def test_the_member_updates_their_action_and_the_viewer_finds_no_form(
    browser: Browser, server: str, copy: Workspace
) -> None:
    db = copy.program()
    pid = next(p["id"] for p in program.programs(db) if p["sh_year"] == YEAR)
    action = program.actions(db, pid)[0]
    w = watched_page(browser)
    page = w.page
    sign_in(w, server, "imt", "en")
    page.goto(f"{server}/program?lang=en")
    mine = page.locator("#mine")
    assert "Baghdad fair (two days)" in mine.inner_text()
    mine.locator(f"a[href='/program/actions/{action['id']}']").click()
    page.wait_for_url(f"**/program/actions/{action['id']}")
    page.select_option("#f-action-edit-status", "in-progress")
    page.fill("#f-action-edit-progress", "40")
    page.fill("#f-action-edit-note", "booth booked")
    assert page.locator("#f-action-edit-agency").count() == 0  # a member cannot give it away
    submit(page, "#action-edit")
    assert (
        page.locator("p.ok").count() == 1
        and "booth booked" in page.locator("#action-notes").inner_text()
    )
    after = program.get_action(db, action["id"])
    assert (after["status"], after["progress"], after["notes"][-1]["author"]) == (
        "in-progress",
        40,
        "imt",
    )
    # the KPI's value for a month, in Persian
    page.goto(f"{server}/program?lang=fa")
    kpi = page.locator("#kpi-K1")
    kpi.locator("input[name=period]").fill("۱۴۰۶-۰۱")
    kpi.locator("input[name=value]").fill("۳")
    submit(page, "#kpi-K1", ".measure-new button")
    k1 = next(k for k in program.kpis(db, pid) if k["code"] == "K1")
    assert [(m["period"], m["value"]) for m in k1["measurements"]] == [("1406-01", 3.0)]
    shot(page, "program-member-fa")
    refusals_only(w, server, expected=0)
    page.context.close()
    # the viewer reads everything, notes and evidence included, and finds no form
    v = watched_page(browser)
    sign_in(v, server, "viewer", "fa")
    for url in ("/program", f"/program/actions/{action['id']}", "/opportunities?product=0808"):
        v.page.goto(f"{server}{url}")
        actions = v.page.eval_on_selector_all(
            "form[method=post]", "fs => fs.map(f => f.getAttribute('action'))"
        )
        assert actions == ["/logout"], (url, actions)
    v.page.goto(f"{server}/program/actions/{action['id']}")
    assert "booth booked" in v.page.locator("#action-notes").inner_text()
    refusals_only(v, server, expected=0)
    v.page.context.close()
