"""The serving hot path: everything ``recommend_for`` reads about one person, in one read
transaction and three indexed queries (consents, preferences, events)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from tactful.consent.ledger import fold
from tactful.sql.database import Database
from tactful.sql.documents import preferences_from
from tactful.sql.events import event_of
from tactful.sql.tables import consents, events, preferences
from tactful.store.ports import SubjectView
from tactful.types import ConsentRecord, Decision, EventType, Purpose, SubjectId


def read_subject_view(
    db: Database, subject: SubjectId, *, require: Purpose, event_types: Collection[EventType]
) -> SubjectView:
    c = consents.c
    history = select(c.purpose, c.decision, c.at).where(c.subject_id == subject).order_by(c.seq)
    prefs = select(preferences.c.document).where(preferences.c.subject_id == subject)
    e = events.c
    stream = (
        select(events)
        .where(e.subject_id == subject, e.type.in_([EventType(t).value for t in event_types]))
        .order_by(e.occurred_at, e.event_id)
    )
    with db.reading("reading a subject for serving") as conn:
        state = fold(
            ConsentRecord(subject, Purpose(p), Decision(d), at)
            for p, d, at in conn.execute(history)
        )
        doc = conn.execute(prefs).scalar_one_or_none()
        granted = state[require] is Decision.GRANTED
        rows = [event_of(r) for r in conn.execute(stream)] if granted else []
    return SubjectView(state, preferences_from(doc) if doc is not None else None, tuple(rows))
