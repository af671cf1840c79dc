"""Item-kNN on Spark: item–item cosine over the consented matrix, top-k neighbours per item.

The same similarity the local ``ItemKNN`` computes: each item column is scaled to unit
length, co-occurrence products are summed per item pair through a self-join on the person,
self-pairs and non-positive values are dropped, and each item keeps its ``k`` largest values
(value descending, then column ascending, as locally). The result comes back as the local
model, so serving, ``why``, exact forgetting and erasure are those of any item-kNN artifact.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from tactful.recommend.interactions import Interactions
from tactful.recommend.itemknn import ItemKNN
from tactful.settings import RecommendSettings


def train_itemknn(
    spark: Any, path: str, data: Interactions, settings: RecommendSettings
) -> ItemKNN:
    """Top ``knn_neighbours`` cosine neighbours per item from the Parquet at ``path``."""
    from pyspark.sql import Window
    from pyspark.sql import functions as fn

    rows = spark.read.parquet(path)
    norms = rows.groupBy("item").agg(fn.sqrt(fn.sum(fn.col("weight") ** 2)).alias("norm"))
    unit = (
        rows.join(norms, "item")
        .where(fn.col("norm") > 0)
        .select("user", "item", (fn.col("weight") / fn.col("norm")).alias("w"))
    )
    left = unit.select("user", fn.col("item").alias("i"), fn.col("w").alias("wi"))
    right = unit.select("user", fn.col("item").alias("j"), fn.col("w").alias("wj"))
    pairs = (
        left.join(right, "user")
        .where(fn.col("i") != fn.col("j"))
        .groupBy("i", "j")
        .agg(fn.sum(fn.col("wi") * fn.col("wj")).alias("value"))
        .where(fn.col("value") > 0)
    )
    order = Window.partitionBy("i").orderBy(fn.col("value").desc(), fn.col("j").asc())
    kept = pairs.withColumn("rank", fn.row_number().over(order)).where(
        fn.col("rank") <= settings.knn_neighbours
    )
    collected = kept.select("i", "j", "value").collect()
    n = len(data.items)
    similarity = _csr(collected, n)
    model = ItemKNN(neighbours=settings.knn_neighbours)
    return model.with_similarity(data, similarity)


def _csr(rows: list[Any], n: int) -> sp.csr_matrix:
    i = np.fromiter((int(r["i"]) for r in rows), dtype=np.int64, count=len(rows))
    j = np.fromiter((int(r["j"]) for r in rows), dtype=np.int64, count=len(rows))
    v = np.fromiter((float(r["value"]) for r in rows), dtype=np.float64, count=len(rows))
    out = sp.csr_matrix((v, (i, j)), shape=(n, n), dtype=np.float64)
    out.sort_indices()
    return out
