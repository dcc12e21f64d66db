"""Every row of the hand-made HS<->CPV concordance holds: its HS code exists in the shipped HS
2022 nomenclature, and its CPV code is a CPV 2008 code (Regulation (EC) No 213/2008) with the
same English text, whose parents (group, class, category) exist too. The CPV side was
checked on 2026-12-02 against a copy of the CPV 2008 list (9,455 codes: the data file of the
Odoo Community Association's ``product_code_cpv`` module, which ships the Regulation's codes);
the codes and texts used here are in tests/data/cpv2008_checked.csv, taken from that copy."""

from __future__ import annotations

import csv
from pathlib import Path

from exportplan.ingest.supplier_cells import CPV_DIVISIONS, cpv_code
from exportplan.reference.concordance import HS_CPV_SOURCE, code_map, hs_cpv
from exportplan.reference.products import nomenclature

CHECKED = Path(__file__).parent / "data" / "cpv2008_checked.csv"


def _official() -> dict[str, str]:
    with CHECKED.open(encoding="utf-8", newline="") as fh:
        return {r["cpv_code"]: r["cpv_text"] for r in csv.DictReader(fh)}


def _parents(code: str) -> list[str]:
    """The levels above a CPV code: its significant digits cut one by one, zeros appended
    (42131260 -> 42131200, 42131000, 42130000, 42100000, 42000000)."""
    sig = len(code.rstrip("0"))
    return [code[:k].ljust(8, "0") for k in range(sig - 1, 1, -1)]


def test_every_cpv_code_is_in_the_cpv_2008_list_with_its_text() -> None:
    official = _official()
    rows = hs_cpv()
    assert len(rows) == 24
    for hs, cpv, _, text in rows:
        assert cpv_code(cpv) == cpv and cpv[:2] in CPV_DIVISIONS, (hs, cpv)
        assert cpv in official, f"CPV {cpv} (row of HS {hs}) is not a CPV 2008 code"
        assert text == official[cpv], cpv  # the Regulation's English text, as written
        # the division, group, class and category it descends through are codes too
        assert _parents(cpv) and all(p in official for p in _parents(cpv)), cpv
        assert _parents(cpv)[-1] == cpv[:2] + "000000"


def test_every_hs_code_exists_in_the_shipped_nomenclature() -> None:
    known = nomenclature()
    missing = [hs for hs, _, _, _ in hs_cpv() if hs not in known]
    assert missing == []
    assert all(hs[:2] in known for hs, _, _, _ in hs_cpv())


def test_the_list_checked_is_named_and_refuses_a_made_up_code() -> None:
    official = _official()
    assert "checked" in HS_CPV_SOURCE and "not checked" not in HS_CPV_SOURCE
    assert "42131261" not in official and "42131299" not in official  # not CPV codes
    assert set(official) >= {cpv for _, cpv, _, _ in hs_cpv()}
    assert code_map()[("CPV", "42131260")] == (("HS", "848180"),)
    assert _parents("42131260") == ["42131200", "42131000", "42130000", "42100000", "42000000"]
