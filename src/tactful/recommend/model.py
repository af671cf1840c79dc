"""What every Tactful model offers beyond the ``Scorer`` contract, and the shared ranking.

Each model scores all of its items at once as a vector (``score_batch``), so ``score`` is the
same everywhere: build the history row, score it, drop excluded (and, for models that only
score items they have support for, non-positive) items, take the top ``n`` and ask the model
for the evidence behind each. Columns are always ``items_``, the items of the training data.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Protocol, Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from tactful.errors import InvalidInput, NotFitted
from tactful.recommend.interactions import History, Interactions
from tactful.types import Evidence, ItemId, Scored, SubjectId

EVIDENCE_PER_ITEM = 3
"""How many pieces of evidence a score carries at most (the strongest ones)."""

Columns = npt.NDArray[np.int64]
EvidenceByColumn = dict[int, tuple[Evidence, ...]]


class Model(Protocol):
    """A fitted-or-not recommendation model: the ``Scorer`` contract plus batch scoring."""

    name: str

    @property
    def items_(self) -> tuple[ItemId, ...]: ...

    @property
    def counts_(self) -> dict[str, int]: ...

    def fit(self, interactions: Interactions) -> Self: ...

    def score(self, history: History, *, n: int, exclude: Collection[ItemId] = ()) -> Scored: ...

    def rank(self, history: History, *, n: int, exclude: Collection[ItemId] = ()) -> Scored: ...

    def score_batch(self, rows: sp.csr_matrix) -> np.ndarray: ...

    def evidence(
        self, history: History, items: Sequence[ItemId]
    ) -> dict[ItemId, tuple[Evidence, ...]]: ...

    def forget(self, subjects: Collection[SubjectId]) -> Self: ...

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]: ...

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], params: Mapping[str, Any]) -> Self: ...


def history_row(history: History, index: Mapping[ItemId, int]) -> sp.csr_matrix:
    """A 1 × items CSR row of the history; items the model does not know are ignored."""
    cols: list[int] = []
    vals: list[float] = []
    for item, weight in history.items():
        col = index.get(item)
        if col is not None and weight > 0:
            cols.append(col)
            vals.append(float(weight))
    order = np.argsort(cols, kind="stable")
    c = np.asarray(cols, dtype=np.int64)[order]
    v = np.asarray(vals, dtype=np.float32)[order]
    return sp.csr_matrix((v, c, np.array([0, len(c)])), shape=(1, len(index)), dtype=np.float32)


def top_columns(scores: np.ndarray, n: int, excluded: Columns, *, positive_only: bool) -> Columns:
    """The ``n`` best columns, best first (ties by column), skipping excluded ones."""
    allowed = np.isfinite(scores)
    if positive_only:
        allowed &= scores > 0
    allowed[excluded] = False
    cols = np.flatnonzero(allowed)
    vals = scores[cols]
    if n < len(cols):
        # Partition first (O(items)), then sort only the survivors. Ties at the cut keep the
        # lowest columns, so the result equals a full stable sort's first n.
        cut = -np.partition(-vals, n - 1)[n - 1]
        above = np.flatnonzero(vals > cut)
        ties = np.flatnonzero(vals == cut)[: n - len(above)]
        pick = np.sort(np.concatenate([above, ties]))
        cols, vals = cols[pick], vals[pick]
    order = np.argsort(-vals, kind="stable")[:n]
    return cols[order].astype(np.int64)


def strongest(contributions: Sequence[Evidence]) -> tuple[Evidence, ...]:
    """The positive pieces of evidence, strongest first, at most ``EVIDENCE_PER_ITEM``."""
    positive = [e for e in contributions if e.weight > 0]
    positive.sort(key=lambda e: (-e.weight, e.item_id or "", e.detail or ""))
    return tuple(positive[:EVIDENCE_PER_ITEM])


def item_evidence(
    parts: np.ndarray, history: Columns, cols: Columns, items: Sequence[ItemId]
) -> EvidenceByColumn:
    """Kind ``item`` evidence from a history × candidates matrix of contributions: for each
    candidate, its strongest positive contributors (ties by column)."""
    if not len(history) or not len(cols):
        return {}
    top, weights = _top_rows(np.asarray(parts, dtype=np.float64), EVIDENCE_PER_ITEM)
    names = [items[h] for h in history.tolist()]
    # Built with ``tuple.__new__`` (what ``Evidence._make`` does, without its length check):
    # this runs for every candidate of every request, and the named tuple's own ``__new__``
    # is a Python function, a third of the cost here.
    make = tuple.__new__
    found: EvidenceByColumn = {}
    for c, rows, ws in zip(cols.tolist(), top.T.tolist(), weights.T.tolist(), strict=True):
        pairs = zip(rows, ws, strict=True)
        found[c] = tuple([make(Evidence, ("item", w, names[j], None)) for j, w in pairs if w > 0])
    return found


def _top_rows(parts: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per column, the rows of the ``k`` largest values, largest first, ties by the lower
    row (what a stable descending argsort gives), and those values. Repeated ``argmax``
    (first maximum wins) is O(k × size) instead of a sort."""
    work = np.where(np.isnan(parts), -np.inf, parts)
    k = min(k, work.shape[0])
    span = np.arange(work.shape[1])
    top = np.empty((k, work.shape[1]), dtype=np.int64)
    for r in range(k):
        top[r] = np.argmax(work, axis=0)
        work[top[r], span] = -np.inf
    return top, np.take_along_axis(parts, top, axis=0)


def check_n(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise InvalidInput(f"n must be a whole number of at least 1, got {n!r}", field="n")


def counts_of(interactions: Interactions) -> dict[str, int]:
    """The data counts a manifest reports."""
    m = interactions.matrix
    return {
        "subjects": int(np.count_nonzero(np.diff(m.indptr))),
        "items": len(interactions.items),
        "interactions": int(m.nnz),
    }


def rows_of(interactions: Interactions, subjects: Collection[SubjectId]) -> Columns:
    """Row indices of these subjects in the training data (unknown subjects are skipped)."""
    index = interactions.subject_index
    return np.array(sorted(index[s] for s in set(subjects) if s in index), dtype=np.int64)


class VectorModel:
    """Shared serving for models that score every item as one vector.

    Subclasses set ``name``, ``positive_only`` and implement ``fit``, ``score_batch``,
    ``_evidence`` and the fitted ``items_``; everything else here is common plumbing.
    """

    name = "model"
    positive_only = True
    """Rank only items with a positive score: the model has support for nothing else."""

    _items: tuple[ItemId, ...] | None = None
    _index: dict[ItemId, int] | None = None
    _data: Interactions | None = None

    def _not_fitted(self) -> NotFitted:
        return NotFitted(f"{self.name} is not fitted yet; call fit first")

    @property
    def interactions_(self) -> Interactions:
        """The training rows, kept so that forgetting a subject can be exact."""
        if self._data is None:
            raise self._not_fitted()
        return self._data

    @property
    def counts_(self) -> dict[str, int]:
        """Subjects, items and interactions the fitted state was learned from."""
        return counts_of(self.interactions_)

    @property
    def items_(self) -> tuple[ItemId, ...]:
        """Item ids in column order (the items of the training data)."""
        if self._items is None:
            raise self._not_fitted()
        return self._items

    @property
    def item_index_(self) -> dict[ItemId, int]:
        if self._index is None:
            self._index = {t: i for i, t in enumerate(self.items_)}
        return self._index

    def _set_items(self, items: tuple[ItemId, ...]) -> None:
        self._items = items
        self._index = None

    def _check_rows(self, rows: sp.csr_matrix) -> sp.csr_matrix:
        if rows.ndim != 2 or rows.shape[1] != len(self.items_):
            raise InvalidInput(
                f"rows must have {len(self.items_)} columns (one per item), got {rows.shape}",
                field="rows",
            )
        return sp.csr_matrix(rows, dtype=np.float64)

    def score_batch(self, rows: sp.csr_matrix) -> np.ndarray:
        raise NotImplementedError

    def _unsupported(self) -> Columns:
        """Columns ``score`` never ranks whatever their score (e.g. items no one trained)."""
        return np.zeros(0, dtype=np.int64)

    def _evidence(self, row: sp.csr_matrix, cols: Columns) -> EvidenceByColumn:
        raise NotImplementedError

    def evidence(
        self, history: History, items: Sequence[ItemId]
    ) -> dict[ItemId, tuple[Evidence, ...]]:
        """Why each of these items scores as it does for this history (unknown items: none)."""
        row = history_row(history, self.item_index_)
        cols = np.array([self.item_index_[t] for t in items if t in self.item_index_], np.int64)
        found = self._evidence(row, cols)
        return {self.items_[c]: found.get(int(c), ()) for c in cols}

    def score(self, history: History, *, n: int, exclude: Collection[ItemId] = ()) -> Scored:
        """The top ``n`` items for this history, best first, never an excluded item."""
        row, scores, cols = self._top(history, n, exclude)
        found = self._evidence(row, cols)
        items = tuple(self.items_[c] for c in cols)
        return Scored(
            items=items,
            scores=tuple(float(scores[c]) for c in cols),
            evidence={self.items_[c]: found.get(int(c), ()) for c in cols},
        )

    def rank(self, history: History, *, n: int, exclude: Collection[ItemId] = ()) -> Scored:
        """``score`` without the evidence: for serving, which explains only the few items
        that survive curation (see ``evidence``)."""
        _row, scores, cols = self._top(history, n, exclude)
        return Scored(
            items=tuple(self.items_[c] for c in cols),
            scores=tuple(float(scores[c]) for c in cols),
        )

    def _top(
        self, history: History, n: int, exclude: Collection[ItemId]
    ) -> tuple[sp.csr_matrix, np.ndarray, Columns]:
        check_n(n)
        row = history_row(history, self.item_index_)
        scores = np.asarray(self.score_batch(row), dtype=np.float64)[0]
        excluded = np.array(
            [self.item_index_[t] for t in exclude if t in self.item_index_], dtype=np.int64
        )
        excluded = np.concatenate([excluded, self._unsupported()])
        return row, scores, top_columns(scores, n, excluded, positive_only=self.positive_only)
