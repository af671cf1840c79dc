"""Item-kNN: cosine neighbours, canonical pruning, and a forget that equals a refit exactly."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from tactful.recommend.interactions import Interactions
from tactful.recommend.itemknn import ItemKNN, top_k


def random_data(subjects: int, items: int, seed: int, density: float = 0.15) -> Interactions:
    rng = np.random.default_rng(seed)
    dense = (rng.random((subjects, items)) < density).astype(np.float32)
    dense[0, :] = 1.0  # one heavy subject who touched everything
    return Interactions(
        sp.csr_matrix(dense),
        tuple(f"s{i:03d}" for i in range(subjects)),
        tuple(f"i{j:03d}" for j in range(items)),
    )


def test_similarity_is_the_cosine_between_item_columns() -> None:
    data = random_data(30, 12, seed=1)
    model = ItemKNN(neighbours=50).fit(data)
    x = data.matrix.toarray().astype(np.float64)
    unit = x / np.linalg.norm(x, axis=0)
    want = unit.T @ unit
    np.fill_diagonal(want, 0.0)
    assert np.abs(model.similarity_.toarray() - want).max() < 1e-12


def test_pruning_keeps_the_largest_then_the_lowest_column_on_ties() -> None:
    m = sp.csr_matrix(np.array([[0.5, 0.2, 0.5, 0.5, 0.9], [0.0, 0.3, 0.0, 0.0, 0.1]]))
    kept = top_k(m, 3).toarray()
    assert kept[0].tolist() == [0.5, 0.0, 0.5, 0.0, 0.9]
    assert kept[1].tolist() == [0.0, 0.3, 0.0, 0.0, 0.1]


def test_each_item_keeps_at_most_its_neighbours() -> None:
    model = ItemKNN(neighbours=3).fit(random_data(40, 20, seed=2))
    assert np.diff(model.similarity_.indptr).max() == 3


@pytest.mark.parametrize("gone", [["s000"], ["s003", "s007"], ["s011"]])
def test_forget_equals_a_refit_bit_for_bit(gone: list[str]) -> None:
    data = random_data(50, 30, seed=3)  # binary data: ties everywhere
    model = ItemKNN(neighbours=4).fit(data).forget(gone)
    refit = ItemKNN(neighbours=4).fit(data.without(gone))
    assert np.array_equal(model.similarity_.toarray(), refit.similarity_.toarray())


def test_repeated_forgets_stay_exact() -> None:
    data = random_data(40, 25, seed=4)
    model = ItemKNN(neighbours=5).fit(data)
    for s in ("s001", "s000", "s020"):
        model.forget([s])
    refit = ItemKNN(neighbours=5).fit(data.without(["s001", "s000", "s020"]))
    assert np.array_equal(model.similarity_.toarray(), refit.similarity_.toarray())


def _movielens() -> Path:
    root = os.environ.get("TACTFUL_DATASETS")
    base = Path(root) if root else Path(__file__).resolve().parents[2].parent / "shared/datasets"
    return base / "movielens-latest-small" / "ratings.csv"


@pytest.mark.datasets
def test_forget_is_exact_on_movielens_ratings() -> None:
    path = _movielens()
    if not path.is_file():
        pytest.skip("MovieLens latest-small is not available")
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    rows = [line.split(",") for line in lines]
    rows = [r for r in rows if int(r[0]) <= 60]  # the first 60 people keep it fast
    data = Interactions.from_triples([r[0] for r in rows], [r[1] for r in rows], [1.0] * len(rows))
    model = ItemKNN(neighbours=20).fit(data).forget(["7"])
    refit = ItemKNN(neighbours=20).fit(data.without(["7"]))
    diff = model.similarity_ - refit.similarity_
    assert diff.nnz == 0 or np.abs(diff.data).max() == 0.0


@pytest.mark.parametrize(("seed", "k"), [(5, 1), (6, 3), (7, 8), (8, 40)])
def test_forget_of_a_light_subject_equals_a_refit(seed: int, k: int) -> None:
    # Sparse data and a subject with few items: most rows are untouched, some only gain a
    # touched neighbour, some have room (fewer than k neighbours) -- every path is taken.
    data = random_data(60, 45, seed=seed, density=0.08)
    light = min(data.subjects[1:], key=lambda s: (len(data.history_of(s)) or 99, s))
    model = ItemKNN(neighbours=k).fit(data).forget([light])
    refit = ItemKNN(neighbours=k).fit(data.without([light]))
    assert np.array_equal(model.similarity_.indptr, refit.similarity_.indptr)
    assert np.array_equal(model.similarity_.indices, refit.similarity_.indices)
    assert np.array_equal(model.similarity_.data, refit.similarity_.data)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_forget_with_negative_weights_equals_a_refit(seed: int) -> None:
    # Dismissals weigh negatively: some cosines are negative (dropped) and the shortcut that
    # held values only grow is not taken.
    rng = np.random.default_rng(seed)
    weights = rng.choice([-1.0, 0.5, 1.0, 2.0], size=(50, 30), p=[0.2, 0.2, 0.4, 0.2])
    dense = ((rng.random((50, 30)) < 0.2) * weights).astype(np.float32)
    data = Interactions(
        sp.csr_matrix(dense),
        tuple(f"s{i:03d}" for i in range(50)),
        tuple(f"i{j:03d}" for j in range(30)),
    )
    for gone in (["s000"], ["s005", "s017"]):
        model = ItemKNN(neighbours=4).fit(data).forget(gone)
        refit = ItemKNN(neighbours=4).fit(data.without(gone))
        assert np.array_equal(model.similarity_.toarray(), refit.similarity_.toarray())
