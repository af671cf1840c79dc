"""What the application knows about a person in context: derived signals (the tact layer),
their profile, and why an item would (or would not) be recommended to them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from tactful.app.live import LiveModels
from tactful.app.serving import prepare
from tactful.consent.policy import ConsentPolicy
from tactful.curate import Guard
from tactful.errors import NotFound
from tactful.explain.why import Why
from tactful.explain.why import why as explain_why
from tactful.settings import Settings
from tactful.signals.derive import current_signals, derive_on_write
from tactful.signals.profile import Profile, build_profile
from tactful.store.ports import Stores
from tactful.types import Event, Item, ItemId, Signal, SubjectId


class ContextMixin:
    """Signals, profile and "why" for ``tactful.app.Tactful``."""

    settings: Settings
    stores: Stores
    clock: Callable[[], datetime]
    policy: ConsentPolicy
    live: LiveModels
    guards: tuple[Guard, ...]

    if TYPE_CHECKING:

        def catalogue(self) -> dict[ItemId, Item]: ...

    # -- signals and the tact layer (issue 4) ---------------------------------------------
    def derive_signals(self, stored: Sequence[Event]) -> dict[SubjectId, list[Signal]]:
        """Re-derive mood and life events for everyone whose stored events held text."""
        return derive_on_write(stored, stores=self.stores, now=self.clock(), settings=self.settings)

    def profile(self, subject: SubjectId) -> Profile:
        """Every live signal about a person (stored, and computed from behaviour) and
        whether it is a hard time; ``profile.signals`` is what an export should include."""
        now = self.clock()
        found = current_signals(
            subject,
            stores=self.stores,
            catalogue=self.catalogue(),
            policy=self.policy,
            now=now,
            settings=self.settings,
        )
        return build_profile(
            found,
            now=now,
            prefs=self.stores.preferences.get(subject),
            distress_threshold=self.settings.signals.distress_threshold,
            min_confidence=self.settings.signals.life_event_min_confidence,
        )

    def why(self, subject: SubjectId, item_id: ItemId, *, limit: int = 10) -> Why:
        """The full evidence behind one item for one person; nothing is logged as shown."""
        catalogue = self.catalogue()
        if item_id not in catalogue:
            raise NotFound(f"no item {item_id!r}", field="item_id")
        prepared = prepare(
            subject,
            stores=self.stores,
            models=self.live,
            catalogue=catalogue,
            settings=self.settings,
            policy=self.policy,
            now=self.clock(),
            limit=limit,
        )
        return explain_why(
            item_id,
            prepared.scored,
            prepared.ctx,
            self.guards,
            model_version=prepared.model.version if prepared.model is not None else None,
            weights=self.settings.recommend.event_weights,
            rating_scale=self.settings.recommend.rating_scale,
        )
