"""Exposure tallies: recommendation responses to people who allowed neither
personalization nor analytics, counted per UTC day without their id.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exposure_tallies",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("responses", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_exposure_tallies")),
    )


def downgrade() -> None:
    op.drop_table("exposure_tallies")
