"""The program's forms work without JavaScript and htmx enhances them (issue 15's quality bar),
in a real browser (Debian's chromium, the run's shared server over the small demo): an agency
member's action form sent with script swaps the page's content in place (no page load: a mark
left on the window survives), the saved message takes the focus, the chart is drawn again and
the address is the saved page's; a refusal is swapped in the same way with its error beside
the field in the page's language, nothing written; with script off the same form posts and the
server answers with whole pages. (The long walks of test_browser_program.py send every other
program form, the KPI month's included, through htmx too.)"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page

from browsing import Watched, charts_drawn, sign_in
from exportplan.services import program
from exportplan.workspace import Workspace


def swapped(page: Page, click: str) -> None:
    """Click ``click`` and wait until htmx has swapped the page's <main> and settled."""
    page.evaluate(
        "() => { window.__settled = false; document.addEventListener('htmx:afterSettle',"
        " () => { window.__settled = true; }, {once: true}); }"
    )
    page.locator(click).first.click()
    page.wait_for_function("window.__settled === true")


def focused_text(page: Page) -> str:
    text: str = page.evaluate("document.activeElement.innerText || ''")
    return text


def test_the_forms_are_sent_in_place_with_script_and_as_pages_without(
    browser: Browser, server: str, small_demo: Workspace
) -> None:
    db = small_demo.program()
    pid = program.programs(db)[0]["id"]
    own = next(a for a in program.actions(db, pid) if a["agency"] == "IMT")
    # with script: htmx sends the form, the page stays (the mark survives), <main> is swapped
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(60_000)  # a loaded machine
    w = Watched(ctx.new_page())
    sign_in(w, server, "imt", "en")
    page = w.page
    page.goto(f"{server}/program?lang=en")
    assert page.locator("main[data-enhance=forms]").count() == 1
    assert page.locator(f"#action-{own['id']} form").get_attribute("hx-boost") == "true"
    page.evaluate("window.__mark = 'same page'")
    row = page.locator(f"#action-{own['id']}")
    row.locator("select[name=status]").select_option("in-progress")
    row.locator("input[name=progress]").fill("61")
    swapped(page, f"#action-{own['id']} button[type=submit]")
    assert page.evaluate("window.__mark") == "same page"  # no page load
    assert re.search(r"/program\?msg=saved", page.url), page.url
    assert focused_text(page) == "Saved."
    assert program.get_action(db, own["id"])["progress"] == 61
    state = charts_drawn(page)  # the KPI chart drawn again in the new content
    assert state["failed"] == 0 and state["drawn"] == state["total"] == 1
    # a refusal is swapped in too: the error beside the field, in Persian, nothing written
    page.goto(f"{server}/program?lang=fa")
    page.evaluate("window.__mark = 'same page'")
    row = page.locator(f"#action-{own['id']}")
    row.locator("input[name=progress]").fill("12.5")
    swapped(page, f"#action-{own['id']} button[type=submit]")
    assert page.evaluate("window.__mark") == "same page"
    error = page.locator("main .form-error, main .field-error").first
    assert error.is_visible() and re.search("[آ-ی]", error.inner_text()), error.inner_text()
    assert "12" in focused_text(page) or "۱۲" in focused_text(page)
    assert program.get_action(db, own["id"])["progress"] == 61
    # the console's only error: the browser's note of the refusal's 400; nothing left loopback
    assert len(w.errors) == 1 and "status of 400" in w.errors[0], w.errors
    assert w.foreign(server) == []
    ctx.close()
    # without script: the same form posts and the answer is a whole page
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    ctx.set_default_timeout(60_000)
    w = Watched(ctx.new_page())
    sign_in(w, server, "imt", "en")
    page = w.page
    page.goto(f"{server}/program?lang=en")
    row = page.locator(f"#action-{own['id']}")
    row.locator("input[name=progress]").fill("62")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert "/program?msg=saved" in page.url and page.locator("p.ok").inner_text() == "Saved."
    assert program.get_action(db, own["id"])["progress"] == 62
    row = page.locator(f"#action-{own['id']}")
    row.locator("input[name=progress]").fill("12.5")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert page.locator("main .form-error, main .field-error").first.is_visible()
    assert program.get_action(db, own["id"])["progress"] == 62
    ctx.close()
