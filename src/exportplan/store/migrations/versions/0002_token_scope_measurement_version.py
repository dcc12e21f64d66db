"""program store: token scope, versioned measurements

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 12:50:00

API tokens gain a scope (``read`` or ``write``; every existing token keeps ``write``, what it
could do before) and KPI measurements a version counter (existing rows start at 1). A
session made by the API's sign-in before (``kind='session'``) is from now on accepted only as
a web session cookie; API clients sign in again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(
            sa.Column("scope", sa.String(length=10), nullable=False, server_default="write")
        )
    with op.batch_alter_table("measurements") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("measurements") as batch:
        batch.drop_column("version")
    with op.batch_alter_table("tokens") as batch:
        batch.drop_column("scope")
