"""The claim register's table: one row per checked text (outlet, address, publication date,
the text and its hash, who checked it and when), its claims and their checks as JSON, and
the counts of verdicts the register lists (Alembic revision ``0003_claims``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from exportplan.store.program.models import Base, Versioned, utcnow


class CheckedText(Versioned, Base):
    __tablename__ = "claim_texts"
    id: Mapped[int] = mapped_column(primary_key=True)
    outlet: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(1000), default="")
    published: Mapped[str] = mapped_column(String(10))  # Solar Hijri YYYY/MM/DD
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    extractor_version: Mapped[str] = mapped_column(String(20))
    n_claims: Mapped[int] = mapped_column(Integer, default=0)
    n_consistent: Mapped[int] = mapped_column(Integer, default=0)
    n_inconsistent: Mapped[int] = mapped_column(Integer, default=0)
    n_unchecked: Mapped[int] = mapped_column(Integer, default=0)
    claims: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
