"""Subject stamps, on every backend: every write to what serving reads about a person
changes their stamp (and only theirs); reads and exposures do not; erasure removes it."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from tactful.consent import record
from tactful.store.ports import Stores
from tactful.types import Event, EventType, Exposure, Preferences, Purpose, Signal

T0 = datetime(2026, 3, 1, tzinfo=UTC)
TYPES = {EventType.VIEW, EventType.PURCHASE}


def _stamp(stores: Stores, subject: str) -> int | None:
    return stores.subject_view(subject, event_types=TYPES).stamp


def _signal(subject: str, kind: str = "mood") -> Signal:
    return Signal(subject, kind, -0.5, Purpose.EMOTIONAL_CONTEXT, T0, T0 + timedelta(days=1))


def _seed(stores: Stores) -> None:
    stores.events.add(
        [
            Event("a1", "ann", EventType.VIEW, T0, "i1"),
            Event("a2", "ann", EventType.PURCHASE, T0, "i2"),
            Event("b1", "bob", EventType.VIEW, T0, "i1"),
        ]
    )
    for who in ("ann", "bob"):
        stores.consents.append([record(who, "personalization", "granted", at=T0)])
        stores.preferences.put(who, Preferences(), at=T0)
        stores.signals.put([_signal(who)])


WRITES: dict[str, Callable[[Stores], object]] = {
    "event added": lambda s: s.events.add([Event("a9", "ann", EventType.VIEW, T0, "i3")]),
    "events deleted by filter": lambda s: s.events.delete(subject="ann", types={EventType.VIEW}),
    "events deleted by id": lambda s: s.events.delete_ids("ann", ["a2"]),
    "consent recorded": lambda s: s.consents.append(
        [record("ann", "emotional_context", "granted", at=T0)]
    ),
    "preferences replaced": lambda s: s.preferences.put(
        "ann", Preferences(max_recommendations=2), at=T0
    ),
    "signal stored": lambda s: s.signals.put([_signal("ann", "life_event:bereavement")]),
    "signals deleted": lambda s: s.signals.delete("ann", purpose=Purpose.EMOTIONAL_CONTEXT),
    "signals replaced": lambda s: s.signals.replace(
        "ann", Purpose.EMOTIONAL_CONTEXT, [_signal("ann")]
    ),
    "expired signals purged": lambda s: s.signals.purge(before=T0 + timedelta(days=2)),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_every_write_changes_the_persons_stamp_and_no_one_elses(stores: Stores, write: str) -> None:
    _seed(stores)
    ann, bob = _stamp(stores, "ann"), _stamp(stores, "bob")
    assert ann is not None and bob is not None and ann != bob
    WRITES[write](stores)
    assert _stamp(stores, "ann") not in (None, ann)
    if write != "expired signals purged":  # the purge deleted bob's expired signal too
        assert _stamp(stores, "bob") == bob


def test_reads_and_exposures_leave_the_stamp_alone(stores: Stores) -> None:
    _seed(stores)
    before = _stamp(stores, "ann")
    assert before is not None
    stores.exposures.add([Exposure("ann", ("i1",), {}, "v1", T0)])
    stores.events.for_subject("ann")
    assert _stamp(stores, "ann") == before
    shown = stores.exposures_if_unchanged(
        "ann", stamp=before, exposures_since=T0 - timedelta(days=1), exposure_limit=10
    )
    assert shown is not None and [x.items for _, x in shown] == [("i1",)]


def test_exposures_come_with_ids_and_only_the_newer_ones_when_asked(stores: Stores) -> None:
    _seed(stores)
    stamp = _stamp(stores, "ann")
    assert stamp is not None
    for k in range(4):
        stores.exposures.add([Exposure("ann", (f"i{k}",), {}, "v1", T0 + timedelta(hours=k))])
    view = stores.subject_view(
        "ann",
        event_types=TYPES,
        exposures_since=T0,
        exposure_limit=10,
    )
    assert [x.items for x in view.exposures] == [("i0",), ("i1",), ("i2",), ("i3",)]
    ids = view.exposure_ids
    assert len(ids) == 4 and list(ids) == sorted(ids) and len(set(ids)) == 4

    def newer(after: int, recent: datetime | None) -> list[tuple[str, ...]]:
        found = stores.exposures_if_unchanged(
            "ann",
            stamp=stamp,
            exposures_since=T0,
            exposure_limit=10,
            after_id=after,
            recent_since=recent,
        )
        assert found is not None
        assert all(i in ids for i, _ in found)
        return [x.items for _, x in found]

    assert newer(ids[1], None) == [("i2",), ("i3",)]
    assert newer(ids[3], None) == []
    assert newer(ids[3], T0 + timedelta(hours=2)) == [("i2",), ("i3",)]  # read again
    assert newer(0, None) == [("i0",), ("i1",), ("i2",), ("i3",)]


def test_a_moved_stamp_is_reported_as_changed(stores: Stores) -> None:
    _seed(stores)
    before = _stamp(stores, "ann")
    assert before is not None
    stores.preferences.put("ann", Preferences(max_recommendations=4), at=T0)
    since = T0 - timedelta(days=1)
    assert (
        stores.exposures_if_unchanged("ann", stamp=before, exposures_since=since, exposure_limit=5)
        is None
    )


def test_a_stranger_has_no_stamp_until_something_is_stored(stores: Stores) -> None:
    assert _stamp(stores, "zoe") is None
    stores.exposures.add([Exposure("zoe", ("i1",), {}, None, T0)])
    assert _stamp(stores, "zoe") is None
    stores.consents.append([record("zoe", "personalization", "granted", at=T0)])
    assert _stamp(stores, "zoe") is not None


def test_erasure_removes_the_stamp_and_a_new_one_never_repeats_it(stores: Stores) -> None:
    _seed(stores)
    before = _stamp(stores, "ann")
    counts = stores.erase_subject("ann")
    assert counts["subject_stamps"] == 1
    assert _stamp(stores, "ann") is None
    assert stores.export_subject("ann")["subject_stamps"] == []
    stores.consents.append([record("ann", "personalization", "granted", at=T0)])
    assert _stamp(stores, "ann") not in (None, before)
    assert [r["subject_id"] for r in stores.export_subject("ann")["subject_stamps"]] == ["ann"]
