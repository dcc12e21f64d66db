"""The plot's single edits (issue 18): a reservation with its expiry (lapsing on the day asked
and recorded on the next write), a plot reserved for another application refused naming it,
inspections and notices refused with the field named and nothing written, and Solar Hijri
days that do not exist; on SQLite and PostgreSQL (``pdb``)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from exportplan.errors import PermissionDeniedError, PlotHeldError, ZoneRuleError
from exportplan.i18n import error_text
from exportplan.services.zones import edits, zone_change
from exportplan.services.zones import pipeline as pl
from exportplan.services.zones.rules import day
from exportplan.services.zones.status import zone_status
from exportplan.store.program import Audit, ProgramDB
from exportplan.store.zones.models import Application, Inspection, Notice, PlotStatusChange
from exportplan.store.zones.queries import get_plot, states_on
from test_zones_store import ADMIN, _setup


def _apps(db: ProgramDB) -> None:
    with zone_change(db, ADMIN, "TLS", "apps") as (ch, z):
        for ref, who in (("R1", "Charm Co"), ("R2", "Kafsh Co")):
            pl.new_application(
                ch, z, ref=ref, applicant=who, area_m2=2000, submitted=day("1403/01/10", "s")
            )


def _plot(db: ProgramDB, code: str) -> tuple[str, int]:
    with db.session() as s:
        from exportplan.store.zones.queries import get_zone

        z = get_zone(s, "TLS")
        p = get_plot(s, z, code)
        return p.status, len(
            list(s.scalars(select(PlotStatusChange).where(PlotStatusChange.plot_id == p.id)))
        )


def test_reservation_expires_on_the_day_asked_and_lapses_on_the_next_write(pdb: ProgramDB) -> None:
    op1, op2 = _setup(pdb)
    _apps(pdb)
    edits.reserve_plot(
        pdb, op1, "TLS", "A-01", ref="R1", on=day("1403/02/01", "on"), until=day("1403/02/31", "u")
    )
    with pdb.session() as s:
        from exportplan.store.zones.queries import get_zone

        z = get_zone(s, "TLS")
        pid = get_plot(s, z, "A-01").id
        assert states_on(s, z.id, day("1403/02/31", "d"))[pid] == "reserved"  # its last day
        assert states_on(s, z.id, day("1403/03/01", "d"))[pid] == "vacant"  # the day after
    st = zone_status(pdb, "TLS", as_of=day("1403/03/01", "d"))
    assert st["plots_by_status"]["reserved"] == 0 and st["plots_by_status"]["vacant"] == 2
    # while it holds, another application is refused, naming who holds it until when
    with pytest.raises(PlotHeldError) as err:
        edits.reserve_plot(
            pdb,
            op1,
            "TLS",
            "A-01",
            ref="R2",
            on=day("1403/02/10", "on"),
            until=day("1403/03/10", "u"),
        )
    assert str(err.value.message) == "plot A-01 is reserved for Charm Co until 1403/02/31"
    assert "تا ۱۴۰۳/۰۲/۳۱ برای Charm Co رزرو است" in error_text(err.value, "fa")[0]
    with (
        pytest.raises(PlotHeldError, match="reserved for Charm Co"),
        zone_change(pdb, ADMIN, "TLS", "allot") as (ch, z),
    ):
        app = ch.session.scalar(select(Application).where(Application.ref == "R2"))
        assert app is not None
        pl.decide(
            ch, z, app, "allot", on=day("1403/02/20", "d"), plot=get_plot(ch.session, z, "A-01")
        )
    assert _plot(pdb, "A-01") == ("reserved", 1)  # nothing half-written
    # after its last day the other application may reserve it: the lapse is recorded first,
    # dated the day after the expiry
    edits.reserve_plot(
        pdb, op1, "TLS", "A-01", ref="R2", on=day("1403/03/05", "on"), until=day("1403/04/05", "u")
    )
    with pdb.session() as s:
        rows = s.execute(
            select(
                PlotStatusChange.to_status, PlotStatusChange.at, PlotStatusChange.reason
            ).order_by(PlotStatusChange.id)
        ).all()
    assert [(r[0], r[1]) for r in rows] == [
        ("reserved", day("1403/02/01", "d")),
        ("vacant", day("1403/03/01", "d")),
        ("reserved", day("1403/03/05", "d")),
    ]
    assert rows[1][2] == "reservation expired"
    # a zone operator of another agency may not reserve; an end before the start is refused
    with pytest.raises(PermissionDeniedError):
        edits.reserve_plot(
            pdb,
            op2,
            "TLS",
            "A-02",
            ref="R1",
            on=day("1403/03/05", "o"),
            until=day("1403/04/01", "u"),
        )
    with pytest.raises(ZoneRuleError) as bad:
        edits.reserve_plot(
            pdb,
            op1,
            "TLS",
            "A-02",
            ref="R1",
            on=day("1403/03/05", "o"),
            until=day("1403/03/01", "u"),
        )
    assert bad.value.field == "until"
    assert _plot(pdb, "A-02") == ("vacant", 0)


def test_inspections_and_notices_checked_and_audited(pdb: ProgramDB) -> None:
    op1, _ = _setup(pdb)
    _apps(pdb)
    with pytest.raises(ZoneRuleError) as err:
        edits.record_inspection(pdb, op1, "TLS", "A-01", on=day("1403/05/01", "o"), finding="fine")
    assert err.value.field == "finding"
    with pytest.raises(ZoneRuleError) as err:
        edits.record_inspection(
            pdb,
            op1,
            "TLS",
            "A-01",
            on=day("1403/05/01", "o"),
            finding="operating",
            power_kwh_last_12m=-5,
        )
    assert err.value.field == "power_kwh"
    with pytest.raises(ZoneRuleError, match="A-01 has no contract in force"):
        edits.issue_notice(pdb, op1, "TLS", "A-01", "warning", on=day("1403/05/01", "o"))
    edits.record_inspection(
        pdb,
        op1,
        "TLS",
        "A-01",
        on=day("1403/05/01", "o"),
        finding="no_activity",
        power_kwh_last_12m=0,
    )
    with zone_change(pdb, ADMIN, "TLS", "allot") as (ch, z):
        app = ch.session.scalar(select(Application).where(Application.ref == "R1"))
        assert app is not None
        pl.decide(
            ch, z, app, "allot", on=day("1403/02/20", "d"), plot=get_plot(ch.session, z, "A-01")
        )
        pl.sign(
            ch,
            z,
            app,
            on=day("1403/03/01", "s"),
            construction_start_deadline=day("1403/06/01", "c"),
        )
    with pytest.raises(ZoneRuleError) as err:
        edits.issue_notice(pdb, op1, "TLS", "A-01", "warning", on=day("1403/02/25", "o"))
    assert err.value.field == "on"
    with pytest.raises(ZoneRuleError) as err:
        edits.issue_notice(
            pdb,
            op1,
            "TLS",
            "A-01",
            "warning",
            on=day("1403/07/01", "o"),
            deadline=day("1403/06/15", "d"),
        )
    assert err.value.field == "deadline"
    with pytest.raises(ZoneRuleError, match="an extension needs its new deadline"):
        edits.issue_notice(pdb, op1, "TLS", "A-01", "extension", on=day("1403/07/01", "o"))
    with pytest.raises(ZoneRuleError, match="cannot go from contracted to reclaimed"):
        edits.issue_notice(pdb, op1, "TLS", "A-01", "reclaimed", on=day("1403/07/01", "o"))
    with pdb.session() as s:
        assert s.scalar(select(func.count()).select_from(Notice)) == 0
    edits.issue_notice(
        pdb,
        op1,
        "TLS",
        "A-01",
        "warning",
        on=day("1403/07/01", "o"),
        deadline=day("1403/08/01", "d"),
    )
    assert _plot(pdb, "A-01")[0] == "notice"
    edits.issue_notice(
        pdb,
        op1,
        "TLS",
        "A-01",
        "extension",
        on=day("1403/07/20", "o"),
        deadline=day("1403/12/01", "d"),
    )
    assert _plot(pdb, "A-01")[0] == "contracted"
    with pdb.session() as s:
        assert s.scalar(select(func.count()).select_from(Inspection)) == 1
        kinds = list(s.scalars(select(Notice.kind).order_by(Notice.id)))
        assert kinds == ["warning", "extension"]
        audited = s.scalars(select(Audit.entity).where(Audit.username == "op1")).all()
        assert "zone_inspection" in audited and audited.count("zone_contract") == 2


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("1402/12/30", "month 12 of 1402 has 29 days"),
        ("1403/07/31", "month 7 of 1403 has 30 days"),
        ("1403/13/01", "there is no month 13"),
        ("1403/00/10", "there is no month 0"),
    ],
)
def test_days_that_do_not_exist(text: str, why: str) -> None:
    with pytest.raises(ZoneRuleError) as err:
        day(text, "until")
    assert err.value.message == f"until: {text!r} is not a day: {why}"
    fa = error_text(err.value, "fa")[0]
    assert "یک روز نیست" in fa and "month" not in fa
    assert day("1403/12/30", "until") == dt.date(2025, 3, 20)  # 1403 is a leap year
