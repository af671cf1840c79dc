"""Accuracy benchmark: every Tactful model against ``implicit``'s own models, in one run.

Protocol (the same for every model): per-user random 75/25 split with seed 42; every rated
item is a positive with weight 1 and every held-out rating is relevant; each user's training
items are excluded and all other items ranked; k = 10. Each model is tuned by grid search on
a validation split carved from the training part only (on data with few ratings per person,
the mean over several carve-outs: ``_folds``), then refit on the whole training part. Peers
are ``implicit``'s AlternatingLeastSquares, BayesianPersonalizedRanking and BM25Recommender,
fitted directly on the same matrix and tuned the same way.

Data: ``../shared/datasets`` (or ``$TACTFUL_DATASETS``): MovieLens latest-small and Amazon
Musical Instruments 5-core. Missing datasets are skipped. Writes
``benchmarks/results/accuracy.json``, prints Rich tables and a markdown table.

    python benchmarks/accuracy.py [--budget 600]
    python benchmarks/accuracy.py --spark [--master local[2]] [--budget 600]

``--spark`` measures engine parity instead, on MovieLens latest-small only: ``implicit``'s ALS
tuned on validation, then Spark's ALS (``pyspark.ml``, the trainer of ``tactful train
--engine spark``) at the factors and sweeps implicit chose, its ``regParam`` tuned on the
same validation split (Spark scales ``regParam`` by each row's count, so its own values are
searched, not implicit's copied) and its ``alpha`` mapped from implicit's (Spark's
confidence is ``1 + α·r``, implicit's ``α·r``). Writes
``benchmarks/results/spark_parity.json``; the target is Spark's NDCG@10 within 3 % of
implicit's. Spark fits are slow (minutes each at 128 factors on two cores: its Java BLAS
solves a k x k system per person and item), so its α is mapped from implicit's rather than
searched, and Spark's tuning has its own budget, ``--spark-budget``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tactful.insights.evaluation.lineup import default_lineup
from tactful.insights.evaluation.loaders import (
    Format,
    Ratings,
    datasets_dir,
    load_item_attributes,
    load_ratings,
)
from tactful.insights.evaluation.peers import peer_lineup
from tactful.insights.evaluation.runner import ModelSpec, Params, Setup, evaluate_models
from tactful.insights.evaluation.search import Budget, Extend

RESULTS = Path(__file__).resolve().parent / "results" / "accuracy.json"
PARITY = RESULTS.with_name("spark_parity.json")
PARITY_GAP = 0.03
TARGET_NDCG = 0.41
TARGET_DATASET = "movielens-latest-small"
K = 10
COLUMNS = (f"ndcg@{K}", f"recall@{K}", f"precision@{K}", f"map@{K}", "coverage", "train_seconds")


@dataclass(frozen=True)
class Dataset:
    name: str
    file: str
    fmt: Format


DATASETS = (
    Dataset(
        "amazon-musical-instruments-5core", "reviews_Musical_Instruments_5.json.gz", "amazon-json"
    ),
    Dataset("movielens-latest-small", "ratings.csv", "movielens-csv"),
)
HELD_OUT_PER_PERSON = 10
"""Validation carve-outs are averaged until a person has about this many held-out ratings
in all (at most ``MAX_FOLDS``): MovieLens keeps one (~31 each), Amazon gets five (~1.3)."""
MAX_FOLDS = 5


def _folds(ratings: Ratings, setup: Setup) -> int:
    """How many validation carve-outs tuning averages on this data."""
    share = (1.0 - setup.test_fraction) * setup.validation_fraction
    per_person = len(ratings) * share / max(ratings.n_users, 1)
    return int(min(MAX_FOLDS, max(1, math.ceil(HELD_OUT_PER_PERSON / max(per_person, 1e-9)))))


console = Console(width=None if sys.stdout.isatty() else 120)


def _run(data: Dataset, path: Path, progress: Progress, setup: Setup) -> dict[str, Any]:
    """Every Tactful model, then every peer, on one dataset."""
    ratings = load_ratings(path, data.fmt)
    items = load_item_attributes(path, data.fmt)
    folds = _folds(ratings, setup)
    setup = replace(setup, validation_folds=folds, folds_by_people=folds > 1)
    ours = [s for s in default_lineup().values() if items or not s.needs_attributes]
    skipped = [s.name for s in default_lineup().values() if s not in ours]
    peers = list(peer_lineup().values())
    started = time.perf_counter()
    results = evaluate_models(
        ratings, [*ours, *peers], setup=setup, tuned=True, items=items, progress=progress
    )
    rows = []
    for result in results:
        row = result.to_row(K)
        row["family"] = "peer" if result.model.startswith("implicit-") else "tactful"
        rows.append(row)
    return {
        "dataset": data.name,
        "users": ratings.n_users,
        "items": ratings.n_items,
        "ratings": len(ratings),
        "skipped": {name: "needs item attributes" for name in skipped},
        "validation_folds": setup.validation_folds,
        "seconds": round(time.perf_counter() - started, 1),
        "results": rows,
    }


def _verdict(run: dict[str, Any]) -> dict[str, Any]:
    """Best Tactful model vs the target and vs the best peer, by NDCG@k."""
    key = f"ndcg@{K}"
    ours = [r for r in run["results"] if r["family"] == "tactful"]
    peers = [r for r in run["results"] if r["family"] == "peer"]
    best = max(ours, key=lambda r: r[key] or 0.0)
    best_peer = max(peers, key=lambda r: r[key] or 0.0) if peers else None
    blend = next((r for r in ours if r["model"] == "blend"), None)
    return {
        "dataset": run["dataset"],
        "best_tactful": best["model"],
        key: best[key],
        "target": TARGET_NDCG if run["dataset"] == TARGET_DATASET else None,
        "meets_target": (
            bool(best[key] is not None and best[key] >= TARGET_NDCG)
            if run["dataset"] == TARGET_DATASET
            else None
        ),
        "best_peer": best_peer["model"] if best_peer else None,
        f"best_peer_{key}": best_peer[key] if best_peer else None,
        "ahead_of_every_peer": bool(best_peer is None or best[key] > best_peer[key]),
        "blend_ahead_of_every_other": bool(
            blend is not None
            and all(blend[key] > r[key] for r in run["results"] if r["model"] != "blend")
        ),
    }


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4f}" if value < 10 else f"{value:.1f}"
    return str(value)


def _table(run: dict[str, Any]) -> Table:
    title = (
        f"{run['dataset']}: {run['users']} users, {run['items']} items, {run['ratings']} ratings"
    )
    table = Table(title=title)
    table.add_column("model", style="bold")
    for column in COLUMNS:
        table.add_column(column.replace("train_seconds", "train s"), justify="right")
    for row in run["results"]:
        style = "dim" if row["family"] == "peer" else None
        table.add_row(row["model"], *(_cell(row[c]) for c in COLUMNS), style=style)
    return table


def _markdown(runs: list[dict[str, Any]]) -> str:
    header = ["dataset", "model", *COLUMNS]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for run in runs:
        for row in run["results"]:
            name = row["model"] if row["family"] == "tactful" else f"{row['model']} (peer)"
            cells = [run["dataset"], name, *(_cell(row[c]) for c in COLUMNS)]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


SPARK_REG_GRID = (0.1, 0.3, 1.0)
"""Spark's regParam grid. Spark regularises each user and item by ``regParam`` times its
number of ratings (ALS-WR); implicit's λ is not scaled. implicit's λ 30 at confidence 4 is,
per rating of a person with the median ~90 training ratings here, 30 / (4 · 90) ≈ 0.08 of the
data term, which Spark gives at regParam ≈ 0.08 · 4 ≈ 0.3 (an item with few ratings gets
more); the grid spans that point ×/÷ 3 and extends past its ends."""


def _spark_alpha(implicit_alpha: float) -> float:
    """Spark's α giving implicit's confidence to a rating of 1: implicit's confidence is
    ``α · r`` (its matrix times α, unseen pairs 1), Spark's ``1 + α · r``."""
    return max(implicit_alpha - 1.0, 0.1)


def _spark_parity(
    path: Path, master: str, setup: Setup, progress: Progress, spark_budget: float
) -> dict[str, Any]:
    """implicit's ALS tuned, then Spark's ALS at implicit's factors, sweeps and (mapped)
    confidence, its regParam tuned on the same validation split."""
    from tactful.spark import SparkEngine
    from tactful.spark.peer import SparkALS

    ratings = load_ratings(path, "movielens-csv")
    (implicit,) = evaluate_models(
        ratings, [peer_lineup()["implicit-als"]], setup=setup, tuned=True, progress=progress
    )
    engine = SparkEngine(master=master)

    def build(params: Params, items: object) -> SparkALS:
        return SparkALS(engine, **params)

    fixed = {k: implicit.params[k] for k in ("factors", "iterations", "seed")}
    spec = ModelSpec(
        "spark-als",
        build,
        defaults={**fixed, "alpha": _spark_alpha(float(implicit.params["alpha"]))},
        grid={"regularization": list(SPARK_REG_GRID)},
        extend={"regularization": Extend(ratio=10**0.5, low=1e-4, high=100.0)},
    )
    spark_setup = replace(setup, budget=Budget(seconds=spark_budget))
    try:
        (spark,) = evaluate_models(
            ratings, [spec], setup=spark_setup, tuned=True, progress=progress
        )
    finally:
        engine.close()
    key = f"ndcg@{K}"
    rows = [implicit.to_row(K), spark.to_row(K)]
    gap = 1.0 - rows[1][key] / rows[0][key]
    return {
        "dataset": TARGET_DATASET,
        "master": master,
        "results": rows,
        "relative_gap": round(gap, 4),
        "within_target": bool(gap <= PARITY_GAP),
        "target": f"Spark ALS NDCG@{K} within {PARITY_GAP:.0%} of implicit's",
    }


def _parity_main(root: Path, master: str, setup: Setup, spark_budget: float) -> int:
    path = root / TARGET_DATASET / "ratings.csv"
    if not path.is_file():
        console.print(f"spark parity skipped: no {path}")
        return 0
    started = time.perf_counter()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as progress:
        report = _spark_parity(path, master, setup, progress, spark_budget)
    report["protocol"] = setup.to_dict() | {"spark_seconds": spark_budget}
    report["spark_grid"] = {"regularization": list(SPARK_REG_GRID), "alpha": "implicit's - 1"}
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    PARITY.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    key = f"ndcg@{K}"
    for row in report["results"]:
        console.print(f"{row['model']}: {key} {row[key]:.4f}, params {row['params']}")
    console.print(
        f"gap {report['relative_gap']:.1%} ({'within' if report['within_target'] else 'NOT within'}"
        f" {PARITY_GAP:.0%}); {report['total_seconds']} s; wrote {PARITY}"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=600.0, help="tuning seconds per model")
    parser.add_argument("--spark", action="store_true", help="Spark vs implicit ALS parity")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument(
        "--only", default="", help="run the datasets whose name holds this; keep the others"
    )
    parser.add_argument(
        "--spark-budget", type=float, default=2400.0, help="seconds of Spark ALS tuning"
    )
    args = parser.parse_args()
    setup = Setup(k=K, budget=Budget(seconds=args.budget))
    root = datasets_dir()
    if args.spark:
        return _parity_main(root, args.master, setup, args.spark_budget)
    found = [(d, root / d.name / d.file) for d in DATASETS if (root / d.name / d.file).is_file()]
    found = [f for f in found if args.only in f[0].name]
    if not found:
        console.print(f"accuracy benchmark skipped: no datasets under {root}")
        return 0
    warnings.filterwarnings("ignore", module="implicit")
    started = time.perf_counter()
    runs: list[dict[str, Any]] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as progress:
        for data, path in found:
            runs.append(_run(data, path, progress, setup))
    if args.only and RESULTS.is_file():  # keep the other datasets' last runs
        kept = json.loads(RESULTS.read_text(encoding="utf-8"))["datasets"]
        fresh = {run["dataset"] for run in runs}
        runs = [*runs, *(run for run in kept if run["dataset"] not in fresh)]
    verdicts = [_verdict(run) for run in runs]
    for run in runs:
        console.print(_table(run))
    report = {
        "protocol": {**setup.to_dict(), "tuned": True, "peers": "implicit 0.7"},
        "datasets": runs,
        "verdicts": verdicts,
        "missing": [d.name for d in DATASETS if d not in [f[0] for f in found]],
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(_markdown(runs))
    for v in verdicts:
        key = f"ndcg@{K}"
        line = (
            f"{v['dataset']}: best Tactful {v['best_tactful']} {key} {v[key]:.4f}; "
            f"best peer {v['best_peer']} {v[f'best_peer_{key}']:.4f}"
        )
        if v["dataset"] == TARGET_DATASET:
            line += f"; target {TARGET_NDCG} {'met' if v['meets_target'] else 'NOT met'}"
        line += f"; blend ahead of all: {'yes' if v['blend_ahead_of_every_other'] else 'NO'}"
        console.print(line)
    console.print(f"total {report['total_seconds']} s; wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
