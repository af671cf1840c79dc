"""Simulations as background jobs (``POST /v1/simulations``): each runs on a ``JobRunner``
(a thread in servers) and its record says how far it got and, once done, the result.
Records live in the process that runs them, like the job itself."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tactful.app.jobs import ACTIVE, JobRunner, JobStatus
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


class Simulations:
    """Starts simulations on the runner and keeps their records."""

    def __init__(self, runner: JobRunner, *, clock: Callable[[], datetime]) -> None:
        self._runner = runner
        self._clock = clock
        self._lock = threading.Lock()
        self._jobs: dict[str, Simulation] = {}

    def start(self, config: Config, sweep_of: tuple[str, list[str]] | None = None) -> Simulation:
        """Check the config at once (``InvalidInput``), then run it in the background."""
        config.check()
        if sweep_of is not None:
            config.behaviour.with_value(sweep_of[0], sweep_of[1][0])
        job = Simulation(f"sim_{uuid.uuid4().hex[:16]}", JobStatus.QUEUED, self._clock())
        self._put(job)
        self._runner.submit(lambda: self._run(job.simulation_id, config, sweep_of))
        return self.get(job.simulation_id)

    def get(self, simulation_id: str) -> Simulation:
        with self._lock:
            job = self._jobs.get(simulation_id)
        if job is None:
            raise NotFound(f"no simulation {simulation_id!r}", field="simulation_id")
        return job

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
        self._update(simulation_id, status=JobStatus.RUNNING, started_at=self._clock())

        def progress(done: int, total: int) -> None:
            self._update(simulation_id, done=done, total=total)

        try:
            if sweep_of is None:
                result = simulate(config, progress)
            else:
                result = sweep(config, sweep_of[0], sweep_of[1], progress)
        except TactfulError as err:
            self._finish(simulation_id, JobStatus.FAILED, error=err.message)
        except Exception as err:  # the record says what failed; a job never raises
            self._finish(simulation_id, JobStatus.FAILED, error=f"{type(err).__name__}: {err}")
        else:
            self._finish(simulation_id, JobStatus.SUCCEEDED, result=result)

    def _finish(self, simulation_id: str, status: JobStatus, **changes: Any) -> None:
        self._update(simulation_id, status=status, finished_at=self._clock(), **changes)
