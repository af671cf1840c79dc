"""Popularity: every item scores its summed interaction weight (or its number of people).

The baseline and the fallback for people with no usable history. It keeps the training
rows, so forgetting a subject is an exact decrement of the totals.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Literal, Self

import numpy as np
import scipy.sparse as sp

from tactful.errors import InvalidInput
from tactful.recommend.interactions import Interactions
from tactful.recommend.model import (
    Columns,
    EvidenceByColumn,
    VectorModel,
    rows_of,
)
from tactful.types import Evidence, SubjectId

By = Literal["weight", "subjects"]


class Popularity(VectorModel):
    """Items ranked by how much people interacted with them; evidence kind ``popular``."""

    name = "popularity"

    def __init__(self, *, by: By = "weight") -> None:
        self.by = by

    def _totals(self, m: sp.csr_matrix) -> np.ndarray:
        if self.by not in ("weight", "subjects"):
            raise InvalidInput(f"by must be 'weight' or 'subjects', got {self.by!r}", field="by")
        data = m.data.astype(np.float64) if self.by == "weight" else np.ones(m.nnz)
        return np.bincount(m.indices, weights=data, minlength=m.shape[1])

    def fit(self, interactions: Interactions) -> Self:
        """Sum each item's column; the training rows are kept for exact forgetting."""
        self.totals_ = self._totals(interactions.matrix)
        self._data = interactions
        self._set_items(interactions.items)
        return self

    def score_batch(self, rows: sp.csr_matrix) -> np.ndarray:
        """The same totals for every row: popularity ignores the history."""
        rows = self._check_rows(rows)
        return np.tile(self.totals_, (rows.shape[0], 1))

    def _evidence(self, row: sp.csr_matrix, cols: Columns) -> EvidenceByColumn:
        return {
            int(c): (Evidence("popular", float(self.totals_[c]), detail=self.by),)
            for c in cols
            if self.totals_[c] > 0
        }

    def forget(self, subjects: Collection[SubjectId]) -> Self:
        """Subtract the subjects' rows from the totals: exactly fit-without-them."""
        data = self.interactions_
        rows = rows_of(data, subjects)
        if len(rows):
            self.totals_ -= self._totals(data.matrix[rows])
            self._data = data.without(subjects)
        return self

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays = self.interactions_.to_arrays("train.")
        arrays["totals"] = self.totals_
        return arrays, {"by": self.by}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], params: Mapping[str, Any]) -> Self:
        model = cls(by=params.get("by", "weight"))
        data = Interactions.from_arrays(arrays, "train.")
        model._data = data
        model.totals_ = np.asarray(arrays["totals"], dtype=np.float64)
        model._set_items(data.items)
        return model
