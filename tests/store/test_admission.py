"""The ``admit`` contract of ``EventStore.add``, ``SignalStore.put`` and ``.replace``, on every
backend: the store reads the consents inside the write, and a consent change for the same
person cannot commit while the write decides (so a withdrawal always wins)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from tactful.errors import InvalidInput
from tactful.records import Community, Membership
from tactful.store import Stores
from tactful.store.ports import ConsentState
from tactful.types import ConsentRecord, Decision, Event, EventType, Purpose, Signal

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
P = Purpose.PERSONALIZATION
COM = Purpose.COMMUNITY


def view(event_id: str, subject: str = "alice") -> Event:
    return Event(event_id, subject, EventType.VIEW, T0, item_id="i1")


def decide(stores: Stores, subject: str, decision: Decision, minutes: float = 0) -> None:
    at = T0 + timedelta(minutes=minutes)
    stores.consents.append([ConsentRecord(subject, P, decision, at)])


def test_add_stores_only_what_admit_returns_given_current_consents(stores: Stores) -> None:
    decide(stores, "alice", Decision.GRANTED)
    decide(stores, "bob", Decision.DENIED)
    batch = [view("a1"), view("b1", "bob"), view("c1", "carol")]
    seen: list[ConsentState] = []

    def admit(state: ConsentState) -> Sequence[Event]:
        seen.append(state)
        return [e for e in batch if state[e.subject_id][P] is Decision.GRANTED]

    result = stores.events.add(batch, admit=admit)
    assert result.accepted == 1 and result.duplicates == ()
    assert [e.event_id for e in stores.events.for_subject("alice")] == ["a1"]
    assert stores.events.count() == 1
    assert set(seen[0]) == {"alice", "bob", "carol"}
    assert seen[0]["carol"][P] is Decision.UNSET


def test_a_withdrawal_waits_for_the_write_that_is_deciding(stores: Stores) -> None:
    """While ``admit`` runs (inside the write), a concurrent withdrawal of the same person
    cannot commit: it lands after the insert, so the withdrawal's deletion sees the row."""
    decide(stores, "alice", Decision.GRANTED)
    done = threading.Event()

    def withdraw() -> None:
        decide(stores, "alice", Decision.DENIED, minutes=1)
        done.set()

    racer = threading.Thread(target=withdraw)

    def admit(state: ConsentState) -> Sequence[Event]:
        racer.start()
        assert not done.wait(0.5), "a withdrawal committed while the write was deciding"
        return [view("a1")] if state["alice"][P] is Decision.GRANTED else []

    assert stores.events.add([view("a1")], admit=admit).accepted == 1
    racer.join(10)
    assert done.is_set()
    assert stores.consents.current_many(["alice"])["alice"][P] is Decision.DENIED


def test_after_a_withdrawal_admit_sees_it(stores: Stores) -> None:
    decide(stores, "alice", Decision.GRANTED)
    decide(stores, "alice", Decision.DENIED, minutes=1)
    batch = [view("a1")]
    result = stores.events.add(
        batch, admit=lambda s: [e for e in batch if s[e.subject_id][P] is Decision.GRANTED]
    )
    assert result.accepted == 0 and stores.events.count() == 0


def signal(kind: str) -> Signal:
    return Signal("alice", kind, 0.5, Purpose.EMOTIONAL_CONTEXT, T0)


def test_replace_signals_stores_only_what_admit_returns(stores: Stores) -> None:
    stores.signals.replace("alice", Purpose.EMOTIONAL_CONTEXT, [signal("mood")])
    stores.consents.append([ConsentRecord("alice", Purpose.EMOTIONAL_CONTEXT, Decision.DENIED, T0)])
    fresh = [signal("mood"), signal("life_event:illness")]

    def admit(state: ConsentState) -> Sequence[Signal]:
        ok = state["alice"][Purpose.EMOTIONAL_CONTEXT] is Decision.GRANTED
        return fresh if ok else []

    assert stores.signals.replace("alice", Purpose.EMOTIONAL_CONTEXT, fresh, admit=admit) == 1
    assert stores.signals.for_subject("alice") == []
    stores.consents.append(
        [ConsentRecord("alice", Purpose.EMOTIONAL_CONTEXT, Decision.GRANTED, T0 + timedelta(1))]
    )
    stores.signals.replace("alice", Purpose.EMOTIONAL_CONTEXT, fresh, admit=admit)
    assert [s.kind for s in stores.signals.for_subject("alice")] == ["life_event:illness", "mood"]


def test_an_erasure_waits_for_the_write_that_is_deciding_and_removes_it(stores: Stores) -> None:
    decide(stores, "alice", Decision.GRANTED)
    done = threading.Event()

    def erase() -> None:
        stores.erase_subject("alice")
        done.set()

    racer = threading.Thread(target=erase)

    def admit(state: ConsentState) -> Sequence[Event]:
        racer.start()
        assert not done.wait(0.5), "an erasure committed while the write was deciding"
        return [view("a1")] if state["alice"][P] is Decision.GRANTED else []

    assert stores.events.add([view("a1")], admit=admit).accepted == 1
    racer.join(10)
    assert done.is_set() and stores.events.count() == 0
    again = [view("a2")]
    admitted = stores.events.add(
        again, admit=lambda s: [e for e in again if s[e.subject_id][P] is Decision.GRANTED]
    )
    assert admitted.accepted == 0 and stores.events.count() == 0


def test_a_join_rechecks_consent_inside_its_write(stores: Stores) -> None:
    stores.communities.upsert([Community("trail", "Trail Clean-ups")])
    stores.consents.append([ConsentRecord("alice", COM, Decision.GRANTED, T0)])
    stores.consents.append([ConsentRecord("alice", COM, Decision.DENIED, T0 + timedelta(1))])

    def admit(state: ConsentState) -> None:
        if state["alice"][COM] is not Decision.GRANTED:
            raise InvalidInput("needs community", field="community_id")

    with pytest.raises(InvalidInput):
        stores.communities.join(Membership("alice", "trail", T0), admit=admit)
    assert stores.communities.memberships("alice") == []
    stores.consents.append([ConsentRecord("alice", COM, Decision.GRANTED, T0 + timedelta(2))])
    stores.communities.join(Membership("alice", "trail", T0), admit=admit)
    assert [m.community_id for m in stores.communities.memberships("alice")] == ["trail"]


def test_put_signals_stores_only_what_admit_returns(stores: Stores) -> None:
    stores.consents.append([ConsentRecord("alice", Purpose.MESSAGING, Decision.GRANTED, T0)])
    tired = Signal("alice", "fatigue", 0.5, Purpose.MESSAGING, T0)
    other = Signal("bob", "fatigue", 0.5, Purpose.MESSAGING, T0)
    seen: list[ConsentState] = []

    def admit(state: ConsentState) -> Sequence[Signal]:
        seen.append(state)
        return [s for s in (tired, other) if state[s.subject_id][s.purpose] is Decision.GRANTED]

    assert stores.signals.put([tired, other], admit=admit) == 1
    assert set(seen[0]) == {"alice", "bob"}
    assert [s.kind for s in stores.signals.for_subject("alice")] == ["fatigue"]
    assert stores.signals.for_subject("bob") == []


def test_a_withdrawal_waits_for_the_signal_put_that_is_deciding(stores: Stores) -> None:
    """As for events: while ``admit`` runs inside the put, the person's withdrawal cannot
    commit, so it lands after the write (and its deletion sees the signal)."""
    stores.consents.append([ConsentRecord("alice", Purpose.MESSAGING, Decision.GRANTED, T0)])
    done = threading.Event()

    def withdraw() -> None:
        later = T0 + timedelta(minutes=1)
        stores.consents.append([ConsentRecord("alice", Purpose.MESSAGING, Decision.DENIED, later)])
        done.set()

    racer = threading.Thread(target=withdraw)
    tired = Signal("alice", "fatigue", 0.5, Purpose.MESSAGING, T0)

    def admit(state: ConsentState) -> Sequence[Signal]:
        racer.start()
        assert not done.wait(0.5), "a withdrawal committed while the signal write was deciding"
        return [tired] if state["alice"][Purpose.MESSAGING] is Decision.GRANTED else []

    assert stores.signals.put([tired], admit=admit) == 1
    racer.join(10)
    assert done.is_set()
    assert stores.consents.current_many(["alice"])["alice"][Purpose.MESSAGING] is Decision.DENIED
