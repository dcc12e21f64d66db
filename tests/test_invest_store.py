"""The investment pipeline's store (issue 19) on SQLite and PostgreSQL: the migration's tables
are the models', a stage move passes its gate or is refused with the missing fields and
nothing written, a move back needs a reason, operating needs its own right, and merging two
investors moves their projects."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

import exportplan.store.invest.models as m
from exportplan.auth import Actor
from exportplan.errors import GateError, InputError, PermissionDeniedError
from exportplan.services.invest import projects
from exportplan.store.program import ProgramDB
from exportplan.store.program.models import Agency, Audit, Base
from exportplan.store.program.writes import write

ADMIN = Actor("admin", "admin")
TODAY = dt.date(2026, 11, 28)


def seed(db: ProgramDB) -> None:
    with write(db, ADMIN, None, "seed") as ch:
        ch.add(Agency(code="IMT", name_en="Industry, Mine and Trade", kind="industry-mine-trade"))
        ch.add(Agency(code="GOV", name_en="Governorate", kind="governorate"))
        ch.flush()
        inv = m.Investor(name="Tethys Mining", match_key="tethys mining", country="TUR")
        ch.add(inv)
        ch.flush()
        ch.add(
            m.Project(
                code="EP-1",
                investor_id=inv.id,
                agency_id=1,
                stage="lead",
                created_on=dt.date(2026, 1, 10),
                waived_fields=[],
            )
        )


def test_the_migration_creates_exactly_the_models_tables(pdb: ProgramDB) -> None:
    with pdb.engine.connect() as con:
        diff = compare_metadata(MigrationContext.configure(con), Base.metadata)
    invest = [d for d in diff if "invest_" in repr(d)]
    assert invest == []
    assert {t for t in Base.metadata.tables if t.startswith("invest_")} == {
        "invest_investors",
        "invest_opportunities",
        "invest_events",
        "invest_event_attendees",
        "invest_projects",
        "invest_enquiries",
        "invest_interactions",
        "invest_propositions",
        "invest_agreements",
        "invest_milestones",
        "invest_stage_log",
    }


def test_a_stage_move_passes_its_gate_or_names_every_missing_field(pdb: ProgramDB) -> None:
    seed(pdb)
    with pytest.raises(GateError) as err:
        projects.move_stage(
            pdb,
            ADMIN,
            "EP-1",
            "qualified",
            on=dt.date(2026, 2, 1),
            today=TODAY,
            fields={"sector": "0729"},
        )
    assert err.value.missing == ["project_type", "project_manager", "likelihood", "capex_usd"]
    with pdb.session() as s:  # nothing of the refused move was written, not even the sector
        p = s.scalars(select(m.Project)).one()
        assert (p.stage, p.sector, p.version) == ("lead", None, 1)
        assert s.scalar(select(func.count()).select_from(m.StageLog)) == 0
    gate = projects.gate_check(pdb, "EP-1", "site_visit")
    assert gate["missing"] == [
        "sector",
        "project_type",
        "project_manager",
        "likelihood",
        "capex_usd",
        "site_visit_planned",
        "candidate_site",
    ]
    done = projects.move_stage(
        pdb,
        ADMIN,
        "EP-1",
        "qualified",
        on=dt.date(2026, 2, 1),
        today=TODAY,
        version=1,
        fields={
            "sector": "0729",
            "project_type": "greenfield",
            "project_manager": "Rahimi",
            "likelihood": "high",
            "capex_unknown": True,
        },
    )
    assert done == {"code": "EP-1", "from": "lead", "to": "qualified", "version": 2}
    with pdb.session() as s:
        log = s.scalars(select(m.StageLog)).one()
        assert (log.from_stage, log.to_stage, log.at, log.by) == (
            "lead",
            "qualified",
            dt.date(2026, 2, 1),
            "admin",
        )
        audit = s.scalars(select(Audit).where(Audit.entity == "invest_project")).one()
        assert audit.before is not None and audit.after is not None
        assert audit.before["stage"] == "lead" and audit.after["stage"] == "qualified"
    # the site visit gate filled from the form: a planned visit and a concession
    projects.move_stage(
        pdb,
        ADMIN,
        "EP-1",
        "site_visit",
        on=dt.date(2026, 3, 1),
        today=TODAY,
        fields={"site_visit_on": "2026-03-10", "concession_ref": "EX-77"},
    )
    with pytest.raises(InputError, match="needs a reason"):
        projects.move_stage(pdb, ADMIN, "EP-1", "lead", on=dt.date(2026, 3, 2), today=TODAY)
    with pytest.raises(InputError, match="in the future"):
        projects.move_stage(
            pdb,
            ADMIN,
            "EP-1",
            "lead",
            on=dt.date(2026, 12, 2),
            today=TODAY,
            reason="investor paused",
        )
    with pytest.raises(InputError, match="before the project was created"):
        projects.move_stage(
            pdb,
            ADMIN,
            "EP-1",
            "lead",
            on=dt.date(2025, 12, 2),
            today=TODAY,
            reason="investor paused",
        )
    projects.move_stage(
        pdb,
        ADMIN,
        "EP-1",
        "qualified",
        on=dt.date(2026, 3, 2),
        today=TODAY,
        reason="site not ready",
    )
    with pdb.session() as s:
        assert s.scalars(select(m.Project)).one().stage == "qualified"
        assert [x.reason for x in s.scalars(select(m.StageLog).order_by(m.StageLog.id))] == [
            "",
            "",
            "site not ready",
        ]


def test_operating_needs_its_own_right_and_a_member_only_their_agency(pdb: ProgramDB) -> None:
    seed(pdb)
    member_other = Actor("m_gov", "member", agency_id=2)
    member_own = Actor("m_imt", "member", agency_id=1)
    with pytest.raises(PermissionDeniedError, match="own agency"):
        projects.set_status(pdb, member_other, "EP-1", "delayed", reason="permits")
    with pytest.raises(InputError, match="needs a reason"):
        projects.set_status(pdb, member_own, "EP-1", "delayed")
    assert projects.set_status(pdb, member_own, "EP-1", "delayed", reason="permits")["status"] == (
        "delayed"
    )
    with pytest.raises(PermissionDeniedError):
        projects.move_stage(
            pdb, member_own, "EP-1", "operating", on=dt.date(2026, 5, 1), today=TODAY
        )


def test_merging_investors_moves_their_projects(pdb: ProgramDB) -> None:
    seed(pdb)
    with write(pdb, ADMIN, None, "seed") as ch:
        dup = m.Investor(name="Tethys Mining Co.", match_key="tethys mining", country="TUR")
        ch.add(dup)
        ch.flush()
        ch.add(
            m.Project(
                code="EP-2",
                investor_id=dup.id,
                stage="lead",
                created_on=dt.date(2026, 1, 11),
                waived_fields=[],
            )
        )
    moved = projects.merge_investors(pdb, ADMIN, 1, 2)
    assert moved == {"invest_projects": 1, "invest_enquiries": 0, "invest_interactions": 0}
    with pdb.session() as s:
        assert {p.investor_id for p in s.scalars(select(m.Project))} == {1}
        assert s.get(m.Investor, 2).merged_into_id == 1  # type: ignore[union-attr]
    with pytest.raises(InputError, match="merged into 1 already"):
        projects.merge_investors(pdb, ADMIN, 1, 2)
