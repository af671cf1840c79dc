"""Settings of what people see and keep: retention, privacy, ingest, communities, the pages,
insights and metrics."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


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
