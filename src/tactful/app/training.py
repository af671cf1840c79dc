"""Training: read only what a granted ``personalization`` consent covers at training time,
build the interaction matrix, fit the serving model and popularity, save both."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from tactful.app.live import LiveModels
from tactful.app.trail import AuditTrail
from tactful.consent.policy import ConsentPolicy
from tactful.privacy.access import SYSTEM, Actor
from tactful.privacy.audit import Action
from tactful.privacy.export import jsonable
from tactful.recommend.interactions import Interactions
from tactful.recommend.model import Model
from tactful.recommend.registry import make_scorer
from tactful.recommend.scale import SCALE, median_best_score
from tactful.recommend.weighting import interactions_from_rows
from tactful.settings import RecommendSettings, TrainingSettings
from tactful.store import ModelStore
from tactful.store.ports import Stores
from tactful.types import Item, Purpose

FALLBACK = "popularity"


class TrainingEngine(Protocol):
    """Fits a serving model on the consented interactions: here, or elsewhere (Spark)."""

    name: str

    def fit(
        self, model: str, data: Interactions, settings: RecommendSettings, items: Sequence[Item]
    ) -> Model: ...


class LocalEngine:
    """In this process, through the model's own ``fit``."""

    name = "local"

    def fit(
        self, model: str, data: Interactions, settings: RecommendSettings, items: Sequence[Item]
    ) -> Model:
        return make_scorer(model, settings, items=items).fit(data)


def engine_for(settings: TrainingSettings) -> TrainingEngine:
    """The engine ``training.engine`` names; Spark's adapter is imported only when chosen
    (it says what to install when pyspark is missing, when it is first asked to fit)."""
    if settings.engine == "spark":
        from tactful.spark import SparkEngine

        return SparkEngine(master=settings.spark_master, staging=settings.spark_staging)
    return LocalEngine()


@dataclass(frozen=True, slots=True)
class TrainReport:
    model_version: str
    fallback_version: str
    subjects: int
    items: int
    interactions: int
    consented_subjects: int


def train(
    stores: Stores,
    models: ModelStore[Model],
    settings: RecommendSettings,
    policy: ConsentPolicy,
    *,
    now: datetime,
    engine: TrainingEngine | None = None,
) -> TrainReport:
    """Fit ``settings.model`` with ``engine`` (local by default) and the popular fallback
    locally, on the consented snapshot; each manifest says which engine trained it."""
    engine = engine or LocalEngine()
    consented = stores.consents.subjects_granted(Purpose.PERSONALIZATION)
    types = policy.event_types_for(Purpose.PERSONALIZATION)
    catalogue = stores.items.all()
    read = interactions_from_rows(
        stores.events.item_rows(types),
        consented,
        settings.event_weights,
        settings.rating_scale,
        item_universe=[it.item_id for it in catalogue],
    )
    data = read.interactions
    snapshot = {
        "purpose": Purpose.PERSONALIZATION.value,
        "consented_subjects": len(consented),
        "events_read": read.rows_read,
        "trained_at": now.isoformat(),
    }
    versions: list[str] = []
    for name in dict.fromkeys((settings.model, FALLBACK)):
        by = engine if name == settings.model else LocalEngine()
        scorer = by.fit(name, data, settings, catalogue)
        extra = {
            "consent_snapshot": snapshot,
            "engine": by.name,
            SCALE: median_best_score(scorer, data),
        }
        versions.append(models.save(scorer, extra, now=now))
    return TrainReport(
        versions[0],
        versions[-1],
        len(data.subjects),
        len(data.items),
        data.nnz,
        len(consented),
    )


class Training:
    """Fits and saves the serving model and the popular fallback; audited."""

    def __init__(
        self,
        stores: Stores,
        models: ModelStore[Model],
        live: LiveModels,
        policy: ConsentPolicy,
        settings: RecommendSettings,
        *,
        trail: AuditTrail,
        clock: Callable[[], datetime],
        engine: TrainingEngine | None = None,
    ) -> None:
        self._engine = engine or LocalEngine()
        self._stores = stores
        self._models = models
        self._live = live
        self._policy = policy
        self._settings = settings
        self._trail = trail
        self._clock = clock

    def train(self, *, actor: Actor = SYSTEM) -> TrainReport:
        """Train on what a granted ``personalization`` covers now; servers pick it up."""
        report = train(
            self._stores,
            self._models,
            self._settings,
            self._policy,
            now=self._clock(),
            engine=self._engine,
        )
        self._live.invalidate()
        self._trail.record(Action.MODEL_TRAINED, actor, None, jsonable(report))
        return report
