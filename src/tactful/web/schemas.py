"""Request and response shapes of the REST API, with their conversions to domain values.
Pydantic validates types and ranges so every 4xx names the field and the reason."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from tactful.app import ConsentView, Recommendation
from tactful.app.jobs import Job, JobStatus
from tactful.app.training import TrainReport
from tactful.ingest import IngestReport
from tactful.ingest.parse import MAX_ID, MAX_TEXT, NEEDS_ITEM, NEEDS_TEXT
from tactful.ingest.preferences import (
    CHANNELS,
    MAX_NAME,
    MAX_NAMES,
    MAX_RECOMMENDATIONS,
    MAX_WEEKLY_CAP,
    MIN_RECOMMENDATIONS,
    sensitivities,
)
from tactful.types import (
    EventType,
    Item,
    ItemKind,
    Preferences,
    Purpose,
    QuietHours,
    Reason,
    Sensitivity,
)
from tactful.web.fields import WALL_CLOCK, Instant

Id = Field(min_length=1, max_length=200)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _names(types: frozenset[EventType]) -> str:
    return ", ".join(sorted(t.value for t in types))


class EventIn(Strict):
    """One event row. Documentation only: rows reach the ingest core unvalidated, which
    checks each one by itself, so a bad row is rejected with its reason and the rest of
    the batch still goes in (``EventBatch``)."""

    event_id: str = Field(
        min_length=1, max_length=MAX_ID, description="unique; repeats count as duplicates"
    )
    subject_id: str = Field(min_length=1, max_length=MAX_ID)
    type: EventType
    item_id: str | None = Field(
        None, max_length=MAX_ID, description=f"required for {_names(NEEDS_ITEM)}"
    )
    value: float | None = Field(
        None, allow_inf_nan=False, description="required for rating; e.g. progress, amount"
    )
    text: str | None = Field(
        None, max_length=MAX_TEXT, description=f"required for {_names(NEEDS_TEXT)}"
    )
    occurred_at: Instant | None = Field(
        None, description="with a time-zone offset; at most 5 minutes ahead; default now"
    )
    source: str | None = Field(None, max_length=MAX_ID, description="e.g. web, app, pos")


DOCUMENTED: tuple[type[BaseModel], ...] = (EventIn,)
"""Schemas the OpenAPI document holds although no route validates with them."""

RawEvent = Annotated[Any, WithJsonSchema({"$ref": "#/components/schemas/EventIn"})]
"""An event row as sent: documented as ``EventIn``, validated row by row by the core."""


class EventBatch(Strict):
    events: list[RawEvent] = Field(
        min_length=1,
        description="1 to max_batch_events (default 10,000) rows; each bad row is rejected "
        "by itself, with its index and reason",
    )


class RejectedOut(BaseModel):
    index: int
    event_id: str | None
    reason: str


class IngestOut(BaseModel):
    accepted: int
    duplicates: int
    rejected: list[RejectedOut]

    @classmethod
    def of(cls, report: IngestReport) -> IngestOut:
        return cls(
            accepted=report.accepted,
            duplicates=report.duplicates,
            rejected=[
                RejectedOut(index=r.index, event_id=r.event_id, reason=r.reason)
                for r in report.rejected
            ],
        )


class AtomicRejectionOut(IngestOut):
    """``?atomic=true`` with any rejected row: nothing was stored (HTTP 422)."""

    error: Literal["invalid_input"]
    message: str


class ItemIn(Strict):
    item_id: str = Id
    title: str = Field(min_length=1, max_length=500)
    categories: list[str] = Field(default_factory=list, max_length=50)
    values: list[str] = Field(default_factory=list, max_length=50)
    sensitive: Sensitivity = Sensitivity.NONE
    price: float | None = Field(None, ge=0, allow_inf_nan=False)
    available: bool = True
    promotional: bool = False
    added_at: Instant | None = Field(
        None,
        description="when the item entered the catalogue; default: when it was first "
        "upserted (kept on later upserts). Items added within recommend.new_arrival_days "
        "that no one has interacted with yet are offered as new arrivals",
    )
    kind: ItemKind = Field(
        ItemKind.PRODUCT,
        description="product (something to buy) or content (guides, stories, events, "
        "volunteering); recommendations name the kinds they want with ?kinds=",
    )

    def to_item(self) -> Item:
        return Item(
            self.item_id,
            self.title,
            tuple(self.categories),
            tuple(self.values),
            self.sensitive,
            self.price,
            self.available,
            self.promotional,
            self.added_at,
            self.kind,
        )


class ItemBatch(Strict):
    items: list[ItemIn] = Field(min_length=1)


class ItemOut(BaseModel):
    item_id: str
    title: str
    categories: list[str]
    values: list[str]
    sensitive: Sensitivity
    price: float | None
    available: bool
    promotional: bool
    added_at: datetime | None
    kind: ItemKind

    @classmethod
    def of(cls, it: Item) -> ItemOut:
        return cls(
            item_id=it.item_id,
            title=it.title,
            categories=list(it.categories),
            values=list(it.values),
            sensitive=it.sensitive,
            price=it.price,
            available=it.available,
            promotional=it.promotional,
            added_at=it.added_at,
            kind=it.kind,
        )


class DecisionIn(Strict):
    purpose: Purpose
    decision: Literal["granted", "denied"]
    source: str = Field("api", max_length=200)
    policy_version: str = Field("1", max_length=100)


class ConsentsIn(Strict):
    decisions: list[DecisionIn] = Field(min_length=1, max_length=50)


class ConsentRecordOut(BaseModel):
    purpose: str
    decision: str
    at: datetime
    source: str
    policy_version: str


class ConsentsOut(BaseModel):
    current: dict[str, str]
    history: list[ConsentRecordOut]

    @classmethod
    def of(cls, view: ConsentView) -> ConsentsOut:
        return cls(
            current={p.value: d.value for p, d in view.current.items()},
            history=[
                ConsentRecordOut(
                    purpose=r.purpose.value,
                    decision=r.decision.value,
                    at=r.at,
                    source=r.source,
                    policy_version=r.policy_version,
                )
                for r in view.history
            ],
        )


class QuietHoursIO(Strict):
    start: Annotated[time, WithJsonSchema(WALL_CLOCK)] = Field(description="local time, e.g. 22:00")
    end: Annotated[time, WithJsonSchema(WALL_CLOCK)] = Field(
        description="local time, e.g. 07:00; may be before start (wraps)"
    )


def _documented(**schema: Any) -> Any:
    """Extra JSON schema for the docs only: the domain rules of preferences are checked
    once, in the core (``tactful.ingest.validate_preferences``), so REST refuses a bad
    choice with the same field and reason as the Python API."""
    return {"json_schema_extra": schema}


class PreferencesIO(Strict):
    channels: list[str] = Field(
        default_factory=lambda: list(Preferences().channels),
        **_documented(items={"type": "string", "enum": list(CHANNELS)}),
    )
    max_messages_per_week: dict[str, int] = Field(
        default_factory=dict,
        description=f"weekly cap per channel, 0 to {MAX_WEEKLY_CAP}",
        **_documented(
            propertyNames={"enum": list(CHANNELS)},
            additionalProperties={"type": "integer", "minimum": 0, "maximum": MAX_WEEKLY_CAP},
        ),
    )
    quiet_hours: QuietHoursIO | None = None
    timezone: str = Field("UTC", description="an IANA time zone, e.g. Europe/Berlin")
    max_recommendations: int | None = Field(
        None,
        description="the choice budget; null (or omitted): the person never chose one, so "
        "the deployment's guards.default_max_recommendations applies",
        **_documented(minimum=MIN_RECOMMENDATIONS, maximum=MAX_RECOMMENDATIONS),
    )
    muted_categories: list[str] = Field(
        default_factory=list,
        **_documented(
            maxItems=MAX_NAMES, items={"type": "string", "minLength": 1, "maxLength": MAX_NAME}
        ),
    )
    preferred_categories: list[str] = Field(
        default_factory=list,
        **_documented(
            maxItems=MAX_NAMES, items={"type": "string", "minLength": 1, "maxLength": MAX_NAME}
        ),
    )
    values: list[str] = Field(
        default_factory=list,
        **_documented(
            maxItems=MAX_NAMES, items={"type": "string", "minLength": 1, "maxLength": MAX_NAME}
        ),
    )
    allowed_sensitive: list[str] = Field(
        default_factory=list,
        **_documented(
            items={
                "type": "string",
                "enum": [s.value for s in Sensitivity if s is not Sensitivity.NONE],
            }
        ),
    )
    pause_until: Instant | None = Field(
        None, description="with an offset, e.g. 2026-07-01T00:00:00Z"
    )
    celebrations: bool = True

    def to_prefs(self) -> Preferences:
        qh = self.quiet_hours
        return Preferences(
            channels=tuple(self.channels),
            max_messages_per_week={str(k): v for k, v in self.max_messages_per_week.items()},
            quiet_hours=QuietHours(qh.start, qh.end) if qh else None,
            timezone=self.timezone,
            max_recommendations=self.max_recommendations,
            muted_categories=tuple(self.muted_categories),
            preferred_categories=tuple(self.preferred_categories),
            values=tuple(self.values),
            allowed_sensitive=sensitivities(self.allowed_sensitive),
            pause_until=self.pause_until,
            celebrations=self.celebrations,
        )

    @classmethod
    def of(cls, p: Preferences) -> PreferencesIO:
        qh = p.quiet_hours
        return cls.model_validate(
            {
                "channels": list(p.channels),
                "max_messages_per_week": dict(p.max_messages_per_week),
                "quiet_hours": {"start": qh.start, "end": qh.end} if qh else None,
                "timezone": p.timezone,
                "max_recommendations": p.max_recommendations,
                "muted_categories": list(p.muted_categories),
                "preferred_categories": list(p.preferred_categories),
                "values": list(p.values),
                "allowed_sensitive": list(p.allowed_sensitive),
                "pause_until": p.pause_until,
                "celebrations": p.celebrations,
            }
        )


class ReasonOut(BaseModel):
    kind: str
    text: str
    items: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, r: Reason) -> ReasonOut:
        return cls(kind=r.kind, text=r.text, items=list(r.items))


class RecommendedOut(BaseModel):
    item_id: str
    title: str
    kind: ItemKind = ItemKind.PRODUCT
    score: float
    reasons: list[ReasonOut]


class HeldBackOut(BaseModel):
    kind: str
    count: int
    text: str


class RecommendationsOut(BaseModel):
    subject_id: str
    items: list[RecommendedOut]
    held_back: list[HeldBackOut]
    personalized: bool
    model_version: str | None

    @classmethod
    def of(cls, rec: Recommendation) -> RecommendationsOut:
        return cls(
            subject_id=rec.subject_id,
            items=[
                RecommendedOut(
                    item_id=r.item.item_id,
                    title=r.item.title,
                    kind=r.item.kind,
                    score=round(r.score, 6),
                    reasons=[ReasonOut.of(x) for x in r.reasons],
                )
                for r in rec.items
            ],
            held_back=[HeldBackOut(kind=h.kind, count=h.count, text=h.text) for h in rec.held_back],
            personalized=rec.personalized,
            model_version=rec.model_version,
        )


class TrainOut(BaseModel):
    model_version: str
    fallback_version: str
    subjects: int
    items: int
    interactions: int
    consented_subjects: int
    model: str = Field(
        description="the model trained to serve: recommend.model, or the one that stands in "
        "for it (als when EASE is past recommend.ease_max_items)"
    )
    warnings: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, r: TrainReport) -> TrainOut:
        return cls(
            model_version=r.model_version,
            fallback_version=r.fallback_version,
            subjects=r.subjects,
            items=r.items,
            interactions=r.interactions,
            consented_subjects=r.consented_subjects,
            model=r.model,
            warnings=list(r.warnings),
        )


class JobOut(BaseModel):
    """A training job: ``queued``, ``running``, then ``succeeded`` (with the train report),
    ``failed`` (with the error) or ``cancelled``."""

    job_id: str
    kind: Literal["train"] = "train"
    status: JobStatus
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    cancel_requested: bool
    report: TrainOut | None
    error: str | None

    @classmethod
    def of(cls, job: Job) -> JobOut:
        return cls(
            job_id=job.job_id,
            status=job.status,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            cancel_requested=job.cancel_requested,
            report=TrainOut.of(job.report) if job.report is not None else None,
            error=job.error,
        )
