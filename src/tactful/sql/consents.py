"""The SQL consent ledger: an append-only history whose current state is folded in SQL with
the same rule as ``tactful.consent.ledger.fold`` (latest ``at`` wins, ties by recording order).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, bindparam, func, select

from tactful.sql.database import Database, chunks
from tactful.sql.subject_locks import lock_subjects
from tactful.sql.tables import consents as t
from tactful.types import ConsentRecord, Decision, Purpose, SubjectId


def _row(r: ConsentRecord) -> dict[str, Any]:
    return {
        "subject_id": r.subject_id,
        "purpose": Purpose(r.purpose).value,
        "decision": Decision(r.decision).value,
        "at": r.at,
        "source": r.source,
        "policy_version": r.policy_version,
    }


def record_of(r: Any) -> ConsentRecord:
    """A stored ledger row as the record it was written from."""
    return ConsentRecord(
        r.subject_id, Purpose(r.purpose), Decision(r.decision), r.at, r.source, r.policy_version
    )


def _latest(where: ColumnElement[bool]) -> Select[str, str, str]:
    """The latest decision per (subject, purpose) among rows matching ``where``."""
    rank = (
        func.row_number()
        .over(partition_by=(t.c.subject_id, t.c.purpose), order_by=(t.c.at.desc(), t.c.seq.desc()))
        .label("rank")
    )
    ranked = select(t.c.subject_id, t.c.purpose, t.c.decision, rank).where(where).subquery()
    return select(ranked.c.subject_id, ranked.c.purpose, ranked.c.decision).where(
        ranked.c.rank == 1
    )


_LATEST_OF = _latest(t.c.subject_id.in_(bindparam("subjects", expanding=True)))
"""Built once: every ingest batch and signal write reads its people's state with it."""


def read_state(
    conn: Connection, subjects: Collection[SubjectId]
) -> dict[SubjectId, dict[Purpose, Decision]]:
    """Folded current state for each subject, read on ``conn`` (inside its transaction)."""
    out = {s: dict.fromkeys(Purpose, Decision.UNSET) for s in subjects}
    for part in chunks(list(out)):
        for subject, purpose, decision in conn.execute(_LATEST_OF, {"subjects": part}):
            out[subject][Purpose(purpose)] = Decision(decision)
    return out


class SqlConsentStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def append(self, records: Sequence[ConsentRecord]) -> None:
        if not records:
            return
        with self._db.writing("recording consent") as conn:
            lock_subjects(conn, {r.subject_id for r in records}, exclusive=True)
            conn.execute(t.insert(), [_row(r) for r in records])

    def history(self, subject: SubjectId) -> list[ConsentRecord]:
        stmt = select(t).where(t.c.subject_id == subject).order_by(t.c.seq)
        with self._db.reading("reading consent history") as conn:
            return [record_of(r) for r in conn.execute(stmt)]

    def current_many(
        self, subjects: Collection[SubjectId]
    ) -> dict[SubjectId, dict[Purpose, Decision]]:
        with self._db.reading("reading consent state") as conn:
            return read_state(conn, subjects)

    def subjects_granted(self, purpose: Purpose) -> set[SubjectId]:
        stmt = _latest(t.c.purpose == Purpose(purpose).value)
        with self._db.reading("reading consent state") as conn:
            return {s for s, _, d in conn.execute(stmt) if d == Decision.GRANTED.value}
