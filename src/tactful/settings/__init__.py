"""Settings, built once at the edge (CLI, web app factory) and passed down.

Sources, highest first: keyword arguments, ``TACTFUL_*`` environment variables (nested keys
with ``__``, e.g. ``TACTFUL_RETENTION__TEXT_DAYS=30``), then ``tactful.toml`` in the working
directory (or the file named by ``TACTFUL_CONFIG``). ``tactful.example.toml`` lists every key.

The sections live beside this module by domain (``recommend``: models and training; ``tact``:
guards, signals and contact; ``people``: retention, privacy, ingest, communities, pages,
insights, metrics); every name is importable from ``tactful.settings``.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from tactful.settings.people import (
    COLOUR,
    MAX_TOKEN_TTL_DAYS,
    SOURCE,
    CommunitySettings,
    IngestSettings,
    InsightsSettings,
    MetricsSettings,
    PagesSettings,
    PrivacySettings,
    RetentionSettings,
)
from tactful.settings.recommend import (
    DEFAULT_EVENT_WEIGHTS,
    MODEL_ALIASES,
    SERVING_MODELS,
    RecommendSettings,
    ServingModel,
    TrainingSettings,
)
from tactful.settings.tact import (
    CONTACT_RULES,
    EngageSettings,
    GuardSettings,
    HandoffTrigger,
    SignalSettings,
)

__all__ = [
    "COLOUR",
    "CONTACT_RULES",
    "DEFAULT_EVENT_WEIGHTS",
    "MAX_TOKEN_TTL_DAYS",
    "MODEL_ALIASES",
    "SERVING_MODELS",
    "SOURCE",
    "CommunitySettings",
    "EngageSettings",
    "GuardSettings",
    "HandoffTrigger",
    "IngestSettings",
    "InsightsSettings",
    "MetricsSettings",
    "PagesSettings",
    "PrivacySettings",
    "RecommendSettings",
    "RetentionSettings",
    "ServingModel",
    "Settings",
    "SignalSettings",
    "TrainingSettings",
]


class Settings(BaseSettings):
    """Every setting of Tactful with its default."""

    model_config = SettingsConfigDict(
        env_prefix="TACTFUL_",
        env_nested_delimiter="__",
        extra="forbid",
        toml_file="tactful.toml",
    )

    database_url: str = Field("sqlite:///./tactful.db", description="SQLAlchemy URL")
    sqlite_cache_mib: int = Field(
        8,
        ge=1,
        le=1024,
        description="SQLite page cache per pooled connection, in MiB (a worker keeps up to 5)",
    )
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
