"""One SELECT compiled once and run on the driver's own cursor.

SQLAlchemy's execution layer costs about 80 µs a statement, eight times what SQLite needs
for an indexed look-up; on the one statement every cached recommendation runs, that was a
third of the request. A ``DriverQuery`` keeps SQLAlchemy for everything it does well —
compiling for the dialect, the connection pool, each column type's own bind and result
processing — and skips only the per-call machinery. Anything else should use
``Connection.execute``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Connection, Select
from sqlalchemy.engine import Dialect

from tactful.errors import StoreError

Processor = Callable[[Any], Any] | None


class DriverQuery:
    """``run(conn, values)`` returns what ``conn.execute(stmt, values).all()`` would, as
    plain tuples (one per row, columns in select order)."""

    def __init__(self, stmt: Select[Any], dialect: Dialect) -> None:
        compiled = stmt.compile(dialect=dialect)
        self.sql = compiled.string
        self._order = compiled.positiontup  # None with named parameters (psycopg)
        self._defaults = {name: bind.value for name, bind in compiled.binds.items()}
        self._binds: dict[str, Processor] = {
            name: bind.type.bind_processor(dialect) for name, bind in compiled.binds.items()
        }
        self._results: list[Processor] = [
            col.type.result_processor(dialect, None) for col in stmt.selected_columns
        ]

    def params(self, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        bound = {**self._defaults, **values}
        out = {k: p(v) if (p := self._binds.get(k)) is not None else v for k, v in bound.items()}
        if self._order is None:
            return out
        return tuple(out[name] for name in self._order)

    def run(self, conn: Connection, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Rows as SQLAlchemy would give them; a driver error is a ``StoreError``."""
        cursor = conn.connection.cursor()
        try:
            cursor.execute(self.sql, self.params(values))
            rows = cursor.fetchall()
        except conn.dialect.loaded_dbapi.Error as exc:
            first = str(exc).strip().splitlines()
            detail = first[0] if first else "no detail"
            raise StoreError(f"database error: {type(exc).__name__}: {detail}") from exc
        finally:
            cursor.close()
        results = self._results
        return [
            tuple(v if p is None or v is None else p(v) for p, v in zip(results, r, strict=True))
            for r in rows
        ]
