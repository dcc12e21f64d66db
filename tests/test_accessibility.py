"""Accessibility (WCAG 2.2 AA) in a real browser: axe-core (tests/a11y.py) on every page the
app serves, listed from its routes, in Persian and English, fails on any critical or serious
finding; the moderate ones are the ones docs/web.md records; every chart is one named image
whose caption links the table of its figures. The keyboard reaches and sends a
form (the dashboard's pickers) and walks an action's form on the program page in order."""

from __future__ import annotations

import re

from playwright.sync_api import Page

from a11y import assert_accessible
from browsing import Watched, charts_drawn, sign_in
from exportplan.services import program
from exportplan.web.app import create_app
from exportplan.workspace import Workspace
from helpers import walk

#: The address of every page route (a route with a parameter gets one of the demo's values:
#: ``{action}``, ``{plot}``, ``{ref}`` and ``{project}`` are read from the demo when the test
#: runs), with the variants that lay out other content (the origin definition, the map's partner
#: view, an error page). A page route added to the app fails the test until it is listed here.
ADDRESSES: dict[str, tuple[str, ...]] = {
    "/": ("/",),
    "/login": ("/login",),
    "/dashboard": ("/dashboard", "/dashboard?definition=origin&year=1404&month=6"),
    "/monitor": ("/monitor", "/monitor?by=partner", "/monitor?by=nonsense"),
    "/opportunities": ("/opportunities",),
    "/product-space": ("/product-space", "/product-space?colour=section"),
    "/products": ("/products", "/products?q=%D8%B3%DB%8C%D8%A8"),  # the box's answer, for «سیب»
    "/program": ("/program",),
    "/program/actions/{action_id}": ("/program/actions/{action}",),
    "/program/audit": ("/program/audit",),
    # a field's type-ahead list, a <datalist> htmx puts into the program page (checked there)
    "/program/suggest/{kind}": (),
    "/data": ("/data",),
    "/data/remove/{dataset_id}": ("/data/remove/1",),
    "/users": ("/users",),
    "/claims": ("/claims",),
    "/claims/check": ("/claims/check",),  # (the language switch of a checked text: the form)
    "/zones": ("/zones",),
    "/zones/{code}": ("/zones/TLS",),
    "/zones/{code}/worklist": ("/zones/TLS/worklist",),
    "/zones/{code}/plots/{plot}": ("/zones/TLS/plots/{plot}",),
    "/zones/{code}/applications/{ref}": ("/zones/TLS/applications/{ref}",),
    "/investment": ("/investment",),
    "/investment/enquiries": ("/investment/enquiries",),
    "/investment/digest": ("/investment/digest",),
    "/investment/projects/{code}": ("/investment/projects/{project}",),
    # the gate form is a fragment the move button puts into the project's page (checked there)
    "/investment/projects/{code}/gate": (),
    "/investment/events/{code}": ("/investment/events/MIM-1405-1",),
    "/suppliers": ("/suppliers",),
    "/suppliers/firm/{code}": ("/suppliers/firm/F001",),
    "/demand/{buyer}": ("/demand/NIOC",),
    "/gaps": ("/gaps",),
    "/introductions": ("/introductions",),
}

#: The charts of each address (a language), counted: every one must be drawn and named
CHARTS = {
    "/dashboard": 2,
    "/dashboard?definition=origin&year=1404&month=6": 2,
    "/monitor": 5,
    "/monitor?by=partner": 5,
    "/opportunities": 2,
    "/product-space": 1,
    "/product-space?colour=section": 1,
    "/program": 1,
    "/zones/TLS": 2,
}

#: The moderate and minor findings left, by address and rule (docs/web.md lists them with why)
KNOWN_MINOR: set[tuple[str, str]] = set()

#: Routes that answer no HTML page: data, files, the API, the server's own hand-off
NOT_PAGES = re.compile(
    r"\.(json|csv|xlsx|pdf|ico|js|\{fmt\}|\{ext\})$|^/(api|static|internal|download)/"
)


def page_routes(ws: Workspace) -> set[str]:
    """The paths of the app's GET routes that answer an HTML page."""
    return {
        r.path
        for r in walk(create_app(ws).routes)
        if "GET" in (getattr(r, "methods", None) or ()) and not NOT_PAGES.search(r.path)
    }


def charts_have_their_tables(page: Page, path: str) -> int:
    """Each chart's box is an image named by the chart's title, its drawing hidden from
    assistive technology, and its caption links the table holding its figures, on the page;
    how many charts there are."""
    boxes = page.locator("div.chart").all()
    for box in boxes:
        name = box.get_attribute("aria-label") or ""
        assert box.get_attribute("role") == "img" and name, path
        assert box.locator("svg").get_attribute("aria-hidden") == "true"
        table_id = f"table-{box.get_attribute('data-table')}"
        caption = page.locator(f"#alt-{box.get_attribute('data-chart')}")
        assert name in caption.inner_text(), path
        assert caption.locator("a").get_attribute("href") == f"#{table_id}"
        assert page.locator(f"#{table_id} tbody tr").count() >= 1, (path, table_id)
    return len(boxes)


def demo_values(page: Page, server: str, small_demo: Workspace) -> dict[str, str]:
    """The demo's values for the addresses' placeholders: the program's first action, the
    zone's first plot and first application, the board's first project."""
    db = small_demo.program()
    pid = program.programs(db)[0]["id"]
    zone = page.request.get(f"{server}/zones/TLS.json?lang=en").json()["tables"]
    board = page.request.get(f"{server}/investment.json?lang=en").json()
    return {
        "{action}": str(program.actions(db, pid)[0]["id"]),
        "{plot}": str(zone["plots"]["rows"][0]["code"]),
        "{ref}": str(zone["applications"]["rows"][0]["ref"]),
        "{project}": str(next(c["code"] for col in board["columns"] for c in col["cards"])),
    }


def every_page_has_no_critical_or_serious_finding(
    watched: Watched, server: str, small_demo: Workspace, lang: str
) -> None:
    """Every page route's addresses in ``lang``, signed out, as the secretary and as an agency
    member: no critical or serious finding, only the known minor ones, every chart drawn with
    its table (the English half runs in tests/test_accessibility_en.py, on the other worker)."""
    assert set(ADDRESSES) == page_routes(small_demo)  # every page route is checked
    page, minor, checked, charts = watched.page, [], 0, 0
    # signed out: the sign-in page (and "/" sends there)
    page.context.clear_cookies()
    for path in ADDRESSES["/"] + ADDRESSES["/login"]:
        page.goto(f"{server}{path}?lang={lang}")
        assert page.locator("form.login").count() == 1
        minor += assert_accessible(page, f"{path} ({lang}, signed out)")
        checked += 1
    sign_in(watched, server, "secretary", lang)
    values = demo_values(page, server, small_demo)
    for route, addresses in ADDRESSES.items():
        if route in ("/", "/login"):
            continue
        for address in addresses:
            path = address
            for k, v in values.items():
                path = path.replace(k, v)
            r = page.goto(f"{server}{path}{'&' if '?' in path else '?'}lang={lang}")
            assert r is not None, path
            assert r.status < 400 or "nonsense" in path, (path, r.status)
            assert page.evaluate("document.documentElement.lang") == lang
            if page.locator(".chart").count():
                state = charts_drawn(page)
                assert state["failed"] == 0 and state["drawn"] == state["total"], path
                charts += charts_have_their_tables(page, path)
                assert state["total"] == CHARTS.get(address), (address, state)
            else:
                assert address not in CHARTS, address
            if route == "/investment/projects/{code}":  # the move opens the gate form
                page.locator("form.move button").first.click()
                page.locator("#gate form").first.wait_for()
            minor += assert_accessible(page, f"{path} ({lang})")
            checked += 1
    # an agency member sees the program page with the forms of its own actions only
    sign_in(watched, server, "imt", lang)
    page.goto(f"{server}/program?lang={lang}")
    assert page.locator("form.edit-action").count() >= 1
    minor += assert_accessible(page, f"/program ({lang}, member)")
    checked += 1
    assert checked == sum(len(a) for a in ADDRESSES.values()) + 1
    assert charts == sum(CHARTS.values())
    assert {(f.where.split(" ")[0], f.rule) for f in minor} <= KNOWN_MINOR, [str(f) for f in minor]
    # the error page's answer (400) is the console's only error
    assert len(watched.errors) == 1 and all("400 (Bad Request)" in e for e in watched.errors)
    watched.errors.clear()


def test_every_persian_page_has_no_critical_or_serious_finding(
    watched: Watched, server: str, small_demo: Workspace
) -> None:
    every_page_has_no_critical_or_serious_finding(watched, server, small_demo, "fa")


def test_the_keyboard_reaches_and_sends_the_dashboards_pickers(
    watched: Watched, server: str
) -> None:
    """From the top of the page: the skip link is the first stop and moves the focus to the
    content; the pickers follow, each control with a visible focus; the arrow keys change the
    definition and Enter on the button shows it, the choice in the page's address."""
    sign_in(watched, server, "secretary", "en")
    page = watched.page
    page.goto(f"{server}/dashboard?lang=en")

    def focused() -> dict[str, str]:
        got: dict[str, str] = page.evaluate(
            "() => { const e = document.activeElement, s = getComputedStyle(e);"
            " return {id: e.id, tag: e.tagName, text: e.innerText || '', outline: s.outlineStyle,"
            " top: String(e.getBoundingClientRect().top), label: e.labels && e.labels.length ?"
            " e.labels[0].innerText : ''}; }"
        )
        return got

    page.keyboard.press("Tab")
    skip = focused()
    assert skip["text"] == "Skip to the content" and float(skip["top"]) >= 0, skip
    page.keyboard.press("Enter")
    assert focused()["id"] == "content"
    order = []
    for _ in range(4):
        page.keyboard.press("Tab")
        f = focused()
        assert f["outline"] != "none", f  # the focus is visible
        order.append((f["id"] or f["tag"], f["label"]))
        if f["id"] == "pick-definition":
            page.keyboard.press("ArrowDown")  # customs -> origin
    assert order == [
        ("pick-year", "Year"),
        ("pick-month", "Through month"),
        ("pick-definition", "Definition"),
        ("BUTTON", ""),
    ], order
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*definition=origin.*"))
    assert page.locator("#pick-definition").input_value() == "origin"
    assert "made in the province" in page.locator("p.period").inner_text()
    # the program page: an action's controls in order, each named by its label
    page.goto(f"{server}/program?lang=en")
    first = page.locator("form.edit-action select").first
    first.focus()
    names = [focused()["label"]]
    for _ in range(3):
        page.keyboard.press("Tab")
        names.append(focused()["label"] or focused()["text"])
    code = names[0].split("(")[1].rstrip(")")
    assert names == [f"Status ({code})", f"Progress ({code})", f"Note ({code})", "Save"], names
