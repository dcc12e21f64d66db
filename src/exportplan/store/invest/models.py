"""The investment pipeline's tables: investors, opportunities, events and their attendees,
enquiries, projects, interactions, propositions, agreements, implementation milestones and the
stage log (SQLAlchemy 2, on the program store's ``Base``; migration ``0003_invest``).

Plots (the Zones issue) and firms (the Suppliers issue) are not tables of this store yet: a
project keeps their references as nullable text (``plot_code``, ``trade_card_no``,
``national_id``, ``exporter_name``) to be linked later. Editable rows are ``Versioned``; every
write goes through :func:`exportplan.store.program.writes.write` with its audit row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from exportplan.store.program.models import Base, Versioned

__all__ = [
    "Agreement",
    "Enquiry",
    "Event",
    "EventAttendee",
    "Interaction",
    "Investor",
    "Milestone",
    "Opportunity",
    "Project",
    "Proposition",
    "StageLog",
]


class Investor(Base, Versioned):
    """An organisation that may invest; ``match_key`` (name key) with ``country`` finds
    duplicates; a merged investor points at the one kept (``merged_into_id``)."""

    __tablename__ = "invest_investors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_fa: Mapped[str] = mapped_column(String(300), default="")
    match_key: Mapped[str] = mapped_column(String(300), index=True)
    country: Mapped[str] = mapped_column(String(3), default="")
    kind: Mapped[str] = mapped_column(String(30), default="foreign")
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("invest_investors.id"), nullable=True
    )


class Opportunity(Base, Versioned):
    """What the province offers: a mining concession (licence, mineral, area, reserve), a plot
    (``plot_code``, the Zones issue's), a project profile."""

    __tablename__ = "invest_opportunities"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    title_fa: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(30), default="mining_concession")
    sector: Mapped[str] = mapped_column(String(10), default="")
    mineral: Mapped[str] = mapped_column(String(100), default="")
    licence_no: Mapped[str] = mapped_column(String(100), default="")
    area_km2: Mapped[float | None] = mapped_column(Float, nullable=True)
    reserve: Mapped[str] = mapped_column(String(300), default="")
    plot_code: Mapped[str | None] = mapped_column(String(60), nullable=True)
    hs_products: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_capex_usd: Mapped[float | None] = mapped_column(Float, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="published")


class Event(Base, Versioned):
    """An investment meeting: when, where, its follow-up window, the opportunities shown."""

    __tablename__ = "invest_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    title_fa: Mapped[str] = mapped_column(String(300), default="")
    held_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    sector: Mapped[str] = mapped_column(String(10), default="")
    follow_up_due_days: Mapped[int] = mapped_column(Integer, default=7)
    invitees: Mapped[list[str]] = mapped_column(JSON, default=list)
    opportunities_presented: Mapped[list[str]] = mapped_column(JSON, default=list)


class EventAttendee(Base):
    """An investor who attended an event."""

    __tablename__ = "invest_event_attendees"
    __table_args__ = (UniqueConstraint("event_id", "investor_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("invest_events.id"))
    investor_id: Mapped[int] = mapped_column(ForeignKey("invest_investors.id"))


class Project(Base, Versioned):
    """An investor x opportunity pursuit (Data Hub's investment project): its stage and its
    independent status, value fields with their estimate flags, and the references to a plot
    and a firm that other issues' tables will resolve."""

    __tablename__ = "invest_projects"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    investor_id: Mapped[int | None] = mapped_column(
        ForeignKey("invest_investors.id"), nullable=True
    )
    opportunity_id: Mapped[int | None] = mapped_column(
        ForeignKey("invest_opportunities.id"), nullable=True
    )
    source_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("invest_events.id"), nullable=True
    )
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), nullable=True)
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priorities.id"), nullable=True)
    project_type: Mapped[str | None] = mapped_column(String(30), nullable=True)
    sector: Mapped[str | None] = mapped_column(String(10), nullable=True)
    project_manager: Mapped[str | None] = mapped_column(String(200), nullable=True)
    likelihood: Mapped[str | None] = mapped_column(String(10), nullable=True)
    stage: Mapped[str] = mapped_column(String(20), default="lead")
    status: Mapped[str] = mapped_column(String(20), default="ongoing")
    status_reason: Mapped[str] = mapped_column(Text, default="")
    capex_usd: Mapped[float | None] = mapped_column(Float, nullable=True)
    capex_is_estimate: Mapped[bool] = mapped_column(Boolean, default=False)
    capex_unknown: Mapped[bool] = mapped_column(Boolean, default=False)
    #: a capex given in another currency: the value as given, its currency and the rate used
    capex_original: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    jobs_new: Mapped[int | None] = mapped_column(Integer, nullable=True)
    expected_exports_usd_y3: Mapped[float | None] = mapped_column(Float, nullable=True)
    competitor_locations: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    plot_code: Mapped[str | None] = mapped_column(String(60), nullable=True)
    concession_ref: Mapped[str | None] = mapped_column(String(200), nullable=True)
    trade_card_no: Mapped[str | None] = mapped_column(String(40), nullable=True)
    national_id: Mapped[str | None] = mapped_column(String(20), nullable=True)
    exporter_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    waived_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_on: Mapped[dt.date] = mapped_column(Date)


class Enquiry(Base, Versioned):
    """An investor's enquiry: received, acknowledged, first substantive response (Solar Hijri
    days in files, stored as dates); ``investor_id`` may be unknown at first."""

    __tablename__ = "invest_enquiries"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("invest_projects.id"), nullable=True)
    investor_id: Mapped[int | None] = mapped_column(
        ForeignKey("invest_investors.id"), nullable=True
    )
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), nullable=True)
    channel: Mapped[str] = mapped_column(String(20), default="email")
    received_on: Mapped[dt.date] = mapped_column(Date)
    acknowledged_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    first_response_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="new")
    text: Mapped[str] = mapped_column(Text, default="")


class Interaction(Base):
    """A meeting, call, site visit, e-mail... with a project, an enquiry or an investor;
    ``planned`` for one booked but not yet held."""

    __tablename__ = "invest_interactions"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("invest_projects.id"), nullable=True)
    investor_id: Mapped[int | None] = mapped_column(
        ForeignKey("invest_investors.id"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.date] = mapped_column(Date)
    planned: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")


class Proposition(Base):
    """What the province offered a project (incentives, land, utilities), by a deadline."""

    __tablename__ = "invest_propositions"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("invest_projects.id"))
    what: Mapped[str] = mapped_column(String(300))
    deadline: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="ongoing")


class Agreement(Base):
    """A signed MoU or contract of a project."""

    __tablename__ = "invest_agreements"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("invest_projects.id"))
    kind: Mapped[str] = mapped_column(String(30), default="mou")
    signed_on: Mapped[dt.date] = mapped_column(Date)


class Milestone(Base):
    """An implementation milestone (land allotted, permits, ..., operation licence, first
    export), planned and actual."""

    __tablename__ = "invest_milestones"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("invest_projects.id"))
    kind: Mapped[str] = mapped_column(String(30))
    planned_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    actual_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class StageLog(Base):
    """A project entering a stage: from which, when, by whom, why (a move back needs a reason),
    and the gate fields waived (legacy imports: the data debt)."""

    __tablename__ = "invest_stage_log"
    __table_args__ = (UniqueConstraint("project_id", "to_stage", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("invest_projects.id"))
    from_stage: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_stage: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.date] = mapped_column(Date)
    by: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    waived_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(10), default="move")  # move | import
