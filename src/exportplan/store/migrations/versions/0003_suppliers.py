"""program store: the supplier registry, buyers' demand lists, matches and introductions

Revision ID: 0003_suppliers
Revises: 0003_invest (chained when merged: claims, zones, investment landed first)
Create Date: 2026-12-01 19:10:00

Firms, their capabilities (with codes), certifications and vendor-list entries; demand lists
and items; proposed matches with the curators' decisions; introductions with their expiry.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_suppliers"
down_revision = "0003_invest"  # chained after claims, zones and investment, which landed first
branch_labels = None
depends_on = None

TABLES = (
    "supplier_import_rejects",
    "supplier_imports",
    "supplier_introductions",
    "supplier_matches",
    "supplier_capability_codes",
    "vendor_list_entries",
    "supplier_certifications",
    "supplier_capabilities",
    "demand_items",
    "supplier_firms",
    "demand_lists",
)


def upgrade() -> None:
    op.create_table(
        "demand_lists",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("buyer", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title_fa", sa.String(length=300), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("published_at", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("confidentiality", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("source_doc", sa.String(length=300), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("buyer"),
    )
    op.create_table(
        "supplier_firms",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_fa", sa.String(length=300), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("national_id", sa.String(length=11), nullable=True),
        sa.Column("trade_card_no", sa.String(length=40), nullable=True),
        sa.Column("province", sa.String(length=100), nullable=False),
        sa.Column("county", sa.String(length=100), nullable=False),
        sa.Column("zone_plot_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("visibility", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("data_reviewed_at", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("code"),
        sa.UniqueConstraint("national_id"),
    )
    op.create_table(
        "demand_items",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("list_id", sa.Integer(), sa.ForeignKey("demand_lists.id"), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_key", sa.Text(), nullable=False),
        sa.Column("hs_code", sa.String(length=20), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("needed_by", sa.Date(), nullable=True),
        sa.Column("required_certifications", sa.JSON(), nullable=False),
        sa.Column("required_vendor_list", sa.String(length=40), nullable=True),
        sa.Column("annual_value_usd", sa.Float(), nullable=True),
        sa.UniqueConstraint("list_id", "code"),
    )
    op.create_table(
        "supplier_capabilities",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("firm_id", sa.Integer(), sa.ForeignKey("supplier_firms.id"), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_key", sa.Text(), nullable=False),
        sa.Column("capacity_value", sa.Float(), nullable=True),
        sa.Column("capacity_unit", sa.String(length=40), nullable=False),
        sa.Column("capacity_period", sa.String(length=10), nullable=False),
    )
    op.create_table(
        "supplier_certifications",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("firm_id", sa.Integer(), sa.ForeignKey("supplier_firms.id"), nullable=False),
        sa.Column("standard", sa.String(length=80), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("certificate_no", sa.String(length=100), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("verified_by", sa.String(length=100), nullable=False),
        sa.Column("verified_at", sa.DateTime(), nullable=True),
        sa.Column("verification_method", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_table(
        "vendor_list_entries",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("firm_id", sa.Integer(), sa.ForeignKey("supplier_firms.id"), nullable=False),
        sa.Column("list_code", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=200), nullable=False),
        sa.Column("grade", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("source_doc", sa.String(length=300), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("firm_id", "list_code", "category"),
    )
    op.create_table(
        "supplier_capability_codes",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column(
            "capability_id", sa.Integer(), sa.ForeignKey("supplier_capabilities.id"), nullable=False
        ),
        sa.Column("scheme", sa.String(length=12), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.UniqueConstraint("capability_id", "scheme", "code"),
    )
    op.create_table(
        "supplier_matches",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("demand_items.id"), nullable=False),
        sa.Column("firm_id", sa.Integer(), sa.ForeignKey("supplier_firms.id"), nullable=False),
        sa.Column(
            "capability_id", sa.Integer(), sa.ForeignKey("supplier_capabilities.id"), nullable=True
        ),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("score_parts", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("engine_version", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_reason", sa.String(length=40), nullable=False),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("item_id", "firm_id"),
    )
    op.create_table(
        "supplier_introductions",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("match_id", sa.Integer(), sa.ForeignKey("supplier_matches.id"), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("held_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("contract_value_usd", sa.Float(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_table(
        "supplier_imports",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("buyer", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_accepted", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.UniqueConstraint("kind", "sha256", "buyer"),
    )
    op.create_table(
        "supplier_import_rejects",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("import_id", sa.Integer(), sa.ForeignKey("supplier_imports.id"), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
    )
    op.create_index("ix_supplier_capabilities_firm", "supplier_capabilities", ["firm_id"])
    op.create_index("ix_demand_items_list", "demand_items", ["list_id"])


def downgrade() -> None:
    op.drop_index("ix_demand_items_list", "demand_items")
    op.drop_index("ix_supplier_capabilities_firm", "supplier_capabilities")
    for name in TABLES:
        op.drop_table(name)
