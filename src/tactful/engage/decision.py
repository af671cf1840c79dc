"""A contact decision as stored: what Tactful decided for one candidate, and why.

Every decision is kept (the contact budget counts them), shown back to the person, exported
and erased with them. The delivery outcome reported later (opened, ignored, ...) is recorded
on the decision itself, since fatigue reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from tactful.engage.message import Channel, MessageKind, Urgency
from tactful.types import Reason, SubjectId


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
    """One decision. ``send_at`` is when the message goes out (``decided_at`` for send, later
    for defer, ``None`` when nothing goes out); ``channel`` is the channel actually chosen."""

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
