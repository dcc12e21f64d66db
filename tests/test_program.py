"""The program store and its rules, on SQLite and on PostgreSQL (fixture ``pdb``)."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from exportplan.auth import Actor
from exportplan.errors import (
    AuthenticationError,
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
)
from exportplan.services import program as program_io
from exportplan.services import program as svc
from exportplan.services import users
from exportplan.store.program import Audit, ProgramDB, User, current_revision
from exportplan.store.program.db import head_revisions

ADMIN = Actor("admin", "admin")
SECRETARY = Actor("sara", "secretary")
VIEWER = Actor("vic", "viewer")


def setup_program(db: ProgramDB) -> int:
    svc.add_agency(
        db,
        ADMIN,
        code="IMT",
        name_en="Industry, Mine and Trade Organisation",
        name_fa="سازمان صنعت، معدن و تجارت",
        kind="industry-mine-trade",
    )
    svc.add_agency(db, ADMIN, code="CUS", name_en="Customs", kind="customs")
    p = svc.create_program(
        db, SECRETARY, region="East Azerbaijan", country="IRN", sh_year=1405, target_usd=3e9
    )
    return int(p["id"])


def member(db: ProgramDB, agency: str) -> Actor:
    users.create_user(
        db,
        ADMIN,
        username=f"m_{agency.lower()}",
        password="correct horse 1",
        role="member",
        agency=agency,
    )
    return users.actor_for_user(db, f"m_{agency.lower()}")


def test_schema_comes_from_the_migrations(pdb: ProgramDB) -> None:
    assert head_revisions() == ["0004_zones2"]  # one chain: each domain's revision follows one
    assert current_revision(pdb.engine) == "0004_zones2"


def test_target_tree_adds_up_and_refuses_overflow(pdb: ProgramDB) -> None:
    pid = setup_program(pdb)
    svc.add_priority(pdb, SECRETARY, pid, code="P1", hs_codes=["808"], markets="IRQ TUR")
    svc.set_target(pdb, SECRETARY, pid, code="P1", value_usd=1.2e9, priority="P1")
    svc.set_target(pdb, SECRETARY, pid, code="IMT", value_usd=1.5e9, agency="IMT")
    svc.set_target(pdb, SECRETARY, pid, code="P1-Q1", parent="P1", value_usd=3e8, period="1405-Q1")
    tree = svc.target_tree(pdb, pid)
    assert tree["code"] == "TOTAL" and tree["value_usd"] == 3e9
    assert tree["allocated_usd"] == pytest.approx(2.7e9)
    assert tree["unallocated_usd"] == pytest.approx(3e8)
    p1 = next(c for c in tree["children"] if c["code"] == "P1")
    assert p1["unallocated_usd"] == pytest.approx(9e8)
    with pytest.raises(
        InputError, match=r"above TOTAL's USD 3,000,000,000 \(unallocated: USD 300,000,000\)"
    ):
        svc.set_target(pdb, SECRETARY, pid, code="CUS", value_usd=4e8, agency="CUS")
    with pytest.raises(InputError, match="below what its own children add up to"):
        svc.set_target(pdb, SECRETARY, pid, code="P1", value_usd=2e8, version=p1["version"])
    with pytest.raises(InputError, match="below what is allocated"):
        svc.update_program(pdb, SECRETARY, pid, version=1, target_usd=2e9)
    with pytest.raises(InputError, match="not in the program's year 1405"):
        svc.set_target(pdb, SECRETARY, pid, code="X", value_usd=1, period="1404-05")
    with pytest.raises(InputError, match="month 13 does not exist"):
        svc.set_target(pdb, SECRETARY, pid, code="X", value_usd=1, period="1405-13")
    # nothing half-written: the refused targets are not there
    codes = {c["code"] for c in svc.target_tree(pdb, pid)["children"]}
    assert codes == {"P1", "IMT"}


def test_priorities_check_codes_and_countries(pdb: ProgramDB) -> None:
    pid = setup_program(pdb)
    p = svc.add_priority(
        pdb,
        SECRETARY,
        pid,
        code="P1",
        hs_codes=["80810", "0806"],
        markets="Iraq, United Arab Emirates, ترکیه",
    )
    assert p["hs_codes"] == ["0806", "080810"]  # the lost leading zero restored
    assert p["markets"] == ["ARE", "IRQ", "TUR"]
    with pytest.raises(InputError, match="unknown country 'Irak'"):
        svc.add_priority(pdb, SECRETARY, pid, code="P2", hs_codes=["0808"], markets="Irak")
    with pytest.raises(InputError, match="chapter 77 does not exist"):
        svc.add_priority(pdb, SECRETARY, pid, code="P2", hs_codes=["7701"], markets="IRQ")
    with pytest.raises(InputError, match="exists already"):
        svc.add_priority(pdb, SECRETARY, pid, code="P1", hs_codes=["0808"], markets="IRQ")
    with pytest.raises(PermissionDeniedError):
        svc.add_priority(pdb, VIEWER, pid, code="P3", hs_codes=["0808"], markets="IRQ")


def test_actions_dates_overdue_and_roles(pdb: ProgramDB) -> None:
    pid = setup_program(pdb)
    imt, cus = member(pdb, "IMT"), member(pdb, "CUS")
    a = svc.add_action(
        pdb,
        imt,
        pid,
        agency="IMT",
        title="Trade fair in Baghdad",
        start="1405/01/15",
        deadline="1405/03/31",
    )
    assert a["start"] == "2026-04-04" and a["deadline_sh"] == "1405/03/31"
    today = dt.date(2026, 7, 1)
    assert svc.actions(pdb, pid, overdue=True, today=today)[0]["code"] == a["code"]
    with pytest.raises(InputError, match="before the start"):
        svc.add_action(
            pdb, imt, pid, agency="IMT", title="x", start="1405/02/01", deadline="1405/01/01"
        )
    with pytest.raises(InputError, match="does not exist in the Solar Hijri calendar"):
        svc.add_action(
            pdb, imt, pid, agency="IMT", title="x", start="1405/01/01", deadline="1404/12/30"
        )
    with pytest.raises(PermissionDeniedError, match="only their own agency"):
        svc.add_action(
            pdb, cus, pid, agency="IMT", title="x", start="1405/01/01", deadline="1405/02/01"
        )
    with pytest.raises(PermissionDeniedError, match="only their own agency"):
        svc.update_action(pdb, cus, a["id"], version=a["version"], progress=50)
    with pytest.raises(PermissionDeniedError):
        svc.update_action(pdb, VIEWER, a["id"], version=a["version"], progress=50)
    with pytest.raises(PermissionDeniedError):  # a member cannot give it to another agency
        svc.update_action(pdb, imt, a["id"], version=a["version"], agency="CUS")
    done = svc.update_action(
        pdb,
        imt,
        a["id"],
        version=a["version"],
        status="done",
        note="signed 3 contracts",
        evidence="report-1405-04.pdf",
    )
    assert done["progress"] == 100 and done["version"] == a["version"] + 1
    assert not done["overdue"]
    assert done["notes"][0]["text"] == "signed 3 contracts"
    assert done["notes"][0]["author"] == "m_imt"


def test_a_stale_version_is_refused(pdb: ProgramDB) -> None:
    pid = setup_program(pdb)
    a = svc.add_action(
        pdb, SECRETARY, pid, agency="IMT", title="t", start="1405/01/01", deadline="1405/06/01"
    )
    svc.update_action(pdb, SECRETARY, a["id"], version=a["version"], progress=10)
    with pytest.raises(ConflictError, match="changed since you read it"):
        svc.update_action(pdb, SECRETARY, a["id"], version=a["version"], progress=90)
    assert svc.get_action(pdb, a["id"])["progress"] == 10


def test_concurrent_writers_never_overwrite_each_other(pdb: ProgramDB) -> None:
    """Two people save the same action at once, both from the same read: one save lands,
    the other is refused with a conflict; the store holds the winner's values only."""
    pid = setup_program(pdb)
    for round_ in range(6):
        a = svc.add_action(
            pdb,
            SECRETARY,
            pid,
            agency="IMT",
            title=f"t{round_}",
            start="1405/01/01",
            deadline="1405/06/01",
        )
        barrier = threading.Barrier(2)
        outcome: dict[int, Any] = {}

        def save(
            progress: int,
            barrier: threading.Barrier = barrier,
            outcome: dict[int, Any] = outcome,
            a: dict[str, Any] = a,
        ) -> None:
            barrier.wait()
            try:
                outcome[progress] = svc.update_action(
                    pdb, SECRETARY, a["id"], version=a["version"], progress=progress
                )
            except ConflictError as exc:
                outcome[progress] = exc

        threads = [threading.Thread(target=save, args=(p,)) for p in (30, 70)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        won = [p for p, r in outcome.items() if isinstance(r, dict)]
        lost = [p for p, r in outcome.items() if isinstance(r, ConflictError)]
        assert len(won) == 1 and len(lost) == 1, outcome
        final = svc.get_action(pdb, a["id"])
        assert final["progress"] == won[0]
        assert final["version"] == a["version"] + 1
        with pdb.session() as s:
            updates = s.scalars(
                select(Audit).where(
                    Audit.entity == "action", Audit.entity_id == a["id"], Audit.op == "update"
                )
            ).all()
        assert len(updates) == 1


def test_every_change_is_audited_with_before_and_after(pdb: ProgramDB) -> None:
    pid = setup_program(pdb)
    a = svc.add_action(
        pdb, SECRETARY, pid, agency="IMT", title="t", start="1405/01/01", deadline="1405/06/01"
    )
    svc.update_action(pdb, SECRETARY, a["id"], version=a["version"], status="in-progress")
    log = svc.audit_log(pdb, program_id=pid)
    upd = next(r for r in log if r["entity"] == "action" and r["op"] == "update")
    assert upd["username"] == "sara"
    assert upd["before"]["status"] == "planned" and upd["after"]["status"] == "in-progress"
    created = {r["entity"] for r in log if r["op"] == "create"}
    assert {"program", "action"} <= created
    assert all(r["at"] for r in log)


def test_a_new_head_loses_nothing(pdb: ProgramDB) -> None:
    pid = setup_program(pdb)
    svc.set_head(pdb, SECRETARY, "IMT", name_en="Ali Rezaei", start="1403/05/01")
    svc.set_target(pdb, SECRETARY, pid, code="IMT", value_usd=1e9, agency="IMT")
    svc.add_action(
        pdb, SECRETARY, pid, agency="IMT", title="t", start="1405/01/01", deadline="1405/02/01"
    )
    svc.add_kpi(
        pdb,
        SECRETARY,
        pid,
        code="K1",
        agency="IMT",
        name="fairs held",
        source="manual",
        unit="count",
    )
    svc.measure(pdb, SECRETARY, pid, "K1", period="1405-02", value=2)
    before = svc.handover(pdb, "IMT", today=dt.date(2026, 6, 1))
    svc.set_head(pdb, SECRETARY, "IMT", name_en="Maryam Ahmadi", start="1405/03/10")
    after = svc.handover(pdb, "IMT", today=dt.date(2026, 6, 1))
    assert after["agency"]["head"]["name_en"] == "Maryam Ahmadi"
    assert [t["end"] for t in after["terms"]] == ["2026-05-30", None]  # the day before 1405/03/10
    for key in ("targets", "actions", "kpis"):
        assert len(after[key]) == len(before[key]) == 1
    assert after["overdue"][0]["title"] == "t"
    assert after["kpis"][0]["measurements"] == [
        {"period": "1405-02", "value": 2.0, "source": "entered by hand", "version": 1}
    ]
    with pytest.raises(InputError, match="must start after"):
        svc.set_head(pdb, SECRETARY, "IMT", name_en="Someone", start="1405/03/01")


def test_kpi_rules(pdb: ProgramDB) -> None:
    pid = setup_program(pdb)
    cus = member(pdb, "CUS")
    k = svc.add_kpi(
        pdb,
        SECRETARY,
        pid,
        code="K-APPLES-IRQ",
        agency="IMT",
        name="apples to Iraq",
        source="data",
        hs_codes=["0808"],
        partners="IRQ",
    )
    assert k["hs_codes"] == ["0808"] and k["partners"] == ["IRQ"]
    with pytest.raises(InputError, match="comes from the data"):
        svc.measure(pdb, SECRETARY, pid, "K-APPLES-IRQ", period="1405-01", value=1)
    svc.add_kpi(
        pdb, cus, pid, code="K2", agency="CUS", name="clearance days", source="manual", unit="days"
    )
    svc.measure(pdb, cus, pid, "K2", period="1405-01", value=4.5)
    svc.measure(pdb, cus, pid, "K2", period="1405-01", value=4.0)  # a correction
    with pytest.raises(PermissionDeniedError):
        svc.measure(pdb, cus, pid, "K-APPLES-IRQ", period="1405-01", value=1)
    with pytest.raises(InputError, match="a Solar Hijri month"):
        svc.measure(pdb, cus, pid, "K2", period="1405-Q1", value=1)
    ks = {x["code"]: x for x in svc.kpis(pdb, pid)}
    assert ks["K2"]["measurements"] == [
        {"period": "1405-01", "value": 4.0, "source": "entered by hand", "version": 2}
    ]


def test_users_passwords_and_tokens(pdb: ProgramDB) -> None:
    setup_program(pdb)
    users.create_user(pdb, ADMIN, username="sara", password="a long passphrase", role="secretary")
    with pdb.session() as s:
        u = s.scalar(select(User).where(User.username == "sara"))
        assert u is not None and u.password_hash.startswith("$argon2id$")
        assert "a long passphrase" not in u.password_hash
    with pytest.raises(AuthenticationError, match="wrong user name or password"):
        users.sign_in(pdb, "sara", "wrong password!")
    with pytest.raises(AuthenticationError, match="wrong user name or password"):
        users.sign_in(pdb, "nobody", "a long passphrase")
    token, expires = users.sign_in(pdb, "sara", "a long passphrase")
    assert users.actor_for_token(pdb, token, kind="session").role == "secretary"
    assert expires > dt.datetime.now(dt.UTC).replace(tzinfo=None)
    users.sign_out(pdb, token)
    with pytest.raises(AuthenticationError):
        users.actor_for_token(pdb, token, kind="session")
    api = users.create_api_token(pdb, ADMIN, "sara", "reporting script")
    assert users.actor_for_token(pdb, api, kind="api").username == "sara"
    users.set_active(pdb, ADMIN, "sara", False)
    with pytest.raises(AuthenticationError):
        users.actor_for_token(pdb, api, kind="api")
    with pytest.raises(PermissionDeniedError):
        users.create_user(pdb, SECRETARY, username="x", password="0123456789", role="viewer")
    with pytest.raises(InputError, match="at least 10 characters"):
        users.create_user(pdb, ADMIN, username="y", password="short", role="viewer")
    with pytest.raises(NotFoundError, match="no agency"):
        users.create_user(
            pdb, ADMIN, username="z", password="0123456789", role="member", agency="NOPE"
        )


# ---- the workbook round trip -----------------------------------------------------------------


def full_program(db: ProgramDB) -> int:
    pid = setup_program(db)
    svc.set_head(
        db, SECRETARY, "IMT", name_en="Ali Rezaei", name_fa="علی رضایی", start="1403/05/01"
    )
    svc.add_priority(
        db,
        SECRETARY,
        pid,
        code="P1",
        hs_codes=["0808"],
        markets="IRQ TUR",
        name_fa="سیب به عراق و ترکیه",
        reason="large, growing, near",
    )
    svc.set_target(db, SECRETARY, pid, code="P1", value_usd=1e9, priority="P1", label="apples")
    svc.set_target(
        db,
        SECRETARY,
        pid,
        code="P1-IMT",
        parent="P1",
        value_usd=6e8,
        agency="IMT",
        period="1405-Q2",
    )
    svc.add_action(
        db,
        SECRETARY,
        pid,
        agency="IMT",
        priority="P1",
        title="Baghdad fair",
        description="stand for 20 firms",
        start="1405/01/15",
        deadline="1405/03/31",
    )
    svc.add_kpi(
        db,
        SECRETARY,
        pid,
        code="K1",
        agency="CUS",
        name="days to clear",
        source="manual",
        unit="days",
        target_value=3,
    )
    svc.measure(db, SECRETARY, pid, "K1", period="1405-02", value=4.5)
    return pid


@pytest.mark.parametrize("suffix", [".xlsx", ".yaml"])
def test_workbook_round_trip_is_lossless(pdb: ProgramDB, tmp_path: Path, suffix: str) -> None:
    pid = full_program(pdb)
    first = tmp_path / f"plan{suffix}"
    program_io.export(pdb, pid, first)
    data = program_io.program_data(pdb, pid)
    # into an empty store: the same program comes back
    from exportplan.store import program as program_db

    other = program_db.connect(f"sqlite:///{tmp_path / 'other.sqlite'}")
    res = program_io.import_file(other, ADMIN, first)
    assert res["updated"] == 0 and res["created"] > 0
    assert program_io.program_data(other, res["program_id"]) == data
    # importing again changes nothing
    again = program_io.import_file(other, ADMIN, first)
    assert again["created"] == again["updated"] == 0
    second = tmp_path / f"plan2{suffix}"
    program_io.export(other, res["program_id"], second)
    assert program_io.read(second) == program_io.read(first)


def test_a_bad_workbook_names_every_problem_and_writes_nothing(
    pdb: ProgramDB, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    pid = full_program(pdb)
    path = tmp_path / "plan.xlsx"
    program_io.export(pdb, pid, path)
    wb = load_workbook(path)
    wb["targets"].append(["P2", "TOTAL", "", "", "", "", 2.5e9])  # overflows TOTAL
    wb["actions"].append(
        ["A9", "IMT", "", "late", "", "1405/05/01", "1405/04/01", "planned", 0, ""]
    )
    wb["actions"].append(["A10", "NOPE", "", "x", "", "1404/12/30", "1405/04/01", "planned", 0, ""])
    wb["priorities"].append(["P3", "", "", "0808", "Atlantis", ""])
    wb.save(path)
    before = program_io.program_data(pdb, pid)
    with pytest.raises(program_io.WorkbookError) as err:
        program_io.import_file(pdb, ADMIN, path)
    problems = {(p[0], p[1], p[2]) for p in err.value.problems}
    # the rows as Excel numbers them: below the two header rows (names, machine names)
    assert ("targets", 5, "value_usd") in problems
    assert ("actions", 4, "deadline") in problems
    assert ("actions", 5, "agency") in problems
    assert ("actions", 5, "start") in problems
    assert ("priorities", 4, "markets") in problems
    assert "nothing was imported" in err.value.message
    assert program_io.program_data(pdb, pid) == before
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(InputError, match="not a readable Excel workbook"):
        program_io.import_file(pdb, ADMIN, bad)
    with pytest.raises(PermissionDeniedError):
        program_io.import_file(pdb, VIEWER, path)


def test_an_unreachable_program_store_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from exportplan.errors import WorkspaceError
    from exportplan.workspace import init

    ws = init(tmp_path / "ws")
    monkeypatch.setenv("EXPORTPLAN_PROGRAM_DB", "postgresql+psycopg://u:secret@127.0.0.1:1/x")
    with pytest.raises(WorkspaceError, match="cannot open the program store") as err:
        ws.program()
    assert "secret" not in err.value.message  # the password is not shown
    monkeypatch.setenv("EXPORTPLAN_PROGRAM_DB", "nosuchdialect://x")
    with pytest.raises(WorkspaceError, match="cannot open the program store"):
        ws.program()
