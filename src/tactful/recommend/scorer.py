"""The one contract every recommendation model follows (scikit-learn shape).

``__init__`` stores parameters, ``fit`` returns self and sets state ending in ``_``, ``score``
ranks items for one history with evidence, ``forget`` removes subjects' influence, and
``to_arrays``/``from_arrays`` round-trip the fitted state as plain numpy arrays so artifacts
are ``.npz`` files with a JSON manifest.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Protocol, Self

import numpy as np

from tactful.recommend.interactions import History, Interactions
from tactful.types import ItemId, Scored, SubjectId


class Scorer(Protocol):
    name: str

    def fit(self, interactions: Interactions) -> Self: ...

    def score(self, history: History, *, n: int, exclude: Collection[ItemId] = ()) -> Scored:
        """The top ``n`` items for this history, best first, never an excluded item, each
        with the evidence behind its score."""
        ...

    def forget(self, subjects: Collection[SubjectId]) -> Self:
        """Remove these subjects' influence, as if they had never been in the training data."""
        ...

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """Fitted state as (arrays, JSON-able parameters)."""
        ...

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], params: Mapping[str, Any]) -> Self: ...
