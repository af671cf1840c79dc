"""What community evidence costs a recommendation: a member of a large community against a
person who joined none, same request, same database, in one run.

A synthetic shop on SQLite (no dataset needed): ``--items`` products and 30 content items,
``--people`` customers who each viewed ``--views`` items, ``--members`` of them (and the
person measured) in one community; the person not in it is measured the same way. The
serving cache is off (``recommend.cache_size = 0``), so every request reads and scores,
which is when community evidence is computed (a cached list reuses it: docs/serving.md).
Reported: ms per request for both, and their ratio. The member's extra work: memberships
and member counts on every request, and the engaged-members count (their consents, then
one counting query) once per ``recommend.cache_seconds`` per worker; also measured with
that reuse off (``cache_seconds = 0``: counted on every request), from the same database.

    python benchmarks/communities.py [--members 2000] [--requests 100]

Prints a Rich table to stderr and one JSON line to stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from tactful.app import Tactful, build
from tactful.consent import record
from tactful.recommend.artifacts import FileModelStore
from tactful.records import Membership
from tactful.settings import RecommendSettings, Settings
from tactful.sql import open_stores
from tactful.types import Item, ItemKind

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
SEED = 42
console = Console(stderr=True)


def shop(app: Tactful, *, items: int, people: int, views: int, members: int) -> None:
    rng = np.random.default_rng(SEED)
    catalogue = [Item(f"p{i}", f"Product {i}", categories=(f"c{i % 20}",)) for i in range(items)]
    catalogue += [
        Item(f"k{i}", f"Guide {i}", values=("environment",), kind=ItemKind.CONTENT)
        for i in range(30)
    ]
    app.catalogue.upsert(catalogue)
    app.communities.define(
        [{"community_id": "trail", "name": "Trail Clean-ups", "values": ["environment"]}]
    )
    ids = [c.item_id for c in catalogue]
    subjects = [f"u{n}" for n in range(people)] + ["member", "loner"]
    purposes = ("personalization", "community")
    app.stores.consents.append(
        [record(s, p, "granted", at=NOW - timedelta(days=90)) for s in subjects for p in purposes]
    )
    rows: list[dict[str, Any]] = []
    for n, s in enumerate(subjects):
        for k, item in enumerate(rng.choice(len(ids), size=views, replace=False)):
            at = NOW - timedelta(days=1 + (n + k) % 60)
            rows.append(
                {
                    "event_id": f"{s}-{k}",
                    "subject_id": s,
                    "type": "view",
                    "item_id": ids[int(item)],
                    "occurred_at": at.isoformat(),
                }
            )
    for start in range(0, len(rows), 10_000):
        app.ingestion.record(rows[start : start + 10_000])
    joined = [*subjects[:members], "member"]
    for s in joined:
        app.stores.communities.join(Membership(s, "trail", NOW))
    app.training.train()


def per_request(app: Tactful, subject: str, n: int) -> float:
    app.recommendations.recommend(subject, kinds="product,content", preview=True)  # warm
    start = time.perf_counter()
    for _ in range(n):
        app.recommendations.recommend(subject, kinds="product,content", preview=True)
    return (time.perf_counter() - start) / n * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--views", type=int, default=30)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        models = FileModelStore(Path(tmp) / "models")
        base = Settings(database_url=url, model_dir=Path(tmp) / "models")
        served = RecommendSettings(model="itemknn", cache_size=0)
        app = build(
            base.model_copy(update={"recommend": served}), open_stores(url), models, lambda: NOW
        )
        again = served.model_copy(update={"cache_seconds": 0.0})
        fresh = build(
            base.model_copy(update={"recommend": again}), open_stores(url), models, lambda: NOW
        )
        try:
            shop(app, items=args.items, people=args.people, views=args.views, members=args.members)
            rec = app.recommendations.recommend("member", kinds="content", preview=True)
            popular = sum(r.kind == "community_popular" for x in rec.items for r in x.reasons)
            member = per_request(app, "member", args.requests)
            loner = per_request(app, "loner", args.requests)
            counted = per_request(fresh, "member", max(5, args.requests // 5))
        finally:
            app.close()
            fresh.close()
    result = {
        "members": args.members + 1,
        "people": args.people + 2,
        "events": (args.people + 2) * args.views,
        "member_ms": round(member, 2),
        "non_member_ms": round(loner, 2),
        "ratio": round(member / loner, 2),
        "member_counted_every_request_ms": round(counted, 2),
        "ratio_counted_every_request": round(counted / loner, 2),
        "popular_reasons_shown": popular,
    }
    table = Table("measure", "value", title="community evidence on a cache miss (SQLite)")
    for k, v in result.items():
        table.add_row(k, str(v))
    console.print(table)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
