"""The claim register (services/claims/register.py, store/claims): a checked text recorded
through the one write path on SQLite and PostgreSQL, read back whole, refused to a viewer,
audited, and flattened into the download's rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from exportplan.auth import Actor
from exportplan.errors import InputError, PermissionDeniedError
from exportplan.services.claims import register
from exportplan.services.claims.check import check_text
from exportplan.store.program import ProgramDB
from exportplan.store.program.models import Audit
from exportplan.workspace import Workspace

TEXT = (
    "ارزش صادرات از گمرکات استان در هشت ماهه امسال ۲۵ درصد افزایش یافت. "
    "صادرات ۱۲۰ هزار میلیارد ریال بود."
)


def test_record_and_read_back(pdb: ProgramDB, small_demo: Workspace) -> None:
    checked = check_text(small_demo, TEXT, (1405, 9, 10))
    assert len(checked) == 2
    sec = Actor("sara", "secretary")
    text_id = register.record(
        pdb,
        sec,
        text=TEXT,
        published="1405/09/10",
        outlet="IRNA",
        url="https://x/1",
        checked=checked,
    )
    (row,) = register.texts(pdb)
    assert (row["id"], row["outlet"], row["published"], row["added_by"]) == (
        text_id,
        "IRNA",
        "1405/09/10",
        "sara",
    )
    assert row["n_claims"] == 2 and row["n_unchecked"] == 1
    assert row["n_consistent"] + row["n_inconsistent"] == 1
    rows = register.register_rows(pdb)
    assert [(r["claim"], r["definition"], r["verdict"]) for r in rows] == [
        (1, "customs", checked[0].checks[0].verdict),
        (2, "customs", "not_checkable"),
        (2, "origin", "not_checkable"),
    ]
    assert rows[0]["quoted"] == "۲۵ درصد" and rows[0]["computed"] == pytest.approx(
        checked[0].checks[0].computed
    )
    with pdb.session() as s:
        audit = s.scalars(select(Audit).where(Audit.entity == "claim_text")).all()
        assert [(a.op, a.entity_id, a.username) for a in audit] == [("create", text_id, "sara")]
    with pytest.raises(PermissionDeniedError):
        register.record(
            pdb, Actor("vic", "viewer"), text=TEXT, published="1405/09/10", checked=checked
        )
    with pytest.raises(InputError, match="empty"):
        register.record(pdb, sec, text="  ", published="1405/09/10", checked=[])
    assert len(register.texts(pdb)) == 1  # nothing saved by the refusals
