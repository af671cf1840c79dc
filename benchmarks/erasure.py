"""Erasure benchmark: erase one person from a store loaded with MovieLens latest-small, and
compare with retraining without them.

Protocol: every rating becomes a ``rating`` event of a consenting person (ids ``ml-<userId>``,
so a leftover id is unmistakable); the serving model (EASE by default) and the popularity
fallback are trained through ``Tactful.train``. Then, for each of a few people (the median
raters, so the cost is typical), timed:

- erase: ``Tactful.erase_subject`` end to end: rows of every table, tombstone and audit
  record in one transaction, ``forget`` in each model, artifacts saved, older versions
  deleted;
- retrain: ``Tactful.train`` on the same data after the erasure (what erasure avoids).

Reported: rows deleted per table, both times and their ratio, the largest absolute score
difference between the forgotten and the retrained model over every remaining person × item,
and whether any column of any table still holds the id (it must not).

    python benchmarks/erasure.py [--people 3] [--model ease] [--url sqlite:///...]

Data: ``../shared/datasets`` (or ``$TACTFUL_DATASETS``). Prints a Rich table to stderr and
the results as one JSON line to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table
from sqlalchemy import String, cast, create_engine, func, inspect, select
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table

from tactful.app import Tactful, build
from tactful.consent import record
from tactful.insights.evaluation.loaders import datasets_dir, load_movies_csv, load_ratings
from tactful.privacy import CLI
from tactful.recommend.artifacts import FileModelStore
from tactful.recommend.model import VectorModel
from tactful.settings import Settings
from tactful.sql import open_stores
from tactful.store.ports import AuditChain, AuditEntry, Tombstone
from tactful.types import Event, EventType

NOW = datetime(2018, 10, 1, tzinfo=UTC)  # just after the last rating in latest-small


def load(app: Tactful, folder: Path) -> dict[str, int]:
    """Items, consents and one rating event per rating, written through the stores."""
    ratings = load_ratings(folder / "ratings.csv", "movielens-csv")
    app.catalogue.upsert(load_movies_csv(folder / "movies.csv"))
    people = [f"ml-{u}" for u in ratings.user_ids]
    app.stores.consents.append(
        [record(p, "personalization", "granted", at=NOW, source="benchmark") for p in people]
    )
    events = [
        Event(
            f"r{n}",
            people[int(u)],
            EventType.RATING,
            datetime.fromtimestamp(int(ts), UTC),
            ratings.item_ids[int(i)],
            float(v),
        )
        for n, (u, i, v, ts) in enumerate(
            zip(ratings.users, ratings.items, ratings.values, ratings.timestamps, strict=True)
        )
    ]
    for start in range(0, len(events), 20_000):
        app.stores.events.add(events[start : start + 20_000])
    return {"people": len(people), "items": ratings.n_items, "ratings": len(events)}


def median_raters(app: Tactful, n: int) -> list[str]:
    counts: dict[str, int] = {}
    for e in app.stores.events.scan():
        counts[e.subject_id] = counts.get(e.subject_id, 0) + 1
    ranked = sorted(counts, key=lambda s: (counts[s], s))
    mid = len(ranked) // 2
    return ranked[mid - n // 2 : mid - n // 2 + n]


def traces(url: str, needle: str) -> int:
    """Rows in any table with any column containing ``needle`` (read as text)."""
    engine = create_engine(url)
    found = 0
    try:
        with engine.connect() as conn:
            for name in inspect(engine).get_table_names():
                cols = [c["name"] for c in inspect(engine).get_columns(name)]
                t = sql_table(name, *[sql_column(c) for c in cols])
                texts = [func.coalesce(cast(t.c[c], String), "") for c in cols]
                hit = texts[0].contains(needle)
                for x in texts[1:]:
                    hit = hit | x.contains(needle)
                found += conn.scalar(select(func.count()).select_from(t).where(hit)) or 0
    finally:
        engine.dispose()
    return found


def score_gap(app: Tactful, forgotten: str, retrained: str) -> float:
    """Largest |score difference| over every remaining person × item."""
    a, _ = app.models.load(forgotten)
    b, _ = app.models.load(retrained)
    assert isinstance(a, VectorModel) and isinstance(b, VectorModel)
    rows = b.interactions_.matrix
    return float(np.abs(a.score_batch(rows) - b.score_batch(rows)).max())


def erase_one(app: Tactful, url: str, person: str, model: str) -> dict[str, Any]:
    db = app.stores.erase_with_tombstone
    db_seconds: list[float] = []

    def timed_db(
        subject: str, tombstone: Tombstone, entry: AuditEntry, chain: AuditChain
    ) -> Mapping[str, int]:  # the one database transaction, timed on its own
        start = time.perf_counter()
        out = db(subject, tombstone, entry, chain)
        db_seconds.append(time.perf_counter() - start)
        return out

    app.stores.erase_with_tombstone = timed_db  # type: ignore[method-assign]
    start = time.perf_counter()
    receipt = app.rights.erase(person, actor=CLI)
    erase_seconds = time.perf_counter() - start
    app.stores.erase_with_tombstone = db  # type: ignore[method-assign]
    forgotten = next(v for v in receipt.models_updated if v.startswith(f"{model}-"))
    start = time.perf_counter()
    trained = app.training.train()
    retrain_seconds = time.perf_counter() - start
    return {
        "person": person,
        "rows_deleted": receipt.rows_deleted,
        "erase_seconds": erase_seconds,
        "database_seconds": db_seconds[0],
        "retrain_seconds": retrain_seconds,
        "max_abs_diff": score_gap(app, forgotten, trained.model_version),
        "traces_left": traces(url, person),
    }


def table(rows: list[dict[str, Any]], model: str) -> Table:
    out = Table(title=f"Erase one person vs retrain ({model} + popularity, MovieLens latest-small)")
    cols = ("person", "rows deleted", "erase s", "of which db s", "retrain s", "ratio", "max |Δ|",
            "traces")  # fmt: skip
    for col in cols:
        out.add_column(col, justify="left" if col == "person" else "right")
    for r in rows:
        deleted = ", ".join(f"{t} {n}" for t, n in r["rows_deleted"].items() if n)
        out.add_row(
            r["person"],
            deleted,
            f"{r['erase_seconds']:.3f}",
            f"{r['database_seconds']:.3f}",
            f"{r['retrain_seconds']:.3f}",
            f"1/{r['retrain_seconds'] / r['erase_seconds']:.1f}",
            f"{r['max_abs_diff']:.2g}",
            str(r["traces_left"]),
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=3, help="people erased, one at a time")
    parser.add_argument("--model", default="ease", help="serving model: ease or itemknn")
    parser.add_argument("--url", default=None, help="database URL (default: a temp SQLite file)")
    args = parser.parse_args()
    folder = datasets_dir() / "movielens-latest-small"
    if not (folder / "ratings.csv").is_file():
        sys.exit(f"MovieLens latest-small not found in {folder}; set TACTFUL_DATASETS")
    err = Console(stderr=True, width=150)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'erasure.db'}"
        settings = Settings(database_url=url, model_dir=Path(tmp) / "models")
        settings.recommend.model = args.model
        app = build(settings, open_stores(url), FileModelStore(Path(tmp) / "models"),
                      clock=lambda: NOW)  # fmt: skip
        with err.status("loading MovieLens and training"):
            size = load(app, folder)
            app.training.train()
        rows = []
        for person in median_raters(app, args.people):
            err.print(f"erasing {person} …")
            rows.append(erase_one(app, url, person, args.model))
        intact = app.rights.verify_audit().intact
        app.close()
    err.print(table(rows, args.model))
    result = {
        "benchmark": "erasure",
        "dataset": "movielens-latest-small",
        "backend": url.split(":")[0],
        "model": args.model,
        **size,
        "median_erase_seconds": statistics.median(r["erase_seconds"] for r in rows),
        "median_retrain_seconds": statistics.median(r["retrain_seconds"] for r in rows),
        "audit_intact": intact,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "results": rows,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
