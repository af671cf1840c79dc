"""The request detector: positive, negated, hypothetical, figurative and third-person texts
per kind (none of these are in the benchmark's held-out set)."""

from __future__ import annotations

import pytest

from tactful.signals.requests import RequestKind, detect_requests


def names(text: str) -> set[str]:
    return {r.name for r in detect_requests(text)}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("stop sending me emails", "stop_messages"),
        ("Please STOP e-mailing me!!", "stop_messages"),
        ("i want off your mailing list. remove me from the list now", "stop_messages"),
        ("Unsubscribe.", "stop_messages"),
        ("I do not want to receive your newsletters", "stop_messages"),
        ("please stop sending me so many emails", "fewer_messages"),
        ("Way too many texts this week", "fewer_messages"),
        ("could you write to me less often", "fewer_messages"),
        ("I'd like to speak with a live agent", "human"),
        ("Could someone from your shop ring me?", "human"),
        ("Transfer me to a real person", "human"),
        ("No more baby stuff, please", "mute:baby"),
        ("stop recommending tents", "mute:tents"),
        ("I don't want to see garden furniture anymore", "mute:garden"),
        ("please delete my data", "erase_me"),
        ("I'm exercising my right to erasure", "erase_me"),
        ("You can email me again", "resume_messages"),
    ],
)
def test_positive(text: str, want: str) -> None:
    assert want in names(text)


@pytest.mark.parametrize(
    "text",
    [
        # negated
        "Don't stop emailing me, I like it",
        "I never said unsubscribe me",
        "I don't want to close my account",
        "no need to speak to a person, all good",
        # hypothetical
        "If the emails keep coming I might unsubscribe",
        "In case I want to delete my account one day, where is it?",
        "How do I talk to a person if the order is late?",
        # someone else's
        "My wife asked to unsubscribe but I want the deals",
        "She said you send too many emails",
        "My dad wants to delete his account",
        # figurative and unrelated
        "Stop the press, these boots are great",
        "I can't stop wearing this jacket",
        "no more cold feet with these socks",
        "The human resources team sent me here",
        "I talked to a real person yesterday, they were great",
        "Where is the unsubscribe link? Just curious",
    ],
)
def test_negative(text: str) -> None:
    assert names(text) == set()


def test_evidence_and_category() -> None:
    (req,) = detect_requests("Hi. No more baby stuff, please. Thanks")
    assert req.kind is RequestKind.MUTE
    assert req.category == "baby"
    assert req.evidence == "no more baby stuff"
    (stop,) = detect_requests("Please stop sending me emails, thanks")
    assert stop.evidence == "stop sending me"


def test_stop_wins_over_fewer_and_several_kinds_are_kept() -> None:
    assert names("Too many emails. Unsubscribe me.") == {"stop_messages"}
    assert names("Stop emailing me. Also I want to talk to a human.") == {
        "stop_messages",
        "human",
    }


def test_a_mute_is_not_a_stop() -> None:
    assert names("stop sending me offers for camping gear") == {"mute:camping"}


PER_KIND = {
    "stop_messages": (
        "Please stop emailing me",
        "Please don't stop emailing me",
        "If this goes on I might unsubscribe",
        "Stop the presses, great boots",
        "My wife wants to unsubscribe",
    ),
    "fewer_messages": (
        "You send far too many emails",
        "I don't think you send too many emails",
        "How do I get fewer emails if I need to?",
        "Too many cooks spoil the broth",
        "My friend says you send too many emails",
    ),
    "human": (
        "Can I talk to a real person?",
        "No need to talk to a person",
        "Would I be able to talk to someone if it breaks?",
        "The human touch of your packaging is lovely",
        "My son wants to speak to a person about his order",
    ),
    "mute:baby": (
        "No more baby stuff please",
        "Don't stop showing me baby stuff",
        "What if I said no more baby stuff?",
        "No more baby steps, I'm running now",
        "My sister said no more baby stuff for her",
    ),
    "erase_me": (
        "Delete my account",
        "I never said delete my account",
        "If I ever want to delete my account, how?",
        "I deleted my wishlist by mistake",
        "My dad wants to delete his account",
    ),
}


@pytest.mark.parametrize("kind", sorted(PER_KIND))
def test_each_kind_positive_negated_hypothetical_figurative_third_person(kind: str) -> None:
    positive, negated, hypothetical, figurative, third_person = PER_KIND[kind]
    assert kind in names(positive)
    for text in (negated, hypothetical, figurative, third_person):
        assert kind not in names(text), text
