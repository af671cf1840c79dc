"""Each contact rule on its own, with its reason kind, and the order they run in."""

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tactful.engage import rules
from tactful.engage.decide import decide
from tactful.engage.rules import Draft
from tactful.records import Case, CaseStatus, Channel, Community, MessageKind, Urgency, Verdict
from tactful.settings import Settings, SignalSettings
from tactful.types import Preferences, Purpose, QuietHours, Reason, Signal
from tests.engage.people import NOW, S, candidate, sent, signal, situation

RUNNER = Preferences(preferred_categories=("running",))


def kinds(reasons: tuple[Reason, ...]) -> list[str]:
    return [r.kind for r in reasons]


def draft() -> Draft:
    return Draft("d1", Verdict.SEND, Channel.EMAIL, NOW)


# -- consent ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kind", [MessageKind.PROMOTIONAL, MessageKind.COMMUNITY, MessageKind.CELEBRATION]
)
def test_unsolicited_messages_need_messaging(kind: MessageKind) -> None:
    d = decide(candidate(kind=kind), situation(granted=()), "d1")
    assert d.verdict is Verdict.SUPPRESS
    assert kinds(d.reasons) == ["consent"]
    assert d.send_at is None and d.why is None


@pytest.mark.parametrize("kind", [MessageKind.TRANSACTIONAL, MessageKind.SUPPORTIVE])
def test_transactional_and_supportive_messages_need_no_messaging_consent(kind: MessageKind) -> None:
    d = decide(candidate(kind=kind), situation(granted=()), "d1")
    assert d.verdict is Verdict.SEND
    assert d.send_at == NOW


def test_consent_granted_is_stated_as_a_reason() -> None:
    out = rules.consent(candidate(), situation(), draft())
    assert not out.done and kinds(out.reasons) == ["consent"]


# -- pause --------------------------------------------------------------------------------
def test_pause_suppresses_all_but_transactional() -> None:
    paused = Preferences(preferred_categories=("running",), pause_until=NOW + timedelta(days=3))
    for kind in (MessageKind.PROMOTIONAL, MessageKind.SUPPORTIVE, MessageKind.CELEBRATION):
        d = decide(candidate(kind=kind), situation(prefs=paused), "d1")
        assert d.verdict is Verdict.SUPPRESS and kinds(d.reasons)[-1] == "pause", kind
    d = decide(candidate(kind=MessageKind.TRANSACTIONAL), situation(prefs=paused), "d1")
    assert d.verdict is Verdict.SEND


def test_a_pause_in_the_past_changes_nothing() -> None:
    over = Preferences(preferred_categories=("running",), pause_until=NOW - timedelta(seconds=1))
    assert decide(candidate(), situation(prefs=over), "d1").verdict is Verdict.SEND


# -- handoff_open --------------------------------------------------------------------------
def open_case() -> Case:
    return Case("hc1", S, "bereavement", NOW, CaseStatus.OPEN, {})


def test_open_case_suppresses_promotions_and_hands_supportive_messages_to_a_person() -> None:
    s = situation(case=open_case())
    promo = decide(candidate(), s, "d1")
    assert promo.verdict is Verdict.SUPPRESS and kinds(promo.reasons)[-1] == "handoff_open"
    support = decide(candidate(kind=MessageKind.SUPPORTIVE), s, "d2")
    assert support.verdict is Verdict.HANDOFF and kinds(support.reasons) == ["handoff_open"]
    receipt = decide(candidate(kind=MessageKind.TRANSACTIONAL), s, "d3")
    assert receipt.verdict is Verdict.SEND


# -- emotional_hold ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "hard_time",
    [signal("distress", 0.8), signal("life_event:bereavement", 0.9)],
    ids=["distress", "bereavement"],
)
def test_hard_times_hold_promotions_and_celebrations_but_not_support(hard_time: Signal) -> None:
    s = situation(granted=(Purpose.MESSAGING, Purpose.EMOTIONAL_CONTEXT), signals=[hard_time])
    for kind in (MessageKind.PROMOTIONAL, MessageKind.CELEBRATION):
        d = decide(candidate(kind=kind), s, "d1")
        assert d.verdict is Verdict.SUPPRESS
        assert d.reasons[-1].kind == "emotional_hold"
        assert d.reasons[-1].text == "We're keeping things quiet for now."
    assert decide(candidate(kind=MessageKind.SUPPORTIVE), s, "d2").verdict is Verdict.SEND


def test_mild_distress_below_an_operator_threshold_holds_nothing() -> None:
    granted = (Purpose.MESSAGING, Purpose.EMOTIONAL_CONTEXT)
    strict = Settings(signals=SignalSettings(distress_threshold=0.5))
    mild = situation(granted=granted, signals=[signal("distress", 0.2)], full=strict)
    assert decide(candidate(), mild, "d1").verdict is Verdict.SEND
    trusting = situation(granted=granted, signals=[signal("distress", 0.2)])  # default: 0
    assert decide(candidate(), trusting, "d2").verdict is Verdict.SUPPRESS


def test_signals_whose_purpose_was_withdrawn_are_not_used() -> None:
    s = situation(granted=(Purpose.MESSAGING,), signals=[signal("life_event:bereavement")])
    assert decide(candidate(), s, "d1").verdict is Verdict.SEND


# -- celebrations_off ----------------------------------------------------------------------
def test_celebrations_can_be_turned_off() -> None:
    off = Preferences(celebrations=False)
    d = decide(candidate(kind=MessageKind.CELEBRATION, topic=None), situation(prefs=off), "d1")
    assert d.verdict is Verdict.SUPPRESS and kinds(d.reasons)[-1] == "celebrations_off"
    on = decide(candidate(kind=MessageKind.CELEBRATION, topic=None), situation(), "d2")
    assert on.verdict is Verdict.SEND


# -- relevance -----------------------------------------------------------------------------
def test_promotions_must_match_an_interest_or_value() -> None:
    assert decide(candidate(topic="Running"), situation(), "d1").verdict is Verdict.SEND
    off_topic = decide(candidate(topic="golf"), situation(), "d2")
    assert off_topic.verdict is Verdict.SUPPRESS and kinds(off_topic.reasons)[-1] == "relevance"
    no_topic = decide(candidate(topic=None), situation(), "d3")
    assert no_topic.verdict is Verdict.SUPPRESS


def test_relevance_reads_declared_values_and_inferred_interests() -> None:
    values = Preferences(values=("repairable",))
    assert (
        decide(candidate(topic="repairable"), situation(prefs=values), "d1").verdict is Verdict.SEND
    )
    inferred = signal("interest:camping", 0.4, Purpose.PERSONALIZATION)
    s = situation(
        prefs=Preferences(),
        granted=(Purpose.MESSAGING, Purpose.PERSONALIZATION),
        signals=[inferred],
    )
    assert decide(candidate(topic="camping"), s, "d2").verdict is Verdict.SEND


def test_a_muted_topic_is_suppressed_even_when_interesting() -> None:
    muted = Preferences(preferred_categories=("running",), muted_categories=("running",))
    d = decide(candidate(), situation(prefs=muted), "d1")
    assert d.verdict is Verdict.SUPPRESS and d.reasons[-1].text == "You muted running."


def test_relevance_applies_to_promotions_only() -> None:
    golfers = Community("golf", "Golfers", categories=("golf",))
    s = replace(situation(granted=(Purpose.MESSAGING, Purpose.COMMUNITY)), communities=(golfers,))
    d = decide(candidate(kind=MessageKind.COMMUNITY, topic="golf"), s, "d1")
    assert d.verdict is Verdict.SEND


# -- channel -------------------------------------------------------------------------------
def test_a_channel_the_person_did_not_allow_moves_to_their_first_allowed_one() -> None:
    prefs = Preferences(channels=("in_app", "email"), preferred_categories=("running",))
    d = decide(candidate(channel=Channel.SMS), situation(prefs=prefs), "d1")
    assert d.verdict is Verdict.SEND
    assert d.channel is Channel.IN_APP and d.requested_channel is Channel.SMS
    assert d.reasons[-1].kind == "channel"
    assert "in-app message" in d.reasons[-1].text


def test_no_allowed_channel_suppresses() -> None:
    prefs = Preferences(channels=(), preferred_categories=("running",))
    d = decide(candidate(kind=MessageKind.TRANSACTIONAL), situation(prefs=prefs), "d1")
    assert d.verdict is Verdict.SUPPRESS and d.reasons[-1].kind == "channel"


def test_a_weekly_cap_of_zero_closes_a_channel() -> None:
    prefs = Preferences(
        channels=("email", "push"),
        max_messages_per_week={"email": 0},
        preferred_categories=("running",),
    )
    d = decide(candidate(), situation(prefs=prefs), "d1")
    assert d.channel is Channel.PUSH


# -- quiet_hours ---------------------------------------------------------------------------
BERLIN_NIGHTS = Preferences(
    preferred_categories=("running",),
    quiet_hours=QuietHours(time(22), time(7)),
    timezone="Europe/Berlin",
)


def test_quiet_hours_defer_to_their_end_in_local_time() -> None:
    late = datetime(2026, 3, 28, 23, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    d = decide(candidate(at=late), situation(prefs=BERLIN_NIGHTS), "d1")
    assert d.verdict is Verdict.DEFER
    assert d.send_at == datetime(2026, 3, 29, 5, tzinfo=UTC)  # 07:00 CEST, after the change
    assert d.reasons[-1].kind == "quiet_hours"
    assert "07:00" in d.reasons[-1].text


def test_only_urgent_transactional_messages_break_quiet_hours() -> None:
    late = datetime(2026, 6, 1, 23, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    s = situation(prefs=BERLIN_NIGHTS)
    code = decide(candidate(kind=MessageKind.TRANSACTIONAL, urgency=Urgency.HIGH, at=late), s, "d1")
    assert code.verdict is Verdict.SEND
    receipt = decide(candidate(kind=MessageKind.TRANSACTIONAL, at=late), s, "d2")
    assert receipt.verdict is Verdict.DEFER


# -- digest --------------------------------------------------------------------------------
def test_a_low_urgency_message_opens_a_digest_at_the_end_of_the_window() -> None:
    d = decide(candidate(urgency=Urgency.LOW), situation(), "d1")
    assert d.verdict is Verdict.DEFER
    assert d.send_at == NOW + timedelta(minutes=60)
    assert d.digest_id == "dg_d1"
    assert "digest" in kinds(d.reasons)


def test_a_low_urgency_message_joins_a_pending_digest() -> None:
    pending = sent(NOW + timedelta(minutes=40), verdict=Verdict.DEFER, digest_id="dg_x")
    d = decide(candidate(urgency=Urgency.LOW, at=NOW), situation(history=[pending]), "d2")
    assert d.digest_id == "dg_x"
    assert d.send_at == NOW + timedelta(minutes=40)
    assert d.reasons[-1].kind == "digest" and "1 other message" in d.reasons[-1].text


def test_a_digest_on_another_channel_or_already_sent_is_not_joined() -> None:
    other = sent(
        NOW + timedelta(minutes=40), channel=Channel.PUSH, verdict=Verdict.DEFER, digest_id="dg_p"
    )
    gone = sent(NOW - timedelta(minutes=1), verdict=Verdict.DEFER, digest_id="dg_old", n=1)
    d = decide(candidate(urgency=Urgency.LOW), situation(history=[other, gone]), "d3")
    assert d.digest_id == "dg_d3"


def test_normal_urgency_and_transactional_messages_are_never_digested() -> None:
    assert decide(candidate(), situation(), "d1").digest_id is None
    receipt = decide(
        candidate(kind=MessageKind.TRANSACTIONAL, urgency=Urgency.LOW), situation(), "d2"
    )
    assert receipt.digest_id is None and receipt.verdict is Verdict.SEND


# -- order and explanations ----------------------------------------------------------------
def test_rules_run_in_order_and_stop_at_the_first_suppression() -> None:
    s = situation(granted=(), prefs=Preferences(pause_until=NOW + timedelta(days=1)))
    d = decide(candidate(topic="golf"), s, "d1")
    assert kinds(d.reasons) == ["consent"]  # not pause, not relevance


def test_sent_messages_carry_a_why_text() -> None:
    d = decide(candidate(), situation(), "d1")
    assert d.why is not None
    assert d.why.startswith("You're getting an email because you agreed to hear from us")
    assert "running" in d.why


def test_gates_are_listed_in_their_documented_order() -> None:
    assert [r.__name__ for r in rules.GATES] == [
        "consent",
        "asked_to_stop",
        "membership",
        "pause",
        "handoff_open",
        "emotional_hold",
        "celebrations",
        "asked_to_mute",
        "relevance",
        "channel",
    ]
