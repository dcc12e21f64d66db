"""The web pages in a real browser: Debian's chromium driven by Playwright
(``executable_path=/usr/bin/chromium``; no ``playwright install``), against a real server on
127.0.0.1 (one per test run: the ``server`` and ``browser`` fixtures of conftest.py, helpers in
browsing.py). Set EXPORTPLAN_SCREENSHOTS=docs/screenshots to refresh the README's screenshots."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from browsing import Watched, charts_drawn, shot, sign_in
from exportplan.services import program
from exportplan.workspace import Workspace


def test_the_persian_dashboard_is_right_to_left_and_every_chart_is_drawn(
    watched: Watched, server: str
) -> None:
    sign_in(watched, server)
    page = watched.page
    page.goto(f"{server}/dashboard?lang=fa")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # the font is the vendored Vazirmatn
    assert page.evaluate("document.fonts.check('16px Vazirmatn')")
    state = charts_drawn(page)
    assert state["failed"] == 0 and state["drawn"] == state["total"] == 2
    for name in ("cumulative", "drivers"):
        marks = page.locator(
            f"#chart-{name} svg .mark-line path, #chart-{name} svg .mark-rect path, "
            f"#chart-{name} svg .mark-symbol path"
        )
        assert marks.count() > 3, name
        # charts inside an RTL page are laid out left to right
        assert (
            page.evaluate(f"getComputedStyle(document.getElementById('chart-{name}')).direction")
            == "ltr"
        )
    cards = page.locator(".card .value").all_inner_texts()
    assert any(any("۰" <= ch <= "۹" for ch in c) for c in cards)  # Persian digits on screen
    shot(page, "dashboard-fa")


def test_the_map_shows_data(watched: Watched, server: str) -> None:
    sign_in(watched, server)
    page = watched.page
    page.goto(f"{server}/monitor?lang=fa&by=partner")
    state = charts_drawn(page)
    assert state["failed"] == 0 and state["drawn"] == 5  # drivers, series, map, treemap, product
    fills = page.eval_on_selector_all(
        "#chart-map svg path", "els => els.map(e => e.getAttribute('fill'))"
    )
    coloured = [f for f in fills if f and f not in ("#dddddd", "none", "transparent")]
    assert len(fills) > 100 and len(coloured) >= 5, (len(fills), len(coloured))
    shot(page, "monitor-fa")


def test_tables_sort_and_filter_and_charts_save_as_png_and_svg(
    watched: Watched, server: str
) -> None:
    """The monitor's drivers table sorts by a number column both ways (by the raw value, not
    the Persian text), the filter box keeps only the rows holding its text (Latin digits find
    Persian ones) and says how many, and each chart saves as SVG and PNG (issue 16)."""
    sign_in(watched, server)
    page = watched.page
    page.goto(f"{server}/monitor?lang=fa")
    charts_drawn(page)
    table = page.locator("#table-drivers table")
    kinds = (
        table.locator("tbody tr")
        .first.locator("td")
        .evaluate_all("tds => tds.map(td => td.className)")
    )
    col = kinds.index("usd")
    header = table.locator("thead th").nth(col)
    column = f"#table-drivers tbody tr td:nth-child({col + 1})"

    def values() -> list[float]:
        got: list[str] = page.eval_on_selector_all(column, "tds => tds.map(td => td.dataset.v)")
        return [float(v) for v in got]

    before = values()
    assert len(before) >= 3
    header.locator("button.sort").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert values() == sorted(before)
    header.locator("button.sort").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert values() == sorted(before, reverse=True)
    # the filter: a row's label typed with Latin digits finds the row written in Persian ones
    first_cells = page.eval_on_selector_all(
        "#table-drivers tbody tr td:first-child", "tds => tds.map(td => td.textContent)"
    )
    target = first_cells[1]
    typed = target.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    box = page.locator("#table-drivers input[type=search]")
    assert page.locator("#table-drivers label", has_text="پالایش سطرها").count() == 1
    box.fill(typed)
    visible = page.eval_on_selector_all(
        "#table-drivers tbody tr", "rs => rs.filter(r => !r.hidden).map(r => r.textContent)"
    )
    assert visible and all(target in v for v in visible) and len(visible) < len(first_cells)
    shown = page.locator("#table-drivers .shown").inner_text()
    n = str(len(visible)).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert shown.startswith(n) and "سطر" in shown
    box.fill("")
    assert page.locator("#table-drivers tbody tr:not([hidden])").count() == len(first_cells)
    # each chart saves as SVG and PNG, the buttons in the page's language
    save = page.locator("#chart-drivers + p.chart-save")
    assert save.locator("button").all_inner_texts() == ["ذخیره به‌صورت PNG", "ذخیره به‌صورت SVG"]
    with page.expect_download() as svg:
        save.locator("button[data-save=svg]").click()
    assert svg.value.suggested_filename == "drivers.svg"
    assert Path(svg.value.path()).read_text("utf-8").lstrip().startswith("<svg")
    with page.expect_download() as png:
        save.locator("button[data-save=png]").click()
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_language_switch(watched: Watched, server: str) -> None:
    sign_in(watched, server)
    page = watched.page
    page.goto(f"{server}/dashboard?lang=fa")
    assert page.locator("h1").inner_text() == "داشبورد"
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.dir") == "ltr"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("h1").inner_text() == "Dashboard"
    charts_drawn(page)
    shot(page, "dashboard-en")
    for name in ("monitor", "opportunities", "program"):
        for lang in ("en", "fa"):
            page.goto(f"{server}/{name}?lang={lang}")
            state = charts_drawn(page)
            assert state["failed"] == 0 and state["drawn"] == state["total"] >= 1, (name, state)
            shot(page, f"{name}-{lang}")


def test_an_agency_member_updates_an_action_and_cannot_edit_another(
    watched: Watched, server: str, small_demo: Workspace
) -> None:
    db = small_demo.program()
    pid = program.programs(db)[0]["id"]
    acts = program.actions(db, pid)
    own = next(a for a in acts if a["agency"] == "IMT")
    other = next(a for a in acts if a["agency"] == "CUS")
    sign_in(watched, server, "imt", "en")
    page = watched.page
    page.goto(f"{server}/program?lang=en")
    row = page.locator(f"#action-{own['id']}")
    row.locator("select[name=status]").select_option("blocked")
    row.locator("input[name=progress]").fill("55")
    row.locator("input[name=note]").fill("waiting for the fair's dates")
    row.locator("button[type=submit]").click()
    page.wait_for_url(f"{server}/program?msg=saved*")
    assert page.locator("p.ok").inner_text() == "Saved."
    after = program.get_action(db, own["id"])
    assert (after["status"], after["progress"]) == ("blocked", 55)
    assert after["notes"][-1]["author"] == "imt"
    # another agency's action has no form, and a forged post is refused by the server
    assert page.locator(f"#action-{other['id']} form").count() == 0
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "ep_csrf")
    r = page.request.post(  # (Playwright's request context sends no Origin of its own)
        f"{server}/program/actions/{other['id']}",
        form={"version": str(other["version"]), "progress": "99", "csrf": csrf},
        headers={"Origin": server},
    )
    assert r.status == 403 and "only their own agency" in r.text()
    assert program.get_action(db, other["id"])["progress"] == other["progress"]


#: Every page a signed-in secretary reaches, with the pages' variants that lay out other tables
#: (the map's partner view, a removal asked on the Data page, an error page)
PAGES = (
    "dashboard",
    "monitor",
    "monitor?by=partner",
    "opportunities",
    "program",
    "data",
    "data/remove/1",
    "users",
    "login",
    "monitor?by=nonsense",
)

#: For each table cell: is it inside a box that scrolls sideways, and once scrolled into view
#: does it lie within that box and the window, the document itself never scrolled sideways?
#: Also where each overflowing box starts (its first column on the start side: the right in
#: Persian) and whether the keyboard can focus it.
LAYOUT = """() => {
  const doc = document.documentElement, out = {scrollWidth: doc.scrollWidth,
    innerWidth: window.innerWidth, cells: 0, unreachable: [], boxes: [], scrollX: 0};
  const scroller = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return p;
    }
    return null;
  };
  for (const table of document.querySelectorAll('table')) {
    const box = scroller(table), name = table.closest('section')?.id || '?';
    if (box && box.scrollWidth > box.clientWidth + 1) {
      const first = table.querySelector('tr').firstElementChild.getBoundingClientRect();
      const b = box.getBoundingClientRect(), rtl = getComputedStyle(box).direction === 'rtl';
      out.boxes.push({name, tabIndex: box.tabIndex, role: box.getAttribute('role'),
        startsAtStart: Math.abs(rtl ? b.right - first.right : first.left - b.left) <= 1});
    }
    for (const cell of table.querySelectorAll('th, td')) {
      out.cells++;
      cell.scrollIntoView({block: 'nearest', inline: 'nearest'});
      const c = cell.getBoundingClientRect(), b = box ? box.getBoundingClientRect() : null;
      const visible = Math.min(c.width, b ? b.width : c.width);
      const inBox = b && Math.min(c.right, b.right) - Math.max(c.left, b.left) >= visible - 1;
      const inWindow = Math.min(c.right, window.innerWidth) - Math.max(c.left, 0) >= visible - 1;
      if (!box || !inBox || !inWindow) out.unreachable.push(name + ': ' + cell.textContent.slice(0, 40));
    }
    if (box) box.scrollLeft = 0;
  }
  out.scrollX = window.scrollX;
  out.unreachable = out.unreachable.slice(0, 10);
  return out;
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_wide_tables_scroll_in_their_box_and_the_page_never_sideways(
    browser: Browser, server: str, width: int
) -> None:
    """Every page in Persian and English at a desktop and a phone width: the document is no
    wider than the window, every table cell can be scrolled into view inside its own box (the
    box begins with the table's first column: the right in Persian), and no raw timestamp is
    shown."""
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    w = Watched(ctx.new_page())
    sign_in(w, server)
    page, overflowing = w.page, set()
    for lang in ("fa", "en"):
        for name in PAGES:
            page.goto(f"{server}/{name}{'&' if '?' in name else '?'}lang={lang}")
            if page.locator(".chart").count():
                charts_drawn(page)
            where = (width, lang, name)
            got = page.evaluate(LAYOUT)
            assert got["scrollWidth"] <= got["innerWidth"] == width, (where, got)
            assert got["scrollX"] == 0 and got["unreachable"] == [], (where, got)
            assert page.locator("table").count() == 0 or got["cells"] > 0, where
            for box in got["boxes"]:
                assert box["startsAtStart"] and box["tabIndex"] == 0, (where, box)
                assert box["role"] == "region", (where, box)
                overflowing.add((lang, name, box["name"]))
            text = page.evaluate("document.body.innerText")
            assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", text), where
            if name == "data" and width == 390:
                # the keyboard scrolls the focused box toward the table's end: left in Persian
                box = page.locator("#table-datasets .scroll")
                box.focus()
                page.keyboard.press("ArrowLeft" if lang == "fa" else "ArrowRight")
                # the browser may scroll over a few frames: wait for it (2 s at most)
                with contextlib.suppress(PlaywrightTimeout):  # the assertion says what it found
                    page.wait_for_function(
                        "([sel, rtl]) => { const b = document.querySelector(sel);"
                        " return rtl ? b.scrollLeft < 0 : b.scrollLeft > 0; }",
                        arg=["#table-datasets .scroll", lang == "fa"],
                        timeout=2000,
                    )
                moved = box.evaluate("b => b.scrollLeft")
                assert (moved < 0) if lang == "fa" else (moved > 0), (where, moved)
    # the imports table is wider than a phone in both languages, so scrolling was exercised
    if width == 390:
        assert {("fa", "data", "table-datasets"), ("en", "data", "table-datasets")} <= overflowing
    # the console's only errors are the error page's own answer, once a language
    refused = [e for e in w.errors if "status of 400 (Bad Request)" in e]
    assert len(refused) == 2 and [e for e in w.errors if e not in refused] == [], w.errors
    ctx.close()


def test_the_data_page_in_both_languages(watched: Watched, server: str) -> None:
    """The secretary's Data page: the imports with their times in the page's calendar (the
    ISO value in <time datetime>), the upload and removal forms; the docs' screenshots."""
    sign_in(watched, server)
    page = watched.page
    for lang, digit in (("fa", "[۰-۹]"), ("en", "[0-9]")):
        page.goto(f"{server}/data?lang={lang}")
        times = page.locator("#table-datasets time")
        assert times.count() >= 5  # the demo's BACI years and its customs files
        for i in range(times.count()):
            iso = times.nth(i).get_attribute("datetime") or ""
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", iso), iso
            shown = times.nth(i).inner_text()
            assert re.search(digit, shown) and iso not in shown, shown
        assert page.locator("form[action='/data/upload']").count() == 1
        assert page.locator("#remove-imports li a").count() == times.count()
        shot(page, f"data-{lang}")
