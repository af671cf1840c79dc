"""The services and their wiring: each takes its collaborators in its constructor, and
``build`` connects the reactions across areas (after ingest, after consent decisions)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tactful.app import build
from tactful.app.catalogue import Catalogue
from tactful.app.consents import Consents
from tactful.app.ingestion import Ingestion
from tactful.consent.policy import ConsentPolicy
from tactful.privacy.access import Actor
from tactful.recommend.artifacts import memory_models
from tactful.settings import Settings
from tactful.store import MemoryStores
from tactful.types import ConsentRecord, Decision, Event, Item, Purpose, SubjectId

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
GRANT = [{"purpose": "personalization", "decision": "granted"}]


def view(event_id: str, subject: str) -> dict[str, str]:
    return {"event_id": event_id, "subject_id": subject, "type": "view", "item_id": "i1"}


def ingestion(
    stores: MemoryStores, after: Sequence[object], erased: Collection[str] = ()
) -> Ingestion:
    return Ingestion(
        stores.events,
        stores.consents,
        stores.items,
        ConsentPolicy(),
        accept_unknown_items=True,
        erased=lambda ids: {i for i in ids if i in erased},
        after=after,  # type: ignore[arg-type]
        max_batch=100,
        future_tolerance=timedelta(minutes=5),
        clock=lambda: NOW,
    )


def grant(stores: MemoryStores, subject: str) -> None:
    consents = Consents(
        stores.consents,
        stores.preferences,
        after=lambda *a: None,
        erased=lambda _ids: (),
        clock=lambda: NOW,
    )
    consents.record(subject, GRANT)


def test_ingestion_hands_only_the_stored_events_to_each_reaction_in_order() -> None:
    stores = MemoryStores()
    grant(stores, "a")
    seen: list[tuple[str, tuple[str, ...]]] = []

    def first(stored: Sequence[Event]) -> None:
        seen.append(("first", tuple(e.event_id for e in stored)))

    def second(stored: Sequence[Event]) -> None:
        seen.append(("second", tuple(e.event_id for e in stored)))

    report = ingestion(stores, [first, second]).record(
        [view("e1", "a"), view("e1", "a"), view("e2", "b"), {"event_id": "e3"}]
    )
    assert report.accepted == 1 and report.duplicates == 1 and len(report.rejected) == 2
    assert seen == [("first", ("e1",)), ("second", ("e1",))]


def test_ingestion_refuses_the_ids_its_tombstone_check_names() -> None:
    stores = MemoryStores()
    grant(stores, "a")
    grant(stores, "gone")
    report = ingestion(stores, [], erased={"gone"}).record([view("e1", "a"), view("e2", "gone")])
    assert report.accepted == 1
    assert [r.reason for r in report.rejected] == ["erased_subject"]


def test_consents_give_their_reaction_the_state_before_the_decisions() -> None:
    stores = MemoryStores()
    calls: list[tuple[SubjectId, list[str], Mapping[Purpose, Decision]]] = []

    def after(
        subject: SubjectId,
        records: Sequence[ConsentRecord],
        before: Mapping[Purpose, Decision],
        actor: Actor,
    ) -> None:
        calls.append((subject, [r.decision.value for r in records], dict(before)))

    consents = Consents(
        stores.consents, stores.preferences, after=after, erased=lambda _ids: (), clock=lambda: NOW
    )
    consents.record("a", GRANT)
    done = consents.record("a", [{"purpose": "personalization", "decision": "denied"}])
    assert done.current[Purpose.PERSONALIZATION] is Decision.DENIED
    assert len(done.history) == 2
    assert calls[0][2][Purpose.PERSONALIZATION] is Decision.UNSET
    assert calls[1][1] == ["denied"]
    assert calls[1][2][Purpose.PERSONALIZATION] is Decision.GRANTED


def test_the_catalogue_copy_follows_the_store_version() -> None:
    stores = MemoryStores()
    ticks = iter(range(0, 100, 2))  # every read is two seconds after the last
    catalogue = Catalogue(stores.items, clock=lambda: NOW, monotonic=lambda: float(next(ticks)))
    assert catalogue.current() == {}
    stores.items.upsert([Item("i1", "Tent")])  # written behind the service's back
    assert set(catalogue.current()) == {"i1"}
    assert catalogue.version == stores.items.version()


def test_build_wires_ingest_to_signals_and_hand_offs(tmp_path: Path) -> None:
    tactful = build(Settings(model_dir=tmp_path), MemoryStores(), memory_models(), lambda: NOW)
    tactful.consents.record(
        "u1",
        [
            {"purpose": "emotional_context", "decision": "granted"},
            {"purpose": "personalization", "decision": "granted"},
        ],
    )
    text = (
        "My father died last week and I cannot face any of this. Please, I need to talk to someone."
    )
    tactful.ingestion.record(
        [{"event_id": "t1", "subject_id": "u1", "type": "support_message", "text": text}]
    )
    kinds = {s.kind for s in tactful.profiles.profile("u1").signals}
    assert {"life_event:bereavement", "distress"} <= kinds
    (case,) = tactful.handoffs.cases("open")
    assert case.subject_id == "u1"
    tactful.close()


def test_build_wires_withdrawal_to_the_data_it_alone_covered(tmp_path: Path) -> None:
    tactful = build(Settings(model_dir=tmp_path), MemoryStores(), memory_models(), lambda: NOW)
    tactful.catalogue.upsert([Item("i1", "Tent")])
    tactful.consents.record("u1", GRANT)
    assert tactful.ingestion.record([view("e1", "u1")]).accepted == 1
    tactful.consents.record("u1", [{"purpose": "personalization", "decision": "denied"}])
    assert tactful.stores.events.for_subject("u1") == []
    verdict = tactful.rights.verify_audit()
    assert verdict.intact and verdict.records >= 2  # the grant and the withdrawal
    tactful.close()
