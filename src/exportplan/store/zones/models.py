"""The industrial zones' tables: zones, plots and their status history, applications with
their scrutiny, allotment decisions, contracts, milestones, inspections and notices.

They live in the program store (same ``Base``, same write helper, same audit log). The
applicant is a name with an optional trade card number and national id on the application;
``firm_ref`` is left for the suppliers' firm registry to link later (no foreign key yet).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from exportplan.store.program.models import Base, Versioned, utcnow


class Zone(Base, Versioned):
    __tablename__ = "zones"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(300))
    name_fa: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(20))
    operator: Mapped[str] = mapped_column(String(300), default="")
    operator_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), nullable=True)
    specialisation: Mapped[str] = mapped_column(String(300), default="")
    hs_chapters: Mapped[list[str]] = mapped_column(JSON, default=list)
    allowed_isic4: Mapped[list[str]] = mapped_column(JSON, default=list)
    gross_area_ha: Mapped[float | None] = mapped_column(Float, nullable=True)
    boundary: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    services: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    established_at: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class Plot(Base, Versioned):
    __tablename__ = "plots"
    __table_args__ = (UniqueConstraint("zone_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    code: Mapped[str] = mapped_column(String(40))
    block: Mapped[str] = mapped_column(String(40), default="")
    area_m2_declared: Mapped[float] = mapped_column(Float)
    geometry: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    area_m2_geometry: Mapped[float | None] = mapped_column(Float, nullable=True)
    use_class: Mapped[str] = mapped_column(String(20), default="industrial")
    ready: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    tenure_offered: Mapped[str] = mapped_column(String(20), default="lease_to_own")
    status: Mapped[str] = mapped_column(String(20), default="vacant")
    status_since: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class PlotStatusChange(Base):
    """One step of a plot's status history: from, to, on which day, why and by whom (a
    reservation: until which day, for which application)."""

    __tablename__ = "plot_status_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    plot_id: Mapped[int] = mapped_column(ForeignKey("plots.id"))
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    #: A reservation's last day (the plot is vacant again the day after) and its application
    until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    application_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Application(Base, Versioned):
    __tablename__ = "zone_applications"
    __table_args__ = (UniqueConstraint("zone_id", "ref"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    ref: Mapped[str] = mapped_column(String(40))
    applicant_name: Mapped[str] = mapped_column(String(300))
    trade_card: Mapped[str | None] = mapped_column(String(40), nullable=True)
    national_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    firm_ref: Mapped[int | None] = mapped_column(Integer, nullable=True)
    permit_no: Mapped[str] = mapped_column(String(60), default="")
    permit_issuer: Mapped[str] = mapped_column(String(40), default="")
    permit_valid_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    isic4: Mapped[str] = mapped_column(String(10), default="")
    products_hs: Mapped[list[str]] = mapped_column(JSON, default=list)
    area_requested_m2: Mapped[float] = mapped_column(Float)
    capex_usd: Mapped[float | None] = mapped_column(Float, nullable=True)
    jobs_planned: Mapped[int | None] = mapped_column(Integer, nullable=True)
    preferred_plot_id: Mapped[int | None] = mapped_column(ForeignKey("plots.id"), nullable=True)
    submitted_at: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="submitted")


class Scrutiny(Base, Versioned):
    """An application's checklist: each item True (passed), False (failed) or None (open)."""

    __tablename__ = "zone_scrutiny"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("zone_applications.id"), unique=True)
    permit_valid: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    sector_fits_zone: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    environmental_ok: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    area_justified: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    documents_complete: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    financial_capacity_ok: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    reviewer: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    completed_at: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class Decision(Base):
    __tablename__ = "zone_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("zone_applications.id"))
    plot_id: Mapped[int | None] = mapped_column(ForeignKey("plots.id"), nullable=True)
    decision: Mapped[str] = mapped_column(String(20))
    decided_at: Mapped[dt.date] = mapped_column(Date)
    committee: Mapped[str] = mapped_column(String(200), default="")
    reasons: Mapped[str] = mapped_column(Text, default="")


class Contract(Base, Versioned):
    __tablename__ = "zone_contracts"
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("zone_decisions.id"))
    application_id: Mapped[int] = mapped_column(ForeignKey("zone_applications.id"))
    plot_id: Mapped[int] = mapped_column(ForeignKey("plots.id"))
    signed_at: Mapped[dt.date] = mapped_column(Date)
    tenure: Mapped[str] = mapped_column(String(20), default="lease_to_own")
    price_total_irr: Mapped[float | None] = mapped_column(Float, nullable=True)
    construction_start_deadline: Mapped[dt.date] = mapped_column(Date)
    construction_end_deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    operation_deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    transfer_restrictions: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(30), default="active")


class Milestone(Base):
    __tablename__ = "zone_milestones"
    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("zone_contracts.id"))
    kind: Mapped[str] = mapped_column(String(30))
    planned_at: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    actual_at: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class Inspection(Base):
    __tablename__ = "zone_inspections"
    id: Mapped[int] = mapped_column(primary_key=True)
    plot_id: Mapped[int] = mapped_column(ForeignKey("plots.id"))
    at: Mapped[dt.date] = mapped_column(Date)
    by: Mapped[str] = mapped_column(String(100))
    finding: Mapped[str] = mapped_column(String(60))
    power_kwh_last_12m: Mapped[float | None] = mapped_column(Float, nullable=True)


class Notice(Base):
    """A step of the idle-plot procedure: warning, show cause, extension (a new deadline),
    termination, reclaim order (خلع ید) or reclaimed."""

    __tablename__ = "zone_notices"
    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("zone_contracts.id"))
    kind: Mapped[str] = mapped_column(String(20))
    issued_at: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    legal_ref: Mapped[str] = mapped_column(String(300), default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
