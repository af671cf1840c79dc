"""What the guards know about the person and the moment; built once per request."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import Any

from tactful.consent.policy import category_of
from tactful.settings import GuardSettings
from tactful.signals.behaviour import category_mix, last_engaged
from tactful.signals.profile import Profile
from tactful.types import (
    DataCategory,
    Event,
    EventType,
    Exposure,
    Item,
    ItemId,
    Preferences,
    RequestContext,
    Scored,
    Sensitivity,
)

# Strongest first: the verb shown in "Because you bought ..." is the strongest one seen.
ACTION_STRENGTH: tuple[EventType, ...] = (
    EventType.PURCHASE,
    EventType.ADD_TO_CART,
    EventType.RATING,
    EventType.SHARE,
    EventType.CLICK,
    EventType.VIEW,
)


_CART_EVENTS = frozenset({EventType.ADD_TO_CART, EventType.PURCHASE})
UNDONE = frozenset({EventType.CANCEL, EventType.RETURN})
"""Orders the person took back."""


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
    score_scale: float | None = None
    """The scoring model's median best score over the people it was trained on (its
    manifest's ``median_best_score``), for settings written as multiples of it."""
    request: RequestContext = RequestContext.HOME
    """Where the list is shown: in a hard time a proactive one (home, email) shows nothing."""

    @property
    def diversity_reference(self) -> float | None:
        """``diversity_reference_score``, or else the scale times the model's own."""
        g = self.settings
        if g.diversity_reference_score:  # set (not None, not 0): in score units
            return g.diversity_reference_score
        if not g.diversity_reference_scale or self.score_scale is None:
            return None
        return g.diversity_reference_scale * self.score_scale

    @property
    def chose_budget(self) -> bool:
        """The person chose their choice budget (``max_recommendations``) themselves."""
        return self.prefs.max_recommendations is not None

    @property
    def own_budget(self) -> int:
        """The person's choice budget, or ``default_max_recommendations`` if they chose none."""
        chosen = self.prefs.max_recommendations
        return self.settings.default_max_recommendations if chosen is None else chosen

    @property
    def asked_budget(self) -> int:
        """What the person asked for: the smaller of the request limit and their budget."""
        return max(0, min(self.limit, self.own_budget))

    @property
    def budget(self) -> int:
        """The choice budget: never more than the person asked for, and fewer still in a
        hard time (``distress_max_items``)."""
        if self.signals.quiet:
            return min(self.asked_budget, self.settings.distress_max_items)
        return self.asked_budget

    def settled(self) -> Context:
        """This context with everything ``HISTORY_ONLY`` derived, and the history itself
        let go: what a cache keeps (guards and explanations read the history only
        through those properties; a test holds cached and fresh answers equal)."""
        return self._copy(history=())

    def _copy(self, **changes: Any) -> Context:
        copy = replace(self, **changes)
        for name in HISTORY_ONLY:
            copy.__dict__[name] = getattr(self, name)
        return copy

    def moved(
        self,
        *,
        now: datetime,
        exposures: tuple[Exposure, ...],
        limit: int,
        request: RequestContext | None = None,
    ) -> Context:
        """This context at another moment, with fresher exposures, another limit or another
        request context; what was derived from the history alone is carried over, not
        derived again."""
        return self._copy(
            now=now, exposures=exposures, limit=limit, request=request or self.request
        )

    @cached_property
    def history_mix(self) -> dict[str, float]:
        """The person's category shares over their whole history (no decay)."""
        return category_mix(self.history, self.catalogue, now=self.now)

    @cached_property
    def last_engaged(self) -> dict[ItemId, datetime]:
        """Per item, when the person last engaged with it (retargeting counts from then)."""
        return last_engaged(self.history)

    @cached_property
    def sensitive_touched(self) -> frozenset[ItemId]:
        """Items in the history of a sensitive category the person did not allow."""
        allowed = {Sensitivity.NONE, *self.prefs.allowed_sensitive}
        found = (self.catalogue.get(e.item_id) for e in self.history if e.item_id is not None)
        return frozenset(it.item_id for it in found if it and it.sensitive not in allowed)

    @cached_property
    def private_only(self) -> dict[ItemId, datetime]:
        """Items the person touched only through private data (location, social, or a
        ``guards.private_sources`` source), with the earliest such event."""
        sources, first = self.settings.private_sources, dict[ItemId, datetime]()
        public: set[ItemId] = set()
        for e in self.history:
            if e.item_id is None or e.item_id in public:
                continue
            if not is_private(e, sources):
                public.add(e.item_id)
                first.pop(e.item_id, None)
            elif e.item_id not in first or e.occurred_at < first[e.item_id]:
                first[e.item_id] = e.occurred_at
        return first

    @cached_property
    def single_views(self) -> frozenset[ItemId]:
        """Items the person touched exactly once, with a view."""
        once: dict[ItemId, bool] = {}  # so far: touched exactly once, with a view
        for e in self.history:
            if e.item_id is not None:
                once[e.item_id] = e.item_id not in once and e.type == EventType.VIEW
        return frozenset(i for i, single in once.items() if single)

    @cached_property
    def purchased(self) -> frozenset[ItemId]:
        return frozenset(
            e.item_id for e in self.history if e.type is EventType.PURCHASE and e.item_id
        )

    @cached_property
    def in_cart(self) -> dict[ItemId, datetime]:
        """Items the person added to their cart and has not bought since, with when they
        last added them (a purchase at the same instant counts as after)."""
        added: dict[ItemId, datetime] = {}
        bought: dict[ItemId, datetime] = {}
        for e in self.history:
            if e.item_id is None or e.type not in _CART_EVENTS:
                continue
            seen = added if e.type is EventType.ADD_TO_CART else bought
            if e.item_id not in seen or e.occurred_at > seen[e.item_id]:
                seen[e.item_id] = e.occurred_at
        return {i: at for i, at in added.items() if i not in bought or bought[i] < at}

    @cached_property
    def undone(self) -> frozenset[ItemId]:
        """Items of orders the person cancelled or returned."""
        return frozenset(e.item_id for e in self.history if e.type in UNDONE and e.item_id)

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


PRIVATE_CATEGORIES = frozenset({DataCategory.LOCATION, DataCategory.SOCIAL})


def is_private(event: Event, sources: Sequence[str]) -> bool:
    """Location or social data, or an event from a source the person did not share with
    us directly (``guards.private_sources``: partner data, in-store tracking ...)."""
    return category_of(event.type) in PRIVATE_CATEGORIES or (event.source or "") in sources


HISTORY_ONLY = (
    "history_mix",
    "last_engaged",
    "sensitive_touched",
    "private_only",
    "single_views",
    "purchased",
    "in_cart",
    "undone",
    "dismissed",
    "strongest_action",
)
"""The cached properties of ``Context`` that depend on the history and catalogue alone."""


def keep(scored: Scored, predicate: Callable[[ItemId], bool]) -> Scored:
    """The list without the items the predicate rejects; order and evidence kept (the same
    list when nothing is rejected, the usual case for most guards)."""
    verdicts = [predicate(i) for i in scored.items]
    if all(verdicts):
        return scored
    pairs = [(i, s) for i, s, ok in zip(scored.items, scored.scores, verdicts, strict=True) if ok]
    items = tuple(i for i, _ in pairs)
    return Scored(
        items,
        tuple(s for _, s in pairs),
        {i: scored.evidence[i] for i in items if i in scored.evidence},
    )
