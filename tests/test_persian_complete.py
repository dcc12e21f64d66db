"""Persian is complete: pages rendered in Persian (and their JSON labels), error pages
included, show no English word a reader would have to read: only codes (ISO3, agency codes,
HS codes), file formats and the other language's name in the switch stay Latin. Text a user
entered (titles, file names) is data and is marked ``translate="no"``, so it is skipped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from exportplan.services import program
from exportplan.web.app import create_app
from exportplan.workspace import Workspace
from test_web import BROWSER, sign_in

#: Latin words a Persian page may show: formats, the language switch, codes (upper case)
ALLOWED = {"CSV", "Excel", "JSON", "PDF", "English", "HS"}
WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
CODE = re.compile(r"^[A-Z0-9]{2,6}$")  # ISO3, agency codes


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


def english_words(html: str) -> list[str]:
    v = Visible()
    v.feed(html)
    return sorted(
        {
            w
            for text in v.texts
            for w in WORD.findall(text)
            if w not in ALLOWED and not CODE.match(w)
        }
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
    assert r.status_code == 409  # (its message is still English: ConflictError has no
    # Persian wording yet; this test does not claim it)
    assert [a["progress"] for a in program.actions(db, pid)] == [a["progress"] for a in acts]
    # the JSON labels of a Persian page are Persian too
    j = client.get("/opportunities.json?product=0808&lang=fa").json()
    for t in j["tables"].values():
        assert [w for lb in t["labels"] for w in WORD.findall(lb) if w not in ALLOWED] == []
