"""Subject stamps: one row per person whose value changes with every write to what serving
reads about them (events, consents, preferences, signals), kept by triggers so that no
write path can forget it. Serving caches a person's prepared list while the stamp holds.

Inserts and updates set a fresh random stamp (creating the row); deletes only change an
existing one, so erasing a person (which deletes their stamp row too) leaves nothing behind.
A random value instead of a counter: a row deleted and created again never repeats a stamp
a cache may still hold.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAMPED = ("events", "consents", "preferences", "signals")
PG_RANDOM = "(floor(random() * 9.2e18) - 4.6e18)::bigint"


def upgrade() -> None:
    op.create_table(
        "subject_stamps",
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("subject_id", name=op.f("pk_subject_stamps")),
    )
    dialect = op.get_bind().dialect.name
    random = "random()" if dialect == "sqlite" else PG_RANDOM
    everyone = " UNION ".join(f"SELECT subject_id FROM {t}" for t in STAMPED)
    op.execute(
        f"INSERT INTO subject_stamps (subject_id, stamp) SELECT subject_id, {random} "
        f"FROM ({everyone}) AS known"
    )
    if dialect == "sqlite":
        for table in STAMPED:
            for statement in _sqlite_triggers(table):
                op.execute(statement)
    else:
        for statement in _postgres_functions():
            op.execute(statement)
        for table in STAMPED:
            for statement in _postgres_triggers(table):
                op.execute(statement)


def _sqlite_triggers(table: str) -> list[str]:
    upsert = (
        "INSERT INTO subject_stamps (subject_id, stamp) VALUES (NEW.subject_id, random()) "
        "ON CONFLICT (subject_id) DO UPDATE SET stamp = excluded.stamp;"
    )
    touch = "UPDATE subject_stamps SET stamp = random() WHERE subject_id = OLD.subject_id;"
    return [
        f"CREATE TRIGGER stamp_{table}_insert AFTER INSERT ON {table} BEGIN {upsert} END",
        f"CREATE TRIGGER stamp_{table}_update AFTER UPDATE ON {table} BEGIN {touch} {upsert} END",
        f"CREATE TRIGGER stamp_{table}_delete AFTER DELETE ON {table} BEGIN {touch} END",
    ]


def _postgres_functions() -> list[str]:
    """Statement-level, over the transition tables: one upsert per statement, subjects in
    a fixed order so that concurrent writers take the row locks in the same order."""
    return [
        f"""CREATE FUNCTION tactful_stamp_written() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO subject_stamps (subject_id, stamp)
            SELECT subject_id, {PG_RANDOM}
            FROM (SELECT DISTINCT subject_id FROM written) AS w ORDER BY subject_id
            ON CONFLICT (subject_id) DO UPDATE SET stamp = excluded.stamp;
            RETURN NULL;
        END $$""",
        f"""CREATE FUNCTION tactful_stamp_removed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE subject_stamps SET stamp = {PG_RANDOM}
            WHERE subject_id IN (SELECT subject_id FROM removed);
            RETURN NULL;
        END $$""",
    ]


def _postgres_triggers(table: str) -> list[str]:
    each = "FOR EACH STATEMENT EXECUTE FUNCTION"
    return [
        f"CREATE TRIGGER stamp_{table}_insert AFTER INSERT ON {table} "
        f"REFERENCING NEW TABLE AS written {each} tactful_stamp_written()",
        f"CREATE TRIGGER stamp_{table}_update AFTER UPDATE ON {table} "
        f"REFERENCING NEW TABLE AS written {each} tactful_stamp_written()",
        f"CREATE TRIGGER stamp_{table}_delete AFTER DELETE ON {table} "
        f"REFERENCING OLD TABLE AS removed {each} tactful_stamp_removed()",
    ]


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in STAMPED:
        for kind in ("insert", "update", "delete"):
            suffix = f" ON {table}" if dialect != "sqlite" else ""
            op.execute(f"DROP TRIGGER IF EXISTS stamp_{table}_{kind}{suffix}")
    if dialect != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS tactful_stamp_written()")
        op.execute("DROP FUNCTION IF EXISTS tactful_stamp_removed()")
    op.drop_table("subject_stamps")
