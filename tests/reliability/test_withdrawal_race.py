"""The withdrawal race, attacked as an outsider would: two server processes on one
database; batches of a person's events in flight on both while the person withdraws
consent. Once ``PUT .../consents`` with ``denied`` has returned and every request is
answered, none of the events that purpose alone covered may remain."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from tactful.sql.tables import consents, events
from tests.reliability.servers import Server, servers

pytestmark = pytest.mark.slow
ROUNDS = 15
WRITERS = 4
BATCHES = 3


def decide(server: Server, subject: str, decision: str) -> None:
    body = {"decisions": [{"purpose": "personalization", "decision": decision}]}
    response = server.client.put(f"/v1/subjects/{subject}/consents", json=body)
    assert response.status_code == 200, response.text


def pour(server: Server, subject: str, writer: int, go: threading.Event) -> None:
    go.wait()
    for b in range(BATCHES):
        rows = [
            {"event_id": f"{subject}-{writer}-{b}-{i}", "subject_id": subject, "type": "search"}
            for i in range(25)
        ]
        response = server.client.post("/v1/events", json={"events": rows})
        assert response.status_code == 200, response.text


def race(pair: list[Server], count: Callable[[str], int]) -> list[int]:
    survivors = []
    for r in range(ROUNDS):
        subject = f"racer-{r}"
        decide(pair[1], subject, "granted")
        go = threading.Event()
        writers = [
            threading.Thread(target=pour, args=(pair[w % 2], subject, w, go))
            for w in range(WRITERS)
        ]
        for t in writers:
            t.start()
        go.set()
        decide(pair[1], subject, "denied")
        for t in writers:
            t.join(120)
        survivors.append(count(subject))
    return survivors


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_no_event_survives_a_withdrawal_in_flight(
    backend: str, backend_url: Callable[[str], str], tmp_path: Path
) -> None:
    url = backend_url(backend)
    engine = create_engine(url)

    def count(subject: str) -> int:
        with engine.connect() as conn:
            stmt = select(func.count()).where(events.c.subject_id == subject)
            return int(conn.scalar(stmt.select_from(events)) or 0)

    try:
        with servers(url, tmp_path, 2) as pair:
            survivors = race(pair, count)
        with engine.connect() as conn:
            ledger = conn.scalar(select(func.count()).select_from(consents))
    finally:
        engine.dispose()
    assert survivors == [0] * ROUNDS
    assert ledger == 2 * ROUNDS  # every grant and withdrawal kept in the history


def test_servers_answer_when_started(tmp_path: Path, backend_url: Callable[[str], str]) -> None:
    with servers(backend_url("sqlite"), tmp_path, 1) as (one,):
        assert httpx.get(f"{one.base}/healthz").status_code == 200


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_concurrent_consent_writes_keep_a_complete_ledger(
    backend: str, backend_url: Callable[[str], str], tmp_path: Path
) -> None:
    writers, each = 6, 10
    with servers(backend_url(backend), tmp_path, 2) as pair:

        def flip(w: int) -> None:
            for i in range(each):
                decide(pair[w % 2], "ledger", "granted" if (w + i) % 2 else "denied")

        threads = [threading.Thread(target=flip, args=(w,)) for w in range(writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        history = pair[0].client.get("/v1/subjects/ledger/consents").json()["history"]
    assert len(history) == writers * each
