"""What demo customers write: reviews (happy, mixed, unhappy) and support messages (questions,
requests for a person, life events, and distress: bereavement, financial hardship, illness),
composed from templates with enough variety that no two read alike.

Each text carries a label saying what it was written as, the ground truth a mood or
life-event detector can be checked against.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

from tactful.types import EventType

# label -> (event type, share of texts, templates)
TEMPLATES: Mapping[str, tuple[EventType, float, tuple[str, ...]]] = MappingProxyType(
    {
        "praise": (
            EventType.FEEDBACK_TEXT,
            0.34,
            (
                "Love the {item}! {praise}",
                "The {item} is brilliant. {praise}",
                "Really happy with my {item}. {praise}",
                "Five stars for the {item}. {praise}",
                "Took the {item} on a {outing} and it was perfect. {praise}",
                "Best purchase this year: the {item}. {praise}",
            ),
        ),
        "mixed": (
            EventType.FEEDBACK_TEXT,
            0.10,
            (
                "The {item} is good, but {gripe}",
                "Mostly happy with the {item}, although {gripe}",
                "Decent value overall. That said, with the {item} {gripe}",
                "Used the {item} on a {outing}: fine, but {gripe}",
            ),
        ),
        "complaint": (
            EventType.FEEDBACK_TEXT,
            0.14,
            (
                "The {item} {problem} {demand}",
                "Very disappointed: my {item} {problem} {demand}",
                "Not impressed. The {item} {problem} {demand}",
                "Second time this happens. The {item} {problem} {demand}",
            ),
        ),
        "question": (
            EventType.SUPPORT_MESSAGE,
            0.17,
            (
                "Does the {item} come in other sizes?",
                "When will the {item} be back in stock?",
                "Can I return the {item} if I only tried it on at home?",
                "Do you ship to {city}?",
                "How do I repair a small tear in my {item}?",
                "Is the {item} suitable for a beginner?",
                "Can I change the delivery address for my {item} order?",
            ),
        ),
        "human_request": (
            EventType.SUPPORT_MESSAGE,
            0.04,
            (
                "Can I talk to a person? The chatbot isn't helping.",
                "I'd like to speak to a real person about my order, please.",
                "Is there a human I can talk to? This is my third email about the same problem.",
                "Please call me back, I'd rather explain this to someone on the phone.",
                "Can someone from your team contact me? I need help with the {item}.",
            ),
        ),
        "bereavement": (
            EventType.SUPPORT_MESSAGE,
            0.04,
            (
                "My {relative} passed away last week and I need to cancel the {item} I ordered "
                "for them.",
                "We lost my {relative} recently. Please stop sending reminders about the {item}, "
                "it was meant as a gift.",
                "I'm grieving my {relative} and can't deal with any of this right now. Please "
                "cancel my order.",
                "My {relative} died suddenly last month. I'd like to close the account we shared.",
            ),
        ),
        "financial_hardship": (
            EventType.SUPPORT_MESSAGE,
            0.04,
            (
                "I lost my job last month and can't afford the {item} anymore. Can I cancel "
                "the order?",
                "Money is really tight right now. I need to return the {item} for a refund, "
                "please.",
                "I've been made redundant and I'm behind on my bills. Please stop the monthly "
                "subscription.",
                "I can't afford to pay for the {item} this month. Is there any way to spread "
                "the cost?",
                "Lost my job, can't afford anything extra right now. Please take me off the "
                "sale emails.",
            ),
        ),
        "illness": (
            EventType.SUPPORT_MESSAGE,
            0.03,
            (
                "I've just been diagnosed with {illness} and won't be able to {verb} for "
                "months. Please pause my account.",
                "I'm in hospital after surgery. Can you hold my {item} order until I'm home?",
                "My doctor says I have to stop {gerund} because of {illness}. Can I return the "
                "{item}?",
            ),
        ),
        "relocation": (
            EventType.SUPPORT_MESSAGE,
            0.04,
            (
                "We just moved to {city}. Can I update my delivery address?",
                "I'm relocating to {city} next month. Do you deliver there?",
                "Moved house last week, please send future orders to my new address in {city}.",
            ),
        ),
        "new_baby": (
            EventType.SUPPORT_MESSAGE,
            0.03,
            (
                "We just had a baby! Do you sell running strollers?",
                "Our daughter was born last month, so I'm looking for a baby carrier for hikes.",
                "New parent here: any advice on getting back into {gerund} after the birth?",
            ),
        ),
        "job_change": (
            EventType.SUPPORT_MESSAGE,
            0.03,
            (
                "Started a new job and I'm commuting by bike now. Any panniers you'd recommend?",
                "New job with long hours, so I'm switching to shorter workouts. Any tips?",
                "Just changed jobs and work shifts now; please send emails on weekends only.",
            ),
        ),
    }
)

DISTRESS: frozenset[str] = frozenset({"bereavement", "financial_hardship", "illness"})

_FILLERS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "praise": (
            "Comfortable from the very first day.",
            "Sturdy and well made.",
            "Lighter than I expected.",
            "Exactly as described.",
            "Great quality for the price.",
            "My partner wants one too.",
            "Would buy again.",
            "Quick delivery as well.",
        ),
        "gripe": (
            "the sizing runs small.",
            "the colour is not what the photo showed.",
            "it is heavier than advertised.",
            "the zip feels a bit flimsy.",
            "it took ages to arrive.",
            "the instructions were confusing.",
        ),
        "problem": (
            "fell apart after two weeks.",
            "arrived with a broken zip.",
            "leaked on the first rainy day.",
            "was delivered five days late.",
            "smells strongly of chemicals.",
            "stopped working after a month.",
        ),
        "demand": (
            "I want a refund.",
            "Not what I expect from you.",
            "Please sort this out.",
            "Really frustrating.",
            "",
        ),
        "relative": (
            "father",
            "mother",
            "husband",
            "wife",
            "brother",
            "sister",
            "best friend",
            "grandmother",
        ),
        "illness": (
            "a stress fracture",
            "cancer",
            "long COVID",
            "a torn ligament",
            "a heart condition",
        ),
    }
)

# department -> (verb, gerund, outing) used to fill templates
SPORTS: Mapping[str, tuple[str, str, str]] = MappingProxyType(
    {
        "running": ("run", "running", "long run"),
        "hiking": ("hike", "hiking", "three-day trek"),
        "camping": ("camp", "camping", "weekend in the mountains"),
        "climbing": ("climb", "climbing", "bouldering session"),
        "cycling": ("ride", "cycling", "club ride"),
        "yoga": ("practise yoga", "yoga", "morning class"),
        "strength": ("lift", "lifting", "heavy training block"),
        "swimming": ("swim", "swimming", "lake swim"),
    }
)
_DEFAULT_SPORT = ("train", "training", "weekend trip")
_OPENERS = ("", "", "Hi. ", "Hello! ", "Hi there. ", "Hey team. ", "Good morning. ")
_CLOSERS = ("", "", " Thanks.", " Thank you!", " Cheers.", " Regards.", " Best wishes.")


def compose(rng: np.random.Generator, label: str, *, item: str, city: str, sport: str) -> str:
    """One text written as ``label`` about ``item``, for someone in ``city`` into ``sport``."""
    _, _, templates = TEMPLATES[label]
    verb, gerund, outing = SPORTS.get(sport, _DEFAULT_SPORT)
    slots = {name: _one(rng, words) for name, words in _FILLERS.items()}
    slots.update(item=item, city=city, verb=verb, gerund=gerund, outing=outing)
    body = _one(rng, templates).format(**slots).strip()
    if TEMPLATES[label][0] is EventType.FEEDBACK_TEXT:
        return body + _one(rng, _CLOSERS[:4])
    return _one(rng, _OPENERS) + body + _one(rng, _CLOSERS)


def mentions_item(text: str, item: str) -> bool:
    """Whether a composed text is about this item (so the event should carry its id)."""
    return item in text


def _one(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]
