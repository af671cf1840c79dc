"""Content: attribute vectors serve new items and declared interests, with named evidence."""

from __future__ import annotations

import pytest

from tactful.errors import InvalidInput
from tactful.recommend.content import Content, keywords
from tactful.recommend.interactions import Interactions
from tactful.types import Item


def test_keywords_are_lower_case_words_without_years_or_stopwords() -> None:
    assert keywords("The Lord of the Rings (2001)") == ["lord", "rings"]


def test_a_new_item_no_one_has_used_is_recommended_by_its_attributes(
    checkerboard: Interactions, catalogue: list[Item]
) -> None:
    model = Content(items=catalogue).fit(checkerboard)
    scored = model.score({"A0": 1.0, "A1": 1.0}, n=10, exclude=["A0", "A1"])
    assert "NEW0" in scored.items
    assert not any(item.startswith("B") for item in scored.items)
    kinds = {(e.kind, e.detail) for e in scored.evidence["NEW0"]}
    assert {("category", "outdoor"), ("value", "eco")} <= kinds
    assert ("keyword", "trail") in kinds


def test_declared_interests_score_without_any_history(
    checkerboard: Interactions, catalogue: list[Item]
) -> None:
    model = Content(items=catalogue).fit(checkerboard)
    scored = model.score_attributes(categories=["kitchen"], n=3)
    assert len(scored) == 3
    assert all(item.startswith("B") for item in scored.items)
    assert all(
        ("category", "kitchen") in {(e.kind, e.detail) for e in ev}
        for ev in scored.evidence.values()
    )
    assert len(model.score_attributes(categories=["unknown"], n=3)) == 0


def test_content_learns_nothing_from_people(
    checkerboard: Interactions, catalogue: list[Item]
) -> None:
    model = Content(items=catalogue).fit(checkerboard)
    assert model.counts_ == {"subjects": 0, "items": len(checkerboard.items), "interactions": 0}
    arrays, _ = model.to_arrays()
    assert not any(key.startswith("train") for key in arrays)


def test_without_a_catalogue_nothing_is_scored(checkerboard: Interactions) -> None:
    assert len(Content().fit(checkerboard).score({"A0": 1.0}, n=5)) == 0


def test_negative_kind_weights_are_refused(checkerboard: Interactions) -> None:
    with pytest.raises(InvalidInput) as err:
        Content(value_weight=-1.0).fit(checkerboard)
    assert err.value.field == "value_weight"
