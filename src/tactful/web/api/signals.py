"""The tact layer over HTTP: a person's signals, and "why this?" for one item."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from tactful.explain.why import EvidenceView, Why
from tactful.signals.profile import Profile
from tactful.types import RequestContext, Signal
from tactful.web.deps import AppDep, Read
from tactful.web.schemas import ReasonOut

router = APIRouter(prefix="/v1/subjects", tags=["signals"])
SubjectPath = Annotated[str, Path(min_length=1, max_length=200)]
ItemPath = Annotated[str, Path(min_length=1, max_length=200)]


class SignalOut(BaseModel):
    kind: str = Field(description="e.g. mood, life_event:bereavement, interest:running")
    value: float
    purpose: str = Field(description="the consent it was derived under")
    created_at: datetime
    expires_at: datetime | None
    detail: dict[str, Any]
    evidence: list[str] = Field(description="ids of the events behind it")

    @classmethod
    def of(cls, s: Signal) -> SignalOut:
        return cls(
            kind=s.kind,
            value=s.value,
            purpose=s.purpose.value,
            created_at=s.created_at,
            expires_at=s.expires_at,
            detail=dict(s.detail),
            evidence=list(s.evidence),
        )


class SignalsOut(BaseModel):
    subject_id: str
    quiet: bool = Field(description="a hard time: offers are held back and lists shrink")
    quiet_because: list[str]
    signals: list[SignalOut]

    @classmethod
    def of(cls, subject: str, p: Profile) -> SignalsOut:
        return cls(
            subject_id=subject,
            quiet=p.quiet,
            quiet_because=list(p.why_quiet),
            signals=[SignalOut.of(s) for s in p.signals],
        )


class EventOut(BaseModel):
    event_id: str
    type: str
    occurred_at: datetime
    source: str | None
    weight: float = Field(description="the interaction weight this event carries")


class EvidenceOut(BaseModel):
    kind: str
    weight: float
    item_id: str | None
    detail: str | None
    kept: bool = Field(description="false if a guard kept it out of the reasons")
    events: list[EventOut]

    @classmethod
    def of(cls, v: EvidenceView) -> EvidenceOut:
        ev = v.evidence
        return cls(
            kind=ev.kind,
            weight=round(ev.weight, 6),
            item_id=ev.item_id,
            detail=ev.detail,
            kept=v.kept,
            events=[
                EventOut(
                    event_id=w.event.event_id,
                    type=w.event.type.value,
                    occurred_at=w.event.occurred_at,
                    source=w.event.source,
                    weight=w.weight,
                )
                for w in v.events
            ],
        )


class GuardStepOut(BaseModel):
    guard: str
    outcome: str = Field(description="passed, held_back, lifted, lowered or moved")
    score: float | None
    rank: int | None


class WhyOut(BaseModel):
    subject_id: str
    item_id: str
    title: str
    model_version: str | None
    personalized: bool
    candidate: bool = Field(description="the model scored this item for the person at all")
    model_score: float | None
    score: float | None
    shown: bool
    rank: int | None
    held_back_by: str | None
    reasons: list[ReasonOut]
    evidence: list[EvidenceOut]
    guards: list[GuardStepOut]
    context: list[str] = Field(description="what makes it a hard time, if it is one")

    @classmethod
    def of(cls, w: Why) -> WhyOut:
        return cls(
            subject_id=w.subject_id,
            item_id=w.item.item_id,
            title=w.item.title,
            model_version=w.model_version,
            personalized=w.personalized,
            candidate=w.candidate,
            model_score=None if w.model_score is None else round(w.model_score, 6),
            score=None if w.score is None else round(w.score, 6),
            shown=w.shown,
            rank=w.rank,
            held_back_by=w.held_back_by,
            reasons=[ReasonOut.of(r) for r in w.reasons],
            evidence=[EvidenceOut.of(v) for v in w.evidence],
            guards=[
                GuardStepOut(
                    guard=s.guard,
                    outcome=s.outcome,
                    score=None if s.score is None else round(s.score, 6),
                    rank=s.rank,
                )
                for s in w.guards
            ],
            context=list(w.context),
        )


@router.get("/{subject_id}/signals", response_model=SignalsOut)
def get_signals(subject_id: SubjectPath, app: AppDep, _key: Read) -> SignalsOut:
    """The person's live signals with their evidence, purpose and expiry: mood and life
    events (only under ``emotional_context``), interests, values, recency, trust and
    retargeting counts (under ``personalization``)."""
    return SignalsOut.of(subject_id, app.profiles.profile(subject_id))


@router.get("/{subject_id}/recommendations/{item_id}/why", response_model=WhyOut)
def get_why(
    subject_id: SubjectPath,
    item_id: ItemPath,
    app: AppDep,
    _key: Read,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    context: Annotated[
        RequestContext, Query(description="where the list is shown, as for recommendations")
    ] = RequestContext.HOME,
) -> WhyOut:
    """The full evidence behind one item: the model's evidence with the person's events and
    their weights, the model version, what each guard did, and the reasons. Not logged as
    an exposure. Unknown item: 404."""
    why = app.recommendations.why(subject_id, item_id, limit=limit, context=context)
    return WhyOut.of(why)
