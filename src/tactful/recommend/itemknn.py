"""Item-kNN: cosine similarity between item columns, the top ``neighbours`` kept per item.

``score = history · S`` where row ``j`` of ``S`` holds item ``j``'s nearest neighbours. The
training rows are kept, so forgetting is exact: removing a subject changes the co-occurrences
and norms of the items it touched (the set ``J``) and nothing else, so only the rows of ``J``
are recomputed in full. Any other row's values in the columns of ``J`` can only grow (same
co-occurrence, smaller norm) and its other values stay, so it is rebuilt only if it holds a
column of ``J`` or a grown value reaches its smallest kept one (or it has room); it then
merges its kept neighbours with those grown values. Every other row is copied as it was.
Neighbour lists are canonical — value descending, then column ascending — so the result
equals a retrain without the subject, bit for bit, at a few percent of its cost.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any, Literal, Self

import numpy as np
import scipy.sparse as sp

from tactful.errors import InvalidInput, StoreError
from tactful.recommend.bm25 import bm25_weighted
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
Weighting = Literal["cosine", "bm25"]
WEIGHTINGS: tuple[str, ...] = ("cosine", "bm25")
WeightedColumns = tuple[sp.csr_matrix, sp.csr_matrix]


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
    return _kept(r, keep)


def _kept(m: sp.csr_matrix, keep: np.ndarray) -> sp.csr_matrix:
    """The entries of ``m`` where ``keep`` is true, in their original order."""
    indptr = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])[m.indptr]
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
    return _kept(m, keep)


def neighbours_of(
    m: sp.csr_matrix, k: int, columns: Callable[[sp.csr_matrix], WeightedColumns] = normalised
) -> sp.csr_matrix:
    """The pruned item × item matrix of a subject × item matrix: dot products of the
    columns ``columns`` weights (unit length by default, i.e. cosine)."""
    x, xt = columns(m)
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


def _positions(indptr: np.ndarray, rows: Columns) -> np.ndarray:
    """Positions of these rows' entries in a CSR matrix with this ``indptr``."""
    starts = indptr[rows].astype(np.int64)
    counts = indptr[rows + 1] - starts
    ends = np.cumsum(counts)
    total = int(ends[-1]) if len(ends) else 0
    out: np.ndarray = np.arange(total) + np.repeat(starts - (ends - counts), counts)
    return out


def _row_floors(m: sp.csr_matrix, k: int) -> np.ndarray:
    """Each row's smallest kept value, or -inf where the row has room for more."""
    counts = np.diff(m.indptr)
    floor = np.full(m.shape[0], -np.inf)
    filled = np.flatnonzero(counts > 0)
    if len(filled):
        floor[filled] = np.minimum.reduceat(m.data, m.indptr[filled])
    floor[counts < k] = -np.inf
    return floor


def _entering(old: sp.csr_matrix, fresh: sp.csr_matrix, k: int, *, signed: bool) -> np.ndarray:
    """Which fresh (touched-row) values can enter their mirrored row's neighbour list.

    A row's values in touched columns only grow (the co-occurrence is the same, the touched
    norm shrank) and its other values stay, so a value below the row's smallest kept one
    cannot enter (ties can: they are kept), unless the row has room. With negative weights
    (``signed``) rounding may not keep that order, so every value is a candidate.
    """
    if signed:
        return np.ones(fresh.nnz, dtype=bool)
    out: np.ndarray = fresh.data >= _row_floors(old, k)[fresh.indices]
    return out


def _reachable(
    old: sp.csr_matrix, fresh: sp.csr_matrix, enters: np.ndarray, in_touched: np.ndarray
) -> Columns:
    """Rows outside the touched items whose neighbour list can change: those a touched
    value can enter, and those holding a touched column (without negative weights, such a
    held value is itself one that enters)."""
    reached = np.zeros(old.shape[0], dtype=bool)
    reached[fresh.indices[enters]] = True
    if enters.all():
        held = np.concatenate([[0], np.cumsum(in_touched[old.indices])])
        reached |= held[old.indptr[1:]] > held[old.indptr[:-1]]
    return np.flatnonzero(reached & ~in_touched).astype(np.int64)


def _regrown(
    old: sp.csr_matrix, fresh: sp.csr_matrix, enters: np.ndarray, touched: Columns, rows: Columns
) -> sp.csr_matrix:
    """Merged candidates of ``rows``: their old entries outside the touched columns plus
    their grown touched values that can enter (the fresh rows' entries, mirrored). The two
    never overlap, so their sum is their union."""
    in_touched = np.zeros(old.shape[0], dtype=bool)
    in_touched[touched] = True
    kept = sp.csr_matrix(old[rows])
    kept = _kept(kept, ~in_touched[kept.indices])
    slot = np.full(old.shape[0], -1, dtype=np.int64)
    slot[rows] = np.arange(len(rows))
    at = np.flatnonzero(enters & (slot[fresh.indices] >= 0))
    source = np.searchsorted(fresh.indptr, at, side="right") - 1
    grown = sp.csr_matrix(
        (fresh.data[at], (slot[fresh.indices[at]], touched[source])), shape=kept.shape
    )
    return sp.csr_matrix(kept + grown)


def _spliced(old: sp.csr_matrix, rows: Columns, new: sp.csr_matrix) -> sp.csr_matrix:
    """``old`` with its ``rows`` replaced by the rows of ``new`` (in that order)."""
    counts = np.diff(old.indptr).astype(np.int64)
    gone = np.ones(old.nnz, dtype=bool)
    gone[_positions(old.indptr, rows)] = False
    counts[rows] = np.diff(new.indptr)
    indptr = np.concatenate([[0], np.cumsum(counts)])
    fresh = np.zeros(int(indptr[-1]), dtype=bool)
    fresh[_positions(indptr, rows)] = True
    new = sp.csr_matrix(new[np.argsort(rows)])  # the rows' entries in position order
    data = np.empty(len(fresh), dtype=np.float64)
    indices = np.empty(len(fresh), dtype=old.indices.dtype)
    data[fresh], indices[fresh] = new.data, new.indices
    data[~fresh], indices[~fresh] = old.data[gone], old.indices[gone]
    out = sp.csr_matrix((data, indices, indptr), shape=old.shape)
    out.has_sorted_indices = True
    return out


class ItemKNN(VectorModel):
    """Item-based neighbours; evidence kind ``item`` names the history items that count.
    ``weighting`` is ``cosine`` (unit-length columns) or ``bm25`` (``tactful.recommend.bm25``
    with ``k1`` and ``b``; its weights depend on every subject, so forgetting refits)."""

    name = "itemknn"

    def __init__(
        self,
        *,
        neighbours: int = 100,
        weighting: Weighting = "cosine",
        k1: float = 1.2,
        b: float = 0.75,
    ) -> None:
        self.neighbours = neighbours
        self.weighting = weighting
        self.k1, self.b = k1, b

    def _columns(self, m: sp.csr_matrix) -> WeightedColumns:
        if self.weighting == "cosine":
            return normalised(m)
        if self.weighting != "bm25":
            raise InvalidInput(
                f"weighting must be one of {', '.join(WEIGHTINGS)}, got {self.weighting!r}",
                field="weighting",
            )
        x = bm25_weighted(m, self.k1, self.b)
        xt = x.T.tocsr()
        xt.sort_indices()
        return x, xt

    def _k(self) -> int:
        k = self.neighbours
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise InvalidInput(f"neighbours must be at least 1, got {k!r}", field="neighbours")
        return k

    def fit(self, interactions: Interactions) -> Self:
        """Compute the neighbour lists; keep the training rows for exact forgetting."""
        self.similarity_ = neighbours_of(interactions.matrix, self._k(), self._columns)
        self._data = interactions
        self._set_items(interactions.items)
        return self

    def with_similarity(self, interactions: Interactions, similarity: sp.csr_matrix) -> Self:
        """This model, its neighbour lists computed elsewhere (e.g. on Spark): an items x
        items matrix over ``interactions``' items, at most ``neighbours`` per row; serves
        and forgets like ``fit``'s."""
        n, k = len(interactions.items), self._k()
        if similarity.shape != (n, n):
            raise InvalidInput(
                f"similarity must be {n} x {n}, got {similarity.shape}", field="similarity"
            )
        if len(similarity.indptr) > 1 and int(np.diff(similarity.indptr).max(initial=0)) > k:
            raise InvalidInput(
                f"similarity keeps more than {k} neighbours in a row", field="similarity"
            )
        out = sp.csr_matrix(similarity, dtype=np.float64)
        out.sort_indices()
        self.similarity_ = out
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
        if self.weighting != "cosine":  # BM25's idf and lengths move with everyone: refit
            return self.fit(data.without(subjects))
        touched = np.unique(data.matrix[rows].indices).astype(np.int64)
        kept = data.without(subjects)
        x, xt = normalised(kept.matrix)
        fresh = similarity_rows(x, xt, touched)
        in_touched = np.zeros(len(self.items_), dtype=bool)
        in_touched[touched] = True
        k = self._k()
        signed = bool(np.any(kept.matrix.data < 0))
        enters = _entering(self.similarity_, fresh, k, signed=signed)
        reached = _reachable(self.similarity_, fresh, enters, in_touched)
        merged = _regrown(self.similarity_, fresh, enters, touched, reached)
        new = sp.vstack([top_k(merged, k), top_k(fresh, k)], format="csr")
        new.sort_indices()
        self.similarity_ = _spliced(self.similarity_, np.concatenate([reached, touched]), new)
        self._data = kept
        return self

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays = self.interactions_.to_arrays("train.")
        s = self.similarity_
        arrays |= {"sim.indptr": s.indptr, "sim.indices": s.indices, "sim.data": s.data}
        params: dict[str, Any] = {"neighbours": self.neighbours}
        if self.weighting == "bm25":  # cosine artifacts keep the manifest they always had
            params |= {"weighting": "bm25", "k1": self.k1, "b": self.b}
        return arrays, params

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], params: Mapping[str, Any]) -> Self:
        weighting = str(params.get("weighting", "cosine"))
        if weighting not in WEIGHTINGS:
            raise StoreError(f"a saved item-kNN has an unknown weighting {weighting!r}")
        model = cls(
            neighbours=int(params.get("neighbours", 100)),
            weighting="bm25" if weighting == "bm25" else "cosine",
            k1=float(params.get("k1", 1.2)),
            b=float(params.get("b", 0.75)),
        )
        data = Interactions.from_arrays(arrays, "train.")
        n = len(data.items)
        model.similarity_ = sp.csr_matrix(
            (arrays["sim.data"], arrays["sim.indices"], arrays["sim.indptr"]), shape=(n, n)
        )
        model._data = data
        model._set_items(data.items)
        return model
