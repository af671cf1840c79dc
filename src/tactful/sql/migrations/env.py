"""Alembic environment for Tactful's packaged migrations.

Run through ``tactful.sql.schema`` (which passes an open connection in
``config.attributes["connection"]``) or with a ``sqlalchemy.url`` main option. SQLite uses
batch mode, because it cannot ALTER most things in place.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from tactful.sql.database import make_engine
from tactful.sql.tables import UtcDateTime, metadata


def render_item(kind: str, obj: Any, autogen: AutogenContext) -> str | Literal[False]:
    """Revisions spell column types in plain SQLAlchemy, never importing today's tables.py."""
    if kind == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    given = context.config.attributes.get("connection")
    if given is not None:
        run(given)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("pass a connection or set sqlalchemy.url")
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            run(connection)
            connection.commit()
    finally:
        engine.dispose()


def run_offline() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=url is not None and url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
