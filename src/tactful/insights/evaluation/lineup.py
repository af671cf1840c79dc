"""The Tactful models the harness evaluates, by CLI name, with defaults and tuning grids.

Defaults match the serving defaults in ``RecommendSettings``. Each grid is searched in full,
then every numeric axis whose best value sits at an end of what was tried is extended one
step at a time (``EXTEND``: doubling sizes, a factor of √10 for regularisation, and so on,
within each parameter's bounds) until the best value is inside, or the tuning budget is spent
(``tactful.insights.evaluation.search``). ALS's grid reaches 256 factors, regularisation 30
and confidence α 4, the point the peers tuned over wide grids find best on MovieLens-like data.
``itemknn-bm25`` is item-kNN over BM25-weighted columns (``recommend.knn_weighting =
"bm25"``). ``blend`` is EASE + ALS + BM25 item-kNN with the parameters tuned for them (so
list it after them) and its two mixing weights tuned on top (ALS gets the rest); while only
the weights change, its parts are fitted once per training split (``_Parts``), so the weight
grid can be wide. ``cold_start`` is the registry's content + popularity blend.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

from tactful.errors import InvalidInput
from tactful.insights.evaluation.ranking import Model
from tactful.insights.evaluation.runner import ModelSpec, Params, ParamValue
from tactful.insights.evaluation.search import Extend
from tactful.recommend.blend import Blend
from tactful.recommend.content import Content
from tactful.recommend.ease import EASE
from tactful.recommend.factor import ALS, BPR
from tactful.recommend.interactions import Interactions
from tactful.recommend.itemknn import ItemKNN
from tactful.recommend.model import Model as TactfulModel
from tactful.recommend.popularity import Popularity
from tactful.types import Item, ItemId

ALS_GRID: dict[str, Sequence[ParamValue]] = {
    "factors": [64, 128, 256],
    "regularization": [0.3, 3.0, 30.0],
    "alpha": [1.0, 4.0, 16.0],
    "iterations": [15, 30],
}
"""ALS's grid; the ``implicit`` peer in the benchmark searches the same one."""

VARIANTS: dict[str, tuple[str, dict[str, str]]] = {
    "itemknn-bm25": ("itemknn", {"knn_weighting": "bm25"})
}
"""Lineup names served by another serving model with settings: ``itemknn-bm25`` is
``recommend.model = "itemknn"`` with ``recommend.knn_weighting = "bm25"``."""

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


def _bm25knn(params: Params, items: Sequence[Item], prefix: str = "") -> ItemKNN:
    return ItemKNN(
        neighbours=int(params[prefix + "neighbours"]),
        weighting="bm25",
        k1=float(params[prefix + "k1"]),
        b=float(params[prefix + "b"]),
    )


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


def _fingerprint(data: Interactions) -> str:
    m = data.matrix
    digest = hashlib.blake2b(repr(m.shape).encode(), digest_size=16)
    for part in (m.indptr, m.indices, m.data):
        digest.update(part.tobytes())
    return digest.hexdigest()


class _Parts:
    """The blend's parts fitted on the last few training splits seen (one per validation
    carve-out and the whole training part), by split, name and parameters."""

    def __init__(self, keep: int = 6) -> None:
        self.keep = keep
        self._fitted: dict[str, dict[str, TactfulModel]] = {}

    def fitted(
        self, key: str, build: Callable[[], TactfulModel], data: Interactions
    ) -> TactfulModel:
        seen = _fingerprint(data)
        by_key = self._fitted.pop(seen, {})
        self._fitted[seen] = by_key  # most recent last
        while len(self._fitted) > self.keep:
            del self._fitted[next(iter(self._fitted))]
        if key not in by_key:
            by_key[key] = build().fit(data)
        return by_key[key]


Part = tuple[str, Callable[[], TactfulModel], float]
"""A blend part: its cache key, how to build it unfitted, and its weight."""


class _TunedBlend:
    """The harness's blend: Tactful's ``Blend`` over parts fitted once per training split."""

    def __init__(self, parts: _Parts, builds: Sequence[Part]) -> None:
        self.parts, self.builds = parts, builds
        self._blend: Blend | None = None

    @property
    def items_(self) -> Sequence[ItemId]:
        return self._blend.items_ if self._blend is not None else ()

    def fit(self, interactions: Interactions) -> _TunedBlend:
        fitted = [(self.parts.fitted(key, build, interactions), w) for key, build, w in self.builds]
        self._blend = Blend.of_fitted(fitted)
        return self

    def score_batch(self, rows: sp.csr_matrix) -> np.ndarray:
        if self._blend is None:
            raise InvalidInput("the blend is not fitted", field="blend")
        return self._blend.score_batch(rows)


KNN = "itemknn-bm25."


def _own(params: Params, prefix: str) -> str:
    """A part's cache key: its prefix and its own parameters."""
    return prefix + repr(sorted((k, v) for k, v in params.items() if k.startswith(prefix)))


def _blend_of(parts: _Parts) -> Callable[[Params, Sequence[Item]], Model]:
    """EASE, ALS and BM25 item-kNN for people with history, each with its own chosen
    parameters; ``ease_weight`` and ``knn_weight`` are shares, ALS gets the rest."""

    def build(params: Params, items: Sequence[Item]) -> Model:
        ease, knn = float(params["ease_weight"]), float(params["knn_weight"])
        if ease + knn > 1.0 + 1e-9:
            raise InvalidInput("ease_weight + knn_weight must be at most 1", field="knn_weight")
        builds: list[Part] = [
            (_own(params, "ease."), lambda: EASE(l2=float(params["ease.l2"])), ease),
            (_own(params, "als."), lambda: _als(params, items, "als."), 1.0 - ease - knn),
            (_own(params, KNN), lambda: _bm25knn(params, items, KNN), knn),
        ]
        return _TunedBlend(parts, [b for b in builds if b[2] > 1e-9])

    return build


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
            "itemknn-bm25",
            _bm25knn,
            {"neighbours": 200, "k1": 1.2, "b": 0.25},
            {"neighbours": [50, 100, 200, 400], "b": [0.0, 0.25, 0.5]},
            extend={
                "neighbours": Extend(ratio=2.0, low=1, high=100_000, integer=True),
                "b": Extend(step=0.25, low=0.0, high=1.0),
            },
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
            _blend_of(_Parts()),
            {
                "ease_weight": 0.6,
                "knn_weight": 0.2,
                "ease.l2": 500.0,
                "als.factors": 64,
                "als.regularization": 0.05,
                "als.iterations": 15,
                "als.alpha": 1.0,
                "als.seed": seed,
                "itemknn-bm25.neighbours": 200,
                "itemknn-bm25.k1": 1.2,
                "itemknn-bm25.b": 0.25,
            },
            {"ease_weight": [0.2, 0.4, 0.6, 0.8], "knn_weight": [0.0, 0.2, 0.4, 0.6]},
            uses=("ease", "als", "itemknn-bm25"),
            extend={"ease_weight": SHARE, "knn_weight": SHARE},
        ),
    ]
    return {spec.name: spec for spec in specs}
