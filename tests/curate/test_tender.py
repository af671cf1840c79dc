"""A hard time by request context, and the ``tender`` guards (issue 10, defect 1)."""

from datetime import UTC, datetime, timedelta

import pytest

from tactful.curate import Context, build_pipeline, curate
from tactful.settings import GuardSettings
from tactful.signals.profile import Profile
from tactful.types import (
    Event,
    EventType,
    Item,
    Preferences,
    Purpose,
    RequestContext,
    Scored,
    Signal,
)

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
CATALOGUE = {
    "chair": Item("chair", "Folding Camp Chair", ("camping",), price=45.0),
    "mug": Item("mug", "Titanium Mug", ("camping",), price=28.0),
    "sock": Item("sock", "Merino Socks", ("running",), price=20.0),
    "cap": Item("cap", "Running Cap", ("running",), price=25.0),
    "mat": Item("mat", "Yoga Mat", ("yoga",), price=40.0),
    "sale": Item("sale", "Flash Sale Vest", ("running",), promotional=True),
    "shell": Item("shell", "Wind Shell", ("running",), price=90.0),
}
SCORED = Scored(
    ("chair", "sale", "mug", "sock", "shell", "cap", "mat"), (9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0)
)
ORDER = GuardSettings().order


def grief(*topics: str, kind: str = "life_event:bereavement") -> Profile:
    noticed = Signal("u1", kind, 0.99, Purpose.EMOTIONAL_CONTEXT, NOW)
    about = Signal(
        "u1", "topics", 1.0, Purpose.EMOTIONAL_CONTEXT, NOW, None, {"categories": list(topics)}
    )
    return Profile(signals=(about, noticed), life_events=(noticed,))


def cancelled(item: str) -> Event:
    return Event(f"c-{item}", "u1", EventType.CANCEL, NOW - timedelta(days=1), item)


def ctx(signals: Profile, request: RequestContext, history: tuple[Event, ...] = ()) -> Context:
    return Context(
        subject_id="u1",
        now=NOW,
        prefs=Preferences(),
        catalogue=CATALOGUE,
        history=history,
        limit=10,
        signals=signals,
        request=request,
        personalized=True,
        consented=True,
    )


@pytest.mark.parametrize("request_context", [RequestContext.HOME, RequestContext.EMAIL])
def test_a_proactive_list_in_a_hard_time_shows_nothing_but_the_gentle_note(
    request_context: RequestContext,
) -> None:
    out = curate(SCORED, ctx(grief("camping"), request_context), build_pipeline(ORDER))
    assert out.scored.items == ()
    assert [(h.kind, h.text) for h in out.held_back] == [
        ("emotional_context", "We're keeping things quiet for now.")
    ]


def test_a_search_in_a_hard_time_lists_gentle_items_away_from_what_they_wrote_about() -> None:
    """Bereaved, wrote about the tent (camping) and cancelled the mug: no camping item, no
    promotion, nothing cancelled, at most ``distress_max_items``."""
    c = ctx(grief("camping"), RequestContext.SEARCH, (cancelled("sock"),))
    out = curate(SCORED, c, build_pipeline(ORDER))
    assert out.scored.items == ("shell", "cap", "mat")
    held = {h.kind: h.text for h in out.held_back}
    assert held["hard_topic"] == "2 items left out for now: they are about what you wrote to us."
    assert held["cancelled_order"] == (
        "1 item left out for now: from orders you cancelled or returned."
    )
    assert held["emotional_context"] == "We're keeping things quiet for now."


def test_calm_times_and_other_hard_times_keep_topics_and_cancelled_items() -> None:
    history = (cancelled("sock"),)
    tender = build_pipeline(["tender"])
    calm = curate(SCORED, ctx(Profile(), RequestContext.HOME, history), tender)
    assert calm.scored == SCORED  # nothing tender without a hard time
    moving = grief("camping", kind="life_event:relocation")
    assert curate(SCORED, ctx(moving, RequestContext.BROWSE, history), tender).scored == SCORED
    distressed = Profile(signals=grief("camping").signals[:1], distress=0.9)
    out = curate(SCORED, ctx(distressed, RequestContext.BROWSE, history), tender)
    assert out.scored.items == ("sale", "shell", "cap", "mat")


def test_calm_times_ignore_the_request_context() -> None:
    for request in RequestContext:
        out = curate(SCORED, ctx(Profile(), request), build_pipeline(["emotional_context"]))
        assert out.scored == SCORED
