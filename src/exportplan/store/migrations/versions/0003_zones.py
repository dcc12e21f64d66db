"""program store: industrial zones (issue 18)

Revision ID: 0003_zones
Revises: 0003_claims
Create Date: 2026-12-01 19:05:00

Zones, plots and their status history, applications and their scrutiny, allotment decisions,
contracts, milestones, inspections and notices. Nothing existing changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_zones"
down_revision = "0003_claims"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "zones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("name_fa", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("operator", sa.String(length=300), nullable=False),
        sa.Column("operator_agency_id", sa.Integer(), nullable=True),
        sa.Column("specialisation", sa.String(length=300), nullable=False),
        sa.Column("hs_chapters", sa.JSON(), nullable=False),
        sa.Column("allowed_isic4", sa.JSON(), nullable=False),
        sa.Column("gross_area_ha", sa.Float(), nullable=True),
        sa.Column("boundary", sa.JSON(), nullable=True),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("established_at", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operator_agency_id"],
            ["agencies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "plots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("block", sa.String(length=40), nullable=False),
        sa.Column("area_m2_declared", sa.Float(), nullable=False),
        sa.Column("geometry", sa.JSON(), nullable=True),
        sa.Column("area_m2_geometry", sa.Float(), nullable=True),
        sa.Column("use_class", sa.String(length=20), nullable=False),
        sa.Column("ready", sa.JSON(), nullable=False),
        sa.Column("tenure_offered", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_since", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["zones.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("zone_id", "code"),
    )
    op.create_table(
        "plot_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plot_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("at", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plot_id"],
            ["plots.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "zone_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=40), nullable=False),
        sa.Column("applicant_name", sa.String(length=300), nullable=False),
        sa.Column("trade_card", sa.String(length=40), nullable=True),
        sa.Column("national_id", sa.String(length=40), nullable=True),
        sa.Column("firm_ref", sa.Integer(), nullable=True),
        sa.Column("permit_no", sa.String(length=60), nullable=False),
        sa.Column("permit_issuer", sa.String(length=40), nullable=False),
        sa.Column("permit_valid_to", sa.Date(), nullable=True),
        sa.Column("isic4", sa.String(length=10), nullable=False),
        sa.Column("products_hs", sa.JSON(), nullable=False),
        sa.Column("area_requested_m2", sa.Float(), nullable=False),
        sa.Column("capex_usd", sa.Float(), nullable=True),
        sa.Column("jobs_planned", sa.Integer(), nullable=True),
        sa.Column("preferred_plot_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["preferred_plot_id"],
            ["plots.id"],
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["zones.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("zone_id", "ref"),
    )
    op.create_table(
        "zone_inspections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plot_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.Date(), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("finding", sa.String(length=60), nullable=False),
        sa.Column("power_kwh_last_12m", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["plot_id"],
            ["plots.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "zone_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("plot_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("decided_at", sa.Date(), nullable=False),
        sa.Column("committee", sa.String(length=200), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["zone_applications.id"],
        ),
        sa.ForeignKeyConstraint(
            ["plot_id"],
            ["plots.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "zone_scrutiny",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("permit_valid", sa.Boolean(), nullable=True),
        sa.Column("sector_fits_zone", sa.Boolean(), nullable=True),
        sa.Column("environmental_ok", sa.Boolean(), nullable=True),
        sa.Column("area_justified", sa.Boolean(), nullable=True),
        sa.Column("documents_complete", sa.Boolean(), nullable=True),
        sa.Column("financial_capacity_ok", sa.Boolean(), nullable=True),
        sa.Column("reviewer", sa.String(length=100), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("completed_at", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["zone_applications.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("application_id"),
    )
    op.create_table(
        "zone_contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("plot_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.Date(), nullable=False),
        sa.Column("tenure", sa.String(length=20), nullable=False),
        sa.Column("price_total_irr", sa.Float(), nullable=True),
        sa.Column("construction_start_deadline", sa.Date(), nullable=False),
        sa.Column("construction_end_deadline", sa.Date(), nullable=True),
        sa.Column("operation_deadline", sa.Date(), nullable=True),
        sa.Column("transfer_restrictions", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["zone_applications.id"],
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["zone_decisions.id"],
        ),
        sa.ForeignKeyConstraint(
            ["plot_id"],
            ["plots.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "zone_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("planned_at", sa.Date(), nullable=True),
        sa.Column("actual_at", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["zone_contracts.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "zone_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("issued_at", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("legal_ref", sa.String(length=300), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["zone_contracts.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("zone_notices")
    op.drop_table("zone_milestones")
    op.drop_table("zone_contracts")
    op.drop_table("zone_scrutiny")
    op.drop_table("zone_decisions")
    op.drop_table("zone_inspections")
    op.drop_table("zone_applications")
    op.drop_table("plot_status_changes")
    op.drop_table("plots")
    op.drop_table("zones")
