"""The serving cache gives the answer a fresh read would: a repeat request reuses the
prepared list, and any write about the person — by this worker or another one on the same
database — a new model, time passing a pause, or the cache's age limit ends it."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tactful.app import Tactful, build
from tactful.recommend.artifacts import FileModelStore
from tactful.settings import RecommendSettings, Settings
from tactful.store import MemoryStores
from tests.web.conftest import NOW, Api, Clock, _api, trained
from tests.web.test_recommendations import recs, seed


def ids(body: dict[str, Any]) -> list[str]:
    return [x["item_id"] for x in body["items"]]


def fan(api: Api) -> str:
    """Someone who viewed one running thing: the other running things are candidates."""
    seed(api)
    grant = {"decisions": [{"purpose": "personalization", "decision": "granted"}]}
    api.client.put("/v1/subjects/fan/consents", json=grant, headers=api.ingest)
    views = [
        {"event_id": f"fan-{i}", "subject_id": "fan", "type": "view", "item_id": i}
        for i in ("run0", "run1")
    ]
    r = api.client.post("/v1/events", json={"events": views}, headers=api.ingest)
    assert r.json()["accepted"] == 2
    assert len(ids(recs(api, "fan", limit=10))) >= 3
    return "fan"


def second_worker(api: Api) -> Api:
    """Another Tactful on the same database and model directory, as a second worker."""
    from tactful.sql import open_stores

    settings = api.app.settings
    other = build(
        settings,
        open_stores(settings.database_url),
        FileModelStore(settings.model_dir),
        clock=api.app.clock,
    )
    client = TestClient(create_app_for(other), raise_server_exceptions=False)
    return Api(client, other, api.admin, api.ingest, api.read, api.clock)


def create_app_for(app: Tactful) -> Any:
    from tactful.web import create_app

    return create_app(app.settings, app)


@pytest.fixture
def timed(tmp_path: Path) -> Iterator[tuple[Api, Clock]]:
    clock = Clock()
    settings = Settings(
        model_dir=tmp_path / "models", recommend=RecommendSettings(cache_seconds=600)
    )
    app = build(settings, MemoryStores(), FileModelStore(tmp_path / "models"), clock=clock)
    yield _api(app, clock), clock
    app.close()


def test_a_repeat_request_reuses_the_prepared_list(api: Api) -> None:
    who = fan(api)
    first = recs(api, who, limit=10)
    entry = api.app.recommendations.cache.get(who)
    assert entry is not None
    assert recs(api, who, limit=10) == first
    assert api.app.recommendations.cache.get(who) is entry  # not prepared again


def test_a_dismissal_ends_the_entry_at_once(api: Api) -> None:
    who = fan(api)
    top = ids(recs(api, who, limit=10))[0]
    entry = api.app.recommendations.cache.get(who)
    event = {"event_id": "d1", "subject_id": who, "type": "dismiss", "item_id": top}
    api.client.post("/v1/events", json={"events": [event]}, headers=api.ingest)
    assert top not in ids(recs(api, who, limit=10))
    assert api.app.recommendations.cache.get(who) is not entry


def test_writes_by_another_worker_are_seen_on_the_next_request(sql_api: Api) -> None:
    who = fan(sql_api)
    other = second_worker(sql_api)
    try:
        top = ids(recs(sql_api, who, limit=10))[0]
        event = {"event_id": "d1", "subject_id": who, "type": "dismiss", "item_id": top}
        r = other.client.post("/v1/events", json={"events": [event]}, headers=sql_api.ingest)
        assert r.json()["accepted"] == 1
        assert top not in ids(recs(sql_api, who, limit=10))

        budget = {"max_recommendations": 1}
        path = f"/v1/subjects/{who}"
        other.client.put(f"{path}/preferences", json=budget, headers=sql_api.ingest)
        assert len(recs(sql_api, who, limit=10)["items"]) == 1

        deny = {"decisions": [{"purpose": "personalization", "decision": "denied"}]}
        other.client.put(f"{path}/consents", json=deny, headers=sql_api.ingest)
        assert recs(sql_api, who, limit=10)["personalized"] is False
    finally:
        other.app.close()


def test_erasure_by_another_worker_leaves_nothing_cached_to_serve(sql_api: Api) -> None:
    who = fan(sql_api)
    other = second_worker(sql_api)
    try:
        assert recs(sql_api, who, limit=10)["personalized"] is True
        other.app.rights.erase(who)
        assert recs(sql_api, who, limit=10)["personalized"] is False
    finally:
        other.app.close()


def test_a_new_model_ends_every_entry(api: Api) -> None:
    who = fan(api)
    first = recs(api, who, limit=10)
    event = {"event_id": "x1", "subject_id": "c1", "type": "purchase", "item_id": "run5"}
    api.client.post("/v1/events", json={"events": [event]}, headers=api.ingest)
    trained(api.client, api.admin)
    again = recs(api, who, limit=10)  # the fan's own data did not change
    assert again["model_version"] != first["model_version"]


def test_the_end_of_a_pause_is_seen_without_any_write(timed: tuple[Api, Clock]) -> None:
    api, clock = timed
    who = fan(api)
    pause = {"pause_until": (NOW + timedelta(minutes=5)).isoformat()}
    api.client.put(f"/v1/subjects/{who}/preferences", json=pause, headers=api.ingest)
    paused = recs(api, who, limit=10)
    assert len(paused["items"]) <= api.app.settings.guards.distress_max_items
    clock.now = NOW + timedelta(minutes=6)  # well inside cache_seconds (600)
    after = recs(api, who, limit=10)
    assert len(after["items"]) > len(paused["items"])


def test_entries_older_than_cache_seconds_are_prepared_again(timed: tuple[Api, Clock]) -> None:
    api, clock = timed
    who = fan(api)
    entry = api.app.recommendations.cache.get(who)
    clock.now = NOW + timedelta(seconds=599)
    recs(api, who, limit=10)
    assert api.app.recommendations.cache.get(who) is entry
    clock.now = NOW + timedelta(seconds=600)
    recs(api, who, limit=10)
    assert api.app.recommendations.cache.get(who) is not entry


def test_a_zero_sized_cache_keeps_nothing(tmp_path: Path) -> None:
    settings = Settings(model_dir=tmp_path / "m", recommend=RecommendSettings(cache_size=0))
    clock = Clock()
    app = build(settings, MemoryStores(), FileModelStore(tmp_path / "m"), clock=clock)
    api = _api(app, clock)
    who = fan(api)
    first = recs(api, who, limit=10)
    assert recs(api, who, limit=10)["items"] == first["items"]
    assert len(app.recommendations.cache) == 0
    app.close()


def _shop_app(
    tmp_path: Path, name: str, cache_size: int, clock: Clock, url: str | None = None
) -> Tactful:
    import numpy as np

    from tactful.app.seed import seed as seed_shop
    from tactful.demo.shop import generate
    from tactful.sql import open_stores

    shop = generate(
        rng=np.random.default_rng(11), now=NOW, n_items=120, n_people=150, n_events=6000
    )
    settings = Settings(
        model_dir=tmp_path / name, recommend=RecommendSettings(cache_size=cache_size)
    )
    stores = open_stores(url) if url else MemoryStores()
    app = build(settings, stores, FileModelStore(tmp_path / name), clock=clock)
    seed_shop(app, shop, progress=lambda done, total: None)
    app.training.train()
    return app


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_cached_answers_equal_fresh_ones_on_the_demo_shop(tmp_path: Path, backend: str) -> None:
    """Everyone in a small demo shop, asked for six rounds as the clock moves on, for a
    proactive (home) and an asked-for (browse) list: with the cache, every answer (items,
    scores, reasons, held back) is the answer without it."""
    clock = Clock()
    url = f"sqlite:///{tmp_path / 'shop.db'}" if backend == "sqlite" else None
    cached = _shop_app(tmp_path, "cached", 10_000, clock, url)
    fresh = _shop_app(tmp_path, "fresh", 0, clock)
    people = sorted({e.subject_id for e in cached.stores.events.scan()})
    assert len(people) > 100
    try:
        for seconds in (0, 10, 20, 30, 40, 70):  # the last round is past cache_seconds
            clock.now = NOW + timedelta(seconds=seconds)
            for who in people:
                for context in ("home", "browse"):
                    got = cached.recommendations.recommend(who, context=context)
                    assert got == fresh.recommendations.recommend(who, context=context)
            if seconds == 40:  # by now, the retargeting cap made second lists
                assert (
                    sum(len(e.lists) for e in map(cached.recommendations.cache.get, people) if e)
                    > 150
                )
        assert len(cached.recommendations.cache) == len(people)
        # u0002 is bereaved: the two contexts' lists differ, and each is cached as itself
        home, browse = (
            cached.recommendations.recommend("u0002", context=c) for c in ("home", "browse")
        )
        assert home.items == () and browse.items
        entry = cached.recommendations.cache.get("u0002")
        assert entry is not None and {k[1] for k in entry.lists} >= {"home", "browse"}
    finally:
        cached.close()
        fresh.close()


def test_training_stores_the_score_scale_and_serving_uses_it(api: Api) -> None:
    from tactful.app.arrivals import NewArrivals
    from tactful.app.serving import prepare
    from tactful.recommend.scale import SCALE

    who = fan(api)
    model = api.app.live.get(api.app.settings.recommend.model)
    assert model is not None
    scale = model.manifest[SCALE]
    assert isinstance(scale, float) and scale > 0
    prepared = prepare(
        who,
        stores=api.app.stores,
        models=api.app.live,
        catalogue=api.app.catalogue.current(),
        settings=api.app.settings,
        policy=api.app.policy,
        now=NOW,
        limit=10,
        log=api.app.exposures,
        arrivals=NewArrivals(api.app.catalogue, api.app.live, api.app.settings.recommend),
    )
    assert prepared.ctx.score_scale == scale
    assert prepared.ctx.diversity_reference == 2.0 * scale
