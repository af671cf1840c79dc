"""Unlearning benchmark: forgetting one person versus retraining without them.

Protocol: MovieLens latest-small, every rating an implicit positive of weight 1. For each
model, a few people are drawn with a fixed seed; for each, a fitted copy ``forget``s them
(timed) and a fresh model is fitted on the data without them (the full retrain, timed).
Reported per model: medians of both times, their ratio (target ≤ 1/50), and the largest
absolute score difference between forget and retrain over every remaining person × item
(``score_batch`` on their training rows). For the factor models the retrain starts from a
different random draw, so the table also gives the same difference between two retrains
with different seeds (the noise floor) and the mean top-10 overlap (training items excluded).

Data: ``../shared/datasets`` (or ``$TACTFUL_DATASETS``). Prints a Rich table to stderr and
the results as JSON to stdout; a run of every model also writes
``benchmarks/results/unlearning.json``.

    python benchmarks/unlearning.py [--people 3] [--runs 3] [--models ease,itemknn,...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from tactful.insights.evaluation.loaders import datasets_dir, load_ratings
from tactful.recommend.ease import EASE
from tactful.recommend.factor import ALS, BPR
from tactful.recommend.interactions import Interactions
from tactful.recommend.itemknn import ItemKNN
from tactful.recommend.model import Model
from tactful.recommend.popularity import Popularity

RESULTS = Path(__file__).resolve().parent / "results" / "unlearning.json"
TARGET_RATIO = 1 / 50
K = 10

MODELS: dict[str, Callable[[int], Model]] = {
    "popularity": lambda seed: Popularity(),
    "itemknn": lambda seed: ItemKNN(neighbours=100),
    "ease": lambda seed: EASE(l2=500.0, dtype="float32"),
    "ease-float64": lambda seed: EASE(l2=500.0, dtype="float64"),
    "als": lambda seed: ALS(factors=64, regularization=0.05, iterations=15, seed=seed),
    "als-3-sweeps": lambda seed: ALS(
        factors=64, regularization=0.05, iterations=15, seed=seed, forget_sweeps=3
    ),
    "bpr": lambda seed: BPR(factors=64, iterations=100, seed=seed),
}
APPROXIMATE = {"als", "als-3-sweeps", "bpr"}


def movielens() -> Interactions:
    path = datasets_dir() / "movielens-latest-small" / "ratings.csv"
    if not path.is_file():
        sys.exit(f"MovieLens latest-small not found at {path}; set TACTFUL_DATASETS")
    ratings = load_ratings(path, "movielens-csv")
    return Interactions(ratings.matrix(implicit=True), ratings.user_ids, ratings.item_ids)


def timed(call: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    out = call()
    return out, time.perf_counter() - start


def fit_new(build: Callable[[int], Model], data: Interactions) -> Model:
    return build(0).fit(data)


def copy_of(model: Model) -> Model:
    arrays, params = model.to_arrays()
    return type(model).from_arrays({k: np.array(v) for k, v in arrays.items()}, params)


def top_overlap(a: np.ndarray, b: np.ndarray, seen: Any) -> float:
    """Mean share of common items in two score matrices' top-k (seen items excluded)."""
    mask = seen.toarray() > 0
    ta = np.argsort(-np.where(mask, -np.inf, a), axis=1)[:, :K]
    tb = np.argsort(-np.where(mask, -np.inf, b), axis=1)[:, :K]
    return float(np.mean([len(set(x) & set(y)) / K for x, y in zip(ta, tb, strict=True)]))


def measure(name: str, data: Interactions, people: list[str], runs: int) -> dict[str, Any]:
    """Fit, forget and retrain times and the differences for one model."""
    build = MODELS[name]
    fit_times: list[float] = []
    for _ in range(runs):
        fitted, seconds = timed(partial(fit_new, build, data))
        fit_times.append(seconds)
    forget_times: list[float] = []
    retrain_times: list[float] = []
    diffs: list[float] = []
    overlaps: list[float] = []
    for person in people:
        rest = data.without([person])
        for _ in range(runs):
            copy = copy_of(fitted)
            _, seconds = timed(partial(copy.forget, [person]))
            forget_times.append(seconds)
        retrained, seconds = timed(partial(fit_new, build, rest))
        retrain_times.append(seconds)
        got, want = copy.score_batch(rest.matrix), retrained.score_batch(rest.matrix)
        diffs.append(float(np.abs(got - want).max()))
        overlaps.append(top_overlap(got, want, rest.matrix))
        scale = float(np.abs(want).max())
    row: dict[str, Any] = {
        "model": name,
        "fit_seconds": statistics.median(fit_times),
        "forget_seconds": statistics.median(forget_times),
        "retrain_seconds": statistics.median(retrain_times),
        "max_abs_diff": max(diffs),
        "score_scale": scale,
        "top10_overlap": statistics.mean(overlaps),
        "exact": name not in APPROXIMATE,
    }
    row["ratio"] = row["forget_seconds"] / row["retrain_seconds"]
    if name in APPROXIMATE:
        rest = data.without([people[0]])
        a = build(0).fit(rest).score_batch(rest.matrix)
        b = build(1).fit(rest).score_batch(rest.matrix)
        row["noise_max_abs_diff"] = float(np.abs(a - b).max())
        row["noise_top10_overlap"] = top_overlap(a, b, rest.matrix)
    return row


def ratio_text(ratio: float) -> str:
    if ratio <= 0:
        return "-"
    return f"1/{1 / ratio:.0f}" if ratio < 1 else f"{ratio:.1f}×"


def table(rows: list[dict[str, Any]]) -> Table:
    out = Table(title=f"Forget one person vs full retrain (MovieLens latest-small, k={K})")
    for col in (
        "model",
        "fit s",
        "retrain s",
        "forget s",
        "ratio",
        "max |Δ|",
        "scale",
        "top-10 overlap",
        "noise |Δ| / overlap",
    ):
        out.add_column(col, justify="left" if col == "model" else "right")
    for r in rows:
        ok = "green" if r["ratio"] <= TARGET_RATIO else "yellow"
        noise = (
            f"{r['noise_max_abs_diff']:.3g} / {r['noise_top10_overlap']:.3f}"
            if "noise_max_abs_diff" in r
            else "-"
        )
        out.add_row(
            r["model"],
            f"{r['fit_seconds']:.3f}",
            f"{r['retrain_seconds']:.3f}",
            f"{r['forget_seconds']:.4f}",
            f"[{ok}]{ratio_text(r['ratio'])}[/{ok}]",
            f"{r['max_abs_diff']:.3g}",
            f"{r['score_scale']:.3g}",
            f"{r['top10_overlap']:.3f}",
            noise,
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=3, help="people forgotten, one at a time")
    parser.add_argument("--runs", type=int, default=3, help="timed repetitions (medians)")
    parser.add_argument("--seed", type=int, default=7, help="draws the people")
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated names")
    args = parser.parse_args()
    names = [m.strip() for m in args.models.split(",") if m.strip()]
    unknown = sorted(set(names) - set(MODELS))
    if unknown:
        sys.exit(f"unknown models {unknown}; known: {', '.join(MODELS)}")
    data = movielens()
    rng = np.random.default_rng(args.seed)
    people = [str(p) for p in rng.choice(data.subjects, size=args.people, replace=False)]
    err = Console(stderr=True, width=150)
    rows = []
    for name in names:
        err.print(f"[bold]{name}[/bold] …")
        rows.append(measure(name, data, people, args.runs))
    err.print(table(rows))
    result = {
        "benchmark": "unlearning",
        "dataset": "movielens-latest-small",
        "subjects": len(data.subjects),
        "items": len(data.items),
        "interactions": data.nnz,
        "people": {p: len(data.history_of(p)) for p in people},
        "runs": args.runs,
        "target_ratio": TARGET_RATIO,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "results": rows,
    }
    if set(names) == set(MODELS):  # a partial run does not replace the full results
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
