"""The engine and its transactions: SQLite and PostgreSQL set up for Tactful's workload, and
every database failure turned into ``StoreError`` (or ``Conflict``) with a clear message.

SQLite runs in WAL mode with foreign keys on and a 5 s busy timeout. SQLAlchemy, not the
``sqlite3`` driver, emits ``BEGIN`` so transactions are real; write transactions use
``BEGIN IMMEDIATE`` so a read-then-write (e.g. de-duplicating events) cannot interleave with
another writer.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, TypeVar

from sqlalchemy import Select, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError, StatementError
from sqlalchemy.pool import StaticPool

from tactful.errors import Conflict, InvalidInput, StoreError, TactfulError
from tactful.sql.driver_query import DriverQuery

T = TypeVar("T")

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    # Safe with WAL (no corruption, only the last commits may be lost on power failure).
    "PRAGMA synchronous = NORMAL",
)
# Ids per ``IN (...)`` chunk: well under SQLite's and PostgreSQL's bind-parameter limits.
CHUNK = 1000
WRITE = "tactful_write"
SINGLE = "tactful_single_statement"


def parse_url(url: str) -> URL:
    """A validated SQLAlchemy URL for a backend Tactful supports (SQLite or PostgreSQL)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidInput(f"not a database URL: {url!r}", field="database_url") from None
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if backend not in ("sqlite", "postgresql"):
        raise InvalidInput(
            f"unsupported database {backend!r}; use sqlite:///path.db or "
            "postgresql+psycopg://user@host/db",
            field="database_url",
        )
    return parsed


DEFAULT_CACHE_MIB = 8
"""SQLite's page cache per pooled connection (``sqlite_cache_mib``); SQLite's own default is
2 MiB. What a worker holds for it is this times the pool's connections (5, plus up to 10
overflow connections that close when returned)."""


def make_engine(url: str, *, sqlite_cache_mib: int = DEFAULT_CACHE_MIB) -> Engine:
    """An engine for ``url`` with the SQLite pragmas (and a page cache of
    ``sqlite_cache_mib`` per connection) and transaction hooks installed."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_pre_ping=True)
    if parsed.database in (None, "", ":memory:"):
        # One shared connection, or every checkout would see its own empty database.
        engine = create_engine(
            parsed, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        engine = create_engine(parsed)
    pragmas = (*SQLITE_PRAGMAS, f"PRAGMA cache_size = {-1024 * sqlite_cache_mib}")
    event.listen(engine, "connect", lambda conn, record: _sqlite_connect(conn, pragmas))
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, pragmas: Sequence[str]) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, see below
    cursor = dbapi_connection.cursor()
    for pragma in pragmas:
        cursor.execute(pragma)
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    options = conn.get_execution_options()
    if options.get(SINGLE, False):
        return  # one statement: SQLite runs it in its own implicit read transaction
    conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get(WRITE, False) else "BEGIN")


def describe(exc: BaseException) -> str:
    """A one-line description of a driver error, without the SQL or its parameters."""
    orig = exc.orig if isinstance(exc, StatementError) and exc.orig is not None else exc
    first = str(orig).strip().splitlines()
    return f"{type(orig).__name__}: {first[0] if first else 'no detail'}"


@contextmanager
def translated(what: str) -> Iterator[None]:
    """Turn database failures inside the block into ``StoreError`` naming the operation."""
    try:
        yield
    except TactfulError:
        raise
    except StatementError as exc:
        if isinstance(exc.orig, TactfulError):
            raise exc.orig from None
        if isinstance(exc, IntegrityError):
            raise Conflict(f"{what} conflicts with stored data ({describe(exc)})") from exc
        raise StoreError(f"database error while {what}: {describe(exc)}") from exc
    except SQLAlchemyError as exc:
        raise StoreError(f"database error while {what}: {describe(exc)}") from exc


class Database:
    """An engine plus the kinds of transaction the stores use.

    On SQLite a write transaction also holds a process-wide lock from before it takes a
    connection until it ends: SQLite admits one writer at a time anyway, and a thread that
    finds the database locked polls it, sleeping 1, 2, 5, 10 ... up to 100 ms between tries
    (its busy handler), while one waiting on this lock is woken the moment the writer
    commits. Writers of other processes still meet through SQLite's own lock."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._driver_queries: dict[int, DriverQuery] = {}
        self._writer: AbstractContextManager[Any] = (
            threading.RLock() if self.dialect == "sqlite" else nullcontext()
        )

    @contextmanager
    def reading(self, what: str) -> Iterator[Connection]:
        """A read transaction (plain ``BEGIN``; readers never block the writer in WAL)."""
        with translated(what), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def writing(self, what: str) -> Iterator[Connection]:
        """A write transaction: committed on success, rolled back on any error."""
        with self._writer, translated(what), self.engine.connect() as conn:
            conn.execution_options(**{WRITE: True})
            with conn.begin():
                yield conn

    @contextmanager
    def statement(self, what: str) -> Iterator[Connection]:
        """For a single read statement, which sees one snapshot by itself: no explicit
        transaction on SQLite (saves two round trips on the hot path)."""
        with translated(what), self.engine.connect() as conn:
            conn.execution_options(**{SINGLE: True})
            yield conn

    @contextmanager
    def looking_up(self, what: str, count: int) -> Iterator[Connection]:
        """For a look-up of ``count`` ids (``IN`` chunks of ``CHUNK``): a single statement
        when they fit in one chunk (no BEGIN and COMMIT round trips on SQLite), else a read
        transaction over the chunks."""
        with self.statement(what) if count <= CHUNK else self.reading(what) as conn:
            yield conn

    def driver_query(self, stmt: Select[Any]) -> DriverQuery:
        """``stmt`` compiled once for this engine, to run on the driver's cursor."""
        found = self._driver_queries.get(id(stmt))
        if found is None:
            found = self._driver_queries[id(stmt)] = DriverQuery(stmt, self.engine.dialect)
        return found

    def insert(self, table: Table) -> sqlite.Insert | postgresql.Insert:
        """The dialect's INSERT, which knows ``ON CONFLICT``."""
        if self.dialect == "sqlite":
            return sqlite.insert(table)
        return postgresql.insert(table)

    def dispose(self) -> None:
        self.engine.dispose()


def chunks(values: Collection[T] | Sequence[T], size: int = CHUNK) -> Iterator[list[T]]:
    """Split values into lists of at most ``size`` (for ``IN (...)`` clauses)."""
    batch: list[T] = []
    for v in values:
        batch.append(v)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
