"""Mood from text, and mood over time.

``analyse`` reads one text: valence (VADER compound), sentiment groups and Ekman emotion groups
from the packaged GoEmotions model, distress, and life events. ``mood_state`` folds a person's
readings into one exponentially decayed summary. Both are pure: the caller passes ``now`` and
is responsible for analysing text only under ``emotional_context`` consent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from tactful.errors import InvalidInput
from tactful.instants import require_aware
from tactful.signals.emotions import (
    EMOTION_GROUPS,
    OUTPUTS,
    SENTIMENT_GROUPS,
    EmotionModel,
    default_model,
    polarity,
)
from tactful.signals.life_events import LifeEvent, LifeEventKind, detect_life_events_many
from tactful.signals.requests import Request, detect_requests

MAX_TEXT_CHARS = 20_000
"""Longer texts are read from their first this-many characters (the mood is set by then)."""
# Life events that mean a hard time: a sure mention of one counts as distress on its own, since
# the classifier reads "my father passed away" as mostly neutral.
HARD_EVENTS = frozenset(
    {
        LifeEventKind.BEREAVEMENT,
        LifeEventKind.ILLNESS,
        LifeEventKind.JOB_LOSS,
        LifeEventKind.FINANCIAL_HARDSHIP,
    }
)
SURE_EVENT = 0.7


@dataclass(frozen=True, slots=True)
class MoodReading:
    """What one text says about its author's mood right now.

    ``distress`` is the classifier's call or a sure (``SURE_EVENT``) hard life event
    (``HARD_EVENTS``); ``distress_score`` is the larger of the classifier's probability and that
    event's confidence.
    """

    valence: float
    sentiment: tuple[str, ...]
    emotions: Mapping[str, float]
    distress: bool
    distress_score: float
    sentiment_scores: Mapping[str, float] = field(default_factory=dict)
    life_events: tuple[LifeEvent, ...] = ()
    requests: tuple[Request, ...] = ()
    """What the author asks for in words (``signals.requests``), each with its evidence."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (rounded), as the CLI and the API print it."""
        return {
            "valence": round(self.valence, 4),
            "sentiment": list(self.sentiment),
            "emotions": {k: round(v, 4) for k, v in self.emotions.items()},
            "distress": self.distress,
            "distress_score": round(self.distress_score, 4),
            "life_events": [
                {"kind": e.kind.value, "confidence": e.confidence, "evidence": e.evidence}
                for e in self.life_events
            ],
            "requests": [
                {"kind": r.name, "confidence": r.confidence, "evidence": r.evidence}
                for r in self.requests
            ],
        }


def _check(text: object, name: str) -> None:
    if not isinstance(text, str):
        raise InvalidInput(f"expected a string, got {type(text).__name__}", field=name)
    if not text.strip():
        raise InvalidInput("text is empty", field=name)


def analyse_many(
    texts: Sequence[str],
    *,
    model: EmotionModel | None = None,
    expiry: Mapping[LifeEventKind, timedelta] | None = None,
) -> list[MoodReading]:
    """Read many texts at once (much faster per text than one by one); ``expiry`` overrides
    the life events' default expiry per kind."""
    for i, text in enumerate(texts):
        _check(text, f"texts[{i}]")
    if not texts:
        return []
    texts = [t[:MAX_TEXT_CHARS] for t in texts]
    model = model or default_model()
    vader = polarity(texts)
    probs = model.predict(texts, vader)
    chosen = model.decide(probs)
    col = {name: j for j, name in enumerate(OUTPUTS)}
    readings = []
    found = detect_life_events_many(texts, expiry=expiry)
    for i, events_of in enumerate(found):
        events = tuple(events_of)
        hard = max(
            (e.confidence for e in events if e.kind in HARD_EVENTS and e.confidence >= SURE_EVENT),
            default=0.0,
        )
        emotions = {g: float(probs[i, col[g]]) for g in EMOTION_GROUPS}
        readings.append(
            MoodReading(
                valence=float(vader[i, 0]),
                sentiment=tuple(g for g in SENTIMENT_GROUPS if chosen[i, col[g]]),
                emotions=emotions,
                distress=bool(chosen[i, col["distress"]]) or hard > 0.0,
                distress_score=max(float(probs[i, col["distress"]]), hard),
                sentiment_scores={g: float(probs[i, col[g]]) for g in SENTIMENT_GROUPS},
                life_events=events,
                requests=tuple(detect_requests(texts[i])),
            )
        )
    return readings


def analyse(
    text: str,
    *,
    model: EmotionModel | None = None,
    expiry: Mapping[LifeEventKind, timedelta] | None = None,
) -> MoodReading:
    """Read one text: valence, sentiment groups, emotion groups, distress and life events."""
    _check(text, "text")
    return analyse_many([text], model=model, expiry=expiry)[0]


@dataclass(frozen=True, slots=True)
class MoodState:
    """A person's recent mood: readings weighted by ``0.5 ** (age / half_life)``.

    ``weight`` is the sum of those weights (how much recent evidence there is); with no
    readings the state is neutral with weight 0 and no dominant emotion.
    """

    valence: float
    weight: float
    readings: int
    dominant_emotion: str | None
    emotions: Mapping[str, float]
    distress_score: float
    life_events: tuple[LifeEvent, ...] = ()


def _active_events(
    readings: Sequence[tuple[datetime, MoodReading]], now: datetime
) -> tuple[LifeEvent, ...]:
    """Life events not yet expired at ``now``, the most confident per kind."""
    best: dict[LifeEventKind, LifeEvent] = {}
    for at, reading in readings:
        for event in reading.life_events:
            held = best.get(event.kind)
            if at + event.expires_after > now and (
                held is None or event.confidence > held.confidence
            ):
                best[event.kind] = event
    return tuple(sorted(best.values(), key=lambda e: (-e.confidence, e.kind.value)))


def mood_state(
    readings: Sequence[tuple[datetime, MoodReading]],
    now: datetime,
    half_life: timedelta = timedelta(days=7),
) -> MoodState:
    """Fold timestamped readings into a decayed mood; readings after ``now`` are ignored."""
    require_aware(now, "now")
    if half_life <= timedelta(0):
        raise InvalidInput("half_life must be positive", field="half_life")
    for i, (at, _) in enumerate(readings):
        require_aware(at, f"readings[{i}]")
    past = [(at, r) for at, r in readings if at <= now]
    if not past:
        return MoodState(0.0, 0.0, 0, None, dict.fromkeys(EMOTION_GROUPS, 0.0), 0.0)
    ages = np.array([(now - at) / half_life for at, _ in past])
    weights = 0.5**ages
    total = float(weights.sum())
    valence = float(weights @ np.array([r.valence for _, r in past])) / total
    matrix = np.array([[r.emotions.get(g, 0.0) for g in EMOTION_GROUPS] for _, r in past])
    emotions = dict(zip(EMOTION_GROUPS, (weights @ matrix / total).tolist(), strict=True))
    distress = float(weights @ np.array([r.distress_score for _, r in past])) / total
    return MoodState(
        valence=valence,
        weight=total,
        readings=len(past),
        dominant_emotion=max(EMOTION_GROUPS, key=lambda g: emotions[g]),
        emotions=emotions,
        distress_score=distress,
        life_events=_active_events(past, now),
    )
