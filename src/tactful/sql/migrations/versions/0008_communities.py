"""Communities: ``communities`` (defined by operators), ``community_members`` (personal:
a person's choice to belong, exported and erased with them) and ``items.kind`` (product or
content; existing items are products). Memberships change the person's stamp like their
events do (the triggers of 0005, here on ``community_members``), so a cached list is never
served past a join or a leave.

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

TABLE = "community_members"


def _sqlite_triggers() -> list[str]:
    upsert = (
        "INSERT INTO subject_stamps (subject_id, stamp) VALUES (NEW.subject_id, random()) "
        "ON CONFLICT (subject_id) DO UPDATE SET stamp = excluded.stamp;"
    )
    touch = "UPDATE subject_stamps SET stamp = random() WHERE subject_id = OLD.subject_id;"
    return [
        f"CREATE TRIGGER stamp_{TABLE}_insert AFTER INSERT ON {TABLE} BEGIN {upsert} END",
        f"CREATE TRIGGER stamp_{TABLE}_update AFTER UPDATE ON {TABLE} BEGIN {touch} {upsert} END",
        f"CREATE TRIGGER stamp_{TABLE}_delete AFTER DELETE ON {TABLE} BEGIN {touch} END",
    ]


def _postgres_triggers() -> list[str]:
    """Over the statement-level functions revision 0005 created."""
    each = "FOR EACH STATEMENT EXECUTE FUNCTION"
    return [
        f"CREATE TRIGGER stamp_{TABLE}_insert AFTER INSERT ON {TABLE} "
        f"REFERENCING NEW TABLE AS written {each} tactful_stamp_written()",
        f"CREATE TRIGGER stamp_{TABLE}_update AFTER UPDATE ON {TABLE} "
        f"REFERENCING NEW TABLE AS written {each} tactful_stamp_written()",
        f"CREATE TRIGGER stamp_{TABLE}_delete AFTER DELETE ON {TABLE} "
        f"REFERENCING OLD TABLE AS removed {each} tactful_stamp_removed()",
    ]


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
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _sqlite_triggers() if sqlite else _postgres_triggers():
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for kind in ("insert", "update", "delete"):
        suffix = "" if sqlite else f" ON {TABLE}"
        op.execute(f"DROP TRIGGER IF EXISTS stamp_{TABLE}_{kind}{suffix}")
    op.drop_index("ix_community_members_subject_id", table_name="community_members")
    op.drop_table("community_members")
    op.drop_table("communities")
    with op.batch_alter_table("items") as batch:
        batch.drop_column("kind")
