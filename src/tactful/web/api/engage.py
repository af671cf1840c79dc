"""Contact decisions, delivery outcomes and milestones.

Scopes: deciding and reporting outcomes write (``ingest``: the operator's messaging system
calls them); listing decisions and milestones reads personal data (``read``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from tactful.engage import Candidate
from tactful.records import Channel, ContactDecision, MessageKind, Milestone, Urgency
from tactful.web.deps import AppDep, Ingest, Read
from tactful.web.fields import Instant
from tactful.web.schemas import ReasonOut

router = APIRouter(tags=["engage"])
SubjectPath = Annotated[str, Path(min_length=1, max_length=200)]
IdPath = Annotated[str, Path(min_length=1, max_length=200)]


class CandidateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message_id: str = Field(min_length=1, max_length=200)
    kind: Literal["promotional", "transactional", "celebration", "supportive", "community"]
    channel: Literal["email", "push", "sms", "in_app"]
    topic: str | None = Field(None, min_length=1, max_length=200, description="category or value")
    urgency: Literal["low", "normal", "high"] = "normal"
    at: Instant | None = Field(None, description="when it would be sent; default now")
    supportive: bool = Field(
        False, description="a low-urgency community message meant to support: not held"
    )

    def to_candidate(self, now: datetime) -> Candidate:
        return Candidate(
            message_id=self.message_id,
            kind=MessageKind(self.kind),
            channel=Channel(self.channel),
            at=self.at or now,
            topic=self.topic,
            urgency=Urgency(self.urgency),
            supportive=self.supportive,
        )


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["opened", "clicked", "ignored", "dismissed", "complained"]
    at: Instant | None = Field(None, description="when it happened; default now")


class DecisionOut(BaseModel):
    decision_id: str
    subject_id: str
    message_id: str
    kind: str
    decision: Literal["send", "defer", "suppress", "handoff"]
    channel: str | None
    requested_channel: str
    topic: str | None
    urgency: str
    at: datetime
    send_at: datetime | None
    reasons: list[ReasonOut]
    digest_id: str | None
    why: str | None = Field(description='the "why you got this" text a sent message carries')
    outcome: str | None
    outcome_at: datetime | None

    @classmethod
    def of(cls, d: ContactDecision) -> DecisionOut:
        return cls(
            decision_id=d.decision_id,
            subject_id=d.subject_id,
            message_id=d.message_id,
            kind=d.kind.value,
            decision=d.verdict.value,
            channel=None if d.channel is None else d.channel.value,
            requested_channel=d.requested_channel.value,
            topic=d.topic,
            urgency=d.urgency.value,
            at=d.decided_at,
            send_at=d.send_at,
            reasons=[ReasonOut.of(r) for r in d.reasons],
            digest_id=d.digest_id,
            why=d.why,
            outcome=None if d.outcome is None else d.outcome.value,
            outcome_at=d.outcome_at,
        )


class DecisionsOut(BaseModel):
    subject_id: str
    decisions: list[DecisionOut]


class MilestoneOut(BaseModel):
    key: str
    kind: str
    reached_at: datetime
    title: str
    message: str
    celebration: DecisionOut | None

    @classmethod
    def of(cls, m: Milestone, d: ContactDecision | None) -> MilestoneOut:
        return cls(
            key=m.key,
            kind=m.kind,
            reached_at=m.reached_at,
            title=m.title,
            message=m.message,
            celebration=None if d is None else DecisionOut.of(d),
        )


class MilestonesOut(BaseModel):
    subject_id: str
    milestones: list[MilestoneOut]


class ReachedOut(BaseModel):
    key: str
    title: str
    decision_id: str | None = Field(description="its celebration decision, if one was made")


class ReviewOut(BaseModel):
    reached: dict[str, list[ReachedOut]] = Field(description="new milestones by subject id")


@router.post("/v1/subjects/{subject_id}/contact-decisions", response_model=DecisionOut)
def decide(subject_id: SubjectPath, body: CandidateIn, app: AppDep, _key: Ingest) -> DecisionOut:
    """Decide whether, when and on which channel to send one message. The decision is
    stored: it counts against the person's contact budget and shows in their export."""
    candidate = body.to_candidate(app.clock())
    return DecisionOut.of(app.contact.decide(subject_id, candidate))


@router.get("/v1/subjects/{subject_id}/contact-decisions", response_model=DecisionsOut)
def decisions(
    subject_id: SubjectPath,
    app: AppDep,
    _key: Read,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> DecisionsOut:
    """Past decisions with their reasons, newest first."""
    found = app.contact.decisions(subject_id, limit=limit)
    return DecisionsOut(subject_id=subject_id, decisions=[DecisionOut.of(d) for d in found])


@router.post(
    "/v1/subjects/{subject_id}/contact-decisions/{decision_id}/outcome",
    response_model=DecisionOut,
)
def outcome(
    subject_id: SubjectPath, decision_id: IdPath, body: OutcomeIn, app: AppDep, _key: Ingest
) -> DecisionOut:
    """What happened to a sent message. Unwelcome outcomes in a row lower the person's
    budget (fatigue); repeated dismissals or complaints may open a hand-off case."""
    return DecisionOut.of(
        app.contact.record_outcome(subject_id, decision_id, body.outcome, at=body.at)
    )


@router.get("/v1/subjects/{subject_id}/milestones", response_model=MilestonesOut)
def milestones(subject_id: SubjectPath, app: AppDep, _key: Read) -> MilestonesOut:
    """Milestones reached, each with its celebration decision (if one was made)."""
    found = app.contact.milestones(subject_id)
    return MilestonesOut(
        subject_id=subject_id, milestones=[MilestoneOut.of(m, d) for m, d in found]
    )


@router.post("/v1/milestones/review", response_model=ReviewOut)
def review(app: AppDep, _key: Ingest) -> ReviewOut:
    """Look for newly reached milestones across everyone (run daily: anniversaries arrive
    without any event); new ones get their celebration decided."""
    found = app.contact.review_milestones()
    return ReviewOut(
        reached={
            s: [ReachedOut(key=m.key, title=m.title, decision_id=m.decision_id) for m in ms]
            for s, ms in found.items()
        }
    )
