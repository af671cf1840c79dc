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


def mood_of(profile: Profile, valences: Sequence[float]) -> dict[str, Any]:
    """The mood signal in words, with a trend over the recent messages (oldest first)."""
    mood = profile.get("mood")
    valence = None if mood is None else round(mood.value, 3)
    emotion = None if mood is None else mood.detail.get("emotion")
    trend = _trend(valences)
    if valence is None:
        words = "No mood reading (no recent text, or no consent to read it)."
    else:
        tone = "negative" if valence < -0.05 else "positive" if valence > 0.05 else "neutral"
        words = f"Mood {tone} ({valence:+.2f})" + (f", mostly {emotion}" if emotion else "")
        words += f"; trend {trend}." if trend != "unknown" else "."
    if profile.distressed:
        words += " Signs of distress."
    return {
        "valence": valence,
        "emotion": emotion,
        "trend": trend,
        "distress": profile.distressed,
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
    texts: Sequence[tuple[Event, float | None]],
    profile: Profile,
    prefs: Preferences,
    decisions: Sequence[ContactDecision],
    now: datetime,
) -> dict[str, Any]:
    """The brief. ``texts`` are the person's recent messages, oldest first, each with its
    valence when one could be read."""
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
        "mood": mood_of(profile, [v for _, v in recent if v is not None]),
        "holding_back": holding_back(profile, decisions),
        "preferences": preferences_of(prefs, now),
        "approach": APPROACH.get(trigger.name, DEFAULT_APPROACH),
    }
