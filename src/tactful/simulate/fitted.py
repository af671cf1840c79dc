"""A population fitted from a ratings file (``--population FILE``): each person's earlier
half of ratings is their history (loaded through the real ingest), their later half is
their hidden taste — what they would pick if shown. Departments are the items' first
categories (MovieLens genres from ``movies.csv``/``u.item`` next to the file), else one
department ``all``; items cost 1 (a ratings file has no prices, so revenue counts sales)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from types import MappingProxyType

import numpy as np

from tactful.demo import DemoShop
from tactful.demo.consents import SIGNUP_RATES
from tactful.errors import InvalidInput
from tactful.insights.evaluation.loaders import Format, load_item_attributes, load_ratings
from tactful.types import ConsentRecord, Decision, Event, EventType, Item, ItemId, SubjectId

HISTORY = timedelta(days=180)
LIKED = 0.7
"""A held-out rating counts as a taste at this share of the file's top rating or above."""


def file_format(path: Path) -> Format:
    name = path.name.lower()
    if name.endswith(".csv"):
        return "movielens-csv"
    if name.endswith(".data"):
        return "movielens"
    if name.endswith((".json", ".json.gz", ".jsonl", ".jsonl.gz")):
        return "amazon-json"
    raise InvalidInput(
        f"cannot tell the format of {path.name}: use a MovieLens .csv or .data or an Amazon "
        ".json(l) ratings file",
        field="population",
    )


def fitted_shop(
    path: Path, *, people: int, rng: np.random.Generator, start: datetime
) -> tuple[DemoShop, dict[SubjectId, frozenset[ItemId]]]:
    """The shop and each person's held-out liked items, for ``people`` users drawn from
    the file (all of them if it has fewer)."""
    if not path.is_file():
        raise InvalidInput(f"no ratings file {str(path)!r}", field="population")
    fmt = file_format(path)
    ratings = load_ratings(path, fmt)
    chosen = sorted(rng.permutation(ratings.n_users)[:people].tolist())
    rows: dict[int, list[int]] = defaultdict(list)
    wanted = set(chosen)
    for k, u in enumerate(ratings.users.tolist()):
        if u in wanted:
            rows[u].append(k)
    top = float(ratings.values.max()) if len(ratings) else 1.0
    t0, t1 = int(ratings.timestamps.min()), int(ratings.timestamps.max())
    span = max(1, t1 - t0)
    events: list[Event] = []
    liked: dict[SubjectId, frozenset[ItemId]] = {}
    for u in chosen:
        subject = f"m{ratings.user_ids[u]}"
        mine = sorted(rows[u], key=lambda k: (int(ratings.timestamps[k]), k))
        half = len(mine) // 2
        for k in mine[:half]:
            at = start - HISTORY + HISTORY * ((int(ratings.timestamps[k]) - t0) / span)
            events.append(
                _rating(
                    len(events),
                    subject,
                    ratings.item_ids[ratings.items[k]],
                    float(ratings.values[k]),
                    min(at, start - timedelta(hours=1)),
                )
            )
        held = [k for k in mine[half:]]
        good = {
            ratings.item_ids[ratings.items[k]] for k in held if ratings.values[k] >= LIKED * top
        }
        liked[subject] = frozenset(good or {ratings.item_ids[ratings.items[k]] for k in held})
    items = _items(
        path, fmt, {e.item_id for e in events if e.item_id} | set().union(*liked.values()), start
    )
    if len(liked) < 50:
        raise InvalidInput(f"{path.name} has {len(liked)} people; at least 50", field="population")
    return _shop(items, events, liked, rng, start), liked


def _rating(n: int, subject: SubjectId, item: ItemId, value: float, at: datetime) -> Event:
    return Event(f"r{n + 1:08d}", subject, EventType.RATING, at, item_id=item, value=value)


def _items(path: Path, fmt: Format, used: set[ItemId], start: datetime) -> tuple[Item, ...]:
    known = {it.item_id: it for it in load_item_attributes(path, fmt)}
    out = []
    for i in sorted(used):
        base = known.get(i)
        categories = base.categories[:2] if base is not None and base.categories else ("all",)
        title = base.title if base is not None else f"item {i}"
        out.append(Item(i, title, categories, price=1.0, added_at=start - HISTORY))
    return tuple(out)


def _shop(
    items: tuple[Item, ...],
    events: list[Event],
    liked: dict[SubjectId, frozenset[ItemId]],
    rng: np.random.Generator,
    start: datetime,
) -> DemoShop:
    """A ``DemoShop`` of the fitted people: consents drawn at the demo's signup rates,
    favourite departments the most common among each person's tastes."""
    department = {it.item_id: it.categories[0] for it in items}
    joined = start - HISTORY - timedelta(days=1)
    consents: list[ConsentRecord] = []
    favourites: dict[SubjectId, tuple[str, ...]] = {}
    for subject in sorted(liked):
        u = rng.random(len(SIGNUP_RATES))
        for k, (purpose, (grant, deny)) in enumerate(SIGNUP_RATES.items()):
            if u[k] < grant + deny:
                decision = Decision.GRANTED if u[k] < grant else Decision.DENIED
                consents.append(ConsentRecord(subject, purpose, decision, joined, "signup"))
        counts = Counter(department[i] for i in liked[subject] if i in department)
        favourites[subject] = tuple(
            d for d, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        )
    return DemoShop(
        items=items,
        consents=tuple(consents),
        preferences=MappingProxyType({}),
        events=tuple(sorted(events, key=lambda e: (e.occurred_at, e.event_id))),
        operator_subjects=MappingProxyType({}),
        favourites=MappingProxyType(favourites),
        text_labels=MappingProxyType({}),
    )
