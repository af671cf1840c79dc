"""Community messages: `messaging` and `community` granted, membership of a community about
the topic, and the emotional hold (except low-urgency supportive ones)."""

from dataclasses import replace

from tactful.engage.decide import decide
from tactful.records import Community, MessageKind, Urgency, Verdict
from tactful.types import Purpose
from tests.engage.people import candidate, signal, situation

TRAIL = Community("trail", "Trail Clean-ups", values=("environment",), categories=("outdoor",))
BOTH = (Purpose.MESSAGING, Purpose.COMMUNITY)
NEWS = candidate(kind=MessageKind.COMMUNITY, topic="Environment")


def test_a_member_who_agreed_gets_community_news_about_their_community() -> None:
    d = decide(NEWS, replace(situation(granted=BOTH), communities=(TRAIL,)), "d1")
    assert d.verdict is Verdict.SEND
    assert [r.kind for r in d.reasons][:2] == ["consent", "membership"]
    assert "Trail Clean-ups" in d.reasons[1].text
    assert d.why is not None and "communities you joined" in d.why


def test_without_the_community_consent_it_is_suppressed_for_consent() -> None:
    s = replace(situation(granted=(Purpose.MESSAGING,)), communities=(TRAIL,))
    d = decide(NEWS, s, "d1")
    assert d.verdict is Verdict.SUPPRESS
    assert [(r.kind, r.text) for r in d.reasons] == [
        ("consent", "You haven't agreed to hear about communities, so we won't send it.")
    ]


def test_without_messaging_it_is_suppressed_for_consent() -> None:
    s = replace(situation(granted=(Purpose.COMMUNITY,)), communities=(TRAIL,))
    d = decide(NEWS, s, "d1")
    assert d.verdict is Verdict.SUPPRESS and d.reasons[-1].kind == "consent"


def test_a_non_member_or_another_topic_is_not_a_member() -> None:
    alone = decide(NEWS, situation(granted=BOTH), "d1")
    assert alone.verdict is Verdict.SUPPRESS and alone.reasons[-1].kind == "not_a_member"
    other = decide(
        replace(NEWS, topic="knitting"),
        replace(situation(granted=BOTH), communities=(TRAIL,)),
        "d2",
    )
    assert other.verdict is Verdict.SUPPRESS and other.reasons[-1].kind == "not_a_member"


def test_a_bereaved_member_gets_no_community_promotion_but_low_supportive_news_goes() -> None:
    granted = (*BOTH, Purpose.EMOTIONAL_CONTEXT)
    s = replace(
        situation(granted=granted, signals=[signal("life_event:bereavement", 0.9)]),
        communities=(TRAIL,),
    )
    held = decide(NEWS, s, "d1")
    assert held.verdict is Verdict.SUPPRESS and held.reasons[-1].kind == "emotional_hold"
    urgent_support = decide(replace(NEWS, supportive=True), s, "d2")
    assert urgent_support.verdict is Verdict.SUPPRESS  # only low-urgency support goes
    gentle = decide(replace(NEWS, supportive=True, urgency=Urgency.LOW), s, "d3")
    assert gentle.verdict in (Verdict.SEND, Verdict.DEFER)
    assert "emotional_hold" not in [r.kind for r in gentle.reasons]
