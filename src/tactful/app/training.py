"""Training: read only what a granted ``personalization`` consent covers at training time,
build the interaction matrix, fit the serving model and popularity, save both."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tactful.app.live import LiveModels
from tactful.app.trail import AuditTrail
from tactful.consent.policy import ConsentPolicy
from tactful.privacy.access import SYSTEM, Actor
from tactful.privacy.audit import Action
from tactful.privacy.export import jsonable
from tactful.recommend.registry import ModelStore, make_scorer
from tactful.recommend.scale import SCALE, median_best_score
from tactful.recommend.weighting import interactions_from_rows
from tactful.settings import RecommendSettings
from tactful.store.ports import Stores
from tactful.types import Purpose

FALLBACK = "popularity"


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
    models: ModelStore,
    settings: RecommendSettings,
    policy: ConsentPolicy,
    *,
    now: datetime,
) -> TrainReport:
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
        scorer = make_scorer(name, settings, items=catalogue).fit(data)
        extra = {"consent_snapshot": snapshot, SCALE: median_best_score(scorer, data)}
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
        models: ModelStore,
        live: LiveModels,
        policy: ConsentPolicy,
        settings: RecommendSettings,
        *,
        trail: AuditTrail,
        clock: Callable[[], datetime],
    ) -> None:
        self._stores = stores
        self._models = models
        self._live = live
        self._policy = policy
        self._settings = settings
        self._trail = trail
        self._clock = clock

    def train(self, *, actor: Actor = SYSTEM) -> TrainReport:
        """Train on what a granted ``personalization`` covers now; servers pick it up."""
        report = train(self._stores, self._models, self._settings, self._policy, now=self._clock())
        self._live.invalidate()
        self._trail.record(Action.MODEL_TRAINED, actor, None, jsonable(report))
        return report
