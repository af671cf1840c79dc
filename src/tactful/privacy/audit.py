"""The tamper-evident audit log: what to record, how records are chained, how to verify.

Each record's hash is the SHA-256 of its canonical JSON (number, time, action, actor,
pseudonym, detail and the previous record's hash), so editing, deleting or reordering any
record breaks the chain from there on. The head (newest number and hash) is sealed with a
keyed hash, so dropping the newest records, or rewriting the whole chain, shows too unless
the secret key is known as well. People appear only by pseudonym, never by id.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC
from enum import StrEnum
from typing import Any

from tactful.errors import InvalidInput
from tactful.privacy.keyring import AUDIT, Keyring
from tactful.store.ports import GENESIS_HASH, HEAD_MISSING, AuditEntry, AuditHead, AuditRecord

GENESIS = GENESIS_HASH


class Action(StrEnum):
    """What the audit log records."""

    CONSENT_RECORDED = "consent.recorded"
    SUBJECT_EXPORTED = "subject.exported"
    SUBJECT_ERASED = "subject.erased"
    MODELS_FORGOT = "models.forgot"
    SIGNAL_CORRECTED = "signal.corrected"
    REQUEST_NOTICED = "request.noticed"
    """A request stated in words came into force (``signals.asked``)."""
    REQUEST_LIFTED = "request.lifted"
    RETENTION_RUN = "retention.run"
    MODEL_TRAINED = "model.trained"
    PERSONAL_DATA_READ = "personal_data.read"
    TOKEN_ISSUED = "token.issued"
    COMMUNITY_JOINED = "community.joined"
    COMMUNITY_LEFT = "community.left"


def plain(detail: Mapping[str, Any]) -> dict[str, Any]:
    """The detail as plain JSON values (what is stored is exactly what was hashed)."""
    try:
        out: dict[str, Any] = json.loads(json.dumps(dict(detail), sort_keys=True))
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"audit detail must be plain JSON: {exc}", field="detail") from None
    return out


def canonical(entry: AuditEntry, *, seq: int, prev_hash: str) -> bytes:
    """The bytes a record's hash is taken over."""
    body = {
        "seq": seq,
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "action": entry.action,
        "actor": entry.actor,
        "pseudonym": entry.pseudonym,
        "detail": entry.detail,
        "prev": prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class Chain:
    """Links records (plain SHA-256) and seals the head (HMAC with the audit key)."""

    def __init__(self, keyring: Keyring) -> None:
        self._keyring = keyring

    def link(self, entry: AuditEntry, *, seq: int, prev_hash: str) -> AuditRecord:
        fixed = AuditEntry(
            entry.action, entry.at, entry.actor, entry.pseudonym, plain(entry.detail)
        )
        digest = hashlib.sha256(canonical(fixed, seq=seq, prev_hash=prev_hash)).hexdigest()
        return AuditRecord(seq, fixed, prev_hash, digest)

    def seal(self, record: AuditRecord) -> AuditHead:
        return AuditHead(record.seq, record.hash, self._seal(record.seq, record.hash))

    def _seal(self, seq: int, digest: str) -> str:
        return self._keyring.mac(AUDIT, f"{seq}:{digest}".encode())

    def sealed(self, head: AuditHead) -> bool:
        """Whether the head's seal was made with this key."""
        return head.seal == self._seal(head.seq, head.hash)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of checking the whole log: intact, or the first bad record and why."""

    records: int
    head: AuditHead | None
    first_bad: int | None = None
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def _check(record: AuditRecord, seq: int, prev: str, chain: Chain) -> str | None:
    if record.seq > seq:
        return f"record {seq} is missing (the next one is {record.seq})"
    if record.seq < seq:
        return f"record {record.seq} appears twice or out of order"
    if record.prev_hash != prev:
        return f"record {seq} does not follow record {seq - 1} (moved, replaced or reordered)"
    if chain.link(record.entry, seq=seq, prev_hash=prev).hash != record.hash:
        return f"record {seq} was altered (its content no longer matches its hash)"
    if record.entry.action == HEAD_MISSING:
        return f"record {seq}: the head was missing, so newer records may have been removed"
    return None


def _check_head(
    last: AuditRecord | None, head: AuditHead | None, chain: Chain
) -> tuple[int, str] | None:
    """The head must be sealed and name exactly the last record."""
    upto = 0 if last is None else last.seq
    if head is None:
        if last is None:
            return None
        return upto, "the head is missing (the newest records may have been removed)"
    if not chain.sealed(head):
        return head.seq, "the head's seal is not valid for this secret key"
    if head.seq > upto:
        return upto + 1, f"record {upto + 1} is missing: the head names record {head.seq}"
    if head.seq < upto:
        return head.seq + 1, f"record {head.seq + 1} was added behind the head's back"
    if last is not None and head.hash != last.hash:
        return head.seq, f"record {head.seq} does not match the head"
    return None


def verify(records: Iterable[AuditRecord], head: AuditHead | None, chain: Chain) -> Verdict:
    """Walk the chain from the first record; stop at the first that does not fit."""
    prev, seq, last = GENESIS, 1, None
    for record in records:
        problem = _check(record, seq, prev, chain)
        if problem is not None:
            return Verdict(seq - 1, head, seq, problem)
        prev, seq, last = record.hash, seq + 1, record
    bad = _check_head(last, head, chain)
    if bad is not None:
        return Verdict(seq - 1, head, bad[0], bad[1])
    return Verdict(seq - 1, head)
