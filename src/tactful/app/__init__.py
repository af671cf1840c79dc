"""The application: the one place that wires stores, models and policies into use cases.
The web API and the CLI are thin layers over these methods."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tactful import auth
from tactful.app.cache import ServingCache, recommend_cached
from tactful.app.contact import ContactMixin
from tactful.app.context import ContextMixin
from tactful.app.exposures import ExposureLog
from tactful.app.live import LiveModels
from tactful.app.rights import RightsMixin
from tactful.app.serving import Recommendation, Recommended, prepare
from tactful.app.training import FALLBACK, TrainReport, train
from tactful.consent.ledger import fold, record
from tactful.consent.policy import ConsentPolicy
from tactful.curate import build_pipeline
from tactful.errors import NotFound
from tactful.ingest import IngestReport, ingest
from tactful.privacy.access import SYSTEM, Actor
from tactful.privacy.audit import Action
from tactful.privacy.export import jsonable
from tactful.recommend.registry import ModelStore
from tactful.settings import Settings
from tactful.store.ports import Stores
from tactful.types import (
    ApiKey,
    ConsentRecord,
    Decision,
    Exposure,
    Item,
    ItemId,
    Preferences,
    Purpose,
    Scope,
    SubjectId,
)

__all__ = ["ConsentView", "Recommendation", "Recommended", "Tactful", "TrainReport", "utcnow"]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class ConsentView:
    current: dict[Purpose, Decision]
    history: tuple[ConsentRecord, ...]


class Tactful(ContextMixin, RightsMixin, ContactMixin):
    """Use cases over one set of stores. ``clock`` is passed in so tests can fix time."""

    def __init__(
        self,
        settings: Settings,
        stores: Stores,
        models: ModelStore,
        *,
        clock: Callable[[], datetime] = utcnow,
        policy: ConsentPolicy | None = None,
        background: bool = False,
    ) -> None:
        self.settings = settings
        self.stores = stores
        self.models = models
        self.clock = clock
        self.policy = policy or ConsentPolicy()
        self.live = LiveModels(models)
        self.guards = build_pipeline(settings.guards.order)
        self.exposures = ExposureLog(stores.exposures, interval=settings.exposure_flush_seconds)
        if background:
            self.exposures.start()
        self._catalogue: dict[ItemId, Item] = {}
        self._catalogue_version: int | None = None
        self._catalogue_checked = float("-inf")
        self._catalogue_lock = threading.Lock()
        self.cache = ServingCache(
            size=settings.recommend.cache_size,
            seconds=settings.recommend.cache_seconds,
            guards=self.guards,
        )
        self._serving_models = (settings.recommend.model, FALLBACK)
        self._keys = auth.KeyCache(stores.keys, seconds=settings.key_cache_seconds)

    # -- ingest ---------------------------------------------------------------------------
    def record_events(self, rows: Sequence[Any], *, atomic: bool = False) -> IngestReport:
        report = ingest(
            rows,
            events=self.stores.events,
            consents=self.stores.consents,
            items=self.stores.items,
            policy=self.policy,
            now=self.clock(),
            tolerance=timedelta(seconds=self.settings.future_tolerance_seconds),
            max_batch=self.settings.max_batch_events,
            atomic=atomic,
            blocked=self.erased_filter(rows),
            accept_unknown_items=self.settings.ingest.accept_unknown_items,
        )
        self.derive_signals(report.stored)
        self.engage_after_ingest(report.stored)
        return report

    # -- catalogue ------------------------------------------------------------------------
    def upsert_items(self, items: Sequence[Item]) -> int:
        n = self.stores.items.upsert(items)
        self._catalogue_checked = float("-inf")
        return n

    def item(self, item_id: ItemId) -> Item:
        found = self.stores.items.get(item_id)
        if found is None:
            raise NotFound(f"no item {item_id!r}", field="item_id")
        return found

    def catalogue(self) -> dict[ItemId, Item]:
        """The cached catalogue; re-read when its version changes (checked every second)."""
        now = time.monotonic()
        if now - self._catalogue_checked < 1.0:
            return self._catalogue
        with self._catalogue_lock:
            version = self.stores.items.version()
            if version != self._catalogue_version:
                self._catalogue = {it.item_id: it for it in self.stores.items.all()}
                self._catalogue_version = version
            self._catalogue_checked = now
            return self._catalogue

    # -- consent and preferences ----------------------------------------------------------
    def record_consents(
        self, subject: SubjectId, decisions: Sequence[dict[str, Any]], *, actor: Actor = SYSTEM
    ) -> ConsentView:
        now = self.clock()
        records = [
            record(
                subject,
                str(d.get("purpose", "")),
                str(d.get("decision", "")),
                at=now,
                source=str(d.get("source") or "api"),
                policy_version=str(d.get("policy_version") or "1"),
                index=i,
            )
            for i, d in enumerate(decisions)
        ]
        before = self.stores.consents.current_many([subject])[subject]
        self.stores.consents.append(records)
        self.after_consents(subject, records, before, actor)
        return self.consents(subject)

    def consents(self, subject: SubjectId) -> ConsentView:
        history = self.stores.consents.history(subject)
        return ConsentView(fold(history), tuple(history))

    def set_preferences(self, subject: SubjectId, prefs: Preferences) -> Preferences:
        self.stores.preferences.put(subject, prefs, at=self.clock())
        return prefs

    def preferences(self, subject: SubjectId) -> Preferences:
        found = self.stores.preferences.get(subject)
        return found if found is not None else Preferences()

    # -- models and recommendations -------------------------------------------------------
    def train(self, *, actor: Actor = SYSTEM) -> TrainReport:
        report = train(
            self.stores, self.models, self.settings.recommend, self.policy, now=self.clock()
        )
        self.live.invalidate()
        self.audit(Action.MODEL_TRAINED, actor, None, jsonable(report))
        return report

    def recommend_for(
        self, subject: SubjectId, *, limit: int = 10, context: str | None = None
    ) -> Recommendation:
        now = self.clock()
        catalogue = self.catalogue()
        rec = recommend_cached(
            subject,
            cache=self.cache,
            versions=(self._catalogue_version, self.live.versions(self._serving_models)),
            stores=self.stores,
            prepare=lambda: prepare(
                subject,
                stores=self.stores,
                models=self.live,
                catalogue=catalogue,
                settings=self.settings,
                policy=self.policy,
                now=now,
                limit=limit,
            ),
            settings=self.settings,
            now=now,
            limit=limit,
        )
        if not rec.personalized and self.erased_filter([{"subject_id": subject}])(subject):
            return rec  # an erased person is not recorded again by being asked about
        self.exposures.record(
            Exposure(
                subject_id=subject,
                items=tuple(r.item.item_id for r in rec.items),
                reasons={r.item.item_id: r.reasons for r in rec.items},
                model_version=rec.model_version,
                at=now,
                context=context,
                personalized=rec.personalized,
            )
        )
        return rec

    # -- operator keys --------------------------------------------------------------------
    def create_key(self, name: str, scopes: Sequence[str]) -> tuple[ApiKey, str]:
        return auth.create_key(
            self.stores.keys, name=name, scopes=auth.parse_scopes(scopes), now=self.clock()
        )

    def authorize(self, secret: str | None, scope: Scope) -> ApiKey:
        key = self._keys.authenticate(secret)
        auth.require(key, scope)
        return key

    def close(self) -> None:
        self.exposures.close()
        self.stores.close()
