"""The Tactful models the harness evaluates, by CLI name, with defaults and tuning grids.

Defaults match the serving defaults in ``RecommendSettings``; the grids are small on
purpose (each point is a full fit) and cover the ranges that matter on MovieLens and
Amazon: EASE's L2, ALS's size/regularisation/confidence/sweeps, kNN's neighbours, BPR's
size/rate.
``blend`` is EASE + ALS with the parameters tuned for them (so list it after them) and its
mixing weight tuned on top; ``cold_start`` is the registry's content + popularity blend.
"""

from __future__ import annotations

from collections.abc import Sequence

from tactful.insights.evaluation.runner import Model, ModelSpec, Params, ParamValue
from tactful.recommend.blend import Blend
from tactful.recommend.content import Content
from tactful.recommend.ease import EASE
from tactful.recommend.factor import ALS, BPR
from tactful.recommend.itemknn import ItemKNN
from tactful.recommend.popularity import Popularity
from tactful.types import Item

ALS_GRID: dict[str, Sequence[ParamValue]] = {
    "factors": [32, 64],
    "regularization": [0.01, 0.1],
    "alpha": [1.0, 10.0],
    "iterations": [15, 30],
}
"""ALS's grid; the ``implicit`` peer in the benchmark searches the same one."""


def _pop(params: Params, items: Sequence[Item]) -> Model:
    return Popularity()


def _itemknn(params: Params, items: Sequence[Item]) -> Model:
    return ItemKNN(neighbours=int(params["neighbours"]))


def _ease(params: Params, items: Sequence[Item]) -> Model:
    return EASE(l2=float(params["l2"]))


def _als(params: Params, items: Sequence[Item], prefix: str = "") -> ALS:
    return ALS(
        factors=int(params[prefix + "factors"]),
        regularization=float(params[prefix + "regularization"]),
        iterations=int(params[prefix + "iterations"]),
        alpha=float(params[prefix + "alpha"]),
        seed=int(params[prefix + "seed"]),
    )


def _bpr(params: Params, items: Sequence[Item]) -> Model:
    return BPR(
        factors=int(params["factors"]),
        learning_rate=float(params["learning_rate"]),
        iterations=int(params["iterations"]),
        seed=int(params["seed"]),
    )


def _content(params: Params, items: Sequence[Item]) -> Model:
    return Content(items=items, keyword_weight=float(params["keyword_weight"]))


def _cold_start(params: Params, items: Sequence[Item]) -> Model:
    """The registry's cold-start blend: content and popularity."""
    share = float(params["content_weight"])
    return Blend(parts=[(Content(items=items), share), (Popularity(), 1.0 - share)])


def _blend(params: Params, items: Sequence[Item]) -> Model:
    """EASE and ALS for people with history, each with its own chosen parameters."""
    share = float(params["ease_weight"])
    ease = EASE(l2=float(params["ease.l2"]))
    return Blend(parts=[(ease, share), (_als(params, items, "als."), 1.0 - share)])


def default_lineup(seed: int = 42) -> dict[str, ModelSpec]:
    """Every Tactful model under its CLI name."""
    specs = [
        ModelSpec("pop", _pop),
        ModelSpec("itemknn", _itemknn, {"neighbours": 100}, {"neighbours": [10, 25, 50, 100]}),
        ModelSpec(
            "ease", _ease, {"l2": 500.0}, {"l2": [50.0, 100.0, 200.0, 300.0, 500.0, 1000.0, 2000.0]}
        ),
        ModelSpec(
            "als",
            _als,
            {"factors": 64, "regularization": 0.05, "iterations": 15, "alpha": 1.0, "seed": seed},
            ALS_GRID,
        ),
        ModelSpec(
            "bpr",
            _bpr,
            {"factors": 64, "learning_rate": 0.01, "iterations": 100, "seed": seed},
            {"factors": [64, 128], "learning_rate": [0.01, 0.05]},
        ),
        ModelSpec(
            "content",
            _content,
            {"keyword_weight": 0.5},
            {"keyword_weight": [0.0, 0.5, 1.0]},
            needs_attributes=True,
        ),
        ModelSpec(
            "cold_start",
            _cold_start,
            {"content_weight": 0.6},
            {"content_weight": [0.3, 0.6]},
            needs_attributes=True,
        ),
        ModelSpec(
            "blend",
            _blend,
            {
                "ease_weight": 0.8,
                "ease.l2": 500.0,
                "als.factors": 64,
                "als.regularization": 0.05,
                "als.iterations": 15,
                "als.alpha": 1.0,
                "als.seed": seed,
            },
            {"ease_weight": [0.6, 0.8, 0.9]},
            uses=("ease", "als"),
        ),
    ]
    return {spec.name: spec for spec in specs}
