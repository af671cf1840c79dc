"""The operator console's view of the application (``/console``, docs/console.md): who is
signed in, the models and which one serves, one person's data looked up (audited with the
operator's key name) and the audit log. Health, fairness and hand-offs are the
``insights`` and ``handoffs`` services themselves."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tactful.app.live import LiveModels
from tactful.app.rights import Rights
from tactful.app.trail import AuditTrail
from tactful.app.training import FALLBACK, served
from tactful.privacy.access import operator
from tactful.privacy.audit import Action, Verdict
from tactful.recommend.model import Model
from tactful.settings import Settings
from tactful.store import ModelStore
from tactful.store.ports import AuditRecord, Stores
from tactful.store.ports_models import VERSION
from tactful.types import ApiKey, SubjectId

LOOKUP = "console:people"
"""The resource an operator's look-up of a person is audited as."""


@dataclass(frozen=True, slots=True)
class ModelRow:
    """One model: its versions (newest first), the newest one's manifest, and whether it
    serves (``recommend.model``, or the model training put in its place)."""

    name: str
    versions: tuple[str, ...]
    serving: bool
    manifest: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditView:
    verdict: Verdict
    latest: tuple[AuditRecord, ...]
    """Newest first."""


class Console:
    def __init__(
        self,
        stores: Stores,
        models: ModelStore[Model],
        live: LiveModels,
        *,
        rights: Rights,
        trail: AuditTrail,
        settings: Settings,
        clock: Callable[[], datetime],
    ) -> None:
        self._stores = stores
        self._models = models
        self._live = live
        self._rights = rights
        self._trail = trail
        self._settings = settings
        self._clock = clock

    def key(self, key_id: str) -> ApiKey | None:
        """The operator key of a console session, if it still exists."""
        return next((k for k in self._stores.keys.all() if k.key_id == key_id), None)

    def models(self) -> list[ModelRow]:
        """Every trained model, the serving one first."""
        serving = served(self._live, self._settings.recommend.model)
        names = model_names(self._models.versions())
        rows = []
        for name in names:
            loaded = self._live.get(name)
            versions = tuple(reversed(self._models.versions(name)))
            manifest = dict(loaded.manifest) if loaded is not None else {}
            rows.append(ModelRow(name, versions, name == serving, manifest))
        return sorted(rows, key=lambda r: (not r.serving, r.name != FALLBACK, r.name))

    def look_up(self, subject: SubjectId, key: ApiKey) -> dict[str, Any]:
        """What Tactful holds about the person and why (the export), read-only; the look-up
        is written to the audit log with the operator's key name."""
        doc = self._rights.export(subject, actor=operator(key))
        detail = {"resource": LOOKUP, "operator": key.name}
        self._trail.record(Action.PERSONAL_DATA_READ, operator(key), subject, detail)
        return doc

    def audit(self, *, latest: int = 50) -> AuditView:
        """The chain's verification and its newest records."""
        kept: deque[AuditRecord] = deque(maxlen=latest)
        kept.extend(self._stores.audit.records())
        return AuditView(self._rights.verify_audit(), tuple(reversed(kept)))


def model_names(versions: Sequence[str]) -> list[str]:
    """The model names among saved versions (``ease-20260601T120000Z-ab12cd``: ``ease``)."""
    return sorted({m["name"] for m in map(VERSION.match, versions) if m})
