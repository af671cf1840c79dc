"""Spark training on local[2] against the local trainer, on a fixture whose answer is known:
two taste groups, each person has seen part of their group's items."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from tactful.app.training import LocalEngine, train
from tactful.consent.policy import ConsentPolicy
from tactful.errors import InvalidInput
from tactful.recommend.artifacts import memory_models
from tactful.recommend.model import Model
from tactful.settings import RecommendSettings
from tactful.spark import HAS_SPARK, SparkEngine
from tactful.store import MemoryModelStore
from tactful.store.memory import MemoryStores
from tactful.types import ConsentRecord, Decision, Event, EventType, Item, Purpose

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not HAS_SPARK, reason="needs the [spark] extra"),
]

NOW = datetime(2026, 12, 1, tzinfo=UTC)
PEOPLE, ITEMS, GROUP = 40, 20, 10
OVERLAP = 0.7
"""Least mean share of each person's top 5 that both engines recommend (measured: 0.79)."""
SETTINGS = RecommendSettings(model="als", als_factors=4, als_iterations=10, als_alpha=5.0)


def shop() -> MemoryStores:
    rng = np.random.default_rng(3)
    stores = MemoryStores()
    stores.items.upsert([Item(f"i{j:02d}", f"item {j}") for j in range(ITEMS)])
    records, events = [], []
    for p in range(PEOPLE):
        who = f"p{p:02d}"
        granted = p != PEOPLE - 1  # the last person denied: never trained on
        decision = Decision.GRANTED if granted else Decision.DENIED
        records.append(ConsentRecord(who, Purpose.PERSONALIZATION, decision, NOW))
        group = (p % 2) * GROUP
        for j in rng.choice(GROUP, 4, replace=False):
            kind = EventType.PURCHASE if rng.random() < 0.3 else EventType.VIEW
            at = NOW - timedelta(days=1)
            events.append(Event(f"e{len(events)}", who, kind, at, item_id=f"i{group + j:02d}"))
    stores.consents.append(records)
    stores.events.add(events)
    return stores


@pytest.fixture(scope="module")
def engine() -> Iterator[SparkEngine]:
    spark = SparkEngine(master="local[2]")
    yield spark
    spark.close()


@pytest.fixture(scope="module")
def trained(engine: SparkEngine) -> tuple[MemoryStores, MemoryModelStore[Model], list[str]]:
    stores, models = shop(), memory_models()
    local = train(stores, models, SETTINGS, ConsentPolicy(), now=NOW, engine=LocalEngine())
    later = NOW + timedelta(seconds=1)
    spark = train(stores, models, SETTINGS, ConsentPolicy(), now=later, engine=engine)
    assert (spark.subjects, spark.items, spark.interactions) == (
        local.subjects,
        local.items,
        local.interactions,
    )
    return stores, models, [local.model_version, spark.model_version]


def test_spark_als_recommends_what_the_local_als_does(
    trained: tuple[MemoryStores, MemoryModelStore[Model], list[str]],
) -> None:
    _, models, versions = trained
    (local, _), (spark, _) = (models.load(v) for v in versions)
    data = local.interactions_  # type: ignore[attr-defined]
    shares, in_group = [], []
    for who in data.subjects:
        history = data.history_of(who)
        mine = {t for t in local.rank(history, n=5, exclude=history).items}
        theirs = spark.rank(history, n=5, exclude=history).items
        shares.append(len(mine & set(theirs)) / 5)
        group = int(who[1:]) % 2
        in_group.append(np.mean([int(t[1:]) // GROUP == group for t in theirs]))
    assert np.mean(shares) >= OVERLAP
    assert np.mean(in_group) >= 0.8  # mostly the person's own group (measured: 0.87)


def test_the_artifacts_have_the_same_fields_and_say_which_engine(
    trained: tuple[MemoryStores, MemoryModelStore[Model], list[str]],
) -> None:
    _, models, versions = trained
    (_, local), (_, spark) = (models.load(v) for v in versions)
    assert set(local) == set(spark)
    assert (local["engine"], spark["engine"]) == ("local", "spark")
    assert local["model"] == spark["model"] == "als"
    assert local["parameters"] == spark["parameters"]
    assert local["data"] == spark["data"]
    assert spark["consent_snapshot"]["consented_subjects"] == PEOPLE - 1


def test_a_spark_artifact_forgets_like_any_als(
    trained: tuple[MemoryStores, MemoryModelStore[Model], list[str]],
) -> None:
    _, models, versions = trained
    spark, _ = models.load(versions[1])
    before = spark.counts_["subjects"]
    spark.forget({"p00"})
    assert spark.counts_["subjects"] == before - 1
    assert "p00" not in spark.interactions_.subjects  # type: ignore[attr-defined]


def test_spark_trains_only_what_it_can(engine: SparkEngine) -> None:  # ease: local only
    with pytest.raises(InvalidInput) as err:
        train(shop(), memory_models(), RecommendSettings(), ConsentPolicy(), now=NOW, engine=engine)
    assert err.value.field == "training.engine"
    assert "'ease'" in str(err.value)


def test_spark_refuses_bm25_item_knn_before_starting_a_session() -> None:
    engine = SparkEngine(master="local[2]")
    bm25 = RecommendSettings(model="itemknn", knn_weighting="bm25")
    with pytest.raises(InvalidInput) as err:
        train(shop(), memory_models(), bm25, ConsentPolicy(), now=NOW, engine=engine)
    assert err.value.field == "recommend.knn_weighting"
    assert engine._session is None


KNN = RecommendSettings(model="itemknn", knn_neighbours=5)
KNN_OVERLAP = 0.95
"""Least mean share of each person's top 5 both engines recommend (measured: 1.0; only a
tie broken differently by rounding could move an item)."""


@pytest.fixture(scope="module")
def knn(engine: SparkEngine) -> tuple[MemoryModelStore[Model], list[str]]:
    stores, models = shop(), memory_models()
    local = train(stores, models, KNN, ConsentPolicy(), now=NOW, engine=LocalEngine())
    later = NOW + timedelta(seconds=1)
    spark = train(stores, models, KNN, ConsentPolicy(), now=later, engine=engine)
    return models, [local.model_version, spark.model_version]


def test_spark_itemknn_keeps_the_local_neighbours(
    knn: tuple[MemoryModelStore[Model], list[str]],
) -> None:
    models, versions = knn
    (local, local_manifest), (spark, spark_manifest) = (models.load(v) for v in versions)
    a, b = local.similarity_, spark.similarity_  # type: ignore[attr-defined]
    assert a.shape == b.shape
    assert np.diff(b.indptr).max() <= KNN.knn_neighbours
    assert np.abs((a - b).toarray()).max() < 1e-9
    data = local.interactions_  # type: ignore[attr-defined]
    shares = []
    for who in data.subjects:
        history = data.history_of(who)
        mine = set(local.rank(history, n=5, exclude=history).items)
        shares.append(len(mine & set(spark.rank(history, n=5, exclude=history).items)) / 5)
    assert np.mean(shares) >= KNN_OVERLAP
    assert (local_manifest["engine"], spark_manifest["engine"]) == ("local", "spark")
    assert local_manifest["parameters"] == spark_manifest["parameters"]
    assert set(local_manifest) == set(spark_manifest)


def test_a_spark_itemknn_forgets_exactly_like_a_local_one(
    knn: tuple[MemoryModelStore[Model], list[str]],
) -> None:
    models, versions = knn
    (local, _), (spark, _) = (models.load(v) for v in versions)
    local.forget({"p00", "p03"})
    spark.forget({"p00", "p03"})
    gap = (local.similarity_ - spark.similarity_).toarray()  # type: ignore[attr-defined]
    assert np.abs(gap).max() < 1e-9
    assert "p00" not in spark.interactions_.subjects  # type: ignore[attr-defined]
