"""ALS on Spark: ``pyspark.ml.recommendation.ALS`` with the local ALS's parameters."""

from __future__ import annotations

from typing import Any

import numpy as np

from tactful.recommend.factor import ALS
from tactful.recommend.interactions import Interactions
from tactful.recommend.registry import make_scorer
from tactful.settings import RecommendSettings


def train_als(spark: Any, path: str, data: Interactions, settings: RecommendSettings) -> ALS:
    """Implicit-feedback ALS over the Parquet at ``path``; the factors come back as the
    local ``ALS`` model (items without interactions get zero factors, never ranked)."""
    from pyspark.ml import recommendation

    model = make_scorer("als", settings)
    if not isinstance(model, ALS):
        raise TypeError(f"make_scorer('als') gave {type(model).__name__}")
    als = recommendation.ALS(
        rank=settings.als_factors,
        maxIter=settings.als_iterations,
        regParam=settings.als_regularization,
        alpha=settings.als_alpha,
        implicitPrefs=True,
        seed=settings.model_seed,
        userCol="user",
        itemCol="item",
        ratingCol="weight",
    )
    fitted = als.fit(spark.read.parquet(path))
    users = _factors(fitted.userFactors.collect(), len(data.subjects), settings.als_factors)
    items = _factors(fitted.itemFactors.collect(), len(data.items), settings.als_factors)
    return model.with_factors(data, users, items)


def _factors(rows: list[Any], count: int, rank: int) -> np.ndarray:
    out = np.zeros((count, rank), dtype=np.float32)
    for row in rows:
        out[int(row["id"])] = np.asarray(row["features"], dtype=np.float32)
    return out
