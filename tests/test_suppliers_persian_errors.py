"""The supplier registry's and the demand lists' errors in Persian: every rejected row's
reason and every refusal of an upload is shown in the page's language (the one label
dictionary, exportplan.i18n.message_text and error_text), with file, row, column and value
kept; a bad registry file and a bad demand list uploaded on the Persian page leave no English
word outside the data."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from exportplan.errors import ConflictError, InputError, MissingColumnsError
from exportplan.i18n import error_text, message_text
from exportplan.ingest import supplier_cells as cells
from exportplan.ingest.suppliers import (
    DEMAND_COLUMNS,
    DEMAND_OPTIONAL,
    FIRM_COLUMNS,
    FIRM_OPTIONAL,
    parse_demand,
    parse_firms,
)
from exportplan.reference.supplier_errors import COLUMNS, FA_ERRORS
from exportplan.web.app import create_app
from exportplan.workspace import Workspace, open_workspace
from test_persian_complete import english_words
from test_suppliers_web import BROWSER, sign_in

DATA = Path(__file__).parent / "data" / "suppliers"
LATIN = re.compile(r"[A-Za-z]{2,}")
#: Latin a Persian reason may keep: codes and standards (upper case), file names
CODES = re.compile(r"\b[A-Z0-9][A-Z0-9_-]*\b|[\w.-]*\.(?:csv|xlsx)")


def persian(text: str) -> bool:
    """Persian letters and no Latin word outside codes."""
    return bool(re.search("[\u0600-\u06ff]", text)) and not LATIN.search(CODES.sub(" ", text))


def bad_cells() -> list[str]:
    """A cell check's every refusal, as raised."""
    out = []
    for check in (
        lambda: cells.hs_code("84A1"),
        lambda: cells.hs_code("84137"),
        lambda: cells.hs_code("8413012"),
        lambda: cells.hs_code("123456789012"),
        lambda: cells.hs_code("9900"),
        lambda: cells.hs_code("840011"),
        lambda: cells.cpv_code("4213"),
        lambda: cells.cpv_code("99130000"),
        lambda: cells.national_id("123"),
        lambda: cells.national_id("123456789012"),
        lambda: cells.national_id("10101539141"),
        lambda: cells.date("1404/12/30", what="needed_by"),
        lambda: cells.date("1404/13/01", what="needed_by"),
        lambda: cells.date("soon", what="needed_by"),
        lambda: cells.date("1404/07/31", what="needed_by"),
        lambda: cells.date("2026-02-30", what="needed_by"),
        lambda: cells.date("1404/05", what="needed_by"),
        lambda: cells.number("many", what="quantity"),
        lambda: cells.number("-5", what="capacity"),
        lambda: cells.certifications("API 6A until 1403/12/31"),
        lambda: cells.certifications("ISO 9001 until 1405/1/1/1 x"),
        lambda: cells.certifications("ISO 9001 from 1405/01/01 until 1404/01/01"),
    ):
        with pytest.raises(cells.CellError) as exc:
            check()
        out.append(str(exc.value))
    return out


def test_every_cell_refusal_and_every_rejected_row_has_its_persian() -> None:
    reasons = bad_cells()
    firms, demand = parse_firms(DATA / "firms_bad.csv"), parse_demand(DATA / "demand_bad.csv")
    reasons += [r.reason for r in firms.rejects + demand.rejects]
    assert len(reasons) >= 30
    for reason in reasons:
        fa = message_text(reason, "fa")
        assert fa != reason and persian(fa), (reason, fa)
        assert message_text(reason, "en") == reason  # English as raised
    # the values: numbers in Persian digits, the column and a certificate's end by their names
    assert message_text("item B4 is already in row 5", "fa") == "قلم B4 در ردیف ۵ هم آمده است"
    got = message_text(cells_reason(lambda: cells.date("1404/12/30", what="needed_by")), "fa")
    assert (
        got
        == "تاریخ نیاز: این روز در تقویم هجری شمسی نیست: ماه ۱۲ سال ۱۴۰۴ ۲۹ روز دارد (سال کبیسه نیست)"
    )
    got = message_text(cells_reason(lambda: cells.certifications("API 6A until 1403/12/31")), "fa")
    assert got.startswith("پایان API 6A: ")
    got = message_text(
        cells_reason(lambda: cells.certifications("ISO 9001 from 1405/01/01 until 1404/01/01")),
        "fa",
    )
    assert got == "گواهینامه ISO 9001 پیش از آغازش (۱۴۰۵/۰۱/۰۱) پایان می‌یابد (۱۴۰۴/۰۱/۰۱)"
    # a text no template matches stays as it is (never a wrong translation)
    assert message_text("something else entirely", "fa") == "something else entirely"


def cells_reason(check: object) -> str:
    try:
        check()  # type: ignore[operator]
    except cells.CellError as exc:
        return str(exc)
    raise AssertionError("no refusal")


def test_the_columns_persian_names_are_headers_the_importer_recognises() -> None:
    for aliases in (FIRM_COLUMNS | FIRM_OPTIONAL, DEMAND_COLUMNS | DEMAND_OPTIONAL):
        for name in aliases:
            assert name in COLUMNS
            assert cells.resolve_headers([COLUMNS[name]], aliases) == {name: 0}, name
    # every Persian wording is Persian (its placeholders left out); the vendor-list statuses are
    # the words a file must use, so that reason names them beside their Persian
    for en, fa in FA_ERRORS.items():
        if not en.startswith("vendor list status"):
            assert persian(re.sub(r"\{\w+\}", " ", fa)), fa


def test_refusals_reach_persian_through_error_text() -> None:
    exc = InputError(
        "no validated firms in the registry: nothing to match",
        hint="import the registry as an administrator or secretary (exportplan suppliers "
        "import FILE.csv), or validate the firms imported as drafts",
    )
    msg, hint = error_text(exc, "fa")
    assert persian(msg) and persian(hint)
    assert error_text(exc, "en") == (exc.message, exc.hint)
    missing = MissingColumnsError("x.csv", ["firm_id", "capacity"], ["firm_id"], ["capacity"])
    msg, _ = error_text(missing, "fa")
    assert msg == "x.csv: ستون(های) ظرفیت نیست؛ ستون‌های لازم: شناسه بنگاه، ظرفیت"
    conflict = ConflictError(
        "the new file of NIOC leaves out item(s) N1, N2, whose matches curators have decided; "
        "nothing was imported"
    )
    assert error_text(conflict, "fa")[0].startswith("فایل تازه NIOC قلم(های) N1, N2 را ندارد")


@pytest.fixture
def client(small_demo: Workspace, tmp_path: Path) -> Iterator[TestClient]:
    """The demo's own copy (an import writes to its registry)."""
    shutil.copytree(small_demo.path, tmp_path / "demo")
    with TestClient(
        create_app(open_workspace(tmp_path / "demo")), follow_redirects=False, headers=BROWSER
    ) as c:
        yield c


def upload(c: TestClient, path: Path, lang: str, **form: str) -> str:
    r = c.post(
        f"/suppliers/import?lang={lang}",
        data={"csrf": c.cookies["ep_csrf"], **form},
        files={"file": (path.name, path.read_bytes(), "text/csv")},
    )
    assert r.status_code == 200, re.findall(r"<main.*?</main>", r.text, re.S)
    return r.text


def test_a_bad_registry_file_and_demand_list_on_the_persian_page(client: TestClient) -> None:
    sign_in(client, "admin")
    html = upload(client, DATA / "firms_bad.csv", "fa", kind="firms")
    assert english_words(html) == []
    assert "ردیف‌های ردشده" in html and "firms_bad.csv" in html
    # the reasons in Persian, the values as the file wrote them, the columns by their headers
    assert "کد تعرفه باید ۴، ۶، ۸ یا ۱۰ رقم و به صورت متن باشد" in html
    assert '<bdi translate="no">84137</bdi>' in html
    assert "بنگاه F015 به‌تمامی کنار گذاشته شد: ردیف ۸ آن رد شد" in html
    assert "<td>شناسه ملی</td>" in html
    html = upload(client, DATA / "demand_bad.csv", "fa", kind="demand", buyer="TRIAL")
    assert english_words(html) == []
    assert "مقدار عدد نیست" in html and '<bdi translate="no">many</bdi>' in html
    assert "قلم B4 در ردیف ۵ هم آمده است" in html
    # the same file on the English page: the reasons as raised
    html = upload(client, DATA / "firms_bad.csv", "en", kind="firms")
    assert "did you mean 084137?" in html and "(this file was imported before" in html
    # a refusal of the whole file, on the Persian page
    r = client.post(
        "/suppliers/import?lang=fa",
        data={"csrf": client.cookies["ep_csrf"], "kind": "demand", "buyer": "NIOC"},
        files={"file": ("firms.csv", (DATA / "firms_good.csv").read_bytes(), "text/csv")},
    )
    assert r.status_code == 400 and english_words(r.text) == [], english_words(r.text)
    assert "ستون(های) شناسه قلم، شرح، مقدار، تاریخ نیاز، گواهینامه‌های لازم نیست" in r.text


def test_only_curators_upload(client: TestClient) -> None:
    sign_in(client, "viewer")
    assert 'action="/suppliers/import"' not in client.get("/suppliers?lang=fa").text
    r = client.post(
        "/suppliers/import",
        data={"csrf": client.cookies["ep_csrf"], "kind": "firms"},
        files={"file": ("f.csv", (DATA / "firms_good.csv").read_bytes(), "text/csv")},
    )
    assert r.status_code == 403
