"""SQL storage: SQLAlchemy tables, the store adapters for SQLite and PostgreSQL, and the
Alembic migrations applied on start. The core never imports this package; ``app`` wires it.
"""

from tactful.sql.schema import upgrade
from tactful.sql.stores import SqlStores, open_stores
from tactful.sql.tables import metadata, personal_columns, personal_tables

__all__ = [
    "SqlStores",
    "metadata",
    "open_stores",
    "personal_columns",
    "personal_tables",
    "upgrade",
]
