"""The pace of a zone (issue 18) on a golden fixture of 12 plots and 9 applications whose
figures are computed by hand below, through the import and `zones status --json`; and the
pure functions' cases (percentiles, readiness, deadline risk).

Days are counted within the Solar Hijri year 1402 (a common year: months 1-6 have 31 days,
7-11 have 30, Esfand 29): day-of-year = (m-1)*31 + d for m <= 6, 186 + (m-7)*30 + d after.
As of 1402/12/01 = day 337.

  app plot  submitted     decided       decision  contract      deadline      started
  1   G-01  01/10 (10)    02/09 (40)    allot     03/09 (71)    09/01 (247)   08/01 (217)
  2   G-02  01/20 (20)    03/20 (82)    allot     04/10 (103)   10/01 (277)   -
  3   G-03  02/01 (32)    02/15 (46)    allot     05/15 (139)   1403/02/10    -
  4   -     02/10 (41)    04/10 (103)   reject
  5   G-05  03/01 (63)    06/01 (156)   allot     -
  6   -     04/01 (94)    05/01 (125)   waitlist
  7   -     11/01 (307)   -
  8   G-07  01/05 (5)     01/25 (25)    allot     02/25 (56)    07/01 (187)   12/05 (341)
  9   -     07/01 (187)   07/11 (197)   reject
  (app 1 operating since 1403/01/15, after the day asked)

days_to_decision (allot or reject): 30, 62, 14, 62, 93, 20, 10 -> sorted 10 14 20 30 62 62 93;
  median = 30; p90: rank (7-1)*0.9 = 5.4 -> 62 + 0.4*(93-62) = 74.4.
days_to_contract: 31, 21, 93, 31 -> sorted 21 31 31 93; median: rank 1.5 -> 31;
  p90: rank 2.7 -> 31 + 0.7*(93-31) = 74.4.
States on day 337: G-01 under_construction (started 217, operating only in 1403); G-02,
  G-03, G-07 contracted (G-07 starts on 341); G-05 allotted; the other 7 vacant.
Areas (m²): G-01 1000, G-02 1000, G-03 2000, G-04 2000, G-05 1500, G-06 1500, G-07 3000,
  G-08 3000, G-09 500, G-10 500, G-11 2500, G-12 1500; total 20,000.
  allotted 1500; contracted 1000 + 2000 + 3000 = 6000; under_construction 1000;
  vacant 20000 - 8500 = 11500; share_allotted_area = 8500 / 20000 = 0.425.
idle_plots: deadline before day 337 and no start by then: G-02 (277, none), G-07 (187,
  start 341 is after); not G-01 (started 217) nor G-03 (1403) -> [G-02, G-07].
backlog on day 337: submitted and not allotted or rejected: apps 6 (waitlisted) and 7 -> 2.
backlog at the end of Ordibehesht (1402-02, day 62): submitted by then 1, 2, 3, 4, 8; decided
  by then 1, 3, 8 -> 2 waiting; decisions in days 32-62: apps 1 (40) and 3 (46) -> 2.
deadline risk (next 90 days: to day 427 = 1403/02/31): G-03's construction start on
  1403/02/10 = 2024-04-29 (1403/01/01 is 2024-03-20, + 40 days).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from exportplan.analytics import zone_pace as pace
from exportplan.cli import app
from exportplan.workspace import Workspace

PLOTS = """plot,area_m2,use
G-01,1000,industrial
G-02,1000,industrial
G-03,2000,industrial
G-04,2000,industrial
G-05,1500,industrial
G-06,1500,industrial
G-07,3000,industrial
G-08,3000,industrial
G-09,500,service
G-10,500,service
G-11,2500,warehouse
G-12,1500,industrial
"""
HEADER = (
    "application_id,applicant,plot,area_m2,submitted,decided,decision,contract_signed,"
    "construction_deadline,construction_started,operating_since\n"
)
APPS = HEADER + """1,Kafsh Alpha,G-01,1000,1402/01/10,1402/02/09,allot,1402/03/09,1402/09/01,1402/08/01,1403/01/15
2,Charm Beta,G-02,1000,1402/01/20,1402/03/20,allot,1402/04/10,1402/10/01,,
3,Kif Gamma,G-03,2000,1402/02/01,1402/02/15,allot,1402/05/15,1403/02/10,,
4,Delta,,1500,1402/02/10,1402/04/10,reject,,,,
5,Epsilon,G-05,1500,1402/03/01,1402/06/01,allot,,,,
6,Zeta,,1200,1402/04/01,1402/05/01,waitlist,,,,
7,Eta,,900,1402/11/01,,,,,,
8,Theta,G-07,3000,1402/01/05,1402/01/25,allot,1402/02/25,1402/07/01,1402/12/05,
9,Iota,,800,1402/07/01,1402/07/11,reject,,,,
"""


def test_status_json_on_the_golden_fixture(ws: Workspace, tmp_path: Path) -> None:
    (tmp_path / "plots.csv").write_text(PLOTS, "utf-8")
    (tmp_path / "apps.csv").write_text(APPS, "utf-8")
    run = CliRunner()
    w = ["-w", str(ws.path)]
    for args in (
        [
            "zones",
            "create",
            "GOLD",
            "--name-fa",
            "طلایی",
            "--name-en",
            "Golden",
            "--specialisation",
            "leather shoe",
        ],
        ["zones", "import-plots", str(tmp_path / "plots.csv"), "--zone", "GOLD"],
        ["zones", "import-applications", str(tmp_path / "apps.csv"), "--zone", "GOLD"],
    ):
        res = run.invoke(app, [*args, *w])
        assert res.exit_code == 0, res.output
    res = run.invoke(
        app, ["zones", "status", "--zone", "GOLD", "--as-of", "1402/12/01", "--json", *w]
    )
    assert res.exit_code == 0, res.output
    got = json.loads(res.output)
    assert got["plots_total"] == 12 and got["area_total_m2"] == 20000.0
    assert {k: v for k, v in got["plots_by_status"].items() if v} == {
        "vacant": 7,
        "allotted": 1,
        "contracted": 3,
        "under_construction": 1,
    }
    assert {k: v for k, v in got["area_by_status_m2"].items() if v} == {
        "vacant": 11500.0,
        "allotted": 1500.0,
        "contracted": 6000.0,
        "under_construction": 1000.0,
    }
    assert got["share_allotted_area"] == 0.425
    assert (got["median_days_to_decision"], got["p90_days_to_decision"]) == (30.0, 74.4)
    assert (got["median_days_to_contract"], got["p90_days_to_contract"]) == (31.0, 74.4)
    assert got["idle_plots"] == ["G-02", "G-07"]
    assert got["backlog"] == 2
    month2 = next(m for m in got["backlog_by_month"] if m["month"] == "1402-02")
    assert month2 == {"month": "1402-02", "waiting": 2, "decisions": 2}
    assert got["deadline_risk"] == [
        {"plot": "G-03", "deadline": "construction_start", "day": "2024-04-29"}
    ]
    # four days later G-07's construction has started: only G-02 is idle
    res = run.invoke(
        app, ["zones", "status", "--zone", "GOLD", "--as-of", "1402/12/05", "--json", *w]
    )
    assert json.loads(res.output)["idle_plots"] == ["G-02"]
    # a day that does not exist is a clear error, not a traceback
    res = run.invoke(app, ["zones", "status", "--zone", "GOLD", "--as-of", "1402/12/30", *w])
    assert res.exit_code != 0 and "is not a day" in str(res.exception or res.output)


def test_pure_cases() -> None:
    assert pace.percentile([], 50) is None
    assert pace.percentile([5], 90) == 5.0
    assert pace.percentile([1, 2, 3, 4], 50) == 2.5
    assert pace.readiness([(1000.0, True), (3000.0, False)]) == 0.25
    assert pace.readiness([]) is None
    assert pace.share_allotted_area({"vacant": 0.0}) is None
    d = dt.date(2025, 1, 1)
    c = pace.ContractDates(
        plot="X",
        signed=d,
        construction_deadline=d + dt.timedelta(days=30),
        construction_started=None,
        operation_deadline=d + dt.timedelta(days=120),
    )
    assert pace.deadline_risk([c], as_of=d) == [
        {"plot": "X", "deadline": "construction_start", "day": d + dt.timedelta(days=30)}
    ]
    assert pace.deadline_risk([c], as_of=d + dt.timedelta(days=31)) == [
        {"plot": "X", "deadline": "operation", "day": d + dt.timedelta(days=120)}
    ]
    assert pace.month_end(1403, 12) == dt.date(2025, 3, 20)  # 1403 is leap: Esfand 30
    assert pace.sh_months(dt.date(2025, 3, 21), 2) == [(1403, 12), (1404, 1)]
