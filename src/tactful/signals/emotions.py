"""The emotion classifier: sentiment groups, Ekman emotion groups and distress from short text.

Trained on GoEmotions by ``scripts/train_emotions.py`` and shipped inside the package as plain
arrays (``data/emotions.npz`` + ``data/emotions.json``). Two stages, both cheap at inference:

1. linear heads over hashed word 1-2-grams and char 2-5-grams (tf-idf, per-block L2) plus
   VADER scores: 4 sentiment-group heads, 28 fine-label heads and 4 naive-Bayes-weighted
   sentiment heads (the NB weights are folded into the stored weights);
2. a small multi-output ReLU MLP (averaged over seeds) over those 36 logits, VADER and surface
   cues (length, "?", "!"), predicting the 4 sentiment groups, 6 Ekman groups and distress.

Hashing uses scikit-learn's stateless ``HashingVectorizer`` so training and inference hash
identically; everything after hashing is numpy.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from tactful.errors import Conflict, NotFitted

SENTIMENT_GROUPS: tuple[str, ...] = ("positive", "negative", "ambiguous", "neutral")
EKMAN_GROUPS: tuple[str, ...] = ("anger", "disgust", "fear", "joy", "sadness", "surprise")
EMOTION_GROUPS: tuple[str, ...] = (*EKMAN_GROUPS, "neutral")
DISTRESS_LABELS: tuple[str, ...] = (
    "grief",
    "sadness",
    "fear",
    "nervousness",
    "remorse",
    "disappointment",
)
OUTPUTS: tuple[str, ...] = (*SENTIMENT_GROUPS, *EKMAN_GROUPS, "distress")

FEATURISER: Mapping[str, Any] = {
    "word_features": 2**18,
    "word_ngrams": [1, 2],
    "token_pattern": r"(?u)\b\w+\b|[!?]|[^\w\s]{2,}",
    "char_features": 2**18,
    "char_ngrams": [2, 5],
    "char_analyzer": "char_wb",
    "dense": ["vader_compound", "vader_pos", "vader_neg", "vader_neu"],
    "surface": ["log1p_chars", "question_marks", "exclamation_marks"],
}
DATA_DIR = Path(__file__).parent / "data"
WEIGHTS = DATA_DIR / "emotions.npz"
MANIFEST = DATA_DIR / "emotions.json"

FloatArray = npt.NDArray[np.float32]


@cache
def _hashers() -> tuple[Any, Any]:
    """The two stateless hashers; sklearn is imported here so importing Tactful stays fast."""
    from sklearn.feature_extraction.text import HashingVectorizer

    word = HashingVectorizer(
        n_features=FEATURISER["word_features"],
        ngram_range=tuple(FEATURISER["word_ngrams"]),
        token_pattern=FEATURISER["token_pattern"],
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )
    char = HashingVectorizer(
        n_features=FEATURISER["char_features"],
        analyzer=FEATURISER["char_analyzer"],
        ngram_range=tuple(FEATURISER["char_ngrams"]),
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )
    return word, char


def hashed_counts(texts: Sequence[str]) -> sparse.csr_matrix:
    """Raw n-gram counts: word block in the first 2**18 columns, char block after it."""
    word_hasher, char_hasher = _hashers()
    word, char = word_hasher.transform(texts), char_hasher.transform(texts)
    # A hand-made hstack: scipy's costs more than the hashing for one short text.
    n = len(texts)
    rows = np.concatenate([_row_ids(word.indptr, n), _row_ids(char.indptr, n)])
    order = np.argsort(rows, kind="stable")
    indices = np.concatenate([word.indices, char.indices + FEATURISER["word_features"]])
    data = np.concatenate([word.data, char.data])
    width = FEATURISER["word_features"] + FEATURISER["char_features"]
    return sparse.csr_matrix(
        (data[order], indices[order], word.indptr + char.indptr), shape=(n, width)
    )


def _row_ids(indptr: npt.NDArray[np.int32], n: int) -> npt.NDArray[np.intp]:
    return np.repeat(np.arange(n), np.diff(indptr))


@cache
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def polarity(texts: Sequence[str]) -> FloatArray:
    """VADER (compound, pos, neg, neu) per text; compound is the valence in -1..1."""
    analyser = _vader()  # reads its lexicon only, so one instance serves every thread
    rows = [analyser.polarity_scores(t) for t in texts]
    keys = ("compound", "pos", "neg", "neu")
    return np.array([[r[k] for k in keys] for r in rows], dtype=np.float32).reshape(-1, 4)


def surface(texts: Sequence[str]) -> FloatArray:
    """Surface cues the linear heads see poorly: length, question and exclamation marks."""
    cues = [[np.log1p(len(t)), t.count("?"), t.count("!")] for t in texts]
    return np.array(cues, dtype=np.float32).reshape(-1, 3)


def tfidf(
    counts: sparse.csr_matrix, kept: npt.NDArray[np.int32], idf: FloatArray
) -> sparse.csr_matrix:
    """Keep the trained columns (sorted ``kept``), then sublinear tf x idf, L2-normalised per
    block (word, char) so neither block drowns the other."""
    n = counts.shape[0]
    pos = np.minimum(np.searchsorted(kept, counts.indices), len(kept) - 1)
    hit = kept[pos] == counts.indices
    rows = _row_ids(counts.indptr, n)[hit]
    cols = pos[hit]
    data = (1.0 + np.log(counts.data[hit])) * idf[cols]
    block = rows * 2 + (kept[cols] >= FEATURISER["word_features"])
    norms = np.sqrt(np.bincount(block, weights=data * data, minlength=2 * n))
    data = (data / norms[block]).astype(np.float32)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])
    return sparse.csr_matrix((data, cols, indptr), shape=(n, len(kept)))


def _sigmoid(z: FloatArray) -> FloatArray:
    return (1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))).astype(np.float32)


class EmotionModel:
    """The two-stage classifier held as plain arrays; ``predict`` returns one column per output.

    Columns of ``kept`` must be sorted with word columns first, as ``tfidf`` builds them.
    """

    def __init__(self, arrays: Mapping[str, npt.NDArray[Any]], manifest: Mapping[str, Any]):
        self.manifest = dict(manifest)
        self.kept = np.asarray(arrays["kept"], dtype=np.int32)
        self.idf = np.asarray(arrays["idf"], dtype=np.float32)
        scale = np.asarray(arrays["w_scale"], dtype=np.float32)
        self.w_sparse = np.asarray(arrays["w_sparse"], dtype=np.float32) * scale
        self.w_dense = np.asarray(arrays["w_dense"], dtype=np.float32)
        self.b1 = np.asarray(arrays["b1"], dtype=np.float32)
        self.z_mean = np.asarray(arrays["z_mean"], dtype=np.float32)
        self.z_scale = np.asarray(arrays["z_scale"], dtype=np.float32)
        depth = sum(1 for k in arrays if k.startswith("mlp_w"))
        self.mlp = [
            np.asarray(arrays[f"mlp_{kind}{i}"], dtype=np.float32)
            for i in range(depth)
            for kind in ("w", "b")
        ]
        self.thresholds = np.asarray(arrays["thresholds"], dtype=np.float32)
        if self.thresholds.shape != (len(OUTPUTS),) or self.mlp[-1].shape[-1] != len(OUTPUTS):
            raise Conflict(f"emotion model outputs do not match {OUTPUTS}", field="outputs")

    @classmethod
    def load(cls, weights: Path = WEIGHTS, manifest: Path = MANIFEST) -> EmotionModel:
        """Read an artifact, checking it was built for this featuriser and is intact."""
        if not weights.is_file() or not manifest.is_file():
            raise NotFitted(f"no emotion model at {weights}; run scripts/train_emotions.py")
        meta = json.loads(manifest.read_text(encoding="utf-8"))
        digest = hashlib.sha256(weights.read_bytes()).hexdigest()
        if meta.get("weights_sha256") != digest:
            raise Conflict(f"{weights.name} does not match its manifest", field="weights_sha256")
        if meta.get("featuriser") != json.loads(json.dumps(FEATURISER)):
            raise Conflict("emotion model was built with another featuriser", field="featuriser")
        if tuple(meta.get("outputs", ())) != OUTPUTS:
            raise Conflict(f"emotion model outputs do not match {OUTPUTS}", field="outputs")
        with np.load(weights, allow_pickle=False) as npz:
            return cls({k: npz[k] for k in npz.files}, meta)

    def logits(self, texts: Sequence[str], vader: FloatArray) -> FloatArray:
        """Stage 1: the linear heads' logits, one row per text."""
        x = tfidf(hashed_counts(texts), self.kept, self.idf)
        out = np.asarray(x @ self.w_sparse) + vader @ self.w_dense + self.b1
        return np.asarray(out, dtype=np.float32)

    def predict(self, texts: Sequence[str], vader: FloatArray | None = None) -> FloatArray:
        """Probabilities, shape (len(texts), len(OUTPUTS)); pass ``vader`` if already computed."""
        if not texts:
            return np.zeros((0, len(OUTPUTS)), dtype=np.float32)
        v = polarity(texts) if vader is None else vader
        z = np.hstack([self.logits(texts, v), v, surface(texts)])
        return mlp_probabilities((z - self.z_mean) / self.z_scale, self.mlp)

    def decide(self, probabilities: FloatArray) -> npt.NDArray[np.bool_]:
        """Labels at the trained thresholds (see :func:`decide`)."""
        return decide(probabilities, self.thresholds)


def mlp_probabilities(z: FloatArray, layers: Sequence[FloatArray]) -> FloatArray:
    """Stage 2: the mean over seeds of ReLU MLPs with sigmoid outputs (the forward pass of
    scikit-learn's ``MLPClassifier``); ``layers`` = w0, b0, w1, b1, ... each stacked over seeds."""
    h = np.einsum("nz,szh->snh", z, layers[0]) + layers[1][:, np.newaxis, :]
    for i in range(2, len(layers), 2):
        h = (
            np.einsum("snh,sho->sno", np.maximum(h, 0.0), layers[i])
            + layers[i + 1][:, np.newaxis, :]
        )
    return np.asarray(_sigmoid(h).mean(axis=0), dtype=np.float32)


def decide(probabilities: FloatArray, thresholds: FloatArray) -> npt.NDArray[np.bool_]:
    """Labels at ``thresholds``; every text gets at least its likeliest sentiment group."""
    chosen = probabilities >= thresholds
    groups = len(SENTIMENT_GROUPS)
    none = ~chosen[:, :groups].any(axis=1)
    best = probabilities[:, :groups].argmax(axis=1)
    chosen[np.flatnonzero(none), best[none]] = True
    return chosen


_load_lock = threading.Lock()


@cache
def _default_model() -> EmotionModel:
    return EmotionModel.load()


def default_model() -> EmotionModel:
    """The packaged model, loaded once on first use."""
    with _load_lock:
        return _default_model()
