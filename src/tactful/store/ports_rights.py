"""The privacy ports: tombstones of erased people and the hash-chained audit log.
Re-exported from ``tactful.store.ports``."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


# -- privacy: tombstones and the audit log ---------------------------------------------------
@dataclass(frozen=True, slots=True)
class Tombstone:
    """What is left of an erased person: the pseudonym (keyed hash) of their id and when."""

    pseudonym: str
    erased_at: datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """Something worth accounting for. People appear only by pseudonym; ``detail`` is plain
    JSON (no raw ids, no sensitive values)."""

    action: str
    at: datetime
    actor: str
    pseudonym: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """An entry as stored: its place in the chain, the previous record's hash and its own."""

    seq: int
    entry: AuditEntry
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class AuditHead:
    """The newest record's number and hash, sealed with a keyed hash."""

    seq: int
    hash: str
    seal: str


class AuditChain(Protocol):
    """How records are linked and the head sealed (``tactful.privacy.audit.Chain``)."""

    def link(self, entry: AuditEntry, *, seq: int, prev_hash: str) -> AuditRecord: ...

    def seal(self, record: AuditRecord) -> AuditHead: ...


class TombstoneStore(Protocol):
    def find(self, pseudonyms: Collection[str]) -> dict[str, Tombstone]:
        """The tombstones among these pseudonyms."""
        ...

    def lift(self, pseudonym: str) -> bool:
        """Remove a tombstone (new consent was granted); whether there was one."""
        ...


GENESIS_HASH = "0" * 64
"""The previous hash of the first audit record."""
HEAD_MISSING = "audit.head_missing"
"""Appended (before the new entries) when the log has records but its head is gone: logging
goes on from the last record, and the gap stays on the record for ``verify`` to report."""


class AuditLog(Protocol):
    def append(self, entries: Sequence[AuditEntry], chain: AuditChain) -> list[AuditRecord]:
        """Link the entries after the head and store them with the new head, in one
        transaction; concurrent appends are serialised. Without a head but with records,
        first appends a ``HEAD_MISSING`` entry linked to the last record."""
        ...

    def records(self, *, after: int = 0) -> Iterator[AuditRecord]:
        """Every record with ``seq > after``, in chain order (read page by page)."""
        ...

    def head(self) -> AuditHead | None: ...

    def about(self, pseudonym: str) -> list[AuditRecord]:
        """The records naming this pseudonym, in chain order."""
        ...
