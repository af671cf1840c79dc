"""The diversity guard's selectors on lists whose right answer is worked out by hand."""

from datetime import UTC, datetime

import numpy as np
import pytest

from tactful.curate import Context, build_pipeline, curate
from tactful.curate.diversity import cosine, covered_mmr_order, mmr_order, relevance
from tactful.settings import GuardSettings
from tactful.types import Item, Preferences, Scored

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
CATALOGUE = {
    "tent": Item("tent", "Ultralight Tent", ("camping",)),
    "stove": Item("stove", "Camp Stove", ("camping",)),
    "mug": Item("mug", "Enamel Mug", ("camping",)),
    "shoe": Item("shoe", "Trail Runner", ("running",)),
}
LIST = Scored(("tent", "stove", "mug", "shoe"), (1.0, 0.95, 0.9, 0.5))


def context(budget: int, **settings: object) -> Context:
    return Context(
        subject_id="u1",
        now=NOW,
        prefs=Preferences(max_recommendations=budget),
        catalogue=CATALOGUE,
        settings=GuardSettings.model_validate({"diversity_coverage": 0.0} | settings),
        personalized=True,
        consented=True,
    )


def shown(scored: Scored, ctx: Context) -> tuple[str, ...]:
    return curate(scored, ctx, build_pipeline(["diversity", "budget"])).scored.items


def test_relevance_is_a_share_of_the_top_or_of_a_larger_reference() -> None:
    assert relevance([0.66, 0.33]).tolist() == [1.0, 0.5]
    assert relevance([0.66, 0.33], reference=0.33).tolist() == [1.0, 0.5]  # top is larger
    assert relevance([0.66, 0.33], reference=1.32).tolist() == [0.5, 0.25]  # falls short
    assert relevance([0.0, 0.0], reference=1.0).tolist() == [1.0, 1.0]  # unscored: equal


def test_coverage_prefers_the_persons_uncovered_category() -> None:
    cats = [frozenset({"x"}), frozenset({"x"}), frozenset({"y"}), frozenset({"z"})]
    rel = np.array([1.0, 0.9, 0.8, 0.81])
    sim = cosine(cats)
    # Plain MMR: after A (x), B scores 0.81 - 0.1, C 0.72, D 0.729: D, a category the
    # person never touched, wins.
    assert mmr_order(rel, sim, 2, 0.9) == [0, 3]
    # The person likes x and y: C now earns 0.2 * 0.5 for covering y, 0.82 > 0.729.
    shares = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    intents = np.array([0.5, 0.5])
    assert covered_mmr_order(rel, sim, shares, intents, k=2, lam=0.9, mu=0.2) == [0, 2]
    # Once y is covered, the bonus is gone: the third pick is D again (0.729 - 0 vs B 0.71).
    assert covered_mmr_order(rel, sim, shares, intents, k=3, lam=0.9, mu=0.2) == [0, 2, 3]


def test_chosen_items_keep_their_score_order() -> None:
    # MMR picks tent, then shoe (0.6 * 0.5 = 0.3 beats stove's 0.57 - 0.4), then stove
    # (0.57 - 0.4 = 0.17 beats mug's 0.14); shown in score order, shoe last.
    ctx = context(3, diversity_lambda=0.6, diversity_reference_score=None)
    assert shown(LIST, ctx) == ("tent", "stove", "shoe")
    relevance_only = context(3, diversity_lambda=1.0, diversity_reference_score=None)
    assert shown(LIST, relevance_only) == ("tent", "stove", "mug")


def test_a_confident_list_is_left_alone_and_an_unsure_one_diversified() -> None:
    # Top score above the reference: shares (1, .95, .9, .5); with lambda 0.9 the mug
    # (0.81 - 0.1 * 2) still beats the shoe (0.45).
    confident = context(3, diversity_lambda=0.9, diversity_reference_score=0.1)
    assert shown(LIST, confident) == ("tent", "stove", "mug")
    # Top score far below it: relevance (0.1, 0.095, ...) is small next to the penalty,
    # so the running shoe (no similarity to camping) comes in second.
    unsure = context(3, diversity_lambda=0.9, diversity_reference_score=10.0)
    assert shown(LIST, unsure) == ("tent", "stove", "shoe")


@pytest.mark.parametrize(("reference", "expected"), [(0.1, "mug"), (10.0, "shoe")])
def test_the_reference_scales_with_the_scores(reference: float, expected: str) -> None:
    # The same list in units 100 times larger, with the reference 100 times larger too,
    # gets the same relevance and the same choice: the reference is a multiple of the
    # model's typical score, which is why the benchmark tunes it as one.
    big = Scored(LIST.items, tuple(100 * s for s in LIST.scores))
    assert relevance(big.scores, 100 * reference) == pytest.approx(
        relevance(LIST.scores, reference)
    )
    ctx = context(3, diversity_lambda=0.9, diversity_reference_score=100 * reference)
    assert shown(big, ctx) == ("tent", "stove", expected)


MIXED = {
    "tent": Item("tent", "Ultralight Tent", ("camping", "outdoor")),
    "shoe": Item("shoe", "Trail Runner", ("running", "outdoor")),
    "mat": Item("mat", "Yoga Mat", ()),
    "sock": Item("sock", "Wool Socks", ("running",)),
}


@pytest.mark.parametrize("dense", [True, False])
def test_the_category_table_gives_each_lists_own_matrix_and_cosine(
    dense: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tactful.curate import diversity

    if not dense:  # a catalogue too large to keep whole: gathered per item
        monkeypatch.setattr(diversity, "DENSE_CELLS", 0)
    table = diversity.CategoryTable(MIXED)
    items = ("sock", "gone", "tent", "mat", "shoe")  # "gone": not in the catalogue
    ones = table.ones(items)
    # columns: camping, outdoor, running (sorted names)
    assert ones.tolist() == [[0, 0, 1], [0, 0, 0], [1, 1, 0], [0, 0, 0], [0, 1, 1]]
    cats = [frozenset(MIXED[i].categories) if i in MIXED else frozenset() for i in items]
    assert np.allclose(diversity.unit_cosine(ones), cosine(cats))
    assert diversity.unit_cosine(ones)[0, 4] == pytest.approx(1 / np.sqrt(2))


def test_a_new_catalogue_gets_a_new_table() -> None:
    from tactful.curate.diversity import category_table

    first = category_table(MIXED)
    assert category_table(MIXED) is first
    changed = {**MIXED, "mat": Item("mat", "Yoga Mat", ("yoga",))}
    assert category_table(changed) is not first
    assert category_table(changed).ones(["mat"]).tolist() == [[0, 0, 0, 1]]
