"""``JobStore`` in memory: the twin of ``tactful.sql.jobs`` (one process only)."""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import replace
from datetime import datetime

from tactful.store.ports_jobs import JobChange, JobRecord, stale_change


def changed(job: JobRecord, to: JobChange) -> JobRecord:
    """``job`` with every field ``to`` sets."""
    return replace(job, **to.fields())


class MemoryJobStore:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._jobs: dict[str, JobRecord] = {}

    def claim(self, job: JobRecord, *, stale_before: datetime, keep: int) -> JobRecord | None:
        with self._lock:
            for other in list(self._jobs.values()):
                if other.kind != job.kind or not other.active:
                    continue
                if other.heartbeat_at >= stale_before:
                    return other
                self._jobs[other.job_id] = changed(other, stale_change(other, job.created_at))
            self._jobs[job.job_id] = job
            self._prune(job.kind, keep)
            return None

    def _prune(self, kind: str, keep: int) -> None:
        done = [j for j in self._jobs.values() if j.kind == kind and not j.active]
        done.sort(key=lambda j: j.created_at)
        for old in done[: max(0, len(done) - keep)]:
            del self._jobs[old.job_id]

    def get(self, job_id: str) -> JobRecord | None:
        with self._lock:
            return self._jobs.get(job_id)

    def change(self, job_id: str, *, when: Collection[str], to: JobChange) -> JobRecord | None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None and job.status in when:
                job = self._jobs[job_id] = changed(job, to)
            return job
