"""Schema migrations, run programmatically with Alembic: ``upgrade`` brings a database to the
newest revision at start-up and leaves an up-to-date one alone; ``new_revision`` writes the
next numbered revision file for developers (see docs/storage.md).

Run ``python -m tactful.sql upgrade|current|revision`` for the same from a shell.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, text

from tactful.errors import StoreError
from tactful.sql.database import Database, make_engine

MIGRATIONS = Path(__file__).parent / "migrations"
# Any fixed 64-bit key: concurrent PostgreSQL workers migrate one at a time.
PG_LOCK_KEY = 0x7AC7F01


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    """An Alembic config for the packaged migrations; no alembic.ini needed."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    """The newest revision this code knows."""
    rev = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if rev is None:
        raise StoreError("no schema migrations are packaged")
    return rev


def current(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    db = Database(engine)
    with db.reading("reading the schema revision") as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> bool:
    """Migrate to the newest revision in one transaction; returns whether anything ran."""
    target = head()
    if current(engine) == target:
        return False
    db = Database(engine)
    with db.writing("migrating the schema") as conn:
        if db.dialect == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
        if MigrationContext.configure(conn).get_current_revision() == target:
            return False  # another worker migrated while this one waited
        try:
            command.upgrade(alembic_config(connection=conn), "head")
        except CommandError as exc:
            raise StoreError(
                f"cannot migrate the database schema to {target}: {exc} "
                "(is the database newer than this version of Tactful?)"
            ) from exc
    return True


def reset(url: str) -> None:
    """Empty the database: every migration is undone (tables, triggers, functions), in one
    transaction; the next ``open_stores`` builds the schema again. For ``tactful demo
    --reset``; nothing of Tactful's is kept."""
    engine = make_engine(url)
    db = Database(engine)
    try:
        with db.writing("resetting the database") as conn:
            if db.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
            if MigrationContext.configure(conn).get_current_revision() is not None:
                command.downgrade(alembic_config(connection=conn), "base")
    finally:
        engine.dispose()


def new_revision(message: str, *, url: str | None = None, autogenerate: bool = False) -> Path:
    """Write ``versions/NNNN_<slug>.py`` after the current head; with ``autogenerate`` the
    body is diffed from ``tables.py`` against the database at ``url`` (migrated to head
    first)."""
    number = int(head()) + 1
    if autogenerate:
        if url is None:
            raise StoreError("autogenerate needs the URL of a scratch database")
        engine = make_engine(url)
        try:
            upgrade(engine)
        finally:
            engine.dispose()
    cfg = alembic_config(url)
    script = command.revision(cfg, message, autogenerate=autogenerate, rev_id=f"{number:04d}")
    if script is None or isinstance(script, list):
        raise StoreError("alembic wrote no revision")
    return Path(script.path)
