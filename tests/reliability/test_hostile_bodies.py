"""Hostile bodies, as an outsider sends them, on SQLite and PostgreSQL: each answers the
documented error body (never a 5xx), and every table holds the same rows afterwards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from tactful.sql import metadata
from tests.web.conftest import Api

ADMIN_ONLY = ("audit_head",)


def counts(api: Api) -> dict[str, int]:
    engine = api.app.stores.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return {
            t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0)
            for t in metadata.sorted_tables
        }


def error_body(body: dict[str, Any]) -> None:
    assert {"error", "message", "field"} <= set(body) <= {"error", "message", "field", "errors"}


def seed(api: Api) -> None:
    r = api.client.put(
        "/v1/items", json={"items": [{"item_id": "i1", "title": "A kettle"}]}, headers=api.admin
    )
    assert r.status_code == 200
    r = api.client.put(
        "/v1/subjects/u1/consents",
        json={"decisions": [{"purpose": "personalization", "decision": "granted"}]},
        headers=api.admin,
    )
    assert r.status_code == 200


def raw(api: Api, method: str, path: str, body: bytes) -> Any:
    headers = {**api.admin, "content-type": "application/json"}
    return api.client.request(method, path, content=body, headers=headers)


SURROGATE = b'"\\ud800"'
NUL = b'"a\\u0000b"'

CASES = [
    ("PUT", "/v1/subjects/u1/preferences", b'{"muted_categories": [%s]}', "muted_categories[0]"),
    ("PUT", "/v1/subjects/u1/preferences", b'{"timezone": %s}', "timezone"),
    ("POST", "/v1/events", b'{"events": [{"event_id": %s, "subject_id": "u1", "type": "search"}]}',
     "events[0].event_id"),
    ("POST", "/v1/events",
     b'{"events": [{"event_id": "e1", "subject_id": "u1", "type": "feedback_text", "text": %s}]}',
     "events[0].text"),
    ("PUT", "/v1/items", b'{"items": [{"item_id": "i2", "title": %s}]}', "items[0].title"),
    ("PUT", "/v1/subjects/u1/consents",
     b'{"decisions": [{"purpose": "analytics", "decision": "granted", "source": %s}]}',
     "decisions[0].source"),
    ("POST", "/v1/subjects/u1/contact-decisions",
     b'{"message_id": %s, "kind": "promotional", "channel": "email"}', "message_id"),
]  # fmt: skip


@pytest.fixture
def hostile(sql_api: Api) -> Iterator[Api]:
    seed(sql_api)
    yield sql_api


@pytest.mark.parametrize("character", [SURROGATE, NUL], ids=["surrogate", "nul"])
@pytest.mark.parametrize("case", CASES, ids=[c[3] for c in CASES])
def test_unstorable_strings_are_a_422_naming_the_field_and_write_nothing(
    hostile: Api, character: bytes, case: tuple[str, str, bytes, str]
) -> None:
    method, path, template, field = case
    before = counts(hostile)
    r = raw(hostile, method, path, template % character)
    assert r.status_code == 422, r.text
    error_body(r.json())
    assert r.json()["field"] == field
    assert counts(hostile) == before
    # the person's data still reads and exports
    assert (
        hostile.client.get("/v1/subjects/u1/preferences", headers=hostile.admin).status_code == 200
    )
    assert hostile.client.get("/v1/subjects/u1/export", headers=hostile.admin).status_code == 200


@pytest.mark.parametrize(
    "path", ["/v1/subjects/a%00b/consents", "/v1/subjects/u1/consents?x=%00", "/v1/items/%00"]
)
def test_a_nul_in_the_path_or_query_is_a_422(hostile: Api, path: str) -> None:
    before = counts(hostile)
    r = hostile.client.get(path, headers=hostile.admin)
    assert r.status_code == 422, r.text
    error_body(r.json())
    assert counts(hostile) == before


def test_a_list_where_a_string_is_expected_rejects_only_its_row(hostile: Api) -> None:
    rows = [
        {"event_id": "bad", "subject_id": ["u1"], "type": "search"},
        {"event_id": ["x"], "subject_id": "u1", "type": "search"},
        {"event_id": "ok", "subject_id": "u1", "type": "search"},
        {"event_id": "obj", "subject_id": "u1", "type": {"a": 1}},
    ]
    before = counts(hostile)
    r = hostile.client.post("/v1/events", json={"events": rows}, headers=hostile.admin)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["accepted"] == 1
    assert [x["index"] for x in body["rejected"]] == [0, 1, 3]
    assert body["rejected"][0]["reason"] == "invalid:subject_id: must be a string, got list"
    assert counts(hostile)["events"] == before["events"] + 1


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b'{"events": [{"event_id": "\xff\xfe"}]}', 422),  # not UTF-8
        (b"[" * 50_000 + b"]" * 50_000, 422),  # nested far too deeply
        (b'{"events": [', 422),  # truncated
    ],
    ids=["not-utf8", "deep", "truncated"],
)
def test_unreadable_bodies_get_the_error_body(hostile: Api, body: bytes, status: int) -> None:
    before = counts(hostile)
    r = raw(hostile, "POST", "/v1/events", body)
    assert r.status_code == status, r.text
    error_body(r.json())
    assert r.json()["field"] == "body"
    assert counts(hostile) == before


def test_unknown_routes_and_wrong_methods_get_the_error_body(hostile: Api) -> None:
    r = hostile.client.get("/v1/nowhere", headers=hostile.admin)
    assert r.status_code == 404 and r.json()["field"] == "path"
    r = hostile.client.patch("/v1/events", headers=hostile.admin)
    assert r.status_code == 405 and r.json()["field"] == "method"


def test_mixed_good_and_bad_rows_store_exactly_the_good_ones(hostile: Api) -> None:
    rows: list[Any] = [
        {"event_id": f"g{i}", "subject_id": "u1", "type": "view", "item_id": "i1"} for i in range(5)
    ]
    rows += [
        7,
        {"event_id": "n", "subject_id": "u1", "type": "view", "item_id": "nope"},
        {"event_id": "t", "subject_id": "u1", "type": "search", "occurred_at": "0001-01-01Z"},
        {"event_id": "v", "subject_id": "u1", "type": "rating", "item_id": "i1", "value": "inf"},
    ]
    before = counts(hostile)
    r = hostile.client.post("/v1/events", json={"events": rows}, headers=hostile.admin)
    assert r.status_code == 200, r.text
    assert r.json()["accepted"] == 5
    reasons = [x["reason"].split(":")[0:2] for x in r.json()["rejected"]]
    assert reasons == [["invalid", "event"], ["unknown", "item_id"],
                       ["invalid", "occurred_at"], ["invalid", "value"]]  # fmt: skip
    assert counts(hostile)["events"] == before["events"] + 5


def test_huge_ttl_and_numbers_out_of_range_are_422(hostile: Api) -> None:
    before = counts(hostile)
    for body in ({"ttl_minutes": 10**13}, {"ttl_minutes": 0}):
        r = hostile.client.post("/v1/subjects/u1/tokens", json=body, headers=hostile.admin)
        assert r.status_code == 422 and r.json()["field"] == "ttl_minutes"
    big = {"muted_categories": ["x"] * 10_000}
    r = hostile.client.put("/v1/subjects/u1/preferences", json=big, headers=hostile.admin)
    assert r.status_code == 422 and r.json()["field"] == "muted_categories"
    caps = {"max_messages_per_week": {"email": 10**12}}
    r = hostile.client.put("/v1/subjects/u1/preferences", json=caps, headers=hostile.admin)
    assert r.status_code == 422
    assert counts(hostile) == {**before, "audit_log": counts(hostile)["audit_log"]}
    assert json.dumps(r.json())
