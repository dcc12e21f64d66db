"""Product names: the HS 2022 nomenclature with its Persian names (counts, one term per
concept), lookup with parents, search in either language with Persian normalised, the tariff
book import (Persian headers, rejects, nothing counted twice), the command line, and the web's
product box and search."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from exportplan.cli import app
from exportplan.errors import MissingColumnsError, NotFoundError
from exportplan.reference import products as ref
from exportplan.services import data, products
from exportplan.store.warehouse import queries
from exportplan.views.format import product_label
from exportplan.web.app import create_app
from exportplan.workspace import Workspace
from test_web import BROWSER, sign_in

runner = CliRunner()
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
#: Latin that a Persian name may keep: abbreviations of board and lamp types
LATIN_KEPT = {"OSB", "MDF", "LED"}


def test_the_nomenclature_has_every_level_and_a_persian_name_for_each_upper_level() -> None:
    levels = Counter(p.level for p in ref.nomenclature().values())
    assert levels == {"section": 21, "chapter": 97, "heading": 1229, "subheading": 5613}
    upper = [p for p in ref.nomenclature().values() if p.level != "subheading"]
    assert len(upper) == 21 + 97 + 1229
    missing = [p.code for p in upper if not p.name_fa.strip()]
    assert missing == []
    for p in upper:
        latin = set(LATIN_WORD.findall(p.name_fa)) - LATIN_KEPT
        assert not latin, (p.code, p.name_fa)
        assert re.search("[\u0600-\u06ff]", p.name_fa), p.code
        assert p.name_en, p.code
    # every Persian name belongs to a code of the English nomenclature (none invented)
    fa_codes = {r["code"] for r in ref._read("hs2022_fa.csv")}
    assert fa_codes == {p.code for p in upper}


#: English phrase -> the one Persian term used for it, wherever the heading says it (the
#: glossary of docs/products.md)
ALWAYS = [
    (r"fresh or chilled", "تازه یا سردشده"),
    (r"\blive\b", "زنده"),
    (r"\bstainless steel", "فولاد زنگ‌نزن"),
    (r"\bunwrought", "خام"),
    (r"\bcotton\b", "پنبه"),
    (r"\baluminium\b", "آلومینیم"),
]
#: Variants the glossary rejects in favour of its term
NEVER = ["آلومینیوم", "یخ‌زده", "یخ زده", "سرد شده", "ماشین آلات", "فرآورده", "گرانبها",
         "خرده فروشی", "بسته بندی", "اجزاء", "قراضه", "غیر کشباف", "کش باف"]


def test_persian_names_use_one_term_per_concept() -> None:
    upper = [p for p in ref.nomenclature().values() if p.level in ("chapter", "heading")]
    for en, fa in ALWAYS:
        using = [p for p in upper if re.search(en, p.name_en, re.I)]
        assert using, en
        assert [p.code for p in using if fa not in p.name_fa] == [], en
    for variant in NEVER:
        assert [p.code for p in upper if variant in p.name_fa] == [], variant


def test_a_code_is_named_at_its_level_with_its_parents() -> None:
    chain = ref.lineage("080810")
    assert [(p.code, p.level) for p in chain] == [
        ("II", "section"),
        ("08", "chapter"),
        ("0808", "heading"),
        ("080810", "subheading"),
    ]
    assert chain[2].name_en == "Apples, pears and quinces; fresh"
    assert chain[2].name_fa == "سیب، گلابی و به؛ تازه"
    assert chain[0].name_fa == "محصولات نباتی"
    # Persian digits and a lost leading zero are read
    assert ref.product("۸۰۸").code == "0808"
    # a Persian subheading is named by its heading
    assert ref.name("080810", "fa") == "سیب، گلابی و به؛ تازه"
    assert ref.name("080810", "en") == "Fruit, edible; apples, fresh"
    assert product_label("0808", "fa") == "۰۸۰۸ سیب، گلابی و به؛ تازه"
    assert product_label("0808", "en") == "0808 Apples, pears and quinces; fresh"
    # a heading HS 2022 does not have is named by its chapter; a chapter it lacks is the code
    assert product_label("1234", "fa") == f"۱۲۳۴ {ref.product('12').name_fa}"
    assert product_label("7701", "en") == "7701"
    with pytest.raises(NotFoundError):
        ref.product("1234")
    assert [p.code for p in ref.lineage("999999")] == ["99", "9999", "999999"]


def codes(text: str, lang: str | None = None, **kw: object) -> list[str]:
    return [s.product.code for s in ref.search(text, lang, **kw)]  # type: ignore[arg-type]


def test_search_normalises_persian_and_ranks_code_then_prefix_then_name() -> None:
    # Arabic ي and ك are Persian ی and ک
    assert codes("سيب")[0] == codes("سیب")[0] == "0808"
    # ZWNJ joins a word; a space between its halves still finds it
    assert codes("سیب‌زمینی")[0] == codes("سیب زمینی")[0] == "0701"
    assert codes("فرش")[:2] == ["57", "5701"]
    assert codes("كفش")[:2] == ["XII", "64"]  # Arabic kaf; a section before its chapter
    # digits in Persian; the exact code first, then codes starting with it
    assert ref.name("0808", "fa") == "سیب، گلابی و به؛ تازه"
    hits = ref.search("۰۸۰۸")
    assert [(h.product.code, h.match) for h in hits[:2]] == [("0808", "code"), ("080810", "prefix")]
    assert all(h.match == "prefix" and h.product.code.startswith("0808") for h in hits[1:])
    assert codes("08")[:3] == ["08", "0801", "0802"]
    # English, and each language alone
    assert codes("apples")[0] == "0808"
    assert codes("apples", "fa") == []
    assert codes("سیب", "en") == []
    assert codes("xvi") == ["XVI"]
    assert codes("zzqqxx") == []


def tariff_book(tmp: Path) -> Path:
    """A tariff book as a customs office writes it: Persian headers, Arabic letters, Persian
    digits, a bad code, a code outside HS 2022, an empty description, a repeated row and a code
    given two descriptions."""
    path = tmp / "tariff-1403.csv"
    path.write_text(
        "ردیف,کد تعرفه,شرح کالا,شرح انگلیسی\n"
        "1,08081010,سیب درختی گلاب,Golab apples\n"
        "2,۰۸۰۸۱۰۹۰,سايرسيب‌ها,\n"  # Persian digits, Arabic ya
        "3,0808101,سیب کوتاه,\n"  # 7 digits
        "4,77001010,ناموجود,\n"  # chapter 77 is not in HS 2022
        "5,57011010,,\n"  # no description
        "6,08081010,سیب درختی گلاب,Golab apples\n"  # repeats row 2
        "7,57011020,فرش دستباف ابریشمی,\n"
        "8,57011020,فرش دستباف پشمی,\n",  # the same code, another description
        encoding="utf-8",
    )
    return path


def test_a_tariff_book_lands_whole_with_its_rejects_and_is_used_for_names(
    ws: Workspace, tmp_path: Path
) -> None:
    s = data.import_nomenclature(ws, tariff_book(tmp_path))
    assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (8, 2, 6)
    rej = data.rejects(ws, s.dataset_id)
    got = sorted(
        zip(rej["row"].to_list(), rej["column"].to_list(), rej["reason"].to_list(), strict=True)
    )
    assert got == [  # row numbers are the file's (the header is row 1)
        (4, "code", "a tariff line has 8 or 10 digits"),
        (5, "code", "HS subheading 770010 is not in HS 2022"),
        (6, "name_fa", "empty description"),
        (7, "code", "repeats row 2"),
        (8, "name_fa", "code 57011020 has another description further down"),
        (9, "name_fa", "code 57011020 has another description in row 8"),
    ]
    with ws.warehouse(read_only=True) as con:
        names = queries.national_names(con)
    assert names["fa"] == {"08081010": "سیب درختی گلاب", "08081090": "سایرسیب‌ها"}
    assert names["en"] == {"08081010": "Golab apples"}
    # the names are used: lookup with parents, search, labels
    chain = products.describe(ws, "08081010")
    assert [p.code for p in chain] == ["II", "08", "0808", "080810", "08081010"]
    assert chain[-1].name_fa == "سیب درختی گلاب" and chain[-1].level == "national"
    assert [h.product.code for h in products.find(ws, "گلاب")][:2] == ["08081010", "0808"]
    assert product_label("08081090", "fa", names) == "۰۸۰۸۱۰۹۰ سایرسیب‌ها"
    # importing it again changes nothing
    again = data.import_nomenclature(ws, tariff_book(tmp_path))
    assert again.already_imported and again.dataset_id == s.dataset_id
    assert len(data.datasets(ws)) == 1


def test_a_tariff_book_without_its_columns_is_refused_and_writes_nothing(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "t.csv"
    path.write_text("کد,قیمت\n08081010,12\n", encoding="utf-8")
    with pytest.raises(MissingColumnsError, match="شرح کالا"):
        data.import_nomenclature(ws, path)
    assert data.datasets(ws).height == 0


def test_the_command_line_names_and_searches_products(ws: Workspace, tmp_path: Path) -> None:
    res = runner.invoke(app, ["reference", "product", "0808", "--lang", "fa", "--json"])
    assert res.exit_code == 0, res.output
    got = json.loads(res.output)
    assert got["name"] == "سیب، گلابی و به؛ تازه"
    assert [p["code"] for p in got["parents"]] == ["II", "08"]
    res = runner.invoke(app, ["reference", "product", "--search", "سيب", "--json", "--limit", "3"])
    assert res.exit_code == 0, res.output
    hits = json.loads(res.output)
    assert hits[0] == {"code": "0808", "level": "heading", "name": "Apples, pears and quinces; fresh", "match": "name"}
    res = runner.invoke(app, ["reference", "product", "0808"])
    assert "Apples, pears and quinces; fresh" in res.output and "Vegetable products" in res.output
    w = ["--workspace", str(ws.path)]
    res = runner.invoke(app, ["import", "nomenclature", str(tariff_book(tmp_path)), *w])
    assert res.exit_code == 0, res.output
    assert "accepted 2" in res.output and "rejected 6" in res.output
    res = runner.invoke(app, ["reference", "product", "08081010", "--lang", "fa", "--json", *w])
    assert json.loads(res.output)["name"] == "سیب درختی گلاب"


@pytest.fixture
def client(small_demo: Workspace) -> Iterator[TestClient]:
    with TestClient(create_app(small_demo), follow_redirects=False, headers=BROWSER) as c:
        sign_in(c)
        yield c


def test_the_product_box_finds_a_product_by_name_on_every_page(client: TestClient) -> None:
    for page in ("/dashboard", "/monitor", "/opportunities", "/program", "/data"):
        html = client.get(page + "?lang=fa").text
        assert 'action="/products"' in html and 'name="q"' in html, page
    r = client.get("/products", params={"q": "سيب", "lang": "fa"})
    assert r.status_code == 200
    assert 'href="/opportunities?product=0808"' in r.text and "سیب، گلابی و به؛ تازه" in r.text
    j = client.get("/products.json", params={"q": "apples", "lang": "en"}).json()
    assert j["hits"][0]["code"] == "0808"
    assert j["hits"][0]["label"] == "0808 Apples, pears and quinces; fresh"
    empty = client.get("/products.json", params={"q": "zzqqxx", "lang": "fa"}).json()
    assert empty["hits"] == [] and "zzqqxx" in empty["notes"][0]


def test_opportunities_take_a_product_name_and_show_names(
    client: TestClient, small_demo: Workspace
) -> None:
    top = client.get("/opportunities.json?lang=fa").json()
    code = top["product"]
    name = ref.name(code, "fa")
    assert name
    # the product box's word is the code of its best match, in either language
    word = name.split("،")[0].split("؛")[0].split()[0]
    first = ref.search(word, None, levels=("heading", "subheading", "national"))[0].product.code[:4]
    r = client.get("/opportunities.json", params={"product": word, "lang": "fa"})
    assert r.status_code == 200, r.text
    assert r.json()["product"] == first
    r = client.get("/opportunities", params={"product": "سیب", "lang": "fa"})
    assert r.status_code == 200, r.text
    assert client.get("/opportunities.json?product=سیب&lang=fa").json()["product"] == "0808"
    j = client.get("/opportunities.json", params={"product": code, "lang": "fa"}).json()
    assert name in j["tables"]["markets"]["title"]
    prods = j["tables"]["products"]["rows"]
    assert prods and all(row["product"] == ref.name(row["prod"], "fa") for row in prods)
    reason = j["tables"]["markets"]["rows"][0]["reason"]
    assert f"({name})" in reason and "HS" not in reason
    nothing = client.get("/opportunities", params={"product": "zzqqxx", "lang": "fa"})
    assert nothing.status_code == 404 and "هیچ کالایی" in nothing.text
