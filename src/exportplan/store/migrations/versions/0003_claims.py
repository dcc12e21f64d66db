"""program store: the claim register

Revision ID: 0003_claims
Revises: 0002
Create Date: 2026-12-01 19:20:00

One table, ``claim_texts``: each checked news text (outlet, address, publication date, text,
hash, who and when), its claims with their checks as JSON, and the counts of verdicts.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_claims"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim_texts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("outlet", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("url", sa.String(length=1000), nullable=False, server_default=""),
        sa.Column("published", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("added_by", sa.String(length=100), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("extractor_version", sa.String(length=20), nullable=False),
        sa.Column("n_claims", sa.Integer(), nullable=False),
        sa.Column("n_consistent", sa.Integer(), nullable=False),
        sa.Column("n_inconsistent", sa.Integer(), nullable=False),
        sa.Column("n_unchecked", sa.Integer(), nullable=False),
        sa.Column("claims", sa.JSON(), nullable=False),
    )
    op.create_index("ix_claim_texts_sha256", "claim_texts", ["sha256"])


def downgrade() -> None:
    op.drop_index("ix_claim_texts_sha256", table_name="claim_texts")
    op.drop_table("claim_texts")
