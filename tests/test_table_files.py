"""Downloads explain themselves: headers in the chosen language (machine names on request or in
the data dictionary), numbers as formatted numbers, Solar Hijri days in Persian sheets, and an
"about" block saying the page, period, definition, units, sources and when it was made."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

import jdatetime
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from exportplan.i18n import label as t
from exportplan.services.facts import facts
from exportplan.views.table_files import csv_bytes, sheet_title, xlsx_bytes
from exportplan.views.tables import table
from exportplan.web.app import create_app
from exportplan.workspace import Workspace
from test_web import BROWSER, sign_in


@pytest.fixture(scope="module")
def client(small_demo: Workspace) -> Iterator[TestClient]:
    with TestClient(create_app(small_demo), follow_redirects=False, headers=BROWSER) as c:
        sign_in(c)
        yield c


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_table_file_has_typed_cells_labels_and_a_dictionary() -> None:
    rows = [{"code": "0808", "value": 1234567.8, "change": -12.5, "day": "2026-03-21"}]
    cols = [
        ("code", "code", "text"),
        ("value", "value", "usd"),
        ("change", "change", "pct"),
        ("day", "deadline", "date"),
    ]
    fa, en = table("t", rows, cols, "fa"), table("t", rows, cols, "en")
    # the header is the page's language; the values stay as stored (English, or the column
    # names for a program), a Persian file for people writes its days in Solar Hijri
    assert rows_of(csv_bytes(fa))[0] == [t(c[1], "fa") for c in cols] != rows_of(csv_bytes(en))[0]
    assert rows_of(csv_bytes(fa, lang="fa"))[1] == ["0808", "1234567.8", "-12.5", "۱۴۰۵/۰۱/۰۱"]
    assert (
        rows_of(csv_bytes(fa))[1]
        == rows_of(csv_bytes(en))[1]
        == rows_of(csv_bytes(fa, header="machine", lang="fa"))[1]
        == [
            "0808",
            "1234567.8",
            "-12.5",
            "2026-03-21",
        ]
    )
    assert rows_of(csv_bytes(fa, header="machine"))[0] == ["code", "value", "change", "day"]
    both = rows_of(csv_bytes(fa, header="both"))
    assert both[0] == fa["labels"] and both[1] == fa["columns"] and len(both) == 3
    about = rows_of(csv_bytes(en, about=[("period", "1405, months 1-8"), ("note", "a, b")]))
    assert about[:2] == [["# period: 1405, months 1-8"], ["# note: a, b"]]
    assert about[2] == en["labels"]

    def cells(lang: str) -> tuple[list[object], list[str | None], list[str], list[list[object]]]:
        wb = load_workbook(io.BytesIO(xlsx_bytes(fa if lang == "fa" else en, lang)))
        sheet = wb.worksheets[0]
        row = next(iter(sheet.iter_rows(min_row=3, max_row=3)))
        dictionary = [[c.value for c in r] for r in wb.worksheets[-1].iter_rows(min_row=2)]
        return [c.value for c in row], [c.number_format for c in row], wb.sheetnames, dictionary

    values, formats, names, dictionary = cells("en")
    assert values[:3] == ["0808", 1234567.8, -12.5]
    assert values[3] == dt.datetime(2026, 3, 21)  # a real date in English
    assert formats[1:] == ["#,##0", '+0.0"%";-0.0"%";0.0"%"', "yyyy-mm-dd"]
    assert names == ["t", "data dictionary"]  # the table's sheet named by its title
    assert [r[0] for r in dictionary] == ["code", "value", "change", "day"]
    assert dictionary[1][3] == "US dollars (current)" and dictionary[0][3] in ("", None)
    values, formats, names, dictionary = cells("fa")
    j = jdatetime.date.fromgregorian(date=dt.date(2026, 3, 21))
    assert (j.year, j.month, j.day) == (1405, 1, 1)
    assert values[3] == "۱۴۰۵/۰۱/۰۱"  # Solar Hijri text in a Persian sheet
    assert values[1] == 1234567.8 and formats[1] == "#,##0"
    assert names == ["t", "واژه‌نامه داده‌ها"]
    assert dictionary[3][3] == "روز هجری شمسی"
    assert [r[2] for r in dictionary] == ["متن", "مبلغ به دلار آمریکا", "درصد تغییر", "روز"]


def test_a_page_download_says_what_it_covers(client: TestClient, small_demo: Workspace) -> None:
    """The monitor's table: the about block names its period and definition as the page shows
    them, the units of its columns, the datasets, and says the data are synthetic."""
    f = facts(small_demo)
    page = client.get("/monitor.json?lang=fa&definition=origin").json()
    name, tab = next(iter(page["tables"].items()))
    r = client.get(f"/download/monitor/{name}.csv?lang=fa&definition=origin&about=1")
    lines = rows_of(r.content)
    about = {
        row[0].split(": ", 1)[0]: row[0].split(": ", 1)[1] for row in lines if row[0][:1] == "#"
    }
    assert about["# " + t("period", "fa")] == page["period"]
    assert about["# " + t("definition", "fa")] == t("origin", "fa")
    assert about["# " + t("synthetic", "fa")] == t("yes" if f.synthetic else "no", "fa")
    assert all(s in about["# " + t("sources", "fa")] for s in f.sources)
    assert f.data_version in about["# " + t("sources", "fa")]
    header = lines[len(about)]
    assert header == tab["labels"]
    # without about=1 the CSV starts with its header; the Excel file always has the about sheet
    plain = rows_of(client.get(f"/download/monitor/{name}.csv?lang=fa&definition=origin").content)
    assert plain[0] == tab["labels"] and plain[1:] == lines[len(about) + 1 :]
    x = client.get(f"/download/monitor/{name}.xlsx?lang=en&definition=origin")
    wb = load_workbook(io.BytesIO(x.content))
    en_title = client.get("/monitor.json?lang=en&definition=origin").json()["tables"][name]["title"]
    assert wb.sheetnames == [sheet_title(en_title), "about this file", "data dictionary"]
    sheet = {str(k): str(v) for k, v in wb["about this file"].iter_rows(values_only=True)}
    assert sheet["definition"] == t("origin", "en") == "made in the province"
    assert sheet["region"] == small_demo.home_region
    made = dt.datetime.now()
    assert str(made.year) in sheet["made"]
    # a header choice that does not exist is a message, not a 500
    bad = client.get(f"/download/monitor/{name}.csv?header=evil")
    assert bad.status_code == 400 and "header must be one of" in bad.text
