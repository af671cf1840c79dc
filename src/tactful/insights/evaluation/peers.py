"""Peer models for the accuracy benchmark: ``implicit``'s own ALS, BPR and BM25 item-kNN,
fitted directly on the same implicit matrix as Tactful's models and scored the same way.

They are adapters, not Tactful models: no evidence, no forgetting; only what the evaluation
needs (``fit``, ``score_batch``/``score_users``, ``items_``). Threads are capped at one BLAS
thread during fitting, as ``implicit`` recommends.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from implicit.utils import ParameterWarning
from threadpoolctl import threadpool_limits

from tactful.errors import NotFitted
from tactful.insights.evaluation.lineup import ALS_EXTEND, ALS_GRID, SIZE
from tactful.insights.evaluation.runner import ModelSpec, Params
from tactful.insights.evaluation.search import Extend
from tactful.recommend.interactions import Interactions
from tactful.types import Item, ItemId


class ImplicitFactors:
    """``implicit`` ALS or BPR; scores a known training user with its learned factors."""

    def __init__(self, kind: str, **params: Any) -> None:
        self.kind = kind
        self.params = dict(params)
        self.items_: tuple[ItemId, ...] = ()
        self._model: Any = None

    def fit(self, interactions: Interactions) -> Self:
        if self.kind == "als":
            from implicit.cpu.als import AlternatingLeastSquares as Factors
        else:
            from implicit.cpu.bpr import BayesianPersonalizedRanking as Factors
        with threadpool_limits(1, "blas"):
            self._model = Factors(**self.params)
            self._model.fit(sp.csr_matrix(interactions.matrix), show_progress=False)
        self.items_ = interactions.items
        return self

    def score_users(self, users: npt.NDArray[np.int64], rows: sp.csr_matrix) -> np.ndarray:
        if self._model is None:
            raise NotFitted(f"implicit {self.kind} is not fitted")
        user_factors = np.asarray(self._model.user_factors)[users]
        return np.asarray(user_factors @ np.asarray(self._model.item_factors).T)

    def score_batch(self, rows: sp.csr_matrix) -> np.ndarray:
        """Unknown users: ALS folds them in from their rows; BPR cannot and refuses."""
        if self._model is None:
            raise NotFitted(f"implicit {self.kind} is not fitted")
        if self.kind != "als":
            raise NotFitted("implicit BPR scores only users it was trained on")
        ids = np.arange(rows.shape[0])
        user_factors = self._model.recalculate_user(ids, sp.csr_matrix(rows))
        return np.asarray(np.asarray(user_factors) @ np.asarray(self._model.item_factors).T)


class ImplicitBM25:
    """``implicit.nearest_neighbours.BM25Recommender``: BM25-weighted item-item kNN."""

    def __init__(self, **params: Any) -> None:
        self.params = dict(params)
        self.items_: tuple[ItemId, ...] = ()
        self._similarity: sp.csr_matrix | None = None

    def fit(self, interactions: Interactions) -> Self:
        from implicit.nearest_neighbours import BM25Recommender

        model = BM25Recommender(**self.params)
        with warnings.catch_warnings():
            # implicit's own BM25 weighting hands a COO matrix to its kNN and warns about it.
            warnings.simplefilter("ignore", ParameterWarning)
            model.fit(sp.csr_matrix(interactions.matrix), show_progress=False)
        self._similarity = sp.csr_matrix(model.similarity)
        self.items_ = interactions.items
        return self

    def score_batch(self, rows: sp.csr_matrix) -> np.ndarray:
        if self._similarity is None:
            raise NotFitted("implicit BM25 is not fitted")
        return np.asarray((rows @ self._similarity).toarray())


def _als(params: Params, items: Sequence[Item]) -> ImplicitFactors:
    return ImplicitFactors(
        "als",
        factors=int(params["factors"]),
        regularization=float(params["regularization"]),
        alpha=float(params["alpha"]),
        iterations=int(params["iterations"]),
        random_state=int(params["seed"]),
    )


def _bpr(params: Params, items: Sequence[Item]) -> ImplicitFactors:
    return ImplicitFactors(
        "bpr",
        factors=int(params["factors"]),
        learning_rate=float(params["learning_rate"]),
        regularization=float(params["regularization"]),
        iterations=int(params["iterations"]),
        random_state=int(params["seed"]),
        num_threads=1,  # as Tactful's BPR: one thread keeps SGD deterministic for a seed
    )


def _bm25(params: Params, items: Sequence[Item]) -> ImplicitBM25:
    return ImplicitBM25(K=int(params["K"]), K1=float(params["K1"]), B=float(params["B"]))


def peer_lineup(seed: int = 42) -> Mapping[str, ModelSpec]:
    """The peers with their tuning grids (searched on the validation split like ours)."""
    return {
        "implicit-als": ModelSpec(
            "implicit-als",
            _als,
            defaults={
                "factors": 64,
                "regularization": 0.05,
                "alpha": 1.0,
                "iterations": 15,
                "seed": seed,
            },
            grid=ALS_GRID,
            extend=ALS_EXTEND,
        ),
        "implicit-bpr": ModelSpec(
            "implicit-bpr",
            _bpr,
            defaults={
                "factors": 64,
                "learning_rate": 0.01,
                "regularization": 0.01,
                "iterations": 100,
                "seed": seed,
            },
            grid={"factors": [64, 128], "learning_rate": [0.01, 0.05]},
            extend={"factors": SIZE, "learning_rate": Extend(ratio=2.0, low=1e-5, high=1.0)},
        ),
        "implicit-bm25": ModelSpec(
            "implicit-bm25",
            _bm25,
            defaults={"K": 100, "K1": 1.2, "B": 0.75},
            grid={"K": [50, 100, 200, 400], "B": [0.0, 0.25, 0.5]},
            extend={
                "K": Extend(ratio=2.0, low=1, high=100_000, integer=True),
                "B": Extend(step=0.25, low=0.0, high=1.0),
            },
        ),
    }
