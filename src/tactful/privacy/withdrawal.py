"""What a consent decision changes beyond the ledger.

Withdrawing a purpose (``denied``) deletes the signals derived under it and the events no
granted purpose covers any more; withdrawing ``personalization`` also takes the person out
of every model (the erasure path); withdrawing ``community`` leaves every community at once.
Granting any purpose lifts an erasure tombstone: the
person is back by their own choice, so their events are accepted again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from tactful.consent.ledger import granted_purposes
from tactful.consent.policy import EVENT_CATEGORY, ConsentPolicy
from tactful.privacy.forgetting import forget_everywhere
from tactful.privacy.keyring import Keyring
from tactful.recommend.model import Model
from tactful.store import ModelStore
from tactful.store.ports import Stores
from tactful.types import ConsentRecord, Decision, EventType, Purpose, SubjectId

State = Mapping[Purpose, Decision]


@dataclass(frozen=True, slots=True)
class Consequences:
    withdrawn: tuple[Purpose, ...] = ()
    events_deleted: int = 0
    signals_deleted: int = 0
    models_updated: tuple[str, ...] = ()
    tombstone_lifted: bool = False
    memberships_left: int = 0


def uncovered_types(state: State, policy: ConsentPolicy) -> frozenset[EventType]:
    """Event types whose category no granted purpose may use."""
    granted = granted_purposes(state)
    return frozenset(t for t, c in EVENT_CATEGORY.items() if not policy.purposes_for(c) & granted)


def _delete_uncovered(
    subject: SubjectId, denied: set[Purpose], after: State, stores: Stores, policy: ConsentPolicy
) -> tuple[int, int]:
    """Events no purpose covers and signals of the denied purposes. Runs on every denial,
    not only on a change, so repeating a failed withdrawal finishes it."""
    events = 0
    types = uncovered_types(after, policy)
    if types:
        events = stores.events.delete(subject=subject, types=types)
    signals = sum(stores.signals.delete(subject, purpose=p) for p in sorted(denied))
    return events, signals


def _lift(subject: SubjectId, stores: Stores, keyring: Keyring) -> bool:
    pseudonym = keyring.pseudonym(subject)
    return bool(stores.tombstones.find([pseudonym])) and stores.tombstones.lift(pseudonym)


def apply_decisions(
    subject: SubjectId,
    records: Sequence[ConsentRecord],
    *,
    before: State,
    after: State,
    stores: Stores,
    models: ModelStore[Model],
    policy: ConsentPolicy,
    keyring: Keyring,
    now: datetime,
) -> Consequences:
    """Carry out what just-recorded decisions mean for the data, signals and models."""
    withdrawn = tuple(
        p for p in Purpose if before[p] is Decision.GRANTED and after[p] is not Decision.GRANTED
    )
    denied = {r.purpose for r in records if after[r.purpose] is Decision.DENIED}
    events = signals = 0
    if denied:
        events, signals = _delete_uncovered(subject, denied, after, stores, policy)
    versions: list[str] = []
    if Purpose.PERSONALIZATION in withdrawn:
        versions = forget_everywhere(models, [subject], now=now)
    left = 0
    if Purpose.COMMUNITY in withdrawn or Purpose.COMMUNITY in denied:
        left = stores.communities.leave_all(subject)
    granted = any(r.decision is Decision.GRANTED for r in records)
    lifted = granted and _lift(subject, stores, keyring)
    return Consequences(withdrawn, events, signals, tuple(versions), lifted, left)
