"""The zones' pages in a real browser (Debian's chromium, Playwright, a real server): one walk
through the flow in English and in Persian: the dashboard's plot map and backlog chart drawn
offline, the worklist, a plot, an application's scrutiny and decision, the report's link."""

from __future__ import annotations

from playwright.sync_api import expect

from test_browser import Watched, browser, charts_drawn, server, sign_in, watched  # noqa: F401


def test_zone_flow_in_both_languages(watched: Watched, server: str) -> None:  # noqa: F811
    sign_in(watched, server, lang="en")
    page = watched.page
    page.click("nav a[data-page=zones]")
    page.click("a[href='/zones/TLS']")
    state = charts_drawn(page)
    assert state["failed"] == 0 and state["drawn"] == state["total"] == 2
    plots = page.locator("#chart-map svg .mark-shape path")
    assert plots.count() >= 120  # every plot drawn (and the zone's boundary)
    fills = set(
        page.eval_on_selector_all(
            "#chart-map svg .mark-shape path", "els => els.map(e => e.getAttribute('fill'))"
        )
    )
    assert {"#27ae60", "#d5d8dc", "#5dade2"} <= fills  # operating, vacant, contracted
    assert page.locator("#chart-backlog svg .mark-line path").count() >= 1
    # the worklist: each idle plot with its next step and deadline
    page.click("a[href='/zones/TLS/worklist']")
    rows = page.locator("#table-worklist tbody tr")
    assert rows.count() >= 1
    first = rows.first.locator("td").first.inner_text()
    rows.first.locator("a").first.click()
    expect(page.locator("h1")).to_contain_text(first)
    assert page.locator("#contract").count() == 1
    # an application waiting: the checklist, then the decision on a plot that fits
    twin = page.request.get(f"{server}/zones/TLS.json").json()
    ref = next(
        a["ref"] for a in twin["tables"]["applications"]["rows"] if a["status"] == "submitted"
    )
    page.goto(f"{server}/zones/TLS/applications/{ref}?lang=en")
    page.select_option("select[name=documents_complete]", "yes")
    page.click("form.scrutiny button")
    expect(page.locator("p.ok")).to_be_visible()
    assert page.locator("tr[data-item=documents_complete]").get_attribute("class") == "passed"
    fit = page.locator("#table-fitting_plots tbody tr td a").first.inner_text()
    page.select_option("form.decide select[name=decision]", "allot")
    page.select_option("form.decide select[name=plot]", fit)
    page.click("form.decide button")
    expect(page.locator("#application-status")).to_have_text("allotted")
    # the same in Persian: right to left, Persian words and digits, the map drawn
    page.goto(f"{server}/zones/TLS?lang=fa")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    expect(page.locator("h1")).to_contain_text("شهرک تخصصی چرم و کفش تبریز")
    state = charts_drawn(page)
    assert state["failed"] == 0 and state["drawn"] == 2
    cards = page.locator(".card .value").all_inner_texts()
    assert any(any("۰" <= ch <= "۹" for ch in c) for c in cards)
    assert page.locator("#zone-report").get_attribute("href") == "/zones/TLS/report.pdf"
    page.goto(f"{server}/zones/TLS/worklist?lang=fa")
    expect(page.locator("h1")).to_contain_text("فهرست کار قطعه‌های راکد")
    # the monthly report's link is on the dashboard (its PDF is checked in test_zone_web.py)
