"""Milestones through the stores: find what a person reached, record it once, and put one
celebration candidate through the same contact decisions as any other message.

Milestones are read from behaviour, so they need ``personalization``; the celebration
itself needs ``messaging`` and the person's ``celebrations`` preference, like any
celebration (the rules check both). A celebration has no topic and names no product.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from tactful.consent import is_granted
from tactful.consent.policy import ConsentPolicy
from tactful.engage.contact import NewId, decide_contacts, new_decision_id
from tactful.engage.message import Candidate
from tactful.engage.milestones import reached, worth_celebrating
from tactful.errors import InvalidInput
from tactful.records import Channel, ContactDecision, MessageKind, Milestone, Urgency
from tactful.settings import Settings
from tactful.store.consented import consented_view
from tactful.store.ports import Stores
from tactful.types import Event, EventType, Item, ItemId, Preferences, Purpose, SubjectId


def counted_type(settings: Settings) -> EventType:
    name = settings.engage.milestone_count_event
    try:
        return EventType(name)
    except ValueError:
        raise InvalidInput(
            f"unknown event type {name!r}", field="engage.milestone_count_event"
        ) from None


def celebration_for(milestone: Milestone, prefs: Preferences, *, at: datetime) -> Candidate:
    """The celebration message: on the person's first allowed channel, normal urgency."""
    known = [Channel(c) for c in prefs.channels if c in Channel._value2member_map_]
    return Candidate(
        message_id=f"milestone:{milestone.key}",
        kind=MessageKind.CELEBRATION,
        channel=known[0] if known else Channel.IN_APP,
        at=at,
        topic=None,
        urgency=Urgency.NORMAL,
    )


def review_milestones(
    subject: SubjectId,
    *,
    stores: Stores,
    catalogue: Mapping[ItemId, Item],
    settings: Settings,
    policy: ConsentPolicy,
    now: datetime,
    new_id: NewId = new_decision_id,
) -> list[Milestone]:
    """Record the milestones the person newly reached by ``now`` and decide a celebration
    for the one worth it; returns the new milestones (none when replayed)."""
    types = {counted_type(settings), EventType.PURCHASE}
    view = consented_view(stores.subject_view(subject, event_types=types), Purpose.PERSONALIZATION)
    if not is_granted(view.consents, Purpose.PERSONALIZATION):
        return []
    prefs = view.preferences or Preferences()
    found = reached(subject, view.events, settings.engage, now=now, timezone=prefs.timezone)
    known = {m.key for m in stores.milestones.for_subject(subject)}
    fresh = [m for m in found if m.key not in known]
    best = worth_celebrating(fresh, settings.engage, now=now)
    if best is not None:
        chosen = replace(best, decision_id=new_id())
        fresh = [chosen if m.key == best.key else m for m in fresh]
    landed = stores.milestones.add(fresh)
    # At most one has a decision id; another worker may have won the race to record it.
    ids = iter([m.decision_id for m in landed if m.decision_id is not None])
    celebrate = [
        (subject, celebration_for(m, prefs, at=now)) for m in landed if m.decision_id is not None
    ]
    if celebrate:
        decide_contacts(
            celebrate,
            stores=stores,
            catalogue=catalogue,
            settings=settings,
            policy=policy,
            new_id=lambda: next(ids),
        )
    return landed


def review_all(
    subjects: Collection[SubjectId],
    *,
    stores: Stores,
    catalogue: Mapping[ItemId, Item],
    settings: Settings,
    policy: ConsentPolicy,
    now: datetime,
) -> dict[SubjectId, list[Milestone]]:
    """Review several people (e.g. daily, for anniversaries); only those with news appear."""
    out: dict[SubjectId, list[Milestone]] = {}
    for s in sorted(subjects):
        new = review_milestones(
            s, stores=stores, catalogue=catalogue, settings=settings, policy=policy, now=now
        )
        if new:
            out[s] = new
    return out


def achievers(stored: Sequence[Event], settings: Settings, *, now: datetime) -> list[SubjectId]:
    """Who, in a batch of stored events, may have just reached a milestone worth
    celebrating: recent counted or purchase events only (older history, e.g. a bulk
    import, is recorded by the daily review without a celebration)."""
    types = {counted_type(settings), EventType.PURCHASE}
    since = now - timedelta(days=settings.engage.celebration_max_age_days)
    return sorted({e.subject_id for e in stored if e.type in types and e.occurred_at >= since})


def candidates(stores: Stores, settings: Settings) -> list[SubjectId]:
    """Everyone with a purchase or counted event: whom a daily review looks at."""
    counted = counted_type(settings)
    return sorted({e.subject_id for e in stores.events.scan(types={EventType.PURCHASE, counted})})


def milestones_of(
    stores: Stores, subject: SubjectId
) -> list[tuple[Milestone, ContactDecision | None]]:
    """The person's milestones, oldest first, each with its celebration decision."""
    out: list[tuple[Milestone, ContactDecision | None]] = []
    for m in stores.milestones.for_subject(subject):
        decision = None if m.decision_id is None else stores.contact_decisions.get(m.decision_id)
        out.append((m, decision))
    return out
