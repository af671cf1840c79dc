"""The serving and contact reads: consents, preferences and the person's rows as stored.

The adapters no longer decide what a purpose may see (``tactful.consent.consented_view``
does, above the port), so every backend returns the same raw rows whatever the consents."""

from datetime import UTC, datetime, timedelta

from tactful.consent import record
from tactful.store.ports import Stores
from tactful.types import Decision, Event, EventType, Preferences, Purpose

T0 = datetime(2026, 3, 1, tzinfo=UTC)
TYPES = {EventType.VIEW, EventType.PURCHASE}


def _seed(stores: Stores) -> None:
    stores.events.add(
        [
            Event("e2", "ann", EventType.PURCHASE, T0 + timedelta(hours=2), "i2"),
            Event("e1", "ann", EventType.VIEW, T0 + timedelta(hours=1), "i1"),
            Event("e3", "ann", EventType.SUPPORT_MESSAGE, T0, text="hi"),
            Event("e4", "bob", EventType.VIEW, T0, "i1"),
        ]
    )
    stores.preferences.put("ann", Preferences(max_recommendations=3), at=T0)


def test_granted_subject_gets_events_of_the_types_oldest_first(stores: Stores) -> None:
    _seed(stores)
    stores.consents.append([record("ann", "personalization", "granted", at=T0)])
    view = stores.subject_view("ann", event_types=TYPES)
    assert view.consents[Purpose.PERSONALIZATION] is Decision.GRANTED
    assert view.consents[Purpose.MESSAGING] is Decision.UNSET
    assert view.preferences is not None and view.preferences.max_recommendations == 3
    assert [e.event_id for e in view.events] == ["e1", "e2"]


def test_withdrawn_subject_still_gets_the_raw_events(stores: Stores) -> None:
    _seed(stores)
    stores.consents.append(
        [
            record("ann", "personalization", "granted", at=T0),
            record("ann", "personalization", "denied", at=T0 + timedelta(days=1)),
        ]
    )
    view = stores.subject_view("ann", event_types=TYPES)
    assert view.consents[Purpose.PERSONALIZATION] is Decision.DENIED
    assert [e.event_id for e in view.events] == ["e1", "e2"]


def test_unknown_subject_is_all_unset(stores: Stores) -> None:
    view = stores.subject_view("nobody", event_types=TYPES)
    assert set(view.consents.values()) == {Decision.UNSET}
    assert view.preferences is None
    assert view.events == ()


def test_recent_exposures_are_the_newest_n_oldest_first_without_reasons(stores: Stores) -> None:
    from tactful.types import Exposure, Reason

    shown = [
        Exposure(
            "ann", (f"i{k}",), {f"i{k}": (Reason("popular", "x"),)}, "v1", T0 + timedelta(hours=k)
        )
        for k in range(5)
    ]
    stores.exposures.add(shown)
    stores.exposures.add([Exposure("bob", ("i9",), {}, None, T0)])
    recent = stores.exposures.recent("ann", since=T0 + timedelta(hours=1), limit=3)
    assert [x.items for x in recent] == [("i2",), ("i3",), ("i4",)]
    assert all(x.reasons == {} for x in recent)
    assert stores.exposures.recent("ann", since=T0 + timedelta(hours=4, minutes=1), limit=3) == []


def test_view_reads_live_signals_and_recent_exposures_in_the_same_read(stores: Stores) -> None:
    from tactful.types import Exposure, Signal

    _seed(stores)
    stores.consents.append([record("ann", "personalization", "granted", at=T0)])
    stores.signals.put(
        [
            Signal("ann", "mood", 0.2, Purpose.EMOTIONAL_CONTEXT, T0),
            Signal("ann", "gone", 1.0, Purpose.PERSONALIZATION, T0, T0 + timedelta(hours=1)),
            Signal("bob", "mood", 0.9, Purpose.EMOTIONAL_CONTEXT, T0),
        ]
    )
    stores.exposures.add(
        [Exposure("ann", (f"i{k}",), {}, "v1", T0 + timedelta(hours=k)) for k in range(5)]
    )
    view = stores.subject_view(
        "ann",
        event_types=TYPES,
        signals_at=T0 + timedelta(hours=2),
        exposures_since=T0 + timedelta(hours=1),
        exposure_limit=3,
    )
    assert [(s.kind, s.value) for s in view.signals] == [("mood", 0.2)]
    assert [x.items for x in view.exposures] == [("i2",), ("i3",), ("i4",)]
    assert view.exposures == tuple(
        stores.exposures.recent("ann", since=T0 + timedelta(hours=1), limit=3)
    )
    plain = stores.subject_view("ann", event_types=TYPES)
    assert plain.signals == () and plain.exposures == ()


def test_view_has_the_raw_exposures_without_the_purpose(stores: Stores) -> None:
    from tactful.types import Exposure

    stores.exposures.add([Exposure("ann", ("i1",), {}, "v1", T0)])
    view = stores.subject_view(
        "ann",
        event_types=TYPES,
        exposures_since=T0 - timedelta(days=1),
        exposure_limit=10,
    )
    assert view.consents[Purpose.PERSONALIZATION] is Decision.UNSET
    assert [x.items for x in view.exposures] == [("i1",)]
    assert len(view.exposure_ids) == 1


# -- the same raw rows on every backend, whatever the consents -----------------------------
def _mixed(stores: Stores) -> None:
    """ann granted, bob withdrew, cy never decided; each has events and an exposure."""
    from tactful.types import Exposure

    _seed(stores)
    stores.events.add([Event("e5", "cy", EventType.PURCHASE, T0 + timedelta(hours=3), "i3")])
    stores.consents.append(
        [
            record("ann", "personalization", "granted", at=T0),
            record("bob", "personalization", "granted", at=T0),
            record("bob", "personalization", "denied", at=T0 + timedelta(hours=1)),
            record("cy", "analytics", "granted", at=T0),
        ]
    )
    stores.exposures.add(
        [Exposure(s, ("i7",), {}, "v1", T0 + timedelta(hours=5)) for s in ("ann", "bob", "cy")]
    )


RAW_EVENTS = {"ann": ["e1", "e2"], "bob": ["e4"], "cy": ["e5"]}


def test_subject_view_rows_are_raw_and_alike_on_every_backend(stores: Stores) -> None:
    _mixed(stores)
    for who, expected in RAW_EVENTS.items():
        view = stores.subject_view(
            who, event_types=TYPES, exposures_since=T0, exposure_limit=5, signals_at=T0
        )
        assert [e.event_id for e in view.events] == expected, who
        assert [(x.subject_id, x.items) for x in view.exposures] == [(who, ("i7",))], who
    denied = stores.subject_view("bob", event_types=TYPES)
    assert denied.consents[Purpose.PERSONALIZATION] is Decision.DENIED
    assert denied.events == (Event("e4", "bob", EventType.VIEW, T0, "i1"),)
    assert stores.subject_view("ann", event_types=()).events == ()


def test_contact_views_rows_are_raw_and_alike_on_every_backend(stores: Stores) -> None:
    _mixed(stores)
    views = stores.contact_views(
        ["ann", "bob", "cy", "dee"],
        since=T0,
        active_after=T0,
        behaviour={"ann", "bob", "cy"},
        event_types=TYPES,
    )
    assert {s: [e.event_id for e in v.events] for s, v in views.items()} == {
        **RAW_EVENTS,
        "dee": [],
    }
    assert views["bob"].consents[Purpose.PERSONALIZATION] is Decision.DENIED
    assert views["cy"].consents[Purpose.ANALYTICS] is Decision.GRANTED
    assert views["ann"].preferences == Preferences(max_recommendations=3)
    assert views["dee"].preferences is None
    only_ann = stores.contact_views(
        ["ann", "bob"], since=T0, active_after=T0, behaviour={"ann"}, event_types=TYPES
    )
    assert [e.event_id for e in only_ann["ann"].events] == ["e1", "e2"]
    assert only_ann["bob"].events == ()
