"""Work that outlives a request: a ``JobRunner`` runs it elsewhere (a thread here; a task
queue could implement the same port), and the job's record says how it is going.

Runners: ``ThreadRunner`` (servers: one daemon thread per job), ``InlineRunner`` (runs the
work before ``submit`` returns: scripts and most tests) and ``ManualRunner`` (holds the
work until ``run_next``, so a test sees a job queued, then running, then done).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from tactful.app.training import TrainReport

Work = Callable[[], None]


class JobRunner(Protocol):
    def submit(self, work: Work) -> None:
        """Run ``work`` (which records its own outcome and never raises) somewhere."""
        ...

    def close(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for work still running."""
        ...


class ThreadRunner:
    """Each job in its own daemon thread."""

    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []

    def submit(self, work: Work) -> None:
        self._threads = [t for t in self._threads if t.is_alive()]
        thread = threading.Thread(target=work, name="tactful-job", daemon=True)
        self._threads.append(thread)
        thread.start()

    def close(self, timeout: float) -> None:
        for thread in self._threads:
            thread.join(timeout)


class InlineRunner:
    """Runs the work at once, in the caller's thread."""

    def submit(self, work: Work) -> None:
        work()

    def close(self, timeout: float) -> None:
        return None


class ManualRunner:
    """Keeps the work until ``run_next`` is called (tests)."""

    def __init__(self) -> None:
        self.waiting: deque[Work] = deque()

    def submit(self, work: Work) -> None:
        self.waiting.append(work)

    def run_next(self) -> None:
        self.waiting.popleft()()

    def close(self, timeout: float) -> None:
        return None


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


ACTIVE = frozenset({JobStatus.QUEUED, JobStatus.RUNNING})


@dataclass(frozen=True, slots=True)
class Job:
    """A training job as it stands."""

    job_id: str
    status: JobStatus
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    cancel_requested: bool = False
    report: TrainReport | None = None
    """The train report, once it succeeded."""
    error: str | None = None
    """What went wrong, once it failed."""

    @property
    def active(self) -> bool:
        return self.status in ACTIVE
