"""SQL store of background jobs. One active job per kind is enforced by the database: the
unique ``active_kind`` column holds the kind while a job is queued or running."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, select, update

from tactful.sql.database import Database
from tactful.sql.tables import jobs
from tactful.store.ports_jobs import ACTIVE_STATUSES, JobChange, JobRecord, stale_change


def job_of(r: Row[Any]) -> JobRecord:
    return JobRecord(
        job_id=r.job_id,
        kind=r.kind,
        status=r.status,
        created_at=r.created_at,
        heartbeat_at=r.heartbeat_at,
        owner=r.owner,
        started_at=r.started_at,
        finished_at=r.finished_at,
        cancel_requested=bool(r.cancel_requested),
        report=None if r.report is None else dict(r.report),
        error=r.error,
    )


def _values(to: JobChange) -> dict[str, Any]:
    """The columns ``to`` sets; a status also sets (or clears) ``active_kind``."""
    values = to.fields()
    if to.report is not None:
        values["report"] = dict(to.report)
    if to.status is not None and to.status not in ACTIVE_STATUSES:
        values["active_kind"] = None
    return values


class SqlJobStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def claim(self, job: JobRecord, *, stale_before: datetime, keep: int) -> JobRecord | None:
        t = jobs
        active = select(t).where(t.c.active_kind == job.kind)
        with self._db.writing("starting a job") as conn:
            found = conn.execute(active).first()
            if found is not None and found.heartbeat_at >= stale_before:
                return job_of(found)
            if found is not None:
                close = _values(stale_change(job_of(found), job.created_at))
                conn.execute(update(t).where(t.c.job_id == found.job_id).values(close))
            insert = self._db.insert(t).values(_row(job))
            conn.execute(insert.on_conflict_do_nothing(index_elements=[t.c.active_kind]))
            stored = conn.execute(active).first()
            self._prune(conn, job.kind, keep)
        if stored is not None and stored.job_id != job.job_id:
            return job_of(stored)  # another worker's job got in first
        return None

    def _prune(self, conn: Connection, kind: str, keep: int) -> None:
        t = jobs
        done = t.c.kind == kind, t.c.active_kind.is_(None)
        old = select(t.c.job_id).where(*done).order_by(t.c.created_at.desc()).offset(keep)
        conn.execute(delete(t).where(t.c.job_id.in_(old.scalar_subquery())))

    def get(self, job_id: str) -> JobRecord | None:
        t = jobs
        with self._db.reading("reading a job") as conn:
            row = conn.execute(select(t).where(t.c.job_id == job_id)).first()
        return None if row is None else job_of(row)

    def change(self, job_id: str, *, when: Collection[str], to: JobChange) -> JobRecord | None:
        t = jobs
        guarded = update(t).where(t.c.job_id == job_id, t.c.status.in_(list(when)))
        with self._db.writing("updating a job") as conn:
            conn.execute(guarded.values(_values(to)))
            row = conn.execute(select(t).where(t.c.job_id == job_id)).first()
        return None if row is None else job_of(row)


def _row(job: JobRecord) -> dict[str, Any]:
    return {
        "job_id": job.job_id,
        "kind": job.kind,
        "active_kind": job.kind if job.active else None,
        "status": job.status,
        "owner": job.owner,
        "created_at": job.created_at,
        "heartbeat_at": job.heartbeat_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "cancel_requested": job.cancel_requested,
        "report": None if job.report is None else dict(job.report),
        "error": job.error,
    }
