"""Fit, (optionally) tune and evaluate models on a split, with a Rich progress bar.

A model here is anything with ``fit(interactions)``, ``score_batch(rows)`` (dense scores over
its ``items_`` columns for CSR rows of those users' training items) and ``items_``. Models
that learned per-user state may also offer ``score_users(users, rows)``; the runner then
passes the training-row indices too (used for peers such as ``implicit``'s BPR).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from rich.progress import Progress, TaskID

from tactful.errors import InvalidInput
from tactful.insights.evaluation import metrics
from tactful.insights.evaluation.loaders import Ratings
from tactful.insights.evaluation.ranking import (
    Model,
    evaluate_by_activity,
    evaluate_fitted,
)
from tactful.insights.evaluation.search import (
    DEFAULT_BUDGET,
    Budget,
    Extend,
    grid_points,
    search,
)
from tactful.insights.evaluation.splits import (
    Split,
    SplitKind,
    people_folds,
    split,
    validation_split,
)
from tactful.recommend.interactions import Interactions
from tactful.types import Item

ParamValue = int | float | str
Params = Mapping[str, ParamValue]
Clock = Callable[[], float]


@dataclass(frozen=True)
class ModelSpec:
    """How to build one named model, its default parameters and its tuning grid."""

    name: str
    build: Callable[[Params, Sequence[Item]], Model]
    defaults: Params = field(default_factory=dict)
    grid: Mapping[str, Sequence[ParamValue]] = field(default_factory=dict)
    needs_attributes: bool = False
    uses: tuple[str, ...] = ()
    """Models whose chosen parameters this one reuses, as ``"<model>.<param>"`` (a blend)."""
    extend: Mapping[str, Extend] = field(default_factory=dict)
    """Axes tuning may extend past the grid when the best value sits at an end."""

    def inheriting(self, chosen: Mapping[str, Params]) -> ModelSpec:
        """This spec with the parameters chosen for the models it uses as its defaults."""
        inherited = {
            f"{name}.{key}": value
            for name in self.uses
            if name in chosen
            for key, value in chosen[name].items()
        }
        return replace(self, defaults={**self.defaults, **inherited})

    def candidates(self) -> list[dict[str, ParamValue]]:
        """Every grid point merged over the defaults (just the defaults without a grid)."""
        return grid_points(self.defaults, self.grid)


@dataclass(frozen=True)
class Setup:
    """The evaluation protocol; the defaults are the benchmark's."""

    split: SplitKind = "random"
    test_fraction: float = 0.25
    seed: int = 42
    k: int = 10
    validation_fraction: float = 0.25
    validation_folds: int = 1
    """Validation carve-outs (random splits only, seeds ``seed``, ``seed + 1`` ...) whose
    NDCG@k tuning averages: with a few held-out items per person one carve-out is noise."""
    folds_by_people: bool = False
    """With several folds, fold over people (``splits.people_folds``: each person validated
    once, everyone else's whole history kept) instead of repeating the carve-out."""
    batch_users: int = 1024
    budget: Budget = DEFAULT_BUDGET
    """Each model's tuning budget (time, points, points past the grid)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "split": self.split,
            "test_fraction": self.test_fraction,
            "seed": self.seed,
            "k": self.k,
            "validation_fraction": self.validation_fraction,
            "validation_folds": self.validation_folds,
            "folds_by_people": self.folds_by_people,
            "relevance": "every held-out rating (implicit, weight 1)",
            "ranking": "all items except the user's training items",
            "tuning": {
                "search": "full grid, then each axis whose best value is at an end extended "
                "one step at a time until the best is inside the tried range",
                "seconds_per_model": self.budget.seconds,
                "max_points_past_grid": self.budget.extensions,
            },
        }


@dataclass(frozen=True)
class Trial:
    """One tuning grid point and its validation NDCG@k."""

    params: Params
    ndcg: float
    train_seconds: float
    error: str = ""
    """Why the fit failed (e.g. a learning rate past the grid diverged); ``ndcg`` is NaN."""


@dataclass(frozen=True)
class Result:
    """One model's scores on the test part; ``metrics`` keys are bare names (``ndcg``)."""

    model: str
    metrics: Mapping[str, float]
    train_seconds: float
    params: Params
    trials: tuple[Trial, ...] = ()
    by_activity: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    """Accuracy per activity tercile of the test users (``low``, ``mid``, ``high`` by their
    number of training interactions), with ``users`` per tercile."""
    stopped: str = ""
    """Why tuning stopped (interior, bounds, budget, grid); empty when not tuned."""
    edges: tuple[str, ...] = ()

    def to_row(self, k: int) -> dict[str, Any]:
        """The JSON row: accuracy keys carry ``@k`` (``ndcg@10``), the rest are bare."""
        row: dict[str, Any] = {"model": self.model}
        for key, value in self.metrics.items():
            row[f"{key}@{k}" if key in metrics.AT_K else key] = _rounded(value)
        row["train_seconds"] = round(self.train_seconds, 3)
        row["params"] = dict(self.params)
        if self.by_activity:
            row["by_activity"] = {
                name: {
                    (f"{key}@{k}" if key in metrics.AT_K else key): _rounded(value)
                    for key, value in part.items()
                }
                for name, part in self.by_activity.items()
            }
        if self.trials:
            row["tuning"] = [
                {"params": dict(t.params), f"val_ndcg@{k}": _rounded(t.ndcg)}
                | ({"error": t.error} if t.error else {})
                for t in self.trials
            ]
            row["tuning_stopped"] = self.stopped
            row["tuning_edges"] = list(self.edges)
        return row


def _rounded(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 5)


def interactions_of(ratings: Ratings) -> Interactions:
    """The implicit training matrix: weight 1 per rated pair, over the full id universe."""
    return Interactions(ratings.matrix(implicit=True), ratings.user_ids, ratings.item_ids)


def fit_timed(
    spec: ModelSpec, params: Params, train: Ratings, items: Sequence[Item], clock: Clock
) -> tuple[Model, float]:
    """Build and fit a model on the training part; returns it with the seconds ``fit`` took."""
    model = spec.build(params, items)
    interactions = interactions_of(train)
    start = clock()
    model.fit(interactions)
    return model, clock() - start


@dataclass
class _Bar:
    """A thin wrapper so the runner works with or without a Rich progress bar."""

    progress: Progress | None
    task: TaskID | None = None

    def start(self, total: int) -> None:
        if self.progress is not None:
            self.task = self.progress.add_task("evaluating", total=total)

    def step(self, text: str, advance: int = 0) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, description=text, advance=advance)


@dataclass(frozen=True)
class Tuned:
    """What tuning chose, every point it tried, and why it stopped."""

    params: dict[str, ParamValue]
    trials: tuple[Trial, ...]
    stopped: str
    edges: tuple[str, ...]


def tune(
    spec: ModelSpec,
    validation: Split | Sequence[Split],
    items: Sequence[Item],
    k: int,
    *,
    clock: Clock = time.perf_counter,
    bar: _Bar | None = None,
    batch_users: int = 1024,
    budget: Budget = DEFAULT_BUDGET,
) -> Tuned:
    """Search the grid on the validation split by NDCG@k (averaged over the splits when
    several are given), then extend the axes whose best value sits at an end
    (``spec.extend``) within ``budget``; earlier points win ties."""
    folds = [validation] if isinstance(validation, Split) else list(validation)
    trials: list[Trial] = []

    def objective(params: dict[str, ParamValue]) -> float:
        if bar is not None:
            bar.step(f"{spec.name} {_describe(params)} (validation)")
        try:
            ndcg, seconds = 0.0, 0.0
            for fold in folds:
                model, spent = fit_timed(spec, params, fold.train, items, clock)
                scores = evaluate_fitted(model, fold, k, batch_users=batch_users)
                ndcg, seconds = ndcg + scores["ndcg"] / len(folds), seconds + spent
        except Exception as e:  # a point that cannot be fitted is never the best
            trials.append(Trial(dict(params), float("nan"), 0.0, f"{type(e).__name__}: {e}"))
            return float("nan")
        trials.append(Trial(dict(params), ndcg, seconds))
        if bar is not None:
            bar.step(f"{spec.name} {_describe(params)} (validation)", advance=1)
        return float(ndcg)

    found = search(
        spec.defaults, spec.grid, objective, extend=spec.extend, budget=budget, clock=clock
    )
    if trials and all(t.error for t in trials):
        raise InvalidInput(f"{spec.name}: no tuning point could be fitted ({trials[0].error})")
    return Tuned(found.best, tuple(trials), found.stopped, found.edges)


def _describe(params: Params) -> str:
    return " ".join(f"{key}={value}" for key, value in params.items())


def _evaluate_one(
    spec: ModelSpec,
    data: Split,
    validation: Sequence[Split],
    *,
    items: Sequence[Item],
    setup: Setup,
    clock: Clock,
    bar: _Bar,
) -> Result:
    """Tune (when a validation split is given), refit on all of train, score on test."""
    tuned = Tuned(dict(spec.defaults), (), "", ())
    if validation and (spec.grid or spec.extend):
        tuned = tune(
            spec,
            validation,
            items,
            setup.k,
            clock=clock,
            bar=bar,
            batch_users=setup.batch_users,
            budget=setup.budget,
        )
    elif validation:
        bar.step(spec.name, advance=len(spec.candidates()))
    params = tuned.params
    bar.step(f"{spec.name} {_describe(params)} (test)")
    model, seconds = fit_timed(spec, params, data.train, items, clock)
    scores, parts = evaluate_by_activity(model, data, setup.k, batch_users=setup.batch_users)
    bar.step(f"{spec.name} done", advance=1)
    return Result(
        spec.name, scores, seconds, params, tuned.trials, parts, tuned.stopped, tuned.edges
    )


def evaluate_models(
    ratings: Ratings,
    specs: Sequence[ModelSpec],
    *,
    setup: Setup = Setup(),
    tuned: bool = False,
    items: Sequence[Item] = (),
    progress: Progress | None = None,
    clock: Clock = time.perf_counter,
    fixed: Split | None = None,
) -> list[Result]:
    """Split once (or use the ``fixed`` split given, e.g. two files; then ``ratings`` is
    not read), then for each model: tune on validation (if asked, carved from the train
    part), fit on the whole train part with the chosen parameters and score it on the test
    part. A spec that ``uses`` earlier models starts from the parameters chosen for them."""
    data = fixed or split(ratings, setup.split, test_fraction=setup.test_fraction, seed=setup.seed)
    folds = setup.validation_folds if setup.split == "random" else 1
    if folds < 1:
        raise InvalidInput("must be at least 1", field="validation_folds")
    fraction = setup.validation_fraction
    if tuned and folds > 1 and setup.folds_by_people:
        validation = people_folds(data.train, folds, test_fraction=fraction, seed=setup.seed)
    else:
        validation = [
            validation_split(data.train, setup.split, test_fraction=fraction, seed=setup.seed + f)
            for f in (range(folds) if tuned else ())
        ]
    bar = _Bar(progress)
    bar.start(sum(1 + (len(s.candidates()) if tuned else 0) for s in specs))
    results: list[Result] = []
    chosen: dict[str, Params] = {}
    for plain in specs:
        spec = plain.inheriting(chosen)
        result = _evaluate_one(
            spec, data, validation, items=items, setup=setup, clock=clock, bar=bar
        )
        results.append(result)
        chosen[result.model] = result.params
    return results
