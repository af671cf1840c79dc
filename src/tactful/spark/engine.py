"""The Spark training engine: a session per engine, Parquet staging, and model dispatch."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from tactful.errors import InvalidInput
from tactful.recommend.interactions import Interactions
from tactful.recommend.model import Model
from tactful.settings import RecommendSettings
from tactful.types import Item

HAS_SPARK = find_spec("pyspark") is not None
SPARK_MODELS = ("als", "itemknn")
"""The models Spark trains; others train locally (``training.engine = "local"``)."""

Trainer = Callable[[Any, str, Interactions, RecommendSettings], Model]


class SparkEngine:
    """Fits ``recommend.model`` on Spark. The session starts on the first fit and is reused
    by later ones in this process (starting one costs seconds); ``close`` stops it."""

    name = "spark"

    def __init__(self, *, master: str = "local[2]", staging: str = "") -> None:
        self.master = master
        self.staging = staging
        self._session: Any = None

    def fit(
        self, model: str, data: Interactions, settings: RecommendSettings, items: Sequence[Item]
    ) -> Model:
        trainer = _trainer(model)
        if model == "itemknn" and settings.knn_weighting != "cosine":
            raise InvalidInput(
                "training.engine 'spark' computes cosine item-kNN; recommend.knn_weighting is "
                f"{settings.knn_weighting!r} (set 'cosine', or training.engine = 'local')",
                field="recommend.knn_weighting",
            )
        spark = self.session()
        with self.staged(spark) as path:
            write_parquet(spark, data, path)
            return trainer(spark, path, data, settings)

    def session(self) -> Any:
        """The engine's Spark session, started on first use."""
        if self._session is None:
            self._session = start_session(self.master)
        return self._session

    @contextmanager
    def staged(self, spark: Any) -> Iterator[str]:
        """A fresh Parquet path under ``staging`` (or a temporary directory), deleted after
        training wherever it is (it holds the consented interactions)."""
        local = None if self.staging else tempfile.mkdtemp(prefix="tactful-spark-")
        root = self.staging.rstrip("/") if self.staging else Path(local or "").as_uri()
        run = uuid.uuid4().hex
        path = f"{root}/interactions-{run}.parquet"
        checkpoints = f"{root}/checkpoints-{run}"
        # ALS checkpoints every 10 sweeps once a directory is set; without one its lineage
        # grows with every sweep and deep runs (30+ sweeps) overflow the JVM's stack.
        spark.sparkContext.setCheckpointDir(checkpoints)
        try:
            yield path
        finally:
            _delete(spark, path)
            _delete(spark, checkpoints)
            if local is not None:
                shutil.rmtree(local, ignore_errors=True)

    def close(self) -> None:
        if self._session is not None:
            self._session.stop()
            self._session = None


def _trainer(model: str) -> Trainer:
    if not HAS_SPARK:
        raise InvalidInput(
            "training.engine is 'spark' but pyspark is not installed: install the [spark] "
            "extra (pip install 'tactful[spark]', Java 17+), or set training.engine = 'local'",
            field="training.engine",
        )
    if model not in SPARK_MODELS:
        raise InvalidInput(
            f"training.engine 'spark' trains {', '.join(SPARK_MODELS)}; recommend.model is "
            f"{model!r} (set one of those, or training.engine = 'local')",
            field="training.engine",
        )
    if model == "itemknn":
        from tactful.spark.itemknn import train_itemknn

        return train_itemknn
    from tactful.spark.als import train_als

    return train_als


def start_session(master: str) -> Any:
    """A Spark session on ``master``; on a local master the driver binds to 127.0.0.1."""
    from pyspark.sql import SparkSession

    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.master(master).appName("tactful-train")
    builder = builder.config("spark.ui.enabled", "false")
    builder = builder.config("spark.sql.shuffle.partitions", "8")
    return builder.getOrCreate()


def write_parquet(spark: Any, data: Interactions, path: str) -> None:
    """The matrix as (user, item, weight) rows: integer row and column indexes, no ids."""
    from pyspark.sql.types import FloatType, IntegerType, StructField, StructType

    m = data.matrix.tocoo()
    schema = StructType(
        [
            StructField("user", IntegerType(), False),
            StructField("item", IntegerType(), False),
            StructField("weight", FloatType(), False),
        ]
    )
    rows = zip(m.row.tolist(), m.col.tolist(), m.data.tolist(), strict=True)
    spark.createDataFrame(list(rows), schema).write.mode("overwrite").parquet(path)


def _delete(spark: Any, path: str) -> None:
    """Remove ``path`` through Hadoop's file system API (local, hdfs://, s3a:// alike)."""
    jvm = spark.sparkContext._jvm
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    hadoop_path.getFileSystem(conf).delete(hadoop_path, True)
