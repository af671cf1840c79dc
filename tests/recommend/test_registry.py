"""The model factory: every serving name builds its model, saved under that name, and the
serving names are exactly what ``tactful evaluate`` offers and the settings describe."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tactful.errors import InvalidInput, NotFound
from tactful.insights.evaluation.lineup import VARIANTS, default_lineup
from tactful.recommend.blend import Blend
from tactful.recommend.content import Content
from tactful.recommend.ease import EASE
from tactful.recommend.factor import ALS, BPR
from tactful.recommend.itemknn import ItemKNN
from tactful.recommend.popularity import Popularity
from tactful.recommend.registry import MODELS, make_scorer, model_class
from tactful.settings import MODEL_ALIASES, SERVING_MODELS, RecommendSettings


def test_the_factory_builds_every_model_from_settings() -> None:
    settings = RecommendSettings(
        knn_neighbours=7, ease_l2=42.0, als_factors=8, blend_ease_weight=0.7
    )
    expected: dict[str, Callable[[object], bool]] = {
        "popularity": lambda m: isinstance(m, Popularity),
        "pop": lambda m: isinstance(m, Popularity),
        "itemknn": lambda m: isinstance(m, ItemKNN) and m.neighbours == 7,
        "ease": lambda m: isinstance(m, EASE) and m.l2 == 42.0,
        "als": lambda m: isinstance(m, ALS) and m.factors == 8,
        "bpr": lambda m: isinstance(m, BPR) and m.factors == 8,
        "content": lambda m: isinstance(m, Content),
        "cold_start": lambda m: (
            isinstance(m, Blend) and [type(p) for p, _ in m.parts] == [Content, Popularity]
        ),
        "blend": lambda m: (
            isinstance(m, Blend)
            and [(type(p), w) for p, w in m.parts] == [(EASE, 0.7), (ALS, pytest.approx(0.3))]
        ),
    }
    for name, check in expected.items():
        model = make_scorer(name, settings)
        assert check(model), name
        assert model.name == MODEL_ALIASES.get(name, name)
    with pytest.raises(InvalidInput) as err:
        make_scorer("magic", settings)
    assert err.value.field == "model"


def test_the_blend_takes_item_knn_when_given_a_share() -> None:
    settings = RecommendSettings(
        blend_ease_weight=0.5, blend_knn_weight=0.3, knn_weighting="bm25", knn_bm25_b=0.0
    )
    blend = make_scorer("blend", settings)
    assert isinstance(blend, Blend)
    assert [(type(p), w) for p, w in blend.parts] == [
        (EASE, 0.5),
        (ALS, pytest.approx(0.2)),
        (ItemKNN, 0.3),
    ]
    knn = blend.parts[2][0]
    assert isinstance(knn, ItemKNN) and (knn.weighting, knn.b) == ("bm25", 0.0)
    only_ease = make_scorer("blend", RecommendSettings(blend_ease_weight=1.0))
    assert isinstance(only_ease, Blend) and [type(p) for p, _ in only_ease.parts] == [EASE]


def test_blend_shares_above_one_are_refused_naming_the_field() -> None:
    with pytest.raises(ValueError, match="blend_knn_weight"):
        RecommendSettings(blend_ease_weight=0.8, blend_knn_weight=0.3)


def test_every_evaluated_model_is_a_serving_name_and_the_settings_list_them() -> None:
    lineup = [n for n in default_lineup() if n not in VARIANTS]
    assert {MODEL_ALIASES.get(n, n) for n in lineup} == set(SERVING_MODELS)
    assert {served for served, _ in VARIANTS.values()} <= set(SERVING_MODELS)
    description = RecommendSettings.model_fields["model"].description or ""
    listed = description.partition(": ")[2].partition(" (")[0].split(", ")
    assert listed == list(SERVING_MODELS)
    for name in SERVING_MODELS:
        assert RecommendSettings(model=name).model == name
    assert RecommendSettings(model="pop").model == "popularity"
    with pytest.raises(ValueError, match="model"):
        RecommendSettings(model="blnd")


def test_every_saved_name_loads_with_its_class() -> None:
    for name in (*SERVING_MODELS, "blend"):
        assert name in MODELS
    assert model_class("cold_start") is Blend
    with pytest.raises(NotFound):
        model_class("magic")
