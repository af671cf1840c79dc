"""Several workers over one PostgreSQL database: a write through one server is seen by the
next read through another. Server A is ``tactful serve`` with one worker, B is ``tactful
serve --workers 2`` (so a read through B lands on either of its processes); both share the
database, the model directory and the secret key, and nothing else.

Each worker caches prepared lists; the per-person stamps (bumped by database triggers in the
writing transaction) must make every other worker drop a stale entry on its next read.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tactful.app.open import open_app
from tactful.settings import Settings
from tests.web.test_recommendations import RUN, items

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

READS = 6
"""Reads through B after each write: with two workers behind one port, both get asked."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    a: httpx.Client
    b: httpx.Client
    admin: dict[str, str]


def _start(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    tactful = str(Path(sys.executable).with_name("tactful"))
    command = [tactful, "serve", "--port", str(port), "--workers", str(workers)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait(client: httpx.Client, server: subprocess.Popen[bytes]) -> None:
    for _ in range(1200):
        if server.poll() is not None:
            err = server.stderr.read().decode() if server.stderr else ""
            pytest.fail(f"server exited with {server.returncode}: {err[-2000:]}")
        try:
            if client.get("/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail("server did not answer /healthz within 120 s (a loaded machine starts slowly)")


@pytest.fixture
def cluster(backend_url: Any, tmp_path: Path) -> Iterator[Cluster]:
    url = backend_url("postgres")
    env = {
        **os.environ,
        "TACTFUL_DATABASE_URL": url,
        "TACTFUL_MODEL_DIR": str(tmp_path / "models"),
        "TACTFUL_SECRET_KEY": "shared-by-every-worker",
    }
    settings = Settings(database_url=url, model_dir=tmp_path / "models")
    app = open_app(settings)
    admin = {"Authorization": f"Bearer {app.access.create_key('ops', ['admin'])[1]}"}
    app.close()
    ports = free_port(), free_port()
    servers = [_start(env, ports[0], 1), _start(env, ports[1], 2)]
    clients = [httpx.Client(base_url=f"http://127.0.0.1:{p}", timeout=30) for p in ports]
    try:
        for client, server in zip(clients, servers, strict=True):
            _wait(client, server)
        yield Cluster(clients[0], clients[1], admin)
    finally:
        for client in clients:
            client.close()
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


def _seed(c: Cluster) -> dict[str, Any]:
    """Through A only: the catalogue, consents, purchases, and a training job."""
    c.a.put("/v1/items", json={"items": items()}, headers=c.admin).raise_for_status()
    events = []
    for n in range(8):
        who = f"r{n}"
        grant = {"decisions": [{"purpose": "personalization", "decision": "granted"}]}
        c.a.put(f"/v1/subjects/{who}/consents", json=grant, headers=c.admin).raise_for_status()
        for k, item in enumerate(RUN):
            if (k + n) % 3 != 0:
                events.append(
                    {
                        "event_id": f"{who}-{item}",
                        "subject_id": who,
                        "type": "purchase",
                        "item_id": item,
                    }
                )
    r = c.a.post("/v1/events", json={"events": events}, headers=c.admin)
    assert r.status_code == 200, r.text
    assert r.json()["rejected"] == []
    job = c.a.post("/v1/models/train", headers=c.admin)
    assert job.status_code == 202, job.text
    where = job.headers["location"]
    for _ in range(600):
        state = c.a.get(where, headers=c.admin).json()
        if state["status"] not in ("queued", "running"):
            break
        time.sleep(0.1)
    assert state["status"] == "succeeded", state
    return dict(state)


def _lists(client: httpx.Client, who: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for _ in range(READS):
        r = client.get(f"/v1/subjects/{who}/recommendations", headers=headers)
        assert r.status_code == 200, r.text
        out.append(r.json())
    return out


def test_a_write_through_one_worker_is_read_through_the_others(cluster: Cluster) -> None:
    c = cluster
    trained = _seed(c)
    for _ in range(READS):  # the job A ran is followed through either of B's workers
        seen = c.b.get(f"/v1/models/jobs/{trained['job_id']}", headers=c.admin)
        assert seen.status_code == 200, seen.text
        assert seen.json() == trained
    first = _lists(c.b, "r1", c.admin)  # B loads the model A trained, and caches r1's list
    assert all(body["personalized"] for body in first)
    top = first[0]["items"][0]["item_id"]
    assert top in RUN

    buy = {"event_id": "r1-bought-top", "subject_id": "r1", "type": "purchase", "item_id": top}
    c.a.post("/v1/events", json={"events": [buy]}, headers=c.admin).raise_for_status()
    after_buy = _lists(c.b, "r1", c.admin)
    assert all(top not in [x["item_id"] for x in body["items"]] for body in after_buy)

    budget = {"max_recommendations": 1}
    c.a.put("/v1/subjects/r1/preferences", json=budget, headers=c.admin).raise_for_status()
    assert all(len(body["items"]) <= 1 for body in _lists(c.b, "r1", c.admin))

    deny = {"decisions": [{"purpose": "personalization", "decision": "denied"}]}
    c.a.put("/v1/subjects/r1/consents", json=deny, headers=c.admin).raise_for_status()
    assert not any(body["personalized"] for body in _lists(c.b, "r1", c.admin))

    new = {"items": [{"item_id": "run9", "title": "Running thing 9", "categories": ["running"]}]}
    c.b.put("/v1/items", json=new, headers=c.admin).raise_for_status()  # and the other way
    got = c.a.get("/v1/items/run9", headers=c.admin)
    assert got.status_code == 200, got.text
    assert got.json()["title"] == "Running thing 9"
