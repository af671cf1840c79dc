import json
from pathlib import Path

import numpy as np
import pytest

from tactful.errors import InvalidInput, NotFound
from tactful.signals import goemotions
from tactful.signals.emotions import MANIFEST, OUTPUTS, default_model

FOLDER = goemotions.goemotions_dir()
needs_data = pytest.mark.skipif(
    not (FOLDER / "dev.tsv").is_file(), reason="GoEmotions not in TACTFUL_DATASETS"
)


def test_score_on_known_counts() -> None:
    gold = np.array([[1, 0], [1, 1], [0, 1], [0, 0]], dtype=bool)
    pred = np.array([[1, 1], [0, 1], [0, 0], [1, 0]], dtype=bool)
    s = goemotions.score(gold, pred)
    assert s.precision.tolist() == [0.5, 0.5]
    assert s.recall.tolist() == [0.5, 0.5]
    assert s.f1.tolist() == [0.5, 0.5]
    empty = goemotions.score(np.zeros((2, 1), bool), np.zeros((2, 1), bool))
    assert empty.f1.tolist() == [0.0]


def test_best_thresholds_separate_a_clean_split() -> None:
    gold = np.array([[True], [True], [False], [False]])
    probs = np.array([[0.9], [0.7], [0.3], [0.1]])
    (t,) = goemotions.best_thresholds(gold, probs)
    assert 0.3 < t <= 0.7


def test_unknown_split_and_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as err:
        goemotions.read_split("test")
    assert err.value.field == "split"
    with pytest.raises(NotFound):
        goemotions.read_split("dev", tmp_path)


def test_datasets_dir_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TACTFUL_DATASETS", str(tmp_path))
    assert goemotions.goemotions_dir() == tmp_path / "goemotions"


@pytest.mark.datasets
@needs_data
def test_dev_split_and_group_targets() -> None:
    dev = goemotions.read_split("dev")
    assert len(dev) == 5426 and dev.labels.shape == (5426, 28)
    assert dev.texts[0] == "Is this in New Orleans?? I really feel like this is New Orleans."
    gold = goemotions.targets(dev)
    col = {name: j for j, name in enumerate(OUTPUTS)}
    counts = gold.sum(axis=0)
    assert [counts[col[g]] for g in ("positive", "negative", "ambiguous", "neutral")] == [
        2219,
        1241,
        624,
        1766,
    ]
    assert counts[col["distress"]] == 459
    grief = dev.labels[:, dev.label_names.index("grief")]
    assert gold[grief][:, [col["negative"], col["sadness"], col["distress"]]].all()


@pytest.mark.datasets
@needs_data
def test_shipped_model_reproduces_its_dev_scores() -> None:
    dev = goemotions.read_split("dev")
    gold = goemotions.targets(dev)
    model = default_model()
    scores = goemotions.score(gold, model.decide(model.predict(list(dev.texts))))
    recorded = json.loads(MANIFEST.read_text())["metrics"]
    assert scores.f1[:4].mean() == pytest.approx(recorded["sentiment_macro_f1"], abs=1e-4)
    assert scores.f1[:4].mean() > 0.66  # VADER alone reaches about 0.44
    distress = OUTPUTS.index("distress")
    assert scores.recall[distress] == pytest.approx(recorded["distress_recall"], abs=1e-4)
