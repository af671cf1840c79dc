"""Rebuild the packaged emotion model (signals/data/emotions.npz + .json) from GoEmotions.

    .venv/bin/python scripts/train_emotions.py [--datasets DIR] [--out DIR] [--seed 0]
        [--thresholds dev|train]

Deterministic for a given seed and library versions. Train fits every weight. Decision
thresholds are first chosen on out-of-fold predictions over train; with ``--thresholds dev``
(the default) the four sentiment-group thresholds are then re-chosen on dev, as the issue
allows, and the manifest keeps both sets plus honest scores (dev at the train thresholds, and
a split-half of dev). Ekman and distress thresholds always come from train. The stage-2 MLP
size and regularisation were chosen by their dev scores. Three to six minutes on two cores.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import time
import warnings
import zipfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import Progress
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import KFold
from sklearn.neural_network import MLPClassifier

from tactful.signals import goemotions
from tactful.signals.emotions import (
    FEATURISER,
    OUTPUTS,
    SENTIMENT_GROUPS,
    EmotionModel,
    decide,
    hashed_counts,
    mlp_probabilities,
    polarity,
    surface,
    tfidf,
)

PARAMS: dict[str, Any] = {
    "min_df": 3,
    "sgd_alpha": 2e-5,
    "sgd_max_iter": 30,
    "folds": 5,
    "stage1_deployed": "mean of the fold models' weights",
    "mlp_hidden": [64],
    "mlp_alpha": 1e-2,
    "mlp_seeds": 3,
    "nb_smoothing": 1.0,
    "quantisation": "int8, one scale per head",
}
MLP_LAYERS = len(PARAMS["mlp_hidden"]) + 1  # weight matrices per stage-2 net
PROGRESS = Progress(console=Console(stderr=True))
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src" / "tactful" / "signals" / "data"


def log(message: str) -> None:
    PROGRESS.console.print(f"[{time.strftime('%H:%M:%S')}] {message}")


def stage1_targets(split: goemotions.Split, gold: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Linear heads: sentiment groups, the 28 fine labels, and NB-weighted sentiment groups."""
    groups = gold[:, : len(SENTIMENT_GROUPS)]
    names = [*SENTIMENT_GROUPS, *split.label_names, *(f"nb_{g}" for g in SENTIMENT_GROUPS)]
    return np.hstack([groups, split.labels, groups]), names


def nb_ratio(x: sparse.csr_matrix, y: np.ndarray) -> np.ndarray:
    """Naive-Bayes log-count ratio per feature (Wang & Manning 2012), smoothed."""
    a = PARAMS["nb_smoothing"]
    p = np.asarray(x[y].sum(axis=0)).ravel() + a
    q = np.asarray(x[~y].sum(axis=0)).ravel() + a
    ratio: np.ndarray = np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)
    return ratio


def fit_heads(
    x: sparse.csr_matrix,
    v: np.ndarray,
    y: np.ndarray,
    names: list[str],
    seed: int,
    *,
    step: Callable[[], None] = lambda: None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One logistic head per column of ``y``; NB heads have their ratios folded into weights."""
    k = x.shape[1]
    w = np.zeros((k, y.shape[1]), np.float32)
    wd = np.zeros((v.shape[1], y.shape[1]), np.float32)
    b = np.zeros(y.shape[1], np.float32)
    for j, name in enumerate(names):
        r = nb_ratio(x, y[:, j]) if name.startswith("nb_") else np.ones(k, np.float32)
        design = sparse.hstack([x @ sparse.diags(r), v], format="csr")
        head = SGDClassifier(
            loss="log_loss",
            alpha=PARAMS["sgd_alpha"],
            max_iter=PARAMS["sgd_max_iter"],
            tol=1e-4,
            random_state=seed,
        ).fit(design, y[:, j])
        w[:, j] = r * head.coef_[0, :k]
        wd[:, j] = head.coef_[0, k:]
        b[j] = head.intercept_[0]
        step()
    return w, wd, b


def out_of_fold_logits(
    x: sparse.csr_matrix, v: np.ndarray, y: np.ndarray, names: list[str], seed: int
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Stage-1 logits for every train row from heads that never saw that row, and the deployed
    heads: the mean of the fold models' weights, so stage 2 sees at inference the same kind of
    logits (from heads fit on 80% of train) it was trained on."""
    out = np.zeros(y.shape, np.float32)
    folds = KFold(PARAMS["folds"], shuffle=True, random_state=seed)
    task = PROGRESS.add_task("stage 1: linear heads", total=PARAMS["folds"] * len(names))
    fitted = []
    for fit_rows, held_rows in folds.split(x):
        w, wd, b = fit_heads(
            x[fit_rows], v[fit_rows], y[fit_rows], names, seed, step=lambda: PROGRESS.advance(task)
        )
        out[held_rows] = x[held_rows] @ w + v[held_rows] @ wd + b
        fitted.append((w, wd, b))
    w, wd, b = (np.mean([f[i] for f in fitted], axis=0) for i in range(3))
    return out, (w, wd, b)


def fit_stage2(z: np.ndarray, t: np.ndarray, seed: int, task: Any) -> dict[str, np.ndarray]:
    """Small multi-output MLPs (one per seed) over standardised stage-1 logits and cues."""
    mean, scale = z.mean(axis=0), z.std(axis=0) + 1e-6
    nets = []
    for s in range(PARAMS["mlp_seeds"]):
        net = MLPClassifier(
            hidden_layer_sizes=tuple(PARAMS["mlp_hidden"]),
            alpha=PARAMS["mlp_alpha"],
            max_iter=200,
            early_stopping=True,
            random_state=seed + s,
        )
        nets.append(net.fit((z - mean) / scale, t.astype(np.int64)))
        PROGRESS.advance(task)
    arrays = {"z_mean": mean.astype(np.float32), "z_scale": scale.astype(np.float32)}
    for i in range(MLP_LAYERS):
        arrays[f"mlp_w{i}"] = np.stack([n.coefs_[i] for n in nets]).astype(np.float32)
        arrays[f"mlp_b{i}"] = np.stack([n.intercepts_[i] for n in nets]).astype(np.float32)
    return arrays


def stage2_probabilities(z: np.ndarray, arrays: dict[str, np.ndarray]) -> np.ndarray:
    layers = [arrays[f"mlp_{kind}{i}"] for i in range(MLP_LAYERS) for kind in ("w", "b")]
    return mlp_probabilities((z - arrays["z_mean"]) / arrays["z_scale"], layers)


def stage2_thresholds(z: np.ndarray, t: np.ndarray, seed: int, task: Any) -> list[float]:
    """Thresholds that maximise F1 on out-of-fold stage-2 predictions over train."""
    oof = np.zeros(t.shape)
    for fit_rows, held_rows in KFold(PARAMS["folds"], shuffle=True, random_state=seed + 1).split(z):
        oof[held_rows] = stage2_probabilities(
            z[held_rows], fit_stage2(z[fit_rows], t[fit_rows], seed, task)
        )
    return goemotions.best_thresholds(t, oof)


def quantise(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 per column; keeps the artifact small at a negligible cost in accuracy."""
    scale = np.abs(w).max(axis=0) / 127.0
    scale[scale == 0] = 1.0
    return np.round(w / scale).astype(np.int8), scale.astype(np.float32)


def evaluate(
    model: EmotionModel, dev: goemotions.Split, gold: np.ndarray, train_thresholds: np.ndarray
) -> dict[str, Any]:
    """Dev scores of the shipped arrays at the shipped thresholds, plus two honest checks: dev
    at the thresholds chosen on train, and a split-half of dev."""
    probs = model.predict(list(dev.texts))
    scores = goemotions.score(gold, model.decide(probs))
    groups = len(SENTIMENT_GROUPS)
    at_train = goemotions.score(gold, decide(probs, train_thresholds)).f1[:groups].mean()
    half = np.arange(len(dev)) % 2 == 0
    halves = []
    for chosen_on in (half, ~half):  # thresholds chosen on one half, scored on the other
        tuned = model.thresholds.copy()
        tuned[:groups] = goemotions.best_thresholds(
            gold[chosen_on, :groups], probs[chosen_on, :groups]
        )
        held = ~chosen_on
        f1 = goemotions.score(gold[held], decide(probs[held], tuned)).f1
        halves.append(float(f1[:groups].mean()))
    distress = OUTPUTS.index("distress")
    return {
        "split": "dev",
        "rows": len(dev),
        "sentiment_macro_f1": round(float(scores.f1[:groups].mean()), 4),
        "f1": {name: round(float(f), 4) for name, f in zip(OUTPUTS, scores.f1, strict=True)},
        "distress_precision": round(float(scores.precision[distress]), 4),
        "distress_recall": round(float(scores.recall[distress]), 4),
        "sentiment_macro_f1_train_thresholds": round(float(at_train), 4),
        "sentiment_macro_f1_dev_half_thresholds": [round(h, 4) for h in halves],
    }


def choose_thresholds(arrays: dict[str, np.ndarray], folder: Path, source: str) -> np.ndarray:
    """With ``source == "dev"``, re-choose the sentiment-group thresholds on dev (in place);
    returns the thresholds chosen on train either way."""
    from_train: np.ndarray = arrays["thresholds"].copy()
    if source == "dev":
        dev = goemotions.read_split("dev", folder)
        probs = EmotionModel(arrays, {}).predict(list(dev.texts))
        groups = len(SENTIMENT_GROUPS)
        gold = goemotions.targets(dev, folder)[:, :groups]
        arrays["thresholds"][:groups] = goemotions.best_thresholds(gold, probs[:, :groups])
        log(f"sentiment thresholds chosen on dev: {arrays['thresholds'][:groups].tolist()}")
    return from_train


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """An .npz with fixed zip timestamps, so the same arrays give the same bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(
                buffer, np.ascontiguousarray(arrays[name]), allow_pickle=False
            )
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue(), compresslevel=9)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def features(
    texts: list[str],
    min_df: int | None,
    kept: np.ndarray | None = None,
    idf: np.ndarray | None = None,
) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """tf-idf matrix, VADER, surface cues; ``kept``/``idf`` are learnt when ``min_df`` is given."""
    counts = hashed_counts(texts)
    if min_df is not None:
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        kept = np.flatnonzero(df >= min_df).astype(np.int32)
        idf = (np.log((1 + len(texts)) / (1 + df[kept])) + 1).astype(np.float32)
    assert kept is not None and idf is not None
    return tfidf(counts, kept, idf), polarity(texts), surface(texts), kept, idf


def train(folder: Path, seed: int) -> tuple[dict[str, np.ndarray], list[str]]:
    """Fit both stages and the thresholds on train; returns the arrays to ship."""
    split = goemotions.read_split("train", folder)
    gold = goemotions.targets(split, folder)
    x, v, cues, kept, idf = features(list(split.texts), PARAMS["min_df"])
    log(f"train: {len(split)} texts, {len(kept)} hashed columns kept (df >= {PARAMS['min_df']})")
    y, names = stage1_targets(split, gold)
    oof, (w, wd, b) = out_of_fold_logits(x, v, y, names, seed)
    z = np.hstack([oof, v, cues])
    task = PROGRESS.add_task("stage 2: MLPs", total=PARAMS["mlp_seeds"] * (1 + PARAMS["folds"]))
    arrays = fit_stage2(z, gold, seed, task)
    arrays["thresholds"] = np.array(stage2_thresholds(z, gold, seed, task), np.float32)
    chosen = dict(zip(OUTPUTS, arrays["thresholds"].tolist(), strict=True))
    log(f"stage 2 done; train thresholds {chosen}")
    w_q, w_scale = quantise(w)
    arrays |= {
        "kept": kept,
        "idf": idf,
        "w_sparse": w_q,
        "w_scale": w_scale,
        "w_dense": wd,
        "b1": b,
    }
    return arrays, names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=goemotions.datasets_dir())
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--thresholds", choices=("dev", "train"), default="dev")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    folder = goemotions.goemotions_dir(args.datasets)
    with PROGRESS:
        arrays, names = train(folder, args.seed)
    from_train = choose_thresholds(arrays, folder, args.thresholds)
    args.out.mkdir(parents=True, exist_ok=True)
    weights, manifest_path = args.out / "emotions.npz", args.out / "emotions.json"
    write_npz(weights, arrays)
    manifest: dict[str, Any] = {
        "format": 1,
        "model": "tactful-emotions",
        "outputs": list(OUTPUTS),
        "stage1_heads": names,
        "featuriser": FEATURISER,
        "params": PARAMS | {"seed": args.seed, "sentiment_thresholds_from": args.thresholds},
        "train_thresholds": [round(float(t), 2) for t in from_train],
        "data": {
            "source": "GoEmotions (Demszky et al., ACL 2020), Apache-2.0; simplified train/dev",
            "train_sha256": sha256(folder / "train.tsv"),
            "dev_sha256": sha256(folder / "dev.tsv"),
        },
        "versions": {p: metadata.version(p) for p in ("scikit-learn", "numpy", "vaderSentiment")},
        "weights_sha256": sha256(weights),
    }
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    model = EmotionModel.load(weights, manifest_path)
    dev = goemotions.read_split("dev", folder)
    manifest["metrics"] = evaluate(model, dev, goemotions.targets(dev, folder), from_train)
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    log(f"wrote {weights} ({weights.stat().st_size / 1e6:.2f} MB); dev: {manifest['metrics']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
