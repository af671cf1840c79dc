"""Connection health and fairness over a growing history: the cost curve of one
``GET /v1/insights/health`` and ``/fairness`` (28 days), on SQLite.

    python benchmarks/insights.py [--people 2000 8000]

Each size stores, for ``people`` people over 28 days: consents (10 % withdraw one purpose),
6 events and 4 logged exposures (5 items each) per person, 2 contact decisions per person
with outcomes, fatigue signals for 5 % and hand-off cases for 1 %. Timed: reading the rows
through the insights port, consent applied (the baseline: what any report must at least do),
and the two pure reports over those rows. The ratio (reports) / read says what computing the
figures costs on top of reading them; it should stay flat as the history grows.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from tactful.app import build
from tactful.insights.fairness import fairness_report
from tactful.insights.report import health_report
from tactful.recommend.artifacts import FileModelStore
from tactful.records import Channel, ContactDecision, MessageKind, Outcome, Urgency, Verdict
from tactful.settings import Settings
from tactful.sql import open_stores
from tactful.types import ConsentRecord, Decision, Event, EventType, Exposure, Item, Purpose

NOW = datetime(2026, 6, 1, tzinfo=UTC)
DAYS = 28
TYPES = (EventType.VIEW, EventType.CLICK, EventType.DISMISS, EventType.PURCHASE)


def load(stores: object, people: int, rng: np.random.Generator) -> None:
    st = stores  # a Stores bundle
    items = [Item(f"i{j}", f"Item {j}", categories=(f"c{j % 12}",)) for j in range(500)]
    st.items.upsert(items)  # type: ignore[attr-defined]
    start = NOW - timedelta(days=DAYS)

    def at() -> datetime:
        return start + timedelta(seconds=int(rng.integers(0, DAYS * 86400)))

    consents, events, exposures, decisions = [], [], [], []
    for p in range(people):
        s = f"u{p}"
        for purpose in (Purpose.ANALYTICS, Purpose.PERSONALIZATION, Purpose.MESSAGING):
            consents.append(ConsentRecord(s, purpose, Decision.GRANTED, start - timedelta(days=9)))
        if p % 10 == 0:
            consents.append(ConsentRecord(s, Purpose.MESSAGING, Decision.DENIED, at()))
        for k in range(6):
            kind = TYPES[int(rng.integers(len(TYPES)))]
            events.append(Event(f"e{p}-{k}", s, kind, at(), item_id=f"i{rng.integers(500)}"))
        for _ in range(4):
            shown = tuple(f"i{j}" for j in rng.choice(500, size=5, replace=False))
            exposures.append(Exposure(s, shown, {}, "ease-1", at(), "home", True, {"budget": 2}))
        for k in range(2):
            when = at()
            decisions.append(
                ContactDecision(
                    f"d{p}-{k}", s, f"m{p}-{k}", MessageKind.PROMOTIONAL, Channel.EMAIL,
                    Channel.EMAIL, None, Urgency.NORMAL, when, Verdict.SEND, when,
                    outcome=Outcome.OPENED, outcome_at=when,
                )
            )  # fmt: skip
    st.consents.append(consents)  # type: ignore[attr-defined]
    st.events.add(events)  # type: ignore[attr-defined]
    st.exposures.add(exposures)  # type: ignore[attr-defined]
    st.contact_decisions.add(decisions)  # type: ignore[attr-defined]


def measure(people: int, tmp: Path) -> dict[str, float]:
    url = f"sqlite:///{tmp / f'insights-{people}.db'}"
    settings = Settings(database_url=url, model_dir=tmp / "m")
    stores = open_stores(url)
    load(stores, people, np.random.default_rng(people))
    app = build(settings, stores, FileModelStore(tmp / "m"), clock=lambda: NOW)
    w = app.insights.window(DAYS)
    n = settings.insights.min_people
    t0 = time.perf_counter()
    rows = app.insights.rows(w)
    read = time.perf_counter() - t0
    t0 = time.perf_counter()
    health_report(rows, w, min_people=n)
    health = time.perf_counter() - t0
    t0 = time.perf_counter()
    fairness_report(rows, w, min_people=n)
    fairness = time.perf_counter() - t0
    app.close()
    return {"people": people, "read_s": read, "health_s": health, "fairness_s": fairness}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, nargs="+", default=[2000, 8000])
    args = parser.parse_args()
    table = Table(
        "people", "rows", "read s", "health s", "fairness s", "(health + fairness) / read"
    )
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.people:
            r = measure(n, Path(tmp))
            results.append(r)
            rows = n * (6 + 4 + 2) + int(n * 3.1)
            table.add_row(
                f"{n:,}", f"{rows:,}", f"{r['read_s']:.2f}", f"{r['health_s']:.2f}",
                f"{r['fairness_s']:.2f}", f"{(r['health_s'] + r['fairness_s']) / r['read_s']:.2f}",
            )  # fmt: skip
    Console().print(table)
    print(json.dumps({"benchmark": "insights", "results": results}))


if __name__ == "__main__":
    main()
