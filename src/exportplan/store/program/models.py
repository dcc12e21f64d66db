"""The program store's tables: agencies, people and their terms, users and tokens, programs,
priorities, targets, actions and notes, KPIs and measurements, and the audit log (SQLAlchemy 2).

Every editable row has a ``version`` counter (SQLAlchemy's ``version_id_col``): an update
whose row changed since it was read fails instead of overwriting (optimistic locking). Rows are
written only through :mod:`exportplan.store.program.writes`, each change with its audit row in
the same transaction.
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
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    declared_attr,
    mapped_column,
)

from exportplan.auth import ROLES as ROLES
from exportplan.domain import DEFINITIONS as DEFINITIONS

AGENCY_KINDS = (
    "governorate",
    "industry-mine-trade",
    "customs",
    "free-zone",
    "chamber-of-commerce",
    "industrial-parks",
    "agriculture",
    "trade-promotion",
    "other",
)
ACTION_STATUSES = ("planned", "in-progress", "blocked", "done", "cancelled")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Versioned:
    """Optimistic locking: SQLAlchemy adds ``AND version = <read>`` to every UPDATE and bumps
    it; zero rows updated raises ``StaleDataError``."""

    version: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Region(Base):
    __tablename__ = "regions"
    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200), unique=True)
    name_fa: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(3))


class Agency(Base, Versioned):
    __tablename__ = "agencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(300))
    name_fa: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(40))


class Person(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(300))
    name_fa: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(300), default="")


class Term(Base):
    """Who heads (or serves in) an agency from when to when; the agency owns the work, not the
    person, so a change of head loses nothing."""

    __tablename__ = "terms"
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    title: Mapped[str] = mapped_column(String(200), default="head")
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class User(Base, Versioned):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(300), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


TOKEN_KINDS = ("session", "api")
TOKEN_SCOPES = ("read", "write")


class Token(Base):
    """A web sign-in session (``kind='session'``, accepted only as the session cookie) or an
    API token (``'api'``: a named token or an API sign-in, accepted only as a bearer token);
    ``scope`` ``read`` refuses every write. Only the token's sha256 is stored."""

    __tablename__ = "tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # session | api
    scope: Mapped[str] = mapped_column(String(10), default="write")  # read | write
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class Program(Base, Versioned):
    __tablename__ = "programs"
    __table_args__ = (UniqueConstraint("region_id", "sh_year", "definition"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    sh_year: Mapped[int] = mapped_column(Integer)
    definition: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(300), default="")
    target_usd: Mapped[float] = mapped_column(Float)


class Priority(Base, Versioned):
    """A product group (HS codes at any level) x a market or group of markets, and why."""

    __tablename__ = "priorities"
    __table_args__ = (UniqueConstraint("program_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    code: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    name_fa: Mapped[str] = mapped_column(String(300), default="")
    hs_codes: Mapped[list[str]] = mapped_column(JSON)
    markets: Mapped[list[str]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    opportunity: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class Target(Base, Versioned):
    """A node of the target tree under the program's total (the root, ``parent_id`` NULL):
    for a priority, an agency or a period (or a combination); a node's children never add up
    to more than the node."""

    __tablename__ = "targets"
    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("targets.id"), nullable=True)
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(300), default="")
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priorities.id"), nullable=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), nullable=True)
    period: Mapped[str | None] = mapped_column(String(20), nullable=True)
    value_usd: Mapped[float] = mapped_column(Float)
    __table_args__ = (UniqueConstraint("program_id", "code"),)


class Action(Base, Versioned):
    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priorities.id"), nullable=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    evidence: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (UniqueConstraint("program_id", "code"),)


class ActionNote(Base):
    __tablename__ = "action_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    author: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)


class Kpi(Base, Versioned):
    """A measure of progress: from the warehouse (``source='data'``: the region's exports of
    some HS codes to some partners, the monitoring service's numbers) or entered by hand."""

    __tablename__ = "kpis"
    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priorities.id"), nullable=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(500))
    unit: Mapped[str] = mapped_column(String(40), default="USD")
    source: Mapped[str] = mapped_column(String(10))  # data | manual
    hs_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    partners: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    __table_args__ = (UniqueConstraint("program_id", "code"),)


class Measurement(Base, Versioned):
    """A KPI's value for one Solar Hijri month; versioned like the other editable rows, so a
    save over a value changed since it was read is refused."""

    __tablename__ = "measurements"
    __table_args__ = (UniqueConstraint("kpi_id", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id"))
    period: Mapped[str] = mapped_column(String(10))  # Solar Hijri year-month, e.g. 1404-05
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(100))


class Audit(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    username: Mapped[str] = mapped_column(String(100))
    op: Mapped[str] = mapped_column(String(10))  # create | update | delete
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    program_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    agency_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


def as_dict(obj: Base) -> dict[str, Any]:
    """A row's columns as JSON-ready values (dates as ISO text)."""
    out: dict[str, Any] = {}
    for col in obj.__table__.columns:
        v = getattr(obj, col.key)
        if isinstance(v, dt.datetime | dt.date):
            v = v.isoformat()
        out[col.key] = v
    return out
