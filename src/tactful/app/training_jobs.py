"""Training as a background job (``POST /v1/models/train``): one at a time, followed by id,
cancellable. The work itself is ``Training.train``; a ``JobRunner`` runs it off the request.

A cancelled queued job never starts; a running one stops at its next step (after the read,
after each model is fitted) and saves nothing; once saving has started it completes.
Jobs are held by the process that started them (the last ``KEPT``).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from tactful.app.jobs import Job, JobRunner, JobStatus
from tactful.app.training import Cancelled, Training, TrainReport
from tactful.errors import Conflict, NotFound, TactfulError
from tactful.privacy.access import SYSTEM, Actor

log = logging.getLogger(__name__)
KEPT = 100
"""Finished jobs remembered, newest last."""


def new_job_id() -> str:
    return f"job_{uuid.uuid4().hex[:16]}"


class TrainingJobs:
    """Starts, follows and cancels training jobs."""

    def __init__(
        self,
        training: Training,
        runner: JobRunner,
        *,
        clock: Callable[[], datetime],
        new_id: Callable[[], str] = new_job_id,
    ) -> None:
        self._training = training
        self._runner = runner
        self._clock = clock
        self._new_id = new_id
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, *, actor: Actor = SYSTEM) -> Job:
        """Queue a training run; ``Conflict`` while another one is queued or running."""
        with self._lock:
            busy = next((j for j in self._jobs.values() if j.active), None)
            if busy is not None:
                raise Conflict(
                    f"training job {busy.job_id} is already {busy.status.value}; follow it "
                    f"at /v1/models/jobs/{busy.job_id} or cancel it first",
                    field="job",
                )
            job = Job(self._new_id(), JobStatus.QUEUED, self._clock())
            self._put(job)
        self._runner.submit(lambda: self._run(job.job_id, actor))
        return self.get(job.job_id)

    def get(self, job_id: str) -> Job:
        with self._lock:
            found = self._jobs.get(job_id)
        if found is None:
            raise NotFound(f"no training job {job_id!r}", field="job_id")
        return found

    def cancel(self, job_id: str) -> Job:
        """Cancel a queued job at once, a running one at its next step; ``Conflict`` for
        a job that has finished."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                raise NotFound(f"no training job {job_id!r}", field="job_id")
            if job.status is JobStatus.QUEUED:
                job = replace(job, status=JobStatus.CANCELLED, finished_at=self._clock())
            elif job.status is JobStatus.RUNNING:
                job = replace(job, cancel_requested=True)
            else:
                raise Conflict(
                    f"training job {job_id} has already {job.status.value}", field="job_id"
                )
            self._jobs[job_id] = job
            return job

    def _put(self, job: Job) -> None:
        self._jobs[job.job_id] = job
        while len(self._jobs) > KEPT:
            oldest = next(iter(self._jobs))
            if self._jobs[oldest].active:
                break
            self._jobs.pop(oldest)

    def _finish(
        self,
        job_id: str,
        status: JobStatus,
        *,
        report: TrainReport | None = None,
        error: str | None = None,
    ) -> None:
        with self._lock:
            job = self._jobs[job_id]
            done = replace(
                job, status=status, finished_at=self._clock(), report=report, error=error
            )
            self._jobs[job_id] = done

    def _begin(self, job_id: str) -> bool:
        """Mark the job running, unless it was cancelled while queued."""
        with self._lock:
            job = self._jobs[job_id]
            if job.status is not JobStatus.QUEUED:
                return False
            self._jobs[job_id] = replace(job, status=JobStatus.RUNNING, started_at=self._clock())
            return True

    def _cancel_requested(self, job_id: str) -> bool:
        with self._lock:
            return self._jobs[job_id].cancel_requested

    def _run(self, job_id: str, actor: Actor) -> None:
        if not self._begin(job_id):
            return
        try:
            report = self._training.train(
                actor=actor, should_stop=lambda: self._cancel_requested(job_id)
            )
        except Cancelled:
            self._finish(job_id, JobStatus.CANCELLED)
        except Exception as e:  # recorded on the job: nobody waits on this thread
            log.exception("training job %s failed", job_id)
            message = e.message if isinstance(e, TactfulError) else f"{type(e).__name__}: {e}"
            self._finish(job_id, JobStatus.FAILED, error=message)
        else:
            self._finish(job_id, JobStatus.SUCCEEDED, report=report)

    def close(self, timeout: float = 5.0) -> None:
        """Ask a running job to stop and wait a little for it."""
        with self._lock:
            for job_id, job in self._jobs.items():
                if job.active:
                    self._jobs[job_id] = replace(job, cancel_requested=True)
        self._runner.close(timeout)
