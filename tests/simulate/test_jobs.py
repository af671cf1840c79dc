"""Simulations as background jobs: closing cancels them (a queued one never starts, a
running one stops after its current policy-week and keeps no result), and stopping the web
app closes them, so a server stop neither hangs on a run nor leaves its thread behind."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from fastapi.testclient import TestClient

from tactful.app import build
from tactful.app.jobs import JobStatus, ManualRunner, ThreadRunner, Work
from tactful.recommend.artifacts import memory_models
from tactful.settings import Settings
from tactful.simulate import Config
from tactful.simulate.jobs import Simulation, Simulations
from tactful.store import MemoryStores
from tactful.web import create_app
from tests.web.conftest import NOW

LONG = Config(policies=("tactful",), people=50, weeks=104, seed=2)
"""Minutes of work if nothing stopped it."""


class Watched:
    """A ``ThreadRunner`` that keeps hold of its threads, so a test can see them end."""

    def __init__(self) -> None:
        self.inner = ThreadRunner()
        self.threads: list[threading.Thread] = []

    def submit(self, work: Work) -> None:
        def run() -> None:
            self.threads.append(threading.current_thread())
            work()

        self.inner.submit(run)

    def close(self, timeout: float) -> None:
        self.inner.close(timeout)


def wait_for(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 120
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.05)


def cancelled_mid_run(job: Simulation, runner: Watched) -> None:
    assert job.status is JobStatus.CANCELLED, job
    assert 1 <= job.done < LONG.weeks and job.result is None and job.finished_at is not None
    assert runner.threads and not any(t.is_alive() for t in runner.threads)


def test_close_stops_a_running_simulation_after_its_current_week() -> None:
    runner = Watched()
    sims = Simulations(runner, clock=lambda: NOW)
    sid = sims.start(LONG).simulation_id
    wait_for(lambda: sims.get(sid).done >= 1, "the first simulated week")
    sims.close(timeout=60)
    cancelled_mid_run(sims.get(sid), runner)


def test_a_queued_simulation_never_starts_once_closed() -> None:
    runner = ManualRunner()
    sims = Simulations(runner, clock=lambda: NOW)
    sid = sims.start(LONG).simulation_id
    sims.close(timeout=1)
    runner.run_next()
    job = sims.get(sid)
    assert job.status is JobStatus.CANCELLED and job.started_at is None and job.done == 0
    late = sims.start(LONG).simulation_id  # started after closing: cancelled, never run
    runner.run_next()
    assert sims.get(late).status is JobStatus.CANCELLED


def test_stopping_the_app_cancels_its_simulations() -> None:
    app = build(Settings(), MemoryStores(), memory_models(), clock=lambda: NOW)
    runner = Watched()
    sims = Simulations(runner, clock=lambda: NOW)
    admin = {"Authorization": f"Bearer {app.access.create_key('admin', ['admin'])[1]}"}
    body = {"policies": ["tactful"], "people": LONG.people, "weeks": LONG.weeks, "seed": 2}
    with TestClient(create_app(app.settings, app, simulations=sims)) as client:
        r = client.post("/v1/simulations", json=body, headers=admin)
        assert r.status_code == 202, r.text
        url = r.headers["location"]
        wait_for(lambda: client.get(url, headers=admin).json()["done"] >= 1, "the first week")
    cancelled_mid_run(sims.get(r.json()["simulation_id"]), runner)
    app.close()
