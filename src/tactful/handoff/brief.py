"""The brief an agent reads before reaching out: why the case opened, what the person wrote
recently (short excerpts), how their mood is going, what Tactful is holding back, how they
like to be contacted, and a suggested approach. Plain data, so it stores as one document
and reads the same after upgrades.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tactful.handoff.triggers import Trigger
from tactful.local_time import local_label
from tactful.records import ContactDecision, Verdict
from tactful.signals.mood import MoodReading
from tactful.signals.profile import Profile, held_by
from tactful.types import Event, Preferences

EXCERPTS = 3
EXCERPT_CHARS = 160

APPROACH = {
    "explicit_request": "They asked for a person: reply personally on their preferred channel, "
    "and don't send them back to self-service.",
    "bereavement": "Acknowledge the loss; no offers. Offer to pause messages and to help with "
    "anything still open (orders, subscriptions, accounts).",
    "financial_hardship": "Be practical and kind: mention payment breaks, cancellation or "
    "refunds they may need; no offers.",
    "distress_support": "Answer their support message personally; listen first and solve the "
    "problem before anything else; no offers.",
    "frustration": "They are angry after things went wrong more than once: own the problem, "
    "fix it in this contact (a refund, a replacement, a direct number), don't send them back "
    "to self-service, and no offers.",
    "erasure_request": "They asked to have their data erased. Confirm with them that this is "
    "what they want before anything is deleted (an inference is never enough); then they can "
    "erase from their own page, or an operator erases on their confirmed request.",
    "negative_feedback": "Apologise for the noise and ask what would help: fewer messages, "
    "another channel or a pause; no offers.",
}
DEFAULT_APPROACH = "Acknowledge what they're going through; no offers."


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of a text, cut at a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def _trend(valences: Sequence[float]) -> str:
    if len(valences) < 2:
        return "unknown"
    change = valences[-1] - valences[0]
    return "falling" if change < -0.2 else "rising" if change > 0.2 else "steady"


HARD_EMOTIONS = ("sadness", "fear", "anger", "disgust")
"""In distress the emotion named is the strongest of these: never "mostly joy"."""
Texts = Sequence[tuple[Event, MoodReading | None]]
"""The person's recent messages, oldest first, each with its reading when one was made."""


def _emotion(readings: Sequence[MoodReading], distress: bool) -> str | None:
    """The strongest emotion over these readings (of the hard ones, in distress)."""
    groups = HARD_EMOTIONS if distress else tuple(readings[0].emotions)
    totals = {g: sum(r.emotions.get(g, 0.0) for r in readings) for g in groups}
    best = max(totals, key=lambda g: totals[g], default=None)
    return best if best is not None and totals[best] > 0 else None


def _tone(valence: float, distress: bool) -> str:
    """Negative, positive or neutral by the valence; in distress never positive nor
    neutral ("low"): polite words ("please ...") can lift a grieving message's score."""
    if valence < -0.05:
        return "negative"
    if distress:
        return "low"
    return "positive" if valence > 0.05 else "neutral"


def triggering(trigger: Trigger, texts: Texts) -> list[tuple[Event, MoodReading | None]]:
    """The texts the trigger cites; if it cites none (e.g. only dismissed messages), the
    most recent ones."""
    cited = [(e, r) for e, r in texts if e.event_id in trigger.evidence]
    return cited or [(e, r) for e, r in texts if e.text][-EXCERPTS:]


def mood_of(trigger: Trigger, profile: Profile, texts: Texts) -> dict[str, Any]:
    """The mood of the texts that opened the case, in words that agree with the distress
    flag, with a trend over the recent messages (oldest first). Without readings of those
    texts it falls back to the person's mood signal."""
    worded = [(e, r) for e, r in texts if e.text]
    recent = [r.valence for _, r in worded[-EXCERPTS:] if r is not None]
    read = [r for _, r in triggering(trigger, texts) if r is not None]
    distress = profile.distressed or any(r.distress for r in read)
    mood = profile.get("mood")
    valence: float | None = None
    emotion: object = None
    if read:
        valence = round(sum(r.valence for r in read) / len(read), 3)
        emotion = _emotion(read, distress)
    elif mood is not None:
        valence = round(mood.value, 3)
        emotion = mood.detail.get("emotion")
        if distress and emotion not in HARD_EMOTIONS:
            emotion = None
    trend = _trend(recent)
    if valence is None:
        words = "No mood reading (no recent text, or no consent to read it)."
    else:
        tone = _tone(valence, distress)
        words = f"Mood {tone}" + ("" if tone == "low" else f" ({valence:+.2f})")
        words += f", mostly {emotion}" if emotion else ""
        words += f"; trend {trend}." if trend != "unknown" else "."
    if distress:
        words += " Signs of distress."
    return {
        "valence": valence,
        "emotion": emotion,
        "trend": trend,
        "distress": distress,
        "text": words,
    }


def holding_back(profile: Profile, decisions: Sequence[ContactDecision]) -> list[dict[str, Any]]:
    """What Tactful is not sending, by reason, and why it is holding back at all."""
    held = [d for d in decisions if d.verdict is Verdict.SUPPRESS and d.reasons]
    counts = Counter(d.reasons[-1].kind for d in held)
    latest = {d.reasons[-1].kind: d.reasons[-1].text for d in held}
    out = [{"kind": kind, "count": n, "text": latest[kind]} for kind, n in sorted(counts.items())]
    hard = held_by(profile)
    out.append(
        {
            "kind": "handoff_open",
            "count": 0,
            "text": "While this case is open, no offers, news or celebrations go out"
            + (f" (also held for: {', '.join(hard)})." if hard else "."),
        }
    )
    return out


def preferences_of(prefs: Preferences, now: datetime) -> dict[str, Any]:
    quiet = prefs.quiet_hours
    quiet_text = None if quiet is None else f"{quiet.start:%H:%M}–{quiet.end:%H:%M}"
    paused = prefs.pause_until if prefs.pause_until and prefs.pause_until > now else None
    parts = [f"Channels in order: {', '.join(prefs.channels) or 'none'}"]
    if quiet_text:
        parts.append(f"quiet hours {quiet_text} ({prefs.timezone})")
    if paused:
        parts.append(f"paused until {local_label(paused, prefs.timezone)}")
    parts.append("celebrations on" if prefs.celebrations else "celebrations off")
    return {
        "channels": list(prefs.channels),
        "timezone": prefs.timezone,
        "quiet_hours": quiet_text,
        "paused_until": None if paused is None else paused.isoformat(),
        "celebrations": prefs.celebrations,
        "text": "; ".join(parts) + ".",
    }


def write_brief(
    trigger: Trigger,
    *,
    texts: Texts,
    profile: Profile,
    prefs: Preferences,
    decisions: Sequence[ContactDecision],
    now: datetime,
) -> dict[str, Any]:
    """The brief. ``texts`` are the person's recent messages, oldest first, each with its
    reading when one could be made."""
    recent = [(e, v) for e, v in texts if e.text][-EXCERPTS:]
    return {
        "summary": trigger.summary,
        "recent_messages": [
            {
                "at": e.occurred_at.isoformat(),
                "type": e.type.value,
                "excerpt": excerpt(e.text or ""),
            }
            for e, _ in reversed(recent)
        ],
        "mood": mood_of(trigger, profile, texts),
        "holding_back": holding_back(profile, decisions),
        "preferences": preferences_of(prefs, now),
        "approach": APPROACH.get(trigger.name, DEFAULT_APPROACH),
    }
