from datetime import UTC, datetime
from typing import Any

import pytest

from tactful.consent import ConsentPolicy, record
from tactful.errors import InvalidInput, PayloadTooLarge
from tactful.ingest import ingest
from tactful.store import MemoryStores
from tactful.types import Item

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def stores() -> MemoryStores:
    s = MemoryStores()
    s.consents.append(
        [
            record("alice", "personalization", "granted", at=NOW),
            record("bob", "emotional_context", "granted", at=NOW),
        ]
    )
    s.items.upsert([Item("i1", "Item one")])
    return s


def ev(eid: str, subject: str, etype: str = "view", **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"event_id": eid, "subject_id": subject, "type": etype}
    if etype in {"view", "purchase", "click"}:
        row["item_id"] = "i1"
    row.update(extra)
    return row


def run(stores: MemoryStores, rows: list[Any], **kw: Any) -> Any:
    return ingest(
        rows,
        events=stores.events,
        consents=stores.consents,
        items=stores.items,
        policy=ConsentPolicy(),
        now=NOW,
        **kw,
    )


def test_mixed_batch_counts_and_reasons(stores: MemoryStores) -> None:
    stores.events.add([])  # nothing stored yet
    run(stores, [ev("e0", "alice")])
    rows = [
        ev("e1", "alice"),
        ev("e1", "alice"),  # repeat inside the batch
        ev("e0", "alice"),  # repeat of a stored event
        ev("e2", "bob"),  # bob never granted personalization
        ev("e3", "bob", "support_message", text="hello"),  # bob granted emotional_context
        ev("e4", "alice", "feedback_text", text="meh"),  # alice did not
        {"event_id": "e5", "subject_id": "alice", "type": "fly"},
        ev("e6", "carol", "location"),
    ]
    report = run(stores, rows)
    assert report.accepted == 2
    assert report.duplicates == 2
    assert [(r.index, r.event_id, r.reason) for r in report.rejected] == [
        (3, "e2", "consent_required:personalization"),
        (5, "e4", "consent_required:emotional_context"),
        (6, "e5", "invalid:type: unknown event type 'fly'"),
        (7, "e6", "consent_required:location"),
    ]
    assert stores.events.count() == 3
    assert {e.event_id for e in stores.events.for_subject("bob")} == {"e3"}


def test_atomic_batch_stores_nothing_on_any_rejection(stores: MemoryStores) -> None:
    report = run(stores, [ev("e1", "alice"), ev("e2", "bob")], atomic=True)
    assert report.accepted == 0
    assert len(report.rejected) == 1
    assert stores.events.count() == 0


def test_atomic_batch_without_rejections_stores_all(stores: MemoryStores) -> None:
    report = run(stores, [ev("e1", "alice"), ev("e2", "alice")], atomic=True)
    assert report.accepted == 2
    assert stores.events.count() == 2


def test_batch_limits(stores: MemoryStores) -> None:
    with pytest.raises(InvalidInput):
        run(stores, [])
    with pytest.raises(PayloadTooLarge):
        run(stores, [ev(f"e{i}", "alice") for i in range(11)], max_batch=10)


def test_blocked_subject_is_rejected_with_its_reason(stores: MemoryStores) -> None:
    report = run(stores, [ev("e1", "alice")], blocked=lambda s: "erased_subject")
    assert [r.reason for r in report.rejected] == ["erased_subject"]
    assert stores.events.count() == 0


def test_unparsed_lines_and_non_objects_are_rejected_in_place(stores: MemoryStores) -> None:
    from tactful.ingest import Unparsed

    rows = [
        ev("e1", "alice"),
        Unparsed("invalid literal, expected 'null' (column 1)"),
        [1, 2],
        "text",
        7,
        None,
        ev("e2", "alice"),
    ]
    report = run(stores, rows)
    assert report.accepted == 2
    assert [(r.index, r.event_id, r.reason) for r in report.rejected] == [
        (1, None, "invalid:line: not JSON: invalid literal, expected 'null' (column 1)"),
        (2, None, "invalid:event: each event must be a JSON object, got array"),
        (3, None, "invalid:event: each event must be a JSON object, got string"),
        (4, None, "invalid:event: each event must be a JSON object, got number"),
        (5, None, "invalid:event: each event must be a JSON object, got null"),
    ]
    atomic = run(stores, [ev("e3", "alice"), Unparsed("x (column 2)")], atomic=True)
    assert atomic.accepted == 0 and [r.index for r in atomic.rejected] == [1]
    assert "e3" not in stores.events.existing_ids({"e3"})
