"""``SqlStores``: every storage port over one SQLAlchemy engine (SQLite or PostgreSQL).

``open_stores(url)`` is the usual entry point: it builds the engine and applies the
migrations before anything else touches the database.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from tactful.sql import tables
from tactful.sql.communities import SqlCommunityStore
from tactful.sql.consents import SqlConsentStore
from tactful.sql.contact_views import read_contact_views
from tactful.sql.database import DEFAULT_CACHE_MIB, Database, make_engine
from tactful.sql.engage import SqlContactDecisionStore, SqlMilestoneStore
from tactful.sql.events import SqlEventStore
from tactful.sql.handoffs import SqlHandoffStore
from tactful.sql.insights import SqlInsightStore
from tactful.sql.jobs import SqlJobStore
from tactful.sql.privacy import (
    SqlAuditLog,
    SqlTombstoneStore,
    delete_subject,
    erase_with_tombstone,
    subject_rows,
)
from tactful.sql.records import SqlExposureStore, SqlItemStore, SqlKeyStore, SqlPreferenceStore
from tactful.sql.schema import upgrade
from tactful.sql.serving import read_exposures_if_unchanged, read_subject_view
from tactful.sql.signals import SqlSignalStore
from tactful.sql.subject_locks import lock_subjects
from tactful.store.ports import (
    AuditChain,
    AuditEntry,
    AuditLog,
    CommunityStore,
    ConsentStore,
    ContactDecisionStore,
    ContactView,
    EventStore,
    ExposureStore,
    HandoffStore,
    InsightStore,
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
from tactful.types import EventType, Exposure, SubjectId

NEVER = datetime(9999, 12, 31, tzinfo=UTC)
"""``recent_since`` when none is given: no exposure is read again for being recent."""


class SqlStores:
    """The ``Stores`` bundle on SQL; erasure is derived from the personal-data declarations
    in ``tactful.sql.tables``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._db = Database(engine)
        # Typed as the ports: ``Stores`` declares them as (invariant) attributes.
        self.events: EventStore = SqlEventStore(self._db)
        self.consents: ConsentStore = SqlConsentStore(self._db)
        self.preferences: PreferenceStore = SqlPreferenceStore(self._db)
        self.items: ItemStore = SqlItemStore(self._db)
        self.exposures: ExposureStore = SqlExposureStore(self._db)
        self.keys: KeyStore = SqlKeyStore(self._db)
        self.signals: SignalStore = SqlSignalStore(self._db)
        self.contact_decisions: ContactDecisionStore = SqlContactDecisionStore(self._db)
        self.milestones: MilestoneStore = SqlMilestoneStore(self._db)
        self.handoffs: HandoffStore = SqlHandoffStore(self._db)
        self.tombstones: TombstoneStore = SqlTombstoneStore(self._db)
        self.audit: AuditLog = SqlAuditLog(self._db)
        self.insights: InsightStore = SqlInsightStore(self._db)
        self.communities: CommunityStore = SqlCommunityStore(self._db)
        self.jobs: JobStore = SqlJobStore(self._db)

    def personal_tables(self) -> Mapping[str, str]:
        return tables.personal_tables()

    def subject_view(
        self,
        subject: SubjectId,
        *,
        event_types: Collection[EventType],
        signals_at: datetime | None = None,
        exposures_since: datetime | None = None,
        exposure_limit: int = 0,
    ) -> SubjectView:
        return read_subject_view(
            self._db,
            subject,
            event_types=event_types,
            signals_at=signals_at,
            exposures_since=exposures_since,
            exposure_limit=exposure_limit,
        )

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
        return read_exposures_if_unchanged(
            self._db,
            subject,
            stamp=stamp,
            since=exposures_since,
            limit=exposure_limit,
            after=after_id,
            recent=recent_since or NEVER,
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
        return read_contact_views(
            self._db,
            subjects,
            since=since,
            active_after=active_after,
            behaviour=behaviour,
            event_types=event_types,
        )

    def erase_subject(self, subject: SubjectId) -> Mapping[str, int]:
        """Delete the subject from every declared table in one transaction (under the
        person's write lock, as ``erase_with_tombstone``)."""
        with self._db.writing("erasing a subject") as conn:
            lock_subjects(conn, [subject], exclusive=True)
            return delete_subject(conn, subject)

    def erase_with_tombstone(
        self, subject: SubjectId, tombstone: Tombstone, entry: AuditEntry, chain: AuditChain
    ) -> Mapping[str, int]:
        return erase_with_tombstone(self._db, subject, tombstone, entry, chain)

    def export_subject(self, subject: SubjectId) -> Mapping[str, list[dict[str, Any]]]:
        """Every declared table's rows naming the subject, all columns, in one read."""
        return subject_rows(self._db, subject)

    def close(self) -> None:
        self._db.dispose()


def open_stores(url: str, *, sqlite_cache_mib: int = DEFAULT_CACHE_MIB) -> SqlStores:
    """Connect to ``url`` (``sqlite:///path.db`` or ``postgresql+psycopg://...``) and apply
    any pending migrations; raises ``StoreError`` if the database cannot be reached.
    ``sqlite_cache_mib``: SQLite's page cache per pooled connection."""
    engine = make_engine(url, sqlite_cache_mib=sqlite_cache_mib)
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return SqlStores(engine)
