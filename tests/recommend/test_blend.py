"""Blend: normalised, weighted part scores and merged evidence."""

from __future__ import annotations

import numpy as np
import pytest

from tactful.errors import InvalidInput
from tactful.recommend.blend import Blend, normalised
from tactful.recommend.content import Content
from tactful.recommend.interactions import Interactions
from tactful.recommend.popularity import Popularity
from tactful.types import Item


def test_scores_are_clipped_and_scaled_to_each_rows_best() -> None:
    got = normalised(np.array([[2.0, -1.0, 1.0], [0.0, 0.0, -3.0], [-np.inf, 4.0, 1.0]]))
    assert got.tolist() == [[1.0, 0.0, 0.5], [0.0, 0.0, 0.0], [0.0, 1.0, 0.25]]


def test_cold_start_with_no_history_is_the_popular_list(
    checkerboard: Interactions, catalogue: list[Item]
) -> None:
    blend = Blend(parts=[(Content(items=catalogue), 0.6), (Popularity(), 0.4)])
    blend.fit(checkerboard)
    popular = Popularity().fit(checkerboard).score({}, n=5)
    assert blend.score({}, n=5).items == popular.items


def test_blend_is_the_weighted_sum_and_merges_evidence(
    checkerboard: Interactions, catalogue: list[Item]
) -> None:
    content, popularity = Content(items=catalogue), Popularity()
    blend = Blend(parts=[(content, 3.0), (popularity, 1.0)]).fit(checkerboard)
    rows = checkerboard.matrix[:2]
    want = 0.75 * normalised(content.score_batch(rows)) + 0.25 * normalised(
        popularity.score_batch(rows)
    )
    assert np.allclose(blend.score_batch(rows), want)
    scored = blend.score({"A0": 1.0}, n=3, exclude=["A0"])
    kinds = {e.kind for e in scored.evidence[scored.items[0]]}
    assert {"item", "category", "popular"} <= kinds


@pytest.mark.parametrize("parts", [[], [(Popularity(), -1.0)], [(Popularity(), 0.0)]])
def test_a_blend_needs_parts_with_positive_weight(
    checkerboard: Interactions, parts: list[tuple[Popularity, float]]
) -> None:
    with pytest.raises(InvalidInput) as err:
        Blend(parts=parts).fit(checkerboard)
    assert err.value.field == "parts"
