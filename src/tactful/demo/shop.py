"""The demo shop: a seeded outdoor-gear and fitness shop with its catalogue, customers,
consents, preferences and six months of events, generated as plain domain values (no I/O).

Events are generated whatever the person consented to; the consent gate at ingest drops the
unconsented ones, and that is part of what the demo shows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

import numpy as np

from tactful.consent.ledger import fold
from tactful.demo.catalogue import Catalogue, stock
from tactful.demo.consents import decide
from tactful.demo.correspondence import Purchases, correspond
from tactful.demo.people import BoolArray, Person, Population, recruit
from tactful.demo.plants import (
    PLANTS,
    notes,
    plant_consents,
    plant_events,
    plant_people,
    plant_preferences,
)
from tactful.demo.preferences import declare
from tactful.demo.routines import dismiss, socialise, train, visit
from tactful.demo.sessions import browse
from tactful.demo.timeline import Drafts
from tactful.errors import InvalidInput
from tactful.instants import require_aware
from tactful.types import (
    ConsentRecord,
    Decision,
    Event,
    EventId,
    EventType,
    Item,
    Preferences,
    Purpose,
    SubjectId,
)

HISTORY = timedelta(days=182)
MIN_ITEMS, MAX_ITEMS = 60, 5_000
MIN_PEOPLE = len(PLANTS) + 10
MIN_EVENTS = 1_000

# Share of all events in each quieter stream; browsing sessions fill the rest.
_SHARES = {"progress": 0.07, "location": 0.02, "social": 0.01, "dismiss": 0.025}
_TEXTS_PER_EVENT = 1 / 120
_SHARED = (Purpose.LOCATION, Purpose.SOCIAL)
_SHARER_BIAS = 9.0  # those who granted location or social produce most of those events


@dataclass(frozen=True, slots=True)
class DemoShop:
    """Everything the demo loads. ``favourites`` (each customer's hidden favourite departments,
    strongest first) and ``text_labels`` (what each text event was written as) are ground
    truth for checking what the system learns; they are not data the shop would hold."""

    items: tuple[Item, ...]
    consents: tuple[ConsentRecord, ...]
    preferences: Mapping[SubjectId, Preferences]
    events: tuple[Event, ...]
    operator_subjects: Mapping[SubjectId, str]
    favourites: Mapping[SubjectId, tuple[str, ...]]
    text_labels: Mapping[EventId, str]

    @property
    def subjects(self) -> tuple[SubjectId, ...]:
        """Every customer, including those without consents or events."""
        return tuple(self.favourites)


def generate(
    *,
    rng: np.random.Generator,
    now: datetime,
    n_items: int = 400,
    n_people: int = 1000,
    n_events: int = 60_000,
) -> DemoShop:
    """A believable shop drawn from ``rng``: the same seed and ``now`` give the same shop.
    All events fall in the six months before ``now``, in UTC."""
    _check(now, n_items, n_people, n_events)
    now = now.astimezone(UTC)
    start = now - HISTORY
    cat = stock(rng, n_items)
    people = plant_people(recruit(rng, n_people, cat.departments, start=start), start=start)
    consents = plant_consents(decide(rng, people, start=start, now=now), people, now=now)
    preferences = plant_preferences(declare(rng, people, now=now), people)
    pop = Population.of(people, cat.departments, start=start)
    granted = _granted(consents, people)
    end = int(now.timestamp()) - 1
    drafts = _happen(rng, pop, cat, granted=granted, n_events=n_events, end=end)
    events, labels = _finish(drafts, pop, cat)
    return DemoShop(
        items=tuple(replace(it, added_at=start) for it in cat.items),  # stocked from the start
        consents=tuple(sorted(consents, key=lambda r: (r.at, r.subject_id))),
        preferences=MappingProxyType(preferences),
        events=events,
        operator_subjects=notes(people),
        favourites=MappingProxyType({p.subject_id: p.favourites for p in people}),
        text_labels=MappingProxyType(labels),
    )


def _check(now: datetime, n_items: int, n_people: int, n_events: int) -> None:
    require_aware(now, "now")
    for name, value, lo, hi in (
        ("n_items", n_items, MIN_ITEMS, MAX_ITEMS),
        ("n_people", n_people, MIN_PEOPLE, None),
        ("n_events", n_events, MIN_EVENTS, None),
    ):
        if value < lo or (hi is not None and value > hi):
            bound = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
            raise InvalidInput(f"{name} must be {bound}, got {value}", field=name)


def _granted(consents: list[ConsentRecord], people: tuple[Person, ...]) -> dict[Purpose, BoolArray]:
    """Per purpose, who currently grants it (rows in ``people`` order)."""
    history: dict[SubjectId, list[ConsentRecord]] = defaultdict(list)
    for r in consents:
        history[r.subject_id].append(r)
    states = [fold(history.get(p.subject_id, ())) for p in people]
    return {
        purpose: np.array([s[purpose] is Decision.GRANTED for s in states], dtype=np.bool_)
        for purpose in Purpose
    }


def _happen(
    rng: np.random.Generator,
    pop: Population,
    cat: Catalogue,
    *,
    granted: Mapping[Purpose, BoolArray],
    n_events: int,
    end: int,
) -> Drafts:
    """Exactly ``n_events`` drafts: planted, routine, browsing, then texts about purchases."""
    drafts = plant_events(rng, pop, cat, now=end)
    n = {k: round(share * n_events) for k, share in _SHARES.items()}
    drafts.extend(train(rng, pop, n["progress"], end))
    sharers = {p: np.where(granted[p], _SHARER_BIAS, 1.0) * pop.activity for p in _SHARED}
    sharers[Purpose.SOCIAL][: len(PLANTS)] = 0.0  # planted social lives are told by hand
    drafts.extend(visit(rng, pop, sharers[Purpose.LOCATION], n["location"], end))
    drafts.extend(socialise(rng, pop, sharers[Purpose.SOCIAL], n["social"], end))
    drafts.extend(dismiss(rng, pop, cat, n["dismiss"], end))
    planted_texts = sum(label is not None for label in drafts.labels)
    n_texts = max(0, round(n_events * _TEXTS_PER_EVENT) - planted_texts)
    sessions = browse(rng, pop, cat, n_events - len(drafts) - n_texts, end)
    drafts.extend(sessions)
    eligible = np.ones(len(pop.people), dtype=np.bool_)
    eligible[: len(PLANTS)] = False
    texts = correspond(
        rng,
        pop,
        cat,
        n_texts,
        granted=granted[Purpose.EMOTIONAL_CONTEXT],
        eligible=eligible,
        purchases=_purchases(sessions),
        end=end,
    )
    drafts.extend(texts)
    return drafts


def _purchases(drafts: Drafts) -> Purchases:
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for who, kind, item, at in zip(
        drafts.subjects, drafts.types, drafts.items, drafts.times, strict=True
    ):
        if kind is EventType.PURCHASE:
            out[who].append((item, at))
    return out


def _finish(
    drafts: Drafts, pop: Population, cat: Catalogue
) -> tuple[tuple[Event, ...], dict[EventId, str]]:
    """Events in time order with ids ``e000001``…, and the labels of the text events."""
    order = np.lexsort((np.arange(len(drafts)), np.array(drafts.times, dtype=np.int64)))
    width = max(6, len(str(len(drafts))))
    events: list[Event] = []
    labels: dict[EventId, str] = {}
    for rank, k in enumerate(order.tolist(), start=1):
        event_id = f"e{rank:0{width}d}"
        item = drafts.items[k]
        events.append(
            Event(
                event_id=event_id,
                subject_id=pop.people[drafts.subjects[k]].subject_id,
                type=drafts.types[k],
                occurred_at=datetime.fromtimestamp(drafts.times[k], tz=UTC),
                item_id=cat.items[item].item_id if item >= 0 else None,
                value=drafts.values[k],
                text=drafts.texts[k],
                source=drafts.sources[k],
            )
        )
        label = drafts.labels[k]
        if label is not None:
            labels[event_id] = label
    return tuple(events), labels
