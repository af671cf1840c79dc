"""The GoEmotions data set (Demszky et al., ACL 2020; Apache-2.0): reading splits, mapping the
27 emotions + neutral onto the groups the emotion model predicts, and scoring predictions.

Used by the training script, the benchmark and the tests; the packaged model never reads data.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from tactful.errors import InvalidInput, NotFound
from tactful.signals.emotions import DISTRESS_LABELS, OUTPUTS

BoolArray = npt.NDArray[np.bool_]
REPO_ROOT = Path(__file__).resolve().parents[3]


def datasets_dir() -> Path:
    """``$TACTFUL_DATASETS`` if set, else ``shared/datasets`` next to the repository."""
    env = os.environ.get("TACTFUL_DATASETS")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "datasets"


def goemotions_dir(root: Path | None = None) -> Path:
    return (root or datasets_dir()) / "goemotions"


@dataclass(frozen=True, slots=True)
class Split:
    """One split: texts and their fine labels as a (texts x 28) boolean matrix."""

    texts: tuple[str, ...]
    labels: BoolArray
    label_names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.texts)


def read_split(name: str, folder: Path | None = None) -> Split:
    """Read ``train`` or ``dev`` (tab-separated, no quoting: texts may hold literal quotes)."""
    if name not in ("train", "dev"):
        raise InvalidInput(f"unknown split {name!r}; expected train or dev", field="split")
    folder = folder or goemotions_dir()
    path = folder / f"{name}.tsv"
    if not path.is_file():
        raise NotFound(f"GoEmotions split not found at {path}; set TACTFUL_DATASETS")
    names = tuple((folder / "emotions.txt").read_text(encoding="utf-8").split("\n"))
    texts: list[str] = []
    rows: list[list[int]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text, ids, _comment_id = line.split("\t")
        texts.append(text)
        rows.append([int(i) for i in ids.split(",")])
    labels = np.zeros((len(texts), len(names)), dtype=bool)
    for i, row in enumerate(rows):
        labels[i, row] = True
    return Split(tuple(texts), labels, names)


def targets(split: Split, folder: Path | None = None) -> BoolArray:
    """Gold labels in ``OUTPUTS`` order: sentiment groups, Ekman groups, distress.

    Uses the data set's own ``sentiment_mapping.json`` and ``ekman_mapping.json``; a text is in a
    group when any of its labels maps there, so the task is multi-label.
    """
    folder = folder or goemotions_dir()
    sentiment = json.loads((folder / "sentiment_mapping.json").read_text(encoding="utf-8"))
    ekman = json.loads((folder / "ekman_mapping.json").read_text(encoding="utf-8"))
    groups = {**sentiment, **ekman, "neutral": ["neutral"], "distress": list(DISTRESS_LABELS)}
    index = {name: i for i, name in enumerate(split.label_names)}
    out = np.zeros((len(split), len(OUTPUTS)), dtype=bool)
    for j, output in enumerate(OUTPUTS):
        out[:, j] = split.labels[:, [index[e] for e in groups[output]]].any(axis=1)
    return out


@dataclass(frozen=True, slots=True)
class Scores:
    """Per-column precision, recall and F1 of a multi-label prediction."""

    precision: npt.NDArray[np.float64]
    recall: npt.NDArray[np.float64]
    f1: npt.NDArray[np.float64]


def score(gold: BoolArray, predicted: BoolArray) -> Scores:
    """Binary precision/recall/F1 per column (0 where undefined)."""
    tp = (gold & predicted).sum(axis=0).astype(np.float64)
    pp = predicted.sum(axis=0).astype(np.float64)
    gp = gold.sum(axis=0).astype(np.float64)
    precision = np.divide(tp, pp, out=np.zeros_like(tp), where=pp > 0)
    recall = np.divide(tp, gp, out=np.zeros_like(tp), where=gp > 0)
    total = precision + recall
    f1 = np.divide(2 * precision * recall, total, out=np.zeros_like(tp), where=total > 0)
    return Scores(precision, recall, f1)


def best_thresholds(gold: BoolArray, probabilities: npt.NDArray[np.floating]) -> list[float]:
    """Per column, the threshold on a 0.01 grid that maximises F1 (used on held-out data only)."""
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    chosen = []
    for j in range(gold.shape[1]):
        f1s = [score(gold[:, [j]], probabilities[:, [j]] >= t).f1[0] for t in grid]
        chosen.append(float(grid[int(np.argmax(f1s))]))
    return chosen
