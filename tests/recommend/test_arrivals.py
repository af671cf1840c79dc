"""New arrivals (issue 10, defect 6): which items are new, and which of them match a person
through the content model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tactful.recommend.arrivals import (
    after,
    arrivals,
    content_model,
    interacted,
    new_items,
    untouched,
)
from tactful.recommend.interactions import Interactions
from tactful.recommend.popularity import Popularity
from tactful.types import Evidence, Item, Scored

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
DAY = timedelta(days=1)

CATALOGUE = [
    Item("tent", "Ridge Tent", ("camping",), added_at=NOW - 100 * DAY),
    Item("stove", "Camp Stove", ("camping",), added_at=NOW - 100 * DAY),
    Item("shoe", "Trail Shoe", ("running",), added_at=NOW - 100 * DAY),
    Item("lamp", "Head Lamp", ("camping",), added_at=NOW - 2 * DAY),  # new
    Item("cap", "Running Cap", ("running",), ("vegan",), added_at=NOW - DAY),  # new
    Item("yarn", "Merino Yarn", ("knitting",), ("vegan",), added_at=NOW - DAY),  # new
    Item("old", "Old Lantern", ("camping",), added_at=NOW - 20 * DAY),  # not new any more
    Item("unknown", "Camp Mug", ("camping",)),  # stored before added_at was recorded
    Item("later", "Camp Chair", ("camping",), added_at=NOW + DAY),  # not added yet
]
TRAINED = Interactions.from_triples(
    ["a", "a", "b"], ["tent", "stove", "shoe"], [1.0, 1.0, 1.0],
    item_universe=[i.item_id for i in CATALOGUE],
)  # fmt: skip


def test_new_means_untouched_in_training_and_added_within_the_window() -> None:
    touched = interacted(Popularity().fit(TRAINED))
    assert touched == {"tent", "stove", "shoe"}  # in the universe, but only these had rows
    found = untouched(CATALOGUE, touched)
    assert new_items(found, now=NOW, days=14) == ("lamp", "cap", "yarn")  # in order added
    assert set(new_items(found, now=NOW, days=30)) == {"lamp", "cap", "yarn", "old"}
    assert new_items(found, now=NOW, days=0) == ()
    assert interacted(object()) == frozenset()


def test_only_items_matching_the_person_are_offered_best_first() -> None:
    content = content_model(CATALOGUE)
    camper = {"tent": 5.0, "stove": 3.0}
    found = arrivals(content, ["lamp", "cap", "yarn"], camper, min_similarity=0.1)
    assert found.items == ("lamp",)
    (first, *rest) = found.evidence["lamp"]
    assert first.kind == "new_arrival" and first.weight == pytest.approx(found.scores[0])
    assert Evidence("category", rest[-1].weight, detail="camping") in rest
    assert {e.item_id for e in rest if e.kind == "item"} <= {"tent", "stove"}
    assert arrivals(content, ["lamp"], camper, min_similarity=0.99).items == ()
    assert arrivals(content, ["lamp"], camper, min_similarity=0.1, exclude={"lamp"}).items == ()
    assert arrivals(content, ["lamp", "cap", "yarn"], {}, min_similarity=0.1).items == ()


def test_declared_categories_count_and_values_only_when_declared() -> None:
    content = content_model(CATALOGUE)
    runner = {"shoe": 1.0}
    knitter = arrivals(content, ["yarn", "lamp"], runner, categories=["knitting"],
                       min_similarity=0.1)  # fmt: skip
    assert knitter.items == ("yarn",)
    # cap shares "running" with the history; yarn only the value "vegan", which counts
    # once declared
    assert arrivals(content, ["cap", "yarn"], runner, min_similarity=0.05).items == ("cap",)
    vegan = arrivals(content, ["yarn"], {}, values=["vegan"], min_similarity=0.05)
    assert vegan.items == ("yarn",)


def test_arrivals_come_after_the_model_candidates_below_every_score() -> None:
    model = Scored(("tent", "stove"), (2.0, 1.0), {"tent": (Evidence("item", 1.0, "shoe"),)})
    new = Scored(("lamp", "stove"), (0.5, 0.4), {"lamp": (Evidence("new_arrival", 0.5),)})
    out = after(model, new)
    assert out.items == ("tent", "stove", "lamp") and out.scores == (2.0, 1.0, 0.0)
    assert out.evidence["lamp"] == (Evidence("new_arrival", 0.5),)
    assert after(model, Scored((), ())) is model


def test_items_scored_below_at_least_are_left_out_and_the_rest_are_unchanged() -> None:
    content = content_model(CATALOGUE)
    mixed = {"tent": 5.0, "shoe": 4.0}  # a camper who runs: lamp and cap both match a bit
    every = content.score_items(mixed, ["lamp", "cap", "yarn"])
    assert set(every.items) == {"lamp", "cap"} and len(set(every.scores)) == 2
    cut = (every.scores[0] + every.scores[1]) / 2  # between the two
    kept = content.score_items(mixed, ["lamp", "cap", "yarn"], at_least=cut)
    assert kept.items == every.items[:1] and kept.scores == every.scores[:1]
    assert kept.evidence == {every.items[0]: every.evidence[every.items[0]]}
    assert content.score_items(mixed, ["lamp"], at_least=1.01) == Scored((), (), {})
