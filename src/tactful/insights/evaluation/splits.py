"""Train/test splits of ``Ratings`` per user: random holdout and temporal leave-last-n.

Both keep every user with at least two ratings in train *and* test, and leave users with a
single rating wholly in train (they cannot be evaluated). A validation split for tuning is
the same split applied again to the training part only, so the test part is never seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from tactful.errors import InvalidInput
from tactful.insights.evaluation.loaders import Ratings

SplitKind = Literal["random", "temporal"]
SPLITS: tuple[SplitKind, ...] = ("random", "temporal")


@dataclass(frozen=True, eq=False)
class Split:
    """A train part and a held-out test part over the same users and items."""

    train: Ratings
    test: Ratings


def _group_positions(users: npt.NDArray[np.int32], order: npt.NDArray[np.intp]) -> np.ndarray:
    """Position of each row within its user's group when rows are visited in ``order``
    (which must already be grouped by user)."""
    u = users[order]
    starts = np.r_[0, np.flatnonzero(u[1:] != u[:-1]) + 1]
    lengths = np.diff(np.r_[starts, len(u)])
    pos_sorted = np.arange(len(u)) - np.repeat(starts, lengths)
    pos = np.empty(len(u), dtype=np.int64)
    pos[order] = pos_sorted
    return pos


def split_random(ratings: Ratings, *, test_fraction: float, seed: int) -> Split:
    """Per user, hold out ``round(test_fraction × n)`` random ratings, clipped to [1, n − 1]."""
    is_test = _random_held_out(ratings, test_fraction=test_fraction, seed=seed)
    return Split(ratings.take(~is_test), ratings.take(is_test))


def people_folds(train: Ratings, folds: int, *, test_fraction: float, seed: int) -> list[Split]:
    """Validation folds over people: each person falls in one of ``folds`` groups at random,
    and fold ``f`` holds out ``test_fraction`` of the ratings of group ``f`` only, so its
    training part keeps everyone else's whole history and is nearly as large as ``train``
    (a model tuned on it sees data of the size it is finally fitted on)."""
    if folds < 2:
        raise InvalidInput("people folds need at least 2", field="validation_folds")
    is_test = _random_held_out(train, test_fraction=test_fraction, seed=seed + 1)
    group = np.random.default_rng(seed + 2).permutation(train.n_users) % folds
    out = []
    for f in range(folds):
        held = is_test & (group[train.users] == f)
        out.append(Split(train.take(~held), train.take(held)))
    return out


def _random_held_out(ratings: Ratings, *, test_fraction: float, seed: int) -> np.ndarray:
    """Which rows ``split_random`` holds out."""
    if not 0.0 < test_fraction < 1.0:
        raise InvalidInput("must be strictly between 0 and 1", field="test_fraction")
    rng = np.random.default_rng(seed)
    counts = np.bincount(ratings.users, minlength=ratings.n_users)
    n_test = np.clip(np.rint(test_fraction * counts), 1, np.maximum(counts - 1, 0))
    order = np.lexsort((rng.random(len(ratings)), ratings.users))
    pos = _group_positions(ratings.users, order)
    held: np.ndarray = pos < n_test[ratings.users]
    return held


def split_temporal(ratings: Ratings, *, last_n: int = 1, test_fraction: float = 0.0) -> Split:
    """Per user, hold out the latest ratings: ``last_n`` of them, or ``round(test_fraction × n)``
    when a fraction is given; always at least one kept in train. Ties break by item index."""
    if last_n < 1:
        raise InvalidInput("must be at least 1", field="last_n")
    if not 0.0 <= test_fraction < 1.0:
        raise InvalidInput("must be in [0, 1)", field="test_fraction")
    counts = np.bincount(ratings.users, minlength=ratings.n_users)
    wanted = np.rint(test_fraction * counts) if test_fraction > 0 else np.full(counts.shape, last_n)
    n_test = np.clip(wanted, 1, np.maximum(counts - 1, 0))
    # Newest first within each user, so position < n_test selects the latest ratings.
    order = np.lexsort((-ratings.items.astype(np.int64), -ratings.timestamps, ratings.users))
    pos = _group_positions(ratings.users, order)
    is_test = pos < n_test[ratings.users]
    return Split(ratings.take(~is_test), ratings.take(is_test))


def split(ratings: Ratings, kind: SplitKind, *, test_fraction: float, seed: int) -> Split:
    """Dispatch on the split kind; temporal uses the fraction of each user's latest ratings."""
    if kind == "random":
        return split_random(ratings, test_fraction=test_fraction, seed=seed)
    if kind == "temporal":
        return split_temporal(ratings, test_fraction=test_fraction)
    raise InvalidInput(f"unknown split {kind!r}; expected one of {SPLITS}", field="split")


def validation_split(train: Ratings, kind: SplitKind, *, test_fraction: float, seed: int) -> Split:
    """Carve a validation split out of a training part only (for hyper-parameter tuning).

    The seed is offset so validation users do not mirror the outer test draw.
    """
    return split(train, kind, test_fraction=test_fraction, seed=seed + 1)
