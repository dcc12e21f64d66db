"""The supplier registry's tables: firms, capabilities and their codes, certifications,
vendor-list entries, buyers' demand lists and items, proposed matches and introductions.

They sit on the program store's ``Base`` (one Alembic revision, ``0003_suppliers``); editable
rows are ``Versioned`` and written only through :mod:`exportplan.store.program.writes`, each
change with its audit row. A firm's exports are not stored here: they are read from the
warehouse through its trade card number.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column

from exportplan.store.program.models import Base, Versioned, utcnow


class Firm(Base, Versioned):
    """A local maker: ``code`` is the registry's firm id (``F001``), unique."""

    __tablename__ = "supplier_firms"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_fa: Mapped[str] = mapped_column(String(300), default="")
    name_en: Mapped[str] = mapped_column(String(300), default="")
    name_key: Mapped[str] = mapped_column(String(300), default="")  # normalised, for dedup
    national_id: Mapped[str | None] = mapped_column(String(11), nullable=True, unique=True)
    trade_card_no: Mapped[str | None] = mapped_column(String(40), nullable=True)
    province: Mapped[str] = mapped_column(String(100), default="East Azerbaijan")
    county: Mapped[str] = mapped_column(String(100), default="")
    zone_plot_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    state: Mapped[str] = mapped_column(String(20), default="draft")
    visibility: Mapped[str] = mapped_column(String(20), default="anonymous")
    source: Mapped[str] = mapped_column(String(100), default="staff")
    data_reviewed_at: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class Capability(Base):
    """One product, process or service a firm makes; ``text_key`` is ``text`` normalised."""

    __tablename__ = "supplier_capabilities"
    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("supplier_firms.id"))
    kind: Mapped[str] = mapped_column(String(20), default="product")
    text: Mapped[str] = mapped_column(Text, default="")
    text_key: Mapped[str] = mapped_column(Text, default="")
    capacity_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    capacity_unit: Mapped[str] = mapped_column(String(40), default="")
    capacity_period: Mapped[str] = mapped_column(String(10), default="year")


class CapabilityCode(Base):
    __tablename__ = "supplier_capability_codes"
    __table_args__ = (Unique("capability_id", "scheme", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    capability_id: Mapped[int] = mapped_column(ForeignKey("supplier_capabilities.id"))
    scheme: Mapped[str] = mapped_column(String(12))
    code: Mapped[str] = mapped_column(String(20))


class Certification(Base, Versioned):
    """A certificate a firm holds; its status (valid, expiring, expired, unverified) is computed
    at a date, never stored."""

    __tablename__ = "supplier_certifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("supplier_firms.id"))
    standard: Mapped[str] = mapped_column(String(80))
    issuer: Mapped[str] = mapped_column(String(200), default="")
    certificate_no: Mapped[str] = mapped_column(String(100), default="")
    valid_from: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    verified_by: Mapped[str] = mapped_column(String(100), default="")
    verified_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    verification_method: Mapped[str] = mapped_column(String(20), default="none")


class VendorListEntry(Base, Versioned):
    """A firm on one buyer's vendor list (``MOP_AVL``, ``NIOC``, ``SAPCO``...); lists are
    never merged: one firm may be listed by one and suspended by another."""

    __tablename__ = "vendor_list_entries"
    __table_args__ = (Unique("firm_id", "list_code", "category"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("supplier_firms.id"))
    list_code: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(200), default="")
    grade: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(20), default="listed")
    as_of: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    source_doc: Mapped[str] = mapped_column(String(300), default="")


class DemandList(Base, Versioned):
    """A buyer's need list: an import-substitution list, a request for quotation, a partner
    request or a tender; ``weights`` and ``threshold`` tune its matching."""

    __tablename__ = "demand_lists"
    id: Mapped[int] = mapped_column(primary_key=True)
    buyer: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(30), default="import_substitution")
    title_fa: Mapped[str] = mapped_column(String(300), default="")
    title_en: Mapped[str] = mapped_column(String(300), default="")
    published_at: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    confidentiality: Mapped[str] = mapped_column(String(20), default="internal")
    state: Mapped[str] = mapped_column(String(20), default="open")
    source_doc: Mapped[str] = mapped_column(String(300), default="")


class DemandItem(Base):
    """One line of a demand list (OCDS-like): text, codes, quantity and unit, needed-by date,
    required certifications and vendor list, and the annual import value it would replace."""

    __tablename__ = "demand_items"
    __table_args__ = (Unique("list_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("demand_lists.id"))
    code: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, default="")
    text_key: Mapped[str] = mapped_column(Text, default="")
    hs_code: Mapped[str] = mapped_column(String(20), default="")
    quantity: Mapped[float | None] = mapped_column(Float, nullable=True)
    unit: Mapped[str] = mapped_column(String(40), default="")
    needed_by: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    required_certifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    required_vendor_list: Mapped[str | None] = mapped_column(String(40), nullable=True)
    annual_value_usd: Mapped[float | None] = mapped_column(Float, nullable=True)


class Match(Base, Versioned):
    """A proposed pairing of a demand item and a firm, the unit of curation: its score and
    parts, the reasons shown, and the curator's decision (the labels for evaluation)."""

    __tablename__ = "supplier_matches"
    __table_args__ = (Unique("item_id", "firm_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("demand_items.id"))
    firm_id: Mapped[int] = mapped_column(ForeignKey("supplier_firms.id"))
    capability_id: Mapped[int | None] = mapped_column(
        ForeignKey("supplier_capabilities.id"), nullable=True
    )
    score: Mapped[float] = mapped_column(Float, default=0.0)
    score_parts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)  # template and values
    engine_version: Mapped[str] = mapped_column(String(20), default="")
    state: Mapped[str] = mapped_column(String(20), default="proposed")
    decided_by: Mapped[str] = mapped_column(String(100), default="")
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    decision_reason: Mapped[str] = mapped_column(String(40), default="")
    decision_note: Mapped[str] = mapped_column(Text, default="")


class Introduction(Base, Versioned):
    """A b2match-style introduction of a matched firm to the buyer; unanswered by
    ``expires_at`` it is expired."""

    __tablename__ = "supplier_introductions"
    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("supplier_matches.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default="requested")
    held_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    outcome: Mapped[str] = mapped_column(String(30), default="none")
    contract_value_usd: Mapped[float | None] = mapped_column(Float, nullable=True)


class SupplierImport(Base):
    """One registry or demand-list file imported: what it held, and (in
    :class:`SupplierImportReject`) every row it rejected; a file is imported once per buyer."""

    __tablename__ = "supplier_imports"
    __table_args__ = (Unique("kind", "sha256", "buyer"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # firms | demand
    buyer: Mapped[str] = mapped_column(String(40), default="")
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    username: Mapped[str] = mapped_column(String(100))
    rows_read: Mapped[int] = mapped_column(Integer)
    rows_accepted: Mapped[int] = mapped_column(Integer)
    rows_rejected: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")


class SupplierImportReject(Base):
    __tablename__ = "supplier_import_rejects"
    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("supplier_imports.id"))
    row: Mapped[int] = mapped_column(Integer)
    column: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
