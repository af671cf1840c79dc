"""Ranking metrics, vectorised over users: accuracy at k and beyond-accuracy measures.

Rankings are full: every catalogue item is a candidate except the user's training items.
A top-k matrix holds item columns best first, ``-1`` where fewer than k candidates existed.
Relevance is binary: every held-out item is relevant. Definitions (``|T|`` = test items):

- Precision@k = hits / k;  Recall@k = hits / min(k, |T|) (so a perfect list scores 1);
  plain recall ``recall_all@k`` = hits / |T|;  HR@k = 1 if any hit.
- NDCG@k = Σ hit_j / log2(j + 1) over ranks j = 1..k, divided by the ideal over min(k, |T|).
- MAP@k = mean over users of Σ_j P@j · hit_j / min(k, |T|).
- Coverage = distinct recommended items / catalogue size.
- Diversity (intra-list) = 1 − mean pairwise cosine of the listed items' vectors.
- Novelty = mean −log2 p(i), p(i) = max(train users of i, 1) / train users.
- Popularity rank = mean rank of recommended items by training popularity (1 = most popular).
- Gini = Gini coefficient of recommendation counts over the whole catalogue (0 = equal).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def top_k(scores: np.ndarray, exclude: sp.csr_matrix, k: int) -> IntArray:
    """The k best item columns per row, best first; excluded (training) items never appear.

    NaN scores count as -inf; slots with no remaining candidate are ``-1``. Ties keep the
    lower column first so results are deterministic.
    """
    s = np.array(scores, dtype=np.float64, copy=True)
    s[np.isnan(s)] = -np.inf
    rows, cols = exclude.nonzero()
    s[rows, cols] = -np.inf
    k_eff = min(k, s.shape[1])
    part = np.argpartition(-s, k_eff - 1, axis=1)[:, :k_eff]
    part_scores = np.take_along_axis(s, part, axis=1)
    order = np.lexsort((part, -part_scores), axis=1)
    top = np.take_along_axis(part, order, axis=1).astype(np.int64)
    top[np.take_along_axis(part_scores, order, axis=1) == -np.inf] = -1
    if k_eff < k:
        top = np.hstack([top, np.full((top.shape[0], k - k_eff), -1, dtype=np.int64)])
    return top


def hits(top: IntArray, test: sp.csr_matrix) -> npt.NDArray[np.bool_]:
    """Boolean users × k: is the item at each rank in the user's test set."""
    rows = np.repeat(np.arange(top.shape[0]), top.shape[1])
    cols = np.where(top >= 0, top, 0).ravel()
    found = np.asarray(test[rows, cols]).reshape(top.shape) > 0
    return found & (top >= 0)


def _discounts(k: int) -> FloatArray:
    return np.asarray(1.0 / np.log2(np.arange(2, k + 2)), dtype=np.float64)


def accuracy(top: IntArray, test: sp.csr_matrix) -> dict[str, FloatArray]:
    """Per-user accuracy at k = ``top.shape[1]`` for users with at least one test item."""
    k = top.shape[1]
    n_rel = np.diff(test.indptr).astype(np.float64)
    valid = n_rel > 0
    h = hits(top, test)[valid].astype(np.float64)
    n_rel = n_rel[valid]
    denom = np.minimum(n_rel, k)
    n_hits = h.sum(axis=1)
    disc = _discounts(k)
    ideal = np.cumsum(disc)[denom.astype(np.int64) - 1]
    precision_at_j = np.cumsum(h, axis=1) / np.arange(1, k + 1)
    return {
        "ndcg": (h @ disc) / ideal,
        "recall": n_hits / denom,
        "recall_all": n_hits / n_rel,
        "precision": n_hits / k,
        "map": (precision_at_j * h).sum(axis=1) / denom,
        "hr": (n_hits > 0).astype(np.float64),
    }


def exposure(top: IntArray, n_items: int) -> IntArray:
    """How many lists each catalogue item appears in."""
    listed = top[top >= 0]
    return np.bincount(listed, minlength=n_items).astype(np.int64)


def coverage(top: IntArray, n_items: int) -> float:
    """Share of the catalogue recommended to at least one user."""
    return float(np.count_nonzero(exposure(top, n_items))) / n_items if n_items else 0.0


def gini(counts: np.ndarray) -> float:
    """Gini coefficient of non-negative counts: 0 when equal, → 1 when concentrated."""
    x = np.sort(np.asarray(counts, dtype=np.float64))
    n, total = x.shape[0], x.sum()
    if n == 0 or total == 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float(((2 * ranks - n - 1) * x).sum() / (n * total))


def item_vectors(train: sp.csr_matrix) -> sp.csr_matrix:
    """Unit-length item vectors from co-occurrence: item i's vector is its column of users."""
    cols = sp.csr_matrix(train.T, dtype=np.float64)
    cols.data[:] = 1.0
    norms = np.sqrt(np.asarray(cols.multiply(cols).sum(axis=1)).ravel())
    inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sp.csr_matrix(sp.diags(inv) @ cols)


def diversity(top: IntArray, vectors: sp.csr_matrix) -> FloatArray:
    """Per list: 1 − mean pairwise cosine of its items (unit ``vectors``, one row per item).

    Uses ‖Σv‖² = Σ‖v‖² + Σ_{i≠j} cos(i, j), so no pairwise loop; lists shorter than two are NaN.
    """
    valid = top >= 0
    n_listed = valid.sum(axis=1)
    rows = np.repeat(np.arange(top.shape[0]), top.shape[1])[valid.ravel()]
    indicator = sp.csr_matrix(
        (np.ones(rows.shape[0]), (rows, top[valid])), shape=(top.shape[0], vectors.shape[0])
    )
    summed = indicator @ vectors
    sq_total = np.asarray(summed.multiply(summed).sum(axis=1)).ravel()
    self_sq = indicator @ np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel()
    pairs = n_listed * (n_listed - 1.0)
    mean_cos = np.divide(
        sq_total - self_sq, pairs, out=np.full(pairs.shape, np.nan), where=pairs > 0
    )
    return np.asarray(1.0 - mean_cos, dtype=np.float64)


def popularity(train: sp.csr_matrix) -> IntArray:
    """Training users per item."""
    return np.bincount(train.indices, minlength=train.shape[1]).astype(np.int64)


def novelty(top: IntArray, item_users: IntArray, n_users: int) -> float:
    """Mean self-information −log2 p(i) of recommended items, p(i) = users of i / users."""
    listed = top[top >= 0]
    if listed.size == 0 or n_users == 0:
        return float("nan")
    p = np.maximum(item_users[listed], 1) / n_users
    return float(np.mean(-np.log2(p)))


def popularity_rank(top: IntArray, item_users: IntArray) -> float:
    """Mean popularity rank of recommended items; 1 is the most popular, ties share a rank."""
    listed = top[top >= 0]
    if listed.size == 0:
        return float("nan")
    # Rank = 1 + number of items strictly more popular.
    sorted_desc = np.sort(item_users)[::-1]
    more_popular = np.searchsorted(-sorted_desc, -item_users[listed], side="left")
    return float(np.mean(more_popular + 1))


AT_K = ("ndcg", "recall", "recall_all", "precision", "map", "hr")
"""Metric names that are measured at a cut-off k (reported as ``ndcg@10`` ...)."""


def summarise(top: IntArray, test: sp.csr_matrix, train: sp.csr_matrix) -> dict[str, float]:
    """Every metric, averaged over the listed users; rows of ``top`` and ``test`` align, and
    ``train`` is the full training matrix (popularity and item vectors come from it)."""
    acc = accuracy(top, test)
    item_users = popularity(train)
    out = {name: float(np.mean(acc[name])) if acc[name].size else float("nan") for name in AT_K}
    div = diversity(top, item_vectors(train))
    out["coverage"] = coverage(top, train.shape[1])
    out["diversity"] = float(np.nanmean(div)) if np.any(~np.isnan(div)) else float("nan")
    out["novelty"] = novelty(top, item_users, train.shape[0])
    out["popularity_rank"] = popularity_rank(top, item_users)
    out["gini"] = gini(exposure(top, train.shape[1]))
    return out
