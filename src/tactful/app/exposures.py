"""Exposure logging that never makes a request wait on a write: responses are queued and a
background thread writes them in batches. ``flush()`` drains the queue synchronously.

Nothing is lost on the way: a batch leaves the queue only once the store has written it,
so a failed write keeps it for the next flush (in order), and ``close`` writes what is
left. Until then the queued exposures still count: serving reads a person's recent
exposures through ``around``, which adds their queued ones to what the store holds, so the
retargeting cap bites on the next request, not after the next flush.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter, deque
from collections.abc import Callable
from datetime import UTC, date, datetime
from itertools import islice
from typing import TypeVar

from tactful.store.ports import ExposureStore
from tactful.types import Exposure, SubjectId

log = logging.getLogger(__name__)
T = TypeVar("T")

READ_ATTEMPTS = 3
"""``around`` reads again when a batch holding the person was written during its read."""
WRITES_KEPT = 16
"""Recent batch writes remembered (their number and people) for ``around`` to check."""
CLOSE_ATTEMPTS = 3
"""``close`` tries this many times to write what is queued before giving up (logged)."""


class ExposureLog:
    """Queued exposure writes; see the module docstring. Thread-safe."""

    def __init__(
        self,
        store: ExposureStore,
        *,
        interval: float = 0.2,
        batch: int = 1000,
        wait_seconds: float = 1.0,
    ) -> None:
        self._store = store
        self._interval = interval
        self._batch = batch
        self._wait = wait_seconds
        self._stop = threading.Event()
        self._writer = threading.Lock()  # one batch write at a time, in queue order
        self._state = threading.Condition()  # guards everything below
        self._queue: deque[Exposure] = deque()
        self._by_subject: dict[SubjectId, deque[Exposure]] = {}
        self._writing: frozenset[SubjectId] = frozenset()
        """The people of the batch being written now."""
        self._writes = 0
        """Batch writes started so far."""
        self._recent: deque[tuple[int, frozenset[SubjectId]]] = deque(maxlen=WRITES_KEPT)
        self._thread: threading.Thread | None = None
        self._tallies: Counter[date] = Counter()
        self._tally_lock = threading.Lock()

    def start(self) -> None:
        """Start the background writer (idempotent)."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="exposure-log", daemon=True)
            self._thread.start()

    def record(self, exposure: Exposure) -> None:
        """Queue one exposure; without the background writer it is written at once (a
        failed write is logged and the exposure kept for the next flush)."""
        with self._state:
            self._queue.append(exposure)
            self._by_subject.setdefault(exposure.subject_id, deque()).append(exposure)
        if self._thread is None:
            self._flush_logged()

    def pending(self) -> int:
        """How many exposures are queued, not yet written."""
        with self._state:
            return len(self._queue)

    def around(self, subject: SubjectId, read: Callable[[], T]) -> tuple[T, tuple[Exposure, ...]]:
        """``read()`` (a store read of the person's exposures) and the person's exposures
        still queued, oldest first, so that together they count each exposure once: the
        read waits for a write of a batch holding the person to end, and is repeated when
        such a write started while it ran (it may or may not have seen that batch)."""
        for _ in range(READ_ATTEMPTS - 1):
            found, queued, clean = self._read_once(subject, read)
            if clean:
                return found, queued
        found, queued, _ = self._read_once(subject, read)
        return found, queued

    def _read_once(
        self, subject: SubjectId, read: Callable[[], T]
    ) -> tuple[T, tuple[Exposure, ...], bool]:
        with self._state:
            self._state.wait_for(lambda: subject not in self._writing, timeout=self._wait)
            start = self._writes
        found = read()
        with self._state:
            queued = tuple(self._by_subject.get(subject, ()))
            return found, queued, not self._written_since(subject, start)

    def _written_since(self, subject: SubjectId, start: int) -> bool:
        """Whether a batch holding ``subject`` started to be written after write ``start``."""
        if self._writes == start:
            return False
        if start < self._writes - len(self._recent):
            return True  # too long ago to tell
        return any(n > start and subject in people for n, people in self._recent)

    def tally(self, at: datetime) -> None:
        """Count a response that may not be logged under the person's id (their UTC day)."""
        with self._tally_lock:
            self._tallies[at.astimezone(UTC).date()] += 1
        if self._thread is None:
            self._write_tallies()

    def _write_tallies(self) -> None:
        with self._tally_lock:
            counts, self._tallies = self._tallies, Counter()
        if not counts:
            return
        try:
            self._store.tally(counts)
        except Exception:
            with self._tally_lock:  # kept for the next flush
                self._tallies.update(counts)
            raise

    def flush(self) -> int:
        """Write everything queued so far, oldest first, in batches; returns how many
        exposures were written. A failed write raises and keeps its batch queued."""
        self._write_tallies()
        written = 0
        with self._writer:
            while rows := self._start_batch():
                try:
                    self._store.add(rows)
                except BaseException:
                    self._end_batch(0)
                    raise
                self._end_batch(len(rows))
                written += len(rows)
        return written

    def _start_batch(self) -> list[Exposure]:
        """The oldest queued exposures (left in the queue), marked as being written."""
        with self._state:
            rows = list(islice(self._queue, self._batch))
            if rows:
                self._writes += 1
                self._writing = frozenset(x.subject_id for x in rows)
                self._recent.append((self._writes, self._writing))
            return rows

    def _end_batch(self, written: int) -> None:
        """Take the ``written`` oldest exposures off the queue; wake waiting readers."""
        with self._state:
            for _ in range(written):
                x = self._queue.popleft()
                mine = self._by_subject[x.subject_id]
                mine.popleft()
                if not mine:
                    del self._by_subject[x.subject_id]
            self._writing = frozenset()
            self._state.notify_all()

    def _flush_logged(self) -> None:
        try:
            self.flush()
        except Exception:  # keep serving; the next flush retries what remains
            log.exception("writing exposures failed; %d stay queued", self.pending())

    def close(self) -> None:
        """Stop the background writer and write what is queued (a few attempts)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        for attempt in range(1, CLOSE_ATTEMPTS + 1):
            try:
                self.flush()
                return
            except Exception:
                log.exception("writing exposures at close failed (attempt %d)", attempt)
        log.error("%d exposures could not be written before closing", self.pending())

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self._flush_logged()


def with_queued(
    stored: tuple[Exposure, ...], queued: tuple[Exposure, ...], *, since: datetime, limit: int
) -> tuple[Exposure, ...]:
    """The newest ``limit`` of a person's stored and queued exposures since ``since``,
    oldest first (stored before queued at the same instant): what a read would give once
    the queue is written."""
    if not queued:
        return stored
    both = sorted((*stored, *(x for x in queued if x.at >= since)), key=lambda x: x.at)
    return tuple(both[-limit:]) if limit > 0 else ()
