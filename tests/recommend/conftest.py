"""Shared data for the model tests: two disjoint groups whose right answers are obvious."""

from __future__ import annotations

import pytest

from tactful.recommend.interactions import Interactions
from tactful.types import Item

GROUP_SIZE = 8


def _checkerboard() -> Interactions:
    """Group ``a`` people use only ``A`` items and ``b`` people only ``B`` items.

    Each person uses 5 of their group's 8 items (a sliding window, weights 1-3), so every
    item has several people and no one has everything. Group B is a little busier, so
    popularity alone would rank B items first.
    """
    subjects: list[str] = []
    items: list[str] = []
    weights: list[float] = []
    for group, people in (("a", 8), ("b", 10)):
        names = [f"{group.upper()}{i}" for i in range(GROUP_SIZE)]
        for p in range(people):
            for k in range(5):
                subjects.append(f"{group}{p}")
                items.append(names[(p + k) % GROUP_SIZE])
                weights.append(1.0 + (p + k) % 3)
    return Interactions.from_triples(subjects, items, weights, item_universe=["NEW0"])


def _catalogue() -> list[Item]:
    """A items are 'outdoor' and value 'eco'; B items 'kitchen'; NEW0 is a fresh A-like item."""
    out = [
        Item(f"A{i}", f"Trail gear {i}", categories=("outdoor",), values=("eco",))
        for i in range(GROUP_SIZE)
    ]
    out += [Item(f"B{i}", f"Chef pan {i}", categories=("kitchen",)) for i in range(GROUP_SIZE)]
    out.append(Item("NEW0", "Trail tent", categories=("outdoor",), values=("eco",)))
    return out


@pytest.fixture
def checkerboard() -> Interactions:
    return _checkerboard()


@pytest.fixture
def catalogue() -> list[Item]:
    return _catalogue()
