"""New arrivals for serving: which catalogue items are new now, and which of them match a
person, through a content model over the current catalogue (see
``tactful.recommend.arrivals``). Each worker builds that model once per catalogue and model
version, and only while some item is new."""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from tactful.app.catalogue import Catalogue
from tactful.app.live import LiveModels
from tactful.app.training import FALLBACK
from tactful.recommend.arrivals import (
    Untouched,
    arrivals,
    content_model,
    interacted,
    new_items,
    untouched,
)
from tactful.recommend.content import Content
from tactful.recommend.interactions import History
from tactful.settings import RecommendSettings
from tactful.types import Item, ItemId, Preferences, Scored


@dataclass(slots=True)
class _State:
    key: tuple[int | None, str]
    items: list[Item]
    untouched: Untouched
    content: Content | None = None


class NewArrivals:
    """Matches a person's history and declared interests against the items new now."""

    def __init__(
        self, catalogue: Catalogue, models: LiveModels, settings: RecommendSettings
    ) -> None:
        self._catalogue = catalogue
        self._models = models
        self._settings = settings
        self._state: _State | None = None
        self._lock = threading.Lock()

    def score(
        self,
        history: History,
        prefs: Preferences | None,
        *,
        now: datetime,
        exclude: Collection[ItemId] = (),
    ) -> Scored:
        """The new items that match the person, most similar first, with ``new_arrival``
        evidence; empty when nothing is new or no model was trained yet."""
        if self._settings.new_arrival_days <= 0:
            return Scored((), ())
        state = self._current()
        if state is None:
            return Scored((), ())
        fresh = new_items(state.untouched, now=now, days=self._settings.new_arrival_days)
        if not fresh:
            return Scored((), ())
        declared = prefs if prefs is not None else Preferences()
        return arrivals(
            self._content(state),
            fresh,
            history,
            categories=declared.preferred_categories,
            values=declared.values,
            min_similarity=self._settings.new_arrival_min_similarity,
            exclude=exclude,
        )

    def _current(self) -> _State | None:
        """The untouched items of the current catalogue and of the training data of the
        fallback model (popularity, trained with every serving model)."""
        model = self._models.get(FALLBACK)
        if model is None:
            return None
        items = self._catalogue.current()
        key = (self._catalogue.version, model.version)
        with self._lock:
            if self._state is None or self._state.key != key:
                catalogue = list(items.values())
                found = untouched(catalogue, interacted(model.scorer))
                self._state = _State(key, catalogue, found)
            return self._state

    def _content(self, state: _State) -> Content:
        with self._lock:
            if state.content is None:
                state.content = content_model(state.items)
            return state.content
