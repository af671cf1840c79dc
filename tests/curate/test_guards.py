"""Each guard on a list whose right answer is known, and the pipeline's held-back summary."""

from datetime import UTC, datetime

import pytest

from tactful.curate import REGISTRY, Context, build_pipeline, curate
from tactful.errors import InvalidInput
from tactful.settings import GuardSettings
from tactful.types import Event, EventType, Item, Preferences, Scored, Sensitivity

NOW = datetime(2026, 6, 1, tzinfo=UTC)
CATALOGUE = {
    "tent": Item("tent", "Ultralight Tent", ("camping",)),
    "shoe": Item("shoe", "Trail Runner 2", ("running",)),
    "sold": Item("sold", "Sold-out Stove", ("camping",), available=False),
    "test": Item("test", "Pregnancy Test", ("health",), sensitive=Sensitivity.PREGNANCY),
    "mat": Item("mat", "Yoga Mat", ("yoga",)),
    "bar": Item("bar", "Protein Bar", ("nutrition",)),
}


def scored(*ids: str) -> Scored:
    return Scored(ids, tuple(float(10 - i) for i in range(len(ids))))


def ctx(
    prefs: Preferences | None = None, history: tuple[Event, ...] = (), limit: int = 10
) -> Context:
    return Context(
        subject_id="u1",
        now=NOW,
        prefs=prefs or Preferences(max_recommendations=20),
        catalogue=CATALOGUE,
        history=history,
        limit=limit,
    )


def bought(item: str) -> Event:
    return Event(f"e-{item}", "u1", EventType.PURCHASE, NOW, item)


def run(guard: str, s: Scored, c: Context) -> tuple[tuple[str, ...], dict[str, int]]:
    out = curate(s, c, build_pipeline([guard]))
    return out.scored.items, {h.kind: h.count for h in out.held_back}


def test_eligibility_drops_unavailable_and_purchased() -> None:
    items, held = run(
        "eligibility", scored("tent", "sold", "shoe", "ghost"), ctx(history=(bought("shoe"),))
    )
    assert items == ("tent",)
    assert held == {"unavailable": 2, "already_purchased": 1}


def test_muted_category() -> None:
    items, held = run(
        "muted_category",
        scored("tent", "shoe", "mat"),
        ctx(Preferences(muted_categories=("camping",))),
    )
    assert items == ("shoe", "mat")
    assert held == {"muted_category": 1}


@pytest.mark.parametrize(
    ("allowed", "expected"),
    [((), ("tent", "mat")), ((Sensitivity.PREGNANCY,), ("tent", "test", "mat"))],
)
def test_sensitive_only_when_allowed(
    allowed: tuple[Sensitivity, ...], expected: tuple[str, ...]
) -> None:
    items, _ = run(
        "sensitive", scored("tent", "test", "mat"), ctx(Preferences(allowed_sensitive=allowed))
    )
    assert items == expected


def test_dismissed_never_comes_back() -> None:
    no = Event("e-no", "u1", EventType.DISMISS, NOW, "mat")
    items, held = run("dismissed", scored("mat", "tent"), ctx(history=(no,)))
    assert items == ("tent",)
    assert held == {"dismissed": 1}


def test_budget_is_min_of_limit_and_preference() -> None:
    s = scored("tent", "shoe", "mat", "bar")
    items, held = run("budget", s, ctx(Preferences(max_recommendations=2), limit=10))
    assert items == ("tent", "shoe")
    assert held == {"budget": 2}
    items, held = run("budget", s, ctx(Preferences(max_recommendations=5), limit=3))
    assert items == ("tent", "shoe", "mat")
    assert held == {}  # the caller's own limit is not something we held back


def test_budget_never_pads_below_the_score_floor() -> None:
    s = Scored(("tent", "shoe", "mat"), (1.0, 0.5, 0.01))
    items, held = run("budget", s, ctx(Preferences(max_recommendations=5)))
    assert items == ("tent", "shoe")
    assert held == {}


def test_pipeline_order_and_summary_text() -> None:
    s = scored("sold", "test", "tent", "shoe", "mat", "bar")
    c = ctx(Preferences(max_recommendations=2, muted_categories=("running",)))
    out = curate(s, c, build_pipeline(["eligibility", "muted_category", "sensitive", "budget"]))
    assert out.scored.items == ("tent", "mat")
    texts = {h.kind: h.text for h in out.held_back}
    assert texts["sensitive"] == "1 item in sensitive categories we never suggest unless you ask."
    assert texts["budget"].startswith("1 item left out")


def test_unknown_guard_is_a_settings_error() -> None:
    with pytest.raises(InvalidInput) as err:
        build_pipeline(["eligibility", "telepathy"])
    assert err.value.field == "guards.order"


def test_default_order_is_buildable() -> None:
    assert set(GuardSettings().order) <= set(REGISTRY)


def test_a_pipeline_resumed_after_its_steady_head_gives_the_same_result() -> None:
    from tactful.app.cache import once_per_entry

    guards = build_pipeline(GuardSettings().order)
    k = once_per_entry(guards)
    assert [g.kind for g in guards[:k]] == [
        "unavailable",
        "already_purchased",
        "dismissed",
        "muted_category",
        "sensitive",
    ]
    c = ctx(Preferences(max_recommendations=2, muted_categories=("yoga",)), (bought("shoe"),))
    s = scored("tent", "sold", "shoe", "test", "mat", "bar")
    whole = curate(s, c, guards)
    head = curate(s, c, guards[:k])
    resumed = curate(head.scored, c, guards[k:], held=head.held_back)
    assert resumed == whole
    assert {h.kind: h.count for h in whole.held_back} == {
        "unavailable": 1,
        "already_purchased": 1,
        "muted_category": 1,
        "sensitive": 1,
    }


def test_budget_says_as_you_asked_only_when_the_person_chose_it() -> None:
    """Issue 10, defect 3: a person who never set a budget gets the default budget, and
    is not told it was their choice."""
    s = scored("tent", "shoe", "mat", "bar", "test")
    never = curate(s, ctx(Preferences(), limit=10), build_pipeline(["budget"]))
    assert never.scored.items == ("tent", "shoe", "mat", "bar", "test")[:5]
    chose = curate(s, ctx(Preferences(max_recommendations=2), limit=10), build_pipeline(["budget"]))
    assert [h.text for h in chose.held_back] == [
        "3 items left out to keep your list short, as you asked."
    ]
    c = Context(
        subject_id="u1",
        now=NOW,
        prefs=Preferences(),
        catalogue=CATALOGUE,
        limit=10,
        settings=GuardSettings(default_max_recommendations=2),
    )
    default = curate(s, c, build_pipeline(["budget"]))
    assert default.scored.items == ("tent", "shoe")
    assert [h.text for h in default.held_back] == ["3 items left out to keep your list short."]
