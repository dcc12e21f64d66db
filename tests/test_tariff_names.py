"""The national tariff book's names wherever a product is shown (issue 16): a copy of the small
demo loads a tariff book naming an 8-digit line in Persian (``exportplan import nomenclature``),
a registry file gives a firm that line as its capability and a buyer's demand list asks for
it; the registry and firm pages, the gap report, their Persian downloads and the product box
then name the line by the tariff book, and without the book the same code is named by its
HS 2022 subheading."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from exportplan.auth import local_actor
from exportplan.reference import products as ref
from exportplan.services import data
from exportplan.services.suppliers import imports
from exportplan.views.format import product_label
from exportplan.web.app import create_app
from exportplan.workspace import Workspace, open_workspace
from test_web import BROWSER, sign_in

LINE = "84818015"
NAME = "شیر کروی فولادی خط لوله نفت"  # as the tariff book names the line


@pytest.fixture(scope="module")
def named(small_demo: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    folder = tmp_path_factory.mktemp("tariff")
    path = folder / "ws"
    shutil.copytree(small_demo.path, path, ignore=shutil.ignore_patterns("*.wal", "cache"))
    ws = open_workspace(path)
    book = folder / "tariff-1405.csv"
    book.write_text(f"ردیف,کد تعرفه,شرح کالا\n1,{LINE},{NAME}\n", encoding="utf-8")
    assert data.import_nomenclature(ws, book).rows_accepted == 1
    firms = folder / "registry.csv"
    firms.write_text(
        "firm_id,firm_name,capability,hs_code,capacity,unit,certifications,county,"
        "vendor_lists,trade_card_no\n"
        f"T900,شرکت آزمون تعرفه (ساختگی),شیر کروی,{LINE},50,عدد در سال,,تبریز,,\n",
        encoding="utf-8",
    )
    imports.import_firms(ws.program(), local_actor(), firms)
    demand = folder / "demand.csv"
    demand.write_text(
        "item_id,description,hs_code,quantity,unit,needed_by,required_certifications\n"
        f"Z01,قطعه‌ای که کسی نمی‌سازد,{LINE},5,عدد,1406/02/15,ISO 9999\n",
        encoding="utf-8",
    )
    imports.import_demand(ws.program(), local_actor(), demand, buyer="TARIFF")
    return ws


@pytest.fixture(scope="module")
def client(named: Workspace) -> Iterator[TestClient]:
    with TestClient(create_app(named), follow_redirects=False, headers=BROWSER) as c:
        sign_in(c, "admin")
        yield c


def test_the_tariff_books_names_are_shown_wherever_the_line_is(client: TestClient) -> None:
    shown = f"{product_label(LINE, 'fa', {'fa': {LINE: NAME}})}"
    assert NAME in shown and "۸۴۸۱۸۰۱۵" in shown
    firm = client.get("/suppliers/firm/T900?lang=fa")
    assert firm.status_code == 200 and shown in firm.text
    for url in (
        "/suppliers?lang=fa&q=T900",
        "/gaps?lang=fa",
    ):
        r = client.get(url)
        assert r.status_code == 200 and shown in r.text, url
    for url in (
        "/download/supplier_firm/capabilities.csv?firm=T900&lang=fa",
        "/download/gaps/gaps.csv?lang=fa",
    ):
        text = client.get(url).content.decode("utf-8-sig")
        assert shown in [c for row in csv.reader(io.StringIO(text)) for c in row] or shown in text
    # the product box finds the line by the tariff book's words, and names it so
    found = client.get(f"/products.json?q={NAME.split()[1]}&lang=fa").json()
    assert LINE in str(found) and NAME in str(found)


def test_without_the_book_the_line_is_named_by_its_subheading() -> None:
    with ref.national_names(lambda: {}):
        assert product_label(LINE, "fa") == f"۸۴۸۱۸۰۱۵ {ref.name('848180', 'fa')}"
    with ref.national_names(lambda: {"fa": {LINE: NAME}, "en": {}}):
        assert product_label(LINE, "fa").endswith(NAME)
        assert product_label(LINE, "en") == f"{LINE} {ref.name('848180', 'en')}"
    assert ref.name(LINE, "fa") == ref.name("848180", "fa")  # no book outside the block
