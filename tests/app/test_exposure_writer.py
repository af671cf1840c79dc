"""The exposure writer loses nothing (issue 10, defect 13): a failed write keeps its batch
for the next flush, ``close`` writes what is queued, and queued exposures count as shown
(``ExposureLog.around``) so the retargeting cap bites before any flush."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tactful.app import build
from tactful.app.exposures import ExposureLog, with_queued
from tactful.app.jobs import InlineRunner
from tactful.recommend.artifacts import FileModelStore
from tactful.settings import Settings
from tactful.store import MemoryStores
from tactful.store.ports import ExposureStore
from tactful.types import Exposure
from tests.web.conftest import Api, Clock, _api
from tests.web.test_tact_scenarios import held, ids, recs, seed

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def shown(subject: str, n: int) -> Exposure:
    return Exposure(subject, (f"i{n}",), {}, "v1", T0 + timedelta(seconds=n))


class Flaky:
    """An exposure store whose next ``fails`` writes raise."""

    def __init__(self, inner: ExposureStore, fails: int = 1) -> None:
        self.inner = inner
        self.fails = fails
        self.attempts = 0

    def add(self, exposures: Sequence[Exposure]) -> None:
        self.attempts += 1
        if self.fails > 0:
            self.fails -= 1
            raise OSError("disk full")
        self.inner.add(exposures)

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


@pytest.fixture
def store() -> ExposureStore:
    return MemoryStores().exposures


def items_of(store: ExposureStore, subject: str) -> list[tuple[str, ...]]:
    return [x.items for x in store.for_subject(subject)]


def test_a_failed_write_keeps_its_batch_for_the_next_flush(store: ExposureStore) -> None:
    flaky = Flaky(store)
    log = ExposureLog(flaky, batch=2, interval=3600)  # type: ignore[arg-type]
    log.start()  # queue only; the test flushes by hand
    for n in range(3):
        log.record(shown("u1", n))
    with pytest.raises(OSError, match="disk full"):
        log.flush()
    assert items_of(store, "u1") == []
    assert log.pending() == 3
    assert log.flush() == 3
    assert items_of(store, "u1") == [("i0",), ("i1",), ("i2",)]  # in order, none twice
    assert log.pending() == 0
    log.close()


def test_without_the_background_writer_a_failed_write_is_retried_on_the_next(
    store: ExposureStore,
) -> None:
    flaky = Flaky(store)
    log = ExposureLog(flaky)  # type: ignore[arg-type]
    log.record(shown("u1", 0))  # the write fails; the request is not failed
    assert log.pending() == 1 and items_of(store, "u1") == []
    log.record(shown("u1", 1))
    assert items_of(store, "u1") == [("i0",), ("i1",)]
    assert log.pending() == 0


def test_close_writes_what_is_queued(store: ExposureStore) -> None:
    log = ExposureLog(Flaky(store, fails=1), interval=3600)  # type: ignore[arg-type]
    log.start()
    for n in range(5):
        log.record(shown("u1", n))
    assert items_of(store, "u1") == []
    log.close()  # the first attempt fails, the second writes everything
    assert len(items_of(store, "u1")) == 5
    assert log.pending() == 0


def test_queued_exposures_are_read_with_the_stored_ones_once(store: ExposureStore) -> None:
    log = ExposureLog(store, interval=3600)
    log.start()
    log.record(shown("u1", 0))
    log.record(shown("u2", 1))

    def read() -> int:
        return len(store.for_subject("u1"))

    assert log.around("u1", read) == (0, (shown("u1", 0),))
    log.flush()
    assert log.around("u1", read) == (1, ())
    log.close()


def test_a_read_that_overlapped_a_write_of_the_person_is_repeated(store: ExposureStore) -> None:
    """The first read's snapshot predates a write that ends while it runs: counted from
    that read and the queue, the exposure would be nowhere; so it is read again."""
    log = ExposureLog(store, interval=3600)
    log.start()
    log.record(shown("u1", 0))
    calls: list[int] = []

    def read() -> int:
        stale = len(store.for_subject("u1"))
        if not calls:
            log.flush()  # written (and taken off the queue) after the snapshot was taken
        calls.append(stale)
        return stale

    assert log.around("u1", read) == (1, ())
    assert calls == [0, 1]
    log.close()


def test_a_read_waits_for_a_write_of_the_person_to_end(store: ExposureStore) -> None:
    entered, release = threading.Event(), threading.Event()

    class Slow:
        def add(self, exposures: Sequence[Exposure]) -> None:
            entered.set()
            assert release.wait(10)
            store.add(exposures)

        def __getattr__(self, name: str) -> object:
            return getattr(store, name)

    log = ExposureLog(Slow(), interval=3600, wait_seconds=10)  # type: ignore[arg-type]
    log.start()
    log.record(shown("u1", 0))
    writer = threading.Thread(target=log.flush)
    writer.start()
    assert entered.wait(10)
    got: list[tuple[int, tuple[Exposure, ...]]] = []
    reader = threading.Thread(
        target=lambda: got.append(log.around("u1", lambda: len(store.for_subject("u1"))))
    )
    reader.start()
    release.set()
    writer.join(10)
    reader.join(10)
    assert got == [(1, ())]  # seen once: as stored, not also as queued
    log.close()


def test_with_queued_keeps_the_newest_within_the_window() -> None:
    stored = (shown("u1", 1), shown("u1", 2))
    queued = (shown("u1", 0), shown("u1", 3))
    merged = with_queued(stored, queued, since=T0 + timedelta(seconds=1), limit=2)
    assert merged == (shown("u1", 2), shown("u1", 3))


@pytest.fixture
def queued_api(tmp_path: Path) -> Iterator[Api]:
    """The API with its background exposure writer, which never flushes during a test."""
    settings = Settings(model_dir=tmp_path / "models", exposure_flush_seconds=3600)
    clock = Clock()
    models = FileModelStore(tmp_path / "models")
    runner = InlineRunner()  # training runs when started, as in the other test beds
    app = build(settings, MemoryStores(), models, clock=clock, background=True, runner=runner)
    yield _api(app, clock)
    app.close()


def test_rapid_repeats_meet_the_retargeting_cap_before_any_flush(queued_api: Api) -> None:
    api = queued_api
    seed(api)
    first = ids(recs(api, "p"))
    assert first
    for _ in range(2):
        assert ids(recs(api, "p")) == first
    fourth = recs(api, "p")
    assert api.app.stores.exposures.for_subject("p") == []  # nothing written yet
    assert not set(first) & set(ids(fourth))
    assert held(fourth)["retargeting_cap"]["count"] == len(first)
    api.app.exposures.flush()
    assert len(api.app.stores.exposures.for_subject("p")) == 4
