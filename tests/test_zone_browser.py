"""The zones' pages in a real browser (Debian's chromium, Playwright, a real server): one walk
through the flow in English and in Persian: the dashboard's plot map and backlog chart drawn
offline, the worklist, a plot, an application's scrutiny and decision, the report's link."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from browsing import Watched, charts_drawn, sign_in
from exportplan.services.zones.rules import sh_text


def test_zone_flow_in_both_languages(watched: Watched, server: str) -> None:
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


def test_zone_forms_in_both_languages(watched: Watched, server: str) -> None:
    """Persian: an inspection on a day that does not exist is refused beside its field, then
    recorded; a warning on an idle plot moves it to the worklist's next step. English: a plot
    reserved for an application until a day, seen in the plots that fit."""
    today = sh_text(dt.date.today())
    sign_in(watched, server, lang="fa")
    page = watched.page
    page.goto(f"{server}/zones/TLS/worklist?lang=fa")
    rows = page.locator("#table-worklist tbody tr")
    n_before = rows.count()
    work = page.request.get(f"{server}/zones/TLS/worklist.json").json()
    idle = next(r for r in work["tables"]["worklist"]["rows"] if r["last_notice"] is None)
    page.click(f"#table-worklist a[href='/zones/TLS/plots/{idle['plot']}']")
    page.fill("#f-inspection-on", "1405/07/31")
    page.select_option("#f-inspection-finding", "no_activity")
    page.click("#inspection-form button")
    err = page.locator("#e-inspection-on")
    expect(err).to_contain_text("ماه ۷ سال ۱۴۰۵ ۳۰ روز دارد")
    assert page.locator("#f-inspection-on").get_attribute("aria-invalid") == "true"
    assert page.locator("#f-inspection-on").input_value() == "1405/07/31"  # as typed
    before = page.request.get(f"{server}/zones/TLS/plots/{idle['plot']}.json").json()
    page.fill("#f-inspection-on", today)
    page.click("#inspection-form button")
    expect(page.locator("p.ok")).to_be_visible()
    after = page.request.get(f"{server}/zones/TLS/plots/{idle['plot']}.json").json()
    added = after["record"]["inspections"][len(before["record"]["inspections"]) :]
    assert [i["finding"] for i in added] == ["no_activity"]
    expect(page.locator("#table-inspections")).to_contain_text("بدون فعالیت")
    page.select_option("#f-notice-kind", "warning")
    page.fill("#f-notice-on", today)
    page.click("#notice-form button")
    expect(page.locator("#plot-status")).to_have_text("اخطار")
    page.goto(f"{server}/zones/TLS/worklist?lang=fa")
    row = page.locator(f"#table-worklist tbody tr:has(a[href='/zones/TLS/plots/{idle['plot']}'])")
    expect(row).to_contain_text("اخطار توضیح")  # the next step: a show-cause notice
    assert rows.count() == n_before
    # English: reserve a vacant plot that fits a waiting application, until a day
    page.goto(f"{server}/zones/TLS?lang=en")
    apps = page.request.get(f"{server}/zones/TLS.json").json()["tables"]["applications"]["rows"]
    ref, plot = next(
        (a["ref"], opts[0][0])
        for a in apps
        if a["status"] in ("submitted", "waitlisted")
        and (
            opts := page.request.get(f"{server}/zones/TLS/applications/{a['ref']}.json").json()[
                "reserve_options"
            ]
        )
    )
    page.goto(f"{server}/zones/TLS/applications/{ref}?lang=en")
    page.select_option("#f-reserve-plot", plot)
    page.fill("#f-reserve-on", today)
    page.fill("#f-reserve-until", "1405/12/30")
    page.click("#reserve-form button")
    expect(page.locator("#e-reserve-until")).to_contain_text("month 12 of 1405 has 29 days")
    page.fill("#f-reserve-until", sh_text(dt.date.today() + dt.timedelta(days=30)))
    page.click("#reserve-form button")
    expect(page.locator("p.ok")).to_be_visible()
    expect(page.locator("#application-status")).to_have_text("in scrutiny")
    fit = page.locator(f"#table-fitting_plots tbody tr:has(a[href='/zones/TLS/plots/{plot}'])")
    expect(fit).to_contain_text("reserved")
    refused = [e for e in watched.errors if "status of 400" in e]
    assert len(refused) == 2 and len(watched.errors) == 2, watched.errors
    watched.errors.clear()  # the two refusals are 400 pages, which the console reports
