"""Hand-built situations for rule tests: a person with messaging granted, interested in
running, and whatever a test changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from tactful.consent.ledger import fold
from tactful.engage.message import Candidate
from tactful.engage.situation import Situation
from tactful.records import Channel, ContactDecision, MessageKind, Urgency, Verdict
from tactful.settings import EngageSettings, Settings
from tactful.signals.profile import profile_of
from tactful.types import ConsentRecord, Decision, Preferences, Purpose, Signal

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)  # a Monday, 14:00 in Berlin
S = "u1"


def consents(*granted: Purpose) -> dict[Purpose, Decision]:
    return fold(ConsentRecord(S, p, Decision.GRANTED, NOW) for p in granted)


def signal(
    kind: str, value: float = 0.9, purpose: Purpose = Purpose.EMOTIONAL_CONTEXT, **detail: Any
) -> Signal:
    return Signal(S, kind, value, purpose, NOW, NOW + timedelta(days=30), detail)


def situation(
    *,
    prefs: Preferences | None = None,
    granted: Sequence[Purpose] = (Purpose.MESSAGING,),
    signals: Sequence[Signal] = (),
    history: Sequence[ContactDecision] = (),
    settings: EngageSettings | None = None,
    case: Any = None,
    full: Settings | None = None,
) -> Situation:
    p = prefs or Preferences(preferred_categories=("running",))
    state = consents(*granted)
    profile = profile_of(
        stored=signals, consents=state, prefs=p, now=NOW, settings=full or Settings()
    )
    return Situation(
        subject_id=S,
        consents=state,
        prefs=p,
        profile=profile,
        history=tuple(history),
        case=case,
        settings=settings or EngageSettings(),
    )


def candidate(**changes: Any) -> Candidate:
    base = Candidate("m1", MessageKind.PROMOTIONAL, Channel.EMAIL, NOW, "running", Urgency.NORMAL)
    return replace(base, **changes)


def sent(
    at: datetime,
    *,
    kind: MessageKind = MessageKind.PROMOTIONAL,
    channel: Channel = Channel.EMAIL,
    verdict: Verdict = Verdict.SEND,
    digest_id: str | None = None,
    n: int = 0,
) -> ContactDecision:
    """A past decision that went (or goes) out at ``at``."""
    return ContactDecision(
        decision_id=f"past{n}-{at.isoformat()}",
        subject_id=S,
        message_id=f"past{n}",
        kind=kind,
        requested_channel=channel,
        channel=channel,
        topic="running",
        urgency=Urgency.NORMAL,
        decided_at=min(at, NOW),
        verdict=verdict,
        send_at=at,
        digest_id=digest_id,
    )
