"""The curator's flow in a real browser (Debian's chromium through Playwright, one real server
over a copy of the demo workspace), one walk in English then Persian: the registry searched
(Arabic letters finding Persian text), a firm's certificates and vendor lists, a demand list:
one candidate shortlisted, one rejected with its reason, the shortlist sent to the buyer, an
introduction with its expiry, and a gap added to the program from the gap report. No console
error and no request leaving 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from browsing import Watched, demo_copy, serve, sign_in
from exportplan.auth import Actor
from exportplan.services import program
from exportplan.services.plan_of_record import choose_program
from exportplan.services.suppliers import curation, matching
from exportplan.workspace import Workspace


@pytest.fixture(scope="module")
def copy(small_demo: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return demo_copy(small_demo, tmp_path_factory, "browser-suppliers")


@pytest.fixture(scope="module")
def server(copy: Workspace) -> Iterator[str]:
    with serve(copy) as url:
        yield url


def submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.locator(button).first.click()


def test_the_curators_walk_in_both_languages(
    browser: Browser, server: str, copy: Workspace
) -> None:
    db = copy.program()
    w = Watched(browser.new_context(viewport={"width": 1280, "height": 900}).new_page())
    page = w.page
    page.set_default_timeout(60_000)
    sign_in(w, server, "secretary", "en")
    # the registry: a search in Arabic letters finds the firms written in Persian
    page.goto(f"{server}/suppliers?lang=en")
    page.fill("form[action='/suppliers'] input[name=q]", "شير")
    submit(page, "form[action='/suppliers'] button")
    arabic = page.locator("#table-firms tbody tr").count()
    page.fill("form[action='/suppliers'] input[name=q]", "شیر")
    submit(page, "form[action='/suppliers'] button")
    assert page.locator("#table-firms tbody tr").count() == arabic > 0
    firm = page.locator("#table-firms tbody tr td a").first.inner_text()
    submit(page, f"a[href='/suppliers/firm/{firm}']")
    expect(page.locator("h1")).to_contain_text(firm)
    statuses = set(page.locator("#table-certificates tbody td").all_inner_texts())
    assert statuses & {"valid", "expiring", "expired", "unverified"}
    # a demand list: shortlist one candidate, reject another with a reason, send, introduce
    page.goto(f"{server}/demand/NIOC?lang=en")
    stored = curation.matches(db, Actor("t", "viewer"), buyer="NIOC")
    by_item: dict[str, list[dict[str, Any]]] = {}
    for m in stored:
        by_item.setdefault(str(m["item_id"]), []).append(m)
    item, ms = next(
        (i, x)
        for i, x in by_item.items()
        if len(x) >= 2 and all(m["state"] == "proposed" for m in x)
    )
    first, second = ms[0], ms[1]
    submit(page, f"#match-{first['match_id']} button.shortlist")
    expect(page.locator("p.ok")).to_be_visible()
    expect(page.locator(f"#match-{first['match_id']} td.state")).to_have_text("shortlisted")
    row = page.locator(f"#match-{second['match_id']}")
    row.locator("select[name=reason]").select_option("not_capable")
    submit(page, f"#match-{second['match_id']} button.reject")
    expect(page.locator(f"#match-{second['match_id']} td.state")).to_have_text("rejected")
    submit(page, "#send")
    expect(page.locator(f"#match-{first['match_id']} td.state")).to_have_text("sent_to_buyer")
    labels = {
        (x["item_id"], x["firm_id"]): x["label"]
        for x in matching.labels(db, Actor("t", "viewer"), buyer="NIOC")
    }
    assert labels[(item, first["firm_id"])] == "relevant"
    assert labels[(item, second["firm_id"])] == "not_relevant"
    submit(page, f"#match-{first['match_id']} button.introduce")
    assert page.url.startswith(f"{server}/introductions")
    rows = page.locator("#table-introductions tbody tr")
    assert any(str(first["firm_id"]) in r for r in rows.all_inner_texts())
    # the gap report: a gap added to the program in one click
    page.goto(f"{server}/gaps?lang=en")
    total = page.locator("p.period").inner_text()
    assert "USD" in total
    chosen = choose_program(db, region=copy.home_region).program
    assert chosen is not None
    before = {p["code"] for p in program.priorities(db, chosen.id)}
    form = (
        page.locator("form[action='/gaps/priority']")
        .filter(has=page.locator("input[type=hidden][name=market]"))
        .first
    )
    gap_item = form.locator("input[name=item_id]").get_attribute("value")
    with page.expect_navigation():
        form.locator("button.to-program").click()
    assert "/program" in page.url
    added = [p for p in program.priorities(db, chosen.id) if p["code"] not in before]
    assert len(added) == 1 and added[0]["opportunity"]["item_id"] == gap_item
    assert added[0]["markets"] == [copy.home_country]
    # the same pages in Persian: right to left, Persian words, the reason kept in Persian
    page.goto(f"{server}/program?lang=fa&year={chosen.sh_year}")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    expect(page.locator("#table-priorities")).to_contain_text("تقاضایی که هیچ بنگاه محلی")
    page.goto(f"{server}/demand/NIOC?lang=fa")
    expect(page.locator(f"#match-{second['match_id']} td.state")).not_to_have_text("rejected")
    assert "کنار گذاشته به این دلیل" in page.content()
    page.goto(f"{server}/gaps?lang=fa")
    assert page.locator("button.to-program").first.inner_text() == "افزودن به برنامه"
    page.goto(f"{server}/introductions?lang=fa")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert w.errors == [], w.errors
    foreign = [
        u for u in w.urls if not u.startswith(server) and not u.startswith(("data:", "blob:"))
    ]
    assert foreign == [], foreign
