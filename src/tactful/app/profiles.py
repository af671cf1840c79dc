"""Signals about a person: derived from their texts as they arrive, and their live profile
(stored signals and those computed from behaviour)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from tactful.app.catalogue import Catalogue
from tactful.app.requests import StatedRequests
from tactful.consent.policy import ConsentPolicy
from tactful.settings import Settings
from tactful.signals.derive import current_signals, derive_on_write
from tactful.signals.emotional import TEXT_TYPES
from tactful.signals.profile import Profile, build_profile
from tactful.signals.topics import Vocabulary, vocabulary
from tactful.store.ports import Stores
from tactful.types import Event, SubjectId


class Profiles:
    """Derives and reads signals (the tact layer's view of a person)."""

    def __init__(
        self,
        stores: Stores,
        catalogue: Catalogue,
        policy: ConsentPolicy,
        settings: Settings,
        *,
        clock: Callable[[], datetime],
        requests: StatedRequests | None = None,
    ) -> None:
        self._stores = stores
        self._requests = requests
        self._catalogue = catalogue
        self._policy = policy
        self._settings = settings
        self._clock = clock
        self._vocabulary: tuple[int | None, Vocabulary] | None = None

    def refresh(self, stored: Sequence[Event]) -> None:
        """Re-derive mood, life events, requests and a hard time's topics for everyone
        whose stored events held text (a reaction after ingest); requests newly in force
        are audited."""
        writers = {e.subject_id for e in stored if e.type in TEXT_TYPES}
        before = self._requests.snapshot(writers) if self._requests and writers else {}
        derived = derive_on_write(
            stored,
            stores=self._stores,
            now=self._clock(),
            settings=self._settings,
            vocabulary=self._words() if writers else None,
        )
        if self._requests is not None and derived:
            self._requests.noticed(before, derived)

    def _words(self) -> Vocabulary:
        """The catalogue's vocabulary, built again only when the catalogue changed."""
        items = self._catalogue.current()
        kept, version = self._vocabulary, self._catalogue.version
        if kept is None or kept[0] != version or version is None:
            kept = (version, vocabulary(items.values()))
            self._vocabulary = kept
        return kept[1]

    def profile(self, subject: SubjectId) -> Profile:
        """Every live signal about a person and whether it is a hard time;
        ``profile.signals`` is what an export includes."""
        now = self._clock()
        found = current_signals(
            subject,
            stores=self._stores,
            catalogue=self._catalogue.current(),
            policy=self._policy,
            now=now,
            settings=self._settings,
        )
        return build_profile(
            found,
            now=now,
            prefs=self._stores.preferences.get(subject),
            distress_threshold=self._settings.signals.distress_threshold,
            min_confidence=self._settings.signals.life_event_min_confidence,
        )
