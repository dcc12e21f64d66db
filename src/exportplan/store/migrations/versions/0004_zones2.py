"""program store: a plot's reservation has an expiry and names its application

Revision ID: 0004_zones2
Revises: 0003_suppliers
Create Date: 2026-12-01 22:10:00

Two nullable columns on ``plot_status_changes``: ``until`` (the last day a reservation
holds; the plot is vacant again from the next day) and ``application_id`` (the application
the plot is reserved for).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_zones2"
down_revision = "0003_suppliers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plot_status_changes") as b:
        b.add_column(sa.Column("until", sa.Date(), nullable=True))
        b.add_column(sa.Column("application_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plot_status_changes") as b:
        b.drop_column("application_id")
        b.drop_column("until")
