"""Erasure: every row of the person in every table, derived signals and caches, their
influence on every trained model, and a tombstone so that later events for the id are
refused (``erased_subject``) until the person grants consent again.

The rows, the tombstone and the audit record go in one database transaction; the models
follow right after (files cannot join a database transaction), so a crash in between leaves
the data gone and a retry finishes the models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tactful.privacy.access import Actor
from tactful.privacy.audit import Action, Chain
from tactful.privacy.forgetting import forget_everywhere
from tactful.privacy.keyring import Keyring
from tactful.recommend.model import Model
from tactful.store import ModelStore
from tactful.store.ports import AuditEntry, Stores, Tombstone
from tactful.types import SubjectId

ERASED = "erased_subject"
"""The ingest rejection reason for events of an erased id."""


@dataclass(frozen=True, slots=True)
class Receipt:
    """What an erasure did: rows deleted per table, model versions saved, the tombstone."""

    rows_deleted: dict[str, int]
    models_updated: tuple[str, ...]
    tombstone: Tombstone


def erase(
    subject: SubjectId,
    *,
    stores: Stores,
    models: ModelStore[Model],
    keyring: Keyring,
    actor: Actor,
    now: datetime,
) -> Receipt:
    """Erase the person everywhere and leave a tombstone; returns the receipt."""
    chain = Chain(keyring)
    pseudonym = keyring.pseudonym(subject)
    tombstone = Tombstone(pseudonym, now)
    entry = AuditEntry(Action.SUBJECT_ERASED, now, actor.label, pseudonym)
    counts = stores.erase_with_tombstone(subject, tombstone, entry, chain)
    versions = forget_everywhere(models, [subject], now=now)
    forgot = AuditEntry(
        Action.MODELS_FORGOT, now, actor.label, pseudonym,
        {"reason": "erasure", "versions": versions},
    )  # fmt: skip
    stores.audit.append([forgot], chain)
    return Receipt(dict(counts), tuple(versions), tombstone)


def blocked_ids(stores: Stores, keyring: Keyring, subjects: set[SubjectId]) -> frozenset[SubjectId]:
    """Which of these ids are tombstoned (one look-up for a whole batch)."""
    by_pseudonym = {keyring.pseudonym(s): s for s in subjects}
    found = stores.tombstones.find(list(by_pseudonym))
    return frozenset(by_pseudonym[p] for p in found)
