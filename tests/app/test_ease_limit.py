"""Large catalogues (issue 16): past ``recommend.ease_max_items`` training skips EASE, trains
the best model that scales (ALS) and serves it in EASE's place, with a warning in the train
report; back under the limit, EASE serves again."""

from __future__ import annotations

from pathlib import Path

import pytest

from tactful.app import build
from tactful.app.training import choose_model
from tactful.recommend.artifacts import FileModelStore
from tactful.recommend.interactions import Interactions
from tactful.settings import RecommendSettings, Settings
from tactful.store import MemoryStores
from tactful.types import ConsentRecord, Decision, Item, Purpose
from tests.web.conftest import NOW, Api, Clock, _api, trained

DATA = Interactions.from_triples(
    ["a", "a", "b", "b", "c"], ["i1", "i2", "i2", "i3", "i4"], [1.0] * 5,
    item_universe=["i1", "i2", "i3", "i4", "i5"],
)  # fmt: skip


@pytest.mark.parametrize("model", ["ease", "blend"])
def test_past_the_limit_ease_gives_way_to_als(model: str) -> None:
    settings = RecommendSettings.model_validate({"model": model, "ease_max_items": 3})
    chosen, (warning,) = choose_model(settings, DATA)
    assert chosen == "als"
    assert "EASE skipped: 4 items have interactions" in warning  # i5 has none
    assert "recommend.ease_max_items (3)" in warning and "0.0 GB (float32)" in warning
    roomy = settings.model_copy(update={"ease_max_items": 4})
    assert choose_model(roomy, DATA) == (model, ())


def test_other_models_do_not_care() -> None:
    assert choose_model(RecommendSettings(model="itemknn", ease_max_items=1), DATA) == (
        "itemknn",
        (),
    )


def test_the_serving_default_falls_back_and_says_so(tmp_path: Path) -> None:
    clock = Clock()
    settings = Settings(model_dir=tmp_path, recommend=RecommendSettings(ease_max_items=3))
    app = build(settings, MemoryStores(), FileModelStore(tmp_path), clock=clock)
    api: Api = _api(app, clock)
    try:
        app.catalogue.upsert([Item(f"i{k}", f"Thing {k}", ("x",)) for k in range(1, 7)])
        people = ("a", "b", "c", "d")
        app.stores.consents.append(
            [ConsentRecord(p, Purpose.PERSONALIZATION, Decision.GRANTED, NOW) for p in people]
        )
        rows = [{"event_id": f"{p}{k}", "subject_id": p, "type": "purchase", "item_id": f"i{k}"}
                for n, p in enumerate(people) for k in range(1, 7) if (k + n) % 3]  # fmt: skip
        assert app.ingestion.record(rows).accepted == len(rows)
        report = trained(api.client, api.admin)
        assert report["model"] == "als"
        (warning,) = report["warnings"]
        assert warning.startswith("EASE skipped: 6 items have interactions")
        assert app.models.latest("ease") is None  # EASE was never fitted
        assert app.models.latest("als") == report["model_version"]
        rec = app.recommendations.recommend("a")
        assert rec.personalized and rec.model_version == report["model_version"]
        health = api.client.get("/healthz").json()
        assert health["model_version"] == report["model_version"]
        roomy = Settings(model_dir=tmp_path, recommend=RecommendSettings(ease_max_items=100))
        again = build(roomy, app.stores, FileModelStore(tmp_path), clock=clock)
        report2 = again.training.train()
        assert report2.model == "ease" and report2.warnings == ()
        assert again.recommendations.recommend("a").model_version == report2.model_version
    finally:
        app.close()
