"""The in-memory twin of every storage port: the reference the contract suite pins down,
and the backend for fast unit tests. One lock keeps it safe under a threaded server."""

from __future__ import annotations

import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from tactful.consent.ledger import fold
from tactful.errors import InvalidInput
from tactful.store.memory_community import MemoryCommunityStore
from tactful.store.memory_engage import (
    MemoryContactDecisionStore,
    MemoryHandoffStore,
    MemoryMilestoneStore,
    read_contact_views,
)
from tactful.store.memory_insights import MemoryInsightStore, MemoryRows
from tactful.store.memory_jobs import MemoryJobStore
from tactful.store.memory_privacy import (
    MemoryAuditLog,
    MemoryTombstoneStore,
    as_rows,
    with_counts,
)
from tactful.store.memory_records import (
    MemoryExposureStore,
    MemoryItemStore,
    MemoryKeyStore,
    MemoryPreferenceStore,
    StampBook,
)
from tactful.store.memory_signals import MemorySignalStore
from tactful.store.ports import (
    AddResult,
    Admit,
    AuditChain,
    AuditEntry,
    AuditLog,
    CommunityStore,
    ConsentState,
    ConsentStore,
    ContactDecisionStore,
    ContactView,
    EventStore,
    ExposureStore,
    HandoffStore,
    InsightStore,
    ItemRow,
    ItemStore,
    KeyStore,
    MilestoneStore,
    PreferenceStore,
    SignalStore,
    SubjectView,
    Tombstone,
    TombstoneStore,
)
from tactful.store.ports_jobs import JobStore
from tactful.types import (
    ConsentRecord,
    Decision,
    Event,
    EventId,
    EventType,
    Exposure,
    Purpose,
    SubjectId,
)

__all__ = [
    "MemoryConsentStore",
    "MemoryEventStore",
    "MemoryExposureStore",
    "MemoryItemStore",
    "MemoryKeyStore",
    "MemoryPreferenceStore",
    "MemorySignalStore",
    "MemoryStores",
]


ConsentRead = Callable[[Collection[SubjectId]], ConsentState]


def _event_key(e: Event) -> tuple[datetime, str]:
    return (e.occurred_at, e.event_id)


class MemoryEventStore:
    def __init__(self, lock: threading.RLock, stamps: StampBook, consents: ConsentRead) -> None:
        self._lock = lock
        self._stamps = stamps
        self._consents = consents
        self._by_id: dict[EventId, Event] = {}
        self._by_subject: dict[SubjectId, list[Event]] = defaultdict(list)

    def add(self, events: Sequence[Event], *, admit: Admit[Event] | None = None) -> AddResult:
        with self._lock:  # the one lock: no consent change can land while admit decides
            if admit is not None:
                events = admit(self._consents({e.subject_id for e in events}))
            dupes: list[EventId] = []
            fresh: dict[EventId, Event] = {}
            for e in events:
                if e.event_id in self._by_id or e.event_id in fresh:
                    dupes.append(e.event_id)
                else:
                    fresh[e.event_id] = e
            for e in fresh.values():
                self._by_id[e.event_id] = e
                self._by_subject[e.subject_id].append(e)
            self._stamps.written(e.subject_id for e in fresh.values())
            return AddResult(len(fresh), tuple(dupes))

    def existing_ids(self, ids: Collection[EventId]) -> set[EventId]:
        with self._lock:
            return {i for i in ids if i in self._by_id}

    def for_subject(
        self,
        subject: SubjectId,
        *,
        since: datetime | None = None,
        types: Collection[EventType] | None = None,
    ) -> list[Event]:
        with self._lock:
            rows = [
                e
                for e in self._by_subject.get(subject, ())
                if (since is None or e.occurred_at >= since) and (types is None or e.type in types)
            ]
        return sorted(rows, key=_event_key)

    def scan(
        self,
        *,
        types: Collection[EventType] | None = None,
        subjects: Collection[SubjectId] | None = None,
    ) -> Iterator[Event]:
        with self._lock:
            rows = list(self._by_id.values())
        wanted = None if subjects is None else set(subjects)
        for e in rows:
            if (types is None or e.type in types) and (wanted is None or e.subject_id in wanted):
                yield e

    def item_rows(self, types: Collection[EventType]) -> Iterator[ItemRow]:
        wanted = {EventType(x) for x in types}
        with self._lock:
            rows = list(self._by_id.values())
        for e in rows:
            if e.type in wanted and e.item_id is not None:
                yield (e.subject_id, e.item_id, e.type.value, e.value)

    def delete(
        self,
        *,
        subject: SubjectId | None = None,
        types: Collection[EventType] | None = None,
        before: datetime | None = None,
    ) -> int:
        if subject is None and types is None and before is None:
            raise InvalidInput("delete needs at least one filter", field="filters")
        with self._lock:
            doomed = [
                e
                for e in self._by_id.values()
                if (subject is None or e.subject_id == subject)
                and (types is None or e.type in types)
                and (before is None or e.occurred_at < before)
            ]
            for e in doomed:
                del self._by_id[e.event_id]
                self._by_subject[e.subject_id].remove(e)
            self._stamps.removed(e.subject_id for e in doomed)
            return len(doomed)

    def delete_ids(self, subject: SubjectId, ids: Collection[EventId]) -> int:
        with self._lock:
            found = (self._by_id.get(i) for i in set(ids))
            doomed = [e for e in found if e is not None and e.subject_id == subject]
            for e in doomed:
                del self._by_id[e.event_id]
                self._by_subject[e.subject_id].remove(e)
            self._stamps.removed(e.subject_id for e in doomed)
            return len(doomed)

    def count(self) -> int:
        with self._lock:
            return len(self._by_id)

    def erase_subject(self, subject: SubjectId) -> int:
        with self._lock:
            rows = self._by_subject.pop(subject, [])
            for e in rows:
                del self._by_id[e.event_id]
            self._stamps.removed([subject])
            return len(rows)


class MemoryConsentStore:
    def __init__(self, lock: threading.RLock, stamps: StampBook) -> None:
        self._lock = lock
        self._stamps = stamps
        self._history: dict[SubjectId, list[ConsentRecord]] = defaultdict(list)

    def append(self, records: Sequence[ConsentRecord]) -> None:
        with self._lock:
            for r in records:
                self._history[r.subject_id].append(r)
            self._stamps.written(r.subject_id for r in records)

    def history(self, subject: SubjectId) -> list[ConsentRecord]:
        with self._lock:
            return list(self._history.get(subject, ()))

    def current_many(
        self, subjects: Collection[SubjectId]
    ) -> dict[SubjectId, dict[Purpose, Decision]]:
        with self._lock:
            return {s: fold(self._history.get(s, ())) for s in subjects}

    def subjects_granted(self, purpose: Purpose) -> set[SubjectId]:
        with self._lock:
            return {s for s, h in self._history.items() if fold(h)[purpose] is Decision.GRANTED}

    def erase_subject(self, subject: SubjectId) -> int:
        with self._lock:
            self._stamps.removed([subject])
            return len(self._history.pop(subject, []))


class MemoryStores:
    """Every port in memory, sharing one lock so a multi-table erase is atomic."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._stamps = StampBook()
        self._consents = MemoryConsentStore(self._lock, self._stamps)
        self._events = MemoryEventStore(self._lock, self._stamps, self._consents.current_many)
        self._preferences = MemoryPreferenceStore(self._lock, self._stamps)
        self._exposures = MemoryExposureStore(self._lock)
        self._signals = MemorySignalStore(self._lock, self._stamps, self._consents.current_many)
        self._decisions = MemoryContactDecisionStore(self._lock)
        self._milestones = MemoryMilestoneStore(self._lock)
        self._handoffs = MemoryHandoffStore(self._lock)
        # Typed as the ports: ``Stores`` declares them as (invariant) attributes.
        self.events: EventStore = self._events
        self.consents: ConsentStore = self._consents
        self.preferences: PreferenceStore = self._preferences
        self.items: ItemStore = MemoryItemStore(self._lock)
        self.exposures: ExposureStore = self._exposures
        self.keys: KeyStore = MemoryKeyStore(self._lock)
        self.signals: SignalStore = self._signals
        self.contact_decisions: ContactDecisionStore = self._decisions
        self.milestones: MilestoneStore = self._milestones
        self.handoffs: HandoffStore = self._handoffs
        self._tombstones = MemoryTombstoneStore(self._lock)
        self.tombstones: TombstoneStore = self._tombstones
        self.audit: AuditLog = MemoryAuditLog(self._lock)
        self.jobs: JobStore = MemoryJobStore(self._lock)
        rows = MemoryRows(
            events=self._events._by_id,
            consents=self._consents._history,
            exposures=self._exposures._rows,
            decisions=self._decisions._by_id,
            cases=self._handoffs._cases,
            signals=self._signals._rows,
            preferences=self._preferences._prefs,
        )
        self.insights: InsightStore = MemoryInsightStore(self._lock, rows)
        self._communities = MemoryCommunityStore(
            self._lock, self._events, self._stamps, self._consents.current_many
        )
        self.communities: CommunityStore = self._communities

    def subject_view(
        self,
        subject: SubjectId,
        *,
        event_types: Collection[EventType],
        signals_at: datetime | None = None,
        exposures_since: datetime | None = None,
        exposure_limit: int = 0,
    ) -> SubjectView:
        with self._lock:
            state = self._consents.current_many([subject])[subject]
            events = self._events.for_subject(subject, types=event_types)
            found = () if signals_at is None else self._signals.for_subject(subject, now=signals_at)
            shown = (
                self._exposures.recent_rows(subject, since=exposures_since, limit=exposure_limit)
                if exposures_since is not None
                else []
            )
            prefs = self._preferences.get(subject)
            stamp = self._stamps.get(subject)
            ids = tuple(i for i, _ in shown)
            recent = tuple(x for _, x in shown)
            return SubjectView(state, prefs, tuple(events), tuple(found), recent, ids, stamp)

    def exposures_if_unchanged(
        self,
        subject: SubjectId,
        *,
        stamp: int,
        exposures_since: datetime,
        exposure_limit: int,
        after_id: int = 0,
        recent_since: datetime | None = None,
    ) -> tuple[tuple[int, Exposure], ...] | None:
        with self._lock:
            if self._stamps.get(subject) != stamp:
                return None
            return tuple(
                self._exposures.recent_rows(
                    subject,
                    since=exposures_since,
                    limit=exposure_limit,
                    after_id=after_id,
                    recent_since=recent_since,
                )
            )

    def contact_views(
        self,
        subjects: Collection[SubjectId],
        *,
        since: datetime,
        active_after: datetime,
        behaviour: Collection[SubjectId],
        event_types: Collection[EventType],
    ) -> dict[SubjectId, ContactView]:
        with self._lock:
            return read_contact_views(
                subjects,
                since=since,
                active_after=active_after,
                behaviour=behaviour,
                event_types=event_types,
                consents=self.consents,
                preferences=self.preferences,
                events=self.events,
                signals=self.signals,
                decisions=self.contact_decisions,
                handoffs=self.handoffs,
            )

    def personal_tables(self) -> Mapping[str, str]:
        return {
            "events": "subject_id",
            "consents": "subject_id",
            "preferences": "subject_id",
            "exposures": "subject_id",
            "signals": "subject_id",
            "contact_decisions": "subject_id",
            "milestones": "subject_id",
            "handoff_cases": "subject_id",
            "subject_stamps": "subject_id",
            "community_members": "subject_id",
        }

    def erase_subject(self, subject: SubjectId) -> Mapping[str, int]:
        with self._lock:
            return {
                "events": self._events.erase_subject(subject),
                "consents": self._consents.erase_subject(subject),
                "preferences": self._preferences.erase_subject(subject),
                "exposures": self._exposures.erase_subject(subject),
                "signals": self._signals.erase_subject(subject),
                "contact_decisions": self._decisions.erase_subject(subject),
                "milestones": self._milestones.erase_subject(subject),
                "handoff_cases": self._handoffs.erase_subject(subject),
                "subject_stamps": self._stamps.erase_subject(subject),
                "community_members": self._communities.erase_subject(subject),
            }

    def erase_with_tombstone(
        self, subject: SubjectId, tombstone: Tombstone, entry: AuditEntry, chain: AuditChain
    ) -> Mapping[str, int]:
        with self._lock:
            counts = self.erase_subject(subject)
            self._tombstones.put(tombstone)
            self.audit.append([with_counts(entry, counts)], chain)
            return counts

    def export_subject(self, subject: SubjectId) -> Mapping[str, list[dict[str, Any]]]:
        """The memory twin of the SQL export: each table's rows as dicts of its fields."""
        with self._lock:
            prefs = self._preferences.get(subject)
            decisions = self._decisions.for_subjects([subject]).get(subject, [])
            cases = self._handoffs.by_status(None, limit=sys.maxsize)
            return {
                "events": as_rows(self._events.for_subject(subject)),
                "consents": as_rows(self._consents.history(subject)),
                "preferences": [{"subject_id": subject, "document": asdict(prefs)}]
                if prefs
                else [],
                "exposures": as_rows(self._exposures.for_subject(subject)),
                "signals": as_rows(self._signals.for_subject(subject)),
                "contact_decisions": as_rows(decisions),
                "milestones": as_rows(self._milestones.for_subject(subject)),
                "handoff_cases": as_rows(c for c in cases if c.subject_id == subject),
                "subject_stamps": [{"subject_id": subject, "stamp": stamp}]
                if (stamp := self._stamps.get(subject)) is not None
                else [],
                "community_members": as_rows(self._communities.memberships(subject)),
            }

    def close(self) -> None:
        return None
