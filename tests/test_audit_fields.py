"""Every column of the program store has a name for people in both languages (the audit log
shows each field a change touched by it, whatever domain wrote the change)."""

from __future__ import annotations

import re

from exportplan.i18n import label
from exportplan.reference.audit_fields import FIELDS, field_label
from exportplan.store.program.models import Base

#: Latin words a Persian label may hold (as the Persian pages' test allows)
ALLOWED = {"HS", "KPI", "ISIC"}


def columns() -> set[str]:
    import exportplan.store.claims.models
    import exportplan.store.invest.models
    import exportplan.store.suppliers.models
    import exportplan.store.zones.models  # noqa: F401

    return {c.name for tb in Base.metadata.tables.values() for c in tb.columns}


def test_every_column_has_a_persian_and_an_english_name() -> None:
    cols = columns()
    assert {"contract_value_usd", "held_at", "target_usd", "price_total_irr"} <= cols
    unnamed = sorted(c for c in cols if field_label(c, "fa", label(c, "fa")) == c)
    assert unnamed == []
    latin = {
        c: fa
        for c in cols
        if (fa := field_label(c, "fa", label(c, "fa")))
        and [w for w in re.findall(r"[A-Za-z]+", fa) if w not in ALLOWED]
    }
    assert latin == {}
    # the English name is words, not the machine name
    assert all("_" not in en for en, _fa in FIELDS.values())
    assert field_label("contract_value_usd", "en", "x") == "contract value (USD)"
    assert field_label("status", "fa", "وضعیت") == "وضعیت"  # the dictionary's word stays
