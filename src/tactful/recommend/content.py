"""Content-based scoring from item attributes: for new items and people with little history.

Each item becomes a TF-IDF vector over its categories, values and title keywords (each kind
with its own weight, then L2-normalised); a person's profile is the weighted sum of their
history items' vectors, and items score the cosine with it. It learns nothing from people:
the catalogue is given at construction (``Content(items=catalogue)``), ``fit`` only lays the
vectors out over the training data's item columns, and ``forget`` has nothing to remove.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Self

import numpy as np
import scipy.sparse as sp

from tactful.errors import InvalidInput
from tactful.recommend.interactions import History, Interactions
from tactful.recommend.model import (
    EVIDENCE_PER_ITEM,
    Columns,
    EvidenceByColumn,
    VectorModel,
    check_n,
    history_row,
    item_evidence,
    top_columns,
)
from tactful.types import Evidence, Item, ItemId, Scored, SubjectId

_WORD = re.compile(r"[^\W\d_]{3,}")
_STOPWORDS = frozenset(
    {"the", "and", "for", "with", "from", "your", "you", "our", "are", "this", "that"}
    | {"into", "over", "under", "its", "was", "were", "has", "have", "had", "not", "but"}
    | {"all", "any", "new"}
)


def keywords(title: str) -> list[str]:
    """Lower-cased title words of three letters or more, without common stopwords."""
    return [w for w in _WORD.findall(title.lower()) if w not in _STOPWORDS]


def features_of(item: Item) -> set[str]:
    """The item's attributes as ``kind:name`` features."""
    out = {f"category:{c}" for c in item.categories}
    out |= {f"value:{v}" for v in item.values}
    out |= {f"keyword:{w}" for w in keywords(item.title)}
    return out


class Content(VectorModel):
    """Attribute similarity; evidence kinds ``category``, ``value`` and ``keyword`` (the
    matched attribute in ``detail``) plus ``item`` (the history items it resembles)."""

    name = "content"

    def __init__(
        self,
        *,
        items: Sequence[Item] = (),
        category_weight: float = 1.0,
        value_weight: float = 1.0,
        keyword_weight: float = 0.5,
    ) -> None:
        self.items = items
        self.category_weight = category_weight
        self.value_weight = value_weight
        self.keyword_weight = keyword_weight

    def _kind_weights(self) -> dict[str, float]:
        weights = {
            "category": self.category_weight,
            "value": self.value_weight,
            "keyword": self.keyword_weight,
        }
        for kind, w in weights.items():
            if not np.isfinite(w) or w < 0:
                raise InvalidInput(f"{kind}_weight must be >= 0, got {w!r}", field=f"{kind}_weight")
        return weights

    def fit(self, interactions: Interactions) -> Self:
        """TF-IDF vectors of the catalogue items, one row per training item column."""
        from sklearn.feature_extraction.text import TfidfTransformer

        kinds = self._kind_weights()
        catalogue = {it.item_id: it for it in self.items}
        per_item = [
            features_of(catalogue[t]) if t in catalogue else set() for t in interactions.items
        ]
        names = tuple(sorted(set().union(*per_item)))
        index = {f: i for i, f in enumerate(names)}
        rows = np.repeat(np.arange(len(per_item)), [len(f) for f in per_item])
        cols = np.array([index[f] for fs in per_item for f in sorted(fs)], dtype=np.int64)
        scale = np.array([kinds[f.split(":", 1)[0]] for f in names], dtype=np.float64)
        counts = sp.csr_matrix(
            (scale[cols], (rows, cols)), shape=(len(per_item), len(names)), dtype=np.float64
        )
        if names:
            counts = TfidfTransformer(norm="l2", smooth_idf=True).fit_transform(counts)
        self.vectors_ = sp.csr_matrix(counts, dtype=np.float64)
        self.features_ = names
        self._set_items(interactions.items)
        return self

    @property
    def counts_(self) -> dict[str, int]:
        """Content learns from no one: only the items count."""
        return {"subjects": 0, "items": len(self.items_), "interactions": 0}

    def _profiles(self, rows: sp.csr_matrix) -> sp.csr_matrix:
        """Unit-length weighted sums of the rows' item vectors (zero rows stay zero)."""
        return self._unit(sp.csr_matrix(rows @ self.vectors_))

    @staticmethod
    def _unit(profiles: sp.csr_matrix) -> sp.csr_matrix:
        """Each row at unit length (zero rows stay zero)."""
        norms = np.sqrt(np.asarray(profiles.multiply(profiles).sum(axis=1)).ravel())
        scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        return sp.csr_matrix(sp.diags(scale) @ profiles)

    def score_batch(self, rows: sp.csr_matrix) -> np.ndarray:
        rows = self._check_rows(rows)
        return np.asarray((self._profiles(rows) @ self.vectors_.T).toarray())

    def _attribute_evidence(self, profile: sp.csr_matrix, cols: Columns) -> EvidenceByColumn:
        """Per candidate, the shared attributes that add most to its cosine (top 3)."""
        shared = sp.csr_matrix(self.vectors_[cols].multiply(profile))
        found: EvidenceByColumn = {}
        for i, c in enumerate(cols):
            start, end = shared.indptr[i], shared.indptr[i + 1]
            best = np.argsort(-shared.data[start:end], kind="stable")[:EVIDENCE_PER_ITEM]
            found[int(c)] = tuple(
                self._evidence_of(int(shared.indices[start + b]), float(shared.data[start + b]))
                for b in best
                if shared.data[start + b] > 0
            )
        return found

    def _evidence_of(self, feature: int, weight: float) -> Evidence:
        kind, detail = self.features_[feature].split(":", 1)
        return Evidence(kind, weight, detail=detail)

    def _evidence(self, row: sp.csr_matrix, cols: Columns) -> EvidenceByColumn:
        if not row.nnz or not len(cols):
            return {}
        profile = self._profiles(row)
        norm = float(np.sqrt(sp.csr_matrix(row @ self.vectors_).power(2).sum()))
        by_item = self._item_evidence(row, cols, norm)
        by_attribute = self._attribute_evidence(profile, cols)
        return {int(c): by_item.get(int(c), ()) + by_attribute[int(c)] for c in cols}

    def _item_evidence(self, row: sp.csr_matrix, cols: Columns, norm: float) -> EvidenceByColumn:
        """The history items each candidate resembles; ``norm``: that of ``row · vectors``."""
        history = row.indices.astype(np.int64)
        # The cosine splits over the history: item j adds x_j (v_j · v_c) / |profile|.
        sims = (self.vectors_[history] @ self.vectors_[cols].T).toarray()
        parts = sims * row.data[:, None] / (norm or 1.0)
        parts[history[:, None] == cols[None, :]] = 0.0
        return item_evidence(parts, history, cols, self.items_)

    def score_attributes(
        self,
        *,
        categories: Collection[str] = (),
        values: Collection[str] = (),
        n: int,
        exclude: Collection[ItemId] = (),
    ) -> Scored:
        """Items matching declared interests (e.g. preferred categories), no history needed."""
        check_n(n)
        index = self._features()
        wanted = [f"category:{c}" for c in categories] + [f"value:{v}" for v in values]
        cols = sorted({index[f] for f in wanted if f in index})
        profile = sp.csr_matrix(
            (np.ones(len(cols)), (np.zeros(len(cols), dtype=np.int64), cols)),
            shape=(1, len(self.features_)),
        )
        profile = profile / max(np.sqrt(len(cols)), 1.0)
        scores = np.asarray((profile @ self.vectors_.T).toarray()).ravel()
        banned = np.array([self.item_index_[t] for t in exclude if t in self.item_index_])
        top = top_columns(scores, n, banned.astype(np.int64), positive_only=True)
        return Scored(
            tuple(self.items_[c] for c in top),
            tuple(float(scores[c]) for c in top),
            {self.items_[c]: found for c, found in self._attribute_evidence(profile, top).items()},
        )

    _feature_index: tuple[tuple[str, ...], dict[str, int]] | None = None

    def _features(self) -> dict[str, int]:
        """Each feature's column, built once per ``features_`` (not once per request)."""
        cached = self._feature_index
        if cached is None or cached[0] is not self.features_:
            cached = (self.features_, {f: i for i, f in enumerate(self.features_)})
            self._feature_index = cached
        return cached[1]

    def _declared(self, categories: Collection[str], values: Collection[str]) -> sp.csr_matrix:
        """A unit profile over these declared categories and values (zero if none is known)."""
        index = self._features() if categories or values else {}
        wanted = [f"category:{c}" for c in categories] + [f"value:{v}" for v in values]
        cols = sorted({index[f] for f in wanted if f in index})
        ones = np.full(len(cols), 1.0 / max(np.sqrt(len(cols)), 1.0))
        zeros = np.zeros(len(cols), dtype=np.int64)
        return sp.csr_matrix((ones, (zeros, cols)), shape=(1, len(self.features_)))

    def score_items(
        self,
        history: History,
        items: Sequence[ItemId],
        *,
        categories: Collection[str] = (),
        values: Collection[str] = (),
        at_least: float = 0.0,
    ) -> Scored:
        """These items (e.g. new ones, which no other model can score) by their cosine with
        the person's profile: their history's, plus the categories and values they
        declared; best first, positive scores only, and none below ``at_least``. Evidence:
        the history items each one resembles, then the shared attributes."""
        cols = np.array([self.item_index_[t] for t in items if t in self.item_index_], np.int64)
        if not len(cols):
            return Scored((), ())
        row = history_row(history, self.item_index_)
        summed = sp.csr_matrix(row @ self.vectors_)
        profile = self._unit(summed)
        if categories or values:
            profile = profile + self._declared(categories, values)
        norm = float(np.sqrt(profile.multiply(profile).sum()))
        if norm <= 0:
            return Scored((), ())
        profile = sp.csr_matrix(profile / norm)
        scores = np.asarray((self.vectors_[cols] @ profile.T).toarray()).ravel()
        order = [
            k for k in np.argsort(-scores, kind="stable") if scores[k] > 0 and scores[k] >= at_least
        ]
        kept = cols[order]
        by_item: EvidenceByColumn = {}
        if row.nnz and len(kept):
            history_norm = float(np.sqrt(summed.power(2).sum()))
            by_item = self._item_evidence(row, kept, history_norm)
        by_attribute = self._attribute_evidence(profile, kept)
        return Scored(
            tuple(self.items_[c] for c in kept),
            tuple(float(scores[k]) for k in order),
            {self.items_[c]: by_item.get(int(c), ()) + by_attribute[int(c)] for c in kept},
        )

    def forget(self, subjects: Collection[SubjectId]) -> Self:
        """Nothing to do: no one's data is in the fitted state."""
        return self

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        v = self.vectors_
        arrays = {
            "vectors.indptr": v.indptr,
            "vectors.indices": v.indices,
            "vectors.data": v.data,
            "features": np.asarray(self.features_, dtype=np.str_),
            "items": np.asarray(self.items_, dtype=np.str_),
        }
        params = {
            "category_weight": self.category_weight,
            "value_weight": self.value_weight,
            "keyword_weight": self.keyword_weight,
        }
        return arrays, params

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], params: Mapping[str, Any]) -> Self:
        model = cls(**dict(params))
        items = tuple(str(t) for t in arrays["items"])
        model.features_ = tuple(str(f) for f in arrays["features"])
        model.vectors_ = sp.csr_matrix(
            (arrays["vectors.data"], arrays["vectors.indices"], arrays["vectors.indptr"]),
            shape=(len(items), len(model.features_)),
            dtype=np.float64,
        )
        model._set_items(items)
        return model
