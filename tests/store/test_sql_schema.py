"""The SQL schema: personal-data declarations, migrations and engine set-up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, MetaData, String, Table, create_engine, inspect, text

from tactful.errors import InvalidInput, StoreError
from tactful.sql import metadata, open_stores, personal_columns, personal_tables
from tactful.sql.database import make_engine
from tactful.sql.schema import alembic_config, current, head, upgrade

NOW = datetime(2024, 5, 1, tzinfo=UTC)


def test_every_table_with_a_subject_column_declares_it() -> None:
    """Fails when a table gains a column named like *subject* without the declaration that
    erasure and export are derived from."""
    for table in metadata.sorted_tables:
        subjectish = [c.name for c in table.columns if "subject" in c.name.lower()]
        if not subjectish:
            continue
        declared = table.info.get("subject_column")
        assert declared in subjectish, f"{table.name} must declare info['subject_column']"
        for name in subjectish:
            assert table.c[name].info.get("personal"), f"{table.name}.{name} must be personal"


def test_personal_tables_and_columns_are_derived_from_declarations() -> None:
    assert personal_tables() == {
        "community_members": "subject_id",
        "consents": "subject_id",
        "contact_decisions": "subject_id",
        "events": "subject_id",
        "exposures": "subject_id",
        "handoff_cases": "subject_id",
        "milestones": "subject_id",
        "preferences": "subject_id",
        "signals": "subject_id",
        "subject_stamps": "subject_id",
    }
    assert set(personal_columns()["events"]) >= {"subject_id", "text", "item_id"}
    assert "items" not in personal_columns()

    meta = MetaData()
    Table("notes", meta, Column("person", String, info={"personal": True}),
          info={"subject_column": "person"})  # fmt: skip
    Table("plain", meta, Column("x", String))
    assert personal_tables(meta) == {"notes": "person"}
    assert personal_columns(meta) == {"notes": ("person",)}


def _diffs(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return list(compare_metadata(MigrationContext.configure(conn), metadata))
    finally:
        engine.dispose()


def test_migrated_schema_matches_tables_py(sql_url: str) -> None:
    open_stores(sql_url).close()
    assert _diffs(sql_url) == []


def test_migrated_database_is_left_alone(sql_url: str) -> None:
    engine = make_engine(sql_url)
    try:
        assert current(engine) is None
        assert upgrade(engine) is True
        assert current(engine) == head()
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE operator_notes (note TEXT)"))
        assert upgrade(engine) is False
        stores = open_stores(sql_url)
        stores.close()
        tables = set(inspect(engine).get_table_names())
        assert "operator_notes" in tables
        assert {t.name for t in metadata.sorted_tables} <= tables
    finally:
        engine.dispose()


def test_migrations_downgrade_to_nothing_and_back(sql_url: str) -> None:
    open_stores(sql_url).close()
    engine = make_engine(sql_url)
    try:
        with engine.begin() as conn:
            command.downgrade(alembic_config(connection=conn), "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        assert upgrade(engine) is True
    finally:
        engine.dispose()
    assert _diffs(sql_url) == []


def test_a_database_newer_than_the_code_is_refused_clearly(sql_url: str) -> None:
    stores = open_stores(sql_url)
    with stores.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    stores.close()
    with pytest.raises(StoreError, match="newer than this version"):
        open_stores(sql_url)


def test_revision_ids_are_numbered() -> None:
    assert head().isdigit() and len(head()) == 4


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(
    backend_url: Callable[[str], str],
) -> None:
    engine = make_engine(backend_url("sqlite"))
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    finally:
        engine.dispose()


def test_the_sqlite_page_cache_is_the_setting_per_connection(
    backend_url: Callable[[str], str],
) -> None:
    from tactful.app.open import open_app
    from tactful.settings import Settings

    url = backend_url("sqlite")
    stores = open_stores(url, sqlite_cache_mib=3)
    try:
        with stores.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -3 * 1024
    finally:
        stores.close()
    with pytest.raises(ValueError, match="sqlite_cache_mib"):
        Settings(sqlite_cache_mib=0)
    app = open_app(Settings(database_url=url, sqlite_cache_mib=5))
    try:
        engine = app.stores.engine  # type: ignore[attr-defined]  # SqlStores behind the port
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -5 * 1024
    finally:
        app.close()


def test_sqlite_stores_utc_text_that_sorts_as_time(backend_url: Callable[[str], str]) -> None:
    from datetime import timedelta, timezone

    from tactful.types import Event, EventType

    url = backend_url("sqlite")
    stores = open_stores(url)
    tz = timezone(timedelta(hours=-7))
    stores.events.add([Event("e1", "s", EventType.VIEW, datetime(2024, 5, 1, 1, 0, tzinfo=tz))])
    stores.close()
    raw = create_engine(url)
    with raw.connect() as conn:
        assert conn.exec_driver_sql("SELECT occurred_at FROM events").scalar() == (
            "2024-05-01 08:00:00.000000"
        )
    raw.dispose()


def test_in_memory_sqlite_is_shared_across_checkouts() -> None:
    from tactful.types import Event, EventType

    stores = open_stores("sqlite://")
    stores.events.add([Event("e1", "s", EventType.VIEW, NOW)])
    assert stores.events.count() == 1
    stores.close()


@pytest.mark.parametrize(
    "url",
    ["mysql://u@h/db", "not a url", "oracle+cx_oracle://u@h/db"],
)
def test_unsupported_database_urls_name_the_field(url: str) -> None:
    with pytest.raises(InvalidInput) as err:
        open_stores(url)
    assert err.value.field == "database_url"


def test_command_line_upgrades_and_reports_the_revision(
    sql_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tactful.sql.__main__ import main

    main(["current", sql_url])
    main(["upgrade", sql_url])
    assert capsys.readouterr().out.split() == ["empty", head()]
    with pytest.raises(SystemExit, match="unsupported database"):
        main(["current", "mysql://u@h/db"])
