"""Choosing the training engine from settings, and the error when pyspark is missing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tactful.app.training import LocalEngine, engine_for
from tactful.errors import InvalidInput
from tactful.recommend.interactions import Interactions
from tactful.settings import RecommendSettings, TrainingSettings
from tactful.spark import SparkEngine
from tactful.spark import engine as spark_engine

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_the_setting_picks_the_engine() -> None:
    assert isinstance(engine_for(TrainingSettings()), LocalEngine)
    spark = engine_for(TrainingSettings(engine="spark", spark_master="spark://h:7077"))
    assert isinstance(spark, SparkEngine)
    assert (spark.name, spark.master) == ("spark", "spark://h:7077")


def test_without_pyspark_the_error_names_the_setting_and_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(spark_engine, "HAS_SPARK", False)
    data = Interactions.from_triples(["s"], ["i"], [1.0])
    with pytest.raises(InvalidInput) as err:
        SparkEngine().fit("als", data, RecommendSettings(model="als"), [])
    assert err.value.field == "training.engine"
    assert "[spark]" in str(err.value)
