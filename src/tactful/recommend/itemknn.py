"""Item-kNN: cosine similarity between item columns, the top ``neighbours`` kept per item.

``score = history · S`` where row ``j`` of ``S`` holds item ``j``'s nearest neighbours. The
training rows are kept, so forgetting is exact: removing a subject changes the co-occurrences
and norms of the items it touched (the set ``J``) and nothing else, so only the rows of ``J``
are recomputed in full, and every other row merges its kept neighbours with its new values
in the columns of ``J`` (those can only have grown, so nothing outside the old top list can
enter). Neighbour lists are canonical — value descending, then column ascending — so the
result equals a retrain without the subject, bit for bit.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any, Self

import numpy as np
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

_BLOCK_ITEMS = 512
_PAD_BUDGET = 4_000_000


def normalised(m: sp.csr_matrix) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Columns scaled to unit length (float64), as CSR and as its transpose's CSR."""
    x = sp.csr_matrix(m, dtype=np.float64, copy=True)
    x.sort_indices()
    norms = np.sqrt(np.bincount(x.indices, weights=x.data**2, minlength=x.shape[1]))
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    x.data *= inverse[x.indices]
    xt = x.T.tocsr()
    xt.sort_indices()
    return x, xt


def similarity_rows(x: sp.csr_matrix, xt: sp.csr_matrix, items: Columns) -> sp.csr_matrix:
    """Full cosine rows of these items, without self-similarity and zeros (columns unsorted)."""
    r = sp.csr_matrix(xt[items] @ x)
    row_of = np.repeat(np.arange(r.shape[0]), np.diff(r.indptr))
    keep = (r.indices != items[row_of]) & (r.data > 0)
    return _kept(r, keep, row_of)


def _kept(m: sp.csr_matrix, keep: np.ndarray, row_of: np.ndarray) -> sp.csr_matrix:
    """The entries of ``m`` where ``keep`` is true, in their original order."""
    per_row = np.bincount(row_of[keep], minlength=m.shape[0])
    indptr = np.concatenate([[0], np.cumsum(per_row)])
    return sp.csr_matrix((m.data[keep], m.indices[keep], indptr), shape=m.shape)


def _padded_chunks(rows: Columns, counts: np.ndarray) -> Iterator[Columns]:
    """Rows (sorted by length) in runs whose padded block stays under the budget."""
    start = 0
    for end in range(1, len(rows) + 1):
        if end == len(rows) or (end + 1 - start) * counts[rows[end]] > _PAD_BUDGET:
            yield rows[start:end]
            start = end


def _chosen(vals: np.ndarray, cols: np.ndarray, valid: np.ndarray, k: int) -> np.ndarray:
    """Mask of each padded row's top ``k``: value descending, then column ascending.

    ``vals`` is padded with -inf where not ``valid``; ``cols`` holds the column indices.
    """
    width = vals.shape[1]
    threshold = np.partition(vals, width - k, axis=1)[:, width - k][:, None]
    above = vals > threshold
    tied = (vals == threshold) & valid
    room = k - above.sum(axis=1)
    crowded = np.flatnonzero(tied.sum(axis=1) > room)
    if len(crowded):
        # More ties than room: the smallest columns among the tied entries win.
        tied_cols = np.sort(np.where(tied[crowded], cols[crowded], np.iinfo(cols.dtype).max), 1)
        last = tied_cols[np.arange(len(crowded)), room[crowded] - 1][:, None]
        tied[crowded] &= cols[crowded] <= last
    return np.asarray(above | tied)


def top_k(m: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Keep the ``k`` largest entries of each row (value descending, then column ascending).

    Long rows are padded into dense blocks of similar length, so the selection is one
    vectorised ``np.partition`` per block instead of a Python loop per row.
    """
    counts = np.diff(m.indptr)
    keep = np.ones(m.nnz, dtype=bool)
    long = np.flatnonzero(counts > k)
    long = long[np.argsort(counts[long], kind="stable")].astype(np.int64)
    for rows in _padded_chunks(long, counts):
        offsets = np.arange(int(counts[rows[-1]]))
        valid = offsets[None, :] < counts[rows][:, None]
        pos = np.where(valid, m.indptr[rows][:, None] + offsets[None, :], 0)
        vals = np.where(valid, m.data[pos], -np.inf)
        keep[pos[valid]] = _chosen(vals, m.indices[pos], valid, k)[valid]
    return _kept(m, keep, np.repeat(np.arange(m.shape[0]), counts))


def neighbours_of(m: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """The pruned item × item cosine matrix of a subject × item matrix."""
    x, xt = normalised(m)
    n = m.shape[1]
    blocks = [
        top_k(similarity_rows(x, xt, np.arange(s, min(n, s + _BLOCK_ITEMS))), k)
        for s in range(0, n, _BLOCK_ITEMS)
    ]
    if not blocks:
        return sp.csr_matrix((0, 0), dtype=np.float64)
    out = sp.csr_matrix(sp.vstack(blocks, format="csr"), dtype=np.float64)
    out.sort_indices()
    return out


def _merged(old: sp.csr_matrix, fresh: sp.csr_matrix, touched: Columns) -> sp.csr_matrix:
    """Old neighbours outside ``touched`` plus the fresh full rows of ``touched`` (as rows,
    and mirrored as columns for every other row)."""
    n = old.shape[0]
    in_touched = np.zeros(n, dtype=bool)
    in_touched[touched] = True
    o = old.tocoo()
    f = fresh.tocoo()
    keep_old = ~in_touched[o.row] & ~in_touched[o.col]
    mirror = ~in_touched[f.col]
    rows = np.concatenate([o.row[keep_old], touched[f.row], f.col[mirror]])
    cols = np.concatenate([o.col[keep_old], f.col, touched[f.row][mirror]])
    vals = np.concatenate([o.data[keep_old], f.data, f.data[mirror]])
    return sp.csr_matrix((vals, (rows, cols)), shape=(n, n), dtype=np.float64)


class ItemKNN(VectorModel):
    """Item-based neighbours; evidence kind ``item`` names the history items that count."""

    name = "itemknn"

    def __init__(self, *, neighbours: int = 100) -> None:
        self.neighbours = neighbours

    def _k(self) -> int:
        k = self.neighbours
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise InvalidInput(f"neighbours must be at least 1, got {k!r}", field="neighbours")
        return k

    def fit(self, interactions: Interactions) -> Self:
        """Compute the neighbour lists; keep the training rows for exact forgetting."""
        self.similarity_ = neighbours_of(interactions.matrix, self._k())
        self._data = interactions
        self._set_items(interactions.items)
        return self

    def score_batch(self, rows: sp.csr_matrix) -> np.ndarray:
        rows = self._check_rows(rows)
        return np.asarray((rows @ self.similarity_).toarray())

    def _evidence(self, row: sp.csr_matrix, cols: Columns) -> EvidenceByColumn:
        history = row.indices
        if not len(history) or not len(cols):
            return {}
        parts = self.similarity_[history][:, cols].toarray() * row.data[:, None]
        return item_evidence(parts, history.astype(np.int64), cols, self.items_)

    def forget(self, subjects: Collection[SubjectId]) -> Self:
        """Exactly what a retrain without these subjects would give (see the module doc)."""
        data = self.interactions_
        rows = rows_of(data, subjects)
        if not len(rows):
            return self
        touched = np.unique(data.matrix[rows].indices).astype(np.int64)
        kept = data.without(subjects)
        x, xt = normalised(kept.matrix)
        fresh = similarity_rows(x, xt, touched)
        similarity = top_k(_merged(self.similarity_, fresh, touched), self._k())
        similarity.sort_indices()
        self.similarity_ = similarity
        self._data = kept
        return self

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays = self.interactions_.to_arrays("train.")
        s = self.similarity_
        arrays |= {"sim.indptr": s.indptr, "sim.indices": s.indices, "sim.data": s.data}
        return arrays, {"neighbours": self.neighbours}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], params: Mapping[str, Any]) -> Self:
        model = cls(neighbours=int(params.get("neighbours", 100)))
        data = Interactions.from_arrays(arrays, "train.")
        n = len(data.items)
        model.similarity_ = sp.csr_matrix(
            (arrays["sim.data"], arrays["sim.indices"], arrays["sim.indptr"]), shape=(n, n)
        )
        model._data = data
        model._set_items(data.items)
        return model
