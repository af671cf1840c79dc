"""Shared storage fixtures: every backend behind one interface.

- ``stores``: the ``Stores`` bundle on "memory", "sqlite" (a file under tmp_path) and
  "postgres" (one schema per test session, every table emptied before each test).
- ``backend_url``: a factory ``backend_url("sqlite" | "postgres") -> str`` giving a fresh,
  empty database URL per call (a PostgreSQL one is its own schema, dropped after the test).
- ``sql_url``: a fresh URL parametrised over both SQL backends.

PostgreSQL comes from ``TACTFUL_TEST_PG_URL`` (default below). When it is unreachable the
postgres-backed tests are skipped, except with ``CI=true``, where they fail: CI must run them.
Postgres parameters carry ``pytest.mark.postgres`` (deselect with ``-m "not postgres"``).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Engine, make_url

from tactful.store import MemoryStores, Stores

PG_DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
SQL_BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

BackendUrl = Callable[[str], str]


def _unavailable(message: str) -> None:
    """Skip locally; fail in CI, where PostgreSQL is part of the contract."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true: the PostgreSQL suite must run)", pytrace=False)
    pytest.skip(message)


class PgServer:
    """Hands out throwaway schemas in the test database, each behind its own URL (via
    ``search_path``). Schemas rather than databases: DROP DATABASE forces a checkpoint and
    takes about a second, DROP SCHEMA a few milliseconds."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self.admin: Engine = create_engine(url, isolation_level="AUTOCOMMIT")
        self._names = (f"tactful_test_{os.getpid()}_{n}" for n in itertools.count())
        self.created: list[str] = []

    def create(self) -> str:
        name = next(self._names)
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        self.created.append(name)
        url = self.url.update_query_dict({"options": f"-csearch_path={name}"})
        return url.render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        options = make_url(url).query.get("options", "")
        name = str(options).removeprefix("-csearch_path=")
        if name not in self.created:
            raise ValueError(f"not a schema made by this session: {url}")
        with self.admin.connect() as conn:
            conn.execute(text("SET lock_timeout = '10s'"))
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        self.created.remove(name)

    def close(self) -> None:
        for name in list(self.created):
            url = self.url.update_query_dict({"options": f"-csearch_path={name}"})
            self.drop(url.render_as_string(hide_password=False))
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    raw = os.environ.get("TACTFUL_TEST_PG_URL", PG_DEFAULT_URL)
    url = make_url(raw)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    server = PgServer(url)
    try:
        with server.admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        server.admin.dispose()
        where = url.render_as_string(hide_password=True)
        detail = str(getattr(exc, "orig", exc)).strip().splitlines()
        reason = f"{type(exc).__name__}: {detail[0] if detail else ''}"
        _unavailable(f"PostgreSQL not reachable at {where} ({reason})")
    yield server
    server.close()


@pytest.fixture(scope="session")
def pg_session_db(pg_server: PgServer) -> Iterator[tuple[str, Engine]]:
    """One migrated schema (its URL and an engine to clean it) shared by the session's
    ``stores[postgres]`` tests."""
    from tactful.sql import open_stores

    url = pg_server.create()
    open_stores(url).close()
    engine = create_engine(url)
    yield url, engine
    engine.dispose()


def _empty_tables(engine: Engine) -> None:
    """Empty every table (not alembic_version). DELETE, not TRUNCATE: on these tiny tables
    it takes ~2 ms where TRUNCATE takes ~130 ms per test."""
    from tactful.sql import metadata

    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BackendUrl]:
    """``backend_url("sqlite" | "postgres")``: a fresh, empty database URL per call."""
    counter = itertools.count()
    made: list[tuple[PgServer, str]] = []

    def make(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / f'tactful-{next(counter)}.db'}"
        if backend == "postgres":
            server: PgServer = request.getfixturevalue("pg_server")
            url = server.create()
            made.append((server, url))
            return url
        raise ValueError(f"no SQL URL for backend {backend!r}; use 'sqlite' or 'postgres'")

    yield make
    for server, url in made:
        server.drop(url)


@pytest.fixture(params=SQL_BACKENDS)
def sql_url(request: pytest.FixtureRequest, backend_url: BackendUrl) -> str:
    """A fresh SQL database URL, once per SQL backend."""
    return backend_url(request.param)


@pytest.fixture(params=BACKENDS)
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    """The ``Stores`` bundle on each backend, empty at the start of every test."""
    backend: str = request.param
    if backend == "memory":
        bundle: Stores = MemoryStores()
    else:
        from tactful.sql import open_stores

        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / 'tactful.db'}"
        else:
            url, engine = request.getfixturevalue("pg_session_db")
            _empty_tables(engine)
        bundle = open_stores(url)
    yield bundle
    bundle.close()
