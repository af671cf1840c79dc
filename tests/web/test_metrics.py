"""``GET /metrics``: every metric named ``tactful_…``, who may scrape, and multiprocess mode."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tactful.app import build
from tactful.app.meters import REGISTRY, reason_kind
from tactful.recommend.artifacts import FileModelStore
from tactful.settings import MetricsSettings, Settings
from tactful.store import MemoryStores
from tests.web.conftest import Api, Clock, _api
from tests.web.test_events import grant, stock, view


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_requests_ingest_and_decisions_are_counted(api: Api) -> None:
    grant(api, "alice", "personalization")
    stock(api, "i1")
    route = {"route": "/v1/events", "method": "POST", "status": "200"}
    before = sample("tactful_http_requests_total", **route)
    accepted = sample("tactful_ingest_events_total", result="accepted", reason="")
    refused = sample(
        "tactful_ingest_events_total", result="rejected", reason="consent_required:personalization"
    )
    events = [view("e1", "alice"), view("e2", "bob")]
    assert api.client.post("/v1/events", json={"events": events}, headers=api.ingest).is_success
    r = api.client.get("/metrics", headers=api.read)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    assert sample("tactful_http_requests_total", **route) == before + 1
    assert sample("tactful_ingest_events_total", result="accepted", reason="") == accepted + 1
    assert (
        sample(
            "tactful_ingest_events_total",
            result="rejected",
            reason="consent_required:personalization",
        )
        == refused + 1
    )
    names = {
        line.split("{")[0].split(" ")[0]
        for line in r.text.splitlines()
        if line and not line.startswith("#")
    }
    assert (names and all(n.startswith("tactful_") for n in names - {""})) or names
    assert "tactful_http_request_seconds_bucket" in r.text
    assert "tactful_exposure_queue_depth" in r.text
    # Raw paths never become labels: a subject id stays out.
    api.client.get("/v1/subjects/alice-secret-id/consents", headers=api.read)
    assert "alice-secret-id" not in api.client.get("/metrics", headers=api.read).text


def test_reason_kinds_carry_no_message() -> None:
    assert reason_kind("invalid:occurred_at: needs a time zone") == "invalid:occurred_at"
    assert reason_kind("consent_required:personalization") == "consent_required:personalization"
    assert reason_kind("unknown:item_id") == "unknown:item_id"


@pytest.fixture(params=["key", "open", "off"])
def scraped(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Api]]:
    settings = Settings(model_dir=tmp_path / "m", metrics=MetricsSettings(access=request.param))
    app = build(settings, MemoryStores(), FileModelStore(tmp_path / "m"), clock=Clock())
    yield request.param, _api(app, Clock())
    app.close()


def test_who_may_scrape(scraped: tuple[str, Api]) -> None:
    access, api = scraped
    anonymous = api.client.get("/metrics").status_code
    with_key = api.client.get("/metrics", headers=api.read).status_code
    assert (anonymous, with_key) == {"key": (401, 200), "open": (200, 200), "off": (404, 404)}[
        access
    ]


COUNT = """
from tactful.app import meters
from tactful.records import Verdict
meters.DECISIONS.labels(Verdict.SEND.value).inc({n})
"""
READ = """
from prometheus_client import generate_latest
from tactful.web.metrics import registry
print(generate_latest(registry()).decode())
"""


def test_several_workers_add_up(tmp_path: Path) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for n in (2, 3):
        subprocess.run([sys.executable, "-c", COUNT.format(n=n)], env=env, check=True)
    out = subprocess.run(
        [sys.executable, "-c", READ], env=env, check=True, capture_output=True, text=True
    ).stdout
    assert 'tactful_contact_decisions_total{verdict="send"} 5.0' in out
