"""The one consent filter over what the stores read (``consented_view``)."""

from datetime import UTC, datetime

from tactful.consent import fold, record
from tactful.store.consented import consented_view, consented_views
from tactful.store.ports import ContactView, SubjectView
from tactful.types import Decision, Event, EventType, Exposure, Preferences, Purpose, Signal

T0 = datetime(2026, 3, 1, tzinfo=UTC)
EVENTS = (Event("e1", "ann", EventType.VIEW, T0, "i1"),)
SHOWN = (Exposure("ann", ("i1",), {}, "v1", T0),)
MOOD = (Signal("ann", "mood", 0.2, Purpose.EMOTIONAL_CONTEXT, T0),)
PREFS = Preferences(max_recommendations=2)


def _state(*decisions: tuple[str, str]) -> dict[Purpose, Decision]:
    return fold(record("ann", p, d, at=T0) for p, d in decisions)


def _serving(state: dict[Purpose, Decision]) -> SubjectView:
    return SubjectView(state, PREFS, EVENTS, MOOD, SHOWN, (7,), 42)


def _contact(state: dict[Purpose, Decision]) -> ContactView:
    return ContactView(state, PREFS, EVENTS, MOOD, (), None)


def test_a_granted_purpose_sees_the_view_as_read() -> None:
    view = _serving(_state(("personalization", "granted")))
    assert consented_view(view, Purpose.PERSONALIZATION) is view


def test_without_the_purpose_events_and_exposures_are_dropped() -> None:
    for state in (
        _state(),
        _state(("personalization", "denied")),
        _state(("personalization", "granted"), ("personalization", "denied")),
        _state(("analytics", "granted"), ("emotional_context", "granted")),
    ):
        got = consented_view(_serving(state), Purpose.PERSONALIZATION)
        assert got.events == () and got.exposures == () and got.exposure_ids == ()
        # what other purposes and the person's own choices govern stays
        assert got.consents == state and got.preferences == PREFS
        assert got.signals == MOOD and got.stamp == 42


def test_the_filter_follows_the_purpose_asked_for() -> None:
    view = _serving(_state(("analytics", "granted")))
    assert consented_view(view, Purpose.ANALYTICS).events == EVENTS
    assert consented_view(view, Purpose.PERSONALIZATION).events == ()


def test_contact_views_lose_behaviour_without_the_purpose() -> None:
    views = {
        "ann": _contact(_state(("personalization", "granted"))),
        "bob": _contact(_state(("messaging", "granted"))),
    }
    got = consented_views(views, Purpose.PERSONALIZATION)
    assert got["ann"].events == EVENTS
    assert got["bob"].events == ()
    assert got["bob"].signals == MOOD and got["bob"].preferences == PREFS
