"""The frustration trigger, requests that open cases (a person, erasure), and dismissed
recommendations counting as negative feedback."""

from datetime import UTC, datetime, timedelta

from tactful.handoff.frustration import frustration
from tactful.handoff.review import first_trigger
from tactful.handoff.triggers import erasure_request, explicit_request, negative_feedback
from tactful.settings import Settings
from tactful.signals.profile import build_profile
from tactful.types import Event, EventType, Purpose, Signal

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
WEEK_AGO = NOW - timedelta(days=7)


def at(days: float) -> str:
    return (NOW - timedelta(days=days)).isoformat()


def sig(kind: str, **detail: object) -> Signal:
    return Signal("u1", kind, 0.8, Purpose.EMOTIONAL_CONTEXT, NOW, None, detail, ("t1",))


def dismissed(n: int, days: float = 1) -> list[Event]:
    when = NOW - timedelta(days=days)
    return [Event(f"d{i}", "u1", EventType.DISMISS, when, f"i{i}") for i in range(n)]


ANGRY = sig("frustration", angry=[{"id": "t1", "at": at(0.1)}], repeats=[])


def test_an_angry_message_and_four_dismissals_open_a_frustration_case() -> None:
    p = build_profile([ANGRY], now=NOW)
    found = frustration(p, [], [], dismissed(4), since=WEEK_AGO, threshold=3)
    assert found is not None and found.name == "frustration"
    assert "4 failures" in found.summary
    assert set(found.evidence) == {"t1", "d0", "d1", "d2", "d3"}


def test_words_of_repeated_failure_count_once_per_text() -> None:
    repeated = sig(
        "frustration",
        angry=[{"id": "t1", "at": at(0.1)}],
        repeats=[{"id": "t1", "at": at(0.1), "phrase": "third wrong delivery"}],
    )
    p = build_profile([repeated], now=NOW)
    found = frustration(p, [], [], dismissed(2), since=WEEK_AGO, threshold=3)
    assert found is not None and '"third wrong delivery"' in found.summary
    assert frustration(p, [], [], dismissed(1), since=WEEK_AGO, threshold=3) is None


def test_no_anger_or_old_anger_or_too_few_failures_open_nothing() -> None:
    assert (
        frustration(build_profile([], now=NOW), [], [], dismissed(9), since=WEEK_AGO, threshold=3)
        is None
    )
    old = build_profile([sig("frustration", angry=[{"id": "t1", "at": at(9)}])], now=NOW)
    assert frustration(old, [], [], dismissed(9), since=WEEK_AGO, threshold=3) is None
    p = build_profile([ANGRY], now=NOW)
    assert frustration(p, [], [], dismissed(2), since=WEEK_AGO, threshold=3) is None
    assert frustration(p, [], [], dismissed(5, days=8), since=WEEK_AGO, threshold=3) is None


def test_frustration_is_checked_before_negative_feedback() -> None:
    p = build_profile([ANGRY], now=NOW)
    found = first_trigger(
        Settings(), profile=p, texts=[], decisions=[], now=NOW, dismissals=dismissed(4)
    )
    assert found is not None and found.name == "frustration"
    calm = first_trigger(
        Settings(),
        profile=build_profile([], now=NOW),
        texts=[],
        decisions=[],
        now=NOW,
        dismissals=dismissed(4),
    )
    assert calm is not None and calm.name == "negative_feedback"  # dismissals count there too


def test_dismissed_recommendations_count_as_negative_feedback() -> None:
    p = build_profile([], now=NOW)
    found = negative_feedback([], p, [], since=WEEK_AGO, threshold=3, dismissals=dismissed(3))
    assert found is not None and "3 complaints or dismissals" in found.summary
    assert (
        negative_feedback([], p, [], since=WEEK_AGO, threshold=3, dismissals=dismissed(2)) is None
    )


def test_a_human_request_in_words_opens_an_explicit_request() -> None:
    p = build_profile(
        [sig("request:human", phrase="put me through to an agent", noticed_at=at(1))], now=NOW
    )
    found = explicit_request([], WEEK_AGO, p)
    assert found is not None and found.name == "explicit_request"
    assert '"put me through to an agent"' in found.summary
    stale = build_profile([sig("request:human", noticed_at=at(9))], now=NOW)
    assert explicit_request([], WEEK_AGO, stale) is None


def test_an_erasure_request_opens_a_case_that_asks_for_confirmation() -> None:
    p = build_profile([sig("request:erase_me", phrase="delete my data", noticed_at=at(1))], now=NOW)
    found = erasure_request(p, WEEK_AGO)
    assert found is not None and found.name == "erasure_request"
    assert "confirm with them" in found.summary
    lifted = Signal(
        "u1", "request:erase_me", 0.0, Purpose.EMOTIONAL_CONTEXT, NOW, None, {"noticed_at": at(1)}
    )
    assert erasure_request(build_profile([lifted], now=NOW), WEEK_AGO) is None


def test_the_angry_message_is_not_one_of_its_own_failures() -> None:
    complaint = Signal("u1", "complaints", 1.0, Purpose.EMOTIONAL_CONTEXT, NOW, None, {}, ("t1",))
    text = Event("t1", "u1", EventType.SUPPORT_MESSAGE, NOW - timedelta(hours=2), text="awful")
    p = build_profile([ANGRY, complaint], now=NOW)
    assert frustration(p, [], [text], dismissed(2), since=WEEK_AGO, threshold=3) is None
    assert frustration(p, [], [text], dismissed(3), since=WEEK_AGO, threshold=3) is not None
