"""Training: read only what a granted ``personalization`` consent covers at training time,
build the interaction matrix, fit the serving model and popularity, save both."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import numpy as np

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
log = logging.getLogger(__name__)


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
    model: str = ""
    """The model trained to serve: ``recommend.model``, or the one that stood in for it."""
    warnings: tuple[str, ...] = ()


class Cancelled(Exception):
    """A training run stopped because its job was cancelled; nothing was saved."""


EASE_MODELS = frozenset({"ease", "blend"})
"""Serving models that fit EASE (the blend is EASE + ALS)."""
SCALABLE = "als"
"""The best model that scales past EASE's limit (NDCG@10 in benchmarks/README.md)."""
SUBSTITUTE = "substitute"
"""Manifest key: ``{"for": recommend.model, "model": the model trained instead}``."""


def items_with_interactions(data: Interactions) -> int:
    """The items EASE would invert over: those with at least one interaction."""
    return int(np.count_nonzero(np.diff(data.matrix.tocsc().indptr)))


def choose_model(settings: RecommendSettings, data: Interactions) -> tuple[str, tuple[str, ...]]:
    """``settings.model``, unless it needs EASE and the data has more items than
    ``ease_max_items``: then ``SCALABLE``, with a warning saying why."""
    n = items_with_interactions(data) if settings.model in EASE_MODELS else 0
    if n <= settings.ease_max_items:
        return settings.model, ()
    width = 4 if settings.ease_dtype == "float32" else 8
    warning = (
        f"EASE skipped: {n:,} items have interactions, more than recommend.ease_max_items "
        f"({settings.ease_max_items:,}); its items x items inverse alone would take "
        f"{n * n * width / 1e9:.1f} GB ({settings.ease_dtype}). Trained {SCALABLE} instead, "
        f"which serves in place of {settings.model!r} until EASE fits again"
    )
    return SCALABLE, (warning,)


def served(models: LiveModels, setting: str) -> str:
    """The model that serves for ``recommend.model = setting``: itself, or the one the
    latest training put in its place (said in the fallback's manifest)."""
    fallback = models.get(FALLBACK)
    found = fallback.manifest.get(SUBSTITUTE) if fallback is not None else None
    if isinstance(found, dict) and found.get("for") == setting:
        return str(found["model"])
    return setting


def _stop_if(should_stop: Callable[[], bool] | None) -> None:
    if should_stop is not None and should_stop():
        raise Cancelled("training cancelled")


def _manifest(
    settings: RecommendSettings, chosen: str, warnings: tuple[str, ...], read: Read, now: datetime
) -> dict[str, object]:
    """What every manifest of one training run says of it."""
    extra: dict[str, object] = {
        "consent_snapshot": {
            "purpose": Purpose.PERSONALIZATION.value,
            "consented_subjects": read.consented,
            "events_read": read.rows_read,
            "trained_at": now.isoformat(),
        }
    }
    if chosen != settings.model:
        extra[SUBSTITUTE] = {"for": settings.model, "model": chosen, "warnings": list(warnings)}
    return extra


@dataclass(frozen=True, slots=True)
class Read:
    data: Interactions
    catalogue: list[Item]
    consented: int
    rows_read: int


def read_consented(stores: Stores, settings: RecommendSettings, policy: ConsentPolicy) -> Read:
    """The consented snapshot, in one pass over the events, over the whole catalogue."""
    consented = stores.consents.subjects_granted(Purpose.PERSONALIZATION)
    catalogue = stores.items.all()
    read = interactions_from_rows(
        stores.events.item_rows(policy.event_types_for(Purpose.PERSONALIZATION)),
        consented,
        settings.event_weights,
        settings.rating_scale,
        item_universe=[it.item_id for it in catalogue],
    )
    return Read(read.interactions, catalogue, len(consented), read.rows_read)


def train(
    stores: Stores,
    models: ModelStore[Model],
    settings: RecommendSettings,
    policy: ConsentPolicy,
    *,
    now: datetime,
    engine: TrainingEngine | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> TrainReport:
    """Fit the serving model (``choose_model``) with ``engine`` (local by default) and the
    popular fallback locally, on the consented snapshot; each manifest says which engine
    trained it. ``should_stop`` is asked after the read and after each fit (``Cancelled``);
    once saving starts, the run completes."""
    engine = engine or LocalEngine()
    read = read_consented(stores, settings, policy)
    data = read.data
    _stop_if(should_stop)
    chosen, warnings = choose_model(settings, data)
    for warning in warnings:
        log.warning(warning)
    fitted: list[tuple[Model, str]] = []
    for name in dict.fromkeys((chosen, FALLBACK)):
        by = engine if name == chosen else LocalEngine()
        fitted.append((by.fit(name, data, settings, read.catalogue), by.name))
        _stop_if(should_stop)
    extra = _manifest(settings, chosen, warnings, read, now)
    versions = [
        models.save(
            scorer, {**extra, "engine": by, SCALE: median_best_score(scorer, data)}, now=now
        )
        for scorer, by in fitted
    ]
    counts = (len(data.subjects), len(data.items), data.nnz, read.consented)
    return TrainReport(versions[0], versions[-1], *counts, chosen, warnings)


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

    def train(
        self, *, actor: Actor = SYSTEM, should_stop: Callable[[], bool] | None = None
    ) -> TrainReport:
        """Train on what a granted ``personalization`` covers now; servers pick it up.
        ``should_stop`` lets a job cancel the run between its steps (see ``train``)."""
        report = train(
            self._stores,
            self._models,
            self._settings,
            self._policy,
            now=self._clock(),
            engine=self._engine,
            should_stop=should_stop,
        )
        self._live.invalidate()
        self._trail.record(Action.MODEL_TRAINED, actor, None, jsonable(report))
        return report
