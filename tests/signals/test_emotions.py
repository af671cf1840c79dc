import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from tactful.errors import Conflict, NotFitted
from tactful.signals.emotions import (
    FEATURISER,
    MANIFEST,
    OUTPUTS,
    WEIGHTS,
    EmotionModel,
    decide,
    default_model,
    hashed_counts,
    polarity,
    tfidf,
)


def test_packaged_artifact_is_small_and_described() -> None:
    assert WEIGHTS.stat().st_size < 5_000_000
    meta = json.loads(MANIFEST.read_text())
    assert meta["outputs"] == list(OUTPUTS)
    assert meta["featuriser"]["word_features"] == FEATURISER["word_features"]
    assert meta["metrics"]["split"] == "dev"
    assert 0.6 < meta["metrics"]["sentiment_macro_f1"] <= 1.0


def test_npz_has_no_pickles() -> None:
    with np.load(WEIGHTS, allow_pickle=False) as npz:
        assert all(npz[k].dtype != object for k in npz.files)


def test_default_model_is_loaded_once() -> None:
    assert default_model() is default_model()


def test_probabilities_shape_and_range() -> None:
    model = default_model()
    p = model.predict(["I love it", "I hate it", "ok"])
    assert p.shape == (3, len(OUTPUTS))
    assert np.all((p >= 0) & (p <= 1))
    assert model.predict([]).shape == (0, len(OUTPUTS))


def test_decide_always_gives_a_sentiment() -> None:
    probs = np.full((2, len(OUTPUTS)), 0.01, dtype=np.float32)
    probs[0, 2] = 0.4  # ambiguous is the likeliest group of row 0, but under threshold
    chosen = decide(probs, np.full(len(OUTPUTS), 0.5, dtype=np.float32))
    assert chosen[0, :4].tolist() == [False, False, True, False]
    assert chosen[1, :4].sum() == 1
    assert not chosen[:, 4:].any()  # emotions and distress get no fallback


def test_tfidf_normalises_each_block_and_drops_unknown_columns() -> None:
    counts = hashed_counts(["good good movie", "zzzz"])
    first = counts[0].indices
    word_cols = np.unique(first[first < FEATURISER["word_features"]])
    char_cols = np.unique(first[first >= FEATURISER["word_features"]])
    kept = np.sort(np.concatenate([word_cols, char_cols[:5]])).astype(np.int32)
    x = tfidf(counts, kept, np.ones(len(kept), dtype=np.float32)).toarray()
    is_word = kept < FEATURISER["word_features"]
    assert np.linalg.norm(x[0, is_word]) == pytest.approx(1.0, abs=1e-6)
    assert np.linalg.norm(x[0, ~is_word]) == pytest.approx(1.0, abs=1e-6)
    assert not x[1, is_word].any()  # "zzzz" shares no kept word column
    # sublinear tf: "good" (twice) weighs 1 + ln 2 against "movie" (once)
    good, movie = (int(hashed_counts([w]).indices[0]) for w in ("good", "movie"))
    col = {c: i for i, c in enumerate(kept)}
    assert x[0, col[good]] / x[0, col[movie]] == pytest.approx(1 + np.log(2), rel=1e-5)


def test_polarity_is_vader() -> None:
    v = polarity(["I love this!", "I hate this."])
    assert v.shape == (2, 4)
    assert v[0, 0] > 0.5 > -0.5 > v[1, 0]


def test_missing_artifact_is_not_fitted(tmp_path: Path) -> None:
    with pytest.raises(NotFitted):
        EmotionModel.load(tmp_path / "none.npz", tmp_path / "none.json")


def test_tampered_or_foreign_artifact_is_refused(tmp_path: Path) -> None:
    weights, manifest = tmp_path / "emotions.npz", tmp_path / "emotions.json"
    shutil.copy(WEIGHTS, weights)
    meta = json.loads(MANIFEST.read_text())
    manifest.write_text(json.dumps(meta))
    assert EmotionModel.load(weights, manifest).thresholds.shape == (len(OUTPUTS),)
    manifest.write_text(
        json.dumps(meta | {"featuriser": {**meta["featuriser"], "word_features": 8}})
    )
    with pytest.raises(Conflict) as err:
        EmotionModel.load(weights, manifest)
    assert err.value.field == "featuriser"
    manifest.write_text(json.dumps(meta | {"weights_sha256": "0" * 64}))
    with pytest.raises(Conflict) as err:
        EmotionModel.load(weights, manifest)
    assert err.value.field == "weights_sha256"
