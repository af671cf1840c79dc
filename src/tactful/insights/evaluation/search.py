"""Hyper-parameter search that does not stop at an edge of its grid.

The grid is searched in full first (in a seeded shuffled order after its first point, so a
budget that ends within it has tried points spread over the whole grid). Then, while the
best point sits at the end of an extendable axis (its value is the smallest or largest
tried along that axis with every other parameter as at the best point), the axis is
extended one step past that end, and the new point is tried. The search stops when every
extendable axis has its best value inside the tried range (``interior``), when every
remaining edge is at the axis's bound (``bounds``), or when the time or trial budget runs
out (``budget``); the stop reason and the edges left are part of the outcome, so a report
can say when a best value may lie further out.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from tactful.errors import InvalidInput

ParamValue = int | float | str
Params = Mapping[str, ParamValue]
Objective = Callable[[dict[str, ParamValue]], float]
Clock = Callable[[], float]
Stop = Literal["interior", "bounds", "budget", "grid"]
Side = Literal["low", "high"]


@dataclass(frozen=True)
class Extend:
    """How an axis grows past its grid: times ``ratio`` (log scale) or plus ``step``
    (linear), kept within ``[low, high]``; ``integer`` rounds the new value."""

    ratio: float | None = None
    step: float | None = None
    low: float = -math.inf
    high: float = math.inf
    integer: bool = False

    def __post_init__(self) -> None:
        if (self.ratio is None) == (self.step is None):
            raise InvalidInput("give exactly one of ratio and step", field="extend")
        if self.ratio is not None and self.ratio <= 1.0:
            raise InvalidInput("must be above 1", field="extend.ratio")
        if self.step is not None and self.step <= 0.0:
            raise InvalidInput("must be positive", field="extend.step")

    def beyond(self, edge: float, side: Side) -> float | None:
        """The next value past ``edge`` on ``side``; None when the bound is reached."""
        if self.ratio is not None:
            value = edge * self.ratio if side == "high" else edge / self.ratio
        else:
            value = edge + (self.step or 0.0) if side == "high" else edge - (self.step or 0.0)
        value = min(max(value, self.low), self.high)
        if self.integer:
            value = float(math.ceil(value) if side == "high" else math.floor(value))
            if math.isfinite(self.low):
                value = max(value, math.ceil(self.low))
            if math.isfinite(self.high):
                value = min(value, math.floor(self.high))
        moved = value > edge if side == "high" else value < edge
        return value if moved else None


@dataclass(frozen=True)
class Budget:
    """Stop after ``seconds`` of search or ``trials`` points (None: no limit), and extend
    past the grid by at most ``extensions`` points (so a score that keeps rising along an
    unbounded axis still ends)."""

    seconds: float | None = 600.0
    trials: int | None = None
    extensions: int = 48

    def spent(self, elapsed: float, tried: int) -> bool:
        over_time = self.seconds is not None and elapsed >= self.seconds
        return over_time or (self.trials is not None and tried >= self.trials)


DEFAULT_BUDGET = Budget()


@dataclass(frozen=True)
class Outcome:
    """The best point, every point tried (in order, with its score), and why it stopped."""

    best: dict[str, ParamValue]
    tried: tuple[tuple[dict[str, ParamValue], float], ...]
    stopped: Stop
    edges: tuple[str, ...] = field(default=())
    """``"<axis> <side>"`` for each edge the best point still sits on."""


def grid_points(
    defaults: Params, grid: Mapping[str, Sequence[ParamValue]]
) -> list[dict[str, ParamValue]]:
    """Every grid point merged over the defaults (just the defaults without a grid)."""
    keys = list(grid)
    points = itertools.product(*(grid[key] for key in keys))
    return [{**defaults, **dict(zip(keys, p, strict=True))} for p in points]


def _key(params: Params) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, repr(v)) for k, v in params.items()))


def _score(value: float) -> float:
    return -math.inf if math.isnan(value) else value


class _Search:
    def __init__(self, objective: Objective, clock: Clock, budget: Budget) -> None:
        self.objective, self.clock, self.budget = objective, clock, budget
        self.start = clock()
        self.tried: list[tuple[dict[str, ParamValue], float]] = []
        self.seen: set[tuple[tuple[str, str], ...]] = set()

    def over(self) -> bool:
        return self.budget.spent(self.clock() - self.start, len(self.tried))

    def run(self, params: dict[str, ParamValue]) -> None:
        if _key(params) not in self.seen:
            self.seen.add(_key(params))
            self.tried.append((dict(params), self.objective(dict(params))))

    def best(self) -> dict[str, ParamValue]:
        """The first point with the highest score (earlier points win ties)."""
        top = max(range(len(self.tried)), key=lambda i: (_score(self.tried[i][1]), -i))
        return dict(self.tried[top][0])

    def edges(self, extend: Mapping[str, Extend]) -> list[tuple[str, Side]]:
        """The ends the best point sits on, each judged along the line through it: the
        points tried that differ from it on that axis only."""
        best = self.best()
        out: list[tuple[str, Side]] = []
        for axis in extend:
            rest = {k: v for k, v in best.items() if k != axis}
            values = [
                float(p[axis])
                for p, _ in self.tried
                if {k: v for k, v in p.items() if k != axis} == rest
            ]
            if float(best[axis]) <= min(values):
                out.append((axis, "low"))
            if float(best[axis]) >= max(values):
                out.append((axis, "high"))
        return out


def search(
    defaults: Params,
    grid: Mapping[str, Sequence[ParamValue]],
    objective: Objective,
    *,
    extend: Mapping[str, Extend] | None = None,
    budget: Budget = DEFAULT_BUDGET,
    clock: Clock,
) -> Outcome:
    """Maximise ``objective`` over the grid, then past its edges (see the module)."""
    extend = dict(extend or {})
    missing = [axis for axis in extend if axis not in defaults and axis not in grid]
    if missing:
        raise InvalidInput(f"no parameter {missing[0]!r} to extend", field="extend")
    state = _Search(objective, clock, budget)
    points = grid_points(defaults, grid)
    # A budget may end the grid early: then the points tried should spread over it, not
    # be the first rows of the product (e.g. only the smallest sizes). Seeded, so a run
    # repeats; the first point stays first.
    points[1:] = random.Random(0).sample(points[1:], len(points) - 1)
    for point in points:
        if state.tried and state.over():
            return Outcome(state.best(), tuple(state.tried), "budget", _named(state, extend))
        state.run(point)
    if not extend:
        return Outcome(state.best(), tuple(state.tried), "grid")
    ceiling = len(state.tried) + budget.extensions
    while True:
        edges = state.edges(extend)
        nexts = _nexts(state.best(), edges, extend)
        if not nexts:
            stopped: Stop = "bounds" if edges else "interior"
            return Outcome(state.best(), tuple(state.tried), stopped, _named(state, extend))
        for point in nexts:
            if state.over() or len(state.tried) >= ceiling:
                return Outcome(state.best(), tuple(state.tried), "budget", _named(state, extend))
            state.run(point)


def _nexts(
    best: dict[str, ParamValue], edges: Sequence[tuple[str, Side]], extend: Mapping[str, Extend]
) -> list[dict[str, ParamValue]]:
    """One new point per open edge: the best point with that axis moved one step out."""
    out = []
    for axis, side in edges:
        rule = extend[axis]
        value = rule.beyond(float(best[axis]), side)
        if value is not None:
            typed: ParamValue = int(value) if rule.integer else value
            out.append({**best, axis: typed})
    return out


def _named(state: _Search, extend: Mapping[str, Extend]) -> tuple[str, ...]:
    return tuple(f"{axis} {side}" for axis, side in state.edges(extend))
