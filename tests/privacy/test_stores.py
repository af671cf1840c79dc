"""The storage methods privacy relies on, one contract on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tactful.consent.ledger import record
from tactful.privacy import Chain, Keyring
from tactful.store import Stores
from tactful.store.ports import AuditEntry, Tombstone
from tactful.types import Event, EventType, Exposure, Preferences, Purpose, Signal

T0 = datetime(2026, 6, 1, tzinfo=UTC)
CHAIN = Chain(Keyring("stores-test"))


def event(eid: str, subject: str, days_ago: int = 0) -> Event:
    return Event(eid, subject, EventType.VIEW, T0 - timedelta(days=days_ago), "i1")


def test_tombstones_find_and_lift(stores: Stores) -> None:
    assert stores.tombstones.find(["a" * 64]) == {}
    stores.erase_with_tombstone(
        "u1", Tombstone("a" * 64, T0), AuditEntry("subject.erased", T0, "cli", "a" * 64), CHAIN
    )
    assert stores.tombstones.find(["a" * 64, "b" * 64]) == {"a" * 64: Tombstone("a" * 64, T0)}
    assert stores.tombstones.lift("a" * 64) is True
    assert stores.tombstones.lift("a" * 64) is False
    assert stores.tombstones.find(["a" * 64]) == {}


def test_erase_with_tombstone_deletes_stores_and_logs_together(stores: Stores) -> None:
    stores.events.add([event("e1", "u1"), event("e2", "u1"), event("e3", "u2")])
    stores.consents.append([record("u1", "personalization", "granted", at=T0)])
    stores.preferences.put("u1", Preferences(max_recommendations=2), at=T0)
    stores.signals.put([Signal("u1", "mood", 0.5, Purpose.EMOTIONAL_CONTEXT, T0)])
    entry = AuditEntry("subject.erased", T0, "cli", "p" * 64, {"why": "asked"})
    counts = stores.erase_with_tombstone("u1", Tombstone("p" * 64, T0), entry, CHAIN)
    assert {k: v for k, v in counts.items() if v} == {
        "events": 2, "consents": 1, "preferences": 1, "signals": 1, "subject_stamps": 1,
    }  # fmt: skip
    assert [e.event_id for e in stores.events.scan()] == ["e3"]
    (logged,) = stores.audit.records()
    assert logged.entry.detail == {"why": "asked", "rows_deleted": dict(counts)}
    assert stores.tombstones.find(["p" * 64])


def test_export_rows_are_plain_columns(stores: Stores) -> None:
    stores.events.add([event("e1", "u1")])
    stores.consents.append([record("u1", "analytics", "denied", at=T0)])
    rows = stores.export_subject("u1")
    (ev,) = rows["events"]
    assert {"event_id", "subject_id", "type", "item_id", "occurred_at"} <= set(ev)
    assert ev["occurred_at"] == T0
    (consent,) = rows["consents"]
    assert consent["purpose"] == "analytics" and consent["decision"] == "denied"
    assert rows["preferences"] == [] and rows["exposures"] == []


def test_delete_ids_touches_only_the_subjects_events(stores: Stores) -> None:
    stores.events.add([event("e1", "u1"), event("e2", "u1"), event("e3", "u2")])
    assert stores.events.delete_ids("u1", ["e1", "e3", "nope"]) == 1
    assert sorted(e.event_id for e in stores.events.scan()) == ["e2", "e3"]


def test_exposures_and_signals_expire(stores: Stores) -> None:
    stores.exposures.add(
        [Exposure("u1", ("i1",), {}, None, T0 - timedelta(days=d)) for d in (10, 2)]
    )
    assert stores.exposures.delete(before=T0 - timedelta(days=5)) == 1
    assert [x.at for x in stores.exposures.for_subject("u1")] == [T0 - timedelta(days=2)]
    stores.signals.put(
        [
            Signal("u1", "a", 1.0, Purpose.PERSONALIZATION, T0, T0 - timedelta(seconds=1)),
            Signal("u1", "b", 1.0, Purpose.PERSONALIZATION, T0, T0 + timedelta(days=1)),
            Signal("u1", "c", 1.0, Purpose.PERSONALIZATION, T0),
        ]
    )
    assert stores.signals.purge(before=T0) == 1
    assert [s.kind for s in stores.signals.for_subject("u1")] == ["b", "c"]
