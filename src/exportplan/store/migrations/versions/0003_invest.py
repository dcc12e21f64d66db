"""program store: the investment pipeline (issue 19)

Revision ID: 0003_invest
Revises: 0003_zones (chained when merged: claims, then zones, landed first)
Create Date: 2026-12-01 18:54:23

Investors, opportunities, events and attendees, enquiries, projects (stage, status, value
fields with estimate flags, nullable references to a plot and a firm), interactions,
propositions, agreements, milestones and the stage log (``store/invest/models.py``). New tables
only: nothing existing changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_invest"
down_revision = "0003_zones"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invest_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("title_fa", sa.String(length=300), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("sector", sa.String(length=10), nullable=False),
        sa.Column("follow_up_due_days", sa.Integer(), nullable=False),
        sa.Column("invitees", sa.JSON(), nullable=False),
        sa.Column("opportunities_presented", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "invest_investors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_fa", sa.String(length=300), nullable=False),
        sa.Column("match_key", sa.String(length=300), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["invest_investors.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("invest_investors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invest_investors_match_key"), ["match_key"], unique=False
        )

    op.create_table(
        "invest_opportunities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("title_fa", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("sector", sa.String(length=10), nullable=False),
        sa.Column("mineral", sa.String(length=100), nullable=False),
        sa.Column("licence_no", sa.String(length=100), nullable=False),
        sa.Column("area_km2", sa.Float(), nullable=True),
        sa.Column("reserve", sa.String(length=300), nullable=False),
        sa.Column("plot_code", sa.String(length=60), nullable=True),
        sa.Column("hs_products", sa.JSON(), nullable=False),
        sa.Column("min_capex_usd", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "invest_event_attendees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("investor_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["invest_events.id"],
        ),
        sa.ForeignKeyConstraint(
            ["investor_id"],
            ["invest_investors.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "investor_id"),
    )
    op.create_table(
        "invest_projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("investor_id", sa.Integer(), nullable=True),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("source_event_id", sa.Integer(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("priority_id", sa.Integer(), nullable=True),
        sa.Column("project_type", sa.String(length=30), nullable=True),
        sa.Column("sector", sa.String(length=10), nullable=True),
        sa.Column("project_manager", sa.String(length=200), nullable=True),
        sa.Column("likelihood", sa.String(length=10), nullable=True),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("capex_usd", sa.Float(), nullable=True),
        sa.Column("capex_is_estimate", sa.Boolean(), nullable=False),
        sa.Column("capex_unknown", sa.Boolean(), nullable=False),
        sa.Column("capex_original", sa.JSON(), nullable=True),
        sa.Column("jobs_new", sa.Integer(), nullable=True),
        sa.Column("expected_exports_usd_y3", sa.Float(), nullable=True),
        sa.Column("competitor_locations", sa.JSON(), nullable=True),
        sa.Column("plot_code", sa.String(length=60), nullable=True),
        sa.Column("concession_ref", sa.String(length=200), nullable=True),
        sa.Column("trade_card_no", sa.String(length=40), nullable=True),
        sa.Column("national_id", sa.String(length=20), nullable=True),
        sa.Column("exporter_name", sa.String(length=300), nullable=True),
        sa.Column("waived_fields", sa.JSON(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agencies.id"],
        ),
        sa.ForeignKeyConstraint(
            ["investor_id"],
            ["invest_investors.id"],
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["invest_opportunities.id"],
        ),
        sa.ForeignKeyConstraint(
            ["priority_id"],
            ["priorities.id"],
        ),
        sa.ForeignKeyConstraint(
            ["source_event_id"],
            ["invest_events.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "invest_agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["invest_projects.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "invest_enquiries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("investor_id", sa.Integer(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("acknowledged_on", sa.Date(), nullable=True),
        sa.Column("first_response_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agencies.id"],
        ),
        sa.ForeignKeyConstraint(
            ["investor_id"],
            ["invest_investors.id"],
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["invest_projects.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "invest_interactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("investor_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("at", sa.Date(), nullable=False),
        sa.Column("planned", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["investor_id"],
            ["invest_investors.id"],
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["invest_projects.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "invest_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=True),
        sa.Column("actual_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["invest_projects.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "invest_propositions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=300), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["invest_projects.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "invest_stage_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("from_stage", sa.String(length=20), nullable=True),
        sa.Column("to_stage", sa.String(length=20), nullable=False),
        sa.Column("at", sa.Date(), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("waived_fields", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["invest_projects.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "to_stage", "at"),
    )


def downgrade() -> None:
    op.drop_table("invest_stage_log")
    op.drop_table("invest_propositions")
    op.drop_table("invest_milestones")
    op.drop_table("invest_interactions")
    op.drop_table("invest_enquiries")
    op.drop_table("invest_agreements")
    op.drop_table("invest_projects")
    op.drop_table("invest_event_attendees")
    op.drop_table("invest_opportunities")
    with op.batch_alter_table("invest_investors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invest_investors_match_key"))

    op.drop_table("invest_investors")
    op.drop_table("invest_events")
