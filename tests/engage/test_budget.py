"""The contact budget (per-channel and promotional caps over a rolling week) and fatigue."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tactful.engage.budget import contact_times
from tactful.engage.decide import decide
from tactful.engage.fatigue import fatigue_signal, unwelcome_run
from tactful.records import Channel, ContactDecision, MessageKind, Outcome, Urgency, Verdict
from tactful.settings import EngageSettings
from tactful.types import Preferences, Purpose
from tests.engage.people import NOW, S, candidate, sent, situation

TWO_EMAILS = Preferences(max_messages_per_week={"email": 2}, preferred_categories=("running",))


def test_a_two_per_week_email_cap_defers_the_third_to_the_next_window() -> None:
    history = [sent(NOW - timedelta(days=2), n=1), sent(NOW - timedelta(hours=1), n=2)]
    d = decide(candidate(), situation(prefs=TWO_EMAILS, history=history), "d3")
    assert d.verdict is Verdict.DEFER
    assert d.send_at == NOW - timedelta(days=2) + timedelta(days=7)  # oldest ages out
    assert d.reasons[-1].kind == "frequency_cap"
    assert "at most 2 emails a week" in d.reasons[-1].text


def test_the_channel_cap_counts_that_channel_only_and_skips_transactional() -> None:
    history = [
        sent(NOW - timedelta(hours=3), channel=Channel.PUSH, n=1),
        sent(NOW - timedelta(hours=2), kind=MessageKind.TRANSACTIONAL, n=2),
        sent(NOW - timedelta(hours=1), n=3),
    ]
    d = decide(candidate(), situation(prefs=TWO_EMAILS, history=history), "d4")
    assert d.verdict is Verdict.SEND


def test_the_promotional_cap_spans_all_channels() -> None:
    prefs = Preferences(channels=("email", "push"), preferred_categories=("running",))
    history = [
        sent(NOW - timedelta(days=1), channel=Channel.PUSH, n=1),
        sent(NOW - timedelta(days=1), channel=Channel.EMAIL, n=2),
        sent(NOW - timedelta(hours=5), kind=MessageKind.COMMUNITY, channel=Channel.PUSH, n=3),
    ]
    d = decide(candidate(), situation(prefs=prefs, history=history), "d4")
    assert d.verdict is Verdict.DEFER
    assert d.send_at == NOW - timedelta(days=1) + timedelta(days=7)
    assert "at most 3 offers" in d.reasons[-1].text
    # a supportive message is under neither the promotional cap nor fatigue
    support = decide(
        candidate(kind=MessageKind.SUPPORTIVE), situation(prefs=prefs, history=history), "d5"
    )
    assert support.verdict is Verdict.SEND


def test_deferred_messages_hold_their_place_in_the_budget() -> None:
    """The third message was deferred to next Monday; a fourth must not take that slot."""
    history = [
        sent(NOW - timedelta(days=2), n=1),
        sent(NOW - timedelta(hours=1), n=2),
        sent(NOW + timedelta(days=5), verdict=Verdict.DEFER, n=3),
    ]
    d = decide(candidate(), situation(prefs=TWO_EMAILS, history=history), "d4")
    assert d.verdict is Verdict.DEFER
    assert d.send_at == NOW - timedelta(hours=1) + timedelta(days=7)


def test_beyond_the_defer_horizon_a_message_is_suppressed() -> None:
    history = [sent(NOW - timedelta(hours=2), n=1), sent(NOW - timedelta(hours=1), n=2)]
    short = EngageSettings(max_defer_days=1)
    d = decide(candidate(), situation(prefs=TWO_EMAILS, history=history, settings=short), "d3")
    assert d.verdict is Verdict.SUPPRESS and d.reasons[-1].kind == "frequency_cap"


def test_suppressed_and_handed_off_decisions_use_no_budget() -> None:
    history = [
        sent(NOW - timedelta(hours=3), verdict=Verdict.SUPPRESS, n=1),
        sent(NOW - timedelta(hours=2), verdict=Verdict.HANDOFF, n=2),
        sent(NOW - timedelta(hours=1), n=3),
    ]
    d = decide(candidate(), situation(prefs=TWO_EMAILS, history=history), "d4")
    assert d.verdict is Verdict.SEND


def test_a_digest_counts_once_however_many_messages_it_bundles() -> None:
    digest = [
        sent(NOW - timedelta(hours=5), verdict=Verdict.DEFER, digest_id="dg1", n=i)
        for i in range(5)
    ]
    assert len(contact_times(tuple(digest), lambda h: True)) == 1
    d = decide(candidate(), situation(prefs=TWO_EMAILS, history=digest), "d6")
    assert d.verdict is Verdict.SEND


def test_quiet_hours_and_the_budget_settle_together() -> None:
    """Deferred by the cap into the night, the message then waits for the morning."""
    from datetime import time

    from tactful.types import QuietHours

    prefs = Preferences(
        max_messages_per_week={"email": 1},
        preferred_categories=("running",),
        quiet_hours=QuietHours(time(22), time(7)),
        timezone="UTC",
    )
    history = [sent(datetime(2026, 5, 26, 23, 0, tzinfo=UTC), n=1)]  # sent late, last Tuesday
    d = decide(candidate(), situation(prefs=prefs, history=history), "d2")
    assert d.send_at == datetime(2026, 6, 3, 7, 0, tzinfo=UTC)
    assert {r.kind for r in d.reasons} >= {"frequency_cap", "quiet_hours"}


def rated(n: int, outcome: Outcome, kind: MessageKind = MessageKind.PROMOTIONAL) -> ContactDecision:
    d = sent(NOW - timedelta(days=10 - n), kind=kind, n=n)
    return d.with_outcome(outcome, NOW - timedelta(days=10 - n, hours=-1))


def test_messages_sent_at_one_moment_are_read_in_the_order_their_outcomes_came() -> None:
    at = NOW - timedelta(days=1)
    ignored = sent(at, n=1).with_outcome(Outcome.IGNORED, at + timedelta(seconds=1))
    opened = sent(at, n=2).with_outcome(Outcome.OPENED, at + timedelta(seconds=2))
    for a, b in ((ignored, opened), (opened, ignored)):
        flipped = (replace(a, decision_id="zz"), replace(b, decision_id="aa"))
        assert unwelcome_run(flipped) == []  # the open came last: no run, whatever the ids


def test_unwelcome_run_stops_at_the_last_engagement_and_skips_transactional() -> None:
    history = [
        rated(0, Outcome.IGNORED),
        rated(1, Outcome.OPENED),
        rated(2, Outcome.IGNORED),
        rated(3, Outcome.IGNORED, MessageKind.TRANSACTIONAL),
        rated(4, Outcome.DISMISSED),
        rated(5, Outcome.COMPLAINED),
    ]
    assert [d.message_id for d in unwelcome_run(history)] == ["past5", "past4", "past2"]


def test_three_unwelcome_in_a_row_halve_the_budget_and_six_quarter_it() -> None:
    s = EngageSettings()
    assert fatigue_signal(S, [rated(i, Outcome.IGNORED) for i in range(2)], s, now=NOW) is None
    three = fatigue_signal(S, [rated(i, Outcome.IGNORED) for i in range(3)], s, now=NOW)
    assert three is not None
    assert three.kind == "fatigue" and three.value == 0.5 and three.purpose is Purpose.MESSAGING
    assert three.detail["unwelcome_in_row"] == 3
    assert three.expires_at == NOW - timedelta(days=8, hours=-1) + timedelta(days=30)
    six = fatigue_signal(S, [rated(i, Outcome.IGNORED) for i in range(6)], s, now=NOW)
    assert six is not None and six.value == 0.25
    engaged = [*(rated(i, Outcome.IGNORED) for i in range(5)), rated(5, Outcome.CLICKED)]
    assert fatigue_signal(S, engaged, s, now=NOW) is None


def test_fatigue_lowers_the_effective_cap_with_its_own_reason() -> None:
    from tests.engage.people import signal

    tired = signal("fatigue", 0.5, Purpose.MESSAGING, unwelcome_in_row=3)
    prefs = Preferences(max_messages_per_week={"email": 2}, preferred_categories=("running",))
    history = [sent(NOW - timedelta(hours=1), n=1)]
    rested = decide(candidate(), situation(prefs=prefs, history=history), "d1")
    assert rested.verdict is Verdict.SEND
    s = situation(prefs=prefs, history=history, signals=[tired])
    d = decide(candidate(), s, "d2")
    assert d.verdict is Verdict.DEFER
    assert d.reasons[-1].kind == "fatigue"
    assert "last 3 messages" in d.reasons[-1].text
    # supportive messages are exempt from fatigue
    assert decide(candidate(kind=MessageKind.SUPPORTIVE), s, "d3").verdict is Verdict.SEND


def test_deep_fatigue_with_a_small_cap_suppresses() -> None:
    from tests.engage.people import signal

    tired = signal("fatigue", 0.25, Purpose.MESSAGING, unwelcome_in_row=6)
    prefs = Preferences(max_messages_per_week={"email": 2}, preferred_categories=("running",))
    d = decide(candidate(urgency=Urgency.NORMAL), situation(prefs=prefs, signals=[tired]), "d1")
    assert d.verdict is Verdict.SUPPRESS and d.reasons[-1].kind == "fatigue"
