"""In-memory twins of the privacy ports (tombstones, the audit log) and the plain rows the
memory backend exports for a person; they share ``MemoryStores``' lock."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any

from tactful.store.ports import (
    GENESIS_HASH,
    HEAD_MISSING,
    AuditChain,
    AuditEntry,
    AuditHead,
    AuditRecord,
    Tombstone,
)


def as_rows(values: Iterable[Any], **extra: Any) -> list[dict[str, Any]]:
    """Dataclass values as dicts of their fields (what the SQL backend gives as columns)."""
    return [{**extra, **dataclasses.asdict(v)} for v in values]


def headless(last: AuditRecord, entries: Sequence[AuditEntry]) -> AuditEntry:
    """The entry that records a missing head before logging goes on from ``last``."""
    return AuditEntry(HEAD_MISSING, entries[0].at, "system", None, {"last_seq": last.seq})


def with_counts(entry: AuditEntry, counts: Mapping[str, int]) -> AuditEntry:
    """The erasure entry with the rows it deleted in its detail."""
    return dataclasses.replace(entry, detail={**entry.detail, "rows_deleted": dict(counts)})


class MemoryTombstoneStore:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._rows: dict[str, Tombstone] = {}

    def find(self, pseudonyms: Collection[str]) -> dict[str, Tombstone]:
        with self._lock:
            return {p: self._rows[p] for p in pseudonyms if p in self._rows}

    def lift(self, pseudonym: str) -> bool:
        with self._lock:
            return self._rows.pop(pseudonym, None) is not None

    def put(self, tombstone: Tombstone) -> None:
        with self._lock:
            self._rows[tombstone.pseudonym] = tombstone


class MemoryAuditLog:
    """The chain as a list; the head is kept apart, as in SQL, so a test can tamper with
    either and ``verify`` must notice."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._records: list[AuditRecord] = []
        self._head: AuditHead | None = None

    def append(self, entries: Sequence[AuditEntry], chain: AuditChain) -> list[AuditRecord]:
        with self._lock:
            head = self._head
            if head is not None:
                seq, prev = head.seq, head.hash
            elif self._records:
                last = max(self._records, key=lambda r: r.seq)
                seq, prev = last.seq, last.hash
                entries = [headless(last, entries), *entries] if entries else []
            else:
                seq, prev = 0, GENESIS_HASH
            out: list[AuditRecord] = []
            for entry in entries:
                seq += 1
                record = chain.link(entry, seq=seq, prev_hash=prev)
                out.append(record)
                prev = record.hash
            if out:
                self._records.extend(out)
                self._head = chain.seal(out[-1])
            return out

    def records(self, *, after: int = 0) -> Iterator[AuditRecord]:
        with self._lock:
            rows = [r for r in self._records if r.seq > after]
        yield from sorted(rows, key=lambda r: r.seq)

    def head(self) -> AuditHead | None:
        with self._lock:
            return self._head

    def about(self, pseudonym: str) -> list[AuditRecord]:
        with self._lock:
            return [r for r in self._records if r.entry.pseudonym == pseudonym]
