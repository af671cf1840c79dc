"""Ranking with a fitted model for evaluation: the protocol a model meets, its top-k over
every item but the person's training items, and the accuracy of those lists, overall and by
activity tercile."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from tactful.errors import InvalidInput
from tactful.insights.evaluation import metrics
from tactful.insights.evaluation.loaders import Ratings
from tactful.insights.evaluation.splits import Split
from tactful.recommend.interactions import Interactions
from tactful.types import ItemId


class Model(Protocol):
    """What the harness needs of a model: fit, batch scores over ``items_`` columns."""

    @property
    def items_(self) -> Sequence[ItemId]: ...

    def fit(self, interactions: Interactions) -> object: ...

    def score_batch(self, rows: sp.csr_matrix) -> np.ndarray: ...


@runtime_checkable
class UserModel(Protocol):
    """A model that scores known training users by row index (e.g. learned user factors)."""

    def score_users(self, users: npt.NDArray[np.int64], rows: sp.csr_matrix) -> np.ndarray: ...


def _column_map(model: Model, item_ids: Sequence[ItemId]) -> npt.NDArray[np.int64] | None:
    """Where each model column sits in ``item_ids``; None when they are the same."""
    model_items = tuple(model.items_)
    if model_items == tuple(item_ids):
        return None
    index = {item: i for i, item in enumerate(item_ids)}
    missing = [t for t in model_items if t not in index]
    if missing:
        raise InvalidInput(f"model scores unknown items, e.g. {missing[0]!r}", field="items_")
    return np.fromiter((index[t] for t in model_items), dtype=np.int64, count=len(model_items))


def _scores(
    model: Model, users: npt.NDArray[np.int64], train: sp.csr_matrix, cols: np.ndarray | None
) -> np.ndarray:
    rows = train[users]
    if cols is not None:
        rows = rows[:, cols]
    if isinstance(model, UserModel):
        raw = np.asarray(model.score_users(users, rows), dtype=np.float64)
    else:
        raw = np.asarray(model.score_batch(rows), dtype=np.float64)
    if raw.shape != (len(users), rows.shape[1]):
        raise InvalidInput(f"score_batch returned shape {raw.shape}", field="score_batch")
    if cols is None:
        return raw
    full = np.full((len(users), train.shape[1]), -np.inf)
    full[:, cols] = raw
    return full


def _batches(users: npt.NDArray[np.int64], size: int) -> Iterator[npt.NDArray[np.int64]]:
    for start in range(0, len(users), size):
        yield users[start : start + size]


def rank_users(
    model: Model,
    train: Ratings,
    users: npt.NDArray[np.int64],
    k: int,
    *,
    batch_users: int = 1024,
) -> npt.NDArray[np.int64]:
    """Top-k item columns for these users, ranking all items except their training items."""
    matrix = train.matrix()
    cols = _column_map(model, train.item_ids)
    tops = [
        metrics.top_k(_scores(model, b, matrix, cols), matrix[b], k)
        for b in _batches(users, batch_users)
    ]
    return np.vstack(tops) if tops else np.empty((0, k), dtype=np.int64)


def evaluate_fitted(
    model: Model, data: Split, k: int, *, batch_users: int = 1024
) -> dict[str, float]:
    """Every metric of a fitted model on the users that have held-out items."""
    test = data.test.matrix()
    users = np.flatnonzero(np.diff(test.indptr) > 0).astype(np.int64)
    top = rank_users(model, data.train, users, k, batch_users=batch_users)
    return metrics.summarise(top, test[users], data.train.matrix())


TERCILES = ("low", "mid", "high")


def activity_terciles(
    train: sp.csr_matrix, users: npt.NDArray[np.int64]
) -> dict[str, npt.NDArray[np.int64]]:
    """Positions in ``users`` split into three groups by training interactions (ties by
    user), as equal as can be (the first ones one larger)."""
    counts = np.diff(train.indptr)[users]
    order = np.lexsort((users, counts))
    return {
        name: np.sort(part).astype(np.int64)
        for name, part in zip(TERCILES, np.array_split(order, 3), strict=True)
    }


def evaluate_by_activity(
    model: Model, data: Split, k: int, *, batch_users: int = 1024
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """``evaluate_fitted``, and the accuracy metrics of each activity tercile."""
    test, train = data.test.matrix(), data.train.matrix()
    users = np.flatnonzero(np.diff(test.indptr) > 0).astype(np.int64)
    top = rank_users(model, data.train, users, k, batch_users=batch_users)
    overall = metrics.summarise(top, test[users], train)
    parts: dict[str, dict[str, float]] = {}
    for name, at in activity_terciles(train, users).items():
        acc = metrics.accuracy(top[at], test[users[at]])
        part = {m: float(np.mean(acc[m])) if acc[m].size else float("nan") for m in metrics.AT_K}
        parts[name] = {**part, "users": float(len(at))}
    return overall, parts
