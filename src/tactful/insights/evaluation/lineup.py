"""The Tactful models the harness evaluates, by CLI name, with defaults and tuning grids.

Defaults match the serving defaults in ``RecommendSettings``. Each grid is searched in full,
then every numeric axis whose best value sits at an end of what was tried is extended one
step at a time (``EXTEND``: doubling sizes, a factor of √10 for regularisation, and so on,
within each parameter's bounds) until the best value is inside, or the tuning budget is spent
(``tactful.insights.evaluation.search``). ALS's grid reaches 256 factors, regularisation 30
and confidence α 4, the point the peers tuned over wide grids find best on MovieLens-like data.
``blend`` is EASE + ALS with the parameters tuned for them (so list it after them) and its
mixing weight tuned on top; ``cold_start`` is the registry's content + popularity blend.
"""

from __future__ import annotations

from collections.abc import Sequence

from tactful.insights.evaluation.runner import Model, ModelSpec, Params, ParamValue
from tactful.insights.evaluation.search import Extend
from tactful.recommend.blend import Blend
from tactful.recommend.content import Content
from tactful.recommend.ease import EASE
from tactful.recommend.factor import ALS, BPR
from tactful.recommend.itemknn import ItemKNN
from tactful.recommend.popularity import Popularity
from tactful.types import Item

ALS_GRID: dict[str, Sequence[ParamValue]] = {
    "factors": [64, 128, 256],
    "regularization": [0.3, 3.0, 30.0],
    "alpha": [1.0, 4.0, 16.0],
    "iterations": [15, 30],
}
"""ALS's grid; the ``implicit`` peer in the benchmark searches the same one."""

SIZE = Extend(ratio=2.0, low=1, high=4096, integer=True)
"""A count (factors, neighbours, sweeps): doubled or halved past the grid."""
POSITIVE = Extend(ratio=10**0.5, low=1e-6, high=1e6)
"""A strength (regularisation, confidence): times or over √10 past the grid."""
SHARE = Extend(step=0.05, low=0.0, high=1.0)
"""A mixing weight between 0 and 1: 0.05 further past the grid."""
ALS_EXTEND = {
    "factors": SIZE,
    "regularization": POSITIVE,
    "alpha": POSITIVE,
    "iterations": Extend(ratio=2.0, low=1, high=240, integer=True),
}
"""How ALS's axes extend; the ``implicit`` peer extends the same way."""


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
        ModelSpec(
            "itemknn",
            _itemknn,
            {"neighbours": 100},
            {"neighbours": [10, 25, 50, 100, 200, 400]},
            extend={"neighbours": Extend(ratio=2.0, low=1, high=100_000, integer=True)},
        ),
        ModelSpec(
            "ease",
            _ease,
            {"l2": 500.0},
            {"l2": [50.0, 100.0, 200.0, 300.0, 500.0, 1000.0, 2000.0]},
            extend={"l2": Extend(ratio=2.0, low=1e-3, high=1e7)},
        ),
        ModelSpec(
            "als",
            _als,
            {"factors": 64, "regularization": 0.05, "iterations": 15, "alpha": 1.0, "seed": seed},
            ALS_GRID,
            extend=ALS_EXTEND,
        ),
        ModelSpec(
            "bpr",
            _bpr,
            {"factors": 64, "learning_rate": 0.01, "iterations": 100, "seed": seed},
            {"factors": [64, 128], "learning_rate": [0.01, 0.05]},
            extend={"factors": SIZE, "learning_rate": Extend(ratio=2.0, low=1e-5, high=1.0)},
        ),
        ModelSpec(
            "content",
            _content,
            {"keyword_weight": 0.5},
            {"keyword_weight": [0.0, 0.5, 1.0]},
            needs_attributes=True,
            extend={"keyword_weight": SHARE},
        ),
        ModelSpec(
            "cold_start",
            _cold_start,
            {"content_weight": 0.6},
            {"content_weight": [0.3, 0.6]},
            needs_attributes=True,
            extend={"content_weight": SHARE},
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
            extend={"ease_weight": SHARE},
        ),
    ]
    return {spec.name: spec for spec in specs}
