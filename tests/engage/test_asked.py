"""Requests stated in words, as contact rules: stop (``asked_to_stop``), fewer
(``asked_fewer``) and mute (``asked_to_mute``); only under ``emotional_context``."""

from datetime import timedelta

from tactful.engage.decide import decide
from tactful.records import MessageKind, Verdict
from tactful.types import Purpose, Signal
from tests.engage.people import NOW, candidate, sent, signal, situation

BOTH = (Purpose.MESSAGING, Purpose.EMOTIONAL_CONTEXT)


def stop() -> list[Signal]:
    return [signal("request:stop_messages", 1.0, phrase="stop sending me")]


def test_a_stop_request_suppresses_every_unsolicited_message() -> None:
    granted = (*BOTH, Purpose.COMMUNITY)  # community messages also need `community`
    for kind in (MessageKind.PROMOTIONAL, MessageKind.COMMUNITY, MessageKind.CELEBRATION):
        d = decide(candidate(kind=kind), situation(granted=granted, signals=stop()), "d1")
        assert d.verdict is Verdict.SUPPRESS
        assert d.reasons[-1].kind == "asked_to_stop"
        assert '"stop sending me"' in d.reasons[-1].text


def test_a_stop_request_leaves_what_the_person_needs() -> None:
    for kind in (MessageKind.TRANSACTIONAL, MessageKind.SUPPORTIVE):
        d = decide(candidate(kind=kind), situation(granted=BOTH, signals=stop()), "d1")
        assert d.verdict is Verdict.SEND, kind


def test_a_lifted_or_unconsented_stop_request_changes_nothing() -> None:
    lifted = [signal("request:stop_messages", 0.0, phrase="stop sending me")]
    assert decide(candidate(), situation(granted=BOTH, signals=lifted), "d1").verdict is (
        Verdict.SEND
    )
    without = situation(granted=(Purpose.MESSAGING,), signals=stop())
    assert decide(candidate(), without, "d1").verdict is Verdict.SEND


def test_a_fewer_request_halves_the_cap() -> None:
    # promotional_per_week is 3; two went out this week: a third would fit, but not at 1.5
    history = [sent(NOW - timedelta(days=d), n=d) for d in (1, 2)]
    fewer = [signal("request:fewer_messages", 1.0)]
    calm = decide(candidate(), situation(granted=BOTH, history=history), "d1")
    assert calm.verdict is Verdict.SEND
    d = decide(candidate(), situation(granted=BOTH, history=history, signals=fewer), "d1")
    assert d.verdict is Verdict.DEFER
    assert d.reasons[-1].kind == "asked_fewer"
    assert "you asked for fewer messages" in d.reasons[-1].text


def test_a_fewer_request_does_not_touch_supportive_messages() -> None:
    history = [sent(NOW - timedelta(days=d), n=d) for d in (1, 2)]
    fewer = [signal("request:fewer_messages", 1.0)]
    s = situation(granted=BOTH, history=history, signals=fewer)
    assert decide(candidate(kind=MessageKind.SUPPORTIVE), s, "d1").verdict is Verdict.SEND


def test_a_mute_request_mutes_the_topic() -> None:
    muted = [signal("request:mute:running", 1.0)]
    d = decide(candidate(), situation(granted=BOTH, signals=muted), "d1")
    assert d.verdict is Verdict.SUPPRESS
    assert d.reasons[-1].kind == "asked_to_mute"
    other = decide(candidate(topic="yoga"), situation(granted=BOTH, signals=muted), "d1")
    assert other.reasons[-1].kind == "relevance"  # not muted, just not of interest


def test_a_move_makes_a_mapped_topic_welcome_unless_times_are_hard() -> None:
    from dataclasses import replace

    from tactful.engage.situation import Situation, moved_categories

    def moving(*extra: str) -> Situation:
        found = [signal("life_event:relocation", 0.9), *(signal(f"life_event:{k}") for k in extra)]
        s = situation(granted=BOTH, signals=found)
        return replace(s, moved=moved_categories(s.profile, ["winter clothing"]))

    d = decide(candidate(topic="winter clothing"), moving(), "d1")
    assert d.verdict is Verdict.SEND
    assert "moved" in [r.kind for r in d.reasons]
    hard = decide(candidate(topic="winter clothing"), moving("financial_hardship"), "d1")
    assert hard.verdict is Verdict.SUPPRESS and hard.reasons[-1].kind == "emotional_hold"
