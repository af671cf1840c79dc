"""Training on Apache Spark: an adapter the core never imports.

``SparkEngine`` is a ``tactful.app.training.TrainingEngine``: the consented interactions
training has already read are written to Parquet, trained with ``pyspark.ml`` on
``training.spark_master``, and handed back as the same model class the local engine fits,
so the artifact, serving, ``why``, forget and erasure are those of any local model.
``HAS_SPARK`` says whether pyspark (the ``[spark]`` extra) is installed.
"""

from __future__ import annotations

from tactful.spark.engine import HAS_SPARK, SPARK_MODELS, SparkEngine

__all__ = ["HAS_SPARK", "SPARK_MODELS", "SparkEngine"]
