"""The SQL event store: bulk, de-duplicating writes and indexed reads by subject."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    and_,
    any_,
    bindparam,
    delete,
    func,
    select,
)
from sqlalchemy.dialects import postgresql

from tactful.errors import InvalidInput
from tactful.sql.consents import read_state
from tactful.sql.database import CHUNK, Database, chunks
from tactful.sql.subject_locks import lock_subjects
from tactful.sql.tables import events as t
from tactful.store.ports import AddResult, Admit, ItemRow
from tactful.types import Event, EventId, EventType, SubjectId

SCAN_PAGE = 5000
ROW_PAGE = 50_000
"""Rows ``item_rows`` fetches from the cursor at a time (four short columns each)."""


def _row(e: Event) -> dict[str, Any]:
    return {
        "event_id": e.event_id,
        "subject_id": e.subject_id,
        "type": e.type.value,
        "item_id": e.item_id,
        "value": e.value,
        "text": e.text,
        "source": e.source,
        "occurred_at": e.occurred_at,
    }


def event_of(r: Row[Any]) -> Event:
    return Event(
        event_id=r.event_id,
        subject_id=r.subject_id,
        type=EventType(r.type),
        occurred_at=r.occurred_at,
        item_id=r.item_id,
        value=r.value,
        text=r.text,
        source=r.source,
    )


# Built once (ingest runs them for every batch); ``ids`` expands to one chunk of ids.
_STORED = select(t.c.event_id).where(t.c.event_id.in_(bindparam("ids", expanding=True)))


def _types_filter(types: Collection[EventType] | None) -> list[ColumnElement[bool]]:
    return [] if types is None else [t.c.type.in_([EventType(x).value for x in types])]


class SqlEventStore:
    """Events keyed by ``event_id``; ``add`` never stores an id twice, even under races."""

    def __init__(self, db: Database) -> None:
        self._db = db
        lite = db.insert(t).on_conflict_do_nothing(index_elements=[t.c.event_id])
        self._lite_insert = lite.returning(t.c.event_id)

    def add(self, events: Sequence[Event], *, admit: Admit[Event] | None = None) -> AddResult:
        """One transaction: one bulk INSERT of the batch's first occurrence of each id with
        ON CONFLICT DO NOTHING, whose RETURNING tells which rows really landed (so ids stored
        before, or by a concurrent writer, are reported as duplicates). Callers that want to
        skip known ids up front use ``existing_ids`` (ingest does). With ``admit``, the
        subjects' locks are taken (shared) and their consents read first, in the same
        transaction, and only what ``admit`` returns is inserted."""
        if not events:
            return AddResult(0)
        with self._db.writing("adding events") as conn:
            if admit is not None:
                subjects = {e.subject_id for e in events}
                lock_subjects(conn, subjects, exclusive=False)
                events = admit(read_state(conn, subjects))
            fresh: dict[EventId, Event] = {}
            for e in events:
                fresh.setdefault(e.event_id, e)
            landed = self._insert(conn, [_row(e) for e in fresh.values()]) if fresh else set()
        seen: set[EventId] = set()
        duplicates: list[EventId] = []
        for e in events:
            if e.event_id in seen or e.event_id not in landed:
                duplicates.append(e.event_id)
            seen.add(e.event_id)
        return AddResult(len(landed), tuple(duplicates))

    def _insert(self, conn: Connection, rows: list[dict[str, Any]]) -> set[EventId]:
        """INSERT ... ON CONFLICT DO NOTHING RETURNING event_id: an executemany on SQLite;
        on PostgreSQL one array per column through ``unnest``, because psycopg re-parses a
        large multi-row VALUES statement for every page, which made executemany 5x slower."""
        if self._db.dialect == "postgresql":
            cols = list(t.columns)
            arrays = select(
                *(func.unnest(bindparam(c.name, type_=postgresql.ARRAY(c.type))) for c in cols)
            )
            stmt = postgresql.insert(t).from_select([c.name for c in cols], arrays)
            stmt = stmt.on_conflict_do_nothing(index_elements=[t.c.event_id])
            columns = {c.name: [r[c.name] for r in rows] for c in cols}
            return set(conn.scalars(stmt.returning(t.c.event_id), columns))
        return set(conn.scalars(self._lite_insert, rows))

    def _stored(self, conn: Connection, ids: Collection[EventId]) -> set[EventId]:
        """Which ids are stored: chunked ``IN (...)``, or one array on PostgreSQL."""
        found: set[EventId] = set()
        if self._db.dialect == "postgresql":
            param = bindparam("ids", type_=postgresql.ARRAY(t.c.event_id.type))
            stmt = select(t.c.event_id).where(t.c.event_id == any_(param))
            for part in chunks(ids, 20 * CHUNK):
                found.update(conn.scalars(stmt, {"ids": part}))
            return found
        for part in chunks(ids):
            found.update(conn.scalars(_STORED, {"ids": part}))
        return found

    def existing_ids(self, ids: Collection[EventId]) -> set[EventId]:
        wanted = set(ids)
        with self._db.looking_up("looking up event ids", len(wanted)) as conn:
            return self._stored(conn, wanted)

    def for_subject(
        self,
        subject: SubjectId,
        *,
        since: datetime | None = None,
        types: Collection[EventType] | None = None,
    ) -> list[Event]:
        """Served by the (subject_id, occurred_at) index."""
        where = [t.c.subject_id == subject, *_types_filter(types)]
        if since is not None:
            where.append(t.c.occurred_at >= since)
        stmt = select(t).where(*where).order_by(t.c.occurred_at, t.c.event_id)
        with self._db.reading("reading a subject's events") as conn:
            return [event_of(r) for r in conn.execute(stmt)]

    def scan(
        self,
        *,
        types: Collection[EventType] | None = None,
        subjects: Collection[SubjectId] | None = None,
    ) -> Iterator[Event]:
        """Pages by event id, each page its own short transaction, so a slow consumer holds
        no connection and no snapshot open."""
        if subjects is None:
            yield from self._pages(_types_filter(types))
            return
        for part in chunks(sorted(set(subjects))):
            yield from self._pages([*_types_filter(types), t.c.subject_id.in_(part)])

    def _pages(self, where: list[ColumnElement[bool]]) -> Iterator[Event]:
        after: EventId | None = None
        while True:
            page_where = where if after is None else [*where, t.c.event_id > after]
            stmt = select(t).where(*page_where).order_by(t.c.event_id).limit(SCAN_PAGE)
            with self._db.reading("scanning events") as conn:
                page = [event_of(r) for r in conn.execute(stmt)]
            yield from page
            if len(page) < SCAN_PAGE:
                return
            after = page[-1].event_id

    def item_rows(self, types: Collection[EventType]) -> Iterator[ItemRow]:
        """One statement, streamed ``ROW_PAGE`` rows at a time (a server-side cursor on
        PostgreSQL), so training reads one consistent snapshot in a single pass over the
        table; only the four columns it needs are read (no text, no dates). Types are
        filtered here rather than in SQL: nearly every row qualifies, and SQLite would
        otherwise walk the (type, occurred_at) index, 2.7x slower than the table scan. The
        read lasts as long as the consumer takes, so consumers accumulate, not do I/O."""
        wanted = {EventType(x).value for x in types}
        cols = (t.c.subject_id, t.c.item_id, t.c.type, t.c.value)
        stmt = select(*cols).where(t.c.item_id.is_not(None))
        with self._db.reading("reading events for training") as conn:
            result = conn.execution_options(yield_per=ROW_PAGE).execute(stmt)
            for page in result.partitions():
                for subject, item, kind, value in page:
                    if kind in wanted:
                        yield subject, item, kind, value

    def delete(
        self,
        *,
        subject: SubjectId | None = None,
        types: Collection[EventType] | None = None,
        before: datetime | None = None,
    ) -> int:
        if subject is None and types is None and before is None:
            raise InvalidInput("delete needs at least one filter", field="filters")
        where = _types_filter(types)
        if subject is not None:
            where.append(t.c.subject_id == subject)
        if before is not None:
            where.append(t.c.occurred_at < before)
        with self._db.writing("deleting events") as conn:
            return conn.execute(delete(t).where(and_(*where))).rowcount

    def delete_ids(self, subject: SubjectId, ids: Collection[EventId]) -> int:
        gone = 0
        with self._db.writing("deleting events") as conn:
            for batch in chunks(sorted(set(ids))):
                stmt = delete(t).where(t.c.subject_id == subject, t.c.event_id.in_(batch))
                gone += conn.execute(stmt).rowcount
        return gone

    def count(self) -> int:
        with self._db.reading("counting events") as conn:
            return int(conn.scalar(select(func.count()).select_from(t)) or 0)
