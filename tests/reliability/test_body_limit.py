"""The body limit holds for every route, whether the body declares its length or arrives
chunked: past ``max_body_bytes`` the answer is 413 with the error body, and the bytes
are counted as they arrive (reading stops at the limit)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tactful.web import create_app
from tests.reliability.servers import servers
from tests.web.conftest import Api

LIMIT = 1024  # the smallest limit settings allow


def chunks(total: int, size: int = 256) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b" " * min(size, total - sent)
        sent += size


def test_every_route_refuses_a_chunked_body_past_the_limit(api: Api) -> None:
    settings = api.app.settings.model_copy(update={"max_body_bytes": LIMIT})
    client = api.client.__class__(create_app(settings, api.app), raise_server_exceptions=False)
    paths = client.get("/openapi.json").json()["paths"]
    routes = [(m.upper(), re.sub(r"\{[^}]+\}", "x", p)) for p, ms in paths.items() for m in ms]
    assert len(routes) > 20
    for method, path in [*routes, ("GET", "/me"), ("POST", "/nowhere")]:
        # no content-length: the body comes chunked
        r = client.request(method, path, content=chunks(LIMIT * 50), headers=api.admin)
        assert r.status_code == 413, (method, path, r.text)
        assert r.json()["error"] == "payload_too_large"
        assert r.json()["field"] == "body"
    assert api.app.stores.events.count() == 0


def test_a_declared_length_past_the_limit_is_refused_unread(api: Api) -> None:
    settings = api.app.settings.model_copy(update={"max_body_bytes": LIMIT})
    client = api.client.__class__(create_app(settings, api.app), raise_server_exceptions=False)
    r = client.post("/v1/events", content=b"x" * (LIMIT + 1), headers=api.admin)
    assert r.status_code == 413
    r = client.post("/v1/events", json={"events": [{"a": "b"}]}, headers=api.admin)
    assert r.status_code == 200  # under the limit: through to the route


@pytest.mark.slow
def test_a_real_server_answers_413_to_a_chunked_upload(
    tmp_path: Path, backend_url: Callable[[str], str]
) -> None:
    extra = {"TACTFUL_MAX_BODY_BYTES": str(64 * 1024)}
    with servers(backend_url("sqlite"), tmp_path, 1, **extra) as (server,):
        try:
            r = server.client.post(
                "/v1/events",
                content=chunks(20_000_000, 64 * 1024),
                headers={"content-type": "application/json"},
            )
        except httpx.TransportError:
            pytest.fail("the server dropped the connection instead of answering 413")
        assert r.status_code == 413
        assert r.json()["error"] == "payload_too_large"
        assert server.client.get("/healthz").status_code == 200
