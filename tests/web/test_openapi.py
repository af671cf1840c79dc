"""The OpenAPI document: every body has a named schema, one per concept, and the event
row schema is there although rows are validated one by one by the ingest core."""

from __future__ import annotations

from typing import Any

from tactful.ingest.parse import FIELDS, NEEDS_ITEM
from tactful.types import EventType
from tests.web.conftest import Api
from tests.web.test_events import grant, view

METHODS = ("get", "put", "post", "delete", "patch")


def _doc(api: Api) -> dict[str, Any]:
    r = api.client.get("/openapi.json")
    assert r.status_code == 200
    doc: dict[str, Any] = r.json()
    return doc


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def _named(schema: dict[str, Any]) -> bool:
    """A ``$ref``, or a choice between ``$ref``s (or nothing: an optional body)."""
    if "$ref" in schema:
        return True
    options = schema.get("anyOf") or schema.get("oneOf") or []
    named = [o for o in options if o != {"type": "null"}]
    return bool(named) and all("$ref" in o for o in named)


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def test_every_request_and_json_response_body_has_a_named_schema(api: Api) -> None:
    doc = _doc(api)
    ops = _operations(doc)
    assert len(ops) >= 25
    unnamed = []
    for method, path, op in ops:
        bodies = [("request", op["requestBody"])] if "requestBody" in op else []
        bodies += [(status, r) for status, r in op["responses"].items()]
        for where, body in bodies:
            json_body = body.get("content", {}).get("application/json")
            if json_body is None or not _named(json_body["schema"]):
                unnamed.append(f"{method.upper()} {path} {where}")
    assert unnamed == []


def test_every_reference_resolves_and_no_concept_is_defined_twice(api: Api) -> None:
    doc = _doc(api)
    schemas = doc["components"]["schemas"]
    prefix = "#/components/schemas/"
    assert {r.removeprefix(prefix) for r in _refs(doc)} <= set(schemas)
    # pydantic names a second model of the same name after its module: none may be left
    assert [name for name in schemas if "__" in name] == []
    assert "HTTPValidationError" not in schemas  # our 422 body is ErrorOut
    assert set(schemas["ErrorOut"]["properties"]) == {"error", "message", "field", "errors"}
    assert schemas["ErrorOut"]["required"] == ["error", "message"]
    # one reason shape, used by recommendations, "why this?" and contact decisions alike
    reason = {"$ref": prefix + "ReasonOut"}
    for model in ("RecommendedOut", "WhyOut", "DecisionOut"):
        assert schemas[model]["properties"]["reasons"]["items"] == reason


def test_the_events_body_documents_the_event_row(api: Api) -> None:
    doc = _doc(api)
    schemas = doc["components"]["schemas"]
    body = doc["paths"]["/v1/events"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/EventBatch"}
    rows = schemas["EventBatch"]["properties"]["events"]
    assert rows["type"] == "array"
    assert rows["items"] == {"$ref": "#/components/schemas/EventIn"}
    event = schemas["EventIn"]
    assert set(event["properties"]) == FIELDS  # the fields the ingest core accepts
    assert sorted(event["required"]) == ["event_id", "subject_id", "type"]
    assert event["additionalProperties"] is False
    assert event["properties"]["type"] == {"$ref": "#/components/schemas/EventType"}
    assert schemas["EventType"]["enum"] == [t.value for t in EventType]
    occurred = event["properties"]["occurred_at"]["anyOf"][0]
    assert occurred == {"type": "string", "format": "date-time"}
    item_rule = event["properties"]["item_id"]["description"]
    assert all(t.value in item_rule for t in NEEDS_ITEM)
    assert "search" not in item_rule
    responses = doc["paths"]["/v1/events"]["post"]["responses"]
    atomic = {"$ref": "#/components/schemas/AtomicRejectionOut"}
    assert atomic in responses["422"]["content"]["application/json"]["schema"]["anyOf"]


def test_rows_against_the_schema_are_still_rejected_one_by_one(api: Api) -> None:
    """The schema documents rows; it does not turn one bad row into a 422 for the batch."""
    items = {"items": [{"item_id": "i1", "title": "Tent"}]}
    assert api.client.put("/v1/items", json=items, headers=api.ingest).status_code == 200
    grant(api, "alice", "personalization")
    events = [
        view("e1", "alice"),
        view("e2", "alice", type="teleport"),
        view("e3", "alice", value="lots"),
        view("e4", "alice", colour="red"),
        7,
        view("e5", "alice"),
        view("e6", "alice", occurred_at="2026-06-01T11:00:00"),
    ]
    r = api.client.post("/v1/events", json={"events": events}, headers=api.ingest)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["accepted"] == 2
    assert [(x["index"], x["event_id"]) for x in body["rejected"]] == [
        (1, "e2"),
        (2, "e3"),
        (3, "e4"),
        (4, None),
        (6, "e6"),
    ]
    reasons = [x["reason"] for x in body["rejected"]]
    assert reasons[0] == "invalid:type: unknown event type 'teleport'"
    assert reasons[1].startswith("invalid:value: must be a number")
    assert reasons[2] == "invalid:colour: is not a known event field"
    assert reasons[3] == "invalid:event: each event must be a JSON object, got number"
    assert reasons[4].startswith("invalid:occurred_at: must be timezone-aware")
    assert api.app.stores.events.count() == 2


def test_the_batch_itself_must_still_be_a_list(api: Api) -> None:
    r = api.client.post("/v1/events", json={"events": {"a": 1}}, headers=api.ingest)
    assert r.status_code == 422
    assert r.json()["field"] == "events"
