"""Signals computed from behaviour, and the profile built from signals."""

from datetime import UTC, datetime, timedelta

import pytest

from tactful.settings import Settings
from tactful.signals.behaviour import (
    affinities,
    affinity,
    behaviour_signals,
    category_mix,
    trust_signal,
    unengaged_shows,
)
from tactful.signals.profile import build_profile
from tactful.types import (
    Event,
    EventType,
    Exposure,
    Item,
    Preferences,
    Purpose,
    Sensitivity,
    Signal,
)

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
DAY = timedelta(days=1)
CATALOGUE = {
    "tent": Item("tent", "Tent", ("camping",), ("repairable",)),
    "mug": Item("mug", "Mug", ("camping", "kitchen"), ("repairable", "fair_trade")),
    "shoe": Item("shoe", "Shoe", ("running",)),
    "test": Item("test", "Pregnancy Test", ("health",), sensitive=Sensitivity.PREGNANCY),
}


def ev(n: int, item: str, kind: EventType = EventType.PURCHASE, days: float = 1) -> Event:
    return Event(f"e{n}", "u1", kind, NOW - days * DAY, item)


def test_affinity_weighs_types_splits_attributes_and_decays() -> None:
    history = (
        ev(1, "tent"),  # purchase: 5
        ev(2, "mug", EventType.VIEW),  # view: 1, split over camping and kitchen
        ev(3, "shoe", days=90),  # a purchase one half-life ago: 2.5
        ev(4, "shoe", EventType.DISMISS),  # negative: not an interest
    )
    raw = affinity(history, CATALOGUE, attribute="categories", now=NOW, half_life=90 * DAY)
    weights = {k: round(w, 3) for k, (w, _) in raw.items()}
    decay_1d = 0.5 ** (1 / 90)
    assert weights == {
        "camping": round(5 * decay_1d + 0.5 * decay_1d, 3),
        "kitchen": round(0.5 * decay_1d, 3),
        "running": round(5 * 0.5 ** (90 / 90), 3),
    }
    assert [e.event_id for e in raw["camping"][1]] == ["e1", "e2"]


def test_affinities_are_each_attributes_affinity() -> None:
    history = (ev(1, "tent"), ev(2, "mug", EventType.VIEW), ev(3, "test"), ev(4, "shoe", days=9))
    both = affinities(
        history, CATALOGUE, attributes=("categories", "values"), now=NOW, half_life=90 * DAY
    )
    for attribute in ("categories", "values"):
        alone = affinity(history, CATALOGUE, attribute=attribute, now=NOW, half_life=90 * DAY)
        assert both[attribute] == alone
    assert set(both["values"]) == {"repairable", "fair_trade"}


def test_nothing_is_inferred_from_sensitive_items() -> None:
    history = (ev(1, "test"), ev(2, "test", days=2), ev(3, "shoe"))
    assert set(category_mix(history, CATALOGUE, now=NOW)) == {"running"}


def test_category_mix_sums_to_one() -> None:
    mix = category_mix((ev(1, "tent"), ev(2, "shoe")), CATALOGUE, now=NOW)
    assert mix == {"camping": 0.5, "running": 0.5}
    assert category_mix((), CATALOGUE, now=NOW) == {}


def test_unengaged_shows_count_since_last_engagement_in_window() -> None:
    exposures = [
        Exposure("u1", ("tent", "mug"), {}, None, NOW - 8 * DAY),  # outside 7 days
        Exposure("u1", ("tent", "mug"), {}, None, NOW - 5 * DAY),
        Exposure("u1", ("tent", "mug"), {}, None, NOW - 3 * DAY),
        Exposure("u1", ("tent",), {}, None, NOW - 1 * DAY),
    ]
    history = [ev(1, "mug", EventType.CLICK, days=4)]
    shows = unengaged_shows(exposures, history, now=NOW, window=7 * DAY)
    assert shows == {"tent": 3, "mug": 1}


def test_behaviour_signals_have_evidence_purpose_and_expiry() -> None:
    history = [ev(1, "tent", days=10), ev(2, "mug", days=2), ev(3, "shoe", days=5)]
    exposures = [Exposure("u1", ("shoe", "mug"), {}, None, NOW - DAY)]
    got = {s.kind: s for s in behaviour_signals(
        "u1", history, exposures, CATALOGUE, now=NOW, settings=Settings())}  # fmt: skip
    assert set(got) == {
        "interest:camping",
        "interest:kitchen",
        "interest:running",
        "value:repairable",
        "value:fair_trade",
        "recency",
        "retargeting:mug",
        "retargeting:shoe",  # bought days before it was shown again: that show counts
    }
    camping = got["interest:camping"]
    assert camping.purpose is Purpose.PERSONALIZATION
    assert camping.evidence == ("e1", "e2")
    assert camping.expires_at == NOW - 2 * DAY + 4 * 90 * DAY
    assert sum(got[k].value for k in got if k.startswith("interest:")) == pytest.approx(1.0)
    assert got["recency"].value == pytest.approx(2.0)
    assert got["retargeting:mug"].value == 1.0


def test_trust_falls_with_dismissals_complaints_and_opt_outs() -> None:
    calm = trust_signal("u1", [], now=NOW)
    assert calm.value == 1.0
    upset = trust_signal(
        "u1",
        [ev(1, "tent", EventType.DISMISS), ev(2, "mug", EventType.DISMISS, days=40)],
        now=NOW,
        complaints=1,
        opt_outs=1,
    )
    assert upset.value == pytest.approx(1 / (1 + 0.2 + 0.5 + 0.5), abs=1e-6)
    assert upset.detail["dismissals_30d"] == 1
    assert upset.evidence == ("e1",)


def test_profile_ignores_expired_and_weak_signals_and_reads_pause() -> None:
    def sig(kind: str, value: float, expires: timedelta | None = None) -> Signal:
        at = None if expires is None else NOW + expires
        return Signal("u1", kind, value, Purpose.EMOTIONAL_CONTEXT, NOW, at)

    signals = [
        sig("life_event:bereavement", 0.9, 30 * DAY),
        sig("life_event:relocation", 0.3, 30 * DAY),  # too weak
        sig("life_event:illness", 0.9, -DAY),  # over
        sig("distress", 0.6, DAY),
        sig("interest:camping", 0.7),
    ]
    p = build_profile(signals, now=NOW, distress_threshold=0.5, min_confidence=0.5)
    assert [s.kind for s in p.life_events] == ["life_event:bereavement"]
    assert p.quiet and p.why_quiet == ("distress", "bereavement")
    assert p.interests == {"camping": 0.7}
    assert build_profile([sig("distress", 0.4)], now=NOW).quiet  # the model read distress
    calm = build_profile([sig("distress", 0.4)], now=NOW, distress_threshold=0.5)
    assert not calm.quiet
    paused = build_profile([], now=NOW, prefs=Preferences(pause_until=NOW + DAY))
    assert paused.quiet and paused.why_quiet == ("pause",)
    over = build_profile([], now=NOW, prefs=Preferences(pause_until=NOW - DAY))
    assert not over.quiet


def test_a_stored_correction_overrides_a_computed_interest() -> None:
    computed = Signal("u1", "interest:camping", 0.7, Purpose.PERSONALIZATION, NOW)
    running = Signal("u1", "interest:running", 0.3, Purpose.PERSONALIZATION, NOW)
    removed = Signal("u1", "interest:camping", 0.0, Purpose.PERSONALIZATION, NOW,
                     detail={"corrected": True})  # fmt: skip
    p = build_profile([computed, running, removed], now=NOW)
    assert p.interests == {"running": 0.3}
    assert p.get("interest:camping") == removed
