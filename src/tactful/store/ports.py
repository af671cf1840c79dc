"""The storage ports. Each is small and named after its data; each has an in-memory twin
(``tactful.store.memory``) and a SQL adapter (``tactful.sql``), and one contract suite
(``tests/store/test_contract.py``) runs against every implementation.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from tactful.store.ports_community import CommunityStore
from tactful.store.ports_contact import (
    ContactDecisionStore,
    ContactView,
    HandoffStore,
    MilestoneStore,
)
from tactful.store.ports_insights import InsightStore
from tactful.store.ports_jobs import JobStore
from tactful.store.ports_rights import (
    GENESIS_HASH,
    HEAD_MISSING,
    AuditChain,
    AuditEntry,
    AuditHead,
    AuditLog,
    AuditRecord,
    Tombstone,
    TombstoneStore,
)
from tactful.types import (
    ApiKey,
    ConsentRecord,
    Decision,
    Event,
    EventId,
    EventType,
    Exposure,
    Item,
    ItemId,
    ItemRow,
    Preferences,
    Purpose,
    Signal,
    SubjectId,
)

__all__ = [
    "GENESIS_HASH",
    "HEAD_MISSING",
    "AddResult",
    "Admit",
    "AuditChain",
    "AuditEntry",
    "AuditHead",
    "AuditLog",
    "AuditRecord",
    "CommunityStore",
    "ConsentState",
    "ConsentStore",
    "ContactDecisionStore",
    "ContactView",
    "EventStore",
    "ExposureStore",
    "HandoffStore",
    "InsightStore",
    "ItemRow",
    "ItemStore",
    "KeyStore",
    "MilestoneStore",
    "PreferenceStore",
    "SignalStore",
    "Stores",
    "SubjectView",
    "Tombstone",
    "TombstoneStore",
]


Row = TypeVar("Row")
ConsentState = Mapping[SubjectId, Mapping[Purpose, Decision]]
"""The current decisions of some subjects (every purpose, ``unset`` when never recorded)."""
Admit = Callable[[ConsentState], Sequence[Row]]
"""Given the consents of the rows' subjects as they stand inside the write (read under the
subjects' write locks), which of the rows may be written. The rule stays in the core; the
store only guarantees that no consent change for those subjects commits in between, so a
withdrawal that returned always wins against a write that was in flight."""


@dataclass(frozen=True, slots=True)
class AddResult:
    """What ``EventStore.add`` did: how many rows it wrote and which ids it skipped."""

    accepted: int
    duplicates: tuple[EventId, ...] = ()


class EventStore(Protocol):
    def add(self, events: Sequence[Event], *, admit: Admit[Event] | None = None) -> AddResult:
        """Store events in one transaction; an id already stored (or repeated in the batch)
        is skipped and reported as a duplicate, never stored twice. With ``admit``, only the
        events it returns (given the subjects' consents read inside the transaction, under
        their locks) are stored; the others count neither as accepted nor as duplicates."""
        ...

    def existing_ids(self, ids: Collection[EventId]) -> set[EventId]:
        """Which of these event ids are already stored."""
        ...

    def for_subject(
        self,
        subject: SubjectId,
        *,
        since: datetime | None = None,
        types: Collection[EventType] | None = None,
    ) -> list[Event]:
        """A subject's events, oldest first (ties by event id)."""
        ...

    def scan(
        self,
        *,
        types: Collection[EventType] | None = None,
        subjects: Collection[SubjectId] | None = None,
    ) -> Iterator[Event]:
        """All events, optionally of some types and subjects; order unspecified."""
        ...

    def item_rows(self, types: Collection[EventType]) -> Iterator[ItemRow]:
        """Every event of these types that names an item, as ``(subject, item, type, value)``,
        read in one pass over the table; order unspecified. Training reads its snapshot
        through this and decides itself whose rows count (``consent`` stays in the core)."""
        ...

    def delete(
        self,
        *,
        subject: SubjectId | None = None,
        types: Collection[EventType] | None = None,
        before: datetime | None = None,
    ) -> int:
        """Delete the events matching every given filter (at least one); returns the count."""
        ...

    def delete_ids(self, subject: SubjectId, ids: Collection[EventId]) -> int:
        """Delete these events of the subject (ids of others are left alone); the count."""
        ...

    def count(self) -> int: ...


class ConsentStore(Protocol):
    def append(self, records: Sequence[ConsentRecord]) -> None:
        """Append to the history in one transaction; history is never rewritten. Takes the
        subjects' write locks exclusively, so it serializes with every ``admit`` write."""
        ...

    def history(self, subject: SubjectId) -> list[ConsentRecord]:
        """The subject's consent history in recording order."""
        ...

    def current_many(
        self, subjects: Collection[SubjectId]
    ) -> dict[SubjectId, dict[Purpose, Decision]]:
        """Folded current state for each requested subject (all purposes, unset if none)."""
        ...

    def subjects_granted(self, purpose: Purpose) -> set[SubjectId]:
        """Subjects whose current decision for the purpose is granted."""
        ...


class PreferenceStore(Protocol):
    def get(self, subject: SubjectId) -> Preferences | None: ...

    def put(self, subject: SubjectId, prefs: Preferences, *, at: datetime) -> None: ...


class ItemStore(Protocol):
    def upsert(self, items: Sequence[Item]) -> int:
        """Insert or replace items in one transaction; returns how many were written."""
        ...

    def get(self, item_id: ItemId) -> Item | None: ...

    def many(self, item_ids: Collection[ItemId]) -> dict[ItemId, Item]: ...

    def known(self, item_ids: Collection[ItemId]) -> set[ItemId]:
        """Which of these ids the catalogue holds (ids only: ingest checks every batch)."""
        ...

    def all(self) -> list[Item]: ...

    def version(self) -> int:
        """Changes whenever the catalogue changes, so servers can cache it safely."""
        ...


class ExposureStore(Protocol):
    def add(self, exposures: Sequence[Exposure]) -> None: ...

    def for_subject(self, subject: SubjectId, *, since: datetime | None = None) -> list[Exposure]:
        """Oldest first."""
        ...

    def recent(self, subject: SubjectId, *, since: datetime, limit: int) -> list[Exposure]:
        """The newest ``limit`` exposures logged since ``since``, oldest first, with empty
        ``reasons``: the serving hot path needs only what was shown, and when."""
        ...

    def delete(self, *, before: datetime) -> int:
        """Delete exposures logged before this instant (retention); returns the count."""
        ...

    def tally(self, counts: Mapping[date, int]) -> None:
        """Add responses shown without a logged exposure to each UTC day's count."""
        ...

    def tallies(self, *, since: date | None = None) -> dict[date, int]:
        """Anonymous responses per UTC day (since ``since``), oldest first."""
        ...


class KeyStore(Protocol):
    def add(self, key: ApiKey) -> None: ...

    def by_hash(self, key_hash: str) -> ApiKey | None: ...

    def all(self) -> list[ApiKey]: ...


class SignalStore(Protocol):
    def put(self, signals: Sequence[Signal], *, admit: Admit[Signal] | None = None) -> int:
        """Insert or replace, keyed by (subject, kind), in one transaction; returns how many
        were stored. With ``admit`` (see ``EventStore.add``) only the signals it returns,
        given the subjects' consents read inside the write under their locks, are stored."""
        ...

    def for_subject(self, subject: SubjectId, *, now: datetime | None = None) -> list[Signal]:
        """The subject's signals, by kind; with ``now``, expired ones are left out."""
        ...

    def delete(
        self,
        subject: SubjectId,
        *,
        kinds: Collection[str] | None = None,
        purpose: Purpose | None = None,
    ) -> int:
        """Delete the subject's signals of these kinds / derived under this purpose (all if
        neither is given); returns the count."""
        ...

    def purge(self, *, before: datetime) -> int:
        """Delete every signal that expired before this instant (retention); the count."""
        ...

    def replace(
        self,
        subject: SubjectId,
        purpose: Purpose,
        signals: Sequence[Signal],
        *,
        admit: Admit[Signal] | None = None,
    ) -> int:
        """In one transaction, delete the subject's signals derived under ``purpose`` and
        store these (each must be the subject's, under that purpose); returns how many were
        deleted. Re-deriving a subject's signals never leaves a stale or half-written set.
        With ``admit`` (see ``EventStore.add``) only the signals it returns are stored."""
        ...


@dataclass(frozen=True, slots=True)
class SubjectView:
    """What serving reads about one person, read in one transaction: rows as stored. What a
    purpose may use of them is decided above the port (``tactful.consent.consented_view``)."""

    consents: Mapping[Purpose, Decision]
    preferences: Preferences | None
    events: tuple[Event, ...] = ()
    """Of the asked types, whatever the consents; oldest first."""
    signals: tuple[Signal, ...] = ()
    """Stored signals live at ``signals_at`` (when asked for), by kind."""
    exposures: tuple[Exposure, ...] = ()
    """With ``exposures_since`` asked for: the newest ``exposure_limit`` since then, oldest
    first, without reasons (as ``recent``)."""
    exposure_ids: tuple[int, ...] = ()
    """The stored row id of each of ``exposures`` (ids grow as exposures are logged)."""
    stamp: int | None = None
    """Changes with every write to the person's events, consents, preferences or signals
    (never repeating a past value); None when nothing about them was ever stored. A cache
    of what was derived from this view is valid exactly while the stamp holds."""


class Stores(Protocol):
    """The bundle the application works with; one backend behind all of its ports."""

    events: EventStore
    consents: ConsentStore
    preferences: PreferenceStore
    items: ItemStore
    exposures: ExposureStore
    keys: KeyStore
    signals: SignalStore
    contact_decisions: ContactDecisionStore
    milestones: MilestoneStore
    handoffs: HandoffStore
    tombstones: TombstoneStore
    audit: AuditLog
    insights: InsightStore
    communities: CommunityStore
    jobs: JobStore

    def erase_subject(self, subject: SubjectId) -> Mapping[str, int]:
        """Delete every row that holds the subject, in every personal-data table, in one
        transaction; returns rows deleted per table (derived from the declarations)."""
        ...

    def erase_with_tombstone(
        self, subject: SubjectId, tombstone: Tombstone, entry: AuditEntry, chain: AuditChain
    ) -> Mapping[str, int]:
        """``erase_subject``, storing the tombstone and appending the audit entry (its detail
        gains ``rows_deleted``) in the same transaction; returns rows deleted per table."""
        ...

    def export_subject(self, subject: SubjectId) -> Mapping[str, list[dict[str, Any]]]:
        """Every row naming the subject in every personal-data table (the keys are exactly
        ``personal_tables()``), each as a dict of its columns."""
        ...

    def personal_tables(self) -> Mapping[str, str]:
        """Each table holding personal data and the column that names the subject."""
        ...

    def subject_view(
        self,
        subject: SubjectId,
        *,
        event_types: Collection[EventType],
        signals_at: datetime | None = None,
        exposures_since: datetime | None = None,
        exposure_limit: int = 0,
    ) -> SubjectView:
        """Current consents and preferences and the events of these types, as stored (no
        consent filter: see ``SubjectView``): one read transaction, the serving hot path.
        Optionally, in the same transaction, the stored signals and recent exposures."""
        ...

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
        """In one read: None when the person's stamp is no longer ``stamp`` (read
        ``subject_view`` again); otherwise the newest ``exposure_limit`` of their
        exposures since ``exposures_since`` with an id above ``after_id`` or logged at or
        after ``recent_since`` (concurrent writers may commit ids out of order), oldest
        first, with their ids. The cheap read behind a cached recommendation."""
        ...

    def contact_views(
        self,
        subjects: Collection[SubjectId],
        *,
        since: datetime,
        active_after: datetime,
        behaviour: Collection[SubjectId],
        event_types: Collection[EventType],
    ) -> dict[SubjectId, ContactView]:
        """Everything contact decisions read about these people, in one read transaction
        and a few set-wise queries: the batch path of ``tactful.engage.contact``.
        Decisions are those made at or after ``since`` going out at or after
        ``active_after``; events (of ``event_types``) only for the people in
        ``behaviour``, as stored (the consent filter runs above the port)."""
        ...

    def close(self) -> None: ...
