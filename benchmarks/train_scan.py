"""Training's read of the consented snapshot, on a synthetic SQLite shop.

Generates (once per ``--db`` path; never committed) a shop of ``--events`` events from
``events / 50`` people over ``events / 200`` items with power-law popularity; 80 % of the
people grant ``personalization``, the rest deny it. Then times, on that database:

- read: the consented events read and turned into the interaction matrix (what training
  does before it fits anything), and
- train: ``tactful.app.training.train`` end to end with the popularity model only (so the
  fit costs next to nothing and the time is the read), with the process's peak resident
  memory (run it on an existing database, so generating it does not count).

    python benchmarks/train_scan.py --events 200000 [--db /tmp/train_scan_200k.db]

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from tactful.app.training import train
from tactful.consent.policy import ConsentPolicy
from tactful.recommend.artifacts import memory_models
from tactful.settings import RecommendSettings
from tactful.sql import open_stores
from tactful.sql.stores import SqlStores
from tactful.types import ConsentRecord, Decision, Event, EventType, Item, Purpose

NOW = datetime(2026, 12, 1, tzinfo=UTC)
TYPES = [EventType.VIEW, EventType.CLICK, EventType.ADD_TO_CART, EventType.PURCHASE]
TYPE_P = [0.6, 0.25, 0.1, 0.05]
BATCH = 20_000


def generate(stores: SqlStores, n_events: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    n_people, n_items = max(n_events // 50, 10), max(n_events // 200, 10)
    stores.items.upsert([Item(item_id=f"i{j:06d}", title=f"item {j}") for j in range(n_items)])
    grants = rng.random(n_people) < 0.8
    stores.consents.append(
        [
            ConsentRecord(
                f"p{i:06d}",
                Purpose.PERSONALIZATION,
                Decision.GRANTED if grants[i] else Decision.DENIED,
                NOW - timedelta(days=400),
            )
            for i in range(n_people)
        ]
    )
    popularity = 1.0 / np.arange(1, n_items + 1) ** 0.9
    popularity /= popularity.sum()
    for start in range(0, n_events, BATCH):
        n = min(BATCH, n_events - start)
        people = rng.integers(0, n_people, n)
        items = rng.choice(n_items, n, p=popularity)
        kinds = rng.choice(len(TYPES), n, p=TYPE_P)
        ages = rng.random(n) * 365
        stores.events.add(
            [
                Event(
                    f"e{start + k:09d}",
                    f"p{people[k]:06d}",
                    TYPES[kinds[k]],
                    NOW - timedelta(days=float(ages[k])),
                    item_id=f"i{items[k]:06d}",
                )
                for k in range(n)
            ]
        )


def measure(stores: SqlStores) -> dict[str, Any]:
    settings = RecommendSettings(model="popularity")
    start = time.perf_counter()
    report = train(stores, memory_models(), settings, ConsentPolicy(), now=NOW)
    seconds = time.perf_counter() - start
    return {
        "train_seconds": round(seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "consented_subjects": report.consented_subjects,
        "subjects": report.subjects,
        "items": report.items,
        "interactions": report.interactions,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--db", type=Path, default=None, help="default /tmp/train_scan_<n>.db")
    parser.add_argument("--label", default="", help="a name for this run in the output")
    args = parser.parse_args(argv)
    db = args.db or Path(f"/tmp/train_scan_{args.events}.db")
    fresh = not db.exists()
    stores = open_stores(f"sqlite:///{db}")
    try:
        if fresh:
            start = time.perf_counter()
            generate(stores, args.events)
            print(f"generated {db} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        result = {"label": args.label, "events": stores.events.count(), **measure(stores)}
    finally:
        stores.close()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
