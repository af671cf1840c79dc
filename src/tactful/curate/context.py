"""What the guards know about the person and the moment; built once per request."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from tactful.settings import GuardSettings
from tactful.signals.profile import Profile
from tactful.types import Event, EventType, Exposure, Item, ItemId, Preferences, Scored

# Strongest first: the verb shown in "Because you bought ..." is the strongest one seen.
ACTION_STRENGTH: tuple[EventType, ...] = (
    EventType.PURCHASE,
    EventType.ADD_TO_CART,
    EventType.RATING,
    EventType.SHARE,
    EventType.CLICK,
    EventType.VIEW,
)


@dataclass(frozen=True)
class Context:
    """Everything a guard or the explainer may read; nothing here does I/O."""

    subject_id: str
    now: datetime
    prefs: Preferences
    catalogue: Mapping[ItemId, Item]
    history: tuple[Event, ...] = ()
    exposures: tuple[Exposure, ...] = ()
    personalized: bool = False
    """The list was scored from the person's own history."""
    consented: bool = False
    """The person granted ``personalization``."""
    limit: int = 10
    settings: GuardSettings = field(default_factory=GuardSettings)
    signals: Profile = field(default_factory=Profile)
    """The person's live signals (mood, life events, interests ...)."""

    @property
    def asked_budget(self) -> int:
        """What the person asked for: the smaller of the request limit and their budget."""
        return max(0, min(self.limit, self.prefs.max_recommendations))

    @property
    def budget(self) -> int:
        """The choice budget: never more than the person asked for, and fewer still in a
        hard time (``distress_max_items``)."""
        if self.signals.quiet:
            return min(self.asked_budget, self.settings.distress_max_items)
        return self.asked_budget

    @cached_property
    def purchased(self) -> frozenset[ItemId]:
        return frozenset(
            e.item_id for e in self.history if e.type is EventType.PURCHASE and e.item_id
        )

    @cached_property
    def dismissed(self) -> frozenset[ItemId]:
        return frozenset(
            e.item_id for e in self.history if e.type is EventType.DISMISS and e.item_id
        )

    @cached_property
    def strongest_action(self) -> dict[ItemId, EventType]:
        """Per item, the strongest thing the person did with it."""
        rank = {t: i for i, t in enumerate(ACTION_STRENGTH)}
        best: dict[ItemId, EventType] = {}
        for e in self.history:
            if e.item_id is None or e.type not in rank:
                continue
            seen = best.get(e.item_id)
            if seen is None or rank[e.type] < rank[seen]:
                best[e.item_id] = e.type
        return best


def keep(scored: Scored, predicate: Callable[[ItemId], bool]) -> Scored:
    """The list without the items the predicate rejects; order and evidence kept."""
    pairs = [(i, s) for i, s in zip(scored.items, scored.scores, strict=True) if predicate(i)]
    items = tuple(i for i, _ in pairs)
    return Scored(
        items,
        tuple(s for _, s in pairs),
        {i: scored.evidence[i] for i in items if i in scored.evidence},
    )
