"""Records several stages share: contact decisions and their outcomes, milestones,
hand-off cases and communities, with the enums they carry.

They sit on the ground floor beside ``types.py`` so the storage ports and adapters
(``store/``, ``sql/``) and the stages (``engage``, ``handoff``, ``privacy``, ...) all read
them without importing each other. The rules that make and change them stay in their
stages: ``engage.decide`` decides, ``engage.milestones`` finds milestones,
``handoff.case`` claims and resolves cases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from tactful.types import Reason, SubjectId

DEFAULT_MIN_MEMBERS = 10
"""The anonymity threshold k of a community when none is given (``community.min_members``)."""


class MessageKind(StrEnum):
    PROMOTIONAL = "promotional"
    TRANSACTIONAL = "transactional"
    CELEBRATION = "celebration"
    SUPPORTIVE = "supportive"
    COMMUNITY = "community"


class Channel(StrEnum):
    EMAIL = "email"
    PUSH = "push"
    SMS = "sms"
    IN_APP = "in_app"


class Urgency(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class Verdict(StrEnum):
    """``send`` now, ``defer`` until ``send_at``, ``suppress`` for good, or ``handoff`` to a
    person on the operator's team who reaches out instead."""

    SEND = "send"
    DEFER = "defer"
    SUPPRESS = "suppress"
    HANDOFF = "handoff"


class Outcome(StrEnum):
    """What happened to a delivered message, as the operator's delivery system reports it."""

    OPENED = "opened"
    CLICKED = "clicked"
    IGNORED = "ignored"
    DISMISSED = "dismissed"
    COMPLAINED = "complained"


ENGAGED = frozenset({Outcome.OPENED, Outcome.CLICKED})
UNWELCOME = frozenset({Outcome.IGNORED, Outcome.DISMISSED, Outcome.COMPLAINED})


@dataclass(frozen=True, slots=True)
class ContactDecision:
    """What Tactful decided for one candidate message, and why.

    Every decision is kept (the contact budget counts them), shown back to the person,
    exported and erased with them. The delivery outcome reported later (opened, ignored,
    ...) is recorded on the decision itself, since fatigue reads it. ``send_at`` is when the
    message goes out (``decided_at`` for send, later for defer, ``None`` when nothing goes
    out); ``channel`` is the channel actually chosen."""

    decision_id: str
    subject_id: SubjectId
    message_id: str
    kind: MessageKind
    requested_channel: Channel
    channel: Channel | None
    topic: str | None
    urgency: Urgency
    decided_at: datetime
    verdict: Verdict
    send_at: datetime | None
    reasons: tuple[Reason, ...] = ()
    digest_id: str | None = None
    why: str | None = None
    outcome: Outcome | None = None
    outcome_at: datetime | None = None

    @property
    def reaches_out(self) -> bool:
        """Whether a message goes (or went) out, so it uses contact budget."""
        return self.verdict in (Verdict.SEND, Verdict.DEFER)

    def with_outcome(self, outcome: Outcome, at: datetime) -> ContactDecision:
        return replace(self, outcome=outcome, outcome_at=at)


@dataclass(frozen=True, slots=True)
class Milestone:
    """A reached milestone, a moment worth a warm word (see ``engage.milestones``).
    ``key`` is stable, so it is reached once however often events are replayed;
    ``decision_id`` names the celebration decision, if one was made (none for milestones
    reached long ago or outshone by a bigger one reached at once)."""

    subject_id: SubjectId
    key: str
    kind: str
    reached_at: datetime
    title: str
    message: str
    decision_id: str | None = None


class CaseStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    RESOLVED = "resolved"


ACTIVE = frozenset({CaseStatus.OPEN, CaseStatus.CLAIMED})


@dataclass(frozen=True, slots=True)
class Case:
    """A hand-off case: a moment when a person on the operator's team should reach out
    instead of automated messages. One case per person at a time; it moves open → claimed →
    resolved (``handoff.case``). ``brief`` is the context summary an agent reads first (see
    ``handoff.brief``), kept as the plain document it was written as, so it reads the same
    after upgrades."""

    case_id: str
    subject_id: SubjectId
    trigger: str
    opened_at: datetime
    status: CaseStatus
    brief: Mapping[str, Any]
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    resolved_at: datetime | None = None
    outcome: str | None = None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


@dataclass(frozen=True, slots=True)
class Community:
    """An opt-in group around shared values and interests, written by the operator.
    ``min_members`` is its anonymity threshold k: below k members it yields no statistics
    and no reasons, and no count of engaged members below k is ever shown."""

    community_id: str
    name: str
    description: str = ""
    values: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    min_members: int = DEFAULT_MIN_MEMBERS

    @property
    def topics(self) -> frozenset[str]:
        """Its values and categories, lower-cased: what its content and messages are about."""
        return frozenset(x.lower() for x in (*self.values, *self.categories))


@dataclass(frozen=True, slots=True)
class Membership:
    """A person's choice to belong to a community (personal data: exported and erased)."""

    subject_id: SubjectId
    community_id: str
    joined_at: datetime
