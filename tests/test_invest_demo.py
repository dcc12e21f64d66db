"""The demo's mining pipeline (issue 19) on the shared small demo: about forty projects from
three meetings at several stages, every one meeting its stage's gate, some dormant, some
enquiries overdue, and the operating projects' exports equal to a direct warehouse query (or
flagged not trackable)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select

import exportplan.store.invest.models as m
from exportplan.services.invest import figures, outcome
from exportplan.services.invest.gates import missing, related_of
from exportplan.workspace import Workspace

TODAY = dt.date(2026, 11, 28)  # the small demo's day


def test_the_demo_pipeline_is_a_mining_pipeline_with_its_problems(small_demo: Workspace) -> None:
    db = small_demo.program()
    with db.session() as s:
        projects = list(s.scalars(select(m.Project)))
        assert len(projects) == 43
        assert len(list(s.scalars(select(m.Event)))) == 3
        for p in projects:  # every demo project passed its gates
            assert missing(p, related_of(s, p.id), p.stage) == [], p.code
        made = Counter(p.source_event_id for p in projects)
        assert sorted(v for k, v in made.items() if k is not None) == [13, 13, 14]
    stages = Counter(p.stage for p in projects)
    assert len(stages) >= 5 and stages["operating"] == 3
    f = figures.funnel_figures(db, TODAY)
    assert sum(f["projects_by_stage"].values()) == 43
    assert len(f["dormant"]) >= 3
    rows = {r["code"]: r for r in figures.project_rows(db)}
    for code in f["dormant"]:
        last = rows[code]["last_interaction"] or rows[code]["created_on"]
        assert (TODAY - last).days > 90 and rows[code]["stage"] != "operating"
    assert f["overdue"], "some enquiries are overdue"
    assert 0 < f["share_answered_within_target"] < 1
    events = figures.events_follow_up(db)
    assert [len(e["projects"]) for e in events] == [14, 13, 13]
    assert all(0 <= (e["share_followed_up"] or 0) <= 1 for e in events)


def test_operating_projects_exports_are_the_warehouse_s_or_flagged(small_demo: Workspace) -> None:
    got = {o["code"]: o for o in outcome.outcomes(small_demo, small_demo.program())}
    assert len(got) == 3
    flagged = [c for c, o in got.items() if o["exports_not_trackable"]]
    assert len(flagged) == 1 and got[flagged[0]]["exports_by_year"] == []
    for o in got.values():
        if o["exports_not_trackable"]:
            continue
        with small_demo.warehouse(read_only=True) as con:
            direct = con.execute(
                "SELECT definition, sh_year, SUM(value_usd) FROM region_summary_exporters "
                "WHERE exporter = ? GROUP BY ALL ORDER BY 1, 2",
                [o["exporter_name"]],
            ).fetchall()
        assert direct, "the demo exporter has exports"
        assert [(r["definition"], r["sh_year"], r["value_usd"]) for r in o["exports_by_year"]] == (
            direct
        )
