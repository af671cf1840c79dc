"""The life-event classifier: one logistic head per kind over features the package has.

Trained by ``scripts/train_life_events.py`` on the templated corpus of
``scripts/build_life_event_corpus.py`` and shipped as plain arrays (``data/life_events.npz`` +
``data/life_events.json``). Features, per sentence: the emotion model's hashed word 1-2-grams
and char 2-5-grams (tf-idf over the columns seen in training, per-block L2), the cue flags of
``life_event_cues`` and the keyword patterns' confidence per kind. Each head's decision
threshold was chosen on out-of-fold predictions where whole templates were held out; the
returned confidence is rescaled so that threshold sits at 0.5.

The evidence span is found by occlusion: the run of at most ``MAX_EVIDENCE_WORDS`` words whose
removal lowers the score most.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from tactful.errors import Conflict, NotFitted
from tactful.signals.emotions import DATA_DIR, hashed_counts
from tactful.signals.emotions import FEATURISER as HASHING
from tactful.signals.life_event_cues import CUES, cue_features, gate, normalise

KINDS: tuple[str, ...] = (
    "bereavement",
    "financial_hardship",
    "job_loss",
    "illness",
    "relocation",
    "new_baby",
)
FEATURISER: Mapping[str, Any] = {
    "text": "lower case, apostrophes removed, one sentence at a time",
    "sparse": "tactful.signals.emotions.hashed_counts, tf-idf, unseen columns in the norm",
    "dense": [*CUES, *(f"keyword_{k}" for k in KINDS)],
}
WEIGHTS = DATA_DIR / "life_events.npz"
MANIFEST = DATA_DIR / "life_events.json"
MAX_EVIDENCE_WORDS = 6
MAX_SENTENCE_WORDS = 60
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
# Words that never start or end an evidence span ("lost my job", not "lost my job and").
_EDGE_WORDS = frozenset({"and", "but", "so", "then", "or", "the", "a", "an", "to", "of", "with"})
_END_WORDS = _EDGE_WORDS | {"i", "we", "my", "our", "on", "in", "at", "for", "after", "is"}

FloatArray = npt.NDArray[np.float32]
KeywordScorer = Any  # Callable[[list[str]], FloatArray]: keyword confidence per kind


@dataclass(frozen=True, slots=True)
class Detection:
    """One kind found in a text: rescaled confidence (0.5 = the head's threshold) and the
    words that triggered it (lower case)."""

    kind: str
    confidence: float
    evidence: str


def tfidf(
    counts: sparse.csr_matrix, kept: npt.NDArray[np.int32], idf: FloatArray
) -> sparse.csr_matrix:
    """Sublinear tf x idf on the ``kept`` columns, L2-normalised per block (word, char) with
    the columns unseen in training counted in the norm at the largest idf: a long sentence
    of unfamiliar words whose only known words are "I had" is then read as weak evidence,
    not as those two words alone."""
    n = counts.shape[0]
    pos = np.minimum(np.searchsorted(kept, counts.indices), len(kept) - 1)
    hit = kept[pos] == counts.indices
    rows = np.repeat(np.arange(n), np.diff(counts.indptr))
    weight = np.where(hit, idf[pos], idf.max())
    data = (1.0 + np.log(counts.data)) * weight
    block = rows * 2 + (counts.indices >= HASHING["word_features"])
    norms = np.sqrt(np.bincount(block, weights=data * data, minlength=2 * n))
    data = (data / np.maximum(norms[block], 1e-12)).astype(np.float32)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows[hit], minlength=n))])
    return sparse.csr_matrix((data[hit], pos[hit], indptr), shape=(n, len(kept)))


def sentences(text: str) -> list[str]:
    """The text's sentences, lower-cased with typographic apostrophes folded to "'", each cut
    to ``MAX_SENTENCE_WORDS`` words."""
    out = []
    folded = text.replace("’", "'").replace("‘", "'").lower()
    for part in _SENTENCE.split(folded):
        words = part.split()
        if words:
            out.append(" ".join(words[:MAX_SENTENCE_WORDS]))
    return out


class LifeEventModel:
    """The per-kind heads held as plain arrays."""

    def __init__(self, arrays: Mapping[str, npt.NDArray[Any]], manifest: Mapping[str, Any]):
        self.manifest = dict(manifest)
        self.kept = np.asarray(arrays["kept"], dtype=np.int32)
        self.idf = np.asarray(arrays["idf"], dtype=np.float32)
        scale = np.asarray(arrays["w_scale"], dtype=np.float32)
        self.w_sparse = np.asarray(arrays["w_sparse"], dtype=np.float32) * scale
        self.w_dense = np.asarray(arrays["w_dense"], dtype=np.float32)
        self.bias = np.asarray(arrays["bias"], dtype=np.float32)
        self.thresholds = np.asarray(arrays["thresholds"], dtype=np.float32)
        if self.bias.shape != (len(KINDS),) or self.w_dense.shape[0] != len(FEATURISER["dense"]):
            raise Conflict(f"life-event model does not match kinds {KINDS}", field="kinds")

    @classmethod
    def load(cls, weights: Path = WEIGHTS, manifest: Path = MANIFEST) -> LifeEventModel:
        """Read an artifact, checking it is intact and built for these kinds and features."""
        if not weights.is_file() or not manifest.is_file():
            raise NotFitted(f"no life-event model at {weights}; run scripts/train_life_events.py")
        meta = json.loads(manifest.read_text(encoding="utf-8"))
        if meta.get("weights_sha256") != hashlib.sha256(weights.read_bytes()).hexdigest():
            raise Conflict(f"{weights.name} does not match its manifest", field="weights_sha256")
        if tuple(meta.get("kinds", ())) != KINDS:
            raise Conflict(f"life-event model kinds are not {KINDS}", field="kinds")
        if meta.get("featuriser") != json.loads(json.dumps(FEATURISER)):
            raise Conflict("life-event model was built with other features", field="featuriser")
        with np.load(weights, allow_pickle=False) as npz:
            return cls({k: npz[k] for k in npz.files}, meta)

    def probabilities(self, texts: Sequence[str], keywords: FloatArray) -> FloatArray:
        """Per-kind probability for each sentence (see :func:`sentences`); ``keywords`` = the
        keyword patterns' confidence per kind, one row per sentence."""
        if not texts:
            return np.zeros((0, len(KINDS)), dtype=np.float32)
        plain = [normalise(t) for t in texts]
        x = tfidf(hashed_counts(plain), self.kept, self.idf)
        dense = np.hstack([cue_features(plain), keywords])
        z = np.asarray(x @ self.w_sparse) + dense @ self.w_dense + self.bias
        p: FloatArray = (1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))).astype(np.float32)
        return p

    def confidence(self, p: FloatArray) -> FloatArray:
        """Probabilities rescaled piecewise-linearly so each head's threshold maps to 0.5."""
        t = self.thresholds
        low = 0.5 * p / t
        high = 0.5 + 0.5 * (p - t) / (1.0 - t)
        return np.where(p < t, low, high).astype(np.float32)

    def detect(self, text: str, keywords: KeywordScorer, floor: float = 0.2) -> list[Detection]:
        """Per kind, its best sentence in ``text`` if its gated confidence reaches ``floor``."""
        return self.detect_many([text], keywords, floor)[0]

    def detect_many(
        self, texts: Sequence[str], keywords: KeywordScorer, floor: float = 0.2
    ) -> list[list[Detection]]:
        """:meth:`detect` for many texts, their sentences (and the evidence searches) scored
        in one batch each."""
        split = [sentences(t) for t in texts]
        parts = [p for ps in split for p in ps]
        conf = self.confidence(self.probabilities(parts, keywords(parts)))
        candidates: list[tuple[int, int, str, float]] = []  # text, head, sentence, confidence
        first = 0
        for t, ps in enumerate(split):
            block, first = conf[first : first + len(ps)], first + len(ps)
            for j in range(len(KINDS) if ps else 0):
                i = int(block[:, j].argmax())
                if block[i, j] >= floor:
                    candidates.append((t, j, ps[i], float(block[i, j])))
        spans = self._evidence([(sentence, j) for _, j, sentence, _ in candidates], keywords)
        out: list[list[Detection]] = [[] for _ in texts]
        for (t, j, sentence, c), (start, end) in zip(candidates, spans, strict=True):
            head, middle = normalise(sentence[:start]), normalise(sentence[start:end])
            weight = gate(normalise(sentence), len(head), len(head) + len(middle))
            if c * weight >= floor:
                out[t].append(Detection(KINDS[j], c * weight, sentence[start:end]))
        return out

    def _evidence(
        self, wanted: list[tuple[str, int]], keywords: KeywordScorer
    ) -> list[tuple[int, int]]:
        """Per (sentence, head): the character span of the words whose removal lowers the
        head's logit most (all occlusions scored in one batch)."""
        words = [[m.span() for m in re.finditer(r"\S+", s)] for s, _ in wanted]
        batch = [
            variant
            for (s, _), spans in zip(wanted, words, strict=True)
            for variant in (s, *(s[:a] + s[b:] for a, b in spans))
        ]
        p = np.clip(self.probabilities(batch, keywords(batch)), 1e-6, 1 - 1e-6)
        logit = np.log(p / (1 - p))
        out, first = [], 0
        for (s, j), spans in zip(wanted, words, strict=True):
            rows = logit[first : first + len(spans) + 1, j]
            first += len(spans) + 1
            out.append(_best_run(s, spans, rows[0] - rows[1:]))
        return out


def _best_run(sentence: str, spans: list[tuple[int, int]], drop: FloatArray) -> tuple[int, int]:
    """The run of at most ``MAX_EVIDENCE_WORDS`` words with the largest total ``drop`` (each
    end word's own drop positive), trimmed of loose words; the whole sentence if none."""
    best, run = -np.inf, (0, 0)
    for a in range(len(spans)):
        for b in range(a, min(a + MAX_EVIDENCE_WORDS, len(spans))):
            if drop[a] > 0 and drop[b] > 0 and float(drop[a : b + 1].sum()) > best:
                best, run = float(drop[a : b + 1].sum()), (a, b)
    if best == -np.inf:
        return 0, len(sentence)
    a, b = run
    while a < b and sentence[spans[a][0] : spans[a][1]] in _EDGE_WORDS:
        a += 1
    while b > a and sentence[spans[b][0] : spans[b][1]] in _END_WORDS:
        b -= 1
    return spans[a][0], spans[b][1]


_load_lock = threading.Lock()


@cache
def _default_model() -> LifeEventModel:
    return LifeEventModel.load()


def default_model() -> LifeEventModel:
    """The packaged model, loaded once on first use."""
    with _load_lock:
        return _default_model()
