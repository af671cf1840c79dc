"""One contract for every storage backend: memory, SQLite and PostgreSQL (see conftest.py).

Each test states behaviour the ports promise and checks it on data whose answer is known;
the in-memory twin and the SQL adapters must agree on all of it.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta, timezone

import pytest

from tactful.consent.ledger import fold
from tactful.errors import Conflict, InvalidInput
from tactful.store import Stores
from tactful.types import (
    ApiKey,
    ConsentRecord,
    Decision,
    Event,
    EventType,
    Exposure,
    Item,
    Preferences,
    Purpose,
    QuietHours,
    Reason,
    Scope,
    Sensitivity,
)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
PLUS_5_30 = timezone(timedelta(hours=5, minutes=30))


def ev(
    event_id: str,
    subject: str = "alice",
    minutes: float = 0,
    type_: EventType = EventType.VIEW,
    *,
    item_id: str | None = None,
    value: float | None = None,
    text: str | None = None,
) -> Event:
    at = T0 + timedelta(minutes=minutes)
    return Event(event_id, subject, type_, at, item_id=item_id, value=value, text=text)


def ids(events: list[Event]) -> list[str]:
    return [e.event_id for e in events]


# --- events -----------------------------------------------------------------------------


def test_add_reports_duplicates_within_batch_and_across_calls(stores: Stores) -> None:
    first = stores.events.add([ev("e1"), ev("e2"), ev("e1", minutes=5), ev("e3")])
    assert first.accepted == 3
    assert first.duplicates == ("e1",)

    second = stores.events.add([ev("e3"), ev("e4"), ev("e2"), ev("e4")])
    assert second.accepted == 1
    assert second.duplicates == ("e3", "e2", "e4")
    assert stores.events.count() == 4
    # The first version of a duplicated id is the one kept.
    assert stores.events.for_subject("alice")[0].occurred_at == T0


def test_add_nothing_is_a_no_op(stores: Stores) -> None:
    result = stores.events.add([])
    assert (result.accepted, result.duplicates) == (0, ())
    assert stores.events.count() == 0


def test_large_batch_with_many_duplicates(stores: Stores) -> None:
    stores.events.add([ev(f"e{i:05d}", subject=f"s{i % 7}") for i in range(0, 2500, 2)])
    batch = [ev(f"e{i:05d}", subject=f"s{i % 7}") for i in range(2500)]
    result = stores.events.add(batch)
    assert result.accepted == 1250
    assert result.duplicates == tuple(f"e{i:05d}" for i in range(0, 2500, 2))
    assert stores.events.count() == 2500
    wanted = {f"e{i:05d}" for i in range(0, 3000, 3)}
    assert stores.events.existing_ids(wanted) == {f"e{i:05d}" for i in range(0, 2500, 3)}


def test_event_fields_round_trip(stores: Stores) -> None:
    full = Event(
        "e-full",
        "alice",
        EventType.RATING,
        datetime(2024, 5, 1, 17, 30, 15, 123456, tzinfo=PLUS_5_30),
        item_id="i-9",
        value=4.5,
        text="Grüße 👋 — 日本語, «quotes» and 'apostrophes'",
        source="web",
    )
    bare = Event("e-bare", "alice", EventType.VIEW, T0)
    stores.events.add([full, bare])
    got = {e.event_id: e for e in stores.events.for_subject("alice")}
    assert got == {"e-full": full, "e-bare": bare}
    assert got["e-full"].occurred_at.utcoffset() is not None


def test_unicode_subject_and_item_ids(stores: Stores) -> None:
    subject = "zoë-山田-🙂"
    stores.events.add([ev("ü-1", subject=subject, item_id="ítem-✓")])
    (back,) = stores.events.for_subject(subject)
    assert (back.subject_id, back.item_id) == (subject, "ítem-✓")
    assert stores.events.existing_ids({"ü-1", "u-1"}) == {"ü-1"}


def test_for_subject_is_oldest_first_with_ties_by_id(stores: Stores) -> None:
    stores.events.add(
        [
            ev("c", minutes=10),
            ev("b", minutes=0),
            ev("a", minutes=10),
            ev("z", minutes=-5),
            ev("x", subject="bob", minutes=1),
        ]
    )
    assert ids(stores.events.for_subject("alice")) == ["z", "b", "a", "c"]
    assert stores.events.for_subject("nobody") == []


def test_order_and_since_compare_instants_not_wall_clocks(stores: Stores) -> None:
    # 12:30 at +05:30 is 07:00 UTC: earlier than 09:00 UTC despite the larger wall clock.
    india = Event("india", "alice", EventType.VIEW, datetime(2024, 5, 1, 12, 30, tzinfo=PLUS_5_30))
    utc = Event("utc", "alice", EventType.VIEW, datetime(2024, 5, 1, 9, 0, tzinfo=UTC))
    stores.events.add([utc, india])
    assert ids(stores.events.for_subject("alice")) == ["india", "utc"]
    since = datetime(2024, 5, 1, 10, 0, tzinfo=PLUS_5_30)  # 04:30 UTC
    assert ids(stores.events.for_subject("alice", since=since)) == ["india", "utc"]
    since = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert ids(stores.events.for_subject("alice", since=since)) == ["utc"]


def test_for_subject_since_is_inclusive_and_types_filter(stores: Stores) -> None:
    stores.events.add(
        [
            ev("v0", minutes=0),
            ev("p1", minutes=1, type_=EventType.PURCHASE),
            ev("v2", minutes=2),
            ev("r3", minutes=3, type_=EventType.RATING, value=5.0),
        ]
    )
    since = T0 + timedelta(minutes=1)
    assert ids(stores.events.for_subject("alice", since=since)) == ["p1", "v2", "r3"]
    buys = stores.events.for_subject("alice", types={EventType.PURCHASE, EventType.RATING})
    assert ids(buys) == ["p1", "r3"]
    assert ids(stores.events.for_subject("alice", since=since, types=[EventType.VIEW])) == ["v2"]
    assert stores.events.for_subject("alice", types=[]) == []


def test_scan_filters_by_types_and_subjects(stores: Stores) -> None:
    stores.events.add(
        [
            ev("a1", "alice"),
            ev("a2", "alice", type_=EventType.CLICK),
            ev("b1", "bob"),
            ev("c1", "carol", type_=EventType.CLICK),
        ]
    )
    assert {e.event_id for e in stores.events.scan()} == {"a1", "a2", "b1", "c1"}
    clicks = {e.event_id for e in stores.events.scan(types=[EventType.CLICK])}
    assert clicks == {"a2", "c1"}
    assert {e.event_id for e in stores.events.scan(subjects={"alice", "bob"})} == {
        "a1",
        "a2",
        "b1",
    }
    both = stores.events.scan(types=[EventType.CLICK], subjects=["alice", "dave"])
    assert [e.event_id for e in both] == ["a2"]
    assert list(stores.events.scan(subjects=[])) == []
    scanned = {e.event_id: e for e in stores.events.scan()}
    assert scanned["c1"] == ev("c1", "carol", type_=EventType.CLICK)


def test_item_rows_are_the_events_of_the_types_that_name_an_item(stores: Stores) -> None:
    stores.events.add(
        [
            ev("a1", "alice", item_id="i1"),
            ev("a2", "alice", type_=EventType.RATING, item_id="i2", value=4.5),
            ev("a3", "alice", type_=EventType.SEARCH, text="boots"),
            ev("b1", "bob", type_=EventType.CLICK, item_id="i1"),
            ev("b2", "bob", type_=EventType.PURCHASE, item_id="i3"),
            ev("c1", "carol"),  # a view without an item
        ]
    )
    kinds = [EventType.VIEW, EventType.RATING, EventType.CLICK]
    assert sorted(stores.events.item_rows(kinds)) == [
        ("alice", "i1", "view", None),
        ("alice", "i2", "rating", 4.5),
        ("bob", "i1", "click", None),
    ]
    assert sorted(stores.events.item_rows({EventType.PURCHASE})) == [
        ("bob", "i3", "purchase", None)
    ]
    assert list(stores.events.item_rows([])) == []


def test_delete_needs_a_filter(stores: Stores) -> None:
    stores.events.add([ev("e1")])
    with pytest.raises(InvalidInput) as err:
        stores.events.delete()
    assert err.value.field == "filters"
    assert stores.events.count() == 1


def test_delete_matches_every_given_filter(stores: Stores) -> None:
    stores.events.add(
        [
            ev("a-old-view", "alice", minutes=0),
            ev("a-new-view", "alice", minutes=60),
            ev("a-old-text", "alice", minutes=0, type_=EventType.FEEDBACK_TEXT, text="meh"),
            ev("b-old-view", "bob", minutes=0),
            ev("b-new-buy", "bob", minutes=60, type_=EventType.PURCHASE),
        ]
    )
    cutoff = T0 + timedelta(minutes=60)  # exclusive: events at the cutoff stay
    assert stores.events.delete(types=[EventType.VIEW], before=cutoff, subject="alice") == 1
    assert stores.events.existing_ids({"a-old-view", "a-new-view"}) == {"a-new-view"}
    assert stores.events.delete(types=[EventType.FEEDBACK_TEXT]) == 1
    assert stores.events.delete(before=cutoff) == 1  # b-old-view
    assert stores.events.delete(subject="bob") == 1
    assert stores.events.delete(types=[]) == 0
    assert {e.event_id for e in stores.events.scan()} == {"a-new-view"}


# --- consent ----------------------------------------------------------------------------


def rec(
    subject: str, purpose: Purpose, decision: Decision, minutes: float, **kw: str
) -> ConsentRecord:
    return ConsentRecord(subject, purpose, decision, T0 + timedelta(minutes=minutes), **kw)


def test_consent_history_keeps_recording_order(stores: Stores) -> None:
    history = [
        rec("alice", Purpose.PERSONALIZATION, Decision.GRANTED, 10, source="web"),
        rec("alice", Purpose.MESSAGING, Decision.DENIED, 0, policy_version="2"),
        rec("bob", Purpose.MESSAGING, Decision.GRANTED, 5),
    ]
    stores.consents.append(history[:2])
    stores.consents.append(history[2:])
    stores.consents.append([rec("alice", Purpose.PERSONALIZATION, Decision.DENIED, 5)])
    got = stores.consents.history("alice")
    assert got[:2] == history[:2]
    assert got[2] == rec("alice", Purpose.PERSONALIZATION, Decision.DENIED, 5)
    assert stores.consents.history("nobody") == []
    stores.consents.append([])
    assert len(stores.consents.history("alice")) == 3


def test_current_state_latest_at_wins_ties_by_recording_order(stores: Stores) -> None:
    stores.consents.append(
        [
            # Recorded later but decided earlier: the grant at 10 still wins.
            rec("alice", Purpose.PERSONALIZATION, Decision.GRANTED, 10),
            rec("alice", Purpose.PERSONALIZATION, Decision.DENIED, 5),
            # Same instant: the one recorded last wins.
            rec("alice", Purpose.MESSAGING, Decision.GRANTED, 7),
            rec("alice", Purpose.MESSAGING, Decision.DENIED, 7),
            rec("bob", Purpose.ANALYTICS, Decision.GRANTED, 1),
        ]
    )
    state = stores.consents.current_many(["alice", "bob", "nobody"])
    assert set(state) == {"alice", "bob", "nobody"}
    assert state["alice"][Purpose.PERSONALIZATION] is Decision.GRANTED
    assert state["alice"][Purpose.MESSAGING] is Decision.DENIED
    assert state["alice"][Purpose.LOCATION] is Decision.UNSET
    assert state["bob"] == {
        **dict.fromkeys(Purpose, Decision.UNSET),
        Purpose.ANALYTICS: Decision.GRANTED,
    }
    assert state["nobody"] == dict.fromkeys(Purpose, Decision.UNSET)
    assert stores.consents.current_many([]) == {}


def test_withdrawal_and_subjects_granted(stores: Stores) -> None:
    stores.consents.append(
        [
            rec("alice", Purpose.MESSAGING, Decision.GRANTED, 0),
            rec("bob", Purpose.MESSAGING, Decision.GRANTED, 0),
            rec("carol", Purpose.MESSAGING, Decision.DENIED, 0),
            rec("dave", Purpose.ANALYTICS, Decision.GRANTED, 0),
        ]
    )
    assert stores.consents.subjects_granted(Purpose.MESSAGING) == {"alice", "bob"}
    stores.consents.append(
        [
            rec("bob", Purpose.MESSAGING, Decision.DENIED, 1),  # withdrawal
            rec("carol", Purpose.MESSAGING, Decision.GRANTED, -1),  # older than her denial
        ]
    )
    assert stores.consents.subjects_granted(Purpose.MESSAGING) == {"alice"}
    assert stores.consents.subjects_granted(Purpose.ANALYTICS) == {"dave"}
    assert stores.consents.subjects_granted(Purpose.SOCIAL) == set()


def test_current_state_matches_fold_on_random_histories(stores: Stores) -> None:
    rng = random.Random(7)
    subjects = [f"s{i}" for i in range(40)]
    purposes = list(Purpose)
    records = [
        rec(
            rng.choice(subjects),
            rng.choice(purposes),
            rng.choice([Decision.GRANTED, Decision.DENIED]),
            rng.randrange(20),  # few distinct instants, so ties are common
        )
        for _ in range(600)
    ]
    for start in range(0, len(records), 150):
        stores.consents.append(records[start : start + 150])
    state = stores.consents.current_many(subjects)
    for s in subjects:
        expected = fold(r for r in records if r.subject_id == s)
        assert stores.consents.history(s) == [r for r in records if r.subject_id == s]
        assert state[s] == expected
    for p in purposes:
        granted = {s for s in subjects if state[s][p] is Decision.GRANTED}
        assert stores.consents.subjects_granted(p) == granted


# --- preferences ------------------------------------------------------------------------


def test_preferences_round_trip_every_field(stores: Stores) -> None:
    assert stores.preferences.get("alice") is None
    prefs = Preferences(
        channels=("sms", "email"),
        max_messages_per_week={"email": 2, "sms": 0},
        quiet_hours=QuietHours(time(22, 0), time(7, 30)),
        timezone="Asia/Kolkata",
        max_recommendations=3,
        muted_categories=("alcohol", "jeux vidéo"),
        preferred_categories=("books",),
        values=("local", "fair-trade 🌱"),
        allowed_sensitive=(Sensitivity.HEALTH, Sensitivity.FINANCE),
        pause_until=datetime(2024, 6, 1, 9, 0, tzinfo=PLUS_5_30),
        celebrations=False,
    )
    stores.preferences.put("alice", prefs, at=T0)
    assert stores.preferences.get("alice") == prefs
    assert stores.preferences.get("bob") is None

    stores.preferences.put("alice", Preferences(), at=T0 + timedelta(hours=1))
    assert stores.preferences.get("alice") == Preferences()


# --- items ------------------------------------------------------------------------------


def item(item_id: str, *, price: float | None = None) -> Item:
    return Item(item_id, f"Title of {item_id}", price=price)


def test_items_upsert_get_many_all(stores: Stores) -> None:
    assert stores.items.all() == []
    assert stores.items.get("i1") is None
    rich = Item(
        "i2",
        "Café crème ☕",
        categories=("drinks", "coffee"),
        values=("fair-trade",),
        sensitive=Sensitivity.ALCOHOL,
        price=3.5,
        available=False,
        promotional=True,
    )
    assert stores.items.upsert([item("i3"), rich, item("i1")]) == 3
    assert stores.items.get("i2") == rich
    assert stores.items.get("i1") == item("i1")
    assert [i.item_id for i in stores.items.all()] == ["i1", "i2", "i3"]
    assert stores.items.many(["i1", "i9", "i2"]) == {"i1": item("i1"), "i2": rich}
    assert stores.items.many([]) == {}
    assert stores.items.known(["i1", "i9", "i2"]) == {"i1", "i2"}
    assert stores.items.known([]) == set()


def test_items_upsert_replaces_and_last_duplicate_wins(stores: Stores) -> None:
    stores.items.upsert([item("i1", price=1.0)])
    written = stores.items.upsert([item("i1", price=2.0), item("i2"), item("i1", price=3.0)])
    assert written == 2
    assert stores.items.get("i1") == item("i1", price=3.0)
    assert len(stores.items.all()) == 2


def test_catalogue_version_changes_on_every_write_only(stores: Stores) -> None:
    v0 = stores.items.version()
    stores.items.upsert([item("i1")])
    v1 = stores.items.version()
    assert v1 != v0
    stores.items.get("i1")
    stores.items.all()
    assert stores.items.version() == v1
    stores.items.upsert([item("i1", price=9.0)])
    v2 = stores.items.version()
    assert v2 not in (v0, v1)
    assert stores.items.upsert([]) == 0
    assert stores.items.version() == v2


# --- exposures --------------------------------------------------------------------------


def test_exposures_round_trip_oldest_first(stores: Stores) -> None:
    later = Exposure(
        subject_id="alice",
        items=("i2", "i1"),
        reasons={
            "i2": (Reason("bought", "because you bought Théière", ("i7",)),),
            "i1": (Reason("popular", "popular this week"), Reason("value", "fair-trade 🌱")),
        },
        model_version="itemknn-3",
        at=T0 + timedelta(minutes=5),
        context="home",
        personalized=True,
    )
    earlier = Exposure("alice", (), {}, None, T0.astimezone(PLUS_5_30))
    other = Exposure("bob", ("i3",), {"i3": ()}, "pop-1", T0)
    stores.exposures.add([later, earlier, other])
    stores.exposures.add([])
    assert stores.exposures.for_subject("alice") == [earlier, later]
    assert stores.exposures.for_subject("alice", since=T0 + timedelta(minutes=5)) == [later]
    assert stores.exposures.for_subject("bob") == [other]
    assert stores.exposures.for_subject("nobody") == []


# --- keys -------------------------------------------------------------------------------


def key(key_id: str, minutes: float = 0, scopes: frozenset[Scope] | None = None) -> ApiKey:
    return ApiKey(
        key_id,
        f"key {key_id}",
        scopes if scopes is not None else frozenset({Scope.READ, Scope.INGEST}),
        f"hash-{key_id}",
        T0 + timedelta(minutes=minutes),
    )


def test_keys_add_by_hash_all(stores: Stores) -> None:
    assert stores.keys.all() == []
    stores.keys.add(key("k2", minutes=5, scopes=frozenset({Scope.ADMIN})))
    stores.keys.add(key("k1"))
    stores.keys.add(key("k0", minutes=5))
    assert stores.keys.by_hash("hash-k1") == key("k1")
    assert stores.keys.by_hash("nope") is None
    assert [k.key_id for k in stores.keys.all()] == ["k1", "k0", "k2"]
    assert stores.keys.all()[2].scopes == frozenset({Scope.ADMIN})


def test_keys_reject_a_second_key_with_the_same_id_or_hash(stores: Stores) -> None:
    stores.keys.add(key("k1"))
    with pytest.raises(Conflict):
        stores.keys.add(ApiKey("k1", "other", frozenset({Scope.READ}), "hash-other", T0))
    with pytest.raises(Conflict):
        stores.keys.add(ApiKey("k9", "other", frozenset({Scope.READ}), "hash-k1", T0))
    assert stores.keys.all() == [key("k1")]


# --- erasure ----------------------------------------------------------------------------


def populate(stores: Stores, subject: str, n: int) -> None:
    stores.events.add([ev(f"{subject}-e{i}", subject, minutes=i) for i in range(n)])
    stores.consents.append(
        [rec(subject, Purpose.PERSONALIZATION, Decision.GRANTED, i) for i in range(n + 1)]
    )
    stores.preferences.put(subject, Preferences(values=(subject,)), at=T0)
    stores.exposures.add([Exposure(subject, ("i1",), {}, "m", T0)] * (n + 2))


def test_personal_tables_name_the_subject_column(stores: Stores) -> None:
    declared = stores.personal_tables()
    for table in ("events", "consents", "preferences", "exposures"):
        assert declared[table] == "subject_id"
    assert "items" not in declared
    assert "api_keys" not in declared


def test_erase_subject_removes_them_everywhere_and_no_one_else(stores: Stores) -> None:
    populate(stores, "alice", 3)
    populate(stores, "bob", 2)
    stores.items.upsert([item("i1")])
    stores.keys.add(key("k1"))

    counts = stores.erase_subject("alice")

    assert set(counts) == set(stores.personal_tables())
    assert counts["events"] == 3
    assert counts["consents"] == 4
    assert counts["preferences"] == 1
    assert counts["exposures"] == 5
    assert stores.events.for_subject("alice") == []
    assert stores.consents.history("alice") == []
    assert stores.consents.current_many(["alice"])["alice"] == dict.fromkeys(
        Purpose, Decision.UNSET
    )
    assert stores.preferences.get("alice") is None
    assert stores.exposures.for_subject("alice") == []
    assert all(e.subject_id != "alice" for e in stores.events.scan())
    # Bob and the non-personal tables are untouched.
    assert len(stores.events.for_subject("bob")) == 2
    assert len(stores.consents.history("bob")) == 3
    assert stores.preferences.get("bob") == Preferences(values=("bob",))
    assert len(stores.exposures.for_subject("bob")) == 4
    assert stores.consents.subjects_granted(Purpose.PERSONALIZATION) == {"bob"}
    assert stores.items.get("i1") == item("i1")
    assert stores.keys.by_hash("hash-k1") == key("k1")
    # Erasing again finds nothing.
    assert set(stores.erase_subject("alice").values()) == {0}
