"""Privacy on SQL: tombstones, the hash-chained audit log, and a person's rows in every
declared table (export and erasure are derived from ``tactful.sql.tables``' declarations).

Audit appends are serialised: SQLite write transactions already are (``BEGIN IMMEDIATE``);
on PostgreSQL a transaction-scoped advisory lock does it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, text

from tactful.sql import tables
from tactful.sql.database import Database, chunks
from tactful.sql.subject_locks import lock_subjects
from tactful.sql.tables import audit_head, audit_log, tombstones
from tactful.store.ports import (
    GENESIS_HASH,
    HEAD_MISSING,
    AuditChain,
    AuditEntry,
    AuditHead,
    AuditRecord,
    Tombstone,
)
from tactful.types import SubjectId

AUDIT_LOCK_KEY = 0x7AC7A0D1
PAGE = 5000


def delete_subject(conn: Connection, subject: SubjectId) -> dict[str, int]:
    """Delete the subject from every table declaring a subject column; rows per table."""
    declared = tables.personal_tables()
    counts: dict[str, int] = {}
    for table in reversed(tables.metadata.sorted_tables):  # children before parents
        column = declared.get(table.name)
        if column is not None:
            result = conn.execute(delete(table).where(table.c[column] == subject))
            counts[table.name] = result.rowcount
    return counts


def subject_rows(db: Database, subject: SubjectId) -> dict[str, list[dict[str, Any]]]:
    """Every row naming the subject in every declared table, all columns, in one read."""
    out: dict[str, list[dict[str, Any]]] = {}
    with db.reading("exporting a subject") as conn:
        for name, column in sorted(tables.personal_tables().items()):
            table = tables.metadata.tables[name]
            order = list(table.primary_key.columns) or list(table.columns)
            stmt = select(table).where(table.c[column] == subject).order_by(*order)
            out[name] = [dict(r._mapping) for r in conn.execute(stmt)]
    return out


def _record(r: Any) -> AuditRecord:
    entry = AuditEntry(r.action, r.at, r.actor, r.pseudonym, r.detail)
    return AuditRecord(r.seq, entry, r.prev_hash, r.hash)


def _start(conn: Connection) -> tuple[int, str, AuditRecord | None]:
    """Where the chain continues: the head, else the last record (a lost head), else the
    genesis. The third value is the last record when the head was lost."""
    head = conn.execute(select(audit_head).where(audit_head.c.id == 1)).first()
    if head is not None:
        return head.seq, head.hash, None
    last = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).first()
    if last is None:
        return 0, GENESIS_HASH, None
    record = _record(last)
    return record.seq, record.hash, record


def append_audit(
    conn: Connection, dialect: str, entries: Sequence[AuditEntry], chain: AuditChain
) -> list[AuditRecord]:
    """Link and insert the entries and move the head, inside the caller's transaction."""
    if not entries:
        return []
    if dialect == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})
    seq, prev, lost = _start(conn)
    if lost is not None:
        marker = AuditEntry(HEAD_MISSING, entries[0].at, "system", None, {"last_seq": lost.seq})
        entries = [marker, *entries]
    out: list[AuditRecord] = []
    for entry in entries:
        seq += 1
        record = chain.link(entry, seq=seq, prev_hash=prev)
        out.append(record)
        prev = record.hash
    conn.execute(audit_log.insert(), [_audit_row(r) for r in out])
    sealed = chain.seal(out[-1])
    head = {"seq": sealed.seq, "hash": sealed.hash, "seal": sealed.seal}
    if conn.execute(audit_head.update().where(audit_head.c.id == 1).values(head)).rowcount == 0:
        conn.execute(audit_head.insert().values(id=1, **head))
    return out


def _audit_row(r: AuditRecord) -> dict[str, Any]:
    e = r.entry
    return {
        "seq": r.seq,
        "at": e.at,
        "action": e.action,
        "actor": e.actor,
        "pseudonym": e.pseudonym,
        "detail": dict(e.detail),
        "prev_hash": r.prev_hash,
        "hash": r.hash,
    }


def put_tombstone(conn: Connection, db: Database, tombstone: Tombstone) -> None:
    row = {"pseudonym": tombstone.pseudonym, "erased_at": tombstone.erased_at}
    stmt = db.insert(tombstones).values(row)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[tombstones.c.pseudonym], set_={"erased_at": stmt.excluded.erased_at}
        )
    )


_TOMBSTONES = select(tombstones).where(
    tombstones.c.pseudonym.in_(bindparam("pseudonyms", expanding=True))
)
"""Built once: every ingest batch looks its people up."""


class SqlTombstoneStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def find(self, pseudonyms: Collection[str]) -> dict[str, Tombstone]:
        found: dict[str, Tombstone] = {}
        if not pseudonyms:
            return found
        wanted = set(pseudonyms)
        with self._db.looking_up("reading tombstones", len(wanted)) as conn:
            for batch in chunks(wanted):
                for r in conn.execute(_TOMBSTONES, {"pseudonyms": batch}):
                    found[r.pseudonym] = Tombstone(r.pseudonym, r.erased_at)
        return found

    def lift(self, pseudonym: str) -> bool:
        stmt = delete(tombstones).where(tombstones.c.pseudonym == pseudonym)
        with self._db.writing("lifting a tombstone") as conn:
            return conn.execute(stmt).rowcount > 0


class SqlAuditLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    def append(self, entries: Sequence[AuditEntry], chain: AuditChain) -> list[AuditRecord]:
        with self._db.writing("appending to the audit log") as conn:
            return append_audit(conn, self._db.dialect, entries, chain)

    def records(self, *, after: int = 0) -> Iterator[AuditRecord]:
        while True:
            stmt = (
                select(audit_log)
                .where(audit_log.c.seq > after)
                .order_by(audit_log.c.seq)
                .limit(PAGE)
            )
            with self._db.reading("reading the audit log") as conn:
                page = [_record(r) for r in conn.execute(stmt)]
            yield from page
            if len(page) < PAGE:
                return
            after = page[-1].seq

    def head(self) -> AuditHead | None:
        with self._db.reading("reading the audit head") as conn:
            r = conn.execute(select(audit_head).where(audit_head.c.id == 1)).first()
        return None if r is None else AuditHead(r.seq, r.hash, r.seal)

    def about(self, pseudonym: str) -> list[AuditRecord]:
        stmt = select(audit_log).where(audit_log.c.pseudonym == pseudonym)
        with self._db.reading("reading the audit log") as conn:
            return [_record(r) for r in conn.execute(stmt.order_by(audit_log.c.seq))]


def erase_with_tombstone(
    db: Database, subject: SubjectId, tombstone: Tombstone, entry: AuditEntry, chain: AuditChain
) -> dict[str, int]:
    """Delete the subject everywhere, leave the tombstone and log it: one transaction,
    holding the person's write lock, so a write in flight that re-checks consent inside its
    own transaction (``admit``) finds none and stores nothing."""
    with db.writing("erasing a subject") as conn:
        lock_subjects(conn, [subject], exclusive=True)
        counts = delete_subject(conn, subject)
        put_tombstone(conn, db, tombstone)
        append_audit(conn, db.dialect, [with_counts(entry, counts)], chain)
    return counts


def with_counts(entry: AuditEntry, counts: Mapping[str, int]) -> AuditEntry:
    """The erasure entry with the rows it deleted in its detail."""
    return replace(entry, detail={**entry.detail, "rows_deleted": dict(counts)})
