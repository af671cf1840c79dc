"""Popularity: summed weights or distinct people, decremented exactly on forget."""

from __future__ import annotations

from tactful.recommend.interactions import Interactions
from tactful.recommend.popularity import Popularity


def data() -> Interactions:
    return Interactions.from_triples(
        ["u1", "u1", "u2", "u3", "u3"], ["x", "y", "y", "y", "z"], [5.0, 1.0, 1.0, 1.0, 0.5]
    )


def test_items_score_their_summed_weight_or_their_people() -> None:
    by_weight = Popularity().fit(data()).score({}, n=3)
    assert by_weight.items == ("x", "y", "z")
    assert by_weight.scores == (5.0, 3.0, 0.5)
    by_people = Popularity(by="subjects").fit(data()).score({}, n=3)
    assert by_people.items == ("y", "x", "z")
    assert by_people.scores == (3.0, 1.0, 1.0)


def test_forget_decrements_and_drops_items_no_one_is_left_with() -> None:
    model = Popularity().fit(data()).forget(["u1"])
    scored = model.score({}, n=3)
    assert scored.items == ("y", "z")
    assert scored.scores == (2.0, 0.5)
    assert model.counts_ == {"subjects": 2, "items": 3, "interactions": 3}
