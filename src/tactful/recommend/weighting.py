"""From events to the weighted interactions the models learn from and serve on.

Event types weigh differently (``DEFAULT_EVENT_WEIGHTS``: purchase > add_to_cart > click >
view); a rating weighs its type weight times ``value / rating_scale``; a dismissal has a
negative weight and subtracts, and a (subject, item) pair whose sum is not positive is
dropped. Types without a weight (search, text, location ...) and events without an item
are ignored. Training and serving use the same rule, so a history looks the same to a model
at serving time as it did in training.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from tactful.errors import InvalidInput
from tactful.recommend.interactions import History, Interactions
from tactful.settings import DEFAULT_EVENT_WEIGHTS
from tactful.types import Event, EventType, ItemId, ItemRow, SubjectId


def _check(weights: Mapping[str, float], rating_scale: float) -> None:
    if not (isinstance(rating_scale, int | float) and math.isfinite(rating_scale)):
        raise InvalidInput("rating_scale must be a finite number", field="rating_scale")
    if rating_scale <= 0:
        raise InvalidInput("rating_scale must be positive", field="rating_scale")
    known = {t.value for t in EventType}
    for name, w in weights.items():
        if name not in known:
            raise InvalidInput(f"unknown event type {name!r}", field=f"weights.{name}")
        if not math.isfinite(w):
            raise InvalidInput(f"weight of {name!r} must be finite", field=f"weights.{name}")


def event_weight(
    event: Event, weights: Mapping[str, float], rating_scale: float, *, index: int = 0
) -> float:
    """One event's weight (0 for types without a weight); a rating needs its value."""
    return _weight(str(event.type), event.value, weights, rating_scale, index)


def _weight(
    kind: str, value: float | None, weights: Mapping[str, float], scale: float, index: int
) -> float:
    w = weights.get(kind, 0.0)
    if kind == EventType.RATING.value and w:
        if value is None or not math.isfinite(value):
            raise InvalidInput("a rating needs a finite value", field=f"events[{index}].value")
        return w * value / scale
    return w


def _sums(
    events: Iterable[Event], weights: Mapping[str, float], rating_scale: float
) -> dict[tuple[SubjectId, ItemId], float]:
    _check(weights, rating_scale)
    sums: dict[tuple[SubjectId, ItemId], float] = defaultdict(float)
    for i, e in enumerate(events):
        if e.item_id is None:
            continue
        w = event_weight(e, weights, rating_scale, index=i)
        if w:
            sums[(e.subject_id, e.item_id)] += w
    return sums


def interactions_from_events(
    events: Iterable[Event],
    weights: Mapping[str, float] = DEFAULT_EVENT_WEIGHTS,
    rating_scale: float = 5.0,
    item_universe: Sequence[ItemId] | None = None,
) -> Interactions:
    """The subject × item matrix of summed event weights; non-positive pairs are dropped,
    and so are subjects left with nothing. ``item_universe`` adds columns (e.g. the whole
    catalogue, so new items exist for content-based scoring)."""
    kept = [(pair, w) for pair, w in _sums(events, weights, rating_scale).items() if w > 0]
    return Interactions.from_triples(
        [s for (s, _), _ in kept],
        [t for (_, t), _ in kept],
        [w for _, w in kept],
        item_universe=item_universe,
    )


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What training read: the matrix, and how many of the rows it was built from."""

    interactions: Interactions
    rows_read: int


def interactions_from_rows(
    rows: Iterable[ItemRow],
    subjects: Collection[SubjectId],
    weights: Mapping[str, float] = DEFAULT_EVENT_WEIGHTS,
    rating_scale: float = 5.0,
    item_universe: Sequence[ItemId] | None = None,
) -> Snapshot:
    """``interactions_from_events`` over ``EventStore.item_rows``, counting only the rows of
    these ``subjects`` (those whose consent covers the use): streamed, one sum per pair."""
    _check(weights, rating_scale)
    wanted = subjects if isinstance(subjects, set | frozenset) else set(subjects)
    plain = {k: w for k, w in weights.items() if k != EventType.RATING.value}
    sums: dict[tuple[SubjectId, ItemId], float] = defaultdict(float)
    read = 0
    for i, (subject, item, kind, value) in enumerate(rows):
        if subject not in wanted:
            continue
        read += 1
        w = plain.get(kind)
        if w is None:
            w = _weight(kind, value, weights, rating_scale, i)
        if w:
            sums[(subject, item)] += w
    kept = [(pair, w) for pair, w in sums.items() if w > 0]
    data = Interactions.from_triples(
        [s for (s, _), _ in kept],
        [t for (_, t), _ in kept],
        [w for _, w in kept],
        item_universe=item_universe,
    )
    return Snapshot(data, read)


def history_from_events(
    events: Iterable[Event],
    weights: Mapping[str, float] = DEFAULT_EVENT_WEIGHTS,
    rating_scale: float = 5.0,
) -> History:
    """One person's serving history: item -> summed weight, positive sums only."""
    by_item: dict[ItemId, float] = defaultdict(float)
    for (_, item), w in _sums(events, weights, rating_scale).items():
        by_item[item] += w
    return {item: w for item, w in by_item.items() if w > 0}
