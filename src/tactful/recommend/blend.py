"""A weighted blend of several models' normalised scores, with their evidence merged.

Each part's scores for a history are clipped at 0 and divided by their maximum, so every
part speaks on the same 0..1 scale before weighting (e.g. content + popularity for cold
start, EASE + ALS for people with history). ``fit`` fits every part on the same data.
``PARTS`` names the models a blend may hold, so a saved blend rebuilds its parts without
importing the registry (which imports this module).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Self

import numpy as np
import scipy.sparse as sp

from tactful.errors import InvalidInput, StoreError
from tactful.recommend.content import Content
from tactful.recommend.ease import EASE
from tactful.recommend.factor import ALS, BPR
from tactful.recommend.interactions import Interactions
from tactful.recommend.itemknn import ItemKNN
from tactful.recommend.model import Columns, EvidenceByColumn, Model, VectorModel
from tactful.recommend.popularity import Popularity
from tactful.types import SubjectId

PARTS: Mapping[str, type[Model]] = {
    m.name: m for m in (Popularity, ItemKNN, EASE, ALS, BPR, Content)
}
"""The models a blend may hold, by manifest name."""


def normalised(scores: np.ndarray) -> np.ndarray:
    """Scores clipped at 0 and scaled so each row's best is 1 (all-zero rows stay 0)."""
    clipped = np.clip(np.nan_to_num(scores, nan=0.0, neginf=0.0), 0.0, None)
    top = clipped.max(axis=1, keepdims=True) if clipped.shape[1] else np.zeros((len(scores), 1))
    return np.asarray(np.divide(clipped, top, out=np.zeros_like(clipped), where=top > 0))


class Blend(VectorModel):
    """Weighted sum of normalised part scores; evidence from every part that scored.
    ``name`` is the name it is saved and served under (``blend``, ``cold_start``)."""

    name = "blend"

    def __init__(self, *, parts: Sequence[tuple[Model, float]] = (), name: str = "blend") -> None:
        self.parts = parts
        self.name = name

    @classmethod
    def of_fitted(cls, parts: Sequence[tuple[Model, float]], *, name: str = "blend") -> Self:
        """A blend of parts already fitted on the same data (tuning reuses them while only
        the weights change); it scores and saves like a fitted blend."""
        if not parts:
            raise InvalidInput("a blend needs at least one part", field="parts")
        items = parts[0][0].items_
        if any(model.items_ != items for model, _ in parts):
            raise InvalidInput(
                "the parts of a blend must be fitted on the same items", field="parts"
            )
        blend = cls(parts=parts, name=name)
        blend._weights()
        blend._set_items(items)
        return blend

    def _weights(self) -> np.ndarray:
        if not self.parts:
            raise InvalidInput("a blend needs at least one part", field="parts")
        w = np.array([float(weight) for _, weight in self.parts])
        if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
            raise InvalidInput("blend weights must be >= 0 with a positive sum", field="parts")
        return np.asarray(w / w.sum(), dtype=np.float64)

    def fit(self, interactions: Interactions) -> Self:
        self._weights()
        for model, _ in self.parts:
            model.fit(interactions)
        self._set_items(interactions.items)
        return self

    @property
    def counts_(self) -> dict[str, int]:
        """The largest count of any part (they share the training data)."""
        counts = [model.counts_ for model, _ in self.parts]
        return {key: max(c[key] for c in counts) for key in ("subjects", "items", "interactions")}

    def score_batch(self, rows: sp.csr_matrix) -> np.ndarray:
        rows = self._check_rows(rows)
        out = np.zeros(rows.shape, dtype=np.float64)
        for (model, _), w in zip(self.parts, self._weights(), strict=True):
            if w > 0:
                out += w * normalised(np.asarray(model.score_batch(rows), dtype=np.float64))
        return out

    def _evidence(self, row: sp.csr_matrix, cols: Columns) -> EvidenceByColumn:
        history = {self.items_[c]: float(v) for c, v in zip(row.indices, row.data, strict=True)}
        wanted = [self.items_[c] for c in cols]
        order = np.argsort(-self._weights(), kind="stable")
        found: EvidenceByColumn = {int(c): () for c in cols}
        for p in order:
            by_item = self.parts[p][0].evidence(history, wanted)
            for c in cols:
                found[int(c)] += tuple(by_item.get(self.items_[c], ()))
        return found

    def forget(self, subjects: Collection[SubjectId]) -> Self:
        for model, _ in self.parts:
            model.forget(subjects)
        return self

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays: dict[str, np.ndarray] = {}
        described = []
        for i, (model, weight) in enumerate(self.parts):
            part_arrays, params = model.to_arrays()
            arrays |= {f"part{i}.{key}": value for key, value in part_arrays.items()}
            described.append({"model": model.name, "weight": float(weight), "params": params})
        return arrays, {"parts": described, "name": self.name}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], params: Mapping[str, Any]) -> Self:
        parts: list[tuple[Model, float]] = []
        for i, part in enumerate(params["parts"]):
            prefix = f"part{i}."
            own = {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}
            if part["model"] not in PARTS:
                raise StoreError(f"a saved blend holds an unknown model {part['model']!r}")
            model = PARTS[part["model"]].from_arrays(own, part["params"])
            parts.append((model, float(part["weight"])))
        blend = cls(parts=parts, name=str(params.get("name", cls.name)))
        blend._set_items(parts[0][0].items_)
        return blend
