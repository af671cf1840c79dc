"""Training as a background job (``POST /v1/models/train``): one at a time, followed by id,
cancellable, through any worker. The work itself is ``Training.train``; a ``JobRunner`` runs
it off the request, in the worker that started it.

The job's record lives in the ``JobStore`` (the database, on SQL), so a job started through
one worker is followed and cancelled through every other, and "one at a time" holds across
workers. The running worker beats (``heartbeat_at``) every ``heartbeat``; a job whose beat is
older than ``stale_after`` belongs to a worker that stopped, and reads as failed (so a crash
never blocks training for good). A cancelled queued job never starts; a running one stops at
its next step (after the read, after each model is fitted) and saves nothing; once saving
has started it completes. The newest ``KEPT`` finished jobs are remembered.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timedelta

from tactful.app.jobs import Job, JobRunner, JobStatus
from tactful.app.training import Cancelled, Training, TrainReport
from tactful.errors import Conflict, NotFound, TactfulError
from tactful.privacy.access import SYSTEM, Actor
from tactful.store.ports_jobs import (
    ACTIVE_STATUSES,
    JobChange,
    JobRecord,
    JobStore,
    stale_change,
)

log = logging.getLogger(__name__)
KEPT = 100
"""Finished jobs remembered."""
KIND = "train"


def new_job_id() -> str:
    return f"job_{uuid.uuid4().hex[:16]}"


def job_view(record: JobRecord) -> Job:
    """The stored record as the application's ``Job``."""
    report = None
    if record.report is not None:
        fields = dict(record.report)
        report = TrainReport(**{**fields, "warnings": tuple(fields.get("warnings", ()))})
    return Job(
        record.job_id,
        JobStatus(record.status),
        record.created_at,
        started_at=record.started_at,
        finished_at=record.finished_at,
        cancel_requested=record.cancel_requested,
        report=report,
        error=record.error,
    )


class TrainingJobs:
    """Starts, follows and cancels training jobs."""

    def __init__(
        self,
        training: Training,
        runner: JobRunner,
        jobs: JobStore,
        *,
        clock: Callable[[], datetime],
        owner: str,
        new_id: Callable[[], str] = new_job_id,
        heartbeat: timedelta = timedelta(seconds=15),
        stale_after: timedelta = timedelta(minutes=2),
    ) -> None:
        self._training = training
        self._runner = runner
        self._jobs = jobs
        self._clock = clock
        self._owner = owner
        self._new_id = new_id
        self._heartbeat = heartbeat
        self._stale_after = stale_after
        self._closing = threading.Event()

    def start(self, *, actor: Actor = SYSTEM) -> Job:
        """Queue a training run; ``Conflict`` while another one is queued or running."""
        now = self._clock()
        record = JobRecord(self._new_id(), KIND, JobStatus.QUEUED.value, now, now, self._owner)
        busy = self._jobs.claim(record, stale_before=now - self._stale_after, keep=KEPT)
        if busy is not None:
            raise Conflict(
                f"training job {busy.job_id} is already {busy.status}; follow it "
                f"at /v1/models/jobs/{busy.job_id} or cancel it first",
                field="job",
            )
        self._runner.submit(lambda: self._run(record.job_id, actor))
        return self.get(record.job_id)

    def get(self, job_id: str) -> Job:
        """The job as it stands; one whose worker stopped beating reads as failed."""
        record = self._record(job_id)
        now = self._clock()
        if record.active and record.heartbeat_at < now - self._stale_after:
            record = self._change(job_id, ACTIVE_STATUSES, stale_change(record, now))
        return job_view(record)

    def cancel(self, job_id: str) -> Job:
        """Cancel a queued job at once, a running one at its next step; ``Conflict`` for
        a job that has finished."""
        record = self._record(job_id)
        if record.status == JobStatus.QUEUED.value:
            to = JobChange(status=JobStatus.CANCELLED.value, finished_at=self._clock())
            record = self._change(job_id, {JobStatus.QUEUED.value}, to)
            if record.status == JobStatus.CANCELLED.value:
                return job_view(record)
        running = {JobStatus.RUNNING.value}
        record = self._change(job_id, running, JobChange(cancel_requested=True))
        if record.status in running:
            return job_view(record)
        raise Conflict(f"training job {job_id} has already {record.status}", field="job_id")

    def _record(self, job_id: str) -> JobRecord:
        found = self._jobs.get(job_id)
        if found is None:
            raise NotFound(f"no training job {job_id!r}", field="job_id")
        return found

    def _change(self, job_id: str, when: Collection[str], to: JobChange) -> JobRecord:
        changed = self._jobs.change(job_id, when=when, to=to)
        if changed is None:
            raise NotFound(f"no training job {job_id!r}", field="job_id")
        return changed

    def _begin(self, job_id: str) -> bool:
        """Mark the job running, unless it was cancelled while queued."""
        now = self._clock()
        to = JobChange(status=JobStatus.RUNNING.value, started_at=now, heartbeat_at=now)
        begun = self._jobs.change(job_id, when={JobStatus.QUEUED.value}, to=to)
        return begun is not None and begun.status == JobStatus.RUNNING.value

    def _should_stop(self, job_id: str) -> bool:
        if self._closing.is_set():
            return True
        record = self._jobs.get(job_id)
        return record is None or record.cancel_requested or not record.active

    @contextmanager
    def _beating(self, job_id: str) -> Iterator[None]:
        """Beat in a thread while the job runs, so other workers see it alive."""
        done = threading.Event()

        def beat() -> None:
            while not done.wait(self._heartbeat.total_seconds()):
                to = JobChange(heartbeat_at=self._clock())
                self._jobs.change(job_id, when={JobStatus.RUNNING.value}, to=to)

        thread = threading.Thread(target=beat, name="tactful-job-beat", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()

    def _run(self, job_id: str, actor: Actor) -> None:
        if not self._begin(job_id):
            return
        status, report, error = JobStatus.SUCCEEDED, None, None
        try:
            with self._beating(job_id):
                report = self._training.train(
                    actor=actor, should_stop=lambda: self._should_stop(job_id)
                )
        except Cancelled:
            status = JobStatus.CANCELLED
        except Exception as e:  # recorded on the job: nobody waits on this thread
            log.exception("training job %s failed", job_id)
            status = JobStatus.FAILED
            error = e.message if isinstance(e, TactfulError) else f"{type(e).__name__}: {e}"
        fields = None if report is None else asdict(report)
        to = JobChange(status=status.value, finished_at=self._clock(), report=fields, error=error)
        self._jobs.change(job_id, when={JobStatus.RUNNING.value}, to=to)

    def close(self, timeout: float = 5.0) -> None:
        """Ask this worker's running job to stop and wait a little for it."""
        self._closing.set()
        self._runner.close(timeout)
