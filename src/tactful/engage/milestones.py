"""Milestones: moments worth a warm word, read from events by rules set in settings.

- counts: the 10th, 50th, 100th ``progress`` event (the event type and its noun are
  settings);
- streaks: 7 days in a row (in the person's own time zone) with such an event;
- anniversaries: one year since the first purchase.

Each milestone has a stable key, so it is reached once however often events are replayed.
The copy is warm and names no product: a celebration is not an offer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from tactful.local_time import zone
from tactful.phrasing import count
from tactful.records import Milestone
from tactful.settings import EngageSettings
from tactful.types import Event, EventType, SubjectId


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _counts(subject: SubjectId, done: Sequence[Event], s: EngageSettings) -> list[Milestone]:
    noun = s.milestone_count_noun
    return [
        Milestone(
            subject,
            f"count:{s.milestone_count_event}:{n}",
            "count",
            done[n - 1].occurred_at,
            f"Your {ordinal(n)} {noun}",
            f"That's your {ordinal(n)} {noun} with us. Whatever got you here, it's worth "
            "celebrating: well done, and keep going at your own pace.",
        )
        for n in sorted(set(s.milestone_counts))
        if len(done) >= n
    ]


def _streaks(
    subject: SubjectId, done: Sequence[Event], s: EngageSettings, timezone: str
) -> list[Milestone]:
    tz = zone(timezone)
    first_on: dict[date, datetime] = {}
    for e in done:
        first_on.setdefault(e.occurred_at.astimezone(tz).date(), e.occurred_at)
    days = sorted(first_on)
    out: list[Milestone] = []
    start = 0
    for i in range(1, len(days) + 1):
        if i < len(days) and days[i] - days[i - 1] == timedelta(days=1):
            continue
        run = days[start:i]  # one unbroken run of days
        for n in sorted(set(s.milestone_streak_days)):
            if len(run) >= n:
                out.append(
                    Milestone(
                        subject,
                        f"streak:{n}:{run[0].isoformat()}",
                        "streak",
                        first_on[run[n - 1]],
                        f"{count(n, 'day')} in a row",
                        f"{count(n, 'day')} in a row! Showing up day after day takes something. "
                        "We noticed, and we think it's great.",
                    )
                )
        start = i
    return out


def _years_after(at: datetime, years: int) -> datetime:
    try:
        return at.replace(year=at.year + years)
    except ValueError:  # 29 February in a year without one
        return at.replace(year=at.year + years, day=28)


def _anniversaries(
    subject: SubjectId, purchases: Sequence[Event], s: EngageSettings, now: datetime
) -> list[Milestone]:
    if not purchases:
        return []
    first = min(e.occurred_at for e in purchases)
    out: list[Milestone] = []
    for y in sorted(set(s.milestone_anniversary_years)):
        when = _years_after(first, y)
        if when <= now:
            span = "a year" if y == 1 else count(y, "year")
            out.append(
                Milestone(
                    subject,
                    f"anniversary:{y}",
                    "anniversary",
                    when,
                    f"{span.capitalize()} together",
                    f"It's been {span} since your first order with us. Thank you for being "
                    "part of what we do.",
                )
            )
    return out


def reached(
    subject: SubjectId,
    events: Sequence[Event],
    settings: EngageSettings,
    *,
    now: datetime,
    timezone: str,
) -> list[Milestone]:
    """Every milestone the events show as reached by ``now``, oldest first."""
    done = sorted(
        (e for e in events if e.type.value == settings.milestone_count_event),
        key=lambda e: (e.occurred_at, e.event_id),
    )
    purchases = [e for e in events if e.type is EventType.PURCHASE]
    found = [
        *_counts(subject, done, settings),
        *_streaks(subject, done, settings, timezone),
        *_anniversaries(subject, purchases, settings, now),
    ]
    return sorted(found, key=lambda m: (m.reached_at, m.key))


def worth_celebrating(
    fresh: Sequence[Milestone], settings: EngageSettings, *, now: datetime
) -> Milestone | None:
    """Of milestones reached just now, the one to celebrate: recent enough to still mean
    something, and only the latest when several arrive at once (one warm word, not three)."""
    recent = [
        m for m in fresh if now - m.reached_at <= timedelta(days=settings.celebration_max_age_days)
    ]
    return max(recent, key=lambda m: (m.reached_at, m.kind == "count", m.key), default=None)
