"""The views trade analysts expect, in a real browser, in Persian and English (one walk): the
product space drawn (nodes and edges, the region's products opaque), a click on a product
opening its markets; the monitor's treemap and a product's months; the maps' tooltips naming
the country in the page's language with the value's unit and period; the opportunities map;
a table's sort and filter kept in the address, so the copied URL opens the same view. No
console errors (the ``watched`` fixture); screenshots with ``EXPORTPLAN_SCREENSHOTS``."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page

from browsing import Watched, charts_drawn, sign_in
from exportplan.reference.countries import country_name
from exportplan.views.format import product_label


def view_shot(page: Page, name: str, chart: str) -> None:
    """A screenshot of the window with ``chart`` at its top (the pages' full length, their
    long tables included, would be megabytes)."""
    folder = os.environ.get("EXPORTPLAN_SCREENSHOTS")
    if folder:
        page.evaluate("id => document.getElementById(id).closest('figure').scrollIntoView()", chart)
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def drawn(page: Page, total: int) -> None:
    state = charts_drawn(page)
    assert state["failed"] == 0 and state["drawn"] == state["total"] == total, state


#: The centre of the largest mark of ``sel`` that is itself the element at its centre (a
#: country's box may centre on its neighbour)
CENTRE = """sel => {
  const marks = [...document.querySelectorAll(sel)].map(e => [e, e.getBoundingClientRect()])
    .sort((a, b) => b[1].width * b[1].height - a[1].width * a[1].height);
  for (const [e, r] of marks) {
    const x = r.x + r.width / 2, y = r.y + r.height / 2;
    if (document.elementFromPoint(x, y) === e) { return [x, y]; }
  }
  return null;
}"""


def tooltip(page: Page, selector: str) -> str:
    """The text of Vega's tooltip over the largest mark matching ``selector``."""
    page.locator(selector).first.scroll_into_view_if_needed()
    at = page.evaluate(CENTRE, selector)
    assert at is not None, selector
    page.mouse.move(at[0], at[1])
    tip = page.locator("#vg-tooltip-element")
    tip.wait_for(state="visible")
    text: str = tip.inner_text()
    page.mouse.move(0, 0)
    return text


def test_the_analysts_views_in_both_languages(watched: Watched, server: str) -> None:
    page = watched.page
    for lang in ("fa", "en"):
        sign_in(watched, server, "secretary", lang)
        # the product space: nodes and edges, the region's products opaque, the rest faint
        page.goto(f"{server}/product-space?lang={lang}")
        drawn(page, 1)
        n_rows = page.locator("#table-products tbody tr").count()
        nodes = page.locator("#chart-space svg .mark-symbol.role-mark path")
        assert nodes.count() == n_rows > 100
        assert page.locator("#chart-space svg .mark-rule.role-mark line").count() >= n_rows - 5
        opacity = nodes.evaluate_all("ps => ps.map(p => p.getAttribute('opacity') || '1')")
        mine = sum(1 for o in opacity if float(o) == 1.0)
        faint = sum(1 for o in opacity if float(o) < 0.5)
        assert mine >= 1 and faint >= 1 and mine + faint == n_rows
        page.evaluate("window.scrollTo(0, 0)")
        if os.environ.get("EXPORTPLAN_SCREENSHOTS"):
            page.screenshot(
                path=str(Path(os.environ["EXPORTPLAN_SCREENSHOTS"]) / f"product-space-{lang}.png")
            )
        # coloured by section: the form's choice is in the address
        page.select_option("select[name=colour]", "section")
        page.click("form.filters button[type=submit]")
        page.wait_for_url(re.compile(r"colour=section"))
        drawn(page, 1)
        # a click on a product opens its markets
        big = page.locator("#chart-space svg .mark-symbol.role-mark path").nth(n_rows // 2)
        big.click(force=True)
        page.wait_for_url(re.compile(r"/opportunities\?product=\d{4}"))
        code = parse_qs(urlsplit(page.url).query)["product"][0]
        drawn(page, 2)  # the opportunities map and the feasibility chart
        title = page.locator("#table-markets h2").inner_text()
        assert product_label(code, lang) in title
        # the opportunities map of a product the region sells: a market's tooltip, its name
        # in the page's language
        page.goto(f"{server}/opportunities?lang={lang}&product=0808")
        drawn(page, 2)
        assert page.locator("#chart-markets svg .layer_1_marks path").count() >= 5
        tip = tooltip(page, "#chart-markets svg .layer_1_marks path")
        name = tip.split("\n")[0]
        iso = {country_name(k, lang): k for k in ("IRQ", "TUR", "ARM", "AZE", "AFG", "RUS")}
        assert ("بازار" if lang == "fa" else "market") in tip
        assert ("دوره" if lang == "fa" else "period") in tip
        assert re.search("[۰-۹]" if lang == "fa" else "[0-9]", tip)
        assert name and (lang == "en" or not re.search("[A-Za-z]", name)), (name, iso)
        view_shot(page, f"opportunities-map-{lang}", "chart-markets")
        # the monitor: the treemap, the product's months, the map's tooltip with the period
        page.goto(f"{server}/monitor?lang={lang}&product=0808")
        drawn(page, 5)
        tiles = page.locator("#chart-treemap svg .layer_0_marks path")
        heads = page.locator("#table-treemap tbody tr").count()
        assert tiles.count() >= heads > 10  # every heading a tile (and the outlines)
        period = page.locator("p.period").inner_text().split(" · ")[0]
        tip = tooltip(page, "#chart-treemap svg .layer_0_marks path")
        assert period in tip and ("سهم" if lang == "fa" else "share") in tip
        assert page.locator("#chart-product svg .mark-line.role-mark path").count() == 2
        assert product_label("0808", lang) in page.locator("#table-product h2").inner_text()
        tip = tooltip(page, "#chart-map svg .layer_1_marks path")
        assert period in tip and ("دلار" if lang == "fa" else "USD") in tip
        view_shot(page, f"monitor-treemap-{lang}", "chart-treemap")
        view_shot(page, f"monitor-product-{lang}", "chart-product")
        # a table's sort and filter in the address: the copied URL opens the same view
        header = page.locator("#table-treemap thead th[data-col=usd]")
        header.locator("button.sort").click()
        header.locator("button.sort").click()
        assert header.get_attribute("aria-sort") == "descending"
        box = page.locator("#table-treemap input[type=search]")
        box.fill("72")
        shown = page.locator("#table-treemap tbody tr:not([hidden])").count()
        assert 0 < shown < heads
        query = parse_qs(urlsplit(page.url).query)
        assert query["sort-treemap"] == ["-usd"] and query["filter-treemap"] == ["72"]
        assert query["product"] == ["0808"]
        order = page.eval_on_selector_all(
            "#table-treemap tbody tr:not([hidden]) td.usd", "tds => tds.map(td => td.dataset.v)"
        )
        page.goto(page.url)
        drawn(page, 5)
        header = page.locator("#table-treemap thead th[data-col=usd]")
        assert header.get_attribute("aria-sort") == "descending"
        assert page.locator("#table-treemap input[type=search]").input_value() == "72"
        again = page.eval_on_selector_all(
            "#table-treemap tbody tr:not([hidden]) td.usd", "tds => tds.map(td => td.dataset.v)"
        )
        assert again == order == sorted(order, key=float, reverse=True)
        # a sort by a column the table does not have is ignored
        page.goto(f"{server}/monitor?lang={lang}&sort-treemap=nope&filter-treemap=")
        drawn(page, 5)
        assert page.locator("#table-treemap th[aria-sort=none]").count() == 5
