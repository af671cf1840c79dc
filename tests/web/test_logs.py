"""Structured JSON logs: one line per request at info with its request id, and neither a
raw subject id nor any text a person wrote anywhere in the log output of a scenario that
ingests texts, recommends, decides contact, fails, looks people up and erases them."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from tactful.web import logs
from tests.web.conftest import Api

SUBJECT = "zq-7731-person"
OTHER = "kx-9042-person"
TEXTS = (
    "my grandmother passed away last week, kumquat-zebra",
    "I need to talk to a human about my overdraft, platypus-mango",
)


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    out = io.StringIO()
    handler = logs.configure(stream=out, level=logging.DEBUG)
    yield out
    logger = logging.getLogger("tactful")
    logger.removeHandler(handler)
    logger.propagate = True
    logger.setLevel(logging.NOTSET)


def lines(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def scenario(api: Api) -> None:
    c, h = api.client, api.ingest
    purposes = ["personalization", "emotional_context", "messaging", "analytics"]
    for s in (SUBJECT, OTHER):
        body = {"decisions": [{"purpose": p, "decision": "granted"} for p in purposes]}
        assert c.put(f"/v1/subjects/{s}/consents", json=body, headers=h).is_success
    assert c.put("/v1/items", json={"items": [{"item_id": "i1", "title": "Kettle"}]}, headers=h)
    events = [
        {"event_id": f"t{n}", "subject_id": SUBJECT, "type": "feedback_text", "text": text}
        for n, text in enumerate(TEXTS)
    ]
    events.append({"event_id": "v1", "subject_id": OTHER, "type": "view", "item_id": "i1"})
    events.append({"event_id": "bad", "subject_id": SUBJECT, "type": "nope", "text": TEXTS[0]})
    assert c.post("/v1/events", json={"events": events}, headers=h).status_code == 200
    assert c.get(f"/v1/subjects/{SUBJECT}/recommendations", headers=api.read).is_success
    candidate = {"message_id": "m1", "kind": "promotional", "channel": "email"}
    c.post(f"/v1/subjects/{OTHER}/contact-decisions", json=candidate, headers=h)
    assert c.get(f"/v1/subjects/{SUBJECT}/export", headers=api.admin).is_success
    c.get("/v1/insights/health", headers=api.read)
    assert c.get(f"/v1/handoffs?subject={SUBJECT}", headers=api.read).status_code < 500
    c.get(f"/no/such/{SUBJECT}/path")
    assert c.delete(f"/v1/subjects/{SUBJECT}", headers=api.admin).is_success


def test_no_subject_id_or_text_in_the_logs(
    api: Api, captured: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario(api)

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError(f"failed for {SUBJECT}: {TEXTS[1]}")

    monkeypatch.setattr(api.app.insights, "fairness", boom)
    assert api.client.get("/v1/insights/fairness", headers=api.read).status_code == 500
    raw = captured.getvalue()
    assert raw, "the scenario logged nothing"
    for secret in (SUBJECT, OTHER, *TEXTS, "kumquat", "platypus", "grandmother"):
        assert secret not in raw, secret
    failure = [x for x in lines(captured) if x.get("exception") == "RuntimeError"]
    assert failure and failure[0]["level"] == "error" and failure[0]["stack"]


def test_one_line_per_request_with_its_request_id(api: Api, captured: io.StringIO) -> None:
    r = api.client.get("/v1/insights/alerts", headers={**api.read, "X-Request-ID": "abc-123-xyz"})
    assert r.headers["x-request-id"] == "abc-123-xyz"
    other = api.client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    fresh = other.headers["x-request-id"]
    assert len(fresh) == 32 and fresh != "bad id with spaces"
    requests = [x for x in lines(captured) if x["event"] == "request"]
    assert [(x["route"], x["status"], x["request_id"], x["level"]) for x in requests] == [
        ("/v1/insights/alerts", 200, "abc-123-xyz", "info"),
        ("/healthz", 200, fresh, "info"),
    ]
    assert all(x["ms"] >= 0 and x["method"] == "GET" and "timestamp" in x for x in requests)
