"""The SQL insights port: windowed, set-wise reads for connection health and fairness."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import replace
from datetime import datetime

from sqlalchemy import or_, select

from tactful.records import Case, ContactDecision
from tactful.sql.consents import record_of
from tactful.sql.database import Database, chunks
from tactful.sql.documents import preferences_from
from tactful.sql.engage import decision_of
from tactful.sql.events import event_of
from tactful.sql.handoffs import case_of
from tactful.sql.signals import signal_of
from tactful.sql.tables import (
    consents,
    contact_decisions,
    events,
    exposures,
    handoff_cases,
    preferences,
)
from tactful.sql.tables import signals as signal_rows
from tactful.types import (
    ConsentRecord,
    Event,
    EventType,
    Exposure,
    Preferences,
    Signal,
    SubjectId,
)


class SqlInsightStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def events(
        self, *, start: datetime, end: datetime, types: Collection[EventType] | None = None
    ) -> Iterator[Event]:
        stmt = select(events).where(events.c.occurred_at >= start, events.c.occurred_at < end)
        if types is not None:
            stmt = stmt.where(events.c.type.in_([EventType(x).value for x in types]))
        with self._db.reading("reading events for insights") as conn:
            found = [event_of(r) for r in conn.execute(stmt)]
        yield from found

    def consent_history(self, *, until: datetime) -> list[ConsentRecord]:
        t = consents
        stmt = select(t).where(t.c.at < until).order_by(t.c.seq)
        with self._db.reading("reading consent history for insights") as conn:
            return [record_of(r) for r in conn.execute(stmt)]

    def exposures(self, *, start: datetime, end: datetime) -> list[Exposure]:
        t = exposures
        stmt = (
            select(t.c.subject_id, t.c["items"], t.c.model_version, t.c.at, t.c.context)
            .add_columns(t.c.personalized, t.c.held_back)
            .where(t.c.at >= start, t.c.at < end)
            .order_by(t.c.at, t.c.id)
        )
        with self._db.reading("reading exposures for insights") as conn:
            return [
                Exposure(
                    subject_id=r.subject_id,
                    items=tuple(r.items),
                    reasons={},
                    model_version=r.model_version,
                    at=r.at,
                    context=r.context,
                    personalized=bool(r.personalized),
                    held_back=dict(r.held_back or {}),
                )
                for r in conn.execute(stmt)
            ]

    def decisions(self, *, start: datetime, end: datetime) -> list[ContactDecision]:
        t = contact_decisions
        stmt = (
            select(t)
            .where(t.c.decided_at >= start, t.c.decided_at < end)
            .order_by(t.c.decided_at, t.c.decision_id)
        )
        with self._db.reading("reading contact decisions for insights") as conn:
            found = [decision_of(r) for r in conn.execute(stmt)]
        return [replace(d, why=None) for d in found]

    def cases(self, *, start: datetime, end: datetime) -> list[Case]:
        t = handoff_cases
        stmt = (
            select(t)
            .where(t.c.opened_at < end, or_(t.c.resolved_at.is_(None), t.c.resolved_at >= start))
            .order_by(t.c.opened_at, t.c.case_id)
        )
        with self._db.reading("reading hand-off cases for insights") as conn:
            return [case_of(r) for r in conn.execute(stmt)]

    def preferences(self, subjects: Collection[SubjectId]) -> dict[SubjectId, Preferences]:
        t = preferences
        found: dict[SubjectId, Preferences] = {}
        with self._db.reading("reading preferences for insights") as conn:
            for part in chunks(sorted(set(subjects))):
                stmt = select(t.c.subject_id, t.c.document).where(t.c.subject_id.in_(part))
                found.update(
                    (r.subject_id, preferences_from(r.document)) for r in conn.execute(stmt)
                )
        return found

    def signals(self, kind: str) -> list[Signal]:
        stmt = select(signal_rows).where(signal_rows.c.kind == kind)
        with self._db.reading("reading signals for insights") as conn:
            return [signal_of(r) for r in conn.execute(stmt)]
