"""The one table that says which purposes may use which data category.

Event types fix their category; a category is usable only under the purposes listed here.
``ConsentPolicy`` lets a deployment override the default map from settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from tactful.types import DataCategory, EventType, Purpose

EVENT_CATEGORY: Mapping[EventType, DataCategory] = MappingProxyType(
    {
        EventType.VIEW: DataCategory.BEHAVIORAL,
        EventType.CLICK: DataCategory.BEHAVIORAL,
        EventType.ADD_TO_CART: DataCategory.BEHAVIORAL,
        EventType.SEARCH: DataCategory.BEHAVIORAL,
        EventType.SHARE: DataCategory.BEHAVIORAL,
        EventType.PROGRESS: DataCategory.BEHAVIORAL,
        EventType.PURCHASE: DataCategory.TRANSACTIONAL,
        EventType.CANCEL: DataCategory.TRANSACTIONAL,
        EventType.RETURN: DataCategory.TRANSACTIONAL,
        EventType.RATING: DataCategory.FEEDBACK,
        EventType.DISMISS: DataCategory.FEEDBACK,
        EventType.FEEDBACK_TEXT: DataCategory.TEXT,
        EventType.SUPPORT_MESSAGE: DataCategory.TEXT,
        EventType.LOCATION: DataCategory.LOCATION,
        EventType.SOCIAL: DataCategory.SOCIAL,
    }
)

CATEGORY_PURPOSES: Mapping[DataCategory, frozenset[Purpose]] = MappingProxyType(
    {
        DataCategory.BEHAVIORAL: frozenset({Purpose.PERSONALIZATION, Purpose.ANALYTICS}),
        DataCategory.TRANSACTIONAL: frozenset({Purpose.PERSONALIZATION, Purpose.ANALYTICS}),
        DataCategory.FEEDBACK: frozenset({Purpose.PERSONALIZATION, Purpose.ANALYTICS}),
        DataCategory.TEXT: frozenset({Purpose.EMOTIONAL_CONTEXT}),
        DataCategory.LOCATION: frozenset({Purpose.LOCATION}),
        DataCategory.SOCIAL: frozenset({Purpose.SOCIAL}),
        # Declared data is the person's own statement; it is used only for what it was
        # stated for and never needs an inferred-data purpose.
        DataCategory.DECLARED: frozenset(),
    }
)


def category_of(event_type: EventType) -> DataCategory:
    """The data category an event type belongs to."""
    return EVENT_CATEGORY[event_type]


@dataclass(frozen=True, slots=True)
class ConsentPolicy:
    """Which purposes may use each category; the default is ``CATEGORY_PURPOSES``."""

    category_purposes: Mapping[DataCategory, frozenset[Purpose]] = field(
        default_factory=lambda: CATEGORY_PURPOSES
    )

    def purposes_for(self, category: DataCategory) -> frozenset[Purpose]:
        return self.category_purposes.get(category, frozenset())

    def categories_for(self, purpose: Purpose) -> frozenset[DataCategory]:
        return frozenset(c for c, ps in self.category_purposes.items() if purpose in ps)

    def event_types_for(self, purpose: Purpose) -> frozenset[EventType]:
        """Event types whose data the purpose may use (e.g. what training may read)."""
        cats = self.categories_for(purpose)
        return frozenset(t for t, c in EVENT_CATEGORY.items() if c in cats)

    def covering_purpose(
        self, category: DataCategory, granted: frozenset[Purpose]
    ) -> Purpose | None:
        """A granted purpose that covers the category, or None."""
        allowed = self.purposes_for(category) & granted
        return min(allowed) if allowed else None

    def required_purpose(self, category: DataCategory) -> Purpose | None:
        """The purpose to name when asking for consent for this category."""
        ps = self.purposes_for(category)
        if Purpose.PERSONALIZATION in ps:
            return Purpose.PERSONALIZATION
        return min(ps) if ps else None
