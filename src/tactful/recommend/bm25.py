"""BM25 weighting of the subject × item matrix, for item-kNN (``ItemKNN(weighting="bm25")``).

Each item column is a "document" whose "terms" are the subjects that chose it, as in
``implicit``'s ``BM25Recommender``: a subject who chose few items says more (idf
``log(n_items) − log(1 + items of the subject)``), an item's weights saturate with ``k1``
and are normalised by its popularity relative to the average with strength ``b`` (0: none).
Item–item similarity is then the plain dot product of the weighted columns (not a cosine),
so a popular neighbour keeps some of its weight: on sparse shops that helps.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from tactful.errors import InvalidInput


def check_bm25(k1: float, b: float) -> None:
    """Refuse parameters BM25 is not defined for."""
    if not (np.isfinite(k1) and k1 > 0):
        raise InvalidInput(f"bm25 k1 must be a positive number, got {k1!r}", field="k1")
    if not (np.isfinite(b) and 0.0 <= b <= 1.0):
        raise InvalidInput(f"bm25 b must be between 0 and 1, got {b!r}", field="b")


def bm25_weighted(m: sp.csr_matrix, k1: float, b: float) -> sp.csr_matrix:
    """The subject × item matrix with each entry BM25-weighted (float64, CSR, same shape)."""
    check_bm25(k1, b)
    x = sp.csr_matrix(m, dtype=np.float64, copy=True)
    x.sort_indices()
    n_subjects, n_items = x.shape
    per_subject = np.diff(x.indptr).astype(np.float64)
    idf = np.log(max(n_items, 1)) - np.log1p(per_subject)
    length = np.bincount(x.indices, weights=x.data, minlength=n_items)
    average = float(length.mean()) if n_items else 0.0
    norm = (1.0 - b) + b * length / average if average > 0 else np.full(n_items, 1.0 - b)
    row = np.repeat(np.arange(n_subjects), np.diff(x.indptr))
    x.data = x.data * (k1 + 1.0) / (k1 * norm[x.indices] + x.data) * idf[row]
    return x
