"""Communities: ``communities`` (defined by operators), ``community_members`` (personal:
a person's choice to belong, exported and erased with them) and ``items.kind`` (product or
content; existing items are products).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("items") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="product"))
    op.create_table(
        "communities",
        sa.Column("community_id", sa.String(200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("min_members", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("community_id", name="pk_communities"),
    )
    op.create_table(
        "community_members",
        sa.Column("community_id", sa.String(200), nullable=False),
        sa.Column("subject_id", sa.String(200), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("community_id", "subject_id", name="pk_community_members"),
    )
    op.create_index("ix_community_members_subject_id", "community_members", ["subject_id"])


def downgrade() -> None:
    op.drop_index("ix_community_members_subject_id", table_name="community_members")
    op.drop_table("community_members")
    op.drop_table("communities")
    with op.batch_alter_table("items") as batch:
        batch.drop_column("kind")
