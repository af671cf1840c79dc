"""``SqlSignalStore``: derived signals per person, one row per (subject, kind)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, or_, select

from tactful.errors import InvalidInput
from tactful.sql.consents import read_state
from tactful.sql.database import Database
from tactful.sql.subject_locks import lock_subjects
from tactful.sql.tables import signals
from tactful.store.ports import Admit
from tactful.types import Purpose, Signal, SubjectId


def _row(sig: Signal, index: int) -> dict[str, Any]:
    if not sig.kind:
        raise InvalidInput("a signal needs a kind", field=f"signals[{index}].kind")
    return {
        "subject_id": sig.subject_id,
        "kind": sig.kind,
        "value": float(sig.value),
        "purpose": Purpose(sig.purpose).value,
        "created_at": sig.created_at,
        "expires_at": sig.expires_at,
        "detail": dict(sig.detail),
        "evidence": list(sig.evidence),
    }


def read_signals(conn: Connection, subject: SubjectId, now: datetime | None) -> list[Signal]:
    """A subject's stored signals by kind (only those live at ``now``, if given)."""
    if now is None:
        return [signal_of(r) for r in conn.execute(_ALL, {"subject": subject})]
    return [signal_of(r) for r in conn.execute(_LIVE, {"subject": subject, "now": now})]


# Built once: serving reads a person's signals on every request.
_ALL = select(signals).where(signals.c.subject_id == bindparam("subject")).order_by(signals.c.kind)
_LIVE = (
    select(signals)
    .where(
        signals.c.subject_id == bindparam("subject"),
        or_(signals.c.expires_at.is_(None), signals.c.expires_at > bindparam("now")),
    )
    .order_by(signals.c.kind)
)


def signal_of(r: Row[Any]) -> Signal:
    """A ``signals`` row as a ``Signal``."""
    return Signal(
        subject_id=r.subject_id,
        kind=r.kind,
        value=float(r.value),
        purpose=Purpose(r.purpose),
        created_at=r.created_at,
        expires_at=r.expires_at,
        detail=dict(r.detail),
        evidence=tuple(r.evidence),
    )


class SqlSignalStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _upsert(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        latest = {(r["subject_id"], r["kind"]): r for r in rows}  # a repeat keeps its last
        if not latest:
            return
        stmt = self._db.insert(signals)
        keys = ("subject_id", "kind")
        stmt = stmt.on_conflict_do_update(
            index_elements=[signals.c[k] for k in keys],
            set_={c.name: stmt.excluded[c.name] for c in signals.columns if c.name not in keys},
        )
        conn.execute(stmt, list(latest.values()))

    def put(self, batch: Sequence[Signal], *, admit: Admit[Signal] | None = None) -> int:
        """With ``admit``, the subjects' locks are taken (shared) and their consents read
        first, in the same transaction, and only what ``admit`` returns is written."""
        rows = [_row(s, i) for i, s in enumerate(batch)]
        with self._db.writing("saving signals") as conn:
            if admit is not None:
                subjects = {s.subject_id for s in batch}
                lock_subjects(conn, subjects, exclusive=False)
                admitted = admit(read_state(conn, subjects))
                rows = [_row(s, i) for i, s in enumerate(admitted) if s in batch]
            self._upsert(conn, rows)
        return len({(r["subject_id"], r["kind"]) for r in rows})

    def for_subject(self, subject: SubjectId, *, now: datetime | None = None) -> list[Signal]:
        with self._db.reading("reading signals") as conn:
            return read_signals(conn, subject, now)

    def delete(
        self,
        subject: SubjectId,
        *,
        kinds: Collection[str] | None = None,
        purpose: Purpose | None = None,
    ) -> int:
        with self._db.writing("deleting signals") as conn:
            return self._delete(conn, subject, kinds, purpose)

    def purge(self, *, before: datetime) -> int:
        stmt = delete(signals).where(signals.c.expires_at < before)
        with self._db.writing("purging expired signals") as conn:
            return int(conn.execute(stmt).rowcount)

    def replace(
        self,
        subject: SubjectId,
        purpose: Purpose,
        batch: Sequence[Signal],
        *,
        admit: Admit[Signal] | None = None,
    ) -> int:
        for i, sig in enumerate(batch):
            if sig.subject_id != subject or sig.purpose is not purpose:
                raise InvalidInput(
                    f"every signal must be {subject!r}'s, derived under {purpose.value}",
                    field=f"signals[{i}]",
                )
        rows = [_row(s, i) for i, s in enumerate(batch)]
        with self._db.writing("replacing signals") as conn:
            if admit is not None:
                lock_subjects(conn, [subject], exclusive=False)
                admitted = admit(read_state(conn, [subject]))
                rows = [_row(s, i) for i, s in enumerate(admitted) if s in batch]
            deleted = self._delete(conn, subject, None, purpose)
            self._upsert(conn, rows)
        return deleted

    @staticmethod
    def _delete(
        conn: Connection,
        subject: SubjectId,
        kinds: Collection[str] | None,
        purpose: Purpose | None,
    ) -> int:
        stmt = delete(signals).where(signals.c.subject_id == subject)
        if kinds is not None:
            if not kinds:
                return 0
            stmt = stmt.where(signals.c.kind.in_(list(kinds)))
        if purpose is not None:
            stmt = stmt.where(signals.c.purpose == Purpose(purpose).value)
        return int(conn.execute(stmt).rowcount)
