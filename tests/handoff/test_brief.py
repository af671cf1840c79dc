"""The brief an agent reads: excerpts, mood and its trend, what is held back, preferences,
and an approach that fits the trigger."""

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from tactful.handoff.brief import excerpt, write_brief
from tactful.handoff.triggers import Trigger
from tactful.records import Verdict
from tactful.signals.mood import MoodReading
from tactful.signals.profile import build_profile
from tactful.types import Event, EventType, Preferences, Purpose, QuietHours, Reason, Signal
from tests.engage.people import sent

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
LOSS = Trigger("bereavement", NOW, "What they wrote suggests bereavement.", ("t3",))


def msg(i: int, words: str, hours: int) -> Event:
    return Event(f"t{i}", "u1", EventType.SUPPORT_MESSAGE, NOW - timedelta(hours=hours), text=words)


def reading(valence: float, emotion: str = "neutral", distress: bool = False) -> MoodReading:
    emotions = dict.fromkeys(("anger", "fear", "joy", "sadness", "neutral"), 0.05)
    emotions[emotion] = 0.6
    return MoodReading(valence, (), emotions, distress, 0.99 if distress else 0.1)


def test_excerpts_are_cut_at_a_word() -> None:
    assert excerpt("short   and\nsweet") == "short and sweet"
    long = "word " * 60
    cut = excerpt(long, 30)
    assert cut.endswith(" …") and len(cut) <= 32 and "wor …" not in cut


def test_brief_for_a_bereavement() -> None:
    signals = [
        Signal("u1", "mood", -0.7, Purpose.EMOTIONAL_CONTEXT, NOW, None, {"emotion": "sadness"}),
        Signal("u1", "life_event:bereavement", 0.9, Purpose.EMOTIONAL_CONTEXT, NOW),
    ]
    profile = build_profile(signals, now=NOW)
    texts = [
        (msg(1, "Loving the new boots!", 72), reading(0.8, "joy")),
        (msg(2, "Where is my parcel?", 48), reading(-0.1)),
        (
            msg(3, "My father passed away last week. Please cancel the gift order.", 1),
            reading(-0.7, "sadness"),
        ),
        (msg(4, "Also the newsletter.", 0), None),
    ]
    held = sent(NOW - timedelta(hours=1), verdict=Verdict.SUPPRESS)
    held = replace(held, reasons=(Reason("emotional_hold", "We're keeping things quiet for now."),))
    prefs = Preferences(
        channels=("email", "in_app"),
        quiet_hours=QuietHours(time(22), time(7)),
        timezone="Europe/Berlin",
        celebrations=False,
    )
    brief = write_brief(LOSS, texts=texts, profile=profile, prefs=prefs, decisions=[held], now=NOW)

    assert brief["summary"] == LOSS.summary
    assert brief["approach"].startswith("Acknowledge the loss; no offers.")
    recent = brief["recent_messages"]
    assert [m["excerpt"] for m in recent] == [
        "Also the newsletter.",
        "My father passed away last week. Please cancel the gift order.",
        "Where is my parcel?",
    ]  # newest first, at most three
    mood = brief["mood"]
    assert mood["valence"] == -0.7 and mood["emotion"] == "sadness"
    assert mood["trend"] == "falling"  # -0.1 then -0.8 (the unread one is skipped)
    assert "negative" in mood["text"] and "sadness" in mood["text"]
    kinds = {h["kind"]: h for h in brief["holding_back"]}
    assert kinds["emotional_hold"]["count"] == 1
    assert "bereavement" in kinds["handoff_open"]["text"]
    assert brief["preferences"]["quiet_hours"] == "22:00–07:00"
    assert "celebrations off" in brief["preferences"]["text"]


def test_every_trigger_has_its_own_approach() -> None:
    profile = build_profile([], now=NOW)
    seen = set()
    for name in (
        "explicit_request",
        "bereavement",
        "financial_hardship",
        "distress_support",
        "negative_feedback",
        "illness",
    ):
        brief = write_brief(
            Trigger(name, NOW, "x"),
            texts=[],
            profile=profile,
            prefs=Preferences(),
            decisions=[],
            now=NOW,
        )
        seen.add(brief["approach"])
        assert brief["recent_messages"] == []
        assert brief["mood"]["valence"] is None and brief["mood"]["trend"] == "unknown"
    assert len(seen) == 6


GRIEF = "My father passed away last week. please cancel the tent for the trip with my father"


def grieving_profile(mood: float) -> list[Signal]:
    """A whole-period mood lifted by older happy texts, and live distress."""
    return [
        Signal("u1", "mood", mood, Purpose.EMOTIONAL_CONTEXT, NOW, None, {"emotion": "joy"}),
        Signal("u1", "distress", 0.99, Purpose.EMOTIONAL_CONTEXT, NOW, NOW + timedelta(days=9)),
        Signal("u1", "life_event:bereavement", 0.99, Purpose.EMOTIONAL_CONTEXT, NOW),
    ]


def test_the_mood_line_never_contradicts_the_distress_flag() -> None:
    """Issue 10, defect 2: the brief read "Mood positive (+0.08), mostly sadness. Signs of
    distress." for this text: polite words ("please") lift its valence to +0.08 while the
    model reads distress. The mood line now reads the texts that opened the case and agrees
    with the flag."""
    profile = build_profile(grieving_profile(0.08), now=NOW)
    texts = [
        (msg(1, "Loving the new boots, thank you so much!", 200), reading(0.77, "joy")),
        (msg(3, GRIEF, 1), reading(0.077, "sadness", distress=True)),
    ]
    brief = write_brief(
        LOSS, texts=texts, profile=profile, prefs=Preferences(), decisions=[], now=NOW
    )
    mood = brief["mood"]
    assert mood["distress"] is True
    assert mood["valence"] == 0.077  # the triggering text's, not the whole period's
    assert mood["emotion"] == "sadness"
    assert mood["text"] == "Mood low, mostly sadness; trend falling. Signs of distress."
    assert "positive" not in mood["text"]


def test_the_mood_line_is_the_triggering_texts_not_the_whole_period() -> None:
    profile = build_profile(grieving_profile(0.5), now=NOW)
    texts = [
        (msg(1, "Loving the new boots!", 200), reading(0.8, "joy")),
        (msg(2, "Great service as always.", 100), reading(0.7, "joy")),
        (msg(3, GRIEF, 1), reading(-0.6, "sadness", distress=True)),
    ]
    brief = write_brief(
        LOSS, texts=texts, profile=profile, prefs=Preferences(), decisions=[], now=NOW
    )
    assert brief["mood"]["text"].startswith("Mood negative (-0.60), mostly sadness")


def test_without_readings_the_mood_signal_still_agrees_with_distress() -> None:
    """When the texts could not be read, the stored mood (+0.08, "joy") is the fallback,
    and still does not call a distressed person's mood positive or joyful."""
    profile = build_profile(grieving_profile(0.08), now=NOW)
    texts = [(msg(3, GRIEF, 1), None)]
    brief = write_brief(
        LOSS, texts=texts, profile=profile, prefs=Preferences(), decisions=[], now=NOW
    )
    assert brief["mood"]["text"] == "Mood low. Signs of distress."
    assert brief["mood"]["emotion"] is None
