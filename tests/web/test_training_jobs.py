"""Training from the API is a background job (issue 16): ``POST /v1/models/train`` answers
202 with a job id, ``GET /v1/models/jobs/{id}`` follows it, one job runs at a time, and
``DELETE /v1/models/jobs/{id}`` cancels it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tactful.app import Tactful, build
from tactful.app.jobs import ManualRunner
from tactful.app.trail import AuditTrail
from tactful.app.training import LocalEngine, Training
from tactful.app.training_jobs import TrainingJobs
from tactful.recommend.artifacts import FileModelStore
from tactful.recommend.interactions import Interactions
from tactful.recommend.model import Model
from tactful.settings import RecommendSettings, Settings
from tactful.store import MemoryStores
from tactful.types import Item
from tests.web.conftest import Api, Clock, _api


@pytest.fixture
def queued(tmp_path: Path) -> Iterator[tuple[Api, ManualRunner]]:
    """The API with a runner that holds each job until the test runs it."""
    runner = ManualRunner()
    clock = Clock()
    settings = Settings(model_dir=tmp_path / "models")
    app = build(
        settings, MemoryStores(), FileModelStore(tmp_path / "models"), clock=clock, runner=runner
    )
    yield _api(app, clock), runner
    app.close()


def shop(api: Api) -> None:
    items = [{"item_id": f"i{k}", "title": f"Thing {k}", "categories": ["x"]} for k in range(4)]
    api.client.put("/v1/items", json={"items": items}, headers=api.ingest).raise_for_status()
    events = []
    for n in range(3):
        grant = {"decisions": [{"purpose": "personalization", "decision": "granted"}]}
        api.client.put(f"/v1/subjects/u{n}/consents", json=grant, headers=api.ingest)
        events += [{"event_id": f"e{n}{k}", "subject_id": f"u{n}", "type": "purchase",
                    "item_id": f"i{k}"} for k in range(n + 1)]  # fmt: skip
    r = api.client.post("/v1/events", json={"events": events}, headers=api.ingest)
    assert r.json()["rejected"] == []


def job(api: Api, job_id: str) -> dict[str, Any]:
    r = api.client.get(f"/v1/models/jobs/{job_id}", headers=api.admin)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_a_job_is_queued_then_runs_and_reports(queued: tuple[Api, ManualRunner]) -> None:
    api, runner = queued
    shop(api)
    r = api.client.post("/v1/models/train", headers=api.admin)
    assert r.status_code == 202
    started = r.json()
    assert started["status"] == "queued" and started["report"] is None
    assert started["kind"] == "train" and started["created_at"] == "2026-06-01T12:00:00Z"
    assert r.headers["location"] == f"/v1/models/jobs/{started['job_id']}"
    assert api.app.live.get("ease") is None  # nothing trained yet
    runner.run_next()
    done = job(api, started["job_id"])
    assert done["status"] == "succeeded" and done["error"] is None
    assert done["started_at"] and done["finished_at"]
    report = done["report"]
    assert report["model"] == "ease" and report["warnings"] == []
    assert report["subjects"] == 3 and report["interactions"] == 6
    model = api.app.live.get("ease")
    assert model is not None and model.version == report["model_version"]


def test_one_job_at_a_time(queued: tuple[Api, ManualRunner]) -> None:
    api, runner = queued
    shop(api)
    first = api.client.post("/v1/models/train", headers=api.admin).json()
    r = api.client.post("/v1/models/train", headers=api.admin)
    assert r.status_code == 409
    body = r.json()
    assert body["error"] == "conflict" and body["field"] == "job"
    assert first["job_id"] in body["message"] and "queued" in body["message"]
    runner.run_next()
    again = api.client.post("/v1/models/train", headers=api.admin)
    assert again.status_code == 202 and again.json()["job_id"] != first["job_id"]


def test_a_queued_job_cancelled_never_trains(queued: tuple[Api, ManualRunner]) -> None:
    api, runner = queued
    shop(api)
    started = api.client.post("/v1/models/train", headers=api.admin).json()
    r = api.client.delete(f"/v1/models/jobs/{started['job_id']}", headers=api.admin)
    assert r.status_code == 202 and r.json()["status"] == "cancelled"
    runner.run_next()
    assert job(api, started["job_id"])["status"] == "cancelled"
    assert api.app.live.get("ease") is None
    r = api.client.delete(f"/v1/models/jobs/{started['job_id']}", headers=api.admin)
    assert r.status_code == 409 and r.json()["error"] == "conflict"
    assert api.client.post("/v1/models/train", headers=api.admin).status_code == 202


def test_jobs_need_admin_and_unknown_jobs_are_404(queued: tuple[Api, ManualRunner]) -> None:
    api, _ = queued
    assert api.client.post("/v1/models/train", headers=api.read).status_code == 403
    r = api.client.get("/v1/models/jobs/job_nope", headers=api.admin)
    assert r.status_code == 404 and r.json()["field"] == "job_id"
    assert api.client.get("/v1/models/jobs/job_nope", headers=api.read).status_code == 403
    assert api.client.delete("/v1/models/jobs/job_nope", headers=api.admin).status_code == 404


def test_a_failed_job_says_why(queued: tuple[Api, ManualRunner]) -> None:
    api, runner = queued
    shop(api)
    api.app.stores.events.item_rows = None  # type: ignore[method-assign,assignment]
    started = api.client.post("/v1/models/train", headers=api.admin).json()
    runner.run_next()
    failed = job(api, started["job_id"])
    assert failed["status"] == "failed" and "TypeError" in failed["error"]
    assert failed["report"] is None


class CancelledWhileFitting:
    """A local engine during whose fit a cancellation arrives."""

    name = "local"

    def __init__(self) -> None:
        self.jobs: TrainingJobs | None = None
        self.job_id = ""

    def fit(
        self, model: str, data: Interactions, settings: RecommendSettings, items: Sequence[Item]
    ) -> Model:
        assert self.jobs is not None
        assert self.jobs.cancel(self.job_id).cancel_requested is True
        return LocalEngine().fit(model, data, settings, items)


def jobs_fitting_with(
    engine: CancelledWhileFitting, app: Tactful, runner: ManualRunner, job_id: str
) -> TrainingJobs:
    """Training jobs of ``app`` whose fits go through ``engine``; the next id is ``job_id``."""
    training = Training(
        app.stores,
        app.models,
        app.live,
        app.policy,
        app.settings.recommend,
        trail=AuditTrail(app.stores.audit, app.keyring, clock=app.clock),
        clock=app.clock,
        engine=engine,
    )
    return TrainingJobs(
        training, runner, app.stores.jobs, clock=app.clock, owner="w1", new_id=lambda: job_id
    )


def test_a_running_job_stops_at_its_next_step_and_saves_nothing(
    queued: tuple[Api, ManualRunner],
) -> None:
    api, _ = queued
    shop(api)
    app = api.app
    engine = CancelledWhileFitting()
    runner = ManualRunner()
    jobs = jobs_fitting_with(engine, app, runner, "job_1")
    engine.jobs, engine.job_id = jobs, "job_1"
    assert jobs.start().status.value == "queued"
    runner.run_next()
    done = jobs.get("job_1")
    assert done.status.value == "cancelled" and done.cancel_requested
    assert app.models.versions() == []  # the fitted model was not saved


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[Api, Api, ManualRunner, Clock]]:
    """Two applications over one SQLite database and model directory, as two workers."""
    from tactful.sql import open_stores

    url = f"sqlite:///{tmp_path / 'shared.db'}"
    settings = Settings(model_dir=tmp_path / "models", database_url=url)
    runner, clock = ManualRunner(), Clock()
    models = tmp_path / "models"
    made = [
        build(settings, open_stores(url), FileModelStore(models), clock=clock, runner=runner)
        for _ in range(2)
    ]
    a, b = (_api(app, clock) for app in made)
    b.admin, b.ingest, b.read = a.admin, a.ingest, a.read  # one key table
    yield a, b, runner, clock
    for app in made:
        app.close()


def test_a_job_started_on_one_worker_is_followed_and_refused_on_another(
    two_workers: tuple[Api, Api, ManualRunner, Clock],
) -> None:
    a, b, runner, _ = two_workers
    shop(a)
    started = a.client.post("/v1/models/train", headers=a.admin).json()
    assert job(b, started["job_id"])["status"] == "queued"
    refused = b.client.post("/v1/models/train", headers=b.admin)
    assert refused.status_code == 409 and started["job_id"] in refused.json()["message"]
    runner.run_next()
    done = job(b, started["job_id"])
    assert done == job(a, started["job_id"])
    assert done["status"] == "succeeded" and done["report"]["interactions"] == 6
    assert done["report"]["warnings"] == []


def test_a_cancel_through_another_worker_stops_the_job(
    two_workers: tuple[Api, Api, ManualRunner, Clock],
) -> None:
    a, b, runner, _ = two_workers
    shop(a)
    first = a.client.post("/v1/models/train", headers=a.admin).json()
    r = b.client.delete(f"/v1/models/jobs/{first['job_id']}", headers=b.admin)
    assert r.status_code == 202 and r.json()["status"] == "cancelled"
    runner.run_next()  # A's queued work finds the job cancelled and never trains
    assert job(a, first["job_id"])["status"] == "cancelled"
    assert a.app.models.versions() == []


def test_a_running_job_cancelled_through_another_worker_saves_nothing(
    two_workers: tuple[Api, Api, ManualRunner, Clock],
) -> None:
    a, b, _, _ = two_workers
    shop(a)
    app = a.app
    engine = CancelledWhileFitting()
    runner = ManualRunner()
    jobs = jobs_fitting_with(engine, app, runner, "job_x")
    engine.jobs, engine.job_id = b.app.training_jobs, "job_x"  # the cancel comes through B
    jobs.start()
    runner.run_next()
    assert job(b, "job_x")["status"] == "cancelled" and job(b, "job_x")["cancel_requested"]
    assert app.models.versions() == []


def test_a_job_whose_worker_stopped_reads_as_failed_and_frees_the_slot(
    two_workers: tuple[Api, Api, ManualRunner, Clock],
) -> None:
    a, b, runner, clock = two_workers
    shop(a)
    started = a.client.post("/v1/models/train", headers=a.admin).json()
    runner.waiting.clear()  # A dies before it runs the job: nothing will ever beat
    clock.now += timedelta(minutes=1)
    assert job(b, started["job_id"])["status"] == "queued"  # not stale yet
    clock.now += timedelta(minutes=2)
    dead = job(b, started["job_id"])
    assert dead["status"] == "failed" and "stopped" in dead["error"]
    again = b.client.post("/v1/models/train", headers=b.admin)
    assert again.status_code == 202, again.text
