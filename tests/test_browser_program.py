"""The program's workflows in a real browser (issue 15): Debian's chromium through Playwright
against ONE real server over a copy of the demo workspace. The secretary takes a year that has
no program to a complete one (the issue's "Done when"): creates the year's program, makes a
priority of an opportunity in one click and one by hand through the fields' type-ahead lists,
sets a sub-target and overflows one (refused with the numbers), allocates the rest, adds an
action for an agency (an impossible day refused first) and a KPI, records a change of head and
downloads the dossier of that day, and takes a workbook with one bad row through its preview,
refusal, fix and confirmation; the agency's member updates the action and records the KPI's
value; the viewer finds no form. Each walk runs twice, the languages swapped (1406: the
secretary's first half in Persian and the second in English, the member's action in English
and the KPI in Persian, the viewer in Persian; 1407 the other way round), so every flow is
walked in both languages. Two sessions then meet a stale sub-target, with script and without.
The only console lines are the browser's notes of the refused forms' 4xx answers; no request
leaves 127.0.0.1."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page

from browsing import Watched, demo_copy, serve, shot, sign_in
from exportplan.reference.text import to_persian_digits
from exportplan.services import program
from exportplan.services.program import workbook
from exportplan.workspace import Workspace

#: the two walks: the year each builds, the language of its first and second half
WALKS = {1406: ("fa", "en"), 1407: ("en", "fa")}


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
        page.evaluate(  # the page's <main> swapped, not a field's type-ahead list
            "() => { window.__settled = false; document.addEventListener('htmx:afterSettle',"
            " (e) => { if (e.detail.target && e.detail.target.tagName === 'MAIN') {"
            " window.__settled = true; } }); }"
        )
        target.click()
        page.wait_for_function("window.__settled === true")
    else:
        with page.expect_navigation():
            target.click()


def said(lang: str, fa: str, en: str) -> str:
    return fa if lang == "fa" else en


def num(value: str, lang: str) -> str:
    """A number as the page writes it (Persian digits and separator in Persian)."""
    return to_persian_digits(value.replace(",", "٬")) if lang == "fa" else value


def type_ahead(page: Page, field: str, typed: str, wanted: str) -> None:
    """Type ``typed`` into a field and wait for its list (htmx's swap of its <datalist>) to
    offer ``wanted``; then take that option, as choosing it in the list does."""
    page.fill(field, "")
    page.locator(field).press_sequentially(typed, delay=20)
    dl = page.locator(field).get_attribute("list")
    page.wait_for_function(
        "([id, v]) => [...document.getElementById(id).options].some(o => o.value === v)",
        arg=[dl, wanted],
    )
    page.fill(field, wanted)


@pytest.mark.parametrize("year", list(WALKS))
def test_the_secretary_takes_a_year_from_no_program_to_a_complete_one(
    browser: Browser, server: str, copy: Workspace, tmp_path: Path, year: int
) -> None:
    first, second = WALKS[year]
    db = copy.program()
    assert year not in [p["sh_year"] for p in program.programs(db)]  # no program yet
    w = watched_page(browser)
    page = w.page
    sign_in(w, server, "secretary", first)
    # the year's program (Persian digits accepted)
    page.goto(f"{server}/program?lang={first}")
    page.click("#program-create summary")
    page.fill("#f-create-year", num(str(year), first))
    page.fill("#f-create-target", "2000000000")
    submit(page, "#program-create")
    assert f"year={year}" in page.url and page.locator("p.ok").count() == 1
    pid = next(p["id"] for p in program.programs(db) if p["sh_year"] == year)
    # a priority from an opportunity, in one click; its reason shown in the page's language
    page.goto(f"{server}/opportunities?lang={first}&product=0808")
    button = page.locator("#add-priority button").first
    market = button.get_attribute("data-market")
    with page.expect_navigation():
        button.click()
    pr = program.priorities(db, pid)
    assert [(p["code"], p["markets"]) for p in pr] == [("P1", [market])]
    row = page.locator("#table-priorities tbody tr").first
    reason = pr[0]["opportunity"]["reason_fa"] if first == "fa" else pr[0]["reason"]
    assert reason and reason in row.inner_text()
    assert bool(re.search("[آ-ی]", row.inner_text())) == (first == "fa")
    # a priority by hand: the product and the market found by name in the fields' lists
    page.goto(f"{server}/program?year={year}&lang={first}")
    page.click("#priority-add summary")
    page.fill("#f-priority-code", "P2")
    type_ahead(page, "#f-priority-hs", said(first, "زردآلو", "apricots"), "0809")
    type_ahead(page, "#f-priority-markets", said(first, "تركيه", "Turk"), "TUR")
    submit(page, "#priority-add")
    p2 = next(p for p in program.priorities(db, pid) if p["code"] == "P2")
    assert (p2["hs_codes"], p2["markets"]) == (["0809"], ["TUR"])
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
    text = error.inner_text()
    assert num("1,500,000,000", first) in text
    assert said(first, "تخصیص‌نیافته: ", "unallocated: USD ") + num("1,200,000,000", first) in text
    assert page.locator("#f-target-value").get_attribute("aria-invalid") == "true"
    assert page.locator("#f-target-value").input_value() == "1500000000"  # kept as typed
    tree = program.target_tree(db, pid)
    assert [(c["code"], c["value_usd"]) for c in tree["children"]] == [("P1", 8e8)]
    shot(page, f"program-refused-{first}")
    # the rest allocated: nothing left unallocated under the total
    page.fill("#f-target-value", "1200000000")
    page.select_option("#f-target-priority", "P2")
    submit(page, "#target-set")
    tree = program.target_tree(db, pid)
    assert [(c["code"], c["value_usd"]) for c in tree["children"]] == [("P1", 8e8), ("P2", 1.2e9)]
    assert tree["unallocated_usd"] == 0
    # an action for an agency: an impossible day refused beside the field, then saved
    page.click("#action-add summary")
    page.select_option("#f-action-agency", "IMT")
    page.select_option("#f-action-priority", "P1")
    page.fill("#f-action-title", "Baghdad fair")
    page.fill("#f-action-start", "1405/12/01")
    page.fill("#f-action-deadline", "1405/12/30")
    submit(page, "#action-add")
    refused = page.locator("#e-action-deadline").inner_text()
    assert said(first, "وجود ندارد", "does not exist in the Solar Hijri calendar") in refused
    page.fill("#f-action-deadline", "1406/03/31")
    submit(page, "#action-add")
    action = program.actions(db, pid)[0]
    assert (action["agency"], action["title"], action["deadline_sh"]) == (
        "IMT",
        "Baghdad fair",
        "1406/03/31",
    )
    # the second half in the other language: a KPI entered by hand for the agency
    page.goto(f"{server}/program?year={year}&lang={second}")
    page.click("#kpi-add summary")
    page.fill("#f-kpi-code", "K1")
    page.select_option("#f-kpi-agency", "IMT")
    page.fill("#f-kpi-name", "contracts signed")
    page.select_option("#f-kpi-source", "manual")
    page.fill("#f-kpi-unit", "contracts")
    submit(page, "#kpi-add")
    assert [k["code"] for k in program.kpis(db, pid)] == ["K1"]
    # a change of head, and the handover dossier for that day one click away
    agency = "IMT" if year == 1406 else "CUS"
    page.click("#head-change summary")
    page.select_option("#f-head-agency", agency)
    page.fill("#f-head-name", "S. Ahmadi")
    page.fill("#f-head-start", num("1405/09/01", second))
    submit(page, "#head-change")
    link = page.locator("#head-changed a")
    assert "2026-11-22" in (link.get_attribute("href") or "")
    assert bool(re.search("[آ-ی]", page.inner_text("#head-changed"))) == (second == "fa")
    with page.expect_download() as dl:
        link.click()
    pdf = Path(dl.value.path())
    assert pdf.read_bytes().startswith(b"%PDF")
    assert [t["end"] for t in program.terms(db, agency)][-2:] == ["2026-11-21", None]
    # the workbook: downloaded, one bad row refused in the preview, fixed, confirmed
    with page.expect_download() as dl:
        page.click("#workbook a")
    downloaded = tmp_path / "downloaded.xlsx"
    dl.value.save_as(downloaded)
    wb = load_workbook(downloaded)
    sheet = wb[workbook.sheet_label("actions", second)]  # the tab in the page's language
    assert [c.value for c in sheet[1]][:4] == [
        workbook.column_label("actions", c, second) for c in ("code", "agency", "priority", "title")
    ]
    header = [c.value for c in sheet[2]]  # the machine names' row; the data from row 3
    sheet.cell(3, header.index("title") + 1, "Baghdad fair (two days)")
    sheet.cell(3, header.index("deadline") + 1, "1406/02/31x")
    bad = tmp_path / "plan.xlsx"
    wb.save(bad)
    page.set_input_files("#f-workbook-file", str(bad))
    submit(page, "#workbook")
    assert page.locator("#import-refused").is_visible()
    assert page.locator("#table-problems tbody tr").count() == 1
    cells = page.locator("#table-problems tbody tr td").all_inner_texts()
    assert cells[:3] == [
        workbook.sheet_label("actions", second),
        num("3", second),
        workbook.column_label("actions", "deadline", second),
    ], cells
    assert page.locator("#import-confirm").count() == 0
    assert program.actions(db, pid)[0]["title"] == "Baghdad fair"  # nothing written
    sheet.cell(3, header.index("deadline") + 1, "1406/03/31")
    wb.save(bad)
    page.set_input_files("#f-workbook-file", str(bad))
    submit(page, "form[enctype]")
    assert "Baghdad fair (two days)" in page.locator("#table-changes").inner_text()
    shot(page, f"program-import-{second}")
    submit(page, "#import-confirm")
    assert page.url.endswith("/program?msg=imported") and page.locator("p.ok").count() == 1
    assert program.actions(db, pid)[0]["title"] == "Baghdad fair (two days)"
    # the program is complete: allocated, with priorities, an action, a KPI and a new head
    view = program.show(db, pid)
    assert view["targets"]["unallocated_usd"] == 0 and len(view["priorities"]) == 2
    assert len(view["actions"]) == 1 and [k["code"] for k in view["kpis"]] == ["K1"]
    page.goto(f"{server}/program?year={year}&lang={second}")
    page.click("#target-set summary")
    shot(page, f"program-edit-{second}")
    # the audit log names what each change touched in the page's language, not machine names
    page.goto(f"{server}/program/audit?lang={second}&what=action")
    changes = page.locator("#table-audit tbody").inner_text()
    assert "Baghdad fair (two days)" in changes
    assert said(second, "عنوان", "title") in changes and "deadline_sh" not in changes
    shot(page, f"program-audit-{second}")
    refusals_only(w, server, expected=3)  # the sub-target, the day, the workbook
    page.context.close()


@pytest.mark.parametrize("year", list(WALKS))
def test_the_member_updates_their_action_and_the_viewer_finds_no_form(
    browser: Browser, server: str, copy: Workspace, year: int
) -> None:
    first, second = WALKS[year]
    db = copy.program()
    pid = next(p["id"] for p in program.programs(db) if p["sh_year"] == year)
    action = program.actions(db, pid)[0]
    w = watched_page(browser)
    page = w.page
    sign_in(w, server, "imt", second)
    page.goto(f"{server}/program?year={year}&lang={second}")
    mine = page.locator("#mine")
    assert "Baghdad fair (two days)" in mine.inner_text()
    mine.locator(f"a[href='/program/actions/{action['id']}']").click()
    page.wait_for_url(f"**/program/actions/{action['id']}")
    page.select_option("#f-action-edit-status", "in-progress")
    page.fill("#f-action-edit-progress", num("40", second))
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
    # the KPI's value for a month, in the other language
    page.goto(f"{server}/program?year={year}&lang={first}")
    kpi = page.locator("#kpi-K1")
    kpi.locator("input[name=period]").fill(num(f"{year}-01", first))
    kpi.locator("input[name=value]").fill(num("3", first))
    submit(page, "#kpi-K1", ".measure-new button")
    k1 = next(k for k in program.kpis(db, pid) if k["code"] == "K1")
    assert [(m["period"], m["value"]) for m in k1["measurements"]] == [(f"{year}-01", 3.0)]
    shot(page, f"program-member-{first}")
    refusals_only(w, server, expected=0)
    page.context.close()
    # the viewer reads everything, notes and evidence included, and finds no form
    v = watched_page(browser)
    sign_in(v, server, "viewer", first)
    for url in (
        f"/program?year={year}",
        f"/program/actions/{action['id']}",
        "/opportunities?product=0808",
    ):
        v.page.goto(f"{server}{url}")
        actions = v.page.eval_on_selector_all(
            "form[method=post]", "fs => fs.map(f => f.getAttribute('action'))"
        )
        assert actions == ["/logout"], (url, actions)
    v.page.goto(f"{server}/program/actions/{action['id']}")
    assert "booth booked" in v.page.locator("#action-notes").inner_text()
    refusals_only(v, server, expected=0)
    v.page.context.close()


def test_two_sessions_meet_a_stale_sub_target_with_script_and_without(
    browser: Browser, server: str, copy: Workspace
) -> None:
    """The secretary (Persian, script on) and the administrator (English, script off) both
    have 1406's target form open; each one's change of P1 after the other's answers with P1's
    value saved now and the changed field marked, in the page's language, in place (htmx) or
    as a whole page; sent again as it came back, it is saved."""
    db = copy.program()
    pid = next(p["id"] for p in program.programs(db) if p["sh_year"] == 1406)
    a = watched_page(browser)
    sign_in(a, server, "secretary", "fa")
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    ctx.set_default_timeout(60_000)
    b = Watched(ctx.new_page())
    sign_in(b, server, "admin", "en")
    for w in (a, b):
        w.page.goto(f"{server}/program?year=1406")
        w.page.click("#target-set summary")
        w.page.fill("#f-target-code", "P1")
    assert b.page.locator("#dl-markets option[value=TUR]").count() == 1  # the list, no script
    b.page.fill("#f-target-value", "750000000")
    with b.page.expect_navigation():
        b.page.click("#target-set button[type=submit]")
    assert b.page.locator("p.ok").count() == 1
    a.page.fill("#f-target-value", "700000000")
    submit(a.page, "#target-set")  # in place: htmx swaps the 409's page in
    stale = a.page.locator("main .stale")
    assert stale.is_visible() and "فرم مقادیر ذخیره‌شده کنونی" in a.page.inner_text("main")
    changed = stale.locator("li.changed").all_inner_texts()
    assert changed == ["مقدار: 750000000 (آنچه نوشتید: 700000000)"], changed
    assert a.page.locator("#f-target-value").input_value() == "700000000"
    assert program.target_tree(db, pid)["children"][0]["value_usd"] == 7.5e8
    submit(a.page, "#target-set")  # sent again from the page it got back: saved
    assert a.page.locator("p.ok").count() == 1
    assert program.target_tree(db, pid)["children"][0]["value_usd"] == 7e8
    # the administrator's page is stale now: a whole page answers, in English
    b.page.click("#target-set summary")  # the page its save answered, read before A's save
    b.page.fill("#f-target-code", "P1")
    b.page.fill("#f-target-value", "600000000")
    with b.page.expect_navigation():
        b.page.click("#target-set button[type=submit]")
    changed = b.page.locator("main .stale li.changed").all_inner_texts()
    assert changed == ["value: 700000000 (you typed: 600000000)"], changed
    assert program.target_tree(db, pid)["children"][0]["value_usd"] == 7e8
    refusals_only(a, server, expected=1)
    assert b.foreign(server) == []
    a.page.context.close()
    ctx.close()
