"""Guards benchmark: what the full curation pipeline costs in accuracy and buys in
diversity and safety, against the raw model, on MovieLens latest-small.

Protocol (the quality issue's): per-user random 75/25 split with seed 42; every rating an
implicit positive of weight 1 and every held-out rating relevant; each user's training items
excluded; k = 10. Genres are the item categories; two genres are marked sensitive for the
test (``SENSITIVE_GENRES``). The raw list is the model's top 10; the guarded list is its
top ``CANDIDATES`` curated by the default guard pipeline (``GuardSettings().order``) for a
person with a choice budget of 10 and no declared preferences, so the guards that act are
sensitive (never a sensitive item, nothing inferred only from one), diversity and the budget
(score floor). Also swept: the diversity trade-off, MMR versus calibration.

Reported per configuration: NDCG@10 and its change against the raw model (target: a loss of
at most 3 %), intra-list diversity over genres (1 − mean pairwise cosine of the binary genre
vectors; target +15 %) and
over co-rating vectors (the evaluation harness's ``diversity``), sensitive exposures
(target 0), mean list length, and curation time per person.

Data: ``../shared/datasets`` (or ``$TACTFUL_DATASETS``). Prints Rich tables to stderr and one
JSON line to stdout.

    python benchmarks/guards.py [--model ease|itemknn] [--lambdas 0.9,0.8,0.7]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from rich.console import Console
from rich.table import Table

from tactful.curate import Context, build_pipeline, curate
from tactful.curate.diversity import cosine
from tactful.insights.evaluation import metrics
from tactful.insights.evaluation.loaders import datasets_dir, load_movies_csv, load_ratings
from tactful.insights.evaluation.runner import interactions_of
from tactful.insights.evaluation.splits import split_random
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


def build_world(model_name: str) -> World:
    folder = datasets_dir() / "movielens-latest-small"
    ratings = load_ratings(folder / "ratings.csv", "movielens-csv")
    split = split_random(ratings, test_fraction=0.25, seed=SEED)
    model: Model = EASE(l2=200.0) if model_name == "ease" else ItemKNN(neighbours=50)
    model.fit(interactions_of(split.train))
    catalogue = {it.item_id: it for it in _items(folder)}
    ids = split.train.item_ids
    test = split.test.matrix()
    return World(
        model=model,
        train=split.train.matrix(),
        test=test,
        users=np.flatnonzero(np.diff(test.indptr) > 0).astype(np.int64),
        catalogue=catalogue,
        column={item: c for c, item in enumerate(ids)},
        genres=[frozenset(catalogue[i].categories) if i in catalogue else frozenset() for i in ids],
    )


def scored_lists(world: World) -> list[tuple[Scored, tuple[Event, ...]]]:
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


def guarded(
    world: World, inputs: list[tuple[Scored, tuple[Event, ...]]], settings: GuardSettings
) -> dict[str, float]:
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


def run(model_name: str, lambdas: list[float]) -> dict[str, Any]:
    started = time.perf_counter()
    world = build_world(model_name)
    inputs = scored_lists(world)
    raw = measure(world, [s.items[:K] for s, _ in inputs], 0.0)
    rows: list[dict[str, Any]] = []
    for name, settings in configurations(lambdas):
        got: dict[str, Any] = dict(guarded(world, inputs, settings))
        got["configuration"] = name
        got["ndcg_change"] = got["ndcg@10"] / raw["ndcg@10"] - 1
        got["diversity_change"] = got["genre_diversity"] / raw["genre_diversity"] - 1
        rows.append(got)
    console.print(_table(model_name, raw, rows))
    default = rows[0]
    verdict = {
        "ndcg_loss": round(-default["ndcg_change"], 4),
        "meets_loss": -default["ndcg_change"] <= TARGET_LOSS,
        "diversity_gain": round(default["diversity_change"], 4),
        "meets_diversity": default["diversity_change"] >= TARGET_DIVERSITY_GAIN,
        "sensitive_exposures": default["sensitive_exposures"],
        "meets_sensitive": default["sensitive_exposures"] == 0,
    }
    console.print(verdict)
    return {
        "benchmark": "guards",
        "dataset": "movielens-latest-small",
        "model": model_name,
        "protocol": {"split": "random", "test_fraction": 0.25, "seed": SEED, "k": K,
                     "candidates": CANDIDATES, "sensitive_genres": list(SENSITIVE_GENRES)},
        "users": len(world.users),
        "raw": {k: round(v, 5) for k, v in raw.items()},
        "configurations": [
            {k: round(v, 5) if isinstance(v, float) else v for k, v in r.items()} for r in rows
        ],
        "verdict": verdict,
        "seconds": round(time.perf_counter() - started, 1),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=("ease", "itemknn"), default="ease")
    parser.add_argument("--lambdas", default="0.95,0.93,0.91,0.89,0.85")
    args = parser.parse_args()
    if not (datasets_dir() / "movielens-latest-small" / "ratings.csv").is_file():
        console.print(f"MovieLens latest-small not found under {datasets_dir()}; skipped")
        return 0
    result = run(args.model, [float(x) for x in args.lambdas.split(",")])
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
