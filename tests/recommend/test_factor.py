"""ALS and BPR through ``implicit``: serving new histories, evidence, forgetting."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from implicit.cpu.als import AlternatingLeastSquares
from threadpoolctl import threadpool_limits

from tactful.errors import InvalidInput
from tactful.recommend.factor import ALS, BPR
from tactful.recommend.interactions import Interactions


def small_als() -> ALS:
    return ALS(factors=2, iterations=30, regularization=0.1, num_threads=1)


def test_als_factors_are_implicit_s_own_for_the_same_seed(checkerboard: Interactions) -> None:
    ours = small_als().fit(checkerboard)
    with threadpool_limits(1, "blas"):
        theirs = AlternatingLeastSquares(
            factors=2, regularization=0.1, iterations=30, num_threads=1, random_state=0
        )
        theirs.fit(checkerboard.matrix, show_progress=False)
    assert np.array_equal(ours.item_factors_, theirs.item_factors)
    assert np.array_equal(ours.user_factors_, theirs.user_factors)


def test_als_evidence_is_implicit_s_explain(checkerboard: Interactions) -> None:
    model = small_als().fit(checkerboard)
    history = {"A0": 2.0, "A1": 1.0, "A2": 1.0}
    scored = model.score(history, n=3, exclude=list(history))
    row = sp.csr_matrix(
        ([2.0, 1.0, 1.0], ([0, 0, 0], [0, 1, 2])), shape=(1, len(checkerboard.items))
    )
    solver = model._solver()
    for item in scored.items:
        _, top, _ = solver.explain(0, row.astype(np.float32), checkerboard.item_index[item], N=3)
        want = [(checkerboard.items[j], pytest.approx(w, rel=1e-5)) for j, w in top if w > 0]
        got = [(e.item_id, e.weight) for e in scored.evidence[item]]
        assert got == want


def test_a_new_history_is_solved_not_looked_up(checkerboard: Interactions) -> None:
    model = small_als().fit(checkerboard)
    trained = model.score_users(np.array([checkerboard.subject_index["a2"]]), checkerboard.matrix)
    solved = model.score_batch(checkerboard.matrix[[checkerboard.subject_index["a2"]]])
    # Both rank a2's own group first; the solve is not a copy of the stored factor.
    assert set(np.argsort(-solved[0])[:8]) == set(np.argsort(-trained[0])[:8])
    assert not np.array_equal(solved, trained)


def test_forget_removes_the_subjects_factors(checkerboard: Interactions) -> None:
    for model in (small_als(), BPR(factors=2, iterations=50, forget_epochs=5)):
        model.fit(checkerboard).forget(["a0", "b3"])
        assert model.user_factors_.shape[0] == len(checkerboard.subjects) - 2
        assert "a0" not in model.interactions_.subjects


@pytest.mark.parametrize("params", [{"factors": 0}, {"iterations": 0}])
def test_bad_parameters_name_their_field(
    checkerboard: Interactions, params: dict[str, int]
) -> None:
    for cls in (ALS, BPR):
        with pytest.raises(InvalidInput) as err:
            cls(**params).fit(checkerboard)
        assert err.value.field == next(iter(params))
