"""Requests as signals: one per name from the newest text, lasting until lifted; an undo
holds against the same old text, a newer text states it again; a resume lifts stop and
fewer. Frustration: angry support messages with the words of repeated failure."""

from datetime import UTC, datetime, timedelta

from tactful.settings import SignalSettings
from tactful.signals.asked import active, carry, lift, stated
from tactful.signals.emotional import emotional_signals
from tactful.signals.requests import detect_requests
from tactful.types import Event, EventType, Signal

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def text(i: int, words: str, days: float, kind: EventType = EventType.FEEDBACK_TEXT) -> Event:
    return Event(f"t{i}", "u1", kind, NOW - timedelta(days=days), text=words)


def read(*events: Event) -> list[Signal]:
    return stated("u1", [(e, detect_requests(e.text or "")) for e in events], now=NOW)


def test_each_request_is_a_signal_with_its_phrase_and_no_expiry() -> None:
    (stop,) = read(text(1, "please stop emailing me", 3))
    assert stop.kind == "request:stop_messages" and stop.value == 1.0
    assert stop.expires_at is None and stop.evidence == ("t1",)
    assert stop.detail["phrase"] == "stop emailing me"
    assert stop.detail["noticed_at"] == (NOW - timedelta(days=3)).isoformat()


def test_a_later_resume_lifts_stop_and_fewer() -> None:
    out = read(text(1, "stop emailing me", 5), text(2, "you can email me again", 1))
    assert active(out) == ()
    assert out[0].detail["by"] == "resume"
    again = read(text(2, "you can email me again", 5), text(1, "stop emailing me", 1))
    assert [s.kind for s in active(again)] == ["request:stop_messages"]


def test_an_undo_holds_against_the_old_text_but_not_a_newer_one() -> None:
    (stop,) = read(text(1, "stop emailing me", 3))
    undone = lift(stop, at=NOW - timedelta(days=1), by="person")
    assert active(carry([undone], read(text(1, "stop emailing me", 3)))) == ()
    newer = read(text(1, "stop emailing me", 3), text(2, "unsubscribe me", 0.5))
    assert [s.value for s in carry([undone], newer)] == [1.0]


def test_requests_outlast_their_texts() -> None:
    (stop,) = read(text(1, "stop emailing me", 3))
    assert carry([stop], []) == [stop]


def test_emotional_signals_read_requests_and_frustration() -> None:
    texts = [
        text(
            1,
            "Third wrong delivery and nobody answers. This is ridiculous, I am furious!",
            1,
            EventType.SUPPORT_MESSAGE,
        ),
        text(2, "No more baby stuff, please", 0.5),
    ]
    got = {s.kind: s for s in emotional_signals("u1", texts, now=NOW, settings=SignalSettings())}
    assert "request:mute:baby" in got
    frustrated = got["frustration"]
    assert frustrated.value >= 0.3 and frustrated.evidence == ("t1",)
    repeats = frustrated.detail["repeats"]
    assert isinstance(repeats, list) and repeats[0]["phrase"] == "third wrong delivery"


def test_a_calm_support_message_is_no_frustration() -> None:
    texts = [
        text(1, "Could you tell me when my parcel arrives? Thanks", 1, EventType.SUPPORT_MESSAGE)
    ]
    got = {s.kind for s in emotional_signals("u1", texts, now=NOW, settings=SignalSettings())}
    assert "frustration" not in got


def test_a_mute_is_named_by_the_catalogues_category() -> None:
    from tactful.signals.topics import vocabulary
    from tactful.types import Item

    words = vocabulary(
        [
            Item("tent", "Tent 2", ("camping",)),
            Item("tent2", "Tent 3", ("camping",)),
            Item("coat", "Parka", ("winter clothing",)),
            Item("crib", "Crib", ("Baby",)),
        ]
    )

    def muted(words_said: str) -> list[str]:
        found = stated("u1", [(text(1, words_said, 1), detect_requests(words_said))], now=NOW,
                       vocabulary=words)  # fmt: skip
        return [s.kind for s in found]

    assert muted("stop recommending tents") == ["request:mute:camping"]
    assert muted("no more winter clothing stuff") == ["request:mute:winter clothing"]
    assert muted("no more baby stuff") == ["request:mute:Baby"]
    assert muted("no more hunting stuff") == ["request:mute:hunting"]  # the person's own word
