"""The catalogue: items written by operators, and each worker's cached copy of it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from tactful.errors import NotFound
from tactful.instants import require_aware
from tactful.store.ports import ItemStore
from tactful.types import Item, ItemId

CHECK_SECONDS = 1.0
"""How often a worker asks the store whether the catalogue changed."""


def _added(stored: Mapping[ItemId, Item], it: Item, now: datetime) -> datetime | None:
    """When the stored version of the item was added (None if never recorded), or now."""
    known = stored.get(it.item_id)
    return known.added_at if known is not None else now


class Catalogue:
    """Items, and a copy re-read only when the store's version changes."""

    def __init__(
        self,
        items: ItemStore,
        *,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._items = items
        self._clock = clock
        self._monotonic = monotonic
        self._current: dict[ItemId, Item] = {}
        self._version: int | None = None
        self._checked = float("-inf")
        self._lock = threading.Lock()

    def upsert(self, items: Sequence[Item]) -> int:
        """Insert or replace items; the next read sees them. An item keeps the ``added_at``
        it was first stored with unless one is given; a new one without it is added now."""
        n = self._items.upsert(self._dated(items))
        self._checked = float("-inf")
        return n

    def _dated(self, items: Sequence[Item]) -> list[Item]:
        for k, it in enumerate(items):
            if it.added_at is not None:
                require_aware(it.added_at, f"items[{k}].added_at")
        undated = [it.item_id for it in items if it.added_at is None]
        stored = self._items.many(undated) if undated else {}
        now = self._clock()
        return [
            it if it.added_at is not None else replace(it, added_at=_added(stored, it, now))
            for it in items
        ]

    def item(self, item_id: ItemId) -> Item:
        found = self._items.get(item_id)
        if found is None:
            raise NotFound(f"no item {item_id!r}", field="item_id")
        return found

    def current(self) -> dict[ItemId, Item]:
        """The cached catalogue by id; its version is checked at most every second."""
        now = self._monotonic()
        if now - self._checked < CHECK_SECONDS:
            return self._current
        with self._lock:
            version = self._items.version()
            if version != self._version:
                self._current = {it.item_id: it for it in self._items.all()}
                self._version = version
            self._checked = now
            return self._current

    @property
    def version(self) -> int | None:
        """The store version the cached copy was read at (None before the first read)."""
        return self._version
