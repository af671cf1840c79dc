"""Engage: contact decisions, milestones and hand-off cases.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contact_decisions",
        sa.Column("decision_id", sa.String(length=64), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("requested_channel", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("topic", sa.String(length=200), nullable=True),
        sa.Column("urgency", sa.String(length=16), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("digest_id", sa.String(length=80), nullable=True),
        sa.Column("why", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("decision_id", name=op.f("pk_contact_decisions")),
    )
    op.create_index(
        op.f("ix_contact_decisions_subject_id_decided_at"),
        "contact_decisions",
        ["subject_id", "decided_at"],
    )

    op.create_table(
        "milestones",
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("reached_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("decision_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("subject_id", "key", name=op.f("pk_milestones")),
    )

    op.create_table(
        "handoff_cases",
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("active_subject", sa.String(length=200), nullable=True),
        sa.Column("trigger", sa.String(length=64), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("brief", sa.JSON(), nullable=False),
        sa.Column("claimed_by", sa.String(length=200), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_handoff_cases")),
        sa.UniqueConstraint("active_subject", name=op.f("uq_handoff_cases_active_subject")),
    )
    op.create_index(
        op.f("ix_handoff_cases_status_opened_at"), "handoff_cases", ["status", "opened_at"]
    )
    op.create_index(
        op.f("ix_handoff_cases_subject_id_opened_at"), "handoff_cases", ["subject_id", "opened_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_handoff_cases_subject_id_opened_at"), table_name="handoff_cases")
    op.drop_index(op.f("ix_handoff_cases_status_opened_at"), table_name="handoff_cases")
    op.drop_table("handoff_cases")
    op.drop_table("milestones")
    op.drop_index(
        op.f("ix_contact_decisions_subject_id_decided_at"), table_name="contact_decisions"
    )
    op.drop_table("contact_decisions")
