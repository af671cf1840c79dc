"""One policy's world: a real ``Tactful`` built from the policy's settings on in-memory
stores, a simulated clock, the demo shop's history seeded through the consent gate, and
the people's changing state. ``run_week`` steps everyone through one week."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from tactful.app import Tactful, build
from tactful.app.seed import seed as seed_shop
from tactful.demo import DemoShop
from tactful.recommend.artifacts import memory_models
from tactful.records import ContactDecision
from tactful.simulate.metrics import Week
from tactful.simulate.parameters import Behaviour
from tactful.simulate.people import People
from tactful.simulate.policy import Policy
from tactful.store import MemoryStores
from tactful.types import ConsentRecord, Decision, Item, ItemId, Purpose

DAY = timedelta(days=1)
WEEK = timedelta(days=7)


class SimClock:
    """The simulated clock every service reads; the simulator moves it, nothing sleeps."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass(eq=False)
class State:
    """What changes about the people during a run (rows as in ``People``)."""

    trust: np.ndarray
    start_trust: np.ndarray
    hard_until: np.ndarray
    churned: np.ndarray
    sent_this_week: np.ndarray
    private_items: list[set[ItemId]]
    messaging: np.ndarray
    personalization: np.ndarray
    pending: list[ContactDecision] = field(default_factory=list)
    held_back: Counter[str] = field(default_factory=Counter)
    decisions: Counter[str] = field(default_factory=Counter)
    diagnostics: Counter[str] = field(default_factory=Counter)
    """Counts that explain the metrics (e.g. ``creepy_lists``)."""
    serial: int = 0

    def next_id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial:09d}"

    def hard(self, row: int, week: int) -> bool:
        return bool(self.hard_until[row] > week)


def pre_ticked(shop: DemoShop, at: datetime) -> tuple[ConsentRecord, ...]:
    """Every purpose granted to everyone by a pre-ticked box, when they joined (their first
    recorded decision, else ``at``)."""
    joined: dict[str, datetime] = {}
    for r in shop.consents:
        joined.setdefault(r.subject_id, r.at)
    return tuple(
        ConsentRecord(s, p, Decision.GRANTED, joined.get(s, at), "pre_ticked", "sim")
        for s in shop.subjects
        for p in Purpose
    )


@dataclass(frozen=True, eq=False)
class Streams:
    """Separate random streams for what happens to people whatever the policy (visits,
    hard times, the partner feed, the campaign calendar): every policy meets the same
    draws (common random numbers), so differences come from the policy, not the dice."""

    visits: np.random.Generator
    lives: np.random.Generator
    partner: np.random.Generator
    campaign: np.random.Generator

    @classmethod
    def of(cls, seed: int) -> Streams:
        return cls(*(np.random.default_rng([seed, 3, k]) for k in range(4)))


@dataclass(eq=False)
class World:
    """The application under one policy and the people living in it."""

    policy: Policy
    people: People
    behaviour: Behaviour
    rng: np.random.Generator
    """How people react to what the policy did (diverges between policies, as it should)."""
    draws: Streams
    clock: SimClock
    app: Tactful
    state: State
    catalogue: dict[ItemId, Item]
    by_department: dict[str, list[Item]]
    rows: dict[str, int]
    week_no: int = 0
    week: Week = field(default_factory=Week)

    def ingest(self, rows: Sequence[dict[str, Any]]) -> None:
        """Events through the real ingest and consent gate (unconsented ones are dropped)."""
        for start in range(0, len(rows), 5_000):
            self.app.ingestion.record(list(rows[start : start + 5_000]))

    def event(self, row: int, kind: str, at: datetime, **extra: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "event_id": self.state.next_id("se"),
            "subject_id": self.people.subjects[row],
            "type": kind,
            "occurred_at": at.isoformat(),
        }
        out.update({k: v for k, v in extra.items() if v is not None})
        return out

    def withdraw(self, row: int, purpose: Purpose) -> bool:
        """The person withdraws a purpose through the real ledger (its reaction deletes
        what no other purpose covers); True if it was granted."""
        flags = self.state.messaging if purpose is Purpose.MESSAGING else self.state.personalization
        if not flags[row]:
            return False
        flags[row] = False
        self.app.consents.record(
            self.people.subjects[row], [{"purpose": purpose.value, "decision": "denied"}]
        )
        self.week.add("withdrawals")
        return True

    def nudge_trust(self, row: int, amount: float) -> None:
        self.state.trust[row] = min(1.0, max(0.0, self.state.trust[row] + amount))


def open_world(
    policy: Policy,
    shop: DemoShop,
    people: People,
    behaviour: Behaviour,
    *,
    seed: int,
    start: datetime,
) -> World:
    """Build the application from the policy, seed the shop's history (consent asked or
    pre-ticked, as the policy says) and train the first models."""
    clock = SimClock(start)
    app = build(policy.settings, MemoryStores(), memory_models(), clock=clock)
    if policy.consent == "pre_ticked":
        shop = replace(shop, consents=pre_ticked(shop, start - DAY))
    seed_shop(app, shop, progress=lambda done, total: None)
    app.training.train()
    n = len(people)
    granted = app.stores.consents.current_many(list(people.subjects))
    flags = {
        p: np.array([granted[s].get(p) is Decision.GRANTED for s in people.subjects])
        for p in (Purpose.MESSAGING, Purpose.PERSONALIZATION)
    }
    catalogue = {it.item_id: it for it in shop.items}
    by_department: dict[str, list[Item]] = {}
    for it in shop.items:
        if it.available and it.categories and it.price is not None:
            by_department.setdefault(it.categories[0], []).append(it)
    state = State(
        trust=people.trust.copy(),
        start_trust=people.trust.copy(),
        hard_until=np.zeros(n, dtype=np.int64),
        churned=np.zeros(n, dtype=np.bool_),
        sent_this_week=np.zeros(n, dtype=np.int64),
        private_items=[set() for _ in range(n)],
        messaging=flags[Purpose.MESSAGING],
        personalization=flags[Purpose.PERSONALIZATION],
    )
    rows = {s: k for k, s in enumerate(people.subjects)}
    return World(
        policy,
        people,
        behaviour,
        np.random.default_rng([seed, 2]),
        Streams.of(seed),
        clock,
        app,
        state,
        catalogue,
        by_department,
        rows,
    )


Step = Callable[[World, datetime], None]
