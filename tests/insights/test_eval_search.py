"""Tuning that does not stop at an edge, on objectives whose best point is known."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import pytest

from tactful.errors import InvalidInput
from tactful.insights.evaluation.lineup import ALS_EXTEND, ALS_GRID, default_lineup
from tactful.insights.evaluation.search import Budget, Extend, ParamValue, search

ROOT10 = 10**0.5


def ticks(step: float = 1.0) -> Iterator[float]:
    t = 0.0
    while True:
        yield t
        t += step


def clock(step: float = 1.0) -> Callable[[], float]:
    it = ticks(step)
    return lambda: next(it)


def peak(**at: float) -> Callable[[dict[str, ParamValue]], float]:
    """A score that falls with the log distance from ``at`` on every named axis."""

    def score(params: dict[str, ParamValue]) -> float:
        return -sum(math.log(float(params[k]) / v) ** 2 for k, v in at.items())

    return score


def test_the_grid_alone_when_nothing_may_extend() -> None:
    out = search({"x": 1.0}, {"x": [1.0, 10.0]}, peak(x=300.0), clock=clock())
    assert (out.best, out.stopped) == ({"x": 10.0}, "grid")
    assert sorted(p["x"] for p, _ in out.tried) == [1.0, 10.0]


def test_an_axis_best_at_its_end_is_extended_until_the_best_is_inside() -> None:
    out = search(
        {"x": 1.0},
        {"x": [1.0, 10.0, 100.0]},
        peak(x=300.0),
        extend={"x": Extend(ratio=ROOT10)},
        clock=clock(),
    )
    tried = [round(float(p["x"]), 1) for p, _ in out.tried]
    assert sorted(tried[:3]) == [1.0, 10.0, 100.0]  # the grid first (shuffled after its first)
    assert tried[3:] == [316.2, 1000.0]
    assert out.best["x"] == pytest.approx(316.23, abs=0.01)
    assert (out.stopped, out.edges) == ("interior", ())


def test_the_low_end_extends_too_and_integers_stay_integers() -> None:
    out = search(
        {"n": 64},
        {"n": [64, 128]},
        peak(n=8.0),
        extend={"n": Extend(ratio=2.0, low=1, integer=True)},
        clock=clock(),
    )
    assert [p["n"] for p, _ in out.tried][2:] == [32, 16, 8, 4]
    assert out.best == {"n": 8}
    assert all(isinstance(p["n"], int) for p, _ in out.tried)


def test_the_als_point_the_peers_found_is_on_the_grid_and_found() -> None:
    target = {"factors": 256.0, "regularization": 30.0, "alpha": 4.0, "iterations": 15.0}
    assert all(value in ALS_GRID[axis] for axis, value in target.items())
    spec = default_lineup()["als"]
    out = search(spec.defaults, spec.grid, peak(**target), extend=ALS_EXTEND, clock=clock())
    best = {axis: float(out.best[axis]) for axis in target}
    assert best == target
    assert out.stopped == "interior"
    # the grid, then one point past each edge it sat on: more factors, more regularisation,
    # fewer sweeps (alpha 4 is inside the grid)
    assert len(out.tried) == 54 + 3


def test_a_best_point_past_every_als_edge_is_reached() -> None:
    target = {"factors": 1024.0, "regularization": 300.0, "alpha": 160.0}
    out = search(
        default_lineup()["als"].defaults,
        ALS_GRID,
        peak(**target),
        extend=ALS_EXTEND,
        clock=clock(),
    )
    assert out.best["factors"] == 1024
    assert float(out.best["regularization"]) == pytest.approx(300.0, rel=0.01)
    assert float(out.best["alpha"]) == pytest.approx(160.0)
    assert out.stopped == "interior"


def test_an_axis_at_its_bound_stops_there_and_says_so() -> None:
    out = search(
        {"w": 0.5},
        {"w": [0.6, 0.8, 0.9]},
        lambda p: float(p["w"]),
        extend={"w": Extend(step=0.05, low=0.0, high=1.0)},
        clock=clock(),
    )
    assert out.best["w"] == pytest.approx(1.0)
    assert (out.stopped, out.edges) == ("bounds", ("w high",))


def test_the_time_budget_ends_the_search_and_names_the_open_edge() -> None:
    out = search(
        {"x": 1.0},
        {"x": [1.0, 2.0]},
        lambda p: float(p["x"]),  # rises for ever
        extend={"x": Extend(ratio=2.0)},
        budget=Budget(seconds=5.0),
        clock=clock(1.0),
    )
    assert out.stopped == "budget"
    assert out.edges == ("x high",)
    assert len(out.tried) == 5
    endless = search(
        {"x": 1.0},
        {"x": [1.0]},
        lambda p: float(p["x"]),
        extend={"x": Extend(ratio=2.0)},
        budget=Budget(seconds=None, extensions=10),
        clock=clock(),
    )
    assert (endless.stopped, len(endless.tried)) == ("budget", 11)


def test_a_budget_that_ends_within_the_grid_has_tried_points_across_it() -> None:
    spec = default_lineup()["als"]
    out = search(
        spec.defaults,
        spec.grid,
        lambda p: 0.0,
        extend=ALS_EXTEND,
        budget=Budget(trials=12),
        clock=clock(),
    )
    assert (len(out.tried), out.stopped) == (12, "budget")
    assert {p["factors"] for p, _ in out.tried} == {64, 128, 256}
    assert {p["regularization"] for p, _ in out.tried} == {0.3, 3.0, 30.0}


def test_bad_extension_rules_are_refused_by_field() -> None:
    with pytest.raises(InvalidInput) as err:
        Extend(ratio=1.0)
    assert err.value.field == "extend.ratio"
    with pytest.raises(InvalidInput):
        Extend()
    with pytest.raises(InvalidInput) as missing:
        search({}, {}, lambda p: 0.0, extend={"x": Extend(step=1.0)}, clock=clock())
    assert missing.value.field == "extend"
