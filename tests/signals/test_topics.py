"""What a text is about, as catalogue categories (``tactful.signals.topics``)."""

from datetime import UTC, datetime, timedelta

from tactful.settings import SignalSettings
from tactful.signals.emotional import emotional_signals
from tactful.signals.mood import MoodReading
from tactful.signals.topics import topics_of, vocabulary
from tactful.types import Event, EventType, Item

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
ITEMS = [
    Item("tent", "Ultralight 2P Tent", ("camping",)),
    Item("tent4", "Family Tent 4P", ("camping",)),
    Item("chair", "Folding Camp Chair", ("camping",)),
    Item("bag", "Down Sleeping Bag", ("camping",)),
    Item("shoe", "Trail Runner", ("running",)),
    Item("boot", "Trail Hiking Boot", ("hiking",)),
    Item("lamp", "Headlamp 300", ("running", "camping")),
    Item("lamp2", "Headlamp 500", ("running", "camping")),
    Item("mat", "Yoga Mat", ("yoga", "home-fitness")),
    Item("book", "Forty Weeks of Gentle Running", ("books", "running")),
]
WORDS = vocabulary(ITEMS)


def test_a_tent_is_camping() -> None:
    text = "please cancel the tent for the trip with my father"
    assert topics_of(text, WORDS) == ("camping",)


def test_names_synonyms_plurals_and_distinctive_title_words() -> None:
    assert topics_of("We went camping every summer", WORDS) == ("camping",)
    assert topics_of("our tents and a campsite", WORDS) == ("camping",)
    assert topics_of("he loved to run", WORDS) == ("running",)  # a synonym
    assert topics_of("the headlamps we shared", WORDS) == ("camping", "running")
    assert topics_of("my home fitness corner", WORDS) == ("home-fitness",)


def test_words_shared_by_categories_and_small_words_stand_for_none() -> None:
    assert topics_of("the trail was closed", WORDS) == ()  # in running and hiking titles
    assert topics_of("a gentle week, please", WORDS) == ()  # one book's words, everyday words
    assert topics_of("the folding one", WORDS) == ()  # one item's word
    assert topics_of("the 2P one, for the two of us", WORDS) == ()
    assert topics_of("Thank you, I'm fine", WORDS) == ()
    assert topics_of("a tent", {}) == ()


def reading(distress: bool) -> MoodReading:
    return MoodReading(-0.6 if distress else 0.5, (), {"neutral": 1.0}, distress, 0.9)


def text(i: int, words: str, days: float) -> Event:
    at = NOW - timedelta(days=days)
    return Event(f"t{i}", "u1", EventType.SUPPORT_MESSAGE, at, text=words)


def test_the_topics_of_a_hard_time_are_a_signal_that_ends_with_it() -> None:
    """Only texts from the first hard one on count: an older happy text about running is
    not part of the hard time."""
    texts = [
        text(1, "Loving my new trail runner, I run every day!", 9),
        text(2, "Everything is awful, I can't cope", 2),
        text(3, "please cancel the tent for the trip with my father", 1),
    ]
    read = {"t1": reading(False), "t2": reading(True), "t3": reading(False)}
    by_text = {e.text: read[e.event_id] for e in texts}

    def analyse(words: list[str]) -> list[MoodReading]:
        return [by_text[w] for w in words]

    found = emotional_signals(
        "u1", texts, now=NOW, settings=SignalSettings(), analyse=analyse, vocabulary=WORDS
    )
    by_kind = {s.kind: s for s in found}
    topics = by_kind["topics"]
    assert topics.detail == {"categories": ["camping"]}
    assert topics.evidence == ("t3",)
    assert topics.expires_at == by_kind["distress"].expires_at
    without = emotional_signals("u1", texts, now=NOW, settings=SignalSettings(), analyse=analyse)
    assert "topics" not in {s.kind for s in without}  # no catalogue words given
