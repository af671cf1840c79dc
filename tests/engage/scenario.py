"""Helpers for the engage scenarios through the REST API (``tests/web/test_engage_*.py``).

``text_reader``: texts are read by the real mood model when it is installed and trained
(``tactful.signals.mood``); otherwise by a small stand-in built on the real life-event
patterns, so the hand-off scenarios exercise the same signal derivation either way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from tactful.signals.life_events import LifeEvent, detect_life_events
from tests.web.conftest import Api

SAD = ("passed away", "died", "can't cope", "cannot cope", "awful", "hopeless", "alone")


@dataclass(frozen=True)
class StandInReading:
    valence: float
    distress: float
    emotions: Mapping[str, float] = field(default_factory=dict)
    life_events: Sequence[LifeEvent] = ()


def stand_in(text: str) -> StandInReading:
    events = detect_life_events(text)
    sad = any(w in text.lower() for w in SAD)
    return StandInReading(
        valence=-0.8 if sad else 0.2,
        distress=0.85 if sad else 0.0,
        emotions={"sadness": 0.9} if sad else {"neutral": 0.9},
        life_events=events,
    )


def real_model_works() -> bool:
    try:
        from tactful.signals.mood import analyse

        analyse("hello")
    except Exception:  # not installed or not trained yet
        return False
    return True


@pytest.fixture
def text_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    if not real_model_works():
        from tactful.signals import emotional

        monkeypatch.setattr(emotional, "_default_analyse", lambda: stand_in)


def grant(api: Api, subject: str, *purposes: str) -> None:
    body = {"decisions": [{"purpose": p, "decision": "granted"} for p in purposes]}
    r = api.client.put(f"/v1/subjects/{subject}/consents", json=body, headers=api.ingest)
    assert r.status_code == 200, r.text


def prefer(api: Api, subject: str, **prefs: Any) -> None:
    r = api.client.put(f"/v1/subjects/{subject}/preferences", json=prefs, headers=api.ingest)
    assert r.status_code == 200, r.text


def decide(api: Api, subject: str, **candidate: Any) -> dict[str, Any]:
    body = {"message_id": "m", "kind": "promotional", "channel": "email", "topic": "running"}
    body.update(candidate)
    r = api.client.post(f"/v1/subjects/{subject}/contact-decisions", json=body, headers=api.ingest)
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def events(api: Api, *rows: dict[str, Any]) -> dict[str, Any]:
    r = api.client.post("/v1/events", json={"events": list(rows)}, headers=api.ingest)
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    assert out["rejected"] == [], out
    return out


def say(api: Api, subject: str, event_id: str, text: str, kind: str = "support_message") -> None:
    events(api, {"event_id": event_id, "subject_id": subject, "type": kind, "text": text})


def cases(api: Api, status: str | None = None) -> list[dict[str, Any]]:
    params = {"status": status} if status else {}
    r = api.client.get("/v1/handoffs", params=params, headers=api.read)
    assert r.status_code == 200, r.text
    found: list[dict[str, Any]] = r.json()["cases"]
    return found
