"""The demo shop's communities: trail running, repair and reuse, and local trail clean-ups,
with content for each (guides, stories, events, volunteering), the customers who joined
(only those who granted ``community``, and whose tastes or values match) and their views
of that content. Plain values, drawn from the shop itself: the same shop gives the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tactful.consent.ledger import fold
from tactful.demo.shop import DemoShop
from tactful.records import Community, Membership
from tactful.types import (
    ConsentRecord,
    Decision,
    Event,
    EventType,
    Item,
    ItemKind,
    Purpose,
    SubjectId,
)

COMMUNITIES: tuple[Community, ...] = (
    Community(
        "trail-running",
        "Trail Runners",
        "Weekly group runs on the trails, race tips and route swaps.",
        categories=("running",),
    ),
    Community(
        "repair-reuse",
        "Repair and Reuse",
        "Mend, swap and pass on gear instead of buying new.",
        values=("repairable", "second-hand"),
    ),
    Community(
        "trail-cleanups",
        "Local Trail Clean-ups",
        "Monthly litter picks on the trails near you, gloves and bags provided.",
        values=("sustainability",),
        categories=("hiking",),
    ),
)

# (community id, title, categories, values)
CONTENT: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("trail-running", "Guide: your first trail half marathon", ("running",), ()),
    ("trail-running", "Story: 100 km through the Harz in one day", ("running",), ()),
    ("trail-running", "Event: Saturday sunrise group run", ("running",), ()),
    ("repair-reuse", "Guide: patch a down jacket in ten minutes", (), ("repairable",)),
    ("repair-reuse", "Event: gear swap and repair café", (), ("second-hand",)),
    ("repair-reuse", "Story: the tent that lasted twenty summers", (), ("repairable",)),
    (
        "trail-cleanups",
        "Volunteering: spring clean-up on the local trails",
        ("hiking",),
        ("sustainability",),
    ),
    ("trail-cleanups", "Guide: leave no trace on a day hike", ("hiking",), ("sustainability",)),
    ("trail-cleanups", "Story: what 40 volunteers found in one afternoon", (), ("sustainability",)),
)
VIEWS_PER_MEMBER = 2


@dataclass(frozen=True, slots=True)
class CommunityLife:
    communities: tuple[Community, ...]
    items: tuple[Item, ...]
    members: tuple[Membership, ...]
    events: tuple[Event, ...]
    """Members' views of their communities' content (the consent gate still applies)."""


def content_items(now: datetime) -> tuple[Item, ...]:
    return tuple(
        Item(
            f"c{k:03d}",
            title,
            categories=cats,
            values=vals,
            kind=ItemKind.CONTENT,
            added_at=now - timedelta(days=60),
        )
        for k, (_, title, cats, vals) in enumerate(CONTENT, start=1)
    )


def _joins(shop: DemoShop, subject: SubjectId) -> list[Community]:
    prefs = shop.preferences.get(subject)
    mine = {
        x.lower() for x in (*shop.favourites.get(subject, ()), *(prefs.values if prefs else ()))
    }
    return [c for c in COMMUNITIES if c.topics & mine]


def community_life(shop: DemoShop, *, now: datetime) -> CommunityLife:
    """Who joined what (a day after their consent to communities), and what they viewed."""
    history: dict[SubjectId, list[ConsentRecord]] = {}
    for r in shop.consents:
        history.setdefault(r.subject_id, []).append(r)
    items = content_items(now)
    by_community: dict[str, list[Item]] = {c.community_id: [] for c in COMMUNITIES}
    for (cid, *_), item in zip(CONTENT, items, strict=True):
        by_community[cid].append(item)
    members: list[Membership] = []
    events: list[Event] = []
    for n, subject in enumerate(shop.subjects):
        state = fold(history.get(subject, []))
        if state[Purpose.COMMUNITY] is not Decision.GRANTED:
            continue
        for c in _joins(shop, subject):
            members.append(Membership(subject, c.community_id, now - timedelta(days=30 + n % 30)))
            pool = by_community[c.community_id]
            for v in range(VIEWS_PER_MEMBER):
                item = pool[(n + v) % len(pool)]
                at = now - timedelta(days=1 + (n + v) % 25, hours=n % 12)
                eid = f"cv{len(events) + 1:06d}"
                events.append(Event(eid, subject, EventType.VIEW, at, item_id=item.item_id))
    return CommunityLife(COMMUNITIES, items, tuple(members), tuple(events))
