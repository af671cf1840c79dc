"""The tact guards, each on a list whose right answer is known."""

from datetime import UTC, datetime, timedelta

import pytest

from tactful.curate import REGISTRY, Context, build_pipeline, curate
from tactful.settings import GuardSettings
from tactful.signals.profile import Profile
from tactful.types import (
    Event,
    EventType,
    Evidence,
    Exposure,
    Item,
    Preferences,
    Purpose,
    RequestContext,
    Scored,
    Sensitivity,
    Signal,
)

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
CATALOGUE = {
    "tent": Item("tent", "Ultralight Tent", ("camping",), ("repairable",), price=420.0),
    "stove": Item("stove", "Camp Stove", ("camping",), price=60.0),
    "mug": Item("mug", "Enamel Mug", ("camping",), ("repairable", "fair_trade"), price=12.0),
    "sale": Item("sale", "Flash Sale Boots", ("hiking",), promotional=True, price=90.0),
    "shoe": Item("shoe", "Trail Runner 2", ("running",), price=130.0),
    "sock": Item("sock", "Merino Socks", ("running",), ("fair_trade",), price=20.0),
    "mat": Item("mat", "Yoga Mat", ("yoga",), price=40.0),
    "test": Item("test", "Pregnancy Test", ("health",), sensitive=Sensitivity.PREGNANCY),
    "crib": Item("crib", "Baby Crib", ("baby",), price=199.0),
}


def scored(*ids: str, evidence: dict[str, tuple[Evidence, ...]] | None = None) -> Scored:
    return Scored(ids, tuple(float(10 - i) for i in range(len(ids))), evidence or {})


def ctx(
    prefs: Preferences | None = None,
    history: tuple[Event, ...] = (),
    exposures: tuple[Exposure, ...] = (),
    signals: Profile | None = None,
    limit: int = 10,
    *,
    request: RequestContext = RequestContext.BROWSE,
    **settings: object,
) -> Context:
    return Context(
        subject_id="u1",
        now=NOW,
        prefs=prefs or Preferences(max_recommendations=20),
        catalogue=CATALOGUE,
        history=history,
        exposures=exposures,
        limit=limit,
        settings=GuardSettings.model_validate(settings),
        signals=signals or Profile(),
        personalized=True,
        consented=True,
        request=request,
    )


def event(item: str, kind: EventType = EventType.PURCHASE, *, hours: float = 48,
          source: str | None = None, n: int = 0) -> Event:  # fmt: skip
    return Event(f"e-{item}-{kind}-{n}", "u1", kind, NOW - timedelta(hours=hours), item, None,
                 None, source)  # fmt: skip


def run(guard: str, s: Scored, c: Context) -> tuple[tuple[str, ...], dict[str, int]]:
    out = curate(s, c, build_pipeline([guard]))
    return out.scored.items, {h.kind: h.count for h in out.held_back}


def item_ev(*ids: str) -> tuple[Evidence, ...]:
    return tuple(Evidence("item", 0.5, item_id=i) for i in ids)


# -- emotional_context ---------------------------------------------------------------------
def bereaved() -> Profile:
    grief = Signal("u1", "life_event:bereavement", 0.9, Purpose.EMOTIONAL_CONTEXT, NOW)
    return Profile(signals=(grief,), life_events=(grief,))


def test_calm_times_change_nothing() -> None:
    s = scored("sale", "tent", "mug")
    assert run("emotional_context", s, ctx()) == (("sale", "tent", "mug"), {})


@pytest.mark.parametrize(
    "profile",
    [bereaved(), Profile(distress=0.8), Profile(paused=True)],
    ids=["life_event", "distress", "declared_pause"],
)
def test_hard_time_drops_offers_and_big_prices_and_shrinks(profile: Profile) -> None:
    s = scored("sale", "tent", "mug", "stove", "sock", "mat", "shoe")
    c = ctx(Preferences(max_recommendations=5), signals=profile)
    out = curate(s, c, build_pipeline(["emotional_context", "budget"]))
    assert out.scored.items == ("mug", "stove", "sock")  # distress_max_items = 3
    (held,) = out.held_back
    assert held.kind == "emotional_context"
    assert held.text == "We're keeping things quiet for now."
    assert held.count == 2  # of the 5 they would have seen, sale and tent are gone


def test_distress_below_a_set_threshold_is_not_a_hard_time() -> None:
    mild = Profile(distress=0.3, distress_threshold=0.5)
    assert not mild.quiet and Profile(distress=0.3).quiet
    s = scored("sale", "mug")
    assert run("emotional_context", s, ctx(signals=mild))[0] == ("sale", "mug")


def test_high_price_is_configurable() -> None:
    c = ctx(signals=Profile(paused=True), high_price=50.0)
    assert run("emotional_context", scored("stove", "mug", "mat"), c)[0] == ("mug", "mat")


# -- creepiness_cooldown -------------------------------------------------------------------
def test_fresh_private_source_evidence_alone_is_held_back() -> None:
    history = (
        event("shoe", hours=2, source="in_store"),  # private and fresh
        event("stove", hours=2),  # ordinary
        event("mat", hours=30, source="partner"),  # private but cooled down
    )
    s = scored(
        "sock", "mug", "tent", "crib",
        evidence={
            "sock": item_ev("shoe"),
            "mug": item_ev("stove", "shoe"),
            "tent": item_ev("mat"),
            "crib": (Evidence("location", 0.4, detail="near the maternity ward"),),
        },
    )  # fmt: skip
    c = ctx(history=history)
    out = curate(s, c, build_pipeline(["creepiness_cooldown"]))
    assert out.scored.items == ("mug", "tent")
    assert {h.kind: h.count for h in out.held_back} == {"creepiness_cooldown": 2}
    # the fresh private item is never named as evidence of what stays
    assert [e.item_id for e in out.scored.evidence["mug"]] == ["stove"]


def test_cooldown_hours_are_configurable() -> None:
    history = (event("shoe", hours=2, source="partner"),)
    s = scored("sock", evidence={"sock": item_ev("shoe")})
    assert run("creepiness_cooldown", s, ctx(history=history))[0] == ()
    c = ctx(history=history, creepiness_cooldown_hours=1)
    assert run("creepiness_cooldown", s, c)[0] == ("sock",)


def test_items_without_item_evidence_are_not_judged() -> None:
    s = scored("tent", evidence={"tent": (Evidence("popular", 3.0),)})
    assert run("creepiness_cooldown", s, ctx())[0] == ("tent",)


# -- retargeting_cap -----------------------------------------------------------------------
def shown(*items: str, days: float) -> Exposure:
    return Exposure("u1", items, {}, "m1", NOW - timedelta(days=days))


def test_item_shown_three_times_without_engagement_is_dropped() -> None:
    exposures = (
        shown("tent", "mug", "sock", days=6),
        shown("tent", "mug", "sock", days=3),
        shown("tent", "mug", days=1),
        shown("sock", days=9),  # outside the 7-day window
    )
    history = (event("mug", EventType.CLICK, hours=30),)  # engaged with the mug after show 2
    s = scored("tent", "mug", "sock", "stove")
    c = ctx(history=history, exposures=exposures)
    assert run("retargeting_cap", s, c) == (("mug", "sock", "stove"), {"retargeting_cap": 1})


def test_retargeting_cap_is_configurable() -> None:
    exposures = (shown("tent", days=2), shown("tent", days=1))
    s = scored("tent", "mug")
    assert run("retargeting_cap", s, ctx(exposures=exposures))[0] == ("tent", "mug")
    c = ctx(exposures=exposures, retargeting_max_shows=2)
    assert run("retargeting_cap", s, c)[0] == ("mug",)


# -- single_signal -------------------------------------------------------------------------
def test_an_item_backed_by_a_single_view_needs_a_margin() -> None:
    history = (
        event("shoe", EventType.VIEW),
        event("stove", EventType.VIEW),
        event("stove", EventType.VIEW, n=1),  # viewed twice: more than a glance
    )
    s = Scored(
        ("sock", "mug", "mat"),
        (1.0, 0.9, 0.5),
        {"sock": item_ev("shoe"), "mug": item_ev("stove"), "mat": item_ev("shoe")},
    )
    out = curate(s, ctx(Preferences(max_recommendations=2), history), build_pipeline(
        ["single_signal", "budget"]))  # fmt: skip
    assert out.scored.items == ("mug", "sock")  # 1.0 * 0.8 < 0.9
    assert out.scored.scores == pytest.approx((0.9, 0.8))
    # both still shown, only their order changed: nothing held back by single_signal
    assert {h.kind for h in out.held_back} == {"budget"}
    wide = Scored(("sock", "mug"), (1.0, 0.7), {"sock": item_ev("shoe"), "mug": item_ev("stove")})
    assert run("single_signal", wide, ctx(history=history))[0] == ("sock", "mug")  # margin met


# -- values --------------------------------------------------------------------------------
def test_declared_values_lift_matching_items_with_evidence() -> None:
    s = Scored(("stove", "mat", "mug", "sock"), (1.0, 0.95, 0.9, 0.5))
    c = ctx(Preferences(values=("fair_trade",), max_recommendations=20))
    out = curate(s, c, build_pipeline(["values"]))
    assert out.scored.items == ("mug", "stove", "mat", "sock")
    assert out.scored.scores[0] == pytest.approx(0.9 + 0.15)
    assert out.scored.evidence["mug"] == (Evidence("value", 0.15, detail="fair_trade"),)
    assert out.held_back == ()


def test_no_declared_values_no_lift() -> None:
    s = Scored(("stove", "mug"), (1.0, 0.9))
    assert run("values", s, ctx())[0] == ("stove", "mug")


# -- dismissed -----------------------------------------------------------------------------
def test_dismissal_drops_the_item_and_damps_its_category() -> None:
    s = Scored(("tent", "mug", "stove", "shoe"), (1.0, 0.9, 0.8, 0.6))
    c = ctx(history=(event("tent", EventType.DISMISS),))
    out = curate(s, c, build_pipeline(["dismissed"]))
    assert out.scored.items == ("shoe", "mug", "stove")  # camping halved: 0.45, 0.4
    assert out.scored.scores == pytest.approx((0.6, 0.45, 0.4))
    assert {h.kind: h.count for h in out.held_back} == {"dismissed": 1}
    c = ctx(history=(event("tent", EventType.DISMISS),), dismissed_category_damping=1.0)
    assert run("dismissed", s, c)[0] == ("mug", "stove", "shoe")


# -- sensitive: never from inference -------------------------------------------------------
def test_nothing_is_inferred_from_sensitive_behaviour() -> None:
    s = scored(
        "crib", "mat", "test",
        evidence={"crib": item_ev("test"), "mat": item_ev("test", "shoe"), "test": item_ev("shoe")},
    )  # fmt: skip
    history = (event("test"), event("shoe"))
    out = curate(s, ctx(history=history), build_pipeline(["sensitive"]))
    assert out.scored.items == ("mat",)
    assert [e.item_id for e in out.scored.evidence["mat"]] == ["shoe"]
    assert {h.kind: h.count for h in out.held_back} == {"sensitive": 2}
    allowed = ctx(Preferences(allowed_sensitive=(Sensitivity.PREGNANCY,)), history)
    assert run("sensitive", s, allowed)[0] == ("crib", "mat", "test")


# -- diversity -----------------------------------------------------------------------------
def test_mmr_interleaves_categories() -> None:
    s = Scored(("tent", "stove", "mug", "shoe", "mat"), (1.0, 0.98, 0.96, 0.9, 0.85))
    c = ctx(Preferences(max_recommendations=3), diversity_lambda=0.5)
    out = curate(s, c, build_pipeline(["diversity", "budget"]))
    assert out.scored.items == ("tent", "shoe", "mat")
    relevance_only = ctx(Preferences(max_recommendations=3), diversity_lambda=1.0)
    assert run("diversity", s, relevance_only)[0] == s.items


def test_calibration_follows_the_persons_mix() -> None:
    history = tuple(event(i, n=k) for k, i in enumerate(("stove", "mug", "shoe", "sock")))
    s = Scored(("tent", "crib", "mat", "shoe", "sock", "stove"), (1.0, 0.99, 0.98, 0.9, 0.9, 0.9))
    c = ctx(Preferences(max_recommendations=2), history, diversity_method="calibration",
            diversity_lambda=0.5)  # fmt: skip
    out = curate(s, c, build_pipeline(["diversity", "budget"]))
    cats = [CATALOGUE[i].categories[0] for i in out.scored.items]
    assert sorted(cats) == ["camping", "running"]  # half camping, half running, as they are


def test_default_order_has_every_guard_and_budget_last() -> None:
    order = GuardSettings().order
    assert set(order) == set(REGISTRY)
    assert order[-1] == "budget"
