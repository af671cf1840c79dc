"""The serving hot path: everything serving reads about one person, as stored, in one read
transaction and at most four indexed queries (their stamp, preferences and consents in one;
their events; and when asked for, stored signals and recent exposures); and the cheap read
that tells a cached recommendation whether it still holds."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, literal, or_, select, true

from tactful.consent.ledger import fold
from tactful.sql.database import Database
from tactful.sql.documents import preferences_from
from tactful.sql.records import RECENT_COLUMNS, read_recent, recent_of
from tactful.sql.signals import read_signals
from tactful.sql.tables import consents, events, exposures, preferences, subject_stamps
from tactful.store.ports import SubjectView
from tactful.types import ConsentRecord, Decision, Event, EventType, Exposure, Purpose, SubjectId

_TYPES = {t.value: t for t in EventType}
# Built once: composing the statements cost more per request than running them.
_STAMP = select(subject_stamps.c.stamp).where(subject_stamps.c.subject_id == bindparam("subject"))
_PREFS = select(preferences.c.document).where(preferences.c.subject_id == bindparam("subject"))
_ONE = select(literal(1).label("one")).subquery("one")
# One statement, so one snapshot: the stamp, the preferences document (on every row) and the
# consent history (one row with a null purpose when there is none). A write that lands
# before the later statements then makes the stamp look old (a needless re-read later),
# never the data (a stale cache).
_HEAD = (
    select(
        _STAMP.scalar_subquery(),
        _PREFS.scalar_subquery(),
        consents.c.purpose,
        consents.c.decision,
        consents.c.at,
    )
    .select_from(_ONE.outerjoin(consents, consents.c.subject_id == bindparam("subject")))
    .order_by(consents.c.seq)
)
_STREAM = (
    select(
        events.c.event_id,
        events.c.type,
        events.c.occurred_at,
        events.c.item_id,
        events.c.value,
        events.c.text,
        events.c.source,
    )
    .where(
        events.c.subject_id == bindparam("subject"),
        events.c.type.in_(bindparam("types", expanding=True)),
    )
    .order_by(events.c.occurred_at, events.c.event_id)
)


def _events_of(subject: SubjectId, rows: Sequence[Sequence[Any]]) -> list[Event]:
    """``event_of`` for the serving read, from positional columns (a dict look-up per type
    instead of an enum call): the same events, a fraction of the Python work."""
    return [
        Event(event_id, subject, _TYPES[kind], at, item_id, value, text, source)
        for event_id, kind, at, item_id, value, text, source in rows
    ]


def read_subject_view(
    db: Database,
    subject: SubjectId,
    *,
    event_types: Collection[EventType],
    signals_at: datetime | None = None,
    exposures_since: datetime | None = None,
    exposure_limit: int = 0,
) -> SubjectView:
    who = {"subject": subject}
    with db.reading("reading a subject for serving") as conn:
        head = conn.execute(_HEAD, who).all()
        stamp, doc = head[0][0], head[0][1]
        state = fold(
            ConsentRecord(subject, Purpose(p), Decision(d), at)
            for _, _, p, d, at in head
            if p is not None
        )
        types = {"subject": subject, "types": [EventType(t).value for t in event_types]}
        rows = _events_of(subject, conn.execute(_STREAM, types).all()) if event_types else []
        found = read_signals(conn, subject, signals_at) if signals_at is not None else []
        shown = (
            read_recent(conn, subject, since=exposures_since, limit=exposure_limit)
            if exposures_since is not None
            else []
        )
    ids, recent = (tuple(z) for z in zip(*shown, strict=True)) if shown else ((), ())
    return SubjectView(
        state,
        preferences_from(doc) if doc is not None else None,
        tuple(rows),
        tuple(found),
        recent,
        ids,
        stamp,
    )


_NEWER = (
    select(*RECENT_COLUMNS)
    .where(
        exposures.c.subject_id == bindparam("subject"),
        exposures.c.at >= bindparam("since"),
        or_(exposures.c.id > bindparam("after"), exposures.c.at >= bindparam("recent")),
    )
    .order_by(exposures.c.at.desc(), exposures.c.id.desc())
    .limit(bindparam("limit"))
    .subquery()
)
# One statement, so one snapshot without a transaction around it: the stamp, and beside it
# the exposures newer than what the cache has seen (no row at all: the stamp is gone).
_CHECK = (
    select(subject_stamps.c.stamp, *_NEWER.c)
    .select_from(subject_stamps.outerjoin(_NEWER, true()))
    .where(subject_stamps.c.subject_id == bindparam("subject"))
)


def read_exposures_if_unchanged(
    db: Database,
    subject: SubjectId,
    *,
    stamp: int,
    since: datetime,
    limit: int,
    after: int,
    recent: datetime,
) -> tuple[tuple[int, Exposure], ...] | None:
    """None when the subject's stamp moved on; otherwise their newer exposures."""
    bound = {"subject": subject, "since": since, "limit": max(limit, 0)}
    with db.statement("checking a cached recommendation") as conn:
        rows = db.driver_query(_CHECK).run(conn, {**bound, "after": after, "recent": recent})
    if not rows or rows[0][0] != stamp:
        return None
    return tuple(recent_of(subject, (r[1:] for r in reversed(rows) if r[1] is not None)))
