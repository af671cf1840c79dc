"""Hand-off triggers: signs that a person on the team should reach out. Each is a small
function over what Tactful already knows, returning a ``Trigger`` or None.

==================  ====================================================================
trigger             fires when
==================  ====================================================================
explicit_request    a recent text asks for a person ("talk to a person", "speak to
                    someone"), and is not negated ("no need to speak to anyone"), or the
                    person's ``human`` request (``signals.requests``) was stated recently
erasure_request     the person asked in words to have their data erased (``erase_me``):
                    an agent confirms with them; nothing is erased on an inference
<life event kind>   a live life event of a configured kind (bereavement, financial
                    hardship by default); the trigger is named after the kind
distress_support    the person is in distress and sent a support message recently
frustration         anger or disgust in a recent support message, and N or more failures
                    within the window: dismissed recommendations and messages, complaints,
                    texts saying it happened before ("again", "third time", "nobody answers")
negative_feedback   N or more of our messages dismissed or complained about, dismissed
                    recommendations, plus angry support messages, within the window
==================  ====================================================================
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tactful.phrasing import count
from tactful.records import ContactDecision, Outcome
from tactful.signals.profile import Profile
from tactful.types import Event, EventType, Signal


@dataclass(frozen=True, slots=True)
class Trigger:
    """Why a case opens: ``evidence_at`` is when the newest evidence happened, so evidence
    a previous case already covered does not open another."""

    name: str
    evidence_at: datetime
    summary: str
    evidence: tuple[str, ...] = ()


_ASK = re.compile(
    r"\b(?:talk|speak|chat)(?:ing)?\s+(?:to|with)\s+(?:a\s+|an\s+|some\s+)?"
    r"(?:real\s+|actual\s+|live\s+)?(?:person|human|someone|somebody|agent|representative|"
    r"advis[eo]r|people)\b"
    r"|\b(?:real|actual|live)\s+(?:person|human)\b|\bhuman\s+being\b"
)
_NEGATED = re.compile(
    r"\b(?:don't|dont|do not|doesn't|no need to|not|never|won't|wouldn't|without)\b[^.!?]{0,24}$"
)


def asks_for_a_person(text: str) -> bool:
    low = text.lower().replace("’", "'")
    return any(not _NEGATED.search(low[: m.start()]) for m in _ASK.finditer(low))


def _noticed(s: Signal) -> datetime:
    noticed = s.detail.get("noticed_at")
    return datetime.fromisoformat(noticed) if isinstance(noticed, str) else s.created_at


def _phrase(s: Signal | None) -> str:
    phrase = None if s is None else s.detail.get("phrase")
    return f' (they wrote "{phrase}")' if isinstance(phrase, str) and phrase else ""


def explicit_request(
    texts: Sequence[Event], since: datetime, profile: Profile | None = None
) -> Trigger | None:
    asked = profile.asked("human") if profile is not None else None
    if asked is not None and _noticed(asked) < since:
        asked = None
    asks = [e for e in texts if e.occurred_at >= since and e.text and asks_for_a_person(e.text)]
    times = [e.occurred_at for e in asks] + ([_noticed(asked)] if asked is not None else [])
    if not times:
        return None
    ids = {e.event_id for e in asks} | set(asked.evidence if asked is not None else ())
    return Trigger(
        "explicit_request",
        max(times),
        f"They asked to talk to a person{_phrase(asked)}.",
        tuple(sorted(ids)),
    )


def erasure_request(profile: Profile, since: datetime) -> Trigger | None:
    """Erasure is never done on an inference: the case asks an agent to confirm it."""
    asked = profile.asked("erase_me")
    if asked is None or _noticed(asked) < since:
        return None
    return Trigger(
        "erasure_request",
        _noticed(asked),
        f"They asked to have their data erased{_phrase(asked)}; confirm with them before "
        "anything is deleted.",
        tuple(asked.evidence),
    )


def life_event(profile: Profile, kinds: Sequence[str]) -> Trigger | None:
    for s in profile.life_events:  # most confident first
        kind = s.kind.removeprefix("life_event:")
        if kind not in kinds:
            continue
        noticed = s.detail.get("noticed_at")
        at = datetime.fromisoformat(noticed) if isinstance(noticed, str) else s.created_at
        phrase = s.detail.get("phrase")
        said = f' (they wrote "{phrase}")' if isinstance(phrase, str) and phrase else ""
        return Trigger(
            kind,
            at,
            f"What they wrote suggests {kind.replace('_', ' ')}{said}.",
            tuple(s.evidence),
        )
    return None


def distress_support(profile: Profile, texts: Sequence[Event], since: datetime) -> Trigger | None:
    if not profile.distressed:
        return None
    support = [e for e in texts if e.type is EventType.SUPPORT_MESSAGE and e.occurred_at >= since]
    if not support:
        return None
    last = max(support, key=lambda e: e.occurred_at)
    return Trigger(
        "distress_support",
        last.occurred_at,
        "They sound distressed and recently wrote to support.",
        tuple(e.event_id for e in support),
    )


def failures(
    decisions: Sequence[ContactDecision],
    profile: Profile,
    texts: Sequence[Event],
    dismissals: Sequence[Event],
    since: datetime,
) -> list[tuple[datetime, str]]:
    """What went wrong for the person within the window, as (when, evidence id): messages
    dismissed or complained about, recommendations dismissed, angry support messages (the
    ``complaints`` signal)."""
    bad = [
        (d.outcome_at, d.decision_id)
        for d in decisions
        if d.outcome in (Outcome.DISMISSED, Outcome.COMPLAINED)
        and d.outcome_at is not None
        and d.outcome_at >= since
    ]
    bad += [
        (e.occurred_at, e.event_id)
        for e in dismissals
        if e.type is EventType.DISMISS and e.occurred_at >= since
    ]
    angry = profile.get("complaints")
    cited = set(angry.evidence) if angry is not None else set()
    bad += [
        (e.occurred_at, e.event_id) for e in texts if e.event_id in cited and e.occurred_at >= since
    ]
    return bad


def negative_feedback(
    decisions: Sequence[ContactDecision],
    profile: Profile,
    texts: Sequence[Event],
    *,
    since: datetime,
    threshold: int,
    dismissals: Sequence[Event] = (),
) -> Trigger | None:
    """Dismissed or complained-about messages, dismissed recommendations and angry
    support messages (the tact layer's ``complaints`` signal), within the window."""
    bad = failures(decisions, profile, texts, dismissals, since)
    if len(bad) < threshold:
        return None
    return Trigger(
        "negative_feedback",
        max(at for at, _ in bad),
        f"{count(len(bad), 'complaint or dismissal', 'complaints or dismissals')} recently.",
        tuple(i for _, i in sorted(bad)),
    )
