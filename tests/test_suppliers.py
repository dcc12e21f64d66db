"""The supplier registry and demand lists: imports with every bad input named by row, all or
nothing, the same file twice changing nothing, duplicates offered a merge, roles checked;
on SQLite and on a real PostgreSQL (the ``pdb`` fixture)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from exportplan.auth import Actor
from exportplan.errors import ConflictError, InputError, PermissionDeniedError
from exportplan.ingest import supplier_cells as cells
from exportplan.ingest.files import CellNumber
from exportplan.services.suppliers import imports, matching, registry
from exportplan.store.program import ProgramDB
from exportplan.store.program.models import Audit
from exportplan.store.suppliers import queries
from exportplan.store.suppliers.models import Capability, Certification, Firm, Match

DATA = Path(__file__).parent / "data" / "suppliers"
ADMIN = Actor("admin", "admin")
VIEWER = Actor("vic", "viewer")
TODAY = dt.date(2026, 12, 1)  # 1405/09/10


def test_cells_refuse_with_the_reason() -> None:
    assert cells.hs_code("848180") == "848180"
    assert cells.hs_code("8481.80") == "848180"
    assert cells.hs_code(CellNumber("848180.0")) == "848180"
    assert cells.hs_code("") == ""
    with pytest.raises(
        cells.CellError, match=r"got 84818 \(the cell holds a number\); did you mean 084818"
    ):
        cells.hs_code(CellNumber("84818.0"))
    with pytest.raises(cells.CellError, match="chapter 99 does not exist"):
        cells.hs_code("9900")
    with pytest.raises(
        cells.CellError, match="heading 8400 does not exist; the nearest valid parent is 84"
    ):
        cells.hs_code("840011")
    assert cells.national_id_ok("10101539140") and not cells.national_id_ok("10101539141")
    assert not cells.national_id_ok("10100000000")  # digits 4-9 all zero
    with pytest.raises(cells.CellError, match="fails its check digit"):
        cells.national_id("10101539141")
    with pytest.raises(cells.CellError, match="leading zeros lost"):
        cells.national_id(CellNumber("1539140.0"))
    assert cells.national_id("۱۰۱۰۱۵۳۹۱۴۰") == "10101539140"
    certs = cells.certifications("api 6d until 1406/03/31؛ ISO9001:2015 until ۱۴۰۵/۱۲/۲۹; CE")
    assert [(c.standard, c.valid_to) for c in certs] == [
        ("API 6D", dt.date(2027, 6, 21)),
        ("ISO 9001", dt.date(2027, 3, 20)),
        ("CE", None),
    ]
    with pytest.raises(cells.CellError, match="1403/12/31' does not exist in the Solar Hijri"):
        cells.certifications("API 6A until 1403/12/31")
    with pytest.raises(
        cells.CellError, match=r"ends \(1404/01/01\) before it starts \(1405/01/01\)"
    ):
        cells.certifications("ISO 9001 from 1405/01/01 until 1404/01/01")
    assert cells.standards("API 6D; iso 9001") == ["API 6D", "ISO 9001"]


def test_import_firms_rejects_by_row_and_holds_back_whole_firms(pdb: ProgramDB) -> None:
    good = imports.import_firms(pdb, ADMIN, DATA / "firms_good.csv", today=TODAY)
    assert (good.rows_read, good.rows_accepted, good.created, good.rejects) == (5, 5, 4, [])
    bad = imports.import_firms(pdb, ADMIN, DATA / "firms_bad.csv", today=TODAY)
    got = {(r.row, r.column): r.reason for r in bad.rejects}
    assert "did you mean 084137" in got[(2, "hs_code")]
    assert "'1403/12/31' does not exist" in got[(3, "certifications")]
    assert "before it starts" in got[(4, "certifications")]
    assert "fails its check digit" in got[(5, "national_id")]
    assert got[(6, "capability")] == "a capability needs a text or an HS code"
    assert "HS chapter 99 does not exist" in got[(8, "hs_code")]
    # F015's good row 7 is held back with its bad row 8: no firm lands half-written
    assert got[(7, "firm_id")] == "firm F015 held back whole: its row 8 was rejected"
    assert "looks like F001 already in the registry" in got[(9, "firm_name")]
    assert "exportplan suppliers merge F016 --into F001" in got[(9, "firm_name")]
    assert (bad.rows_read, bad.rows_accepted, bad.rows_rejected) == (9, 1, 8)
    assert [r.value for r in bad.rejects if r.row == 2] == ["84137"]
    # the rejects are kept with the import and read back alike
    kept = queries.import_rejects(pdb, bad.import_id)
    assert [(r.row, r.column, r.value) for r in kept] == [
        (r.row, r.column, r.value) for r in bad.rejects
    ]
    with pdb.session() as s:
        codes = sorted(s.scalars(select(Firm.code)))
        assert codes == ["F001", "F002", "F003", "F004", "F017"]
        assert s.scalar(select(func.count()).select_from(Capability)) == 6
    # the same file twice changes nothing
    again = imports.import_firms(pdb, ADMIN, DATA / "firms_good.csv", today=TODAY)
    assert again.already_imported and again.import_id == good.import_id
    with pdb.session() as s:
        assert s.scalar(select(func.count()).select_from(Capability)) == 6
        assert s.scalar(select(func.count()).select_from(Audit)) == 5  # one per firm written


def test_reimport_replaces_a_firms_declarations_and_merge(pdb: ProgramDB, tmp_path: Path) -> None:
    imports.import_firms(pdb, ADMIN, DATA / "firms_good.csv", today=TODAY)
    changed = tmp_path / "firms_v2.csv"
    text = (
        (DATA / "firms_good.csv").read_text("utf-8").replace("until 1405/03/31", "until 1407/03/31")
    )
    changed.write_text(text, "utf-8")
    s2 = imports.import_firms(pdb, ADMIN, changed, today=TODAY)
    assert (s2.created, s2.updated) == (0, 4)
    f2 = registry.firm(pdb, ADMIN, "f002", today=TODAY)
    assert [(c["standard"], c["status"]) for c in f2["cert_rows"]] == [("API 6D", "valid")]
    with pdb.session() as s:
        assert s.scalar(select(func.count()).select_from(Capability)) == 5
        assert s.scalar(select(func.count()).select_from(Certification)) == 4
    moved = registry.merge(pdb, ADMIN, duplicate="F002", into="F001")
    assert moved == 2  # one capability, one certificate
    f1 = registry.firm(pdb, ADMIN, "F001", today=TODAY)
    assert len(f1["capability_rows"]) == 3
    with pytest.raises(InputError, match="merged into itself"):
        registry.merge(pdb, ADMIN, duplicate="F001", into="F001")


def test_draft_import_is_not_matched_and_viewers_may_not_import(pdb: ProgramDB) -> None:
    with pytest.raises(PermissionDeniedError):
        imports.import_firms(pdb, VIEWER, DATA / "firms_good.csv")
    imports.import_firms(pdb, ADMIN, DATA / "firms_good.csv", draft=True, today=TODAY)
    imports.import_demand(pdb, ADMIN, DATA / "demand_good.csv", buyer="nioc")
    with pytest.raises(InputError, match="no validated firms in the registry"):
        matching.run(pdb, ADMIN, buyer="NIOC", today=TODAY)
    assert {r["state"] for r in registry.search(pdb, VIEWER, text="")} == {"draft"}
    f = registry.firm(pdb, VIEWER, "F001", today=TODAY)
    assert {c["status"] for c in f["cert_rows"]} == {"unverified"}


def test_demand_import_rejects_and_keeps_decided_items(pdb: ProgramDB, tmp_path: Path) -> None:
    bad = imports.import_demand(pdb, ADMIN, DATA / "demand_bad.csv", buyer="NIOC")
    got = {(r.row, r.column): r.reason for r in bad.rejects}
    assert got == {
        (2, "description"): "a demand item needs a description or an HS code",
        (3, "needed_by"): "needed_by: '1404/12/30' does not exist in the Solar Hijri calendar: "
        "month 12 of 1404 has 29 days (not a leap year)",
        (4, "quantity"): "quantity is not a number: many",
        (6, "item_id"): "item B4 is already in row 5",
    }
    imports.import_firms(pdb, ADMIN, DATA / "firms_good.csv", today=TODAY)
    imports.import_demand(pdb, ADMIN, DATA / "demand_good.csv", buyer="NIOC")
    matching.run(pdb, ADMIN, buyer="NIOC", today=TODAY, record=True)
    with pdb.session() as s:
        m = s.scalars(select(Match).order_by(Match.id)).first()
        assert m is not None
        m.state = "shortlisted"
    smaller = tmp_path / "demand_small.csv"
    lines = (DATA / "demand_good.csv").read_text("utf-8").splitlines()
    smaller.write_text("\n".join(lines[:1] + lines[3:]) + "\n", "utf-8")  # N1 and N2 left out
    with pytest.raises(ConflictError, match=r"leaves out item\(s\) N1"):
        imports.import_demand(pdb, ADMIN, smaller, buyer="NIOC")
    lst = queries.demand_list(pdb, "NIOC")
    assert lst is not None and [i.code for i in lst.items] == ["N1", "N2", "N3", "N4"]


def test_persian_headers_are_recognised(tmp_path: Path, pdb: ProgramDB) -> None:
    src = DATA / "firms_good.csv"
    lines = src.read_text("utf-8").splitlines()
    lines[0] = "شناسه بنگاه,نام بنگاه,توانمندی,کد تعرفه,ظرفیت,واحد,گواهینامه‌ها,شناسه ملی,شهرستان"
    f = tmp_path / "fa.csv"
    f.write_text("\n".join(lines) + "\n", "utf-8")
    s = imports.import_firms(pdb, ADMIN, f, today=TODAY)
    assert (s.rows_accepted, s.created) == (5, 4)
    assert registry.search(pdb, ADMIN, text="شیر توپی")[0]["firm_id"] == "F001"
    # Arabic ي/ك in the query find the Persian spelling, and the other way round
    assert [r["firm_id"] for r in registry.search(pdb, ADMIN, text="شير توپي")] == ["F001", "F002"]


def test_a_firms_name_keeps_its_persian_digits(tmp_path: Path, pdb: ProgramDB) -> None:
    """The name is shown as written («شمس ۱۰», not «شمس 10»); only its keys are normalised, so
    the search and the duplicate check read ۱۰ and 10 alike."""
    from exportplan.reference.text import clean_text, display_text

    assert display_text("شركت  شيرآلات شمس ۱۰\u200f") == "شرکت شیرآلات شمس ۱۰"
    assert clean_text("شمس ۱۰") == "شمس 10"  # the storing of other domains' names is unchanged
    f = tmp_path / "digits.csv"
    f.write_text(
        "firm_id,firm_name,firm_name_en,capability,hs_code,capacity,unit,certifications,county\n"
        "D1,شرکت شیرآلات شمس ۱۰,Shams ۱۰ Valves,شیر توپی,848180,,,,تبریز\n"
        "D2,شرکت شیرآلات شمس 10,,شیر کشویی,848180,,,,تبریز\n",
        "utf-8",
    )
    s = imports.import_firms(pdb, ADMIN, f, today=TODAY)
    assert [(r.row, r.column) for r in s.rejects] == [(3, "firm_name")]  # ۱۰ and 10: one firm
    assert "has the same name as D1" in s.rejects[0].reason
    with pdb.session() as sess:
        firm = sess.scalars(select(Firm).where(Firm.code == "D1")).one()
        assert (firm.name_fa, firm.name_en) == ("شرکت شیرآلات شمس ۱۰", "Shams ۱۰ Valves")
    for q in ("شمس ۱۰", "شمس 10"):
        assert [r["firm_id"] for r in registry.search(pdb, ADMIN, text=q)] == ["D1"]
    assert registry.search(pdb, ADMIN, text="")[0]["name"] == "شرکت شیرآلات شمس ۱۰"
