"""Matrix factorisation through the ``implicit`` library: ALS and BPR.

Training is ``implicit``'s own (``AlternatingLeastSquares``, ``BayesianPersonalizedRanking``)
with BLAS limited to one thread around every call (``implicit`` parallelises itself; a
threaded BLAS underneath makes it several times slower). A history is served by solving its
user factor from the history items (``recalculate_user``), so people who were not in the
training data, or did something since, are scored from what they did; the evidence is
``explain``'s per-item contributions to that solve (kind ``item``).

Forgetting is approximate for both (see docs/models.md for measured differences): ALS drops
the subjects' factors and re-solves the factors of the items they touched with the remaining
people (``forget_sweeps`` alternating half-steps); BPR drops the factors and fine-tunes
``forget_epochs`` epochs on the remaining data, warm-started.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import scipy.linalg as sla
import scipy.sparse as sp
from implicit.cpu.als import AlternatingLeastSquares
from implicit.cpu.bpr import BayesianPersonalizedRanking
from threadpoolctl import ThreadpoolController

from tactful.errors import InvalidInput
from tactful.recommend.interactions import Interactions
from tactful.recommend.model import (
    Columns,
    EvidenceByColumn,
    VectorModel,
    item_evidence,
    rows_of,
)
from tactful.types import SubjectId

_FEW_ROWS = 64


@functools.cache
def _blas() -> ThreadpoolController:
    """The process's thread pools, found once: finding them reads ``/proc/self/maps``,
    which ``threadpool_limits`` does on every call (about 7 ms; twice per request)."""
    return ThreadpoolController()


def one_blas_thread() -> Any:
    """A context in which BLAS uses one thread (``implicit`` asks for it)."""
    return _blas().limit(limits=1, user_api="blas")


"""Below this many rows a fold-in runs on one thread: starting more costs more than it saves."""


def _positive_int(value: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(f"{field} must be a whole number of at least 1", field=field)
    return value


class _Factors(VectorModel):
    """Shared state and serving of the factor models: ``user_factors_``, ``item_factors_``."""

    positive_only = False
    factors: int = 64
    alpha: float = 1.0
    seed: int = 0
    num_threads: int = 0

    def _fold_in_l2(self) -> float:
        raise NotImplementedError

    _cached: dict[int, AlternatingLeastSquares] | None = None
    _gram: np.ndarray | None = None
    _empty: Columns | None = None

    def _solver(
        self, *, threads: int | None = None, fresh: bool = False
    ) -> AlternatingLeastSquares:
        """An ALS holding the fitted factors: it solves user factors (cached per fit and
        thread count; one history is solved on one thread, many on ``num_threads``)."""
        threads = self.num_threads if threads is None else threads
        cache = self._cached if self._cached is not None else {}
        if threads in cache and not fresh:
            return cache[threads]
        als = AlternatingLeastSquares(
            factors=self.item_factors_.shape[1],
            regularization=self._fold_in_l2(),
            alpha=self.alpha,
            num_threads=threads,
            random_state=self.seed,
        )
        als.item_factors = self.item_factors_
        als.user_factors = self.user_factors_
        if not fresh:
            self._cached = {**cache, threads: als}
        return als

    def _keep(self, interactions: Interactions, users: np.ndarray, items: np.ndarray) -> None:
        self.user_factors_ = np.ascontiguousarray(users, dtype=np.float32)
        self.item_factors_ = np.ascontiguousarray(items, dtype=np.float32)
        self._cached = None
        self._gram = None
        self._empty = None
        self._data = interactions
        self._set_items(interactions.items)

    def with_factors(
        self, interactions: Interactions, user_factors: np.ndarray, item_factors: np.ndarray
    ) -> Self:
        """This model, fitted elsewhere (e.g. on Spark): one factor row per subject and item
        of ``interactions``, ``factors`` columns each; serves and forgets like ``fit``'s."""
        want = {"user_factors": len(interactions.subjects), "item_factors": len(interactions.items)}
        for name, got in (("user_factors", user_factors), ("item_factors", item_factors)):
            if got.ndim != 2 or got.shape != (want[name], self.factors):
                raise InvalidInput(
                    f"{name} must be {want[name]} x {self.factors}, got {got.shape}", field=name
                )
        self._keep(interactions, user_factors, item_factors)
        return self

    def score_batch(self, rows: sp.csr_matrix) -> np.ndarray:
        """Each row's factor is solved from its items, then scored against every item."""
        rows = sp.csr_matrix(self._check_rows(rows), dtype=np.float32)
        with one_blas_thread():
            solver = self._solver(threads=1 if rows.shape[0] < _FEW_ROWS else None)
            users = solver.recalculate_user(np.arange(rows.shape[0]), rows)
            return np.asarray(users @ self.item_factors_.T, dtype=np.float64)

    def _unsupported(self) -> Columns:
        """Items without training data have meaningless factors: they are never ranked.
        Counted once per fit or forget (a pass over every interaction), not per request."""
        if self._empty is None:
            m = self.interactions_.matrix
            self._empty = np.flatnonzero(np.bincount(m.indices, minlength=m.shape[1]) == 0)
        return self._empty

    def score_users(self, users: npt.NDArray[np.int64], rows: sp.csr_matrix) -> np.ndarray:
        """Training subjects (by row) scored with their learned factors."""
        return np.asarray(self.user_factors_[users] @ self.item_factors_.T, dtype=np.float64)

    def _evidence(self, row: sp.csr_matrix, cols: Columns) -> EvidenceByColumn:
        """``explain``'s contributions ``(yᵢᵀ W yⱼ) cⱼ`` of each history item ``j``, where
        ``W⁻¹ = YᵀY + λI + Σⱼ (cⱼ - 1) yⱼyⱼᵀ``; the same equation ``AlternatingLeastSquares.
        explain`` builds item by item in Python, built here once for all candidates."""
        if not row.nnz or not len(cols):
            return {}
        y = self.item_factors_
        history = row.indices.astype(np.int64)
        confidence = row.data.astype(np.float64) * self.alpha
        near = y[history].astype(np.float64)
        with one_blas_thread():
            if self._gram is None:
                self._gram = y.T.astype(np.float64) @ y.astype(np.float64)
            a = self._gram + self._fold_in_l2() * np.eye(y.shape[1])
            a += (near * (confidence - 1.0)[:, None]).T @ near
            solved = sla.cho_solve(sla.cho_factor(a), y[cols].T.astype(np.float64))
            parts = (near @ solved) * confidence[:, None]
        parts[history[:, None] == cols[None, :]] = 0.0  # an item never explains itself
        return item_evidence(parts, history, cols, self.items_)

    def _drop(self, subjects: Collection[SubjectId]) -> tuple[Interactions, Columns] | None:
        """Remove the subjects' rows and factors; the kept data and the items they touched."""
        data = self.interactions_
        rows = rows_of(data, subjects)
        if not len(rows):
            return None
        touched = np.unique(data.matrix[rows].indices).astype(np.int64)
        keep = np.ones(len(data.subjects), dtype=bool)
        keep[rows] = False
        kept = data.without(subjects)
        self.user_factors_ = np.ascontiguousarray(self.user_factors_[keep])
        self._data = kept
        self._empty = None
        return kept, touched

    def _factor_arrays(self) -> dict[str, np.ndarray]:
        arrays = self.interactions_.to_arrays("train.")
        arrays |= {"user_factors": self.user_factors_, "item_factors": self.item_factors_}
        return arrays

    def _load_factors(self, arrays: Mapping[str, np.ndarray]) -> Self:
        data = Interactions.from_arrays(arrays, "train.")
        self._keep(data, arrays["user_factors"], arrays["item_factors"])
        return self


class ALS(_Factors):
    """Implicit-feedback ALS (Hu, Koren, Volinsky 2008) via ``implicit``."""

    name = "als"

    def __init__(
        self,
        *,
        factors: int = 64,
        regularization: float = 0.05,
        iterations: int = 15,
        alpha: float = 1.0,
        seed: int = 0,
        num_threads: int = 0,
        forget_sweeps: int = 1,
    ) -> None:
        self.factors = factors
        self.regularization = regularization
        self.iterations = iterations
        self.alpha = alpha
        self.seed = seed
        self.num_threads = num_threads
        self.forget_sweeps = forget_sweeps

    def _fold_in_l2(self) -> float:
        """ALS solves a new person's factor with its own regularisation."""
        return self.regularization

    def _params(self) -> dict[str, Any]:
        return {
            "factors": self.factors,
            "regularization": self.regularization,
            "iterations": self.iterations,
            "alpha": self.alpha,
            "seed": self.seed,
            "num_threads": self.num_threads,
            "forget_sweeps": self.forget_sweeps,
        }

    def fit(self, interactions: Interactions) -> Self:
        _positive_int(self.factors, "factors")
        _positive_int(self.iterations, "iterations")
        with one_blas_thread():
            als = AlternatingLeastSquares(
                factors=self.factors,
                regularization=self.regularization,
                alpha=self.alpha,
                iterations=self.iterations,
                num_threads=self.num_threads,
                random_state=self.seed,
            )
            als.fit(sp.csr_matrix(interactions.matrix, dtype=np.float32), show_progress=False)
        self._keep(interactions, als.user_factors, als.item_factors)
        return self

    def forget(self, subjects: Collection[SubjectId]) -> Self:
        """Drop the subjects' factors, then re-solve the items they touched (and, for more
        than one sweep, the people who share those items) with the remaining people."""
        dropped = self._drop(subjects)
        if dropped is None:
            return self
        kept, touched = dropped
        item_users = kept.matrix.T.tocsr()
        with one_blas_thread():
            solver = self._solver(fresh=True)
            for sweep in range(_positive_int(self.forget_sweeps, "forget_sweeps")):
                solver.partial_fit_items(touched, item_users[touched])
                if sweep + 1 < self.forget_sweeps:
                    users = np.unique(item_users[touched].indices)
                    solver.partial_fit_users(users, kept.matrix[users])
        self._keep(kept, solver.user_factors, solver.item_factors)
        return self

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        return self._factor_arrays(), self._params()

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], params: Mapping[str, Any]) -> Self:
        return cls(**dict(params))._load_factors(arrays)


class BPR(_Factors):
    """Bayesian personalised ranking (Rendle et al. 2009) via ``implicit``.

    BPR has no closed-form user solve, so a history's factor is solved like ALS does, over
    BPR's item factors (bias column included) with ``fold_in_l2``.
    """

    name = "bpr"

    def __init__(
        self,
        *,
        factors: int = 64,
        learning_rate: float = 0.01,
        regularization: float = 0.01,
        iterations: int = 100,
        seed: int = 0,
        num_threads: int = 1,
        fold_in_l2: float = 1.0,
        forget_epochs: int = 10,
    ) -> None:
        self.factors = factors
        self.learning_rate = learning_rate
        self.regularization = regularization
        self.iterations = iterations
        self.seed = seed
        self.num_threads = num_threads
        self.fold_in_l2 = fold_in_l2
        self.forget_epochs = forget_epochs

    def _fold_in_l2(self) -> float:
        return self.fold_in_l2

    def _params(self) -> dict[str, Any]:
        return {
            "factors": self.factors,
            "learning_rate": self.learning_rate,
            "regularization": self.regularization,
            "iterations": self.iterations,
            "seed": self.seed,
            "num_threads": self.num_threads,
            "fold_in_l2": self.fold_in_l2,
            "forget_epochs": self.forget_epochs,
        }

    def _train(
        self,
        matrix: sp.csr_matrix,
        iterations: int,
        start: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> BayesianPersonalizedRanking:
        with one_blas_thread():
            bpr = BayesianPersonalizedRanking(
                factors=_positive_int(self.factors, "factors"),
                learning_rate=self.learning_rate,
                regularization=self.regularization,
                iterations=_positive_int(iterations, "iterations"),
                num_threads=self.num_threads,
                random_state=self.seed,
            )
            if start is not None:
                bpr.user_factors, bpr.item_factors = start[0].copy(), start[1].copy()
            bpr.fit(sp.csr_matrix(matrix, dtype=np.float32), show_progress=False)
        return bpr

    def fit(self, interactions: Interactions) -> Self:
        bpr = self._train(interactions.matrix, self.iterations)
        self._keep(interactions, bpr.user_factors, bpr.item_factors)
        return self

    def forget(self, subjects: Collection[SubjectId]) -> Self:
        """Drop the subjects' factors and fine-tune ``forget_epochs`` epochs without them."""
        dropped = self._drop(subjects)
        if dropped is None:
            return self
        kept, _ = dropped
        start = (self.user_factors_, self.item_factors_)
        bpr = self._train(kept.matrix, self.forget_epochs, start)
        self._keep(kept, bpr.user_factors, bpr.item_factors)
        return self

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        return self._factor_arrays(), self._params()

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], params: Mapping[str, Any]) -> Self:
        return cls(**dict(params))._load_factors(arrays)
