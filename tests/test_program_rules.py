"""One set of rules for the program: the store's one write helper, and the workbook import
refusing what a single edit refuses, with the same words (fixture ``pdb``: SQLite and
PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from exportplan.auth import Actor
from exportplan.errors import ConflictError, ExportPlanError, InputError, PermissionDeniedError
from exportplan.services import program as svc
from exportplan.store.program import Agency, Audit, ProgramDB, write

ADMIN = Actor("admin", "admin")
SECRETARY = Actor("sara", "secretary")
VIEWER = Actor("vic", "viewer")


def setup_program(db: ProgramDB) -> int:
    svc.add_agency(db, ADMIN, code="IMT", name_en="Industry, Mine and Trade", kind="other")
    p = svc.create_program(
        db, SECRETARY, region="East Azerbaijan", country="IRN", sh_year=1405, target_usd=3e9
    )
    svc.add_priority(db, SECRETARY, int(p["id"]), code="P1", hs_codes=["0808"], markets="IRQ")
    svc.set_target(db, SECRETARY, int(p["id"]), code="P1", value_usd=1e9, priority="P1")
    svc.set_target(db, SECRETARY, int(p["id"]), code="P1-A", parent="P1", value_usd=6e8)
    return int(p["id"])


# ---- the write helper ----------------------------------------------------------------------


def _audits(db: ProgramDB) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Audit)) or 0)


def test_a_write_is_checked_audited_and_all_or_nothing(pdb: ProgramDB) -> None:
    with pytest.raises(PermissionDeniedError), write(pdb, VIEWER, "agency.edit", "agency X"):
        pass
    before = _audits(pdb)
    with (
        pytest.raises(InputError, match="refused late"),
        write(pdb, ADMIN, "agency.edit", "agency X") as ch,
    ):
        ch.add(Agency(code="X", name_en="X", name_fa="", kind="other"))
        ch.flush()
        ch.audit("create", "agency", 0, None, {"code": "X"})
        raise InputError("refused late")
    assert _audits(pdb) == before  # neither the row nor its audit row
    assert "X" not in {a["code"] for a in svc.agencies(pdb)}
    with write(pdb, ADMIN, "agency.edit", "agency X") as ch:
        a = Agency(code="X", name_en="X", name_fa="", kind="other")
        ch.add(a)
        ch.flush()
        ch.audit("create", "agency", a.id, None, {"code": "X"})
        assert ch.counts == {"create": 1}
    assert _audits(pdb) == before + 1
    stale = pytest.raises(ConflictError, match=r"agency X has changed since you read it \(your ")
    with stale, write(pdb, ADMIN, "agency.edit", "agency X") as ch:
        row = ch.session.scalar(select(Agency).where(Agency.code == "X"))
        assert row is not None
        ch.check_version(row, row.version + 1)


def test_a_member_is_checked_once_the_agency_is_known(pdb: ProgramDB) -> None:
    pid = setup_program(pdb)
    other = Actor("m_cus", "member", agency_id=999)
    with pytest.raises(PermissionDeniedError, match="only their own agency's actions"):
        svc.add_action(
            pdb, other, pid, agency="IMT", title="x", start="1405/01/01", deadline="1405/02/01"
        )


# ---- one set of rules for single edits and the workbook import ------------------------------


def _refused(fn: object, *args: object, **kw: object) -> str:
    assert callable(fn)
    with pytest.raises(ExportPlanError) as err:
        fn(*args, **kw)
    return err.value.message


def _import_problems(db: ProgramDB, path: Path) -> dict[tuple[str, int, str], str]:
    with pytest.raises(svc.WorkbookError) as err:
        svc.import_file(db, ADMIN, path)
    return {(sh, r, c): m for sh, r, c, m in err.value.problems}


def test_a_sub_target_over_its_parent_is_refused_alike(pdb: ProgramDB, tmp_path: Path) -> None:
    pid = setup_program(pdb)
    single = _refused(svc.set_target, pdb, SECRETARY, pid, code="P1-B", parent="P1", value_usd=5e8)
    assert "above P1's USD 1,000,000,000" in single
    path = tmp_path / "plan.yaml"
    svc.export(pdb, pid, path)
    import yaml

    data = yaml.safe_load(path.read_text("utf-8"))
    data["targets"].append(
        {"code": "P1-B", "parent": "P1", "label": "", "priority": "", "agency": "",
         "period": "", "value_usd": 5e8}
    )  # fmt: skip
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    problems = _import_problems(pdb, path)
    row = len(data["targets"]) + 1
    assert problems == {("targets", row, "value_usd"): single}


def test_an_impossible_solar_hijri_date_is_refused_alike(pdb: ProgramDB, tmp_path: Path) -> None:
    pid = setup_program(pdb)
    kw = {"agency": "IMT", "title": "fair", "deadline": "1405/04/01"}
    single = _refused(svc.add_action, pdb, SECRETARY, pid, start="1404/12/30", **kw)
    assert "does not exist in the Solar Hijri calendar" in single
    late = _refused(svc.add_action, pdb, SECRETARY, pid, start="1405/05/01", **kw)
    assert "is before the start" in late
    path = tmp_path / "plan.xlsx"
    svc.export(pdb, pid, path)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["actions"].append(
        ["A1", "IMT", "", "fair", "", "1404/12/30", "1405/04/01", "planned", 0, ""]
    )
    wb["actions"].append(
        ["A2", "IMT", "", "fair", "", "1405/05/01", "1405/04/01", "planned", 0, ""]
    )
    wb.save(path)
    problems = _import_problems(pdb, path)
    assert problems == {("actions", 3, "start"): single, ("actions", 4, "deadline"): late}  # two header rows


def test_the_import_keeps_every_rule_of_a_kpi(pdb: ProgramDB, tmp_path: Path) -> None:
    pid = setup_program(pdb)
    single = _refused(
        svc.add_kpi, pdb, SECRETARY, pid, code="K1", agency="IMT", name="apples", source="data",
        hs_codes=["0808"], unit="count",
    )  # fmt: skip
    path = tmp_path / "plan.xlsx"
    svc.export(pdb, pid, path)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["kpis"].append(["K1", "IMT", "", "apples", "count", "data", "0808", "", ""])
    wb.save(path)
    assert _import_problems(pdb, path) == {("kpis", 3, "unit"): single}  # below two header rows
