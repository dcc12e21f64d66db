"""The pipeline board in a real browser (Debian's chromium, the shared fixtures of conftest.py):
in Persian a card's move opens the gate form listing the missing fields, a submit without them
is refused in Persian and changes nothing, filled in it moves the card; in English dragging a
card onto another stage opens the same form, which moves it once filled."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from browsing import Watched, demo_copy, serve, sign_in
from exportplan.domain import INVEST_STAGES
from exportplan.workspace import Workspace


@pytest.fixture(scope="module")
def server(small_demo: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over a copy of the demo: the moves written here must not change the shared
    demo that test_invest_demo.py reads (its dormant projects)."""
    with serve(demo_copy(small_demo, tmp_path_factory, "browser-invest")) as url:
        yield url


def cards(w: Watched, stage: str) -> list[str]:
    codes: list[str] = w.page.eval_on_selector_all(
        f"#stage-{stage} .card", "els => els.map(e => e.dataset.code)"
    )
    return codes


def test_the_board_and_its_gate_form_in_both_languages(watched: Watched, server: str) -> None:
    w = watched
    sign_in(w, server, lang="fa")
    w.page.goto(f"{server}/investment?lang=fa")
    assert w.page.get_attribute("html", "dir") == "rtl"
    first = cards(w, "qualified")[0]
    card = w.page.locator(f"#card-{first}")
    card.locator("select[name=to]").select_option("site_visit")
    card.locator("form.move button").click()
    form = w.page.locator("#gate-form")
    form.wait_for()
    assert "بازدید برنامه‌ریزی‌شده با تاریخ" in form.locator("ul.missing").inner_text()
    form.locator("button[type=submit]").click()  # without the field: refused, in Persian
    w.page.wait_for_selector("p.error")
    # the refusal is a 422 page, which the browser's console reports; that one is expected
    assert [e for e in w.errors if "422" in e] == [w.errors.pop()]
    assert "نمی‌تواند وارد مرحله «بازدید از محل» شود" in w.page.inner_text("p.error")
    w.page.goto(f"{server}/investment?lang=fa")
    assert first in cards(w, "qualified")  # nothing was written
    card.locator("select[name=to]").select_option("site_visit")
    card.locator("form.move button").click()
    form.wait_for()
    form.locator("input[name=site_visit_on]").fill("2026-11-20")
    form.locator("button[type=submit]").click()
    w.page.wait_for_url(f"{server}/investment?msg=moved*")
    assert first in cards(w, "site_visit") and first not in cards(w, "qualified")

    w.page.goto(f"{server}/investment?lang=en")
    assert w.page.get_attribute("html", "dir") == "ltr"
    second = cards(w, "qualified")[0]
    # a drag and drop as the browser sends it (one DataTransfer from dragstart to drop)
    data = w.page.evaluate_handle("() => new DataTransfer()")
    w.page.dispatch_event(f"#card-{second}", "dragstart", {"dataTransfer": data})
    w.page.dispatch_event("#stage-proposal", "dragover", {"dataTransfer": data})
    w.page.dispatch_event("#stage-proposal h2", "drop", {"dataTransfer": data})
    form.wait_for()
    assert form.get_attribute("action") == f"/investment/projects/{second}/move"
    missing = form.locator("ul.missing").inner_text()
    assert "site visit planned" in missing and "proposition" in missing
    assert "competitor locations" in missing
    form.locator("input[name=site_visit_on]").fill("2026-11-21")
    form.locator("input[name=proposition_deadline]").fill("2026-12-30")
    form.locator("input[name=competitor_locations]").fill("Kerman; TUR")
    form.locator("button[type=submit]").click()
    w.page.wait_for_url(f"{server}/investment?msg=moved*")
    assert second in cards(w, "proposal")
    w.page.goto(f"{server}/investment/projects/{second}?lang=en")
    assert w.page.inner_text("#project-stage") == "proposal"


def test_the_board_filters_and_an_event_follow_up_in_both_languages(
    watched: Watched, server: str
) -> None:
    w = watched
    sign_in(w, server, lang="fa")
    w.page.goto(f"{server}/investment?lang=fa")
    every = sum(len(cards(w, s)) for s in INVEST_STAGES)
    form = w.page.locator("#board-filters")
    form.locator("select[name=agency]").select_option("IMT")
    form.locator("select[name=likelihood]").select_option("high")
    form.locator("button[type=submit]").click()
    w.page.wait_for_url("**agency=IMT**")
    assert "likelihood=high" in w.page.url  # the filters are the URL's
    shown = [c for s in INVEST_STAGES for c in cards(w, s)]
    assert 0 < len(shown) < every
    assert "طرح از" in w.page.inner_text("#board-shown")  # "N of M projects", in Persian
    w.page.goto(f"{server}/investment.json?lang=en")  # every project, unfiltered
    rows = w.page.evaluate("() => JSON.parse(document.body.innerText).tables.projects.rows")
    want = sorted(r["code"] for r in rows if (r["agency"], r["likelihood"]) == ("IMT", "high"))
    assert sorted(shown) == want and len(rows) == every
    w.page.goto(f"{server}/investment?lang=fa&agency=IMT&likelihood=high")
    assert form.locator("select[name=agency]").input_value() == "IMT"  # kept on reload

    # the event page: a follow-up refused beside its field, in English, then saved
    w.page.goto(f"{server}/investment/events/MIM-1405-2?lang=en")
    before = w.page.inner_text("#share-followed-up")
    fu = w.page.locator("#follow-up-form")
    todo = w.page.eval_on_selector_all(
        "#f-follow-up-investor option", "els => els.map(e => e.value).filter(v => v)"
    )
    fu.locator("select[name=investor]").select_option(todo[0])
    fu.locator("select[name=kind]").select_option("call")
    fu.locator("input[name=on]").fill("2026-01-01")  # before the meeting
    fu.locator("button[type=submit]").click()
    w.page.wait_for_selector("#e-follow-up-on")
    assert [e for e in w.errors if "422" in e] == [w.errors.pop()]  # the refusal's 422
    assert "is before the event" in w.page.inner_text("#e-follow-up-on")
    assert w.page.locator("#f-follow-up-investor").input_value() == todo[0]  # kept as typed
    w.page.locator("#follow-up-form input[name=on]").fill("2026-09-03")
    w.page.locator("#follow-up-form button[type=submit]").click()
    w.page.wait_for_url("**msg=saved**")
    assert w.page.inner_text("p.ok") == "Saved."
    assert w.page.inner_text("#share-followed-up") != before
    # and in Persian, a refusal beside the day in Persian
    w.page.goto(f"{server}/investment/events/MIM-1405-2?lang=fa")
    w.page.locator("#follow-up-form select[name=investor]").select_option(todo[-1])
    w.page.locator("#follow-up-form input[name=on]").fill("2031-01-01")
    w.page.locator("#follow-up-form button[type=submit]").click()
    w.page.wait_for_selector("#e-follow-up-on")
    assert [e for e in w.errors if "422" in e] == [w.errors.pop()]
    assert "در آینده است" in w.page.inner_text("#e-follow-up-on")
