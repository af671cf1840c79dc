"""Hand-off triggers, each on data whose answer is known."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tactful.handoff.triggers import (
    asks_for_a_person,
    distress_support,
    explicit_request,
    life_event,
    negative_feedback,
)
from tactful.records import ContactDecision, Outcome
from tactful.signals.profile import build_profile
from tactful.types import Event, EventType, Purpose, Signal
from tests.engage.people import sent

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
WEEK_AGO = NOW - timedelta(days=7)


def text(i: int, words: str, kind: EventType = EventType.SUPPORT_MESSAGE, days: float = 0) -> Event:
    return Event(f"t{i}", "u1", kind, NOW - timedelta(days=days), text=words)


def sig(kind: str, value: float = 0.9, **detail: object) -> Signal:
    return Signal(
        "u1", kind, value, Purpose.EMOTIONAL_CONTEXT, NOW, NOW + timedelta(days=60), detail, ("t1",)
    )


@pytest.mark.parametrize(
    "words",
    [
        "Can I talk to a person please?",
        "I want to speak to someone about my order",
        "let me speak with a real human",
        "I need an actual person, not a bot",
        "Is there a human being there?",
        "I’d like to chat with an agent",
    ],
)
def test_requests_for_a_person_are_recognised(words: str) -> None:
    assert asks_for_a_person(words)


@pytest.mark.parametrize(
    "words",
    [
        "No need to speak to someone, the bot solved it",
        "I don't want to talk to a person, just refund me",
        "The person who delivered it was lovely",
        "Great shoes, would buy again",
    ],
)
def test_other_texts_are_not_requests(words: str) -> None:
    assert not asks_for_a_person(words)


def test_explicit_request_needs_a_recent_text() -> None:
    found = explicit_request(
        [text(1, "hello"), text(2, "please let me talk to a person")], WEEK_AGO
    )
    assert found is not None and found.name == "explicit_request" and found.evidence == ("t2",)
    assert explicit_request([text(3, "talk to a person", days=9)], WEEK_AGO) is None


def test_life_event_fires_for_configured_kinds_with_the_time_it_was_noticed() -> None:
    noticed = (NOW - timedelta(days=2)).isoformat()
    p = build_profile(
        [sig("life_event:bereavement", phrase="passed away", noticed_at=noticed)], now=NOW
    )
    found = life_event(p, ["bereavement", "financial_hardship"])
    assert found is not None
    assert found.name == "bereavement"
    assert found.evidence_at == NOW - timedelta(days=2)
    assert "passed away" in found.summary
    assert (
        life_event(build_profile([sig("life_event:relocation")], now=NOW), ["bereavement"]) is None
    )


def test_distress_needs_a_recent_support_message() -> None:
    distressed = build_profile([sig("distress", 0.8)], now=NOW)
    calm = build_profile([], now=NOW)  # the model stores distress only when it reads it
    support = [text(1, "my order never came and I can't cope")]
    review = [text(2, "awful product", EventType.FEEDBACK_TEXT)]
    found = distress_support(distressed, support, WEEK_AGO)
    assert found is not None and found.name == "distress_support"
    assert distress_support(calm, support, WEEK_AGO) is None
    assert distress_support(distressed, review, WEEK_AGO) is None


def test_three_complaints_or_dismissals_in_a_week() -> None:
    def rated(n: int, outcome: Outcome, days: float) -> ContactDecision:
        return sent(NOW - timedelta(days=days), n=n).with_outcome(
            outcome, NOW - timedelta(days=days)
        )

    two = [
        rated(1, Outcome.DISMISSED, 1),
        rated(2, Outcome.COMPLAINED, 2),
        rated(3, Outcome.IGNORED, 1),
    ]
    old = rated(4, Outcome.DISMISSED, 9)
    empty = build_profile([], now=NOW)
    assert negative_feedback([*two, old], empty, [], since=WEEK_AGO, threshold=3) is None
    third = rated(5, Outcome.DISMISSED, 0.5)
    found = negative_feedback([*two, third], empty, [], since=WEEK_AGO, threshold=3)
    assert found is not None and found.name == "negative_feedback"
    # an angry support message the tact layer counted as a complaint counts too
    angry = replace(sig("complaints", 1.0), evidence=("t9",))
    profile = build_profile([angry], now=NOW)
    found = negative_feedback(
        two, profile, [text(9, "this is a disgrace")], since=WEEK_AGO, threshold=3
    )
    assert found is not None and found.evidence[-1] == "t9"
