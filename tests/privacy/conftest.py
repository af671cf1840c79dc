"""A privacy test bed: the API over memory, SQLite or PostgreSQL, serving EASE, with a clock
tests can move, and a seeded shop in which one person touches every personal-data table."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tactful.app import Tactful, build
from tactful.recommend.artifacts import FileModelStore
from tactful.settings import Settings
from tactful.store import MemoryStores, Stores
from tactful.types import Purpose, Signal
from tactful.web import create_app
from tests.web.conftest import trained

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TARGET = "erase-me-7f3a91"
"""A subject id unusual enough that finding it anywhere is a real finding."""
OTHERS = [f"p{n}" for n in range(10)]
ITEMS = [f"i{n}" for n in range(12)]


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Bed:
    client: TestClient
    app: Tactful
    clock: Clock
    admin: dict[str, str]
    ingest: dict[str, str]
    read: dict[str, str]
    url: str | None
    model_dir: Path

    def bearer(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def grant(self, subject: str, *purposes: str, decision: str = "granted") -> Any:
        body = {"decisions": [{"purpose": p, "decision": decision} for p in purposes]}
        r = self.client.put(f"/v1/subjects/{subject}/consents", json=body, headers=self.ingest)
        assert r.status_code == 200, r.text
        return r.json()

    def events(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        r = self.client.post("/v1/events", json={"events": rows}, headers=self.ingest)
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body


def _bed(stores: Stores, tmp_path: Path, url: str | None) -> Bed:
    settings = Settings(model_dir=tmp_path / "models")
    settings.recommend.model = "ease"
    settings.recommend.ease_l2 = 2.0
    clock = Clock()
    app = build(settings, stores, FileModelStore(tmp_path / "models"), clock=clock)
    keys = {
        s: {"Authorization": f"Bearer {app.access.create_key(s, [s])[1]}"}
        for s in ("admin", "ingest", "read")
    }
    client = TestClient(create_app(settings, app), raise_server_exceptions=False)
    return Bed(
        client, app, clock, keys["admin"], keys["ingest"], keys["read"], url, tmp_path / "models"
    )


@pytest.fixture
def bed(tmp_path: Path) -> Iterator[Bed]:
    """On memory stores."""
    made = _bed(MemoryStores(), tmp_path, None)
    yield made
    made.app.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sql_bed(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Bed]:
    """On a fresh SQLite or PostgreSQL database."""
    from tactful.sql import open_stores

    url = request.getfixturevalue("backend_url")(request.param)
    made = _bed(open_stores(url), tmp_path, url)
    yield made
    made.app.close()


def purchase(
    subject: str, item: str, *, days_ago: float = 1.0, kind: str = "purchase"
) -> dict[str, Any]:
    at = NOW - timedelta(days=days_ago)
    return {
        "event_id": f"{subject}-{kind}-{item}-{days_ago}",
        "subject_id": subject,
        "type": kind,
        "item_id": item,
        "occurred_at": at.isoformat(),
    }


def seed(bed: Bed) -> None:
    """A catalogue, ten people with overlapping tastes, and TARGET in every table: events
    (incl. a text), consents, preferences, an exposure, a stored signal, a contact decision
    and a hand-off case; then EASE and popularity are trained."""
    items = [
        {"item_id": i, "title": f"Thing {i}", "categories": ["even" if n % 2 else "odd"]}
        for n, i in enumerate(ITEMS)
    ]
    bed.client.put("/v1/items", json={"items": items}, headers=bed.ingest).raise_for_status()
    rows: list[dict[str, Any]] = []
    for n, subject in enumerate(OTHERS):
        bed.grant(subject, "personalization")
        rows += [purchase(subject, ITEMS[(n + k) % 12]) for k in range(4)]
    bed.grant(TARGET, "personalization", "emotional_context", "messaging")
    rows += [purchase(TARGET, i) for i in ITEMS[:3]]
    rows.append(
        {"event_id": "t-text", "subject_id": TARGET, "type": "feedback_text",
         "text": f"I am {TARGET} and I love it", "occurred_at": NOW.isoformat()}
    )  # fmt: skip
    assert bed.events(rows)["rejected"] == []
    bed.client.put(
        f"/v1/subjects/{TARGET}/preferences", json={"muted_categories": ["x"]}, headers=bed.ingest
    ).raise_for_status()
    trained(bed.client, bed.admin)
    bed.client.get(f"/v1/subjects/{TARGET}/recommendations", headers=bed.read).raise_for_status()
    bed.app.exposures.flush()
    bed.app.stores.signals.put(
        [Signal(TARGET, "mood", -0.4, Purpose.EMOTIONAL_CONTEXT, NOW, evidence=("t-text",))]
    )
    bed.app.contact.decide(
        TARGET,
        {"message_id": "m1", "kind": "promotional", "channel": "email", "topic": "odd"},
    )
    _open_case(bed)


def _open_case(bed: Bed) -> None:
    from tactful.handoff.case import Case, CaseStatus

    case = Case("case-1", TARGET, "explicit_request", NOW, CaseStatus.OPEN, {"note": TARGET})
    bed.app.stores.handoffs.open(case)
