"""The runner fits, tunes and scores models on data whose right answer is known.

Two communities: users 0-9 rate items a0-a4, users 10-19 rate items b0-b4. Item
co-occurrence therefore finds exactly each user's held-out items; anti-co-occurrence never does.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Self

import numpy as np
import numpy.typing as npt
import pytest
import scipy.sparse as sp

from tactful.insights.evaluation.loaders import Ratings
from tactful.insights.evaluation.ranking import (
    activity_terciles,
    evaluate_by_activity,
    evaluate_fitted,
)
from tactful.insights.evaluation.runner import (
    ModelSpec,
    Params,
    Setup,
    evaluate_models,
    tune,
)
from tactful.insights.evaluation.search import Extend
from tactful.insights.evaluation.splits import people_folds, split_random, validation_split
from tactful.recommend.interactions import Interactions
from tactful.types import Item, ItemId


class Cooc:
    """Item co-occurrence scorer; ``sign=-1`` turns it into the worst possible model."""

    def __init__(self, sign: float = 1.0, reverse: bool = False) -> None:
        self.sign = sign
        self.reverse = reverse
        self.items_: tuple[ItemId, ...] = ()

    def fit(self, interactions: Interactions) -> Self:
        x = interactions.matrix
        order = np.arange(x.shape[1])[::-1] if self.reverse else np.arange(x.shape[1])
        x = x[:, order]
        self.items_ = tuple(interactions.items[i] for i in order)
        self.sim_ = (x.T @ x).toarray()
        return self

    def score_batch(self, rows: sp.csr_matrix) -> np.ndarray:
        return np.asarray(self.sign * (rows @ self.sim_))


class Known(Cooc):
    """Scores by user index (as factor models do); records which users it was asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[int] = []

    def score_users(self, users: npt.NDArray[np.int64], rows: sp.csr_matrix) -> np.ndarray:
        self.asked.extend(users.tolist())
        return self.score_batch(rows)


def _communities() -> Ratings:
    rows = [
        (f"u{u:02d}", f"{'a' if u < 10 else 'b'}{i}", 5.0, u * 10 + i)
        for u in range(20)
        for i in range(5)
    ]
    return Ratings.from_rows(rows, source="test")


def _spec(name: str, **grid: Sequence[float]) -> ModelSpec:
    def build(params: Params, items: Sequence[Item]) -> Cooc:
        return Cooc(sign=float(params["sign"]))

    return ModelSpec(name, build, defaults={"sign": 1.0}, grid=grid)


def _ticks() -> Iterator[float]:
    t = 0.0
    while True:
        yield t
        t += 0.5


def test_cooccurrence_finds_every_held_out_item() -> None:
    data = split_random(_communities(), test_fraction=0.4, seed=3)  # 2 test items per user
    model = Cooc().fit(Interactions(data.train.matrix(), data.train.user_ids, data.train.item_ids))
    at2 = evaluate_fitted(model, data, 2)
    assert at2["ndcg"] == pytest.approx(1.0)
    assert at2["precision"] == pytest.approx(1.0)
    at3 = evaluate_fitted(model, data, 3)
    assert at3["recall"] == pytest.approx(1.0)  # 2 hits / min(3, 2)
    assert at3["precision"] == pytest.approx(2 / 3)
    assert at3["coverage"] == pytest.approx(1.0)


def test_training_items_are_never_recommended() -> None:
    data = split_random(_communities(), test_fraction=0.4, seed=3)

    class Parrot(Cooc):
        def score_batch(self, rows: sp.csr_matrix) -> np.ndarray:
            return np.asarray(rows.toarray() * 100.0 + super().score_batch(rows))

    model = Parrot().fit(
        Interactions(data.train.matrix(), data.train.user_ids, data.train.item_ids)
    )
    assert evaluate_fitted(model, data, 2)["precision"] == pytest.approx(1.0)


def test_model_columns_in_another_order_are_mapped_back() -> None:
    data = split_random(_communities(), test_fraction=0.4, seed=3)
    inter = Interactions(data.train.matrix(), data.train.user_ids, data.train.item_ids)
    plain = evaluate_fitted(Cooc().fit(inter), data, 2)
    reversed_ = evaluate_fitted(Cooc(reverse=True).fit(inter), data, 2)
    assert reversed_ == pytest.approx(plain)


def test_user_models_get_the_evaluated_user_indices() -> None:
    data = split_random(_communities(), test_fraction=0.4, seed=3)
    model = Known().fit(Interactions(data.train.matrix(), data.train.user_ids, data.train.item_ids))
    assert evaluate_fitted(model, data, 2, batch_users=7)["ndcg"] == pytest.approx(1.0)
    assert model.asked == list(range(20))


def test_tuning_picks_the_better_grid_point_and_reports_it() -> None:
    clock = _ticks()
    results = evaluate_models(
        _communities(),
        [_spec("cooc", sign=[-1.0, 1.0])],
        setup=Setup(test_fraction=0.4, k=2, validation_fraction=0.34),
        tuned=True,
        clock=lambda: next(clock),
    )
    (result,) = results
    assert result.params == {"sign": 1.0}
    assert [t.params["sign"] for t in result.trials] == [-1.0, 1.0]
    assert result.trials[0].ndcg < result.trials[1].ndcg
    assert result.metrics["ndcg"] == pytest.approx(1.0)
    assert result.train_seconds == pytest.approx(0.5)
    row = result.to_row(2)
    assert row["ndcg@2"] == pytest.approx(1.0)
    assert {"recall@2", "precision@2", "map@2", "hr@2", "coverage", "gini"} <= set(row)
    assert row["params"] == {"sign": 1.0}


def test_untuned_runs_use_defaults_for_every_model() -> None:
    specs = [_spec("good"), ModelSpec("bad", lambda p, i: Cooc(sign=-1.0))]
    results = evaluate_models(_communities(), specs, setup=Setup(test_fraction=0.4, k=2))
    assert [r.model for r in results] == ["good", "bad"]
    assert results[0].metrics["ndcg"] > results[1].metrics["ndcg"]
    assert results[1].metrics["hr"] == pytest.approx(0.0)
    assert results[1].trials == ()


def test_setup_describes_the_protocol() -> None:
    d = Setup().to_dict()
    assert (d["split"], d["test_fraction"], d["seed"], d["k"]) == ("random", 0.25, 42, 10)


class Sharp(Cooc):
    """Right for every user when ``x`` is 8; each halving or doubling away from 8 turns
    two more of every eight users (by row index) to the worst order."""

    def __init__(self, x: float) -> None:
        super().__init__()
        self.good = max(0.0, 8.0 - 2.0 * abs(np.log2(x) - 3.0))

    def score_users(self, users: npt.NDArray[np.int64], rows: sp.csr_matrix) -> np.ndarray:
        sign = np.where(users % 8 < self.good, 1.0, -1.0)[:, None]
        return np.asarray(sign * self.score_batch(rows))


def test_tuning_extends_past_the_grid_to_the_known_best() -> None:
    spec = ModelSpec(
        "sharp",
        lambda p, i: Sharp(float(p["x"])),
        defaults={"x": 1.0},
        grid={"x": [1.0, 2.0]},
        extend={"x": Extend(ratio=2.0, low=0.25, high=64.0)},
    )
    (result,) = evaluate_models(
        _communities(),
        [spec],
        setup=Setup(test_fraction=0.4, k=2, validation_fraction=0.34),
        tuned=True,
        clock=lambda: 0.0,
    )
    assert [t.params["x"] for t in result.trials] == [1.0, 2.0, 4.0, 8.0, 16.0]
    assert result.params == {"x": 8.0}
    assert result.metrics["ndcg"] == pytest.approx(1.0)
    row = result.to_row(2)
    assert (row["tuning_stopped"], row["tuning_edges"]) == ("interior", [])


def test_a_point_that_cannot_be_fitted_scores_nothing_and_tuning_goes_on() -> None:
    def build(params: Params, items: Sequence[Item]) -> Cooc:
        if float(params["sign"]) > 1.0:
            raise FloatingPointError("diverged")
        return Cooc(sign=float(params["sign"]))

    spec = ModelSpec("fragile", build, defaults={"sign": 1.0}, grid={"sign": [-1.0, 1.0, 2.0]})
    (result,) = evaluate_models(
        _communities(),
        [spec],
        setup=Setup(test_fraction=0.4, k=2, validation_fraction=0.34),
        tuned=True,
        clock=lambda: 0.0,
    )
    assert result.params["sign"] == 1.0
    failed = [t for t in result.trials if t.error]
    assert [t.params["sign"] for t in failed] == [2.0]
    assert failed[0].error == "FloatingPointError: diverged"
    assert any(row.get("error") for row in result.to_row(2)["tuning"])


def test_activity_terciles_split_users_by_training_interactions() -> None:
    # users 0..5 with 3, 1, 2, 1, 5, 4 training interactions
    counts = [3, 1, 2, 1, 5, 4]
    rows = [(u, i) for u, n in enumerate(counts) for i in range(n)]
    train = sp.csr_matrix(
        (np.ones(len(rows)), ([u for u, _ in rows], [i for _, i in rows])), shape=(6, 6)
    )
    users = np.arange(6, dtype=np.int64)
    parts = activity_terciles(train, users)
    assert {k: v.tolist() for k, v in parts.items()} == {
        "low": [1, 3],  # one interaction each (ties by user)
        "mid": [0, 2],
        "high": [4, 5],
    }


def test_quality_per_activity_tercile_averages_to_the_whole() -> None:
    ratings = Ratings.from_rows(
        [
            (f"u{u:02d}", f"{'a' if u < 10 else 'b'}{i}", 5.0, u * 10 + i)
            for u in range(20)
            for i in range(3 + u % 4)
        ],
        source="test",
    )
    data = split_random(ratings, test_fraction=0.4, seed=3)
    model = Known().fit(Interactions(data.train.matrix(), data.train.user_ids, data.train.item_ids))
    overall, parts = evaluate_by_activity(model, data, 3)
    assert list(parts) == ["low", "mid", "high"]
    users = sum(p["users"] for p in parts.values())
    weighted = sum(p["ndcg"] * p["users"] for p in parts.values()) / users
    assert weighted == pytest.approx(overall["ndcg"])
    assert overall == pytest.approx(evaluate_fitted(model, data, 3), nan_ok=True)


def test_several_validation_folds_average_their_ndcg() -> None:
    ratings = _communities()
    data = split_random(ratings, test_fraction=0.4, seed=42)
    folds = [
        validation_split(data.train, "random", test_fraction=0.34, seed=42 + f) for f in (0, 1)
    ]
    assert folds[0].test.matrix().nnz and (folds[0].test.matrix() != folds[1].test.matrix()).nnz
    spec = ModelSpec("sharp", lambda p, i: Sharp(float(p["x"])), {"x": 2.0}, {"x": [2.0]})
    alone = [tune(spec, fold, (), 2, clock=lambda: 0.0).trials[0].ndcg for fold in folds]
    (result,) = evaluate_models(
        ratings,
        [spec],
        setup=Setup(test_fraction=0.4, k=2, validation_fraction=0.34, validation_folds=2),
        tuned=True,
        clock=lambda: 0.0,
    )
    assert alone[0] != pytest.approx(alone[1])  # so one fold alone would not pass
    assert result.trials[0].ndcg == pytest.approx(sum(alone) / 2)
    assert Setup(validation_folds=2).to_dict()["validation_folds"] == 2


def test_folds_by_people_average_over_the_people_folds() -> None:
    ratings = _communities()
    data = split_random(ratings, test_fraction=0.4, seed=42)
    folds = people_folds(data.train, 2, test_fraction=0.34, seed=42)
    spec = ModelSpec("sharp", lambda p, i: Sharp(float(p["x"])), {"x": 2.0}, {"x": [2.0]})
    alone = [tune(spec, fold, (), 2, clock=lambda: 0.0).trials[0].ndcg for fold in folds]
    assert alone[0] != pytest.approx(alone[1])
    setup = Setup(
        test_fraction=0.4, k=2, validation_fraction=0.34, validation_folds=2, folds_by_people=True
    )
    (result,) = evaluate_models(ratings, [spec], setup=setup, tuned=True, clock=lambda: 0.0)
    assert result.trials[0].ndcg == pytest.approx(sum(alone) / 2)
