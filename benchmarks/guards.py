"""Guards benchmark: what the full curation pipeline costs in accuracy and buys in
diversity and safety, against the raw model, on MovieLens latest-small.

Protocol (the quality issue's): per-user random 75/25 split, seed 42; every rating an
implicit positive and every held-out rating relevant; training items excluded; k = 10.
Genres are the categories; ``SENSITIVE_GENRES`` are marked sensitive. Raw: the model's top
10; guarded: its top ``CANDIDATES`` curated by the default pipeline for a person with a
budget of 10 and no declared preferences (sensitive, diversity and budget guards act).
Reported: NDCG@10 and its change against raw (target: loss ≤ 3 %), genre intra-list
diversity (1 − mean pairwise cosine of binary genre vectors; target +15 %), co-rating
diversity, sensitive exposures (target 0), mean list length, curation time per person.

``--tune`` chooses the diversity parameters on two validation folds carved from the training
part only (``--val-share`` of each user's training ratings held out, default 10 %, so the
validation model sees 67.5 % of all ratings; EASE; the reference as a multiple of each
model's median best score, so it means the same for every model) by ``RULE``, then
evaluates the choice once on test (EASE and item-kNN) and writes ``results/guards.json``.

Data: ``../shared/datasets`` (or ``$TACTFUL_DATASETS``). Prints Rich tables to stderr and one
JSON line to stdout.

    python benchmarks/guards.py [--model ease|itemknn] [--lambdas 0.9,0.8,0.7]
    python benchmarks/guards.py --tune [--val-share 0.1]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from threadpoolctl import threadpool_limits

from tactful.curate import Context, build_pipeline, curate
from tactful.curate.diversity import cosine
from tactful.insights.evaluation import metrics
from tactful.insights.evaluation.loaders import datasets_dir, load_movies_csv, load_ratings
from tactful.insights.evaluation.runner import interactions_of
from tactful.insights.evaluation.splits import Split, split_random, validation_split
from tactful.recommend.ease import EASE
from tactful.recommend.itemknn import ItemKNN
from tactful.recommend.model import Model
from tactful.settings import GuardSettings
from tactful.types import Event, EventType, Item, Preferences, Scored, Sensitivity

K = 10
SEED = 42
CANDIDATES = 200
SENSITIVE_GENRES = ("Documentary", "Film-Noir")
TARGET_LOSS = 0.03
TARGET_DIVERSITY_GAIN = 0.15
TUNE_FOLDS = (SEED, SEED + 1)  # validation carves (``validation_split`` adds 1: 43, 44)
VAL_SHARE = 0.1  # of each user's training ratings held out for validation (run 3: 0.25)
TUNE_LAMBDAS = tuple(round(0.90 + 0.005 * i, 3) for i in range(13))  # 0.90 … 0.96
TUNE_RATIOS: tuple[float | None, ...] = (None, 0.8, 1.2, 1.6, 2.0, 2.4)
TUNE_COVERAGES = (0.0, 1.0, 2.0)
TUNE_CALIBRATION = (0.6, 0.8, 0.9, 0.95)
TUNED = ("diversity_method", "diversity_lambda", "diversity_coverage")
RULE = ("no sensitive exposure on either validation fold; then the largest worse relative "
        "margin to the two targets, min((0.03 - loss) / 0.03, (gain - 0.15) / 0.15), of the "
        "fold-averaged NDCG@10 loss and genre-diversity gain")  # fmt: skip
RESULTS = Path(__file__).resolve().parent / "results" / "guards.json"
NOW = datetime(2026, 6, 1, tzinfo=UTC)
console = Console(stderr=True, width=150)


@dataclass(frozen=True)
class World:
    """The split, the fitted model and what the guards need to know about every item."""

    model: Model
    train: Any
    test: Any
    users: npt.NDArray[np.int64]
    catalogue: dict[str, Item]
    column: dict[str, int]
    genres: list[frozenset[str]]


def _items(folder: Path) -> list[Item]:
    out = []
    for it in load_movies_csv(folder / "movies.csv"):
        sensitive = set(it.categories) & set(SENSITIVE_GENRES)
        out.append(replace(it, sensitive=Sensitivity.HEALTH) if sensitive else it)
    return out


def build_world(model_name: str, *, fold: int | None = None, share: float = VAL_SHARE) -> World:
    """The model fitted on the training part and judged on the test part; with a ``fold``
    (a seed), fitted on train minus a validation part (``share`` of each user's training
    ratings) carved with it, judged on that part."""
    folder = datasets_dir() / "movielens-latest-small"
    ratings = load_ratings(folder / "ratings.csv", "movielens-csv")
    split: Split = split_random(ratings, test_fraction=0.25, seed=SEED)
    if fold is not None:
        split = validation_split(split.train, "random", test_fraction=share, seed=fold)
    model: Model = EASE(l2=200.0) if model_name == "ease" else ItemKNN(neighbours=50)
    model.fit(interactions_of(split.train))
    catalogue = {it.item_id: it for it in _items(folder)}
    ids = split.train.item_ids
    test = split.test.matrix()
    genres = [frozenset(catalogue[i].categories) if i in catalogue else frozenset() for i in ids]
    users = np.flatnonzero(np.diff(test.indptr) > 0).astype(np.int64)
    column = {item: c for c, item in enumerate(ids)}
    return World(model, split.train.matrix(), test, users, catalogue, column, genres)


Inputs = list[tuple[Scored, tuple[Event, ...]]]
Prepared = tuple[World, Inputs, dict[str, float]]


def scored_lists(world: World) -> Inputs:
    """Each evaluated user's top candidates with evidence, and their history as events."""
    ids = list(world.column)
    out = []
    for u in world.users:
        row = world.train[int(u)]
        seen = [ids[c] for c in row.indices]
        history = tuple(Event(f"{u}-{i}", str(u), EventType.RATING, NOW, i, 5.0) for i in seen)
        scored = world.model.score(dict.fromkeys(seen, 1.0), n=CANDIDATES, exclude=seen)
        out.append((scored, history))
    return out


def _top(lists: list[tuple[str, ...]], column: dict[str, int]) -> npt.NDArray[np.int64]:
    top = np.full((len(lists), K), -1, dtype=np.int64)
    for r, items in enumerate(lists):
        for j, item in enumerate(items[:K]):
            top[r, j] = column[item]
    return top


def genre_diversity(top: npt.NDArray[np.int64], genres: list[frozenset[str]]) -> float:
    """Intra-list diversity over genres: mean over lists of 1 − the mean pairwise cosine
    similarity of the listed movies' genre vectors (binary)."""
    values = []
    for row in top:
        listed = [genres[c] for c in row if c >= 0]
        if len(listed) > 1:
            sim = cosine(listed)
            n = len(listed)
            values.append(1.0 - float((sim.sum() - np.trace(sim)) / (n * (n - 1))))
    return float(np.mean(values))


def measure(world: World, lists: list[tuple[str, ...]], seconds: float) -> dict[str, float]:
    top = _top(lists, world.column)
    acc = metrics.accuracy(top, world.test[world.users])
    div = metrics.diversity(top, metrics.item_vectors(world.train))
    sensitive = sum(
        1 for items in lists for i in items if world.catalogue[i].sensitive is not Sensitivity.NONE
    )
    return {
        "ndcg@10": float(np.mean(acc["ndcg"])),
        "recall@10": float(np.mean(acc["recall"])),
        "genre_diversity": genre_diversity(top, world.genres),
        "corating_diversity": float(np.nanmean(div)),
        "sensitive_exposures": float(sensitive),
        "mean_length": float(np.mean([len(x) for x in lists])),
        "ms_per_person": 1000 * seconds / max(1, len(lists)),
    }


def guarded(world: World, inputs: Inputs, settings: GuardSettings) -> dict[str, float]:
    guards = build_pipeline(settings.order)
    prefs = Preferences(max_recommendations=K)
    lists = []
    started = time.perf_counter()
    for u, (scored, history) in zip(world.users, inputs, strict=True):
        ctx = Context(
            subject_id=str(u), now=NOW, prefs=prefs, catalogue=world.catalogue, history=history,
            personalized=True, consented=True, limit=K, settings=settings,
        )  # fmt: skip
        lists.append(curate(scored, ctx, guards).scored.items)
    return measure(world, lists, time.perf_counter() - started)


def compared(raw: dict[str, float], got: dict[str, float], name: str) -> dict[str, Any]:
    """A guarded measurement with its name and its changes against the raw model."""
    out: dict[str, Any] = dict(got)
    out["configuration"] = name
    out["ndcg_change"] = got["ndcg@10"] / raw["ndcg@10"] - 1
    out["diversity_change"] = got["genre_diversity"] / raw["genre_diversity"] - 1
    return out


def _rounded(row: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 5) if isinstance(v, float) else v for k, v in row.items()}


def verdict_of(row: dict[str, Any]) -> dict[str, Any]:
    loss, gain, sensitive = -row["ndcg_change"], row["diversity_change"], row["sensitive_exposures"]
    return {"ndcg_loss": round(loss, 4), "meets_loss": loss <= TARGET_LOSS,
            "diversity_gain": round(gain, 4), "meets_diversity": gain >= TARGET_DIVERSITY_GAIN,
            "sensitive_exposures": sensitive, "meets_sensitive": sensitive == 0}  # fmt: skip


def configurations(lambdas: list[float]) -> list[tuple[str, GuardSettings]]:
    base = GuardSettings()
    out = [(f"default (mmr, λ={base.diversity_lambda})", base)]
    out.append(("no diversity (λ=1)", base.model_copy(update={"diversity_lambda": 1.0})))
    for method in ("mmr", "calibration"):
        for lam in lambdas:
            update = {"diversity_method": method, "diversity_lambda": lam}
            out.append((f"{method}, λ={lam}", base.model_copy(update=update)))
    return out


def _table(model: str, raw: dict[str, float], rows: list[dict[str, Any]]) -> Table:
    table = Table(title=f"Guards on MovieLens latest-small, {model}, k={K}")
    for col in ("configuration", "NDCG@10", "Δ NDCG", "genre ILD", "Δ ILD", "co-rating ILD",
                "sensitive", "length", "ms/person"):  # fmt: skip
        table.add_column(col, justify="left" if col == "configuration" else "right")
    table.add_row(
        "raw model", f"{raw['ndcg@10']:.4f}", "", f"{raw['genre_diversity']:.4f}", "",
        f"{raw['corating_diversity']:.4f}", f"{raw['sensitive_exposures']:.0f}",
        f"{raw['mean_length']:.1f}", "",
    )  # fmt: skip
    for r in rows:
        table.add_row(
            r["configuration"], f"{r['ndcg@10']:.4f}", f"{r['ndcg_change']:+.1%}",
            f"{r['genre_diversity']:.4f}", f"{r['diversity_change']:+.1%}",
            f"{r['corating_diversity']:.4f}", f"{r['sensitive_exposures']:.0f}",
            f"{r['mean_length']:.1f}", f"{r['ms_per_person']:.2f}",
        )  # fmt: skip
    return table


def prepared(model_name: str, fold: int | None = None, share: float = VAL_SHARE) -> Prepared:
    """The world, each person's candidates and history, and the raw model's measurement."""
    world = build_world(model_name, fold=fold, share=share)
    inputs = scored_lists(world)
    return world, inputs, measure(world, [s.items[:K] for s, _ in inputs], 0.0)


def run(model_name: str, lambdas: list[float]) -> dict[str, Any]:
    started = time.perf_counter()
    world, inputs, raw = prepared(model_name)
    rows: list[dict[str, Any]] = []
    for name, settings in configurations(lambdas):
        rows.append(compared(raw, guarded(world, inputs, settings), name))
    console.print(_table(model_name, raw, rows))
    verdict = verdict_of(rows[0])
    console.print(verdict)
    return {
        "benchmark": "guards", "dataset": "movielens-latest-small", "model": model_name,
        "protocol": {"split": "random", "test_fraction": 0.25, "seed": SEED, "k": K,
                     "candidates": CANDIDATES, "sensitive_genres": list(SENSITIVE_GENRES)},
        "users": len(world.users), "raw": _rounded(raw),
        "configurations": [_rounded(r) for r in rows], "verdict": verdict,
        "seconds": round(time.perf_counter() - started, 1),
    }  # fmt: skip


# A grid point: settings, and the reference as a multiple of the model's median best score.
Point = tuple[GuardSettings, float | None]


def label(point: Point) -> str:
    settings, ratio = point
    cov = f" cov={settings.diversity_coverage}" if settings.diversity_method == "mmr" else ""
    ref = "none" if ratio is None else f"{ratio}×median"
    return f"{settings.diversity_method} λ={settings.diversity_lambda} ref={ref}{cov}"


def tuning_grid() -> list[Point]:
    """MMR over λ × reference ratio × coverage, a few calibration points, and λ = 1."""
    base = GuardSettings()
    grid: list[Point] = [(base.model_copy(update={"diversity_lambda": 1.0}), None)]
    for lam, ratio, cov in product(TUNE_LAMBDAS, TUNE_RATIOS, TUNE_COVERAGES):
        update = {"diversity_method": "mmr", "diversity_lambda": lam, "diversity_coverage": cov}
        grid.append((base.model_copy(update=update), ratio))
    for lam in TUNE_CALIBRATION:
        for ratio in (None, 1.6):
            update = {"diversity_method": "calibration", "diversity_lambda": lam}
            grid.append((base.model_copy(update=update), ratio))
    return grid


def median_top(inputs: Inputs) -> float:
    """The median over people of the model's best score (no held-out data needed)."""
    return float(np.median([s.scores[0] for s, _ in inputs if s.scores]))


def resolved(point: Point, inputs: Inputs) -> GuardSettings:
    """The point's settings for one model: the reference in that model's score units."""
    settings, ratio = point
    ref = None if ratio is None else round(ratio * median_top(inputs), 4)
    return settings.model_copy(update={"diversity_reference_score": ref})


def margin(row: dict[str, Any]) -> float:
    """The worse of the two relative margins to the targets (negative: a target missed)."""
    loss = (TARGET_LOSS + row["ndcg_change"]) / TARGET_LOSS
    gain = (row["diversity_change"] - TARGET_DIVERSITY_GAIN) / TARGET_DIVERSITY_GAIN
    return float(min(loss, gain))


def ranked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rule (``RULE``), best first: no sensitive exposure, then the larger margin."""
    return sorted((r for r in rows if not r["sensitive_exposures"]), key=lambda r: -margin(r))


def fold_rows(
    fold: int, grid: list[Point], share: float, progress: Progress
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Every grid point, guarded against raw, on one validation fold (EASE)."""
    task = progress.add_task(f"fold {fold + 1}: fitting", total=len(grid))
    world, inputs, raw = prepared("ease", fold, share)
    progress.update(task, description=f"fold {fold + 1}: {len(grid)} points")
    rows = []
    for p in grid:
        rows.append(compared(raw, guarded(world, inputs, resolved(p, inputs)), label(p)))
        progress.advance(task)
    return raw | {"median_best_score": median_top(inputs)}, rows


def averaged(grid: list[Point], folds: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Per grid point, the folds' mean (sensitive exposures: their sum)."""
    out = []
    for (settings, ratio), rows in zip(grid, zip(*folds, strict=True), strict=True):
        row: dict[str, Any] = {k: float(np.mean([r[k] for r in rows]))
                               for k in rows[0] if k != "configuration"}  # fmt: skip
        row["sensitive_exposures"] = sum(r["sensitive_exposures"] for r in rows)
        row["configuration"] = rows[0]["configuration"]
        row["ndcg_change_folds"] = [round(r["ndcg_change"], 5) for r in rows]
        row["diversity_change_folds"] = [round(r["diversity_change"], 5) for r in rows]
        out.append(row | {k: getattr(settings, k) for k in TUNED} | {"reference_ratio": ratio})
    return out


def on_test(point: Point) -> dict[str, Any]:
    """The chosen point on the test split, each model fitted on the whole train part."""
    out: dict[str, Any] = {}
    for model_name in ("ease", "itemknn"):
        world, inputs, raw = prepared(model_name)
        settings = resolved(point, inputs)
        row = compared(raw, guarded(world, inputs, settings), f"chosen: {label(point)}")
        console.print(_table(f"{model_name}, test split", raw, [row]))
        out[model_name] = {"reference_score": settings.diversity_reference_score,
                           "median_best_score": round(median_top(inputs), 5),
                           "raw": _rounded(raw), "guarded": _rounded(row),
                           "verdict": verdict_of(row)}  # fmt: skip
    return out


def _dumps(result: dict[str, Any]) -> str:
    """Indented JSON with one line per validation grid row."""
    grid = [json.dumps(r, ensure_ascii=False) for r in result["validation"]["grid"]]
    text = json.dumps(result | {"validation": result["validation"] | {"grid": "@"}}, indent=2)
    return text.replace('"@"', "[\n    " + ",\n    ".join(grid) + "\n  ]") + "\n"


def tune(share: float) -> dict[str, Any]:
    started = time.perf_counter()
    grid = tuning_grid()
    with Progress(console=console) as progress:
        pairs = [fold_rows(fold, grid, share, progress) for fold in TUNE_FOLDS]
    raws, folds = zip(*pairs, strict=True)
    rows = averaged(grid, list(folds))
    best = ranked(rows)
    console.print(_table("ease, validation (2 folds, mean), best by the rule", raws[0], best[:10]))
    point = grid[rows.index(best[0])]
    console.print(f"chosen on validation: {label(point)}")
    test = on_test(point)
    result = {
        "benchmark": "guards-tune",
        "dataset": "movielens-latest-small",
        "protocol": {"split": "random", "test_fraction": 0.25, "seed": SEED, "k": K,
                     "validation": f"two random {share:.0%} carves of train, seeds 43 and 44",
                     "validation_share": share,
                     "candidates": CANDIDATES, "sensitive_genres": list(SENSITIVE_GENRES),
                     "tuned_on": "ease", "reference": "ratio × the model's median best score"},
        "rule": RULE,
        "chosen": {k: getattr(point[0], k) for k in TUNED} | {"reference_ratio": point[1]},
        "validation": {"raw": [_rounded(r) for r in raws], "top": [_rounded(r) for r in best[:5]],
                       "grid": [_rounded(r) for r in rows]},
        "test": test,
        "seconds": round(time.perf_counter() - started, 1),
    }  # fmt: skip
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(_dumps(result), encoding="utf-8")
    console.print(f"{result['seconds']} s; wrote {RESULTS}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=("ease", "itemknn"), default="ease")
    parser.add_argument("--lambdas", default="0.95,0.93,0.91,0.89,0.85")
    parser.add_argument("--tune", action="store_true", help="choose the diversity parameters")
    parser.add_argument("--val-share", type=float, default=VAL_SHARE, help="held out per user")
    args = parser.parse_args()
    if not (datasets_dir() / "movielens-latest-small" / "ratings.csv").is_file():
        console.print(f"MovieLens latest-small not found under {datasets_dir()}; skipped")
        return 0
    with threadpool_limits(1, "blas"):
        lambdas = [float(x) for x in args.lambdas.split(",")]
        result = tune(args.val_share) if args.tune else run(args.model, lambdas)
    result.get("validation", {}).pop("grid", None)  # in the results file
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
