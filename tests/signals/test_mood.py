from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tactful.errors import InvalidInput
from tactful.signals import (
    EMOTION_GROUPS,
    LifeEvent,
    LifeEventKind,
    MoodReading,
    analyse,
    analyse_many,
    mood_state,
)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def reading(
    valence: float,
    *,
    top: str = "neutral",
    distress: float = 0.0,
    events: tuple[LifeEvent, ...] = (),
) -> MoodReading:
    emotions = {g: (0.9 if g == top else 0.05) for g in EMOTION_GROUPS}
    return MoodReading(valence, ("neutral",), emotions, distress > 0.5, distress, {}, events)


# --- analyse ---------------------------------------------------------------------------------


def test_happy_text() -> None:
    r = analyse("Thank you so much, I absolutely love it!")
    assert r.valence > 0.5
    assert r.sentiment == ("positive",)
    assert max(r.emotions, key=r.emotions.__getitem__) == "joy"
    assert not r.distress
    assert r.life_events == ()


def test_grieving_text() -> None:
    r = analyse("My dog died yesterday and I can't stop crying.")
    assert r.valence < 0
    assert "negative" in r.sentiment
    assert max(r.emotions, key=r.emotions.__getitem__) == "sadness"
    assert r.distress and r.distress_score > 0.5
    assert [e.kind for e in r.life_events] == [LifeEventKind.BEREAVEMENT]


def test_a_sure_hard_life_event_counts_as_distress() -> None:
    r = analyse("My father passed away last week")
    assert r.distress
    assert r.distress_score >= 0.9  # the bereavement's confidence
    assert "negative" in r.sentiment
    move = analyse("We just moved to Leeds", expiry={LifeEventKind.RELOCATION: timedelta(days=5)})
    assert [e.kind for e in move.life_events] == [LifeEventKind.RELOCATION]
    assert move.life_events[0].expires_after == timedelta(days=5)
    assert not move.distress


def test_angry_question_and_neutral_texts() -> None:
    angry, question, plain = analyse_many(
        [
            "This is the worst service ever, I'm furious.",
            "Wait, what do you mean?",
            "It is a chair.",
        ]
    )
    assert "negative" in angry.sentiment
    assert max(angry.emotions, key=angry.emotions.__getitem__) == "anger"
    assert "ambiguous" in question.sentiment
    assert plain.sentiment == ("neutral",)


def test_reading_shape_and_json_view() -> None:
    r = analyse("I lost my job and can't pay rent")
    assert set(r.emotions) == set(EMOTION_GROUPS)
    assert all(0.0 <= v <= 1.0 for v in r.emotions.values())
    assert set(r.sentiment) <= {"positive", "negative", "ambiguous", "neutral"} and r.sentiment
    d = r.to_dict()
    assert set(d) == {
        "valence",
        "sentiment",
        "emotions",
        "distress",
        "distress_score",
        "life_events",
        "requests",
    }
    assert {e["kind"] for e in d["life_events"]} == {"job_loss", "financial_hardship"}
    assert d["requests"] == []


def test_reading_carries_requests_with_evidence() -> None:
    d = analyse("Please stop sending me emails. No more baby stuff!").to_dict()
    assert d["requests"] == [
        {"kind": "stop_messages", "confidence": 0.9, "evidence": "stop sending me"},
        {"kind": "mute:baby", "confidence": 0.9, "evidence": "no more baby stuff"},
    ]


def test_batch_equals_one_by_one() -> None:
    texts = ["I am so happy today", "meh", "This broke after two days, refund please"]
    batch = analyse_many(texts)
    for text, r in zip(texts, batch, strict=True):
        single = analyse(text)
        assert single.sentiment == r.sentiment
        assert single.emotions == pytest.approx(r.emotions, abs=1e-6)


@pytest.mark.parametrize(
    ("text", "field"), [("", "text"), ("   ", "text"), (42, "text"), (None, "text")]
)
def test_bad_text_is_rejected_naming_the_field(text: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        analyse(text)
    assert err.value.field == field


def test_long_text_is_read_from_its_start() -> None:
    start = "I love this so much, thank you! "
    prefix = start + "meh " * 4_992
    assert len(prefix) == 20_000
    assert analyse(prefix + "I hate it. " * 1_000).to_dict() == analyse(prefix).to_dict()


def test_bad_text_in_a_batch_names_its_index() -> None:
    with pytest.raises(InvalidInput) as err:
        analyse_many(["fine", ""])
    assert err.value.field == "texts[1]"
    assert analyse_many([]) == []


# --- mood_state ------------------------------------------------------------------------------


def test_decay_weights_halve_every_half_life() -> None:
    state = mood_state(
        [(NOW, reading(1.0, top="joy")), (NOW - timedelta(days=7), reading(-1.0, top="sadness"))],
        NOW,
    )
    # weights 1 and 0.5: (1 - 0.5) / 1.5
    assert state.valence == pytest.approx(1 / 3)
    assert state.weight == pytest.approx(1.5)
    assert state.readings == 2
    assert state.dominant_emotion == "joy"
    assert state.emotions["joy"] == pytest.approx((0.9 + 0.5 * 0.05) / 1.5)


def test_old_sadness_gives_way_to_recent_joy_only_with_time() -> None:
    sad = [(NOW - timedelta(days=d), reading(-0.8, top="sadness")) for d in (1, 2, 3)]
    happy = [(NOW, reading(0.8, top="joy"))]
    assert mood_state(sad + happy, NOW).dominant_emotion == "sadness"
    later = NOW + timedelta(days=30)
    recent = [(later, reading(0.8, top="joy"))]
    assert mood_state(sad + recent, later).dominant_emotion == "joy"


def test_half_life_changes_the_balance() -> None:
    readings = [(NOW, reading(1.0)), (NOW - timedelta(days=1), reading(-1.0))]
    short = mood_state(readings, NOW, half_life=timedelta(hours=1))
    long = mood_state(readings, NOW, half_life=timedelta(days=365))
    assert short.valence > 0.99
    assert long.valence == pytest.approx(0.0, abs=0.01)


def test_empty_and_future_readings() -> None:
    empty = mood_state([], NOW)
    assert (empty.valence, empty.weight, empty.readings, empty.dominant_emotion) == (0, 0, 0, None)
    future = mood_state([(NOW + timedelta(hours=1), reading(-1.0))], NOW)
    assert future.readings == 0 and future.valence == 0.0


def test_life_events_expire() -> None:
    grief = LifeEvent(LifeEventKind.BEREAVEMENT, 0.9, timedelta(days=60), "passed away")
    move = LifeEvent(LifeEventKind.RELOCATION, 0.8, timedelta(days=30), "moved to")
    readings = [
        (NOW - timedelta(days=40), reading(-0.5, events=(grief, move))),
        (NOW - timedelta(days=2), reading(0.1)),
    ]
    state = mood_state(readings, NOW)
    assert [e.kind for e in state.life_events] == [LifeEventKind.BEREAVEMENT]
    assert mood_state(readings, NOW + timedelta(days=21)).life_events == ()


def test_distress_is_decayed_too() -> None:
    state = mood_state(
        [(NOW, reading(0.0, distress=0.0)), (NOW - timedelta(days=7), reading(-1.0, distress=0.9))],
        NOW,
    )
    assert state.distress_score == pytest.approx(0.45 / 1.5)


@pytest.mark.parametrize(
    ("readings", "now", "half_life", "field"),
    [
        ([], datetime(2025, 3, 1), timedelta(days=7), "now"),
        ([], NOW, timedelta(0), "half_life"),
        ([(datetime(2025, 3, 1), reading(0.0))], NOW, timedelta(days=7), "readings[0]"),
    ],
)
def test_bad_state_input(
    readings: list[tuple[datetime, MoodReading]], now: datetime, half_life: timedelta, field: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        mood_state(readings, now, half_life)
    assert err.value.field == field
