"""Spark's ALS as a model of the evaluation harness (``benchmarks/accuracy.py --spark``).

``SparkALS.fit`` stages the interactions as Parquet, fits ``pyspark.ml``'s ALS with these
parameters through the same trainer ``tactful train --engine spark`` uses, and scores like
the local ``ALS`` it returns (training users by their learned factors).
"""

from __future__ import annotations

from typing import Any, Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from tactful.errors import NotFitted
from tactful.recommend.factor import ALS
from tactful.recommend.interactions import Interactions
from tactful.settings import RecommendSettings
from tactful.spark.als import train_als
from tactful.spark.engine import SparkEngine, write_parquet
from tactful.types import ItemId


class SparkALS:
    """pyspark ALS (implicit feedback) with ``factors``, ``regularization`` (Spark's
    ``regParam``), ``alpha`` and ``iterations``, on the engine's session."""

    def __init__(self, engine: SparkEngine, **params: Any) -> None:
        self.engine = engine
        self.params = dict(params)
        self.items_: tuple[ItemId, ...] = ()
        self._model: ALS | None = None

    def fit(self, interactions: Interactions) -> Self:
        settings = RecommendSettings(
            model="als",
            als_factors=int(self.params["factors"]),
            als_regularization=float(self.params["regularization"]),
            als_alpha=float(self.params["alpha"]),
            als_iterations=int(self.params["iterations"]),
            model_seed=int(self.params.get("seed", 0)),
        )
        spark = self.engine.session()
        with self.engine.staged(spark) as path:
            write_parquet(spark, interactions, path)
            self._model = train_als(spark, path, interactions, settings)
        self.items_ = interactions.items
        return self

    def score_users(self, users: npt.NDArray[np.int64], rows: sp.csr_matrix) -> np.ndarray:
        if self._model is None:
            raise NotFitted("Spark ALS is not fitted")
        return self._model.score_users(users, rows)

    def score_batch(self, rows: sp.csr_matrix) -> np.ndarray:
        if self._model is None:
            raise NotFitted("Spark ALS is not fitted")
        return self._model.score_batch(rows)
