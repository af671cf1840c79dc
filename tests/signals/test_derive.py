"""Signals through the stores: derived on write under consent, read with purposes checked."""

from datetime import UTC, datetime, timedelta

import pytest

from tactful.consent.policy import ConsentPolicy
from tactful.settings import Settings
from tactful.signals import derive
from tactful.signals.derive import current_signals, derive_on_write, serving_signals
from tactful.store import MemoryStores
from tactful.types import (
    ConsentRecord,
    Decision,
    Event,
    EventType,
    Exposure,
    Item,
    Purpose,
    Signal,
)

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
GRIEF = "My father passed away last week."
CATALOGUE = {"tent": Item("tent", "Tent", ("camping",)), "mug": Item("mug", "Mug", ("camping",))}


def stores_with(*grants: Purpose) -> MemoryStores:
    s = MemoryStores()
    s.consents.append([ConsentRecord("u1", p, Decision.GRANTED, NOW) for p in grants])
    return s


def text(n: int, words: str = GRIEF) -> Event:
    return Event(f"t{n}", "u1", EventType.FEEDBACK_TEXT, NOW - timedelta(hours=n), text=words)


def test_texts_are_read_only_under_emotional_context() -> None:
    stores = stores_with(Purpose.PERSONALIZATION)
    stores.events.add([text(1)])  # e.g. stored before the consent was withdrawn
    stale = Signal("u1", "mood", -0.9, Purpose.EMOTIONAL_CONTEXT, NOW)
    stores.signals.put([stale])
    assert derive_on_write([text(1)], stores=stores, now=NOW, settings=Settings()) == {"u1": []}
    assert stores.signals.for_subject("u1") == []  # deleted, not derived


def test_a_text_under_consent_stores_mood_and_life_events() -> None:
    stores = stores_with(Purpose.EMOTIONAL_CONTEXT)
    stores.events.add([text(1)])
    got = derive_on_write([text(1)], stores=stores, now=NOW, settings=Settings())
    kinds = {s.kind for s in got["u1"]}
    assert {"mood", "life_event:bereavement"} <= kinds
    assert {s.kind for s in stores.signals.for_subject("u1")} == kinds
    behavioural = Event("v", "u1", EventType.VIEW, NOW, "tent")
    assert derive_on_write([behavioural], stores=stores, now=NOW, settings=Settings()) == {}


def test_a_failure_after_storing_is_logged_not_raised(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> list[Signal]:
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr(derive, "emotional_signals", broken)
    stores = stores_with(Purpose.EMOTIONAL_CONTEXT)
    assert derive_on_write([text(1)], stores=stores, now=NOW, settings=Settings()) == {}
    assert "deriving signals failed" in caplog.text


def test_serving_uses_a_stored_signal_only_while_its_purpose_is_granted() -> None:
    stores = stores_with(Purpose.PERSONALIZATION)
    grief = Signal("u1", "life_event:bereavement", 0.9, Purpose.EMOTIONAL_CONTEXT, NOW,
                   NOW + timedelta(days=30))  # fmt: skip
    stores.signals.put([grief])
    history = [Event("p", "u1", EventType.PURCHASE, NOW - timedelta(days=1), "tent")]
    stores.exposures.add([Exposure("u1", ("mug",), {}, None, NOW - timedelta(days=1))])
    consents = stores.consents.current_many(["u1"])["u1"]
    profile, exposures = serving_signals(
        "u1", stores=stores, history=history, prefs=None, catalogue=CATALOGUE,
        consents=consents, now=NOW, settings=Settings(),
    )  # fmt: skip
    assert not profile.quiet
    assert profile.interests == {"camping": 1.0} and len(exposures) == 1
    consents = {**consents, Purpose.EMOTIONAL_CONTEXT: Decision.GRANTED}
    profile, _ = serving_signals(
        "u1", stores=stores, history=history, prefs=None, catalogue=CATALOGUE,
        consents=consents, now=NOW, settings=Settings(),
    )  # fmt: skip
    assert profile.quiet and profile.why_quiet == ("bereavement",)


def test_without_personalization_nothing_behavioural_is_used() -> None:
    stores = stores_with(Purpose.ANALYTICS)
    stores.events.add([Event("p", "u1", EventType.PURCHASE, NOW, "tent")])
    stores.exposures.add([Exposure("u1", ("mug",), {}, None, NOW)])
    consents = stores.consents.current_many(["u1"])["u1"]
    profile, exposures = serving_signals(
        "u1", stores=stores, history=[], prefs=None, catalogue=CATALOGUE,
        consents=consents, now=NOW, settings=Settings(),
    )  # fmt: skip
    assert profile.signals == () and exposures == ()
    found = current_signals(
        "u1", stores=stores, catalogue=CATALOGUE, policy=ConsentPolicy(), now=NOW,
        settings=Settings(),
    )  # fmt: skip
    assert found == []
