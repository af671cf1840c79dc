"""A model's score scale: the median, over the people it was trained on, of the best score
it gives each of them among items they have not interacted with. Settings that compare
scores with a threshold (the diversity guard's reference) are written as multiples of it,
so one setting means the same for EASE (scores ~0.3) and item-kNN (~10)."""

from __future__ import annotations

import numpy as np

from tactful.recommend.interactions import Interactions
from tactful.recommend.model import Model

SCALE = "median_best_score"
"""The manifest key the training run stores it under."""
CHUNK = 512
"""People scored at once (a dense people × items block)."""


def median_best_score(model: Model, data: Interactions) -> float | None:
    """None when nobody has a positive best score (e.g. no data)."""
    matrix = data.matrix.tocsr()
    best: list[np.ndarray] = []
    for start in range(0, matrix.shape[0], CHUNK):
        rows = matrix[start : start + CHUNK]
        scores = np.asarray(model.score_batch(rows), dtype=np.float64)
        scores[rows.nonzero()] = -np.inf  # what they already interacted with
        best.append(scores.max(axis=1, initial=-np.inf))
    tops = np.concatenate(best) if best else np.zeros(0)
    tops = tops[np.isfinite(tops) & (tops > 0)]
    return float(np.median(tops)) if tops.size else None
