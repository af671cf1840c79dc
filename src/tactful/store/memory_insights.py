"""The in-memory twin of the insights port: windowed reads over ``MemoryStores``' rows,
under their shared lock."""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from tactful.records import Case, ContactDecision
from tactful.types import (
    ConsentRecord,
    Event,
    EventId,
    EventType,
    Exposure,
    Preferences,
    Signal,
    SubjectId,
)


@dataclass(frozen=True, slots=True)
class MemoryRows:
    """The live row containers of ``MemoryStores``' ports (shared, never copied)."""

    events: Mapping[EventId, Event]
    consents: Mapping[SubjectId, list[ConsentRecord]]
    exposures: Mapping[SubjectId, list[tuple[int, Exposure]]]
    decisions: Mapping[str, ContactDecision]
    cases: Mapping[str, Case]
    signals: Mapping[SubjectId, dict[str, Signal]]
    preferences: Mapping[SubjectId, Preferences]


class MemoryInsightStore:
    """Reads the other memory stores' rows under their lock."""

    def __init__(self, lock: threading.RLock, rows: MemoryRows) -> None:
        self._lock = lock
        self._rows = rows

    def events(
        self, *, start: datetime, end: datetime, types: Collection[EventType] | None = None
    ) -> Iterator[Event]:
        wanted = None if types is None else set(types)
        with self._lock:
            rows = list(self._rows.events.values())
        for e in rows:
            if start <= e.occurred_at < end and (wanted is None or e.type in wanted):
                yield e

    def consent_history(self, *, until: datetime) -> list[ConsentRecord]:
        with self._lock:
            return [r for rows in self._rows.consents.values() for r in rows if r.at < until]

    def exposures(self, *, start: datetime, end: datetime) -> list[Exposure]:
        with self._lock:
            rows = [r for rs in self._rows.exposures.values() for r in rs]
        found = sorted((r for r in rows if start <= r[1].at < end), key=lambda r: (r[1].at, r[0]))
        return [replace(x, reasons={}) for _, x in found]

    def decisions(self, *, start: datetime, end: datetime) -> list[ContactDecision]:
        with self._lock:
            rows = list(self._rows.decisions.values())
        found = [replace(d, why=None) for d in rows if start <= d.decided_at < end]
        return sorted(found, key=lambda d: (d.decided_at, d.decision_id))

    def cases(self, *, start: datetime, end: datetime) -> list[Case]:
        with self._lock:
            rows = list(self._rows.cases.values())
        alive = [
            c
            for c in rows
            if c.opened_at < end and (c.resolved_at is None or c.resolved_at >= start)
        ]
        return sorted(alive, key=lambda c: (c.opened_at, c.case_id))

    def preferences(self, subjects: Collection[SubjectId]) -> dict[SubjectId, Preferences]:
        with self._lock:
            return {s: self._rows.preferences[s] for s in subjects if s in self._rows.preferences}

    def signals(self, kind: str) -> list[Signal]:
        with self._lock:
            return [
                s for row in self._rows.signals.values() for s in row.values() if s.kind == kind
            ]
