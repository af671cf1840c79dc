"""Contact decisions per second: a stream of candidates over many people whose decision
history, preferences, behaviour and signals are stored, on SQLite and PostgreSQL.

    python benchmarks/contact.py [--candidates 100000] [--people 10000] [--pg URL]

Each backend is loaded with the people (consents, preferences with caps, quiet hours in
several time zones, interests, a few life events and fatigue signals, 1% open hand-off
cases), 5 behaviour events and 5 past decisions per person, then decides the stream with
``decide_contacts`` (chunks of 1,000: six reads per chunk, one write transaction). The
baseline in the same run is the rules alone on situations already in memory, so the ratio
shows what reading and storing cost. A sample also runs one decision per call, as the REST
endpoint does.

Target (issue 6): at least 2,000 decisions/s on SQLite on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from tactful.consent import ConsentPolicy, record
from tactful.engage.contact import decide_contacts, read_people, situation_of
from tactful.engage.decide import decide
from tactful.engage.message import Candidate
from tactful.records import (
    Case,
    CaseStatus,
    Channel,
    ContactDecision,
    MessageKind,
    Urgency,
    Verdict,
)
from tactful.settings import Settings
from tactful.sql import open_stores
from tactful.sql.stores import SqlStores
from tactful.types import Event, EventType, Item, Preferences, Purpose, QuietHours, Signal

NOW = datetime(2026, 6, 1, 8, tzinfo=UTC)
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TOPICS = ["running", "camping", "climbing", "cycling", "yoga", "swimming", "golf", "repairable"]
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"]
KINDS = [MessageKind.PROMOTIONAL] * 6 + [
    MessageKind.TRANSACTIONAL,
    MessageKind.TRANSACTIONAL,
    MessageKind.COMMUNITY,
    MessageKind.SUPPORTIVE,
]
CHANNELS = list(Channel)
URGENCIES = [Urgency.LOW, Urgency.NORMAL, Urgency.NORMAL, Urgency.HIGH]


def subject(i: int) -> str:
    return f"u{i:05d}"


def preferences(rng: np.random.Generator) -> Preferences:
    channels = tuple(str(c) for c in rng.permutation(CHANNELS)[: int(rng.integers(1, 4))])
    caps = {c: int(rng.integers(1, 5)) for c in channels if rng.random() < 0.6}
    quiet = QuietHours(clock(22), clock(7)) if rng.random() < 0.7 else None
    return Preferences(
        channels=channels,
        max_messages_per_week=caps,
        quiet_hours=quiet,
        timezone=ZONES[int(rng.integers(0, len(ZONES)))],
        preferred_categories=tuple(rng.choice(TOPICS, 2, replace=False)),
    )


def behaviour(people: int, rng: np.random.Generator) -> list[Event]:
    """Five events per person over the last 90 days: a purchase and four views."""
    return [
        Event(
            f"e{i}-{k}",
            subject(i),
            EventType.PURCHASE if k == 0 else EventType.VIEW,
            NOW - timedelta(days=int(rng.integers(1, 90))),
            item_id=f"i{int(rng.integers(0, 400))}",
        )
        for i in range(people)
        for k in range(5)
    ]


def signals(people: int) -> list[Signal]:
    """A live life event for 5% of people and fatigue for 1 in 7."""
    month = NOW + timedelta(days=30)
    hard = Purpose.EMOTIONAL_CONTEXT
    tired = {"unwelcome_in_row": 3}
    out = [
        Signal(subject(i), "life_event:relocation", 0.8, hard, NOW, month)
        for i in range(0, people, 20)
    ]
    out += [
        Signal(subject(i), "fatigue", 0.5, Purpose.MESSAGING, NOW, month, tired)
        for i in range(0, people, 7)
    ]
    return out


def load(stores: SqlStores, people: int, seed: int) -> None:
    """Everything a decision reads, for ``people`` people."""
    rng = np.random.default_rng(seed)
    stores.items.upsert(
        [Item(f"i{k}", f"Thing {k}", (TOPICS[k % len(TOPICS)],)) for k in range(400)]
    )
    grants = ["messaging", "personalization", "emotional_context"]
    stores.consents.append(
        [
            record(subject(i), p, "granted", at=NOW - timedelta(days=60))
            for i in range(people)
            for p in grants
            if i % 10 or p != "messaging"  # one in ten never agreed to messages
        ]
    )
    for i in range(people):
        stores.preferences.put(subject(i), preferences(rng), at=NOW)
    stores.events.add(behaviour(people, rng))
    stores.signals.put(signals(people))
    stores.contact_decisions.add(history(people, rng))
    for i in range(0, people, 100):
        case = Case(f"hc{i}", subject(i), "explicit_request", NOW, CaseStatus.OPEN, {})
        stores.handoffs.open(case)


def history(people: int, rng: np.random.Generator) -> list[ContactDecision]:
    """Five past decisions per person over the last ten days, most of them sent."""
    out = []
    for i in range(people):
        for k in range(5):
            at = NOW - timedelta(hours=int(rng.integers(1, 240)))
            out.append(
                ContactDecision(
                    decision_id=f"h{i}-{k}",
                    subject_id=subject(i),
                    message_id=f"old{k}",
                    kind=MessageKind.PROMOTIONAL,
                    requested_channel=Channel.EMAIL,
                    channel=Channel.EMAIL,
                    topic="running",
                    urgency=Urgency.NORMAL,
                    decided_at=at,
                    verdict=Verdict.SEND if k < 4 else Verdict.SUPPRESS,
                    send_at=at if k < 4 else None,
                )
            )
    return out


def stream(n: int, people: int, seed: int) -> list[tuple[str, Candidate]]:
    """Candidates in time order over the next week."""
    rng = np.random.default_rng(seed)
    secs = np.sort(rng.integers(0, 7 * 86400, n))
    out = []
    for j in range(n):
        kind = KINDS[int(rng.integers(0, len(KINDS)))]
        c = Candidate(
            message_id=f"m{j}",
            kind=kind,
            channel=CHANNELS[int(rng.integers(0, len(CHANNELS)))],
            at=NOW + timedelta(seconds=int(secs[j])),
            topic=None if kind is MessageKind.TRANSACTIONAL else TOPICS[int(rng.integers(0, 8))],
            urgency=URGENCIES[int(rng.integers(0, len(URGENCIES)))],
        )
        out.append((subject(int(rng.integers(0, people))), c))
    return out


def rules_only(stores: SqlStores, batch: list[tuple[str, Candidate]], settings: Settings) -> float:
    """The baseline: the rules on situations already read into memory."""
    catalogue = {it.item_id: it for it in stores.items.all()}
    people = read_people(stores, batch, settings=settings, policy=ConsentPolicy())
    new_id = ids()
    start = time.perf_counter()
    for s, c in batch:
        sit = situation_of(s, people[s], at=c.at, catalogue=catalogue, settings=settings)
        decide(c, sit, new_id())
    return time.perf_counter() - start


def ids(prefix: str = "cd") -> Callable[[], str]:
    counter = iter(range(10**9))
    return lambda: f"{prefix}{next(counter):09d}"


def worker(url: str, part: list[tuple[str, Candidate]], n: int) -> tuple[float, Counter[str]]:
    """One process's share of the stream: its own stores; returns CPU seconds and verdicts."""
    stores = open_stores(url)
    catalogue = {it.item_id: it for it in stores.items.all()}
    cpu = time.process_time()
    made = decide_contacts(
        part,
        stores=stores,
        catalogue=catalogue,
        settings=Settings(),
        policy=ConsentPolicy(),
        new_id=ids(f"w{n}-"),
    )
    cpu = time.process_time() - cpu
    stores.close()
    return cpu, Counter(d.verdict.value for d in made)


def decide_stream(
    url: str, batch: list[tuple[str, Candidate]], workers: int
) -> tuple[float, float, Counter[str]]:
    """Wall seconds, CPU seconds (all processes) and verdicts. With several workers the
    stream is split by person, so each person's candidates stay in order in one process
    and the decisions are exactly those of one process."""
    start = time.perf_counter()
    if workers == 1:
        cpu, mix = worker(url, batch, 0)
        return time.perf_counter() - start, cpu, mix
    parts: list[list[tuple[str, Candidate]]] = [[] for _ in range(workers)]
    for s, c in batch:
        parts[int(s[1:]) % workers].append((s, c))
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        done = list(pool.map(worker, [url] * workers, parts, range(workers)))
    mix = sum((m for _, m in done), Counter[str]())
    return time.perf_counter() - start, sum(c for c, _ in done), mix


def run(url: str, backend: str, args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings()
    stores = open_stores(url)
    t0 = time.perf_counter()
    load(stores, args.people, seed=7)
    loaded = time.perf_counter() - t0
    stores.close()
    batch = stream(args.candidates, args.people, seed=11)
    batched, batched_cpu, mix = decide_stream(url, batch, args.workers)
    stores = open_stores(url)
    catalogue = {it.item_id: it for it in stores.items.all()}
    sample = stream(args.single, args.people, seed=13)
    single_ids = ids("x")
    start = time.perf_counter()
    for s, c in sample:
        decide_contacts(
            [(s, c)],
            stores=stores,
            catalogue=catalogue,
            settings=settings,
            policy=ConsentPolicy(),
            new_id=single_ids,
        )
    single = time.perf_counter() - start
    base = rules_only(stores, batch[: args.single], settings)
    stores.close()
    return {
        "backend": backend,
        "workers": args.workers,
        "candidates": len(batch),
        "people": args.people,
        "load_s": round(loaded, 2),
        "batched_decisions_per_s": round(len(batch) / batched),
        "batched_decisions_per_cpu_s": round(len(batch) / batched_cpu),
        "single_call_decisions_per_s": round(len(sample) / single),
        "rules_only_decisions_per_s": round(len(sample) / base),
        "batched_vs_rules_only": round(base / len(sample) * len(batch) / batched, 3),
        "verdicts": dict(sorted(mix.items())),
    }


def pg_url(given: str | None) -> str | None:
    """A fresh schema on the PostgreSQL server, or None when none answers."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    raw = given or os.environ.get("TACTFUL_TEST_PG_URL", PG_DEFAULT)
    url = make_url(raw).set(drivername="postgresql+psycopg")
    try:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS bench_contact CASCADE"))
            conn.execute(text("CREATE SCHEMA bench_contact"))
        engine.dispose()
    except Exception as exc:  # no server: report and skip
        Console(stderr=True).print(f"PostgreSQL skipped: {type(exc).__name__}")
        return None
    scoped = url.update_query_dict({"options": "-csearch_path=bench_contact"})
    return scoped.render_as_string(hide_password=False)


def drop_schema(given: str | None) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    raw = given or os.environ.get("TACTFUL_TEST_PG_URL", PG_DEFAULT)
    engine = create_engine(make_url(raw).set(drivername="postgresql+psycopg"))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS bench_contact CASCADE"))
    engine.dispose()


def report(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    """A Rich table, then one JSON line per backend."""
    table = Table(
        "backend", "batched/s", "batched/CPU s", "one per call/s", "rules only/s", "ratio",
        "verdicts",
        title=f"contact decisions: {args.candidates:,} candidates over {args.people:,} "
        f"people, {args.workers} worker(s)",
    )  # fmt: skip
    for r in results:
        table.add_row(
            r["backend"],
            f"{r['batched_decisions_per_s']:,}",
            f"{r['batched_decisions_per_cpu_s']:,}",
            f"{r['single_call_decisions_per_s']:,}",
            f"{r['rules_only_decisions_per_s']:,}",
            str(r["batched_vs_rules_only"]),
            ", ".join(f"{k} {v}" for k, v in r["verdicts"].items()),
        )
    Console().print(table)
    for r in results:
        print(json.dumps(r))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--candidates", type=int, default=100_000)
    ap.add_argument("--people", type=int, default=10_000)
    ap.add_argument("--single", type=int, default=2_000, help="one-per-call sample size")
    ap.add_argument("--pg", default=None, help="PostgreSQL URL (default: the test server)")
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--workers", type=int, default=1, help="processes, stream split by person")
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run(f"sqlite:///{Path(tmp) / 'contact.db'}", "sqlite", args))
    url = None if args.no_pg else pg_url(args.pg)
    if url is not None:
        try:
            results.append(run(url, "postgresql", args))
        finally:
            drop_schema(args.pg)
    report(results, args)


if __name__ == "__main__":
    main()
