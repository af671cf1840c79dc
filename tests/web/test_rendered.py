"""Rendered recommendation bodies live exactly as long as their recommendation, so what a
server keeps is bounded by the serving cache, and nothing with the cache off."""

from __future__ import annotations

import gc
from pathlib import Path

from fastapi.testclient import TestClient

from tactful.app import Recommendation, build
from tactful.recommend.artifacts import FileModelStore
from tactful.settings import Settings
from tactful.store import MemoryStores
from tactful.web import create_app
from tactful.web.api import subjects
from tactful.web.rendered import RenderedBodies
from tests.web.conftest import Api


def rec(subject: str) -> Recommendation:
    return Recommendation(subject, (), (), False, None)


def test_a_body_is_rendered_once_and_dropped_with_its_recommendation() -> None:
    bodies = RenderedBodies()
    first = rec("a")
    body = bodies.body(first)
    assert bodies.body(first) is body
    assert b'"subject_id":"a"' in body
    other = rec("b")
    assert bodies.body(other) != body and len(bodies) == 2
    del first
    gc.collect()
    assert len(bodies) == 1
    del other
    assert len(bodies) == 0


def test_at_most_size_bodies_are_kept() -> None:
    bodies = RenderedBodies(size=3)
    alive = [rec(str(i)) for i in range(10)]
    for r in alive:
        bodies.body(r)
    assert len(bodies) == 3
    assert RenderedBodies(size=0).body(alive[0]) == bodies.body(alive[0])


def test_bodies_kept_follow_the_serving_cache(api: Api, tmp_path: Path) -> None:
    gc.collect()
    before = len(subjects._BODIES)
    for i in range(200):
        r = api.client.get(f"/v1/subjects/p{i}/recommendations", headers=api.read)
        assert r.status_code == 200
    assert len(subjects._BODIES) - before <= len(api.app.recommendations.cache)
    api.app.recommendations.cache.clear()
    gc.collect()
    assert len(subjects._BODIES) == before

    settings = Settings(model_dir=tmp_path / "m", recommend={"cache_size": 0})
    off = build(settings, MemoryStores(), FileModelStore(tmp_path / "m"), clock=api.clock)
    client = TestClient(create_app(settings, off))
    secret = off.access.create_key("r", ["read"])[1]
    for i in range(200):
        r = client.get(
            f"/v1/subjects/p{i}/recommendations", headers={"Authorization": f"Bearer {secret}"}
        )
        assert r.status_code == 200
    gc.collect()
    assert len(subjects._BODIES) == before  # with the cache off, nothing is kept
    off.close()
