"""A model's score scale (median best unseen score) and the diversity reference built on it."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import scipy.sparse as sp

from tactful.curate import Context
from tactful.recommend.ease import EASE
from tactful.recommend.interactions import Interactions
from tactful.recommend.popularity import Popularity
from tactful.recommend.scale import median_best_score
from tactful.settings import GuardSettings
from tactful.types import Preferences


def data(rows: list[list[float]]) -> Interactions:
    m = np.array(rows, dtype=np.float32)
    return Interactions(
        sp.csr_matrix(m),
        tuple(f"s{i}" for i in range(m.shape[0])),
        tuple(f"i{j}" for j in range(m.shape[1])),
    )


def test_popularity_scale_is_the_median_of_each_persons_best_unseen_total() -> None:
    d = data([[1, 1, 0, 0], [1, 0, 1, 0], [1, 0, 0, 1], [0, 1, 1, 0]])
    model = Popularity().fit(d)
    totals = np.asarray(d.matrix.sum(axis=0)).ravel()  # 3, 2, 2, 1
    assert list(totals) == [3, 2, 2, 1]
    best = [2, 2, 2, 3]  # s0 has i0,i1 -> i2 (2); s1 -> i1 (2); s2 -> i1 (2); s3 -> i0 (3)
    assert median_best_score(model, d) == np.median(best) == 2.0


def test_ease_scale_matches_a_person_by_person_computation() -> None:
    rng = np.random.default_rng(5)
    d = data((rng.random((30, 12)) < 0.3).astype(float).tolist())
    model = EASE(l2=5.0).fit(d)
    dense = d.matrix.toarray()
    tops = []
    for u in range(dense.shape[0]):
        seen = {d.items[j]: float(dense[u, j]) for j in np.flatnonzero(dense[u])}
        s = model.score(seen, n=1, exclude=set(seen)) if seen else None
        if s is not None and s.scores and s.scores[0] > 0:
            tops.append(s.scores[0])
    got = median_best_score(model, d)
    assert got is not None and abs(got - float(np.median(tops))) < 1e-5


def test_no_data_has_no_scale() -> None:
    d = data([[0, 0], [0, 0]])
    assert median_best_score(Popularity().fit(d), d) is None


def ctx(scale: float | None, **guards: float | None) -> Context:
    return Context(
        subject_id="u",
        now=datetime(2026, 1, 1, tzinfo=UTC),
        prefs=Preferences(),
        catalogue={},
        settings=GuardSettings(**guards),  # type: ignore[arg-type]
        score_scale=scale,
    )


def test_the_diversity_reference_is_a_multiple_of_the_scale_unless_set_directly() -> None:
    assert ctx(0.3).diversity_reference == 2.0 * 0.3  # the default multiple
    assert ctx(0.3, diversity_reference_scale=1.5).diversity_reference == 1.5 * 0.3
    assert ctx(0.3, diversity_reference_score=0.9).diversity_reference == 0.9
    assert ctx(None).diversity_reference is None  # a model trained before scales existed
    assert ctx(0.3, diversity_reference_scale=0.0).diversity_reference is None
