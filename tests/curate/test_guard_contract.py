"""The guard contract, for every guard of every ``REGISTRY`` name: its output is a part of
its input (items, aligned scores, evidence only for kept items); changing any input it does
not declare (``Guard.reads``) leaves its output and held-back count unchanged, so the
serving cache's reuse is sound; and each input it declares does change them on this
fixture, so the fixture tests something and no declaration costs the cache for nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tactful.curate import REGISTRY, Context, Guard, Input
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

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TOPICS = {"categories": ["yoga"]}
"""What the person wrote about in their hard time."""
HOUR, DAY = timedelta(hours=1), timedelta(days=1)

CATALOGUE = {
    "tent": Item("tent", "Tent", ("camping",), values=("repairable",)),
    "chair": Item("chair", "Camp Chair", ("camping",), promotional=True),
    "stove": Item("stove", "Stove", ("camping",), price=200.0),
    "shoe": Item("shoe", "Trail Shoe", ("running",)),
    "sock": Item("sock", "Running Socks", ("running",)),
    "mat": Item("mat", "Yoga Mat", ("yoga",)),
    "test": Item("test", "Pregnancy Test", ("health",), sensitive=Sensitivity.PREGNANCY),
    "sold": Item("sold", "Sold-out Lantern", ("camping",), available=False),
    "lamp": Item("lamp", "Head Lamp", ("camping",)),
    "bar": Item("bar", "Protein Bar", ("nutrition",)),
    "stakes": Item("stakes", "Tent Stakes", ("camping",)),  # a new arrival
}
OTHER_CATALOGUE = {
    **CATALOGUE,
    "tent": Item("tent", "Tent", ("running",), available=False),
    "chair": Item("chair", "Camp Chair", ("camping",)),
    "stove": Item("stove", "Stove", ("yoga",)),
    "mat": Item("mat", "Yoga Mat", ("yoga",), values=("repairable",)),
    "test": Item("test", "Pregnancy Test", ("health",)),
    "sold": Item("sold", "Lantern", ("camping",)),
    "bar": Item("bar", "Protein Bar", ("food",)),
}


def ev(*items: str) -> tuple[Evidence, ...]:
    return tuple(Evidence("item", 0.5, item_id=i) for i in items)


SCORED = Scored(
    ("tent", "chair", "stove", "shoe", "sock", "mat", "test", "sold", "lamp", "bar", "stakes"),
    (10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5, 0.0),
    {
        "stakes": (Evidence("new_arrival", 0.4), Evidence("category", 0.3, detail="camping")),
        "tent": ev("shoe"),
        "chair": ev("lamp"),
        "stove": ev("sock", "bar"),
        "shoe": ev("sock", "bar"),
        "sock": ev("test"),
        "mat": ev("bar", "sock"),
    },
)


def event(n: int, kind: EventType, item: str, ago: timedelta) -> Event:
    return Event(f"e{n}", "u1", kind, NOW - ago, item)


HISTORY = (
    event(1, EventType.VIEW, "shoe", 10 * DAY),  # a single view: single_signal
    Event("e2", "u1", EventType.LOCATION, NOW - HOUR, "lamp"),  # fresh private: cooldown
    event(3, EventType.ADD_TO_CART, "sock", 29 * DAY),  # in the cart for one more day
    event(4, EventType.PURCHASE, "bar", 3 * DAY),
    event(5, EventType.DISMISS, "sold", 2 * DAY),  # damps camping
    event(6, EventType.PURCHASE, "sock", 40 * DAY),
    event(7, EventType.CANCEL, "chair", 2 * DAY),  # tender: left out
)
OTHER_HISTORY = (
    event(1, EventType.VIEW, "shoe", 10 * DAY),
    event(2, EventType.VIEW, "shoe", 9 * DAY),
    event(3, EventType.VIEW, "lamp", 2 * HOUR),
    event(4, EventType.PURCHASE, "tent", 3 * DAY),
    event(5, EventType.DISMISS, "mat", 2 * DAY),
    event(6, EventType.ADD_TO_CART, "shoe", DAY),
    event(7, EventType.VIEW, "test", 5 * DAY),  # sensitive: nothing is inferred from it
    event(8, EventType.CLICK, "stove", HOUR),  # engaged after its last showing
    event(9, EventType.PURCHASE, "mat", 30 * DAY),
)


def shown(item: str, ago: timedelta) -> Exposure:
    return Exposure("u1", (item,), {}, None, NOW - ago)


EXPOSURES = (shown("stove", 6.5 * DAY), shown("stove", 6 * DAY), shown("stove", 2 * HOUR))
OTHER_EXPOSURES = tuple(shown("shoe", k * HOUR) for k in (3, 4, 5))

BASE = Context(
    subject_id="u1",
    now=NOW,
    prefs=Preferences(
        max_recommendations=6, muted_categories=("nutrition",), values=("repairable",)
    ),
    catalogue=CATALOGUE,
    history=HISTORY,
    exposures=EXPOSURES,
    personalized=True,
    consented=True,
    limit=5,
    settings=GuardSettings(
        diversity_lambda=0.9, diversity_coverage=0.3, move_categories=["camping"]
    ),
    signals=Profile(  # a hard time: emotional_context, tender and the budget act
        signals=(Signal("u1", "topics", 1.0, Purpose.EMOTIONAL_CONTEXT, NOW, None, TOPICS),),
        distress=0.9,
        paused=True,
    ),
    score_scale=None,
    request=RequestContext.BROWSE,  # asked for: a hard time still lists gentle items
)

CHANGES: dict[Input, dict[str, Any]] = {
    Input.HISTORY: {"history": OTHER_HISTORY},
    Input.PREFERENCES: {
        "prefs": Preferences(
            max_recommendations=2,
            muted_categories=("yoga",),
            values=("vegan",),
            allowed_sensitive=(Sensitivity.PREGNANCY,),
        )
    },
    Input.SIGNALS: {
        "signals": Profile(
            signals=(Signal("u1", "request:mute:yoga", 1.0, Purpose.EMOTIONAL_CONTEXT, NOW),),
            interests={"running": 0.7, "yoga": 0.3},
        )
    },
    Input.CATALOGUE: {"catalogue": OTHER_CATALOGUE},
    Input.MODEL: {"score_scale": 50.0},
    Input.EXPOSURES: {"exposures": OTHER_EXPOSURES},
    Input.CLOCK: {"now": NOW + 2 * DAY},
    Input.LIMIT: {"limit": 2},
    Input.REQUEST: {"request": RequestContext.HOME},
}
"""For each input, the same context with that input (and nothing else) changed."""

GUARDS = [g for name in sorted(REGISTRY) for g in REGISTRY[name]]
MOVED = Signal("u1", "life_event:relocation", 0.9, Purpose.EMOTIONAL_CONTEXT, NOW, None)
BASES = {"moving": replace(BASE, signals=Profile(signals=(MOVED,), life_events=(MOVED,)))}
"""Guards that act only outside a hard time get a calm base (a move, nothing hard)."""


def base(guard: Guard) -> Context:
    return BASES.get(guard.kind, BASE)


def changed(what: Input, guard: Guard | None = None) -> Context:
    return replace(BASE if guard is None else base(guard), **CHANGES[what])


def observe(guard: Guard, ctx: Context) -> tuple[Any, ...]:
    after = guard(SCORED, ctx)
    n = guard.held_back(SCORED, after, ctx)
    return after.items, after.scores, dict(after.evidence), n, guard.describe(n, ctx)


def test_every_input_has_a_change() -> None:
    assert set(CHANGES) == set(Input)


@pytest.mark.parametrize("guard", GUARDS, ids=lambda g: g.kind)
@pytest.mark.parametrize("what", [None, *Input], ids=lambda w: f"with-{w or 'base'}")
def test_the_output_is_part_of_the_input(guard: Guard, what: Input | None) -> None:
    ctx = base(guard) if what is None else changed(what, guard)
    out = guard(SCORED, ctx)
    assert set(out.items) <= set(SCORED.items)
    assert len(set(out.items)) == len(out.items) == len(out.scores)
    assert set(out.evidence) <= set(out.items)
    assert guard.held_back(SCORED, out, ctx) >= 0


UNDECLARED = [(g, w) for g in GUARDS for w in Input if w not in g.reads]
DECLARED = [(g, w) for g in GUARDS for w in sorted(g.reads)]


@pytest.mark.parametrize(("guard", "what"), UNDECLARED, ids=lambda x: str(getattr(x, "kind", x)))
def test_what_a_guard_does_not_declare_does_not_change_it(guard: Guard, what: Input) -> None:
    assert observe(guard, changed(what, guard)) == observe(guard, base(guard))


@pytest.mark.parametrize(("guard", "what"), DECLARED, ids=lambda x: str(getattr(x, "kind", x)))
def test_what_a_guard_declares_changes_it_here(guard: Guard, what: Input) -> None:
    assert observe(guard, changed(what, guard)) != observe(guard, base(guard))


class Unchanged:
    """Stores as the cache sees them when nothing about the person changed since."""

    def exposures_if_unchanged(self, subject: str, **_: Any) -> tuple[()]:
        return ()


ENTRY_HEADS = [
    (
        GuardSettings().order,
        ["unavailable", "already_purchased", "dismissed", "muted_category", "sensitive"],
    ),
    (["in_cart", "eligibility", "dismissed", "budget"], []),  # in_cart reads the clock
    (["values", "muted_category", "diversity", "eligibility"], ["values", "muted_category"]),
    (["eligibility", "retargeting_cap", "sensitive"], ["unavailable", "already_purchased"]),
]


@pytest.mark.parametrize(("order", "once"), ENTRY_HEADS)
def test_the_cache_runs_once_per_entry_exactly_the_guards_that_allow_it(
    order: list[str], once: list[str]
) -> None:
    """Three requests on one entry, at three moments, with two limits: the guards at the
    head that read only what an entry holds run once; every other guard runs for each of
    the two lists (the third request reuses the first list)."""
    from tactful.app.cache import ServingCache, recommend_cached
    from tactful.app.exposures import ExposureLog
    from tactful.app.serving import Prepared
    from tactful.curate import build_pipeline
    from tactful.settings import Settings
    from tactful.store.memory import MemoryStores

    calls: dict[str, int] = {}

    def counted(guard: Guard) -> Guard:
        def apply(scored: Scored, ctx: Context) -> Scored:
            calls[guard.kind] = calls.get(guard.kind, 0) + 1
            return guard.apply(scored, ctx)

        return replace(guard, apply=apply)

    guards = [counted(g) for g in build_pipeline(order)]
    cache = ServingCache(size=10, seconds=60, guards=guards)
    prepared = Prepared(SCORED, replace(BASE, exposures=()), None, stamp=7)
    for seconds, limit in ((0, 5), (1, 3), (2, 5)):
        recommend_cached(
            "u1",
            cache=cache,
            versions=1,
            stores=Unchanged(),  # type: ignore[arg-type]
            log=ExposureLog(MemoryStores().exposures),
            prepare=lambda: prepared,
            settings=Settings(),
            now=NOW + timedelta(seconds=seconds),
            limit=limit,
        )
    assert [g.kind for g in cache.head] == once
    assert calls == {g.kind: 1 if g.kind in once else 2 for g in guards}
