"""Mood, distress, life events, complaints and requests from a person's texts, as signals.

Pure: the texts are given (the caller reads them only under a granted ``emotional_context``)
and each is read by ``tactful.signals.mood.analyse_many``. Every signal carries the ids of the
texts behind it and an expiry: a hard moment must not follow a person forever.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tactful.settings import SignalSettings
from tactful.signals.asked import stated
from tactful.signals.life_events import LifeEvent
from tactful.signals.mood import MoodReading, analyse_many, mood_state
from tactful.signals.profile import DISTRESS, LIFE_EVENT, MOOD, TOPICS
from tactful.signals.requests import repeated_failure
from tactful.signals.topics import Vocabulary, topics_of
from tactful.types import Event, EventType, Purpose, Signal, SubjectId

TEXT_TYPES = frozenset({EventType.FEEDBACK_TEXT, EventType.SUPPORT_MESSAGE})
COMPLAINT_WINDOW = timedelta(days=30)
COMPLAINT_VALENCE = -0.3
"""A support message this negative or worse counts as a complaint."""


Analyse = Callable[[Sequence[str]], list[MoodReading]]
"""Reads many texts at once (``tactful.signals.mood.analyse_many``)."""


@dataclass(frozen=True, slots=True)
class Read:
    event: Event
    reading: MoodReading


def _mood(subject: SubjectId, reads: Sequence[Read], now: datetime, s: SignalSettings) -> Signal:
    """The decayed mood (``mood_state``): valence, and the dominant recent emotion."""
    half_life = timedelta(days=s.mood_half_life_days)
    state = mood_state([(r.event.occurred_at, r.reading) for r in reads], now, half_life)
    latest = max(r.event.occurred_at for r in reads)
    return Signal(
        subject,
        MOOD,
        round(state.valence, 6),
        Purpose.EMOTIONAL_CONTEXT,
        now,
        expires_at=latest + timedelta(days=s.mood_days),
        detail={
            "emotion": state.dominant_emotion,
            "emotions": {k: round(v, 4) for k, v in state.emotions.items()},
            "distress_score": round(state.distress_score, 4),
            "texts": state.readings,
        },
        evidence=tuple(r.event.event_id for r in reads),
    )


def _distress(
    subject: SubjectId, reads: Sequence[Read], now: datetime, s: SignalSettings
) -> list[Signal]:
    """Distress the model read in texts of the last ``distress_days``; the value is the
    strongest score."""
    window = timedelta(days=s.distress_days)
    recent = [r for r in reads if r.event.occurred_at > now - window]
    strong = [r for r in recent if r.reading.distress]
    if not strong:
        return []
    top = max(strong, key=lambda r: (r.reading.distress_score, r.event.occurred_at))
    return [
        Signal(
            subject,
            DISTRESS,
            round(top.reading.distress_score, 6),
            Purpose.EMOTIONAL_CONTEXT,
            now,
            expires_at=max(r.event.occurred_at for r in strong) + window,
            detail={"texts": len(strong)},
            evidence=tuple(r.event.event_id for r in strong),
        )
    ]


def _life_events(
    subject: SubjectId, reads: Sequence[Read], now: datetime, s: SignalSettings
) -> list[Signal]:
    """Per kind, the most confident live mention; it expires after the kind's own time."""
    best: dict[str, tuple[LifeEvent, Event]] = {}
    for r in reads:
        for found in r.reading.life_events:
            kind = str(found.kind)
            live = r.event.occurred_at + found.expires_after > now
            if not live or found.confidence < s.life_event_min_confidence:
                continue
            seen = best.get(kind)
            if seen is None or (found.confidence, r.event.occurred_at) > (
                seen[0].confidence,
                seen[1].occurred_at,
            ):
                best[kind] = (found, r.event)
    return [
        Signal(
            subject,
            LIFE_EVENT + kind,
            round(found.confidence, 6),
            Purpose.EMOTIONAL_CONTEXT,
            now,
            expires_at=event.occurred_at + found.expires_after,
            detail={"phrase": found.evidence, "noticed_at": event.occurred_at.isoformat()},
            evidence=(event.event_id,),
        )
        for kind, (found, event) in sorted(best.items())
    ]


def _complaints(subject: SubjectId, reads: Sequence[Read], now: datetime) -> list[Signal]:
    """How many angry or unhappy support messages the person sent in the last 30 days."""
    since = now - COMPLAINT_WINDOW
    hits = [
        r
        for r in reads
        if r.event.type is EventType.SUPPORT_MESSAGE
        and r.event.occurred_at >= since
        and r.reading.valence <= COMPLAINT_VALENCE
    ]
    if not hits:
        return []
    return [
        Signal(
            subject,
            "complaints",
            float(len(hits)),
            Purpose.EMOTIONAL_CONTEXT,
            now,
            expires_at=max(r.event.occurred_at for r in hits) + COMPLAINT_WINDOW,
            detail={"window_days": COMPLAINT_WINDOW.days},
            evidence=tuple(r.event.event_id for r in hits),
        )
    ]


FRUSTRATION = "frustration"
FRUSTRATION_WINDOW = timedelta(days=14)


def _frustration(
    subject: SubjectId, reads: Sequence[Read], now: datetime, s: SignalSettings
) -> list[Signal]:
    """Anger or disgust in recent support messages, with the words of repeated failure
    ("again", "third time", "nobody answers") in any recent text; each with its time, so a
    hand-off trigger counts only those in its own window."""
    since = now - FRUSTRATION_WINDOW
    recent = [r for r in reads if r.event.occurred_at >= since]
    angry = [
        (r, max(r.reading.emotions.get("anger", 0.0), r.reading.emotions.get("disgust", 0.0)))
        for r in recent
        if r.event.type is EventType.SUPPORT_MESSAGE
    ]
    angry = [(r, score) for r, score in angry if score >= s.frustration_anger]
    if not angry:
        return []
    repeats = [(r, repeated_failure(r.event.text or "")) for r in recent]
    last = max(r.event.occurred_at for r, _ in angry)
    return [
        Signal(
            subject,
            FRUSTRATION,
            round(max(score for _, score in angry), 6),
            Purpose.EMOTIONAL_CONTEXT,
            now,
            expires_at=last + FRUSTRATION_WINDOW,
            detail={
                "angry": [
                    {"id": r.event.event_id, "at": r.event.occurred_at.isoformat()}
                    for r, _ in angry
                ],
                "repeats": [
                    {"id": r.event.event_id, "at": r.event.occurred_at.isoformat(), "phrase": p}
                    for r, p in repeats
                    if p
                ],
            },
            evidence=tuple(r.event.event_id for r, _ in angry),
        )
    ]


def _topics(
    subject: SubjectId,
    reads: Sequence[Read],
    hard: Sequence[Signal],
    vocabulary: Vocabulary,
    now: datetime,
) -> list[Signal]:
    """The catalogue categories the texts of a hard time are about: those that read as
    distress or name a life event, and every later one (they are written in it). It
    expires with the last of the hard-time signals (``hard``: distress, life events)."""
    ends = [s.expires_at for s in hard if s.expires_at is not None]
    starts = [r.event.occurred_at for r in reads if r.reading.distress or r.reading.life_events]
    if not ends or not starts:
        return []
    found: dict[str, list[str]] = {}
    for r in reads:
        if r.event.occurred_at >= min(starts):
            for c in topics_of(r.event.text or "", vocabulary):
                found.setdefault(c, []).append(r.event.event_id)
    if not found:
        return []
    return [
        Signal(
            subject,
            TOPICS,
            float(len(found)),
            Purpose.EMOTIONAL_CONTEXT,
            now,
            expires_at=max(ends),
            detail={"categories": sorted(found)},
            evidence=tuple(sorted({i for ids in found.values() for i in ids})),
        )
    ]


def emotional_signals(
    subject: SubjectId,
    texts: Sequence[Event],
    *,
    now: datetime,
    settings: SignalSettings,
    analyse: Analyse | None = None,
    vocabulary: Vocabulary | None = None,
) -> list[Signal]:
    """Mood, distress, life events, complaints and requests (``signals.asked``) from these
    texts (the subject's own, oldest first); texts from the future or without words are
    skipped. With the catalogue's ``vocabulary``, also the ``topics`` of a hard time's
    texts (and mute requests named by its categories)."""
    usable = [
        e
        for e in texts
        if e.subject_id == subject
        and e.text
        and e.text.strip()
        and e.type in TEXT_TYPES
        and e.occurred_at <= now
    ]
    if not usable:
        return []
    readings = (analyse or analyse_many)([e.text or "" for e in usable])
    reads = [Read(e, r) for e, r in zip(usable, readings, strict=True)]
    hard = [*_distress(subject, reads, now, settings), *_life_events(subject, reads, now, settings)]
    topics = _topics(subject, reads, hard, vocabulary, now) if vocabulary else []
    asked = stated(
        subject, [(r.event, r.reading.requests) for r in reads], now=now, vocabulary=vocabulary
    )
    return [
        _mood(subject, reads, now, settings),
        *hard,
        *topics,
        *_complaints(subject, reads, now),
        *_frustration(subject, reads, now, settings),
        *asked,
    ]
