"""Defect 5: every model ``tactful evaluate`` offers also serves when ``recommend.model``
names it, and its own trained model (not the popularity fallback) answers."""

from datetime import UTC, datetime

import pytest

from tactful.app import Tactful, build
from tactful.insights.evaluation.lineup import VARIANTS, default_lineup
from tactful.recommend.artifacts import memory_models
from tactful.settings import MODEL_ALIASES, RecommendSettings, Settings
from tactful.store import MemoryStores
from tactful.types import Item

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
RUN = [f"run{i}" for i in range(6)]
CAMP = [f"camp{i}" for i in range(6)]


def shop(app: Tactful) -> None:
    """Runners buy running things, campers camp; everyone skips a few."""
    app.catalogue.upsert(
        [Item(i, f"Running thing {i[-1]}", categories=("running",)) for i in RUN]
        + [Item(i, f"Camping thing {i[-1]}", categories=("camping",)) for i in CAMP]
    )
    events = []
    for subject, pool in [(f"r{n}", RUN) for n in range(8)] + [(f"c{n}", CAMP) for n in range(8)]:
        app.consents.record(subject, [{"purpose": "personalization", "decision": "granted"}])
        events += [
            {
                "event_id": f"{subject}-{item}",
                "subject_id": subject,
                "type": "purchase",
                "item_id": item,
                "occurred_at": NOW.isoformat(),
            }
            for k, item in enumerate(pool)
            if (k + int(subject[1:])) % 4 != 0
        ]
    assert app.ingestion.record(events).rejected == ()


THREE_PARTS = {"blend_ease_weight": 0.5, "blend_knn_weight": 0.3, "knn_weighting": "bm25"}
"""The blend as tuned on sparse data: EASE, ALS and BM25 item-kNN."""
SERVED = [(n, *VARIANTS.get(n, (n, {}))) for n in sorted(default_lineup())]


@pytest.mark.parametrize(
    ("name", "model", "extra"), [*SERVED, ("blend3", "blend", THREE_PARTS)], ids=lambda v: v
)
def test_every_evaluated_model_serves(name: str, model: str, extra: dict[str, object]) -> None:
    small = RecommendSettings.model_validate(
        {"model": model, "als_factors": 4, "als_iterations": 3, "bpr_iterations": 5, **extra}
    )
    app = build(Settings(recommend=small), MemoryStores(), memory_models(), clock=lambda: NOW)
    shop(app)
    report = app.training.train()
    served = MODEL_ALIASES.get(model, model)
    assert report.model_version.startswith(f"{served}-")
    rec = app.recommendations.recommend("r1", limit=3)  # bought run0, run1, run2, run4
    assert rec.model_version == report.model_version  # its own model, not the fallback
    assert rec.personalized is (served != "popularity")
    shown = {r.item.item_id for r in rec.items}
    assert shown and not shown & {"run0", "run1", "run2", "run4"}
