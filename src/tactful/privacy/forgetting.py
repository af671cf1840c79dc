"""Taking people out of every trained model: ``forget`` on the newest version of each model,
saved as a new version, and every older version deleted, since those still hold the people's
rows. (The registry keeps one version per model after an erasure; that is the price of
forgetting for real.)"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from tactful.recommend.model import Model
from tactful.store import ModelStore
from tactful.types import SubjectId

# Manifest keys the registry writes itself (plus stale metrics), not carried to the new version.
_NOT_CARRIED = frozenset(
    {"format", "model", "version", "created_at", "data", "parameters", "digest", "metrics"}
)


def model_names(models: ModelStore[Model]) -> list[str]:
    """The names of the models that have a saved version (e.g. ``ease``, ``popularity``)."""
    return sorted({v.rsplit("-", 2)[0] for v in models.versions()})


def _forget_one(
    models: ModelStore[Model], name: str, subjects: Collection[SubjectId], now: datetime
) -> str | None:
    """Forget in the newest version of ``name``; the new version, or None if unchanged."""
    latest = models.latest(name)
    if latest is None:
        return None
    model, manifest = models.load(latest)
    before = dict(model.counts_)
    model.forget(subjects)
    after = dict(model.counts_)
    if after == before:
        return None
    extra: dict[str, Any] = {k: v for k, v in manifest.items() if k not in _NOT_CARRIED}
    extra["forgotten_subjects"] = int(manifest.get("forgotten_subjects", 0)) + (
        before.get("subjects", 0) - after.get("subjects", 0)
    )
    extra["forgotten_at"] = now.isoformat()
    return models.save(model, extra, now=now)


def forget_everywhere(
    models: ModelStore[Model], subjects: Collection[SubjectId], *, now: datetime
) -> list[str]:
    """Take ``subjects`` out of every model; returns the versions saved. Afterwards each model
    has exactly one version: the newest (new or unchanged), without the subjects."""
    saved: list[str] = []
    for name in model_names(models):
        version = _forget_one(models, name, subjects, now)
        keep = version if version is not None else models.latest(name)
        if version is not None:
            saved.append(version)
        for old in models.versions(name):
            if old != keep:
                models.delete(old)
    return saved
