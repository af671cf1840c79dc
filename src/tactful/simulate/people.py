"""The simulated people: hidden tastes (from the demo generator's favourite departments),
their own tolerances (list length, messages a week) and initial trust, drawn once per run
so every policy meets the same people (common random numbers)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from tactful.demo import DemoShop
from tactful.simulate.behaviour import draw_caps, draw_tolerances, draw_trust
from tactful.simulate.parameters import Behaviour
from tactful.types import Item, ItemId, SubjectId


@dataclass(frozen=True, eq=False)
class People:
    """Rows in ``subjects`` order. ``appeal[row]`` maps a department to how much the person
    likes it (1 for their strongest favourite); other departments have ``off_taste_appeal``."""

    subjects: tuple[SubjectId, ...]
    appeal: tuple[Mapping[str, float], ...]
    favourites: tuple[frozenset[str], ...]
    tolerance: np.ndarray
    cap: np.ndarray
    trust: np.ndarray
    activity: np.ndarray
    allowed_sensitive: tuple[frozenset[str], ...]
    liked: tuple[frozenset[ItemId], ...] = ()
    """Item-level tastes (a fitted population's held-out items); empty for the demo's."""

    def __len__(self) -> int:
        return len(self.subjects)

    def item_appeal(self, row: int, item: Item, b: Behaviour) -> float:
        """How much the person likes an item: its best department for them; with
        item-level tastes, 1 for a liked item and half its department's appeal otherwise."""
        likes = self.appeal[row]
        department = max((likes.get(c, 0.0) for c in item.categories), default=0.0)
        if self.liked and self.liked[row]:
            if item.item_id in self.liked[row]:
                return 1.0
            department *= 0.5
        return department or b.off_taste_appeal


def from_shop(
    shop: DemoShop,
    rng: np.random.Generator,
    b: Behaviour,
    liked: Mapping[SubjectId, frozenset[ItemId]] | None = None,
) -> People:
    """The demo shop's customers as simulated people. Each favourite department ranked
    ``k`` (0 = strongest) appeals ``1 / (k + 1)``; a person's own weekly message cap is the
    smallest they declared, else drawn (``own_cap_median``)."""
    subjects = shop.subjects
    n = len(subjects)
    appeal = tuple({d: 1.0 / (k + 1) for k, d in enumerate(shop.favourites[s])} for s in subjects)
    drawn_caps = draw_caps(rng, n, b)
    caps = np.array(
        [
            min(prefs.max_messages_per_week.values(), default=drawn_caps[row])
            if (prefs := shop.preferences.get(s)) is not None
            else drawn_caps[row]
            for row, s in enumerate(subjects)
        ],
        dtype=np.float64,
    )
    counts = Counter(e.subject_id for e in shop.events)
    raw = np.array([counts.get(s, 0) + 1.0 for s in subjects])
    allowed = tuple(
        frozenset(str(x) for x in p.allowed_sensitive)
        if (p := shop.preferences.get(s)) is not None
        else frozenset()
        for s in subjects
    )
    return People(
        subjects=subjects,
        appeal=appeal,
        favourites=tuple(frozenset(a) for a in appeal),
        tolerance=draw_tolerances(rng, n, b),
        cap=caps,
        trust=draw_trust(rng, n, b),
        activity=raw / raw.mean(),
        allowed_sensitive=allowed,
        liked=tuple(liked.get(s, frozenset()) for s in subjects) if liked else (),
    )


def departments_of(items: Mapping[ItemId, Item]) -> tuple[str, ...]:
    """Every item's first category (the demo's department), sorted."""
    return tuple(sorted({it.categories[0] for it in items.values() if it.categories}))
