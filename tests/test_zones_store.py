"""Industrial zones in the program store (issue 18): the zone operator's rights, the plot's
state machine, the allotment refusal naming the holder, contract deadlines and the expired
permit as a failed scrutiny item; on SQLite and PostgreSQL (``pdb``)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from exportplan.auth import Actor
from exportplan.domain import PLOT_STATES, PLOT_TRANSITIONS, plot_transition_allowed
from exportplan.errors import PermissionDeniedError, PlotHeldError, ZoneRuleError
from exportplan.i18n import error_text
from exportplan.services.program.agencies import add_agency
from exportplan.services.zones import create_zone, set_status, zone_change
from exportplan.services.zones import pipeline as pl
from exportplan.services.zones.land import new_plot
from exportplan.services.zones.rules import day
from exportplan.store.program import Audit, ProgramDB
from exportplan.store.zones.models import Plot, PlotStatusChange, Scrutiny
from exportplan.store.zones.queries import get_plot, states_on

ADMIN = Actor("admin", "admin")


def _setup(db: ProgramDB) -> tuple[Actor, Actor]:
    a1 = add_agency(db, ADMIN, code="CHALISH", name_en="Chalish developer", kind="industrial-parks")
    a2 = add_agency(db, ADMIN, code="ISIPO-EA", name_en="EA estates", kind="industrial-parks")
    create_zone(
        db,
        ADMIN,
        code_="TLS",
        name_fa="شهرک چرم و کفش",
        name_en="Tabriz leather",
        specialisation="leather shoe",
        operator_agency="CHALISH",
    )
    create_zone(
        db,
        ADMIN,
        code_="EST",
        name_fa="شهرک دولتی",
        name_en="State estate",
        kind="state_estate",
        operator_agency="ISIPO-EA",
    )
    with zone_change(db, ADMIN, "TLS", "plots") as (ch, z):
        for c in ("A-01", "A-02"):
            new_plot(ch, z, code_=c, area_m2="2,000")
    return (
        Actor("op1", "zone-operator", agency_id=a1["id"]),
        Actor("op2", "zone-operator", agency_id=a2["id"]),
    )


def test_transition_table_is_closed_and_reclaim_returns_to_vacant() -> None:
    assert set(PLOT_TRANSITIONS) == set(PLOT_STATES)
    for nxt in PLOT_TRANSITIONS.values():
        assert set(nxt) <= set(PLOT_STATES)
    assert plot_transition_allowed("reclaimed", "vacant")
    assert not plot_transition_allowed("vacant", "operating")
    assert not plot_transition_allowed("contracted", "allotted")


def test_zone_operator_edits_its_own_zone_only(pdb: ProgramDB) -> None:
    op1, op2 = _setup(pdb)
    set_status(pdb, op1, "TLS", "A-01", "reserved", on=dt.date(2023, 4, 1))
    with pytest.raises(PermissionDeniedError, match="op2 may edit only their own agency's zones"):
        set_status(pdb, op2, "TLS", "A-02", "reserved", on=dt.date(2023, 4, 1))
    with pytest.raises(PermissionDeniedError):
        create_zone(pdb, op1, code_="X", name_fa="x", name_en="x")
    viewer = Actor("v", "viewer")
    with pytest.raises(PermissionDeniedError):
        set_status(pdb, viewer, "TLS", "A-02", "reserved", on=dt.date(2023, 4, 1))
    with pdb.session() as s:
        plot = s.scalar(select(Plot).where(Plot.code == "A-02"))
        assert plot is not None and plot.status == "vacant"  # the refusals changed nothing
        audits = s.scalars(select(Audit).where(Audit.entity == "plot", Audit.op == "update")).all()
        assert [a.username for a in audits] == ["op1"]


def test_every_transition_is_checked(pdb: ProgramDB) -> None:
    _setup(pdb)
    with pytest.raises(ZoneRuleError, match="cannot go from vacant to operating") as err:
        set_status(pdb, ADMIN, "TLS", "A-01", "operating", on=dt.date(2023, 4, 1))
    msg, _hint = error_text(err.value, "fa")
    assert "A-01" in msg and msg != err.value.message  # said in Persian too
    path = [
        "allotted",
        "contracted",
        "under_construction",
        "idle",
        "notice",
        "reclaim_pending",
        "reclaimed",
        "vacant",
    ]
    for i, st in enumerate(path):
        set_status(pdb, ADMIN, "TLS", "A-01", st, on=dt.date(2023, 5, 1 + i))
    with pytest.raises(ZoneRuleError, match="before its last change"):
        set_status(pdb, ADMIN, "TLS", "A-01", "reserved", on=dt.date(2023, 4, 1))
    with pdb.session() as s:
        hist = s.scalars(
            select(PlotStatusChange.to_status)
            .join(Plot, Plot.id == PlotStatusChange.plot_id)
            .where(Plot.code == "A-01")
            .order_by(PlotStatusChange.id)
        ).all()
        assert hist == path  # a plot is vacant until its first move
        states = states_on(s, 1, dt.date(2023, 5, 3))
        plot = s.scalar(select(Plot).where(Plot.code == "A-01"))
        assert plot is not None and states[plot.id] == "under_construction"


def test_second_allotment_names_the_holder_and_permit_fails_scrutiny(pdb: ProgramDB) -> None:
    _setup(pdb)
    with zone_change(pdb, ADMIN, "TLS", "apps") as (ch, z):
        plot = get_plot(ch.session, z, "A-01")
        a = pl.new_application(
            ch,
            z,
            ref="1",
            applicant="Kafsh Tabriz Co",
            area_m2=2000,
            submitted=day("1402/01/10", "submitted"),
        )
        pl.decide(ch, z, a, "allot", on=day("1402/02/10", "decided"), plot=plot)
        with pytest.raises(ZoneRuleError, match="before the contract"):
            pl.sign(
                ch,
                z,
                a,
                on=day("1402/03/01", "s"),
                construction_start_deadline=day("1402/02/01", "d"),
            )
        pl.sign(
            ch, z, a, on=day("1402/03/01", "s"), construction_start_deadline=day("1403/03/01", "d")
        )
    with pytest.raises(PlotHeldError) as err, zone_change(pdb, ADMIN, "TLS", "apps") as (ch, z):
        plot = get_plot(ch.session, z, "A-01")
        b = pl.new_application(
            ch,
            z,
            ref="2",
            applicant="Other",
            area_m2=2000,
            submitted=day("1402/04/01", "submitted"),
        )
        pl.decide(ch, z, b, "allot", on=day("1402/04/05", "decided"), plot=plot)
    assert err.value.message == "plot A-01 is contracted to Kafsh Tabriz Co since 1402/03/01"
    with pdb.session() as s:  # application 2 was rolled back with the refusal
        assert s.scalar(select(Scrutiny).where(Scrutiny.application_id == 2)) is None
    with zone_change(pdb, ADMIN, "TLS", "apps") as (ch, z):
        plot = get_plot(ch.session, z, "A-02")
        c = pl.new_application(
            ch,
            z,
            ref="3",
            applicant="Late permit",
            area_m2=1800,
            submitted=day("1402/05/01", "submitted"),
            permit_valid_to=day("1402/04/30", "permit"),
        )
        sc = pl.scrutiny_of(ch, c)
        assert sc.permit_valid is False and sc.documents_complete is None
        with pytest.raises(ZoneRuleError, match="permit_valid failed"):
            pl.decide(ch, z, c, "allot", on=day("1402/05/10", "decided"), plot=plot)
        pl.decide(ch, z, c, "reject", on=day("1402/05/10", "decided"))
        assert c.status == "rejected" and plot.status == "vacant"


def test_dates_that_do_not_exist() -> None:
    with pytest.raises(ZoneRuleError, match="submitted: '1403/12/31' is not a day"):
        day("1403/12/31", "submitted")  # 1403 is a common year: Esfand has 29 days
    assert day("1402/12/29", "x") == dt.date(2024, 3, 19)
    assert day("2024-03-19", "x") == dt.date(2024, 3, 19)


def test_idle_procedure_extensions_and_reclaim(pdb: ProgramDB) -> None:
    _setup(pdb)
    secretary = Actor("sara", "secretary")
    with zone_change(pdb, ADMIN, "TLS", "apps") as (ch, z):
        plot = get_plot(ch.session, z, "A-01")
        a = pl.new_application(
            ch, z, ref="1", applicant="Slow Co", area_m2=2000, submitted=day("1402/01/10", "s")
        )
        pl.decide(ch, z, a, "allot", on=day("1402/01/20", "d"), plot=plot)
        c = pl.sign(
            ch, z, a, on=day("1402/02/01", "c"), construction_start_deadline=day("1403/02/01", "d")
        )
        pl.notice(ch, z, c, "warning", on=day("1403/03/01", "w"), deadline=day("1403/04/01", "w"))
        assert plot.status == "notice"
        for i, when in enumerate(("1403/04/10", "1404/04/10")):
            pl.notice(
                ch, z, c, "extension", on=day(when, "e"), deadline=day(f"{1404 + i}/02/01", "e")
            )
            assert plot.status == "contracted" and c.status == "extended"
            pl.notice(ch, z, c, "warning", on=day(f"{1404 + i}/03/01", "w"))
        assert c.construction_start_deadline == day("1405/02/01", "x")
    with (
        pytest.raises(ZoneRuleError, match="2 extensions already"),
        zone_change(pdb, secretary, "TLS", "x") as (ch, z),
    ):
        c2 = pl.contract_of(ch, get_plot(ch.session, z, "A-01"))
        assert c2 is not None
        pl.notice(
            ch,
            z,
            c2,
            "extension",
            on=day("1405/04/01", "e"),
            deadline=day("1406/01/01", "e"),
            reason="again",
        )
    with zone_change(pdb, ADMIN, "TLS", "x") as (ch, z):
        plot = get_plot(ch.session, z, "A-01")
        c3 = pl.contract_of(ch, plot)
        assert c3 is not None
        with pytest.raises(ZoneRuleError, match="before it was issued"):
            pl.notice(
                ch,
                z,
                c3,
                "reclaim_order",
                on=day("1405/04/01", "r"),
                deadline=day("1405/03/01", "r"),
            )
        pl.notice(ch, z, c3, "reclaim_order", on=day("1405/04/01", "r"))
        assert plot.status == "reclaim_pending"
        pl.notice(ch, z, c3, "reclaimed", on=day("1405/05/01", "r"))
        assert plot.status == "reclaimed" and c3.status == "terminated"
        pl.inspect(ch, z, plot, on=day("1405/05/02", "i"), finding="no_activity")
        from exportplan.services.zones.land import move

        move(ch, z, plot, "vacant", on=day("1405/05/03", "v"), reason="for the next applicant")
        with pytest.raises(ZoneRuleError, match="notice must be one of"):
            pl.notice(ch, z, c3, "letter", on=day("1405/05/03", "v"))
        with pytest.raises(ZoneRuleError, match="milestone must be one of"):
            pl.milestone(ch, z, c3, "party", on=day("1405/05/03", "v"))
