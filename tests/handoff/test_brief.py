"""The brief an agent reads: excerpts, mood and its trend, what is held back, preferences,
and an approach that fits the trigger."""

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from tactful.handoff.brief import excerpt, write_brief
from tactful.handoff.triggers import Trigger
from tactful.records import Verdict
from tactful.signals.profile import build_profile
from tactful.types import Event, EventType, Preferences, Purpose, QuietHours, Reason, Signal
from tests.engage.people import sent

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
LOSS = Trigger("bereavement", NOW, "What they wrote suggests bereavement.", ("t3",))


def msg(i: int, words: str, hours: int) -> Event:
    return Event(f"t{i}", "u1", EventType.SUPPORT_MESSAGE, NOW - timedelta(hours=hours), text=words)


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
        (msg(1, "Loving the new boots!", 72), 0.8),
        (msg(2, "Where is my parcel?", 48), -0.1),
        (msg(3, "My father passed away last week. Please cancel the gift order.", 1), -0.8),
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
