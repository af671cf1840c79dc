"""Per-user splits keep every evaluable user on both sides and never leak test rows."""

from __future__ import annotations

import numpy as np
import pytest

from tactful.errors import InvalidInput
from tactful.insights.evaluation.loaders import Ratings
from tactful.insights.evaluation.splits import (
    people_folds,
    split,
    split_random,
    split_temporal,
    validation_split,
)


def _ratings(counts: list[int]) -> Ratings:
    """User u rates items 0..counts[u]-1 at timestamps 100*u + item (item order = time order)."""
    rows = [
        (f"u{u}", f"i{i:03d}", 1.0 + (i % 5), 100 * u + i)
        for u, n in enumerate(counts)
        for i in range(n)
    ]
    return Ratings.from_rows(rows, source="test")


def _keys(r: Ratings) -> set[tuple[int, int]]:
    return set(zip(r.users.tolist(), r.items.tolist(), strict=True))


def test_random_split_sizes_and_coverage() -> None:
    data = _ratings([1, 2, 3, 4, 8, 20])
    s = split_random(data, test_fraction=0.25, seed=42)
    train_n = np.bincount(s.train.users, minlength=data.n_users)
    test_n = np.bincount(s.test.users, minlength=data.n_users)
    # round(0.25 n) clipped to [1, n-1]; single-rating user stays wholly in train.
    assert test_n.tolist() == [0, 1, 1, 1, 2, 5]
    assert (train_n + test_n).tolist() == [1, 2, 3, 4, 8, 20]
    assert _keys(s.train) | _keys(s.test) == _keys(data)
    assert not _keys(s.train) & _keys(s.test)
    assert s.train.item_ids == data.item_ids and s.test.user_ids == data.user_ids


def test_random_split_is_seeded() -> None:
    data = _ratings([30] * 5)
    a = split_random(data, test_fraction=0.3, seed=1)
    b = split_random(data, test_fraction=0.3, seed=1)
    c = split_random(data, test_fraction=0.3, seed=2)
    assert _keys(a.test) == _keys(b.test)
    assert _keys(a.test) != _keys(c.test)


def test_temporal_split_holds_out_the_latest() -> None:
    data = _ratings([1, 3, 5])
    s = split_temporal(data, last_n=2)
    # user0 keeps its only rating; user1 keeps 1 in train (n-1 cap); user2 loses its 2 latest.
    test = {(data.user_ids[u], data.item_ids[i]) for u, i in _keys(s.test)}
    assert test == {("u1", "i001"), ("u1", "i002"), ("u2", "i003"), ("u2", "i004")}
    by_fraction = split_temporal(data, test_fraction=0.4)
    test = {(data.user_ids[u], data.item_ids[i]) for u, i in _keys(by_fraction.test)}
    assert test == {("u1", "i002"), ("u2", "i003"), ("u2", "i004")}
    assert _keys(split(data, "temporal", test_fraction=0.4, seed=0).test) == _keys(by_fraction.test)


def test_validation_comes_from_train_only() -> None:
    data = _ratings([12] * 6)
    outer = split(data, "random", test_fraction=0.25, seed=42)
    inner = validation_split(outer.train, "random", test_fraction=0.25, seed=42)
    assert _keys(inner.train) | _keys(inner.test) == _keys(outer.train)
    assert not (_keys(inner.test) & _keys(outer.test))
    assert np.bincount(inner.test.users).min() >= 1


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.5])
def test_bad_fraction_names_the_field(fraction: float) -> None:
    with pytest.raises(InvalidInput) as err:
        split_random(_ratings([4]), test_fraction=fraction, seed=0)
    assert err.value.field == "test_fraction"


def test_unknown_split_kind() -> None:
    with pytest.raises(InvalidInput) as err:
        split(_ratings([4]), "kfold", test_fraction=0.2, seed=0)  # type: ignore[arg-type]
    assert err.value.field == "split"


def test_people_folds_validate_each_person_once_and_keep_everyone_else_whole() -> None:
    train = _ratings([8] * 12)
    folds = people_folds(train, 3, test_fraction=0.25, seed=42)
    assert len(folds) == 3
    everyone = _keys(train)
    validated: list[int] = []
    for fold in folds:
        held, kept = _keys(fold.test), _keys(fold.train)
        assert held | kept == everyone and not held & kept
        people = sorted({u for u, _ in held})
        assert len(people) == 4  # a third of the 12, each with 2 of their 8 held out
        assert all(sum(1 for v, _ in held if v == u) == 2 for u in people)
        validated += people
    assert sorted(validated) == list(range(12))
    with pytest.raises(InvalidInput) as err:
        people_folds(train, 1, test_fraction=0.25, seed=42)
    assert err.value.field == "validation_folds"
