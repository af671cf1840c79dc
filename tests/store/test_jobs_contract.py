"""The job port, on every backend: one active job per kind, changes only from the states
named, stale jobs closed on claim, finished jobs pruned to ``keep``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tactful.store.ports import Stores
from tactful.store.ports_jobs import JobChange, JobRecord

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def queued(job_id: str, at: datetime = T0, kind: str = "train") -> JobRecord:
    return JobRecord(job_id, kind, "queued", at, at, owner="host:1")


def test_one_active_job_per_kind(stores: Stores) -> None:
    jobs = stores.jobs
    assert jobs.claim(queued("a"), stale_before=T0 - timedelta(minutes=2), keep=10) is None
    busy = jobs.claim(queued("b"), stale_before=T0 - timedelta(minutes=2), keep=10)
    assert busy is not None and busy.job_id == "a" and busy.status == "queued"
    assert jobs.get("b") is None  # nothing stored for the refused job
    other = jobs.claim(queued("c", kind="other"), stale_before=T0, keep=10)
    assert other is None  # another kind is not blocked
    jobs.change("a", when={"queued"}, to=JobChange(status="succeeded", finished_at=T0))
    assert jobs.claim(queued("b"), stale_before=T0, keep=10) is None


def test_change_applies_only_from_the_states_named(stores: Stores) -> None:
    jobs = stores.jobs
    jobs.claim(queued("a"), stale_before=T0, keep=10)
    later = T0 + timedelta(seconds=5)
    run = JobChange(status="running", started_at=later, heartbeat_at=later)
    running = jobs.change("a", when={"queued"}, to=run)
    assert running is not None and running.status == "running" and running.started_at == later
    again = jobs.change("a", when={"queued"}, to=JobChange(status="cancelled"))
    assert again is not None and again.status == "running"  # not from running
    asked = jobs.change("a", when={"running"}, to=JobChange(cancel_requested=True))
    assert asked is not None and asked.cancel_requested and asked.heartbeat_at == later
    report = {"model": "ease", "warnings": ["w"], "subjects": 3}
    done = JobChange(status="succeeded", finished_at=later, report=report, error=None)
    finished = jobs.change("a", when={"running"}, to=done)
    assert finished is not None and not finished.active
    assert finished.report == report
    assert jobs.change("nope", when={"queued"}, to=JobChange(status="failed")) is None


def test_a_stale_active_job_is_failed_when_another_is_claimed(stores: Stores) -> None:
    jobs = stores.jobs
    jobs.claim(queued("dead"), stale_before=T0, keep=10)
    later = T0 + timedelta(minutes=10)
    busy = jobs.claim(queued("new", at=later), stale_before=T0 + timedelta(minutes=1), keep=10)
    assert busy is None
    dead = jobs.get("dead")
    assert dead is not None and dead.status == "failed" and dead.finished_at == later
    assert dead.error is not None and "stopped" in dead.error
    fresh = jobs.claim(queued("third", at=later), stale_before=T0, keep=10)
    assert fresh is not None and fresh.job_id == "new"  # a beating job is not stale


def test_finished_jobs_are_pruned_to_keep(stores: Stores) -> None:
    jobs = stores.jobs
    for n in range(5):
        at = T0 + timedelta(minutes=n)
        assert jobs.claim(queued(f"j{n}", at=at), stale_before=at, keep=2) is None
        jobs.change(f"j{n}", when={"queued"}, to=JobChange(status="cancelled", finished_at=at))
    kept = [n for n in range(5) if jobs.get(f"j{n}") is not None]
    assert kept == [2, 3, 4]  # the newest two finished, plus j4 finished after the last claim
