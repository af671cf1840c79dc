"""Crash safety against real server processes, on SQLite and PostgreSQL: SIGKILL during
batch ingest loses and duplicates nothing once the client re-sends what was not
acknowledged; a clean SIGTERM writes every exposure still queued in memory."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from tactful.sql.tables import events, exposures
from tests.reliability.servers import prepare, start

pytestmark = pytest.mark.slow
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
BATCHES, ROWS = 40, 250
GRANT = {"decisions": [{"purpose": "personalization", "decision": "granted"}]}


def batch(b: int) -> dict[str, object]:
    rows = [
        {"event_id": f"e{b}-{i}", "subject_id": f"p{i % 50}", "type": "search"} for i in range(ROWS)
    ]
    return {"events": rows}


def count(url: str, table: object, column: str) -> tuple[int, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            col = table.c[column]  # type: ignore[attr-defined]
            total = conn.scalar(select(func.count()).select_from(table))  # type: ignore[arg-type]
            distinct = conn.scalar(select(func.count(func.distinct(col))))
            return int(total or 0), int(distinct or 0)
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_sigkill_during_ingest_loses_and_duplicates_nothing(
    backend: str, backend_url: Callable[[str], str], tmp_path: Path
) -> None:
    url = backend_url(backend)
    secret = prepare(url, tmp_path)
    server = start(url, tmp_path, secret)
    for p in range(50):
        assert server.client.put(f"/v1/subjects/p{p}/consents", json=GRANT).status_code == 200
    acknowledged: set[int] = set()
    halfway = threading.Event()

    def pour() -> None:
        for b in range(BATCHES):
            try:
                r = server.client.post("/v1/events", json=batch(b))
            except httpx.TransportError:
                return  # the server died under this request: not acknowledged
            if r.status_code == 200:
                acknowledged.add(b)
            if b == BATCHES // 4:
                halfway.set()

    writer = threading.Thread(target=pour)
    writer.start()
    assert halfway.wait(120)
    server.kill()
    writer.join(120)
    server.client.close()
    assert 0 < len(acknowledged) < BATCHES  # killed in the middle of the stream

    stored, _ = count(url, events, "event_id")
    assert stored >= len(acknowledged) * ROWS  # nothing acknowledged was lost
    again = start(url, tmp_path, secret)
    try:
        for b in range(BATCHES):
            if b not in acknowledged:  # re-send what was not acknowledged (and one that was)
                assert again.client.post("/v1/events", json=batch(b)).status_code == 200
        repeat = again.client.post("/v1/events", json=batch(min(acknowledged))).json()
        assert repeat["accepted"] == 0 and repeat["duplicates"] == ROWS
    finally:
        again.stop()
    assert count(url, events, "event_id") == (BATCHES * ROWS, BATCHES * ROWS)


@pytest.mark.parametrize("backend", BACKENDS)
def test_sigterm_writes_every_queued_exposure(
    backend: str, backend_url: Callable[[str], str], tmp_path: Path
) -> None:
    url = backend_url(backend)
    secret = prepare(url, tmp_path)
    # exposures wait in memory for a minute: only the shutdown can write them
    server = start(url, tmp_path, secret, TACTFUL_EXPOSURE_FLUSH_SECONDS="60")
    try:
        assert server.client.put("/v1/subjects/p1/consents", json=GRANT).status_code == 200
        for _ in range(25):
            r = server.client.get("/v1/subjects/p1/recommendations")
            assert r.status_code == 200, r.text
        assert count(url, exposures, "id")[0] == 0
    finally:
        server.stop()
    assert server.process.returncode in (0, -15)  # uvicorn re-raises SIGTERM once done
    assert count(url, exposures, "id")[0] == 25
