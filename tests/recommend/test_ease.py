"""EASE: the closed form, both Cholesky routes, and the exact Woodbury forget."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from tactful.errors import InvalidInput
from tactful.recommend.ease import EASE, precision_dual, precision_primal
from tactful.recommend.interactions import Interactions


def random_data(subjects: int, items: int, seed: int, density: float = 0.2) -> Interactions:
    rng = np.random.default_rng(seed)
    dense = (rng.random((subjects, items)) < density) * rng.integers(1, 4, (subjects, items))
    return Interactions(
        sp.csr_matrix(dense.astype(np.float32)),
        tuple(f"s{i:03d}" for i in range(subjects)),
        tuple(f"i{j:03d}" for j in range(items)),
    )


@pytest.mark.parametrize("shape", [(40, 15), (15, 40)])
def test_both_cholesky_routes_give_the_inverse_gram_matrix(shape: tuple[int, int]) -> None:
    x = sp.csr_matrix(random_data(*shape, seed=1).matrix, dtype=np.float64)
    want = np.linalg.inv(x.T @ x + 7.0 * np.eye(shape[1]))
    assert np.abs(precision_primal(x, 7.0) - want).max() < 1e-12
    assert np.abs(precision_dual(x, 7.0) - want).max() < 1e-12


def test_scores_are_the_history_times_b_with_a_zero_diagonal() -> None:
    data = random_data(30, 12, seed=2, density=0.3)
    model = EASE(l2=3.0, dtype="float64").fit(data)
    x = data.matrix.toarray().astype(np.float64)
    p = np.linalg.inv(x.T @ x + 3.0 * np.eye(12))
    b = -p / np.diag(p)
    np.fill_diagonal(b, 0.0)
    assert np.abs(model.score_batch(data.matrix) - x @ b).max() < 1e-12


def test_only_seen_items_get_a_column_and_unseen_ones_score_zero() -> None:
    data = Interactions.from_triples(
        ["u1", "u1", "u2", "u2", "u3"],
        ["x", "y", "y", "z", "x"],
        [1.0, 2.0, 1.0, 1.0, 3.0],
        item_universe=["zz-new"],
    )
    model = EASE(l2=2.0).fit(data)
    assert model.precision_.shape == (3, 3)
    assert np.all(model.score_batch(data.matrix)[:, data.item_index["zz-new"]] == 0.0)
    assert "zz-new" not in model.score({"x": 1.0}, n=10).items


def test_sequential_forgets_across_folds_equal_a_refit_in_float64() -> None:
    data = random_data(60, 25, seed=4)
    model = EASE(l2=4.0, dtype="float64", fold_rank=3).fit(data)
    gone: list[str] = []
    for batch in (["s001"], ["s005", "s006"], ["s010"], ["s020", "s021", "s022"]):
        model.forget(batch)
        gone += batch
        refit = EASE(l2=4.0, dtype="float64").fit(data.without(gone))
        rows = data.without(gone).matrix
        assert np.abs(model.score_batch(rows) - refit.score_batch(rows)).max() < 1e-9


def test_float32_forget_stays_within_its_measured_tolerance() -> None:
    data = random_data(80, 30, seed=5)
    model = EASE(l2=4.0, dtype="float32").fit(data).forget(["s003", "s004"])
    refit = EASE(l2=4.0, dtype="float64").fit(data.without(["s003", "s004"]))
    rows = data.without(["s003", "s004"]).matrix
    assert np.abs(model.score_batch(rows) - refit.score_batch(rows)).max() < 1e-5


def test_an_item_only_the_forgotten_subject_had_drops_out_exactly() -> None:
    data = Interactions.from_triples(
        ["u1", "u1", "u2", "u2", "u3", "u3", "u3"],
        ["x", "y", "x", "y", "x", "y", "solo"],
        [1.0] * 7,
    )
    model = EASE(l2=1.0, dtype="float64").fit(data).forget(["u3"])
    refit = EASE(l2=1.0, dtype="float64").fit(data.without(["u3"]))
    everything = sp.csr_matrix(np.ones((1, 3), dtype=np.float32))
    assert np.abs(model.score_batch(everything) - refit.score_batch(everything)).max() < 1e-12
    assert model.score_batch(everything)[0, data.item_index["solo"]] == 0.0


def test_bad_parameters_name_their_field() -> None:
    data = random_data(5, 5, seed=6, density=0.6)
    for params, field in (({"l2": 0.0}, "l2"), ({"dtype": "float16"}, "dtype")):
        with pytest.raises(InvalidInput) as err:
            EASE(**params).fit(data)  # type: ignore[arg-type]
        assert err.value.field == field
