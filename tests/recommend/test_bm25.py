"""BM25 item-kNN: the weights by hand, and the same neighbours as ``implicit``'s BM25."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from implicit.nearest_neighbours import BM25Recommender

from tactful.errors import InvalidInput
from tactful.recommend.bm25 import bm25_weighted
from tactful.recommend.interactions import Interactions
from tactful.recommend.itemknn import ItemKNN


def test_weights_follow_the_bm25_formula() -> None:
    # 2 subjects x 3 items: s0 chose items 0 and 1, s1 chose item 1 only.
    m = sp.csr_matrix(np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 0.0]]))
    w = bm25_weighted(m, k1=1.0, b=1.0).toarray()
    idf = np.log(3) - np.log1p(np.array([2.0, 1.0]))  # per subject
    lengths = np.array([1.0, 2.0, 0.0])  # per item
    norm = lengths / lengths.mean()
    want = np.array(
        [
            [2 / (norm[0] + 1) * idf[0], 2 / (norm[1] + 1) * idf[0], 0.0],
            [0.0, 2 / (norm[1] + 1) * idf[1], 0.0],
        ]
    )
    assert np.allclose(w, want)
    # b = 0: no length normalisation, a chosen item weighs its subject's idf.
    assert np.allclose(bm25_weighted(m, k1=1.0, b=0.0).toarray(), (m.toarray() > 0) * idf[:, None])


def test_bad_parameters_are_refused_naming_them() -> None:
    m = sp.csr_matrix(np.ones((2, 2)))
    with pytest.raises(InvalidInput) as err:
        bm25_weighted(m, k1=0.0, b=0.5)
    assert err.value.field == "k1"
    with pytest.raises(InvalidInput) as err:
        bm25_weighted(m, k1=1.2, b=1.5)
    assert err.value.field == "b"
    with pytest.raises(InvalidInput) as err:
        ItemKNN(weighting="tfidf").fit(_random(5, 4))  # type: ignore[arg-type]  # bad on purpose
    assert err.value.field == "weighting"


def _random(subjects: int, items: int) -> Interactions:
    rng = np.random.default_rng(3)
    dense = (rng.random((subjects, items)) < 0.3).astype(np.float64)
    dense[np.arange(subjects), rng.integers(0, items, subjects)] = 1.0
    return Interactions(
        sp.csr_matrix(dense),
        tuple(f"s{i}" for i in range(subjects)),
        tuple(f"i{j}" for j in range(items)),
    )


@pytest.mark.parametrize("b", [0.0, 0.75])
def test_similarity_equals_implicits_bm25_off_the_diagonal(b: float) -> None:
    data = _random(60, 25)
    ours = ItemKNN(neighbours=25, weighting="bm25", k1=1.2, b=b).fit(data).similarity_
    peer = BM25Recommender(K=26, K1=1.2, B=b)  # one more: implicit keeps the diagonal
    peer.fit(sp.csr_matrix(data.matrix), show_progress=False)
    theirs = sp.csr_matrix(peer.similarity).toarray()
    np.fill_diagonal(theirs, 0.0)
    assert np.allclose(ours.toarray(), np.clip(theirs, 0.0, None))
