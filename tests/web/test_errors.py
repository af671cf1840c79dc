"""Every error the service answers has the documented body ``{"error", "message",
"field"?}``: the framework's own (unknown route, wrong method) as much as ours."""

from __future__ import annotations

from typing import Any

import pytest

from tactful.web.errors import ErrorOut
from tests.web.conftest import Api


def _error(body: dict[str, Any]) -> ErrorOut:
    assert {"error", "message"} <= set(body) <= {"error", "message", "field", "errors"}
    return ErrorOut.model_validate(body)


@pytest.mark.parametrize("path", ["/nope", "/v1/nothing/here", "/v1/items/i1/extra"])
def test_an_unknown_route_is_a_404_with_the_error_body(api: Api, path: str) -> None:
    r = api.client.get(path, headers=api.read)
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"error": "not_found", "message": f"nothing at {path}", "field": "path"}


def test_a_wrong_method_is_a_405_naming_the_allowed_ones(api: Api) -> None:
    r = api.client.delete("/v1/events", headers=api.admin)
    assert r.status_code == 405
    assert r.headers["allow"] == "POST"
    err = _error(r.json())
    assert err.error == "method_not_allowed"
    assert err.message == "DELETE is not allowed on /v1/events; allowed: POST"

    r = api.client.post("/v1/subjects/u1/consents", json={}, headers=api.admin)
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, PUT"
    assert _error(r.json()).error == "method_not_allowed"


def test_an_unknown_docs_asset_is_a_404_with_the_error_body(api: Api) -> None:
    r = api.client.get("/docs-assets/missing.js")
    assert r.status_code == 404
    assert _error(r.json()).error == "not_found"


def test_errors_of_the_tree_and_of_validation_keep_the_same_body(api: Api) -> None:
    r = api.client.get("/v1/items/i1")
    assert r.status_code == 401
    assert _error(r.json()).error == "unauthorized"
    r = api.client.get("/v1/items/missing", headers=api.read)
    assert r.status_code == 404
    assert _error(r.json()).field == "item_id"
    bad = {"items": [{"item_id": "i1", "title": "x", "price": -1}]}
    r = api.client.put("/v1/items", json=bad, headers=api.ingest)
    assert r.status_code == 422
    err = _error(r.json())
    assert err.field == "items[0].price"
    assert err.errors is not None and err.errors[0].field == "items[0].price"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/v1/subjects/u1/preferences",
            {"pause_until": "2026-06-10T09:00:00"},
            "pause_until",
        ),
        (
            "/v1/subjects/u1/contact-decisions",
            {"message_id": "m1", "kind": "promotional", "channel": "email",
             "at": "2026-06-01T13:00:00"},
            "at",
        ),
    ],
)  # fmt: skip
def test_a_naive_datetime_is_a_422_naming_the_field(
    api: Api, path: str, body: dict[str, Any], field: str
) -> None:
    send = api.client.put if path.endswith("preferences") else api.client.post
    r = send(path, json=body, headers=api.ingest)
    assert r.status_code == 422, r.text
    err = _error(r.json())
    assert err.error == "invalid_input"
    assert err.field == field
    assert "timezone" in err.message
    aware = {**body, field: body[field] + "+02:00"}
    assert send(path, json=aware, headers=api.ingest).status_code == 200


def test_a_naive_outcome_time_is_a_422_naming_the_field(api: Api) -> None:
    path = "/v1/subjects/u1/contact-decisions/d1/outcome"
    r = api.client.post(
        path, json={"outcome": "opened", "at": "2026-06-01T13:00"}, headers=api.ingest
    )
    assert r.status_code == 422
    assert _error(r.json()).field == "at"
