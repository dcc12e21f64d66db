"""Persian is complete: pages rendered in Persian (and their JSON labels), error pages
included, show no English word a reader would have to read: only codes (ISO3, agency codes,
HS codes), file names and formats and the other language's name in the switch stay Latin.
Text a user entered (titles, names, notes) is data and is marked ``translate="no"``, so it is
skipped. One walker follows the links of every page from the navigation (one address per
route), so a new page is checked the day it is linked; the words still English on a page:
none (a Gregorian ISO day or time counts as English too). The Persian charts are drawn by
vl-convert and their text read back."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pytest
from fastapi.testclient import TestClient
from starlette.routing import Match

from exportplan.reference.countries import country_name
from exportplan.services import program
from exportplan.views.format import product_label
from exportplan.web.app import create_app
from exportplan.workspace import Workspace
from helpers import walk
from test_web import BROWSER, sign_in

#: Latin words a Persian page may show: formats, the language switch, codes (upper case)
ALLOWED = {"CSV", "Excel", "JSON", "PDF", "English", "HS"}
WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,15}$")  # ISO3, agency and KPI codes (K-CLEARANCE)
#: a file's name (``SYNTHETIC_customs_exit_1405.csv``) is data, as its user named it
FILE = re.compile(r"[\w.-]*\.(?:csv|xlsx|xls|json|pdf|zip)\b")


class Visible(HTMLParser):
    """The text a reader sees (and attributes read aloud), outside scripts, styles and
    elements marked ``translate="no"``."""

    VOID = frozenset({"input", "br", "img", "meta", "link", "hr", "source", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.stack: list[bool] = []

    def skipping(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        skip = tag in ("script", "style") or a.get("translate") == "no"
        if not self.skipping() and not skip:
            for k in ("placeholder", "aria-label", "title", "alt"):
                if a.get(k):
                    self.texts.append(str(a[k]))
        if tag not in self.VOID:
            self.stack.append(skip)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping() and data.strip():
            self.texts.append(data.strip())


#: a Gregorian day or time written the ISO way (2026-12-01T08:04:54): a Persian page writes
#: Solar Hijri days in Persian digits
ISO_DAY = re.compile(r"\b(?:19|20)\d\d-\d\d-\d\d(?:[T ]\d\d:\d\d[:.\d]*)?")


def english_words(html: str) -> list[str]:
    """The English words (and Gregorian ISO days) a reader sees on a page."""
    v = Visible()
    v.feed(html)
    return sorted(
        {
            w
            for text in v.texts
            for w in WORD.findall(FILE.sub(" ", text))
            if w not in ALLOWED and not CODE.match(w)
        }
        | {d for text in v.texts for d in ISO_DAY.findall(text)}
    )


@pytest.fixture
def client(small_demo: Workspace) -> Iterator[TestClient]:
    with TestClient(create_app(small_demo), follow_redirects=False, headers=BROWSER) as c:
        yield c


def test_the_checker_sees_english_and_skips_data() -> None:
    assert english_words('<p>پیدا نشد</p><p title="Not here">CSV IRQ</p>') == ["Not", "here"]
    assert english_words('<td translate="no">Cold storage</td><td>Not Found</td>') == [
        "Found",
        "Not",
    ]
    assert english_words("<script>var x = 'hello'</script><p>۱۲</p>") == []
    assert english_words("<p>وارد شد 2026-12-01T08:04:54.725932</p>") == ["2026-12-01T08:04:54.725932"]
    assert english_words("<p>SYNTHETIC_customs_1405.csv (.xlsx) K-CLEARANCE</p>") == []


def test_persian_product_pages_and_the_404_and_403_pages_have_no_english(
    client: TestClient, small_demo: Workspace
) -> None:
    sign_in(client, "agri")
    pages = {
        "/products?q=سیب&lang=fa": 200,
        "/products?q=ژژژژ&lang=fa": 200,  # (what a user typed is echoed: Persian here)
        "/opportunities?product=سیب&lang=fa": 200,
        "/opportunities?product=ژژژژ&lang=fa": 404,
        "/no-such-page?lang=fa": 404,
    }
    for url, status in pages.items():
        r = client.get(url)
        assert r.status_code == status, url
        assert english_words(r.text) == [], url
    # 403 (another agency's action) and 409 (a stale form), nothing changed
    db = small_demo.program()
    pid = program.programs(db)[0]["id"]
    acts = program.actions(db, pid)
    own = next(a for a in acts if a["agency"] == "AGRI")
    other = next(a for a in acts if a["agency"] == "CUS")
    csrf = client.cookies["ep_csrf"]
    r = client.post(
        f"/program/actions/{other['id']}?lang=fa",
        data={"version": other["version"], "progress": "99", "csrf": csrf},
    )
    assert r.status_code == 403
    assert english_words(r.text) == []
    r = client.post(
        f"/program/actions/{own['id']}?lang=fa",
        data={"version": own["version"] - 1, "progress": "50", "csrf": csrf},
    )
    assert r.status_code == 409
    assert english_words(r.text) == []
    assert "اقدام" in r.text and "چیزی ذخیره نشد" in r.text
    assert [a["progress"] for a in program.actions(db, pid)] == [a["progress"] for a in acts]
    # the JSON labels of a Persian page are Persian too
    j = client.get("/opportunities.json?product=0808&lang=fa").json()
    for t in j["tables"].values():
        assert [w for lb in t["labels"] for w in WORD.findall(lb) if w not in ALLOWED] == []


#: Where the walk starts: the navigation's pages and the ones linked from no page
START = [
    "/dashboard",
    "/monitor",
    "/opportunities",
    "/program",
    "/data",
    "/users",
    "/claims",
    "/zones",
    "/investment",
    "/suppliers",
    "/gaps",
    "/introductions",
    "/products?q=سیب",
    "/program/audit",
    "/opportunities?product=سیب",
    "/product-space",  # issue 16: also linked from the opportunities page
    "/monitor?product=سیب",
]
#: Routes the walk does not render as pages: documents (checked by their own tests), the
#: sign-in page (signed in here), redirects and the favicon
#: ``/program/suggest/{kind}`` is the type-ahead's fragment of <option>s (codes completed with
#: the names the product search and the countries give), not a page
NOT_PAGES = ("/", "/favicon.ico", "/login", "/claims/check", "/program/suggest/{kind}")
DOCUMENT = (".pdf", ".xlsx", ".csv", ".json")

def templates(app: Any) -> list[Any]:
    return [r for r in walk(app.routes) if "GET" in (getattr(r, "methods", None) or ())]


def template_of(routes: list[Any], path: str) -> str | None:
    scope = {"type": "http", "path": path, "method": "GET", "root_path": ""}
    for r in routes:
        if r.matches(scope)[0] == Match.FULL:
            return str(r.path)
    return None


GET_FORM = re.compile(r'<form[^>]*\bhx-get="(/[^"]+)"[^>]*>(.*?)</form>', re.S)
SELECT = re.compile(r'<select[^>]*name="(\w+)"[^>]*>.*?<option value="([^"]+)"', re.S)


def get_forms(html: str) -> list[str]:
    """The addresses the page's GET forms (htmx) ask, each select at its first choice."""
    out = []
    for action, body in GET_FORM.findall(html):
        query = "&".join(f"{k}={v}" for k, v in SELECT.findall(body))
        out.append(action + ("?" + query if query else ""))
    return out


def json_labels(j: Any) -> list[str]:
    """The labels a JSON twin carries: its title and its tables' titles and labels."""
    out = [str(j.get("title") or "")]
    for tab in (j.get("tables") or {}).values():
        out += [str(tab.get("title") or ""), *map(str, tab.get("labels") or [])]
    return out


def test_every_persian_page_has_no_english(small_demo: Workspace) -> None:
    with TestClient(create_app(small_demo), follow_redirects=False, headers=BROWSER) as c:
        sign_in(c, "admin")
        routes = templates(c.app)
        seen: dict[str, str] = {}
        found: dict[str, list[str]] = {}
        queue = list(START)
        while queue:
            url = queue.pop(0)
            parts = urlsplit(url)
            tpl = template_of(routes, parts.path)
            if tpl is None or tpl in seen or parts.path.endswith(DOCUMENT):
                continue
            seen[tpl] = url
            r = c.get(url + ("&" if "?" in url else "?") + "lang=fa")
            assert r.status_code == 200, (url, r.status_code)
            words = english_words(r.text)
            if words:
                found[tpl] = words
            twin = template_of(routes, parts.path + ".json")
            if twin is not None and twin != tpl:
                q = ("?" + parts.query + "&" if parts.query else "?") + "lang=fa"
                j = c.get(parts.path + ".json" + q)
                assert j.status_code == 200, (url, j.status_code)
                bad = {
                    w
                    for lb in json_labels(j.json())
                    for w in WORD.findall(FILE.sub(" ", lb))
                    if w not in ALLOWED and not CODE.match(w)
                }
                assert bad == set(), (parts.path + ".json", sorted(bad))
            for href in [*re.findall(r'href="([^"#]+)"', r.text), *get_forms(r.text)]:
                href = href.replace("&amp;", "&")
                if href.startswith("/") and not href.startswith("/static"):
                    h = urlsplit(href)
                    keep = [p for p in h.query.split("&") if p and not p.startswith("lang=")]
                    queue.append(h.path + ("?" + "&".join(keep) if keep else ""))
        assert found == {}, json.dumps(found, ensure_ascii=False)
        # every page route was reached (a new page must be linked from one, or named above)
        pages = {
            str(r.path)
            for r in routes
            if not str(r.path).startswith(("/api/", "/static", "/internal/", "/download/"))
            and not str(r.path).endswith(DOCUMENT)
            and "{view:path}" not in str(r.path)
            and ".{" not in str(r.path)
        }
        assert pages - set(seen) - set(NOT_PAGES) == set(), sorted(pages - set(seen))
        # the program's priorities and the "add to the program" buttons name their products
        # and markets in Persian
        db = small_demo.program()
        prios = program.priorities(db, program.programs(db)[0]["id"])
        page = html.unescape(c.get("/program?lang=fa").text)
        for p in prios:
            for code in p["hs_codes"]:
                assert product_label(code, "fa") in page, code
                assert " " in product_label(code, "fa")  # a name, not the code alone
            for iso in p["markets"]:
                assert country_name(iso, "fa") in page, iso
        code = prios[0]["hs_codes"][0]
        page = html.unescape(c.get(f"/opportunities?product={code}&lang=fa").text)
        assert f"{product_label(code, 'fa')}</bdi> ← <bdi>" in page


def test_persian_charts_speak_persian_and_keep_their_colours() -> None:
    import vl_convert as vlc

    from exportplan.views import charts

    this = np.array([2.0e8, 3.5e8, 1.0e9] + [np.nan] * 9)
    last = np.full(12, 1.5e8)
    specs = {
        lang: charts.cumulative(1405, this, last, 3.0e9, (2.5e9, 2.0e9, 3.0e9), lang)
        for lang in ("fa", "en")
    }
    svg = vlc.vegalite_to_svg(specs["fa"])
    texts = re.findall(r">([^<]+)</text>", svg)
    assert "فروردین" in texts and "۳ میلیارد" in texts  # Solar Hijri months, Persian SI words
    assert not [x for x in texts if re.search(r"[A-Za-z0-9]", x)], texts
    assert specs["fa"]["config"]["locale"]["number"]["numerals"][3] == "۳"
    assert "locale" not in specs["en"]["config"]
    en_texts = re.findall(r">([^<]+)</text>", vlc.vegalite_to_svg(specs["en"]))
    assert "1G" in en_texts and "Farvardin" in en_texts
    # this year and last year in the same colours in both languages
    scales = {lang: s["layer"][0]["encoding"]["color"]["scale"] for lang, s in specs.items()}
    assert scales["fa"]["range"] == scales["en"]["range"] == [charts.THIS_YEAR, charts.LAST_YEAR]
    assert scales["fa"]["domain"] == ["امسال", "سال قبل"]
    # every tooltip has a title in the page's language (no raw field names)
    tips = [
        tip
        for layer in specs["fa"]["layer"]
        for tip in layer.get("encoding", {}).get("tooltip", [])
    ]
    assert tips and all(re.search("[\u0600-\u06ff]", tip["title"]) for tip in tips)
