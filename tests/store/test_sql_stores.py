"""SQL-only behaviour of the stores: bulk paths, races, paging and error mapping."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tactful.errors import InvalidInput, StoreError
from tactful.sql import SqlStores, open_stores
from tactful.sql import events as sql_events
from tactful.types import ConsentRecord, Decision, Event, EventType, Preferences, Purpose

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def ev(event_id: str, subject: str = "s", minutes: int = 0) -> Event:
    return Event(event_id, subject, EventType.VIEW, T0 + timedelta(minutes=minutes))


@pytest.fixture
def sql_stores(sql_url: str) -> Iterator[SqlStores]:
    stores = open_stores(sql_url)
    yield stores
    stores.close()


def test_datetimes_come_back_as_aware_utc(sql_stores: SqlStores) -> None:
    local = datetime(2024, 5, 1, 17, 30, 0, 123456).astimezone()
    sql_stores.events.add([Event("e1", "s", EventType.VIEW, local)])
    sql_stores.consents.append([ConsentRecord("s", Purpose.SOCIAL, Decision.GRANTED, local)])
    (back,) = sql_stores.events.for_subject("s")
    assert back.occurred_at == local
    assert back.occurred_at.tzinfo is UTC
    assert sql_stores.consents.history("s")[0].at.tzinfo is UTC


def test_naive_datetimes_are_rejected(sql_stores: SqlStores) -> None:
    naive = datetime(2024, 5, 1, 12, 0)
    with pytest.raises(InvalidInput, match="timezone-aware"):
        sql_stores.events.add([Event("e1", "s", EventType.VIEW, naive)])
    with pytest.raises(InvalidInput) as err:
        sql_stores.preferences.put("s", Preferences(pause_until=naive), at=T0)
    assert err.value.field == "pause_until"
    assert sql_stores.events.count() == 0


def test_add_counts_only_rows_that_really_landed(
    sql_stores: SqlStores, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If another writer stores an id between the look-up and the INSERT, ON CONFLICT skips
    it and RETURNING reports it as a duplicate, not as accepted."""
    sql_stores.events.add([ev("raced")])
    monkeypatch.setattr(sql_events.SqlEventStore, "_stored", lambda self, conn, ids: set())
    result = sql_stores.events.add([ev("raced", minutes=9), ev("new")])
    assert (result.accepted, result.duplicates) == (1, ("raced",))
    assert [e.occurred_at for e in sql_stores.events.for_subject("s")] == [T0, T0]


def test_scan_pages_through_everything(
    sql_stores: SqlStores, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sql_events, "SCAN_PAGE", 7)
    sql_stores.events.add([ev(f"e{i:03d}", subject=f"s{i % 3}") for i in range(50)])
    assert sorted(e.event_id for e in sql_stores.events.scan()) == [f"e{i:03d}" for i in range(50)]
    some = [e.event_id for e in sql_stores.events.scan(subjects=["s1"])]
    assert sorted(some) == [f"e{i:03d}" for i in range(1, 50, 3)]
    monkeypatch.setattr(sql_events, "SCAN_PAGE", 10)  # an exact multiple ends cleanly
    sql_stores.events.delete(subject="s0")
    assert len(list(sql_stores.events.scan())) == 33


def test_item_rows_stream_past_one_page(
    sql_stores: SqlStores, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sql_events, "ROW_PAGE", 7)
    sql_stores.events.add(
        [
            Event(f"e{i:03d}", f"s{i % 3}", EventType.VIEW, T0, item_id=f"i{i % 5}")
            for i in range(50)
        ]
    )
    rows = sorted(sql_stores.events.item_rows([EventType.VIEW]))
    assert rows == sorted((f"s{i % 3}", f"i{i % 5}", "view", None) for i in range(50))


def test_concurrent_writers_never_store_an_id_twice(sql_url: str) -> None:
    stores = [open_stores(sql_url) for _ in range(3)]
    results: list[int] = []
    errors: list[BaseException] = []

    def write(s: SqlStores, offset: int) -> None:
        try:
            for start in range(0, 300, 50):
                batch = [ev(f"e{(offset + i) % 400:03d}") for i in range(start, start + 50)]
                results.append(s.events.add(batch).accepted)
        except BaseException as exc:  # reported below, on the main thread
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s, k * 100)) for k, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        assert sum(results) == stores[0].events.count() == 400
    finally:
        for s in stores:
            s.close()


def test_unreachable_sqlite_path_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unable to open database"):
        open_stores(f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}")


def test_unreachable_postgres_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="OperationalError"):
        open_stores("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")


def test_database_failures_become_store_errors_naming_the_operation(
    backend_url: Callable[[str], str],
) -> None:
    stores = open_stores(backend_url("sqlite"))
    with stores.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE events")
    with pytest.raises(StoreError) as err:
        stores.events.count()
    assert "counting events" in err.value.message
    assert "no such table" in err.value.message
    stores.close()


def test_erase_runs_in_one_transaction(
    sql_stores: SqlStores, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure half-way leaves every table as it was."""
    sql_stores.events.add([ev("e1", subject="alice")])
    sql_stores.preferences.put("alice", Preferences(), at=T0)
    with sql_stores.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE exposures")
    with pytest.raises(StoreError, match="erasing a subject"):
        sql_stores.erase_subject("alice")
    assert sql_stores.events.count() == 1
    assert sql_stores.preferences.get("alice") == Preferences()
