"""One contact budget across channels, and fatigue that shrinks it.

Two rolling weekly caps apply: the person's own ``max_messages_per_week`` for the chosen
channel (every non-transactional message on it), and the operator's
``promotional_per_week`` across all channels (promotional and community messages). A
digest counts once however many messages it bundles. Fatigue multiplies both caps by its
factor (e.g. 0.5 after 3 unwelcome outcomes in a row), and a request for fewer messages
stated in words halves them (reason ``asked_fewer``); supportive messages are exempt from
both, transactional ones from the whole budget.

Over budget, the message is deferred to the first moment every cap allows it, unless that
is more than ``max_defer_days`` away (or a cap is zero): then it is suppressed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tactful.engage.message import MARKETING, Candidate
from tactful.engage.rules import CHANNEL_NAMES, WHEN, Draft
from tactful.engage.situation import Situation, fatigue_factor
from tactful.engage.timing import next_slot
from tactful.phrasing import count
from tactful.records import Channel, ContactDecision, MessageKind, Verdict

WEEK = timedelta(days=7)
ASKED_FEWER_FACTOR = 0.5
"""A request for fewer messages (in words) halves every cap."""


@dataclass(frozen=True, slots=True)
class Cap:
    """One cap: at most ``limit`` contacts per rolling week among ``taken``."""

    label: str
    limit: int
    taken: tuple[datetime, ...]


def contact_times(
    history: tuple[ContactDecision, ...], counts: Callable[[ContactDecision], bool]
) -> tuple[datetime, ...]:
    """When each counted contact goes out; the messages of one digest count once."""
    seen: set[str] = set()
    out: list[datetime] = []
    for h in history:
        if not h.reaches_out or h.send_at is None or not counts(h):
            continue
        if h.digest_id is not None:
            if h.digest_id in seen:
                continue
            seen.add(h.digest_id)
        out.append(h.send_at)
    return tuple(sorted(out))


def caps_for(c: Candidate, s: Situation, channel: Channel) -> list[Cap]:
    caps: list[Cap] = []
    own = s.prefs.max_messages_per_week.get(channel.value)
    if own is not None:
        caps.append(
            Cap(
                f"you asked for at most {count(own, CHANNEL_NAMES[channel])} a week",
                own,
                contact_times(
                    s.history,
                    lambda h: h.channel == channel and h.kind is not MessageKind.TRANSACTIONAL,
                ),
            )
        )
    if c.kind in MARKETING:
        limit = s.settings.promotional_per_week
        caps.append(
            Cap(
                f"we send at most {count(limit, 'offer or newsletter', 'offers and newsletters')}"
                " a week",
                limit,
                contact_times(s.history, lambda h: h.kind in MARKETING),
            )
        )
    return caps


def fit(t: datetime, caps: list[Cap], factor: float) -> tuple[datetime | None, Cap | None]:
    """The first time at or after ``t`` every cap (times ``factor``) allows, and the cap
    that moved it last; ``None`` when some cap is zero."""
    binding: Cap | None = None
    for _ in range(50):  # each pass only moves forward; a few passes settle it
        moved = False
        for cap in caps:
            slot = next_slot(t, cap.taken, math.floor(cap.limit * factor), WEEK)
            if slot is None:
                return None, cap
            if slot > t:
                t, binding, moved = slot, cap, True
        if not moved:
            return t, binding
    return t, binding


def _lowered(c: Candidate, s: Situation) -> tuple[float, float, int]:
    """The factors on the caps: the person's request for fewer messages (``asked_fewer``
    halves them) and fatigue (with its run); supportive messages are exempt from both."""
    if c.kind is MessageKind.SUPPORTIVE:
        return 1.0, 1.0, 0
    fewer = ASKED_FEWER_FACTOR if s.profile.asked("fewer_messages") is not None else 1.0
    factor, run = fatigue_factor(s.profile)
    return fewer, factor, run


def frequency_cap(c: Candidate, s: Situation, d: Draft) -> Draft:
    """Apply the budget; the reason is ``asked_fewer`` when the person's request for fewer
    messages forces it, ``fatigue`` when only the lowered budget does."""
    if c.kind is MessageKind.TRANSACTIONAL or d.send_at is None or d.channel is None:
        return d
    caps = caps_for(c, s, d.channel)
    if not caps:
        return d
    fewer, factor, run = _lowered(c, s)
    full, full_cap = fit(d.send_at, caps, 1.0)
    halved = fit(d.send_at, caps, fewer)[0] if fewer < 1.0 else full
    lowered, cap = (
        fit(d.send_at, caps, fewer * factor) if fewer * factor < 1.0 else (full, full_cap)
    )
    asked = fewer < 1.0 and halved != full
    tired = not asked and factor < 1.0 and lowered != full
    kind = "asked_fewer" if asked else "fatigue" if tired else "frequency_cap"
    because = (
        "you asked for fewer messages, so we write half as often"
        if asked
        else f"our last {count(run, 'message')} went unread or unwanted, so we're writing less "
        "often"
        if tired
        else (cap.label if cap is not None else "of your contact budget")
    )
    horizon = timedelta(days=s.settings.max_defer_days)
    if lowered is None or lowered - d.send_at > horizon:
        return d.stop(Verdict.SUPPRESS, kind, f"Not sent: {because}.")
    if lowered == d.send_at:
        return d
    return d.later(lowered, kind, f"It waits until {WHEN}: {because}.")
