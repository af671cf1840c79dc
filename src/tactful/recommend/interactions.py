"""The subject × item interaction matrix the models train on, with its id maps."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeAlias

import numpy as np
import scipy.sparse as sp

from tactful.types import ItemId, SubjectId

History: TypeAlias = Mapping[ItemId, float]
"""A subject's weighted interactions at serving time: item id -> summed weight."""


@dataclass(frozen=True)
class Interactions:
    """Rows are subjects, columns items; values are summed, non-negative float32 weights."""

    matrix: sp.csr_matrix
    subjects: tuple[SubjectId, ...]
    items: tuple[ItemId, ...]
    _cache: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.matrix.shape != (len(self.subjects), len(self.items)):
            raise ValueError(
                f"matrix shape {self.matrix.shape} does not match "
                f"{len(self.subjects)} subjects × {len(self.items)} items"
            )

    @classmethod
    def from_triples(
        cls,
        subjects: Sequence[SubjectId],
        items: Sequence[ItemId],
        weights: Sequence[float] | np.ndarray,
        *,
        item_universe: Sequence[ItemId] | None = None,
    ) -> Interactions:
        """Sum weights per (subject, item); drop pairs whose sum is not positive."""
        subj_ids = tuple(sorted(set(subjects)))
        item_ids = tuple(sorted(set(items) | set(item_universe or ())))
        s_index = {s: i for i, s in enumerate(subj_ids)}
        i_index = {t: i for i, t in enumerate(item_ids)}
        rows = np.fromiter((s_index[s] for s in subjects), dtype=np.int64, count=len(subjects))
        cols = np.fromiter((i_index[t] for t in items), dtype=np.int64, count=len(items))
        data = np.asarray(weights, dtype=np.float32)
        m = sp.coo_matrix((data, (rows, cols)), shape=(len(subj_ids), len(item_ids))).tocsr()
        m.sum_duplicates()
        m.data[m.data < 0] = 0.0
        m.eliminate_zeros()
        return cls(m.astype(np.float32), subj_ids, item_ids)

    @cached_property
    def subject_index(self) -> dict[SubjectId, int]:
        return {s: i for i, s in enumerate(self.subjects)}

    @cached_property
    def item_index(self) -> dict[ItemId, int]:
        return {t: i for i, t in enumerate(self.items)}

    @property
    def nnz(self) -> int:
        return int(self.matrix.nnz)

    def history_of(self, subject: SubjectId) -> dict[ItemId, float]:
        """The subject's row as a history mapping (empty if unknown)."""
        row = self.subject_index.get(subject)
        if row is None:
            return {}
        start, end = self.matrix.indptr[row], self.matrix.indptr[row + 1]
        cols = self.matrix.indices[start:end]
        vals = self.matrix.data[start:end]
        return {self.items[c]: float(v) for c, v in zip(cols, vals, strict=True)}

    def without(self, subjects: Collection[SubjectId]) -> Interactions:
        """The same matrix without these subjects' rows; item columns are kept."""
        drop = set(subjects)
        keep = [i for i, s in enumerate(self.subjects) if s not in drop]
        return Interactions(
            self.matrix[keep].tocsr(), tuple(self.subjects[i] for i in keep), self.items
        )

    def to_arrays(self, prefix: str = "") -> dict[str, np.ndarray]:
        """The matrix and id tuples as plain arrays (no pickling needed to load them)."""
        m = self.matrix
        return {
            f"{prefix}indptr": np.asarray(m.indptr, dtype=np.int64),
            f"{prefix}indices": np.asarray(m.indices, dtype=np.int64),
            f"{prefix}data": np.asarray(m.data, dtype=np.float32),
            f"{prefix}subjects": np.asarray(self.subjects, dtype=np.str_),
            f"{prefix}items": np.asarray(self.items, dtype=np.str_),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], prefix: str = "") -> Interactions:
        """Rebuild what :meth:`to_arrays` wrote."""
        # ``tolist`` turns a numpy string array into Python strings in C, 8x faster than
        # ``str`` per element (this runs on every model load, e.g. each erasure)
        subjects = tuple(np.asarray(arrays[f"{prefix}subjects"], dtype=np.str_).tolist())
        items = tuple(np.asarray(arrays[f"{prefix}items"], dtype=np.str_).tolist())
        m = sp.csr_matrix(
            (arrays[f"{prefix}data"], arrays[f"{prefix}indices"], arrays[f"{prefix}indptr"]),
            shape=(len(subjects), len(items)),
            dtype=np.float32,
        )
        return cls(m, subjects, items)
