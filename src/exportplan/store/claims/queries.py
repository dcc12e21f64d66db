"""Reading the claim register: the checked texts, newest first, and one with its claims."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from exportplan.errors import NotFoundError
from exportplan.store.claims.models import CheckedText
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import as_dict


def texts(db: ProgramDB, *, limit: int = 500) -> list[dict[str, Any]]:
    """The register: every checked text with its claims, newest first."""
    with db.session() as s:
        rows = s.scalars(
            select(CheckedText)
            .order_by(CheckedText.added_at.desc(), CheckedText.id.desc())
            .limit(limit)
        ).all()
        return [as_dict(r) for r in rows]


def text(db: ProgramDB, text_id: int) -> dict[str, Any]:
    """One checked text with its claims."""
    with db.session() as s:
        row = s.get(CheckedText, text_id)
        if row is None:
            raise NotFoundError(f"no checked text {text_id} in the register")
        return as_dict(row)
