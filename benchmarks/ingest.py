"""Batch ingest (validation + de-duplication + catalogue check + consent gate + one transaction
per batch) into
SQLite, against a raw ``executemany`` of the same rows into the same table, in one run.

    python benchmarks/ingest.py [--events 100000] [--batch 10000] [--repeats 3]

Target (issue 2): Tactful ≥ 0.3× raw and ≥ 20,000 events/s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine

from tactful.consent import ConsentPolicy, record
from tactful.ingest import ingest
from tactful.sql import metadata, open_stores
from tactful.types import Item

NOW = datetime(2026, 6, 1, tzinfo=UTC)
CATALOGUE = 5000
TYPES = ["view", "view", "view", "click", "add_to_cart", "purchase", "rating"]


def make_rows(n: int, subjects: int, seed: int) -> list[dict[str, Any]]:
    """JSON-shaped rows, as a client would send them."""
    rng = np.random.default_rng(seed)
    subj = rng.integers(0, subjects, n)
    items = rng.integers(0, CATALOGUE, n)
    kinds = rng.integers(0, len(TYPES), n)
    secs = rng.integers(0, 180 * 86400, n)
    rows = []
    for i in range(n):
        t = TYPES[kinds[i]]
        row: dict[str, Any] = {
            "event_id": f"e{i:08d}",
            "subject_id": f"u{subj[i]:05d}",
            "type": t,
            "item_id": f"i{items[i]:05d}",
            "occurred_at": (NOW - timedelta(seconds=int(secs[i]))).isoformat(),
        }
        if t == "rating":
            row["value"] = 4.0
        rows.append(row)
    return rows


def tactful_run(rows: list[dict[str, Any]], subjects: int, batch: int, path: Path) -> float:
    stores = open_stores(f"sqlite:///{path}")
    stores.consents.append(
        [record(f"u{s:05d}", "personalization", "granted", at=NOW) for s in range(subjects)]
    )
    stores.items.upsert([Item(f"i{i:05d}", f"Item {i}") for i in range(CATALOGUE)])
    policy = ConsentPolicy()
    start = time.perf_counter()
    for i in range(0, len(rows), batch):
        report = ingest(
            rows[i : i + batch],
            events=stores.events,
            consents=stores.consents,
            items=stores.items,
            policy=policy,
            now=NOW,
            max_batch=batch,
        )
        assert report.accepted == len(rows[i : i + batch]), report.rejected[:3]
    elapsed = time.perf_counter() - start
    stores.close()
    return elapsed


def raw_run(rows: list[dict[str, Any]], batch: int, path: Path) -> float:
    """The floor: the same table and indexes, rows already as tuples, sqlite3 executemany."""
    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine, tables=[metadata.tables["events"]])
    engine.dispose()
    tuples = [
        (
            r["event_id"],
            r["subject_id"],
            r["type"],
            r["item_id"],
            r.get("value"),
            None,
            None,
            r["occurred_at"],
        )
        for r in rows
    ]
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    sql = (
        "INSERT INTO events (event_id, subject_id, type, item_id, value, text, source, "
        "occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    start = time.perf_counter()
    for i in range(0, len(tuples), batch):
        with con:
            con.executemany(sql, tuples[i : i + batch])
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=10_000)
    ap.add_argument("--subjects", type=int, default=2_000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    rows = make_rows(args.events, args.subjects, seed=42)
    ours, raw = [], []
    for r in range(args.repeats):
        with tempfile.TemporaryDirectory() as tmp:
            ours.append(tactful_run(rows, args.subjects, args.batch, Path(tmp) / f"t{r}.db"))
            raw.append(raw_run(rows, args.batch, Path(tmp) / f"r{r}.db"))
    t_ours, t_raw = statistics.median(ours), statistics.median(raw)
    result = {
        "events": args.events,
        "batch": args.batch,
        "tactful_events_per_s": round(args.events / t_ours),
        "raw_executemany_events_per_s": round(args.events / t_raw),
        "ratio": round(t_raw / t_ours, 3),
    }
    table = Table("path", "median s", "events/s", title=f"ingest {args.events} events into SQLite")
    table.add_row(
        "tactful ingest (validate + gate + store)",
        f"{t_ours:.3f}",
        f"{result['tactful_events_per_s']:,}",
    )
    table.add_row(
        "raw sqlite3 executemany", f"{t_raw:.3f}", f"{result['raw_executemany_events_per_s']:,}"
    )
    Console().print(table)
    Console().print(f"ratio tactful/raw throughput: {result['ratio']}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
