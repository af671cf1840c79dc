"""``SqlStores``: every storage port over one SQLAlchemy engine (SQLite or PostgreSQL).

``open_stores(url)`` is the usual entry point: it builds the engine and applies the
migrations before anything else touches the database.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Engine, delete

from tactful.sql import tables
from tactful.sql.consents import SqlConsentStore
from tactful.sql.database import Database, make_engine
from tactful.sql.events import SqlEventStore
from tactful.sql.records import SqlExposureStore, SqlItemStore, SqlKeyStore, SqlPreferenceStore
from tactful.sql.schema import upgrade
from tactful.store.ports import (
    ConsentStore,
    EventStore,
    ExposureStore,
    ItemStore,
    KeyStore,
    PreferenceStore,
)
from tactful.types import SubjectId


class SqlStores:
    """The ``Stores`` bundle on SQL; erasure is derived from the personal-data declarations
    in ``tactful.sql.tables``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._db = Database(engine)
        # Typed as the ports: ``Stores`` declares them as (invariant) attributes.
        self.events: EventStore = SqlEventStore(self._db)
        self.consents: ConsentStore = SqlConsentStore(self._db)
        self.preferences: PreferenceStore = SqlPreferenceStore(self._db)
        self.items: ItemStore = SqlItemStore(self._db)
        self.exposures: ExposureStore = SqlExposureStore(self._db)
        self.keys: KeyStore = SqlKeyStore(self._db)

    def personal_tables(self) -> Mapping[str, str]:
        return tables.personal_tables()

    def erase_subject(self, subject: SubjectId) -> Mapping[str, int]:
        """Delete the subject from every declared table in one transaction."""
        declared = tables.personal_tables()
        counts: dict[str, int] = {}
        with self._db.writing("erasing a subject") as conn:
            for table in reversed(tables.metadata.sorted_tables):  # children before parents
                column = declared.get(table.name)
                if column is not None:
                    result = conn.execute(delete(table).where(table.c[column] == subject))
                    counts[table.name] = result.rowcount
        return counts

    def close(self) -> None:
        self._db.dispose()


def open_stores(url: str) -> SqlStores:
    """Connect to ``url`` (``sqlite:///path.db`` or ``postgresql+psycopg://...``) and apply
    any pending migrations; raises ``StoreError`` if the database cannot be reached."""
    engine = make_engine(url)
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return SqlStores(engine)
