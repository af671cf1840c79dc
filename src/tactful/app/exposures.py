"""Exposure logging that never makes a request wait on a write: responses are queued and a
background thread writes them in batches. ``flush()`` drains the queue synchronously."""

from __future__ import annotations

import logging
import queue
import threading
from collections import Counter
from datetime import UTC, date, datetime

from tactful.store.ports import ExposureStore
from tactful.types import Exposure

log = logging.getLogger(__name__)


class ExposureLog:
    def __init__(self, store: ExposureStore, *, interval: float = 0.2, batch: int = 1000) -> None:
        self._store = store
        self._queue: queue.SimpleQueue[Exposure] = queue.SimpleQueue()
        self._interval = interval
        self._batch = batch
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._tallies: Counter[date] = Counter()
        self._tally_lock = threading.Lock()

    def start(self) -> None:
        """Start the background writer (idempotent)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="exposure-log", daemon=True)
            self._thread.start()

    def record(self, exposure: Exposure) -> None:
        if self._thread is None:
            self._store.add([exposure])
        else:
            self._queue.put(exposure)

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
        """Write everything queued so far; returns how many exposures were written."""
        self._write_tallies()
        with self._lock:
            written = 0
            while True:
                rows: list[Exposure] = []
                while len(rows) < self._batch:
                    try:
                        rows.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                if not rows:
                    return written
                self._store.add(rows)
                written += len(rows)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.flush()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.flush()
            except Exception:  # keep logging alive; the next flush retries what remains
                log.exception("writing exposures failed")
