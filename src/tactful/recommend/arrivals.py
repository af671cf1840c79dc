"""New arrivals: catalogue items no one had interacted with in the data the models were
trained on, added to the catalogue within the last ``recommend.new_arrival_days``.

A collaborative model cannot score them (nobody touched them), so they reach people
through the content model instead: their categories, values and title words against the
person's history and declared interests (``Content.score_items``). Only items that share a
category with the person (or a value they declared) and reach ``new_arrival_min_similarity``
are offered;
they carry ``new_arrival`` evidence and come after the model's candidates, where the
``new_arrivals`` guard gives the best of those that survive every other guard a slot within
the person's budget (``tactful.curate.arrivals``).
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from tactful.recommend.content import Content
from tactful.recommend.interactions import History, Interactions
from tactful.recommend.popularity import Popularity
from tactful.types import Evidence, Item, ItemId, Scored

ARRIVAL = "new_arrival"
"""The evidence kind (and the reason kind) of a new arrival."""


def interacted(model: object) -> frozenset[ItemId]:
    """The items with interactions in a popularity model's training data (what serving
    falls back on, trained with every model); nothing for any other model."""
    if not isinstance(model, Popularity):
        return frozenset()
    totals = np.asarray(model.totals_)
    return frozenset(model.items_[c] for c in np.flatnonzero(totals > 0).tolist())


@dataclass(frozen=True, slots=True)
class Untouched:
    """Catalogue items without interactions, in the order they were added."""

    added: tuple[datetime, ...]
    items: tuple[ItemId, ...]

    def added_between(self, start: datetime, end: datetime) -> tuple[ItemId, ...]:
        """Those added at or after ``start`` and at or before ``end``."""
        lo = bisect.bisect_left(self.added, start)
        hi = bisect.bisect_right(self.added, end)
        return self.items[lo:hi]


def untouched(catalogue: Sequence[Item], touched: Collection[ItemId]) -> Untouched:
    """The items of ``catalogue`` that are not ``touched`` and know when they were added."""
    found = sorted(
        (it.added_at, it.item_id)
        for it in catalogue
        if it.added_at is not None and it.item_id not in touched
    )
    return Untouched(tuple(a for a, _ in found), tuple(i for _, i in found))


def new_items(found: Untouched, *, now: datetime, days: float) -> tuple[ItemId, ...]:
    """The untouched items added within the last ``days`` (none added after ``now``)."""
    return found.added_between(now - timedelta(days=days), now)


def content_model(catalogue: Sequence[Item]) -> Content:
    """A content model over the whole catalogue (it learns from no one)."""
    universe = Interactions.from_triples([], [], [], item_universe=[i.item_id for i in catalogue])
    return Content(items=catalogue).fit(universe)


def arrivals(
    content: Content,
    fresh: Sequence[ItemId],
    history: History,
    *,
    categories: Collection[str] = (),
    values: Collection[str] = (),
    min_similarity: float,
    exclude: Collection[ItemId] = (),
) -> Scored:
    """The ``fresh`` items that match the person, most similar first, each with
    ``new_arrival`` evidence (weight: the similarity) before the content model's own."""
    wanted = [i for i in fresh if i not in exclude]
    if not wanted:
        return Scored((), ())
    scored = content.score_items(
        history, wanted, categories=categories, values=values, at_least=min_similarity
    )
    kept = [
        (i, s)
        for i, s in zip(scored.items, scored.scores, strict=True)
        if s >= min_similarity and _matches(scored.evidence.get(i, ()), values)
    ]
    return Scored(
        tuple(i for i, _ in kept),
        tuple(s for _, s in kept),
        {i: (Evidence(ARRIVAL, s), *scored.evidence.get(i, ())) for i, s in kept},
    )


def _matches(evidence: Sequence[Evidence], declared: Collection[str]) -> bool:
    """A shared category (from the history or declared) or a declared value: a title word
    alone, or a value only inferred from behaviour, is not the person's interest."""
    return any(
        e.kind == "category" or (e.kind == "value" and e.detail in declared) for e in evidence
    )


def after(scored: Scored, new: Scored) -> Scored:
    """``scored`` followed by the new arrivals it does not hold, at score 0: below every
    score the guards keep by themselves (``guards.score_floor``), so each one shown was
    given its place by the ``new_arrivals`` guard."""
    held = set(scored.items)
    extra = [i for i in new.items if i not in held]
    if not extra:
        return scored
    evidence = dict(scored.evidence)
    evidence.update({i: new.evidence[i] for i in extra if i in new.evidence})
    tail = min(0.0, scored.scores[-1]) if scored.scores else 0.0
    return Scored((*scored.items, *extra), (*scored.scores, *([tail] * len(extra))), evidence)
