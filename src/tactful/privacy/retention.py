"""Retention: data is kept only as long as its category's TTL in settings, then deleted.

A run deletes expired events per data category, logged recommendations older than their
TTL, and signals past their own expiry. Models trained on deleted events must not keep
them: the app retrains and drops every older model version (see ``Tactful.run_retention``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tactful.consent.policy import EVENT_CATEGORY, ConsentPolicy
from tactful.privacy.inventory import retention_days
from tactful.recommend.model import Model
from tactful.settings import RetentionSettings
from tactful.store import ModelStore
from tactful.store.ports import Stores
from tactful.types import Purpose


@dataclass(frozen=True, slots=True)
class RetentionReport:
    """Rows deleted per table and per event category, the cutoff used for each, and the
    model versions trained to replace those that had learned from deleted events."""

    deleted: dict[str, int]
    by_category: dict[str, int]
    cutoffs: dict[str, datetime]
    models_updated: tuple[str, ...] = ()

    def touches_training(self, policy: ConsentPolicy) -> bool:
        """Whether events that models train on were deleted."""
        used = {c.value for c in policy.categories_for(Purpose.PERSONALIZATION)}
        return any(n for c, n in self.by_category.items() if c in used)


def sweep(stores: Stores, settings: RetentionSettings, *, now: datetime) -> RetentionReport:
    """Delete everything past its TTL; each category is one delete (one transaction)."""
    by_category: dict[str, int] = {}
    cutoffs: dict[str, datetime] = {}
    for category, days in retention_days(settings).items():
        types = [t for t, c in EVENT_CATEGORY.items() if c is category]
        cutoff = now - timedelta(days=days)
        cutoffs[category.value] = cutoff
        by_category[category.value] = stores.events.delete(types=types, before=cutoff)
    cutoffs["exposures"] = now - timedelta(days=settings.exposures_days)
    deleted = {
        "events": sum(by_category.values()),
        "exposures": stores.exposures.delete(before=cutoffs["exposures"]),
        "signals": stores.signals.purge(before=now),
    }
    return RetentionReport(deleted, by_category, cutoffs)


def keep_only(models: ModelStore[Model], versions: set[str]) -> int:
    """Delete every model version not in ``versions``; returns how many were deleted."""
    doomed = [v for v in models.versions() if v not in versions]
    return sum(models.delete(v) for v in doomed)
