"""The investment pipeline's imports and figures on a hand-computed fixture
(tests/data/invest: 7 mining projects, 6 enquiries' worth of dates, 13 stage-log rows), on
SQLite and PostgreSQL; ``invest funnel --as-of 1405/06/31 --json`` gives the same figures.

Working days count the days AFTER receipt up to and including the response day, with Fridays,
Thursdays and the holiday table off (reference/data/iran_holidays.csv). By hand:

- P1: received Sun 1404/12/24, answered Mon 1405/01/10: 15 calendar days. Working: Mon 25,
  Tue 26, Wed 27 Esfand (3); Thu 28 off, Fri 29 (oil day) off; 1-4 Farvardin Nowruz (Sat 1 is
  also Eid al-Fitr) off; Wed 5 (4); Thu 6, Fri 7 off; Sat 8, Sun 9, Mon 10 (7) -> 7, late.
- P2: received Sat 1405/03/30, answered Sun 1405/04/07: 8 calendar days. Sun 31 Khordad,
  Mon 1, Tue 2 Tir (3); Wed 3 Tasua and Thu 4 Ashura off; Fri 5 off; Sat 6, Sun 7 (5) -> 5,
  within (the target is 5).
- P3: received Sat 1405/05/10, answered Wed 1405/05/14: 4 calendar days. Sun 11, Mon 12 (2),
  Tue 13 Arbaeen off, Wed 14 (3) -> 3, within.
- P6: received and answered the same day 1405/02/05: 0 and 0, within.
- P4: received Sun 1405/06/01, never answered: 30 Shahrivar days later it is far past 5
  working days -> judged, overdue. P5: received Sun 1405/06/29, not answered; by Tue 06/31 it
  has had 2 working days (Mon 30, Tue 31): 3 left, not judged yet.
- Medians over the 4 answered: calendar (0, 4, 8, 15) -> (4 + 8) / 2 = 6; working (0, 3, 5, 7)
  -> (3 + 5) / 2 = 4. Within target: P2, P3, P6 = 3 of 5 judged (4 answered + P4) = 0.6.

Stages as of 1405/06/31 (the last log entry up to the day; P7 was created later and is out):
P1 qualified, P2 site_visit, P3 agreement, P4 lead, P5 lead, P6 proposal (lost). Capex by
stage: lead 0 + 2 M (P5, estimated) = 2 M; qualified 5 M (estimated); site_visit 20 M;
proposal 8 M; agreement 120 M. Without estimates lead and qualified fall to 0. Furthest stage
reached: P1 1, P2 2, P3 4, P4 0, P5 0, P6 3 (P6 skipped the site visit) -> lead->qualified 4
of 6, qualified->site_visit 3 of 4, site_visit->proposal 2 of 3, proposal->agreement 1 of 2,
agreement->implementation 0 of 1, implementation->operating none reached (None).
Time in lead (completed stays): P3 5 days (05/10-05/15), P2 11 (03/30-04/10), P6 15
(02/05-02/20), P1 46 (1404/12/24-1405/02/10: 6 days to 1 Farvardin, 31 to 1 Ordibehesht, 9
more) -> median (11 + 15) / 2 = 13. Dormant (no interaction for 90 days; open projects): P1
(created 191 days before) and P2 (1405/03/30 -> 06/31: 2 + 31 + 31 + 30 = 94 days); P3, P4, P5
are younger, P6 is lost.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

import exportplan.store.invest.models as m
from exportplan.auth import Actor
from exportplan.cli import app
from exportplan.errors import RowsRefusedError
from exportplan.ingest.invest import PROJECT_COLUMNS, sh_day
from exportplan.reference.invest_labels import reason_text
from exportplan.services.invest import figures
from exportplan.services.invest.imports import import_projects, import_stages
from exportplan.store.program import ProgramDB
from exportplan.workspace import init

DATA = Path(__file__).parent / "data" / "invest"
ADMIN = Actor("admin", "admin")
TODAY = dt.date(2026, 12, 1)
AS_OF = sh_day("1405/06/31")
M = 1_000_000.0


def load(db: ProgramDB) -> None:
    import_projects(db, ADMIN, DATA / "projects.csv", allow_waivers=True, today=TODAY)
    import_stages(db, ADMIN, DATA / "stages.csv", today=TODAY)


def test_the_funnel_and_the_service_figures_are_the_hand_computed_ones(pdb: ProgramDB) -> None:
    load(pdb)
    f = figures.funnel_figures(pdb, AS_OF, target_days=5)
    assert f["projects_by_stage"] == {
        "lead": 2,
        "qualified": 1,
        "site_visit": 1,
        "proposal": 1,
        "agreement": 1,
        "implementation": 0,
        "operating": 0,
    }
    assert f["capex_by_stage_usd"] == {
        "lead": 2 * M,
        "qualified": 5 * M,
        "site_visit": 20 * M,
        "proposal": 8 * M,
        "agreement": 120 * M,
        "implementation": 0.0,
        "operating": 0.0,
    }
    assert f["capex_by_stage_usd_excluding_estimates"] == {
        "lead": 0.0,
        "qualified": 0.0,
        "site_visit": 20 * M,
        "proposal": 8 * M,
        "agreement": 120 * M,
        "implementation": 0.0,
        "operating": 0.0,
    }
    assert f["ongoing_projects_by_stage"]["proposal"] == 0  # P6 is lost
    assert {k: (v["reached"], v["reached_next"]) for k, v in f["conversion"].items()} == {
        "lead->qualified": (6, 4),
        "qualified->site_visit": (4, 3),
        "site_visit->proposal": (3, 2),
        "proposal->agreement": (2, 1),
        "agreement->implementation": (1, 0),
        "implementation->operating": (0, 0),
    }
    assert f["conversion"]["implementation->operating"]["rate"] is None
    assert f["conversion"]["lead->qualified"]["rate"] == pytest.approx(4 / 6)
    q = {
        (c["quarter"], c["from"]): (c["entered"], c["reached_next"])
        for c in f["conversion_by_quarter"]
    }
    assert q == {
        ("1404-Q4", "lead"): (1, 1),
        ("1405-Q1", "lead"): (2, 2),
        ("1405-Q1", "qualified"): (2, 1),
        ("1405-Q1", "proposal"): (1, 0),
        ("1405-Q2", "lead"): (3, 1),
        ("1405-Q2", "qualified"): (2, 2),
        ("1405-Q2", "site_visit"): (2, 1),
        ("1405-Q2", "proposal"): (1, 1),
        ("1405-Q2", "agreement"): (1, 0),
    }
    assert f["time_in_stage"]["lead"]["median_days"] == 13
    assert f["time_in_stage"]["qualified"]["median_days"] == 26  # P3 10, P6 26, P2 41
    assert f["dormant"] == ["P1", "P2"]
    assert f["median_days_to_first_response"] == 6
    assert f["median_working_days_to_first_response"] == 4
    assert (f["answered_within_target"], f["judged"]) == (3, 5)
    assert f["share_answered_within_target"] == pytest.approx(0.6)
    assert f["unanswered"] == ["P4", "P5"] and f["overdue"] == ["P4"]
    assert f["holidays_unknown_years"] == []
    # the totals are the projects', once each whatever their log holds
    assert sum(f["projects_by_stage"].values()) == 6
    inbox = {r["ref"]: r for r in figures.enquiries_inbox(pdb, AS_OF, target_days=5)}
    assert (inbox["P5"]["left"], inbox["P5"]["overdue"]) == (3, False)
    assert inbox["P4"]["overdue"] and inbox["P4"]["left"] < 0
    assert (inbox["P1"]["working_days"], inbox["P2"]["working_days"]) == (7, 5)
    assert figures.data_debt(pdb) == [
        {
            "code": "P2",
            "stage": "site_visit",
            "waived_fields": ["candidate_site", "site_visit_planned"],
        },
        {
            "code": "P3",
            "stage": "agreement",
            "waived_fields": [
                "agreement_signed",
                "candidate_site",
                "competitor_locations",
                "proposition",
                "site_visit_planned",
            ],
        },
        {
            "code": "P6",
            "stage": "proposal",
            "waived_fields": [
                "candidate_site",
                "competitor_locations",
                "proposition",
                "site_visit_planned",
            ],
        },
    ]


def test_importing_the_same_files_again_changes_nothing(pdb: ProgramDB) -> None:
    load(pdb)
    again = import_projects(pdb, ADMIN, DATA / "projects.csv", allow_waivers=True, today=TODAY)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 7)
    stages = import_stages(pdb, ADMIN, DATA / "stages.csv", today=TODAY)
    assert (stages["written"], stages["unchanged"]) == (0, 4)
    with pdb.session() as s:
        assert s.scalar(select(func.count()).select_from(m.Project)) == 7
        assert s.scalar(select(func.count()).select_from(m.Enquiry)) == 6
        assert s.scalar(select(func.count()).select_from(m.Investor)) == 7
        # 13 rows from the file, and the creation rows of P4, P5, P7
        assert s.scalar(select(func.count()).select_from(m.StageLog)) == 16


def test_without_waivers_the_missing_gate_fields_are_named_and_nothing_is_written(
    pdb: ProgramDB,
) -> None:
    with pytest.raises(RowsRefusedError) as err:
        import_projects(pdb, ADMIN, DATA / "projects.csv", today=TODAY)
    by_row = {r["row"]: r for r in err.value.rejects}
    assert sorted(by_row) == [3, 4, 7]  # P2, P3, P6
    assert by_row[3]["column"] == "stage" and by_row[3]["value"] == "site_visit"
    assert "missing site_visit_planned, candidate_site" in by_row[3]["reason"]
    fa = reason_text(by_row[3], "fa")
    assert "بازدید برنامه‌ریزی‌شده با تاریخ" in fa and "«بازدید از محل»" in fa
    with pdb.session() as s:
        assert s.scalar(select(func.count()).select_from(m.Project)) == 0
        assert s.scalar(select(func.count()).select_from(m.Investor)) == 0


BAD = (
    ",".join(PROJECT_COLUMNS)
    + """
B1,Tethys Mining,TUR,0729,lead,ongoing,5000000000000,no,,,
B2,Tethys Mining Co.,TUR,0729,lead,ongoing,1000,no,,1405/09/30,
B3,Kaveh,IRN,0729,lead,ongoing,12,maybe,2.5,1405/02/10,1405/02/01
B4,,IRN,0729,qualified,ongoing,,no,,1405/02/10,
B5,Azar,IRN,0729,stage9,unknown,abc,no,,1405/13/01,
B1,Again,IRN,0729,lead,ongoing,,no,,,
"""
)


def test_every_bad_row_is_kept_with_its_column_value_and_reason(
    tmp_path: Path, pdb: ProgramDB
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(RowsRefusedError) as err:
        import_projects(pdb, ADMIN, path, today=TODAY)
    got = {(r["row"], r["column"]): r["reason"] for r in err.value.rejects}
    assert all(r["file"] == "bad.csv" for r in err.value.rejects)
    assert "larger than USD 10 bn: is this rial or toman" in got[(2, "capex_usd")]
    assert "looks like Tethys Mining on row 2" in got[(3, "investor")]
    assert got[(3, "enquiry_received")] == "1405/09/30 is in the future"
    assert got[(4, "capex_is_estimate")] == "maybe is not yes or no"
    assert got[(4, "jobs")] == "2.5 is not a whole number of jobs"
    assert "before the enquiry was received (1405/02/10)" in got[(4, "first_response")]
    assert "is not one of lead, qualified" in got[(6, "stage")]
    assert "is not one of ongoing" in got[(6, "status")]
    assert got[(6, "capex_usd")] == "abc is not a number"
    assert "not a Solar Hijri day" in got[(6, "enquiry_received")]
    assert got[(7, "project_id")] == "B1 appears again (first on row 2)"
    assert (
        "an enquiry without an investor cannot be a project at stage qualified"
        in (got[(5, "investor")])
    )
    # a duplicate of a stored investor is offered a merge
    load(pdb)
    path.write_text(
        BAD.splitlines()[0] + "\nB9,Tethys Mining Ltd,TUR,0729,lead,ongoing,,no,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(RowsRefusedError) as err:
        import_projects(pdb, ADMIN, path, today=TODAY)
    assert "looks like stored investor 1 Tethys Mining" in err.value.rejects[0]["reason"]
    assert "merge-investors 1 ID" in err.value.rejects[0]["reason"]


def test_a_stage_log_going_back_or_before_creation_is_refused(
    tmp_path: Path, pdb: ProgramDB
) -> None:
    load(pdb)
    path = tmp_path / "s.csv"
    path.write_text(
        "project_id,stage,entered\nP1,qualified,1404/12/01\nP3,proposal,1405/06/25\n"
        "PX,lead,1405/01/01\n",
        encoding="utf-8",
    )
    with pytest.raises(RowsRefusedError) as err:
        import_stages(pdb, ADMIN, path, today=TODAY)
    got = {(r["row"], r["column"]): r["reason"] for r in err.value.rejects}
    assert got[(2, "entered")] == "1404/12/01 is before the project was created (2026-03-15)"
    assert "its log would end at proposal" in got[(3, "stage")]
    assert "no project PX" in got[(4, "project_id")]


def test_the_cli_funnel_json_is_the_service_s(tmp_path: Path) -> None:
    ws = init(tmp_path / "ws")
    runner = CliRunner()
    env = {"EXPORTPLAN_WORKSPACE": str(ws.path)}
    bad = runner.invoke(
        app, ["invest", "import", str(DATA / "projects.csv"), "--lang", "fa"], env=env
    )
    assert bad.exit_code != 0 and "بازدید برنامه‌ریزی‌شده با تاریخ" in bad.output
    ok = runner.invoke(
        app, ["invest", "import", str(DATA / "projects.csv"), "--allow-waivers"], env=env
    )
    assert ok.exit_code == 0, ok.output
    assert "7 created" in ok.output and "3 with waived gate fields" in ok.output
    shutil.copy(DATA / "stages.csv", tmp_path / "stages.csv")
    assert (
        runner.invoke(
            app, ["invest", "import-stages", str(tmp_path / "stages.csv")], env=env
        ).exit_code
        == 0
    )
    res = runner.invoke(
        app, ["invest", "funnel", "--as-of", "1405/06/31", "--json", "--target-days", "5"], env=env
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["projects_by_stage"]["lead"] == 2
    assert data["capex_by_stage_usd_excluding_estimates"]["agreement"] == 120 * M
    assert data["median_days_to_first_response"] == 6
    assert data["share_answered_within_target"] == pytest.approx(0.6)
    assert data["unanswered"] == ["P4", "P5"]
    assert data["conversion"]["lead->qualified"]["reached_next"] == 4


def test_the_cli_writes_the_monthly_report_and_the_debt(tmp_path: Path) -> None:
    ws = init(tmp_path / "ws")
    runner = CliRunner()
    env = {"EXPORTPLAN_WORKSPACE": str(ws.path)}
    runner.invoke(app, ["invest", "import", str(DATA / "projects.csv"), "--allow-waivers"], env=env)
    debt = runner.invoke(app, ["invest", "debt", "--json"], env=env)
    assert [r["code"] for r in json.loads(debt.output)] == ["P2", "P3", "P6"]
    out = tmp_path / "r.pdf"
    res = runner.invoke(
        app,
        [
            "invest",
            "report",
            "--sh-year",
            "1405",
            "--month",
            "6",
            "--pdf",
            str(out),
            "--lang",
            "en",
        ],
        env=env,
    )
    assert res.exit_code == 0, res.output
    assert out.read_bytes()[:5] == b"%PDF-"
