"""The ModelStore contract, run on every implementation (memory twin and files), and the
artifact codec."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from tactful.errors import InvalidInput, NotFound, StoreError
from tactful.recommend.artifacts import CODEC, FileModelStore
from tactful.recommend.interactions import Interactions
from tactful.recommend.itemknn import ItemKNN
from tactful.recommend.model import Model
from tactful.recommend.popularity import Popularity
from tactful.recommend.registry import make_scorer
from tactful.settings import RecommendSettings
from tactful.store import MemoryModelStore, ModelStore
from tactful.types import Item

T1 = datetime(2026, 11, 29, 1, 2, 3, tzinfo=UTC)


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ModelStore[Model]:
    if request.param == "memory":
        return MemoryModelStore(CODEC)
    return FileModelStore(tmp_path / "models")


def test_a_saved_model_loads_with_identical_scores_and_its_manifest(
    store: ModelStore[Model], checkerboard: Interactions
) -> None:
    model = ItemKNN(neighbours=3).fit(checkerboard)
    snapshot = {"purpose": "personalization", "consented_subjects": 18}
    version = store.save(model, {"consent_snapshot": snapshot}, now=T1)
    assert version.startswith("itemknn-20261129T010203Z-")
    assert len(version.rsplit("-", 1)[1]) == 6
    loaded, manifest = store.load(version)
    assert np.array_equal(
        loaded.score_batch(checkerboard.matrix), model.score_batch(checkerboard.matrix)
    )
    assert manifest["model"] == "itemknn"
    assert manifest["version"] == version
    assert manifest["created_at"] == T1.isoformat()
    assert manifest["data"] == {"subjects": 18, "items": 17, "interactions": 90}
    assert manifest["parameters"] == {"neighbours": 3}
    assert manifest["consent_snapshot"] == snapshot
    assert manifest["metrics"] is None


def test_versions_sort_by_time_and_latest_is_per_name(
    store: ModelStore[Model], checkerboard: Interactions
) -> None:
    pop = Popularity().fit(checkerboard)
    knn = ItemKNN(neighbours=2).fit(checkerboard)
    v_knn_old = store.save(knn, now=T1)
    v_pop = store.save(pop, now=T1 + timedelta(seconds=5))
    v_knn_new = store.save(knn, {"metrics": {"ndcg@10": 0.3}}, now=T1 + timedelta(hours=1))
    assert store.versions() == [v_knn_old, v_pop, v_knn_new]
    assert store.versions("popularity") == [v_pop]
    assert store.latest("itemknn") == v_knn_new
    assert store.latest() == v_knn_new
    assert store.latest("ease") is None
    assert store.load(v_knn_new)[1]["metrics"] == {"ndcg@10": 0.3}


def test_the_same_model_saved_twice_in_a_second_is_one_version(
    store: ModelStore[Model], checkerboard: Interactions
) -> None:
    model = Popularity().fit(checkerboard)
    first = store.save(model, now=T1)
    assert store.save(model, now=T1) == first
    assert store.save(model, {"note": "other"}, now=T1) != first
    assert len(store.versions()) == 2


def test_unknown_versions_bad_times_and_reserved_keys_are_refused(
    store: ModelStore[Model], checkerboard: Interactions
) -> None:
    model = Popularity().fit(checkerboard)
    for version in ("popularity-20261129T010203Z-abcdef", "../../etc/passwd"):
        with pytest.raises(NotFound):
            store.load(version)
    with pytest.raises(InvalidInput) as err:
        store.save(model, now=datetime(2026, 1, 1))
    assert err.value.field == "now"
    with pytest.raises(InvalidInput) as err:
        store.save(model, {"version": "mine"}, now=T1)
    assert err.value.field == "manifest_extra"


def test_delete_removes_a_version(store: ModelStore[Model], checkerboard: Interactions) -> None:
    version = store.save(Popularity().fit(checkerboard), now=T1)
    assert store.delete(version) is True
    assert store.versions() == []
    assert store.delete(version) is False


@pytest.mark.parametrize("name", ["cold_start", "blend"])
def test_a_blend_round_trips_under_its_serving_name(
    name: str, store: ModelStore[Model], checkerboard: Interactions, catalogue: list[Item]
) -> None:
    settings = RecommendSettings(als_factors=4, als_iterations=3)
    model = make_scorer(name, settings, items=catalogue).fit(checkerboard)
    version = store.save(model, now=T1)
    assert store.latest(name) == version
    loaded, manifest = store.load(version)
    assert loaded.name == manifest["model"] == name
    assert loaded.score({"A0": 1.0}, n=5) == model.score({"A0": 1.0}, n=5)


def test_a_damaged_artifact_is_caught_on_load(tmp_path: Path, checkerboard: Interactions) -> None:
    store = FileModelStore(tmp_path)
    model = Popularity().fit(checkerboard)
    version = store.save(model, now=T1)
    arrays, _ = model.to_arrays()
    arrays["totals"] = arrays["totals"] + 1.0
    np.savez(tmp_path / f"{version}.npz", **arrays)
    with pytest.raises(StoreError):
        store.load(version)
    manifest = json.loads((tmp_path / f"{version}.json").read_text())
    assert manifest["digest"]
