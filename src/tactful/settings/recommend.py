"""Settings of the models: which one serves, how it is fitted and trained."""

from __future__ import annotations

from typing import Literal, Self, get_args

from pydantic import BaseModel, Field, field_validator, model_validator

ServingModel = Literal[
    "popularity", "itemknn", "ease", "als", "bpr", "content", "cold_start", "blend"
]
SERVING_MODELS: tuple[str, ...] = get_args(ServingModel)
"""Every model ``recommend.model`` may name; ``tactful evaluate`` offers the same ones."""
MODEL_ALIASES = {"pop": "popularity"}
"""Other names accepted for a serving model (``pop`` is what ``tactful evaluate`` calls it)."""

DEFAULT_EVENT_WEIGHTS: dict[str, float] = {
    "purchase": 5.0,
    "add_to_cart": 3.0,
    "rating": 1.0,  # multiplied by the rating value
    "share": 2.0,
    "click": 1.5,
    "view": 1.0,
    "progress": 0.5,
    "dismiss": -2.0,
    "cancel": -5.0,  # undoes a purchase: a cancelled or returned order teaches nothing
    "return": -5.0,
}


class RecommendSettings(BaseModel):
    """Training and serving of the recommendation models."""

    model: ServingModel = Field(
        "ease",
        description=f"serving model: {', '.join(SERVING_MODELS)} (pop is popularity; "
        "cold_start is content + popularity, blend is EASE + ALS [+ item-kNN]; EASE is the "
        "default: best NDCG@10 in benchmarks/README.md)",
    )
    event_weights: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_EVENT_WEIGHTS))
    rating_scale: float = Field(5.0, description="ratings are divided by this before weighting")
    knn_neighbours: int = Field(100, ge=1, description="neighbours kept per item in item-kNN")
    knn_weighting: Literal["cosine", "bm25"] = Field(
        "cosine",
        description="item-kNN similarity: cosine of the item columns, or the dot product of "
        "their BM25-weighted columns (knn_bm25_k1, knn_bm25_b; docs/models.md)",
    )
    knn_bm25_k1: float = Field(1.2, gt=0, description="BM25 saturation of item-kNN weights")
    knn_bm25_b: float = Field(
        0.25, ge=0, le=1, description="BM25 item-popularity normalisation (0: none)"
    )
    ease_l2: float = Field(200.0, gt=0, description="chosen on MovieLens validation data")
    ease_dtype: Literal["float32", "float64"] = Field(
        "float32", description="float32 halves EASE's memory"
    )
    ease_max_items: int = Field(
        20_000,
        ge=1,
        description="EASE inverts an items x items dense matrix (memory n² x 4 bytes in "
        "float32, time ~n³/3 multiply-adds; docs/models.md): with more items with "
        "interactions, training skips EASE (ease, blend), trains als instead and serves it, "
        "with a warning in the train report",
    )
    als_factors: int = Field(64, ge=1)
    als_regularization: float = Field(0.05, ge=0)
    als_iterations: int = Field(15, ge=1)
    als_alpha: float = Field(1.0, gt=0)
    bpr_learning_rate: float = Field(0.01, gt=0)
    bpr_iterations: int = Field(100, ge=1)
    model_seed: int = 0
    cold_start_content_weight: float = Field(0.6, ge=0, le=1)
    blend_ease_weight: float = Field(
        0.8, ge=0, le=1, description="share of EASE in the blend model (the rest is ALS)"
    )
    blend_knn_weight: float = Field(
        0.0,
        ge=0,
        le=1,
        description="share of item-kNN (knn_* settings) in the blend model; ALS gets "
        "1 - blend_ease_weight - blend_knn_weight, which must not be negative",
    )
    candidates: int = Field(100, ge=10, description="scored candidates handed to the guards")
    new_arrival_days: float = Field(
        14.0,
        ge=0,
        description="an item no one has interacted with in the trained data is a new arrival "
        "for this many days after it entered the catalogue (its added_at); 0 = none",
    )
    new_arrival_min_similarity: float = Field(
        0.2,
        ge=0,
        le=1,
        description="least content similarity (cosine of categories, values and title words "
        "with the person's history and declared interests) for a new arrival to be offered; "
        "it must also share a category with them (or a value they declared)",
    )
    cache_size: int = Field(
        10_000, ge=0, description="people whose prepared list each worker keeps (0: no cache)"
    )
    cache_seconds: float = Field(
        60.0,
        ge=0,
        description="longest a prepared list is reused; any write about the person, a new "
        "model or catalogue change ends it at once (docs/serving.md)",
    )

    @field_validator("model", mode="before")
    @classmethod
    def _alias(cls, value: object) -> object:
        return MODEL_ALIASES.get(value, value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _blend_shares(self) -> Self:
        if self.blend_ease_weight + self.blend_knn_weight > 1.0 + 1e-9:
            raise ValueError(
                "blend_knn_weight: blend_ease_weight + blend_knn_weight must be at most 1 "
                f"(got {self.blend_ease_weight} + {self.blend_knn_weight})"
            )
        return self


class TrainingSettings(BaseModel):
    """Where the models are trained: in this process, or on Apache Spark (docs/models.md)."""

    engine: Literal["local", "spark"] = Field(
        "local",
        description="spark trains recommend.model (als or itemknn) with pyspark; needs the "
        "[spark] extra and Java 17+",
    )
    spark_master: str = Field(
        "local[2]", min_length=1, description="local[N], spark://HOST:7077 or yarn"
    )
    spark_staging: str = Field(
        "",
        description="where the consented interactions are written as Parquet for Spark; a "
        "directory or URL every executor can read (hdfs://, s3a://); empty: a temporary "
        "local directory, enough for local[N]",
    )
