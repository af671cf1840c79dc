"""Every metric against values computed by hand on tiny cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

from tactful.insights.evaluation import metrics


def _csr(rows: list[list[int]], n_items: int) -> sp.csr_matrix:
    r = [u for u, items in enumerate(rows) for _ in items]
    c = [i for items in rows for i in items]
    return sp.csr_matrix((np.ones(len(c)), (r, c)), shape=(len(rows), n_items))


def test_top_k_excludes_training_items_and_breaks_ties_by_column() -> None:
    scores = np.array([[3.0, 1.0, 2.0, 5.0], [1.0, 1.0, 1.0, 0.0], [np.nan, 2.0, 1.0, 0.5]])
    exclude = _csr([[3], [1], []], 4)
    top = metrics.top_k(scores, exclude, 3)
    assert top.tolist() == [[0, 2, 1], [0, 2, 3], [1, 2, 3]]


def test_top_k_pads_with_minus_one_when_candidates_run_out() -> None:
    top = metrics.top_k(np.array([[1.0, 2.0, 3.0]]), _csr([[0, 2]], 3), 2)
    assert top.tolist() == [[1, -1]]
    assert metrics.top_k(np.array([[1.0, 2.0]]), _csr([[]], 2), 4).tolist() == [[1, 0, -1, -1]]


def test_accuracy_on_hand_computed_lists() -> None:
    top = np.array([[0, 1, 2], [3, 4, 5], [5, 0, -1]])
    test = _csr([[1, 4], [3, 4, 5, 0], [2]], 6)
    acc = metrics.accuracy(top, test)
    d2 = 1 / math.log2(3)
    assert acc["ndcg"] == pytest.approx([d2 / (1 + d2), 1.0, 0.0])
    assert acc["recall"] == pytest.approx([1 / 2, 1.0, 0.0])  # hits / min(k, |T|)
    assert acc["recall_all"] == pytest.approx([1 / 2, 3 / 4, 0.0])  # hits / |T|
    assert acc["precision"] == pytest.approx([1 / 3, 1.0, 0.0])
    assert acc["map"] == pytest.approx([(1 / 2) / 2, 1.0, 0.0])
    assert acc["hr"] == pytest.approx([1.0, 1.0, 0.0])


def test_accuracy_skips_users_without_test_items() -> None:
    acc = metrics.accuracy(np.array([[0, 1], [0, 1]]), _csr([[0], []], 3))
    assert acc["precision"].tolist() == [0.5]


def test_map_rewards_early_hits() -> None:
    test = _csr([[0, 1]], 4)
    early = metrics.accuracy(np.array([[0, 1, 2, 3]]), test)["map"][0]
    late = metrics.accuracy(np.array([[2, 3, 0, 1]]), test)["map"][0]
    assert early == pytest.approx(1.0)
    assert late == pytest.approx((1 / 3 + 2 / 4) / 2)


def test_coverage_and_gini() -> None:
    top = np.array([[0, 1], [0, 1], [-1, 0]])
    assert metrics.exposure(top, 4).tolist() == [3, 2, 0, 0]
    assert metrics.coverage(top, 4) == pytest.approx(0.5)
    assert metrics.gini(np.array([0, 0, 0, 4])) == pytest.approx(0.75)
    assert metrics.gini(np.array([2, 2, 2])) == pytest.approx(0.0)
    assert metrics.gini(np.array([0, 0])) == 0.0


def test_diversity_is_one_minus_mean_pairwise_cosine() -> None:
    vectors = sp.csr_matrix(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.6, 0.8]]))
    top = np.array([[0, 1, 2], [0, 1, -1], [0, -1, -1], [2, 3, -1]])
    div = metrics.diversity(top, vectors)
    assert div[0] == pytest.approx(1 - (1 + 0 + 0) / 3)
    assert div[1] == pytest.approx(0.0)
    assert math.isnan(div[2])
    assert div[3] == pytest.approx(1 - 0.8)


def test_item_vectors_are_unit_user_columns() -> None:
    train = _csr([[0, 1], [0, 1], [0]], 3)
    v = metrics.item_vectors(train).toarray()
    assert v[0] == pytest.approx(np.array([1, 1, 1]) / math.sqrt(3))
    assert v[2] == pytest.approx([0, 0, 0])  # unseen item: no vector, dissimilar to all
    cos01 = float(v[0] @ v[1])
    assert cos01 == pytest.approx(2 / math.sqrt(6))


def test_novelty_and_popularity_rank() -> None:
    item_users = np.array([4, 2, 1, 0])
    top = np.array([[0, 1], [2, 3]])
    # p = 4/4, 2/4, 1/4, max(0,1)/4 -> self-information 0, 1, 2, 2
    assert metrics.novelty(top, item_users, 4) == pytest.approx(1.25)
    # ranks: item0 1, items 1 and 2 share rank 2, item3 4
    assert metrics.popularity_rank(top, np.array([4, 2, 2, 0])) == pytest.approx(2.25)
    assert metrics.popularity(_csr([[0, 1], [0]], 3)).tolist() == [2, 1, 0]


def test_summarise_averages_over_users() -> None:
    train = _csr([[2], [2], [3]], 4)
    test = _csr([[0], [1]], 4)
    top = np.array([[0, 1], [0, 1]])
    out = metrics.summarise(top, test, train)
    assert out["precision"] == pytest.approx(0.5)
    assert out["hr"] == pytest.approx(1.0)
    assert out["ndcg"] == pytest.approx((1.0 + 1 / math.log2(3)) / 2)
    assert out["coverage"] == pytest.approx(0.5)
    assert out["gini"] == pytest.approx(0.5)  # counts [2, 2, 0, 0]
    assert out["novelty"] == pytest.approx(math.log2(3))  # both items unseen in train
    assert out["diversity"] == pytest.approx(1.0)
