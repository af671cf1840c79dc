"""Settings of tact: the guards, the signals read from behaviour and text, and contact."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, Field, field_validator

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
