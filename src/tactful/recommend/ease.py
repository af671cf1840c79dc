"""EASE (Steck 2019): a closed-form item-item linear model with an exact forget.

``G = XᵀX + λI``, ``P = G⁻¹``, ``B = -P / diag(P)`` with a zero diagonal, so a history ``x``
scores ``x·B = x - (x·P) / diag(P)``; only ``P`` is stored. ``P`` is computed with a Cholesky
factorisation of whichever Gram matrix is smaller: ``G`` itself (items × items, LAPACK
potrf/potri) or, when there are fewer subjects than items, ``λI + XXᵀ`` through the
Woodbury identity ``P = (I - Xᵀ(λI + XXᵀ)⁻¹X) / λ``. Only items seen in training get a
column; unseen items score exactly 0, as they would in the full model.

Forgetting rows ``X_u`` is the Woodbury downdate ``P' = P + P X_uᵀ (I - X_u P X_uᵀ)⁻¹ X_u P``.
Downdates are kept as a low-rank term ``U C Uᵀ`` next to ``P`` (each costs O(items × their
items)) and folded into ``P`` once their rank passes ``fold_rank``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Literal, Self

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp

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

DType = Literal["float32", "float64"]


def precision_primal(x: sp.csr_matrix, l2: float, dtype: DType = "float64") -> np.ndarray:
    """``(XᵀX + λI)⁻¹`` by Cholesky (potrf) and its inverse (potri) in place."""
    g = np.asfortranarray((x.T @ x).toarray(), dtype=dtype)
    if not g.size:
        return g
    g[np.diag_indices_from(g)] += l2
    potrf, potri = sla.lapack.get_lapack_funcs(("potrf", "potri"), (g,))
    factor, info = potrf(g, lower=False, overwrite_a=True, clean=True)
    if info == 0:
        p, info = potri(factor, lower=False, overwrite_c=True)
    if info != 0:
        raise InvalidInput(f"the Gram matrix is not positive definite (info {info})", field="l2")
    upper = np.triu(p)
    upper += np.triu(p, 1).T
    return np.asarray(upper, dtype=dtype)


def precision_dual(x: sp.csr_matrix, l2: float, dtype: DType = "float64") -> np.ndarray:
    """The same ``P`` through the subjects' side: ``(I - Xᵀ(λI + XXᵀ)⁻¹X) / λ``.

    The small subjects × subjects system is solved in float64; only the one large product
    runs in ``dtype``.
    """
    x64 = sp.csr_matrix(x, dtype=np.float64)
    k = (x64 @ x64.T).toarray()
    k[np.diag_indices_from(k)] += l2
    w = sla.cho_solve(sla.cho_factor(k, lower=False), x64.toarray())
    p: np.ndarray = x.toarray().astype(dtype).T @ w.astype(dtype)
    p *= -1.0 / l2
    p[np.diag_indices_from(p)] += 1.0 / l2
    return p


def _add_product(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
    """``p += a bᵀ`` in place with BLAS gemm (no items × items temporary); ``p`` and the
    product are symmetric, so a C-ordered ``p`` is updated through its F-ordered transpose."""
    target = p if p.flags.f_contiguous else p.T
    gemm = sla.blas.get_blas_funcs("gemm", (target,))
    out = gemm(1.0, a, b, beta=1.0, c=target, trans_b=True, overwrite_c=True)
    if not np.shares_memory(out, p):
        p[...] = out if target is p else out.T


class EASE(VectorModel):
    """Embarrassingly shallow autoencoder; evidence kind ``item`` (history contributions)."""

    name = "ease"

    def __init__(self, *, l2: float = 500.0, dtype: DType = "float32", fold_rank: int = 64):
        self.l2 = l2
        self.dtype = dtype
        self.fold_rank = fold_rank

    def _validate(self) -> None:
        if not self.l2 > 0:
            raise InvalidInput(f"l2 must be positive, got {self.l2!r}", field="l2")
        if self.dtype not in ("float32", "float64"):
            raise InvalidInput(f"dtype must be float32 or float64: {self.dtype!r}", field="dtype")
        if self.fold_rank < 1:
            raise InvalidInput("fold_rank must be at least 1", field="fold_rank")

    def fit(self, interactions: Interactions) -> Self:
        """Invert the Gram matrix of the seen items by the cheaper Cholesky route."""
        self._validate()
        m = interactions.matrix
        self.seen_ = np.flatnonzero(np.diff(m.tocsc().indptr) > 0).astype(np.int64)
        x = sp.csr_matrix(m[:, self.seen_], dtype=np.float64)
        route = precision_dual if x.shape[0] < x.shape[1] else precision_primal
        self.precision_ = route(x, float(self.l2), self.dtype)
        self._reset_downdates()
        self._data = interactions
        self._set_items(interactions.items)
        return self

    def _reset_downdates(self) -> None:
        n = self.precision_.shape[0]
        self.down_vectors_ = np.zeros((n, 0), dtype=self.precision_.dtype)
        self.down_core_ = np.zeros((0, 0), dtype=np.float64)
        self._update_diagonal()

    def _update_diagonal(self) -> None:
        """``diag(P + U C Uᵀ)``, from the stored arrays only (so a reload gives the same)."""
        u = self.down_vectors_.astype(np.float64)
        self.diag_ = np.diagonal(self.precision_).astype(np.float64)
        self.diag_ += np.einsum("ir,rs,is->i", u, self.down_core_, u)

    def _times_p(self, rows: sp.csr_matrix) -> np.ndarray:
        """``rows · P`` for rows over the seen columns, with the pending downdates."""
        # Same dtype on both sides: a float32 P would otherwise be copied up to float64.
        same = sp.csr_matrix(rows, dtype=self.precision_.dtype)
        out = np.asarray(same @ self.precision_, dtype=np.float64)
        u = self.down_vectors_
        if u.shape[1]:
            out += ((same @ u) @ self.down_core_) @ u.T
        return out

    def score_batch(self, rows: sp.csr_matrix) -> np.ndarray:
        """``x - (x·P)/diag(P)`` on the seen columns; unseen columns score 0."""
        rows = self._check_rows(rows)
        seen_rows = sp.csr_matrix(rows[:, self.seen_])
        out = np.zeros(rows.shape, dtype=np.float64)
        out[:, self.seen_] = seen_rows.toarray() - self._times_p(seen_rows) / self.diag_
        return out

    _position: tuple[np.ndarray, np.ndarray] | None = None

    def _positions(self) -> np.ndarray:
        """Each column's row in ``P`` (-1 if unseen in training); cached per ``seen_``."""
        cached = self._position
        if cached is not None and cached[0] is self.seen_:
            return cached[1]
        position = np.full(len(self.items_), -1, dtype=np.int64)
        position[self.seen_] = np.arange(len(self.seen_))
        self._position = (self.seen_, position)
        return position

    def _block(self, h: Columns, t: Columns) -> np.ndarray:
        """``P[h, t]`` in float64, gathered with ``t`` ascending (``h`` already is): memory
        order makes a long history's gather several times faster; columns are put back."""
        order = np.argsort(t, kind="stable")
        out = np.empty((len(h), len(t)), dtype=np.float64)
        out[:, order] = self.precision_[np.ix_(h, t[order])]
        return out

    def _evidence(self, row: sp.csr_matrix, cols: Columns) -> EvidenceByColumn:
        position = self._positions()
        keep = position[row.indices] >= 0
        history, weights = row.indices[keep].astype(np.int64), row.data[keep]
        targets = cols[position[cols] >= 0]
        if not len(history) or not len(targets):
            return {}
        h, t = position[history], position[targets]
        p = self._block(h, t)
        u = self.down_vectors_
        if u.shape[1]:
            p += (u[h] @ self.down_core_) @ u[t].T
        # x_h · B[h, t] = -x_h · P[h, t] / P[t, t]; an item never explains itself.
        parts = -weights[:, None] * p / self.diag_[t]
        parts[history[:, None] == targets[None, :]] = 0.0
        return item_evidence(parts, history, targets, self.items_)

    def forget(self, subjects: Collection[SubjectId]) -> Self:
        """Woodbury downdate of ``P`` for these subjects' rows: exact, no retraining."""
        data = self.interactions_
        rows = rows_of(data, subjects)
        if not len(rows):
            return self
        xu = sp.csr_matrix(data.matrix[rows][:, self.seen_], dtype=np.float64)
        v = self._times_p(xu).T
        core = np.linalg.inv(np.eye(len(rows)) - (xu @ v))
        self.down_vectors_ = np.hstack([self.down_vectors_, v.astype(self.precision_.dtype)])
        self.down_core_ = sla.block_diag(self.down_core_, core)
        self._data = data.without(subjects)
        self._clear_unseen()
        self._update_diagonal()
        if self.down_vectors_.shape[1] >= self.fold_rank:
            self.fold()
        return self

    def _clear_unseen(self) -> None:
        """Items no one is left with get the exact inverse of their bare λ row: ``e/λ``."""
        left = np.diff(self.interactions_.matrix[:, self.seen_].tocsc().indptr)
        gone = np.flatnonzero(left == 0)
        if not len(gone):
            return
        self.precision_[gone, :] = 0.0
        self.precision_[:, gone] = 0.0
        self.precision_[gone, gone] = 1.0 / self.l2
        self.down_vectors_[gone, :] = 0.0

    def fold(self) -> Self:
        """Fold the pending low-rank downdates into ``P`` (one matrix product)."""
        u = self.down_vectors_
        if u.shape[1]:
            _add_product(self.precision_, u @ self.down_core_.astype(u.dtype), u)
            self._reset_downdates()
        return self

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays = self.interactions_.to_arrays("train.")
        arrays |= {
            "precision": self.precision_,
            "seen": self.seen_,
            "down_vectors": self.down_vectors_,
            "down_core": self.down_core_,
        }
        return arrays, {"l2": self.l2, "dtype": self.dtype, "fold_rank": self.fold_rank}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], params: Mapping[str, Any]) -> Self:
        model = cls(
            l2=float(params.get("l2", 500.0)),
            dtype=params.get("dtype", "float32"),
            fold_rank=int(params.get("fold_rank", 64)),
        )
        data = Interactions.from_arrays(arrays, "train.")
        model.precision_ = np.array(arrays["precision"])
        model.seen_ = np.asarray(arrays["seen"], dtype=np.int64)
        model.down_vectors_ = np.array(arrays["down_vectors"])
        model.down_core_ = np.array(arrays["down_core"], dtype=np.float64)
        model._update_diagonal()
        model._data = data
        model._set_items(data.items)
        return model
