"""The demo shop generator: sizes, ids, time, determinism, consent mix, texts, the planted
stories of the README tour, and that behaviour carries a learnable taste."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from tactful.consent import fold
from tactful.demo import DemoShop, generate
from tactful.errors import InvalidInput
from tactful.ingest import validate_preferences
from tactful.types import Decision, EventType, Purpose, Sensitivity

NOW = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
ITEM_EVENTS = {
    EventType.VIEW,
    EventType.CLICK,
    EventType.ADD_TO_CART,
    EventType.PURCHASE,
    EventType.RATING,
    EventType.DISMISS,
    EventType.CANCEL,
    EventType.RETURN,
    EventType.SHARE,
}
TEXT_EVENTS = {EventType.FEEDBACK_TEXT, EventType.SUPPORT_MESSAGE}


@pytest.fixture(scope="module")
def shop() -> DemoShop:
    return generate(rng=np.random.default_rng(7), now=NOW)


@pytest.fixture(scope="module")
def states(shop: DemoShop) -> dict[str, dict[Purpose, Decision]]:
    history = defaultdict(list)
    for r in shop.consents:
        history[r.subject_id].append(r)
    return {s: fold(history.get(s, ())) for s in shop.subjects}


def small(seed: int) -> DemoShop:
    return generate(
        rng=np.random.default_rng(seed), now=NOW, n_items=120, n_people=150, n_events=5_000
    )


def test_default_sizes(shop: DemoShop) -> None:
    assert len(shop.items) == 400
    assert len(shop.events) == 60_000
    assert len(shop.subjects) == 1000
    assert 900 <= len(shop.preferences) < 1000  # the few who never decided set none
    assert 4 * 1000 <= len(shop.consents) <= 6 * 1000


def test_smaller_shop_has_exactly_the_sizes_asked() -> None:
    s = small(3)
    assert (len(s.items), len(s.subjects), len(s.events)) == (120, 150, 5_000)


def test_ids_unique_and_well_formed(shop: DemoShop) -> None:
    item_ids = [i.item_id for i in shop.items]
    event_ids = [e.event_id for e in shop.events]
    assert len(set(item_ids)) == len(item_ids)
    assert len({i.title for i in shop.items}) == len(shop.items)
    assert len(set(event_ids)) == len(event_ids)
    assert shop.subjects[:3] == ("u0001", "u0002", "u0003") and shop.subjects[-1] == "u1000"
    assert all(re.fullmatch(r"e\d{6}", e) for e in event_ids)
    assert event_ids == sorted(event_ids)  # ids follow time order


def test_same_seed_same_shop_other_seed_other_shop() -> None:
    a, b, c = small(11), small(11), small(12)
    assert a.items == b.items and a.events == b.events and a.consents == b.consents
    assert dict(a.preferences) == dict(b.preferences)
    assert dict(a.text_labels) == dict(b.text_labels)
    assert a.events != c.events and a.items != c.items


def test_every_event_refers_to_a_known_item_when_it_should(shop: DemoShop) -> None:
    known = {i.item_id for i in shop.items}
    for e in shop.events:
        if e.type in ITEM_EVENTS:
            assert e.item_id in known, e
        elif e.item_id is not None:
            assert e.type in TEXT_EVENTS and e.item_id in known, e
        if e.type is EventType.SEARCH:
            assert e.text, e


def test_timestamps_aware_utc_and_in_the_six_months_before_now(shop: DemoShop) -> None:
    start = NOW - timedelta(days=182)
    times = [e.occurred_at for e in shop.events]
    assert all(t.utcoffset() == timedelta(0) for t in times)
    assert start <= min(times) and max(times) < NOW
    assert times == sorted(times)
    assert all(r.at.tzinfo is not None and r.at < NOW for r in shop.consents)


def test_now_in_another_zone_is_normalised_to_utc() -> None:
    tokyo = NOW.astimezone(timezone(timedelta(hours=9)))
    s = generate(
        rng=np.random.default_rng(11), now=tokyo, n_items=120, n_people=150, n_events=5_000
    )
    assert s.events == small(11).events


def test_consents_come_before_each_persons_first_event(shop: DemoShop) -> None:
    first: dict[str, datetime] = {}
    for e in shop.events:
        first.setdefault(e.subject_id, e.occurred_at)
    signup = defaultdict(list)
    for r in shop.consents:
        assert r.policy_version == "2026-01"
        if r.source == "signup":
            signup[r.subject_id].append(r.at)
    assert signup
    for subject, times in signup.items():
        if subject in first:
            assert max(times) < first[subject]


def test_consent_mix(shop: DemoShop, states: dict[str, dict[Purpose, Decision]]) -> None:
    def share(purpose: Purpose, decision: Decision) -> float:
        return sum(s[purpose] is decision for s in states.values()) / len(states)

    assert share(Purpose.PERSONALIZATION, Decision.GRANTED) > 0.8
    assert 0.05 <= share(Purpose.PERSONALIZATION, Decision.DENIED) <= 0.12
    assert 0.5 <= share(Purpose.MESSAGING, Decision.GRANTED) <= 0.7
    assert 0.3 <= share(Purpose.EMOTIONAL_CONTEXT, Decision.GRANTED) <= 0.5
    for few in (Purpose.LOCATION, Purpose.SOCIAL, Purpose.COMMUNITY):
        assert 0.03 <= share(few, Decision.GRANTED) <= 0.2
    never = [s for s, st in states.items() if set(st.values()) == {Decision.UNSET}]
    assert 10 <= len(never) <= 60
    assert any(r.source != "signup" for r in shop.consents)  # some changed their mind later


def test_catalogue_is_believable(shop: DemoShop) -> None:
    departments = Counter(i.categories[0] for i in shop.items)
    assert len(departments) >= 12 and min(departments.values()) >= 10
    assert 0.06 <= sum(i.promotional for i in shop.items) / len(shop.items) <= 0.14
    assert 0.005 <= sum(not i.available for i in shop.items) / len(shop.items) <= 0.06
    assert all(i.price is not None and i.price > 0 for i in shop.items)
    assert sum(bool(i.values) for i in shop.items) > len(shop.items) / 2
    tents = [i.price for i in shop.items if "Tent" in i.title and i.price is not None]
    socks = [i.price for i in shop.items if "Socks" in i.title and i.price is not None]
    assert tents and socks and np.median(tents) > 5 * np.median(socks)


def test_sensitive_items_present_and_never_promoted(shop: DemoShop) -> None:
    sensitive = [i for i in shop.items if i.sensitive is not Sensitivity.NONE]
    kinds = {i.sensitive for i in sensitive}
    assert {
        Sensitivity.PREGNANCY,
        Sensitivity.FINANCE,
        Sensitivity.ALCOHOL,
        Sensitivity.HEALTH,
    } <= kinds
    assert not any(i.promotional for i in sensitive)
    assert any(i.title == "Blood Pressure Monitor" for i in sensitive)


def test_purchases_concentrate_in_each_persons_favourite_departments(shop: DemoShop) -> None:
    department = {i.item_id: i.categories[0] for i in shop.items}
    purchases = [
        (e.subject_id, department[e.item_id])
        for e in shop.events
        if e.type is EventType.PURCHASE and e.item_id is not None
    ]
    assert len(purchases) > 1_000
    inside = sum(d in shop.favourites[s][:2] for s, d in purchases)
    # the same purchases judged against someone else's favourites: no concentration
    others = dict(zip(shop.subjects, shop.subjects[1:] + shop.subjects[:1], strict=True))
    chance = sum(d in shop.favourites[others[s]][:2] for s, d in purchases)
    assert inside / len(purchases) > 0.5
    assert chance / len(purchases) < 0.35


def test_items_bought_together_come_from_the_same_department(shop: DemoShop) -> None:
    department = {i.item_id: i.categories[0] for i in shop.items}
    last: dict[str, tuple[datetime, str]] = {}
    same = pairs = 0
    for e in shop.events:
        if e.type is not EventType.PURCHASE or e.item_id is None:
            continue
        before = last.get(e.subject_id)
        if before and e.occurred_at - before[0] < timedelta(minutes=30):
            pairs += 1
            same += department[before[1]] == department[e.item_id]
        last[e.subject_id] = (e.occurred_at, e.item_id)
    assert pairs > 100
    assert same / pairs > 0.9


def test_texts_mostly_from_people_who_granted_emotional_context(
    shop: DemoShop, states: dict[str, dict[Purpose, Decision]]
) -> None:
    texts = [e for e in shop.events if e.type in TEXT_EVENTS]
    assert 450 <= len(texts) <= 550
    assert {e.event_id for e in texts} == set(shop.text_labels)
    granted = sum(
        states[e.subject_id][Purpose.EMOTIONAL_CONTEXT] is Decision.GRANTED for e in texts
    )
    assert granted / len(texts) > 0.75
    assert len({e.text for e in texts}) > 0.8 * len(texts)
    labels = Counter(shop.text_labels.values())
    for label in ("praise", "complaint", "question", "bereavement", "financial_hardship"):
        assert labels[label] >= 5, label
    for label in ("illness", "human_request", "relocation", "new_baby", "job_change"):
        assert labels[label] >= 3, label
    grief = [e.text for e in texts if shop.text_labels[e.event_id] == "bereavement"]
    assert all(e and re.search(r"passed away|lost my|grieving|died", e) for e in grief)


def test_preferences_are_varied_and_valid(shop: DemoShop) -> None:
    prefs = list(shop.preferences.values())
    for p in prefs:
        ZoneInfo(p.timezone)
        assert p.channels and (p.max_recommendations is None or p.max_recommendations >= 1)
    assert len({p.timezone for p in prefs}) >= 8
    budgets = [p.max_recommendations for p in prefs if p.max_recommendations is not None]
    assert 0.5 < len(budgets) / len(prefs) < 0.7  # the others never chose one
    assert sum(3 <= b <= 8 for b in budgets) / len(budgets) > 0.8
    assert sum(bool(p.muted_categories) for p in prefs) > 50
    assert sum(p.quiet_hours is not None for p in prefs) > len(prefs) / 2
    assert 0.6 < sum(p.celebrations for p in prefs) / len(prefs) < 0.95
    assert sum(bool(p.allowed_sensitive) for p in prefs) >= 1


def test_other_streams_present(shop: DemoShop) -> None:
    kinds = Counter(e.type for e in shop.events)
    for kind in EventType:
        assert kinds[kind] > 0, kind
    minutes = [e.value for e in shop.events if e.type is EventType.PROGRESS]
    assert all(m is not None and 10 <= m <= 240 for m in minutes)
    ratings = [e.value for e in shop.events if e.type is EventType.RATING]
    assert set(ratings) <= {1.0, 2.0, 3.0, 4.0, 5.0} and len(set(ratings)) >= 4


def test_operator_subjects_tell_their_stories(
    shop: DemoShop, states: dict[str, dict[Purpose, Decision]]
) -> None:
    ops = shop.operator_subjects
    assert 5 <= len(ops) <= 12 and all(s in shop.favourites and ops[s] for s in ops)
    by: dict[str, list[str]] = defaultdict(list)
    for e in shop.events:
        if e.subject_id in ops and (e.type in TEXT_EVENTS or e.type is EventType.PURCHASE):
            by[e.subject_id].append(e.text or e.item_id or "")
    titles = {i.item_id: i.title for i in shop.items}
    assert all(st is Decision.GRANTED for st in states["u0001"].values())
    assert shop.preferences["u0001"].max_recommendations == 3
    assert any("passed away" in t for t in by["u0002"])
    assert states["u0003"][Purpose.PERSONALIZATION] is Decision.DENIED
    assert any("lost my job" in t for t in by["u0004"])
    assert shop.preferences["u0005"].timezone == "Asia/Tokyo"
    assert Sensitivity.HEALTH in shop.preferences["u0006"].allowed_sensitive
    assert "Blood Pressure Monitor" in {titles.get(t) for t in by["u0006"]}
    assert "u0007" not in shop.preferences
    assert set(states["u0007"].values()) == {Decision.UNSET}
    assert states["u0008"][Purpose.MESSAGING] is Decision.DENIED
    assert any("talk to a person" in t for t in by["u0009"])


def test_bad_arguments_name_the_field() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(InvalidInput) as naive:
        generate(rng=rng, now=datetime(2026, 6, 1))
    assert naive.value.field == "now"
    for field, kwargs in (
        ("n_items", {"n_items": 10}),
        ("n_items", {"n_items": 100_000}),
        ("n_people", {"n_people": 3}),
        ("n_events", {"n_events": 10}),
    ):
        with pytest.raises(InvalidInput) as bad:
            generate(rng=rng, now=NOW, **kwargs)
        assert bad.value.field == field


def test_declared_preferences_keep_the_core_rules(shop: DemoShop) -> None:
    assert shop.preferences
    for prefs in shop.preferences.values():
        assert validate_preferences(prefs) == prefs
