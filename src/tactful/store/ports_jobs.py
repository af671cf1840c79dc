"""The job port: background jobs (training) recorded where every worker can see them.

A job started through one worker is followed and cancelled through any other: its record
lives in the store, not in the process that runs it. At most one job of a kind is active
(queued or running) at a time; the store enforces it (on SQL, a unique column, so it holds
across workers). A worker that dies leaves its job active: the job's ``heartbeat_at`` then
stops moving, and ``claim`` treats an active job whose heartbeat is older than
``stale_before`` as failed, so one crash never blocks training for good.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

ACTIVE_STATUSES = frozenset({"queued", "running"})
STALE_ERROR = "the worker running this job stopped (no heartbeat since {at})"
"""The error recorded on a job whose worker stopped beating."""


@dataclass(frozen=True, slots=True)
class JobRecord:
    """A job as stored: ``status`` is queued, running, succeeded, failed or cancelled."""

    job_id: str
    kind: str
    status: str
    created_at: datetime
    heartbeat_at: datetime
    owner: str
    """The worker running it (host and process), for operators reading the record."""
    started_at: datetime | None = None
    finished_at: datetime | None = None
    cancel_requested: bool = False
    report: Mapping[str, Any] | None = field(default=None, compare=False)
    error: str | None = None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES


@dataclass(frozen=True, slots=True)
class JobChange:
    """What ``JobStore.change`` sets; ``None`` leaves a field as it is."""

    status: str | None = None
    heartbeat_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    cancel_requested: bool | None = None
    report: Mapping[str, Any] | None = None
    error: str | None = None

    def fields(self) -> dict[str, Any]:
        """The fields this change sets, by name (those that are not ``None``)."""
        found = {name: getattr(self, name) for name in JobChange.__dataclass_fields__}
        return {name: value for name, value in found.items() if value is not None}


def stale_change(job: JobRecord, now: datetime) -> JobChange:
    """How a job whose worker stopped is closed: failed, finished now."""
    at = job.heartbeat_at.isoformat()
    return JobChange(status="failed", finished_at=now, error=STALE_ERROR.format(at=at))


class JobStore(Protocol):
    def claim(self, job: JobRecord, *, stale_before: datetime, keep: int) -> JobRecord | None:
        """Store ``job`` (queued) unless a job of its kind is active, and return None; else
        store nothing and return the active job. An active job with a heartbeat before
        ``stale_before`` is first marked failed. Keeps the newest ``keep`` finished jobs
        of the kind."""
        ...

    def get(self, job_id: str) -> JobRecord | None: ...

    def change(self, job_id: str, *, when: Collection[str], to: JobChange) -> JobRecord | None:
        """Apply ``to`` if the job's status is one of ``when`` (atomically); the job as
        it stands afterwards, or None if there is no such job."""
        ...
