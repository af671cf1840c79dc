"""The new-arrivals guard gives new items a place within the budget, never beyond it."""

from __future__ import annotations

from datetime import UTC, datetime

from tactful.curate import Context, curate
from tactful.curate.arrivals import NEW_ARRIVALS
from tactful.curate.guards import BUDGET
from tactful.settings import GuardSettings
from tactful.signals.profile import Profile
from tactful.types import Evidence, Item, Preferences, Scored

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
REGULAR = ("a", "b", "c", "d", "e", "f")
NEW = ("n1", "n2")
CATALOGUE = {i: Item(i, i.upper(), ("camping",)) for i in REGULAR + NEW}


def listed(regular: int = 6, new: tuple[str, ...] = NEW) -> Scored:
    items = REGULAR[:regular] + new
    scores = tuple(float(10 - k) for k in range(regular)) + (0.0,) * len(new)
    evidence = {n: (Evidence("new_arrival", 0.5 - k / 10),) for k, n in enumerate(new)}
    return Scored(items, scores, evidence)


def ctx(budget: int, *, slots: int = 1, limit: int = 10, quiet: bool = False) -> Context:
    return Context(
        subject_id="u1",
        now=NOW,
        prefs=Preferences(max_recommendations=budget),
        catalogue=CATALOGUE,
        history=(),
        exposures=(),
        personalized=True,
        consented=True,
        limit=limit,
        settings=GuardSettings(new_arrival_slots=slots),
        signals=Profile(paused=quiet),
        score_scale=None,
    )


def shown(scored: Scored, context: Context) -> Scored:
    return curate(scored, context, (NEW_ARRIVALS, BUDGET)).scored


def test_the_best_new_arrival_takes_the_last_place_of_the_budget() -> None:
    out = shown(listed(), ctx(4))
    assert out.items == ("a", "b", "c", "n1")
    assert out.scores == (10.0, 9.0, 8.0, 8.0)  # the score of the item just above
    held = curate(listed(), ctx(4), (NEW_ARRIVALS, BUDGET)).held_back
    assert [(h.kind, h.count) for h in held] == [("budget", 3)]  # d, e and f, each once
    asked_four = curate(listed(), ctx(4, limit=4), (NEW_ARRIVALS, BUDGET)).held_back
    assert [(h.kind, h.count) for h in asked_four] == [("new_arrivals", 1)]  # d


def test_more_slots_never_take_more_than_half_the_budget() -> None:
    assert shown(listed(), ctx(4, slots=3)).items == ("a", "b", "n1", "n2")
    assert shown(listed(), ctx(1, slots=3)).items == ("a",)  # the one place stays the best
    assert shown(listed(), ctx(3, slots=0)).items == ("a", "b", "c")


def test_room_to_spare_is_filled_without_pushing_anything_out() -> None:
    out = curate(listed(regular=1), ctx(5, slots=2), (NEW_ARRIVALS, BUDGET))
    assert out.scored.items == ("a", "n1", "n2")
    assert "new_arrivals" not in {h.kind for h in out.held_back}
    assert shown(listed(regular=0), ctx(1)).items == ("n1",)


def test_a_hard_time_shrinks_the_budget_and_the_arrivals_with_it() -> None:
    out = shown(listed(), ctx(6, slots=2, quiet=True))  # distress_max_items: 3
    assert out.items == ("a", "b", "n1")


def test_without_arrivals_the_list_is_unchanged() -> None:
    plain = listed(new=())
    assert NEW_ARRIVALS(plain, ctx(3)) == plain
