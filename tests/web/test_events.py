from typing import Any

from tests.web.conftest import Api


def grant(api: Api, subject: str, *purposes: str) -> None:
    body = {"decisions": [{"purpose": p, "decision": "granted"} for p in purposes]}
    r = api.client.put(f"/v1/subjects/{subject}/consents", json=body, headers=api.ingest)
    assert r.status_code == 200, r.text


def stock(api: Api, *item_ids: str) -> None:
    body = {"items": [{"item_id": i, "title": f"Item {i}"} for i in item_ids]}
    r = api.client.put("/v1/items", json=body, headers=api.ingest)
    assert r.status_code == 200, r.text


def view(eid: str, subject: str, **kw: Any) -> dict[str, Any]:
    return {
        "event_id": eid,
        "subject_id": subject,
        "type": "view",
        "item_id": "i1",
        "occurred_at": "2026-06-01T11:00:00Z",
        **kw,
    }


def test_mixed_batch_returns_exact_counts_and_reasons(api: Api) -> None:
    grant(api, "alice", "personalization")
    stock(api, "i1")
    api.client.post("/v1/events", json={"events": [view("e0", "alice")]}, headers=api.ingest)
    events = [
        view("e1", "alice"),
        view("e1", "alice"),
        view("e0", "alice"),
        view("e2", "bob"),
        {"event_id": "e3", "subject_id": "alice", "type": "feedback_text", "text": "love it"},
        view("e4", "alice", occurred_at="2026-06-01T11:00:00"),
        "not an object",
        {"event_id": "e5", "subject_id": "alice", "type": "purchase"},
    ]
    r = api.client.post("/v1/events", json={"events": events}, headers=api.ingest)
    assert r.status_code == 200
    body = r.json()
    assert body["accepted"] == 1
    assert body["duplicates"] == 2
    reasons = {x["index"]: x["reason"] for x in body["rejected"]}
    assert reasons[3] == "consent_required:personalization"
    assert reasons[4] == "consent_required:emotional_context"
    assert reasons[5].startswith("invalid:occurred_at:")
    assert reasons[6].startswith("invalid:event:")
    assert reasons[7].startswith("invalid:item_id:")
    assert [x["event_id"] for x in body["rejected"]] == ["e2", "e3", "e4", None, "e5"]
    assert api.app.stores.events.count() == 2


def test_atomic_batch_is_all_or_nothing(api: Api) -> None:
    grant(api, "alice", "personalization")
    stock(api, "i1")
    bad = {"events": [view("e1", "alice"), view("e2", "bob")]}
    r = api.client.post("/v1/events?atomic=true", json=bad, headers=api.ingest)
    assert r.status_code == 422
    assert r.json()["accepted"] == 0
    assert r.json()["rejected"][0]["index"] == 1
    assert api.app.stores.events.count() == 0
    good = {"events": [view("e1", "alice"), view("e2", "alice")]}
    r = api.client.post("/v1/events?atomic=true", json=good, headers=api.ingest)
    assert r.status_code == 200
    assert r.json()["accepted"] == 2


def test_too_many_events_is_413(api: Api) -> None:
    events = [view(f"e{i}", "alice") for i in range(10_001)]
    r = api.client.post("/v1/events", json={"events": events}, headers=api.ingest)
    assert r.status_code == 413
    assert r.json()["field"] == "events"


def test_malformed_bodies_are_4xx_naming_the_field(api: Api) -> None:
    h = {**api.ingest, "content-type": "application/json"}
    r = api.client.post("/v1/events", content=b'{"events": [', headers=h)
    assert r.status_code == 422
    assert r.json()["field"] == "body"
    r = api.client.post("/v1/events", json={"events": "many"}, headers=api.ingest)
    assert r.status_code == 422
    assert r.json()["field"] == "events"
    r = api.client.post("/v1/events", json={"rows": []}, headers=api.ingest)
    assert r.status_code == 422
    r = api.client.post("/v1/events", json={"events": []}, headers=api.ingest)
    assert r.status_code == 422
    assert r.json()["field"] == "events"


def test_huge_body_is_413(api: Api) -> None:
    api.app.settings.max_body_bytes  # noqa: B018 - the limit under test
    big = b'{"events": ["' + b"x" * (api.app.settings.max_body_bytes + 1) + b'"]}'
    r = api.client.post(
        "/v1/events", content=big, headers={**api.ingest, "content-type": "application/json"}
    )
    assert r.status_code == 413


def test_events_for_unknown_items_are_rejected_per_row(api: Api) -> None:
    grant(api, "alice", "personalization")
    stock(api, "i1")
    rows = [view("e1", "alice"), view("e2", "alice", item_id="i404"), view("e3", "alice")]
    r = api.client.post("/v1/events", json={"events": rows}, headers=api.ingest)
    assert r.status_code == 200, r.text
    assert r.json()["accepted"] == 2
    assert r.json()["rejected"] == [{"index": 1, "event_id": "e2", "reason": "unknown:item_id"}]
    assert api.app.stores.events.count() == 2
    r = api.client.post("/v1/events?atomic=true", json={"events": rows[1:]}, headers=api.ingest)
    assert r.status_code == 422 and r.json()["rejected"][0]["reason"] == "unknown:item_id"
