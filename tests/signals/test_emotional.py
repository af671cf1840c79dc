"""Mood, distress, life events and complaints from texts, with a scripted analyser so the
right answer is known (the real model is exercised in the REST scenarios)."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from tactful.settings import SignalSettings
from tactful.signals.emotional import emotional_signals
from tactful.signals.life_events import LifeEvent, LifeEventKind
from tactful.signals.mood import MoodReading
from tactful.types import Event, EventType, Purpose, Signal

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
DAY = timedelta(days=1)


def reading(valence: float, emotions: dict[str, float], distress: float = 0.0,
            events: tuple[LifeEvent, ...] = ()) -> MoodReading:  # fmt: skip
    return MoodReading(valence, (), emotions, distress >= 0.5, distress, life_events=events)


GRIEF = LifeEvent(LifeEventKind.BEREAVEMENT, 0.9, timedelta(days=60), "passed away")
WEAK_MOVE = LifeEvent(LifeEventKind.RELOCATION, 0.3, timedelta(days=30))
READINGS = {
    "my father passed away": reading(-0.8, {"sadness": 0.9, "neutral": 0.1}, 0.9, (GRIEF,)),
    "order is late again": reading(-0.6, {"anger": 0.7}),
    "love the new tent": reading(0.9, {"joy": 0.9}),
    "maybe moving": reading(0.0, {"neutral": 1.0}, 0.0, (WEAK_MOVE,)),
}


def scripted(texts: Sequence[str]) -> list[MoodReading]:
    return [READINGS[t] for t in texts]


def text(n: int, words: str, days: float, kind: EventType = EventType.FEEDBACK_TEXT) -> Event:
    return Event(f"t{n}", "u1", kind, NOW - days * DAY, text=words)


def derive(*texts: Event) -> dict[str, Signal]:
    found = emotional_signals("u1", texts, now=NOW, settings=SignalSettings(), analyse=scripted)
    assert all(s.purpose is Purpose.EMOTIONAL_CONTEXT for s in found)
    return {s.kind: s for s in found}


def test_bereavement_text_gives_life_event_distress_and_low_mood() -> None:
    got = derive(text(1, "my father passed away", days=7))
    assert set(got) == {"mood", "distress", "life_event:bereavement"}
    grief = got["life_event:bereavement"]
    assert grief.value == 0.9
    assert grief.expires_at == NOW - 7 * DAY + 60 * DAY
    assert grief.evidence == ("t1",)
    assert grief.detail["phrase"] == "passed away"
    distress = got["distress"]
    assert distress.expires_at == NOW - 7 * DAY + 14 * DAY
    mood = got["mood"]
    assert mood.value == pytest.approx(-0.8)
    assert mood.detail["emotion"] == "sadness"
    assert mood.detail["texts"] == 1


def test_mood_decays_towards_recent_texts() -> None:
    got = derive(text(1, "order is late again", days=14), text(2, "love the new tent", days=0))
    mood = got["mood"]
    # weights 0.25 (two half-lives ago) and 1.0
    expected = (0.25 * -0.6 + 1.0 * 0.9) / 1.25
    assert mood.value == pytest.approx(expected, abs=1e-6)
    assert mood.detail["emotion"] == "joy"
    assert mood.expires_at == NOW + 30 * DAY
    assert "distress" not in got


def test_old_or_weak_events_and_old_distress_do_not_count() -> None:
    got = derive(text(1, "my father passed away", days=61), text(2, "maybe moving", days=1))
    assert "life_event:bereavement" not in got  # 60 days are over
    assert "life_event:relocation" not in got  # below the confidence floor
    assert "distress" not in got  # older than distress_days


def test_angry_support_messages_count_as_complaints() -> None:
    got = derive(
        text(1, "order is late again", 2, EventType.SUPPORT_MESSAGE),
        text(2, "order is late again", 40, EventType.SUPPORT_MESSAGE),
        text(3, "order is late again", 1),  # feedback, not a support message
    )
    assert got["complaints"].value == 1.0
    assert got["complaints"].evidence == ("t1",)


def test_no_text_no_signals() -> None:
    assert derive() == {}
    other = Event("x", "u2", EventType.FEEDBACK_TEXT, NOW, text="my father passed away")
    assert derive(other) == {}
