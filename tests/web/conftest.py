"""A test client over a Tactful app with a fixed clock, on memory or SQL stores."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tactful.app import Tactful, build
from tactful.recommend.artifacts import FileModelStore
from tactful.settings import Settings
from tactful.store import MemoryStores
from tactful.web import create_app

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


class Clock:
    """A clock tests can move: ``clock.now = ...``."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Api:
    client: TestClient
    app: Tactful
    admin: dict[str, str]
    ingest: dict[str, str]
    read: dict[str, str]
    clock: Clock


def trained(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    """Start training through the API and return its train report: the test beds run a
    job as it is started (``InlineRunner``), so the 202 already says it succeeded."""
    r = client.post("/v1/models/train", headers=headers)
    assert r.status_code == 202, r.text
    job: dict[str, Any] = r.json()
    assert job["status"] == "succeeded", job
    assert r.headers["location"] == f"/v1/models/jobs/{job['job_id']}"
    report: dict[str, Any] = job["report"]
    return report


def _api(app: Tactful, clock: Clock) -> Api:
    keys = {
        s: {"Authorization": f"Bearer {app.access.create_key(s, [s])[1]}"}
        for s in ("admin", "ingest", "read")
    }
    client = TestClient(create_app(app.settings, app), raise_server_exceptions=False)
    return Api(client, app, keys["admin"], keys["ingest"], keys["read"], clock)


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    settings = Settings(model_dir=tmp_path / "models")
    clock = Clock()
    app = build(settings, MemoryStores(), FileModelStore(tmp_path / "models"), clock=clock)
    yield _api(app, clock)
    app.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sql_api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """The same API on a real database (fresh per test)."""
    from tactful.sql import open_stores

    url = request.getfixturevalue("backend_url")(request.param)
    settings = Settings(database_url=url, model_dir=tmp_path / "models")
    clock = Clock()
    app = build(settings, open_stores(url), FileModelStore(tmp_path / "models"), clock=clock)
    yield _api(app, clock)
    app.close()
