"""Settings, built once at the edge (CLI, web app factory) and passed down.

Sources, highest first: keyword arguments, ``TACTFUL_*`` environment variables (nested keys
with ``__``, e.g. ``TACTFUL_RETENTION__TEXT_DAYS=30``), then ``tactful.toml`` in the working
directory (or the file named by ``TACTFUL_CONFIG``). ``tactful.example.toml`` lists every key.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal, Self, get_args

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

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


class GuardSettings(BaseModel):
    """The curation pipeline: order and parameters of the guards."""

    order: list[str] = Field(
        default_factory=lambda: [
            "eligibility",
            "dismissed",
            "muted_category",
            "sensitive",
            "in_cart",
            "creepiness_cooldown",
            "retargeting_cap",
            "emotional_context",
            "tender",
            "single_signal",
            "values",
            "moving",
            "diversity",
            "new_arrivals",
            "budget",
        ]
    )
    score_floor: float = Field(
        0.05, ge=0, le=1, description="items below this share of the top score are not shown"
    )
    new_arrival_slots: int = Field(
        1,
        ge=0,
        description="places within the person's budget that new arrivals may take (never "
        "more than half of it, unless the list has room to spare)",
    )
    cart_days: float = Field(
        30.0,
        gt=0,
        description="an item added to the cart and not bought since is left out of "
        "recommendations for this many days after it was added",
    )
    creepiness_cooldown_hours: float = Field(24.0, ge=0)
    retargeting_max_shows: int = Field(3, ge=1)
    retargeting_window_days: float = Field(7.0, gt=0)
    single_signal_margin: float = Field(0.2, ge=0)
    values_boost: float = Field(0.15, ge=0)
    move_categories: list[str] = Field(
        default_factory=lambda: ["winter clothing", "home", "storage"],
        description='categories a live relocation lifts, with the reason "Because you '
        'mentioned your move" (not while a hard time is live)',
    )
    move_boost: float = Field(
        1.0, ge=0, description="the lift for those items, as a share of the best score"
    )
    move_slots: int = Field(2, ge=0, description="at most this many items are lifted")
    diversity_lambda: float = Field(0.955, ge=0, le=1, description="1 = relevance only")
    diversity_coverage: float = Field(
        1.0, ge=0, description="mmr: weight of covering the person's own categories (xQuAD)"
    )
    diversity_reference_scale: float = Field(
        2.0,
        ge=0,
        description="the diversity reference as a multiple of the serving model's median best "
        "score (measured when it is trained; benchmarks/guards.py chose 2.0); 0 = off",
    )
    diversity_reference_score: float | None = Field(
        0.0,
        ge=0,
        description="relevance = score / max(top score, reference): lists whose best score "
        "is below it (an unsure model) are diversified more. This sets the reference in the "
        "model's own score units, overriding diversity_reference_scale; 0 = use the scale",
    )
    distress_max_items: int = Field(3, ge=1)
    tender_life_events: list[str] = Field(
        default_factory=lambda: ["bereavement"],
        description="besides distress, the live life events during which the categories the "
        "person wrote about and the items they cancelled or returned are left out",
    )
    default_max_recommendations: int = Field(
        5,
        ge=1,
        le=20,
        description="the choice budget of people who never chose one (max_recommendations)",
    )
    high_price: float = Field(150.0, ge=0)
    private_sources: list[str] = Field(
        default_factory=lambda: ["partner", "third_party", "offline", "in_store"],
        description="event sources the person did not share with us directly",
    )
    diversity_method: Literal["mmr", "calibration"] = "mmr"
    dismissed_category_damping: float = Field(
        0.5, ge=0, le=1, description="score factor per dismissal in an item's category"
    )


class SignalSettings(BaseModel):
    """Deriving signals: mood and life events from text, interests from behaviour."""

    mood_half_life_days: float = Field(7.0, gt=0)
    mood_days: float = Field(30.0, gt=0, description="mood expires this long after the last text")
    text_window_days: float = Field(90.0, gt=0, description="texts read to derive mood")
    distress_threshold: float = Field(
        0.0, ge=0, le=1, description="least distress score that counts; 0 trusts the model"
    )
    distress_days: float = Field(14.0, gt=0, description="a distressed text counts this long")
    life_event_min_confidence: float = Field(0.5, ge=0, le=1)
    frustration_anger: float = Field(
        0.3,
        ge=0,
        le=1,
        description="least anger or disgust score of a support message that counts toward "
        "frustration (the model's own F1 thresholds are 0.24 and 0.19)",
    )
    interest_half_life_days: float = Field(90.0, gt=0)
    max_interests: int = Field(10, ge=1)


class RetentionSettings(BaseModel):
    """How long each data category is kept, in days."""

    behavioral_days: int = Field(365, ge=1)
    transactional_days: int = Field(730, ge=1)
    feedback_days: int = Field(365, ge=1)
    text_days: int = Field(90, ge=1)
    location_days: int = Field(30, ge=1)
    social_days: int = Field(90, ge=1)
    exposures_days: int = Field(
        365, ge=1, description="logged recommendations (what was shown, with its reasons)"
    )


MAX_TOKEN_TTL_DAYS = 366
"""The longest ``privacy.token_max_ttl_days`` may be (the API bounds ``ttl_minutes`` by it)."""


class PrivacySettings(BaseModel):
    """Subject tokens: how long a token lasts by default, and at most."""

    token_ttl_minutes: int = Field(60, ge=1, description="default lifetime of a subject token")
    token_max_ttl_days: int = Field(
        30, ge=1, le=MAX_TOKEN_TTL_DAYS, description="longest lifetime a token may have"
    )
    audit_anchor: str = Field(
        "",
        description="the file keeping the audit chain's newest sealed head outside the "
        "database, one per host (empty: <model_dir>/audit/anchor-<host>.json, and verify "
        "also checks the other hosts' anchor*.json there); keep it on other storage",
    )


CONTACT_RULES: tuple[str, ...] = (
    "pause",
    "handoff_open",
    "emotional_hold",
    "celebrations_off",
    "relevance",
    "channel",
    "digest",
    "quiet_hours",
    "frequency_cap",
    "fatigue",
)
"""The contact rules an operator may switch off (``engage.rules``); consent, the person's
own requests in words and community membership always apply."""


HandoffTrigger = Literal[
    "explicit_request",
    "erasure_request",
    "life_event",
    "frustration",
    "distress_support",
    "negative_feedback",
]
"""The hand-off triggers (``tactful.handoff.triggers``); an unknown name is refused."""


class EngageSettings(BaseModel):
    """Contact decisions, milestones and hand-offs to people."""

    rules: list[str] = Field(
        default_factory=lambda: list(CONTACT_RULES),
        description="the contact rules that apply, by reason kind (consent always does); "
        "leaving one out switches it off, as the simulator's baseline policy does",
    )

    promotional_per_week: int = Field(
        3, ge=0, description="promotional + community messages per rolling week, all channels"
    )
    max_defer_days: float = Field(
        8.0, gt=0, description="over budget, defer at most this far ahead; else suppress"
    )
    fatigue_ignored_in_row: int = Field(
        3, ge=1, description="unwelcome outcomes in a row that lower the budget one step"
    )
    fatigue_cap_factor: float = Field(0.5, ge=0, lt=1, description="budget factor per step")
    fatigue_days: float = Field(30.0, gt=0, description="fatigue fades this long after")
    digest_window_minutes: int = Field(60, ge=1)
    milestone_count_event: str = Field("progress", description="the event type counted")
    milestone_count_noun: str = Field("workout", description="what one such event is called")
    milestone_counts: list[int] = Field(default_factory=lambda: [10, 50, 100])
    milestone_streak_days: list[int] = Field(default_factory=lambda: [7])
    milestone_anniversary_years: list[int] = Field(default_factory=lambda: [1])
    celebration_max_age_days: float = Field(
        7.0, gt=0, description="older milestones are recorded but not celebrated"
    )
    handoff_triggers: list[HandoffTrigger] = Field(
        default_factory=lambda: list(get_args(HandoffTrigger)),
        description="checked in this order; the first that fires opens the case",
    )
    handoff_life_events: list[str] = Field(
        default_factory=lambda: ["bereavement", "financial_hardship"]
    )
    handoff_window_days: float = Field(
        7.0, gt=0, description="how recent a support message, request or complaint must be"
    )
    handoff_negative_outcomes: int = Field(
        3, ge=1, description="complaints or dismissals within the window that open a case"
    )

    @field_validator("rules")
    @classmethod
    def _known_rules(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(CONTACT_RULES))
        if unknown:
            raise ValueError(
                f"unknown contact rule {unknown[0]!r}; expected some of " + ", ".join(CONTACT_RULES)
            )
        return value


class IngestSettings(BaseModel):
    """What ingest accepts beyond a well-formed, consented event."""

    accept_unknown_items: bool = Field(
        False,
        description="store events for item ids the catalogue does not hold (else rejected "
        "per row with unknown:item_id)",
    )


class CommunitySettings(BaseModel):
    """Communities (docs/communities.md): the anonymity threshold and how joined ones rank."""

    min_members: int = Field(
        10,
        ge=2,
        description="the anonymity threshold k of a community that names none: below k "
        "members it yields no statistics or reasons, and no count below k is ever shown",
    )
    tie_boost: float = Field(
        0.5, ge=0, description="how much content tied to a community the person joined is lifted"
    )


COLOUR = r"^#[0-9a-fA-F]{6}$"
SOURCE = r"^[A-Za-z0-9'*:/.\- ]+$"


class PagesSettings(BaseModel):
    """The person's own pages (``/me``, docs/pages.md): the brand they show and who may embed
    them."""

    name: str = Field("Tactful", min_length=1, max_length=80, description="the brand's name")
    logo: str = Field(
        "",
        description="path of a PNG, SVG or JPEG file Tactful serves as the logo at "
        "/pages/logo; empty: no logo (nothing is ever fetched from elsewhere)",
    )
    colour_primary: str = Field("#1f5f8b", pattern=COLOUR, description="buttons and links")
    colour_background: str = Field("#ffffff", pattern=COLOUR)
    colour_text: str = Field("#1a1a1a", pattern=COLOUR)
    frame_ancestors: str = Field(
        "'none'",
        pattern=SOURCE,
        description="CSP frame-ancestors: who may embed the pages, e.g. 'self' "
        "https://www.example.com; 'none' forbids every frame",
    )
    base_url: str = Field(
        "",
        description="the public address of this server, e.g. https://prefs.example.com, used "
        "in the links POST /v1/subjects/{id}/tokens returns; empty: the request's own",
    )
    session_minutes: int = Field(60, ge=1, description="how long a signed-in page session lasts")
    default_language: Literal["en", "de"] = Field(
        "en", description="when neither ?lang= nor Accept-Language names a shipped language"
    )


class InsightsSettings(BaseModel):
    """Connection health, fairness and alerts (docs/insights.md)."""

    min_people: int = Field(10, ge=1, description="no figure about fewer people than this")
    default_days: int = Field(28, ge=1, le=366, description="window of health and fairness")
    alert_withdrawal_rise: float = Field(0.5, gt=0, description="week over week, 0.5 = +50 %")
    alert_complaint_rate: float = Field(0.005, ge=0, le=1)
    alert_dismissal_rate: float = Field(0.25, ge=0, le=1)
    alert_messages_p95: float = Field(
        0.0, ge=0, description="messages per person-week; 0: engage.promotional_per_week"
    )


class MetricsSettings(BaseModel):
    """``GET /metrics``: key (an operator key with read, as a bearer token), open or off."""

    access: Literal["key", "open", "off"] = "key"


class Settings(BaseSettings):
    """Every setting of Tactful with its default."""

    model_config = SettingsConfigDict(
        env_prefix="TACTFUL_",
        env_nested_delimiter="__",
        extra="forbid",
        toml_file="tactful.toml",
    )

    database_url: str = Field("sqlite:///./tactful.db", description="SQLAlchemy URL")
    model_dir: Path = Field(Path("models"), description="where model artifacts are written")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    secret_key: SecretStr = Field(
        SecretStr("tactful-dev-secret-change-me"),
        description="HMAC key for subject tokens and keyed hashes; set it in production",
    )
    max_batch_events: int = Field(10_000, ge=1)
    future_tolerance_seconds: int = Field(300, ge=0)
    max_body_bytes: int = Field(20_000_000, ge=1024)
    exposure_flush_seconds: float = Field(0.2, gt=0)
    key_cache_seconds: float = Field(
        2.0, ge=0, description="how long a worker trusts an operator key it has looked up"
    )
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    recommend: RecommendSettings = Field(default_factory=RecommendSettings)
    training: TrainingSettings = Field(default_factory=TrainingSettings)
    guards: GuardSettings = Field(default_factory=GuardSettings)
    signals: SignalSettings = Field(default_factory=SignalSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    engage: EngageSettings = Field(default_factory=EngageSettings)
    pages: PagesSettings = Field(default_factory=PagesSettings)
    insights: InsightsSettings = Field(default_factory=InsightsSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    community: CommunitySettings = Field(default_factory=CommunitySettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = Path(os.environ.get("TACTFUL_CONFIG", "tactful.toml"))
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_path),
        )
