"""The dashboard answers the council's questions: the year, month and definition chosen in its
pickers (the state in the address, so a view can be shared), what is needed per month, the
overdue actions by agency, and the probability with its back-test coverage beside it; every
figure checked against the services."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import numpy as np
import pytest
from fastapi.testclient import TestClient

from exportplan.services import monitor, program
from exportplan.services.program.progress import tree_progress
from exportplan.web.app import create_app
from exportplan.workspace import Workspace
from helpers import client_as


@pytest.fixture(scope="module")
def client(small_demo: Workspace) -> Iterator[TestClient]:
    with client_as(create_app(small_demo), "secretary") as c:
        yield c


def scope(ws: Workspace, definition: str) -> monitor.Scope:
    return monitor.Scope(region=ws.home_region, definition=definition)


def test_the_definition_year_and_month_chosen_are_the_ones_shown(
    client: TestClient, small_demo: Workspace
) -> None:
    default = client.get("/dashboard.json?lang=en").json()
    origin = client.get("/dashboard.json?lang=en&definition=origin").json()
    assert default["status"]["definition"] == "customs"
    assert origin["status"]["definition"] == "origin"  # ?definition=origin is read
    year = origin["year"]
    st = monitor.status(small_demo, scope(small_demo, "origin"), year)
    assert origin["status"]["ytd"] == pytest.approx(st.ytd)
    assert origin["status"]["ytd"] != pytest.approx(default["status"]["ytd"])
    # the other definition is beside it, never added to it
    cus = monitor.status(small_demo, scope(small_demo, "customs"), year, st.months)
    assert origin["other"] == {
        "definition": "customs",
        "ytd": pytest.approx(cus.ytd),
        "growth_pct": pytest.approx(cus.growth_pct),
        "months": st.months,
    }
    # an earlier year and month, through the pickers' parameters
    j = client.get("/dashboard.json?lang=en&definition=origin&year=1404&month=6").json()
    st6 = monitor.status(small_demo, scope(small_demo, "origin"), 1404, 6)
    assert (j["year"], j["status"]["months"]) == (1404, 6)
    assert j["status"]["ytd"] == pytest.approx(st6.ytd)
    series = monitor.monthly(small_demo, scope(small_demo, "origin"))
    assert j["pickers"]["years"] == sorted(series, reverse=True)
    assert [m for m, _ in j["pickers"]["months"]] == list(range(1, 13))  # 1404 is complete
    assert [m for m, _ in origin["pickers"]["months"]] == list(range(1, st.months + 1))
    # the page: each picker labelled, the choice selected, the state in the form's fields
    html = client.get("/dashboard?lang=en&definition=origin&year=1404&month=6").text
    for field, value in (("year", "1404"), ("month", "6"), ("definition", "origin")):
        assert re.search(rf'<label for="pick-{field}">', html)
        select = html.split(f'id="pick-{field}"')[1].split("</select>")[0]
        assert re.findall(r'<option value="([^"]+)" selected>', select) == [value], field
    assert '<input type="hidden" name="lang" value="en">' in html


def test_a_definition_that_does_not_exist_is_refused_in_the_pages_language(
    client: TestClient,
) -> None:
    r = client.get("/dashboard?lang=fa&definition=bogus")
    assert r.status_code == 400
    assert "تعریف باید یکی از customs, origin باشد" in r.text
    assert "تعریف را در همین صفحه انتخاب کنید" in r.text
    r = client.get("/dashboard.json?lang=en&definition=bogus")
    assert r.status_code == 400 and r.json()["error"].startswith("definition must be one of")


def test_overdue_actions_are_counted_by_agency(client: TestClient, small_demo: Workspace) -> None:
    db = small_demo.program()
    pid = program.programs(db)[0]["id"]
    overdue = program.actions(db, pid, overdue=True)
    assert overdue  # the demo has overdue actions
    rows = client.get("/dashboard.json?lang=en").json()["tables"]["overdue_by_agency"]["rows"]
    assert {r["agency"]: r["overdue"] for r in rows} == Counter(a["agency"] for a in overdue)
    for r in rows:
        mine = [a for a in overdue if a["agency"] == r["agency"]]
        assert r["oldest"] == min(str(a["deadline"]) for a in mine)
        assert r["blocked"] == sum(a["status"] == "blocked" for a in mine)
    assert [r["overdue"] for r in rows] == sorted((r["overdue"] for r in rows), reverse=True)
    # the origin definition has no program in the demo: no overdue actions of its own
    j = client.get("/dashboard.json?lang=en&definition=origin").json()
    assert j["tables"]["overdue_by_agency"]["rows"] == []


def test_the_probability_carries_its_back_test_coverage_and_the_chart_its_table(
    client: TestClient, small_demo: Workspace
) -> None:
    j = client.get("/dashboard.json?lang=en").json()
    st = monitor.status(small_demo, scope(small_demo, "customs"), j["year"])
    n = st.backtest_years
    assert n >= 3 and st.coverage80 is not None and st.coverage95 is not None
    html = client.get("/dashboard?lang=en").text
    card = html.split('id="probability"')[1].split('<div class="card"')[0]
    assert j["status"]["shown"]["probability"] in card
    expected = (
        f"{round(st.coverage80 * n)} of {n} years inside the 80% interval, "
        f"{round(st.coverage95 * n)} inside the 95%"
    )
    assert f"calibrated on the back-test: {expected}" in card
    assert st.target is not None
    needed = (st.target - st.ytd) / (12 - st.months)
    assert st.needed_monthly == pytest.approx(needed)
    # the cumulative chart's figures as a table: each month's running total, both years
    rows = j["tables"]["cumulative"]["rows"]
    series = monitor.monthly(small_demo, scope(small_demo, "customs"))
    this = np.cumsum(series[j["year"]][: st.months])
    last = np.cumsum(series[j["year"] - 1])
    assert [r["this_year"] for r in rows[: st.months]] == pytest.approx(list(this))
    assert [r["last_year"] for r in rows] == pytest.approx(list(last))
    assert all(r["this_year"] is None for r in rows[st.months :])
    assert 'href="#table-cumulative"' in html


def test_the_sub_targets_behind_their_path_are_the_program_pages_flags(
    client: TestClient, small_demo: Workspace
) -> None:
    """The dashboard lists the sub-targets the program page's tree flags as behind their path
    (their exports to date below their path's part to the data's last month: tested by hand in
    test_program_web), furthest behind first, each with the gap and what it needs a month, and
    how the path is drawn is stated beside the table, in both languages."""
    db = small_demo.program()
    pid = program.programs(db)[0]["id"]
    prog = tree_progress(small_demo, db, pid)
    flagged = {
        r["code"]
        for r in client.get("/program.json?lang=en").json()["tables"]["targets"]["rows"]
        if r["behind"] and r["code"] != "TOTAL"
    }
    j = client.get("/dashboard.json?lang=en").json()
    rows = j["tables"]["behind"]["rows"]
    assert rows and {r["code"] for r in rows} == flagged
    for r in rows:
        p = prog[r["code"]]
        assert p["achieved_usd"] < p["due_usd"]
        assert r["gap_usd"] == pytest.approx(p["due_usd"] - p["achieved_usd"])
        assert r["needed_per_month_usd"] == pytest.approx(p["needed_per_month_usd"])
    assert [r["gap_usd"] for r in rows] == sorted((r["gap_usd"] for r in rows), reverse=True)
    years = ", ".join(str(y) for y in prog["TOTAL"]["profile_years"])
    assert j["behind_note"].startswith(f"Path: each month's share of the year in {years}")
    html = client.get("/dashboard?lang=fa").text
    assert "زیرهدف‌های عقب از مسیر" in html and 'id="behind-path"' in html
    assert 'id="table-behind"' in html and rows[0]["code"] in html.split('id="table-behind"')[1]
