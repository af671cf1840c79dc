"""Simulations as background jobs (``POST /v1/simulations``, the console's Simulations
page): each runs on a ``JobRunner`` (a thread in servers) and its record says what was
asked, how far it got and, once done, the result. Records live in the process that runs
them, like the job itself. ``close`` (the server stopping) cancels them: a queued one never
starts, a running one stops after its current policy-week and keeps no result."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tactful.app.jobs import ACTIVE, JobRunner, JobStatus
from tactful.app.training import Cancelled
from tactful.errors import NotFound, TactfulError
from tactful.simulate.runner import Config
from tactful.simulate.simulation import simulate
from tactful.simulate.sweep import sweep

KEEP = 100
"""Finished simulations kept (oldest forgotten first)."""


@dataclass(frozen=True, slots=True)
class Simulation:
    simulation_id: str
    status: JobStatus
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    done: int = 0
    total: int = 0
    result: dict[str, Any] | None = None
    error: str | None = None
    policies: tuple[str, ...] = ()
    """What was asked: the policies' names, in order, and the size of the run."""
    people: int = 0
    weeks: int = 0
    runs: int = 1
    seed: int = 0

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


def asked(config: Config) -> dict[str, Any]:
    """The record's description of ``config`` (for lists: names, not settings)."""
    return {
        "policies": tuple(p if isinstance(p, str) else p.name for p in config.policies),
        "people": config.people,
        "weeks": config.weeks,
        "runs": config.runs,
        "seed": config.seed,
    }


class Simulations:
    """Starts simulations on the runner and keeps their records."""

    def __init__(self, runner: JobRunner, *, clock: Callable[[], datetime]) -> None:
        self._runner = runner
        self._clock = clock
        self._lock = threading.Lock()
        self._jobs: dict[str, Simulation] = {}
        self._closing = threading.Event()

    def start(self, config: Config, sweep_of: tuple[str, list[str]] | None = None) -> Simulation:
        """Check the config at once (``InvalidInput``), then run it in the background."""
        config.check()
        if sweep_of is not None:
            config.behaviour.with_value(sweep_of[0], sweep_of[1][0])
        job = Simulation(
            f"sim_{uuid.uuid4().hex[:16]}", JobStatus.QUEUED, self._clock(), **asked(config)
        )
        self._put(job)
        self._runner.submit(lambda: self._run(job.simulation_id, config, sweep_of))
        return self.get(job.simulation_id)

    def get(self, simulation_id: str) -> Simulation:
        with self._lock:
            job = self._jobs.get(simulation_id)
        if job is None:
            raise NotFound(f"no simulation {simulation_id!r}", field="simulation_id")
        return job

    def all(self) -> list[Simulation]:
        """Every simulation this process holds, newest first."""
        with self._lock:
            found = list(self._jobs.values())
        return sorted(found, key=lambda j: j.created_at, reverse=True)

    def close(self, timeout: float = 10.0) -> None:
        """Cancel every simulation (queued ones never start; running ones stop after their
        current policy-week) and wait up to ``timeout`` seconds for their threads."""
        self._closing.set()
        with self._lock:
            for k, job in self._jobs.items():
                if job.status is JobStatus.QUEUED:
                    self._jobs[k] = replace(
                        job, status=JobStatus.CANCELLED, finished_at=self._clock()
                    )
        self._runner.close(timeout)

    def _put(self, job: Simulation) -> None:
        with self._lock:
            self._jobs[job.simulation_id] = job
            finished = [k for k, j in self._jobs.items() if j.status not in ACTIVE]
            for k in finished[: max(0, len(finished) - KEEP)]:
                del self._jobs[k]

    def _update(self, simulation_id: str, **changes: Any) -> None:
        with self._lock:
            self._jobs[simulation_id] = replace(self._jobs[simulation_id], **changes)

    def _run(
        self, simulation_id: str, config: Config, sweep_of: tuple[str, list[str]] | None
    ) -> None:
        if not self._begin(simulation_id):
            return

        def progress(done: int, total: int) -> None:
            self._update(simulation_id, done=done, total=total)
            if self._closing.is_set():
                raise Cancelled("the server is stopping")

        try:
            if sweep_of is None:
                result = simulate(config, progress)
            else:
                result = sweep(config, sweep_of[0], sweep_of[1], progress)
        except Cancelled:
            self._finish(simulation_id, JobStatus.CANCELLED)
        except TactfulError as err:
            self._finish(simulation_id, JobStatus.FAILED, error=err.message)
        except Exception as err:  # the record says what failed; a job never raises
            self._finish(simulation_id, JobStatus.FAILED, error=f"{type(err).__name__}: {err}")
        else:
            self._finish(simulation_id, JobStatus.SUCCEEDED, result=result)

    def _begin(self, simulation_id: str) -> bool:
        """Mark it running, unless it was cancelled while queued."""
        with self._lock:
            job = self._jobs[simulation_id]
            if job.status is not JobStatus.QUEUED or self._closing.is_set():
                if job.status is JobStatus.QUEUED:
                    self._jobs[simulation_id] = replace(
                        job, status=JobStatus.CANCELLED, finished_at=self._clock()
                    )
                return False
            self._jobs[simulation_id] = replace(
                job, status=JobStatus.RUNNING, started_at=self._clock()
            )
            return True

    def _finish(self, simulation_id: str, status: JobStatus, **changes: Any) -> None:
        self._update(simulation_id, status=status, finished_at=self._clock(), **changes)
