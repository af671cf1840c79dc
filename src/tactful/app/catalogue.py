"""The catalogue: items written by operators, and each worker's cached copy of it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from tactful.errors import NotFound
from tactful.store.ports import ItemStore
from tactful.types import Item, ItemId

CHECK_SECONDS = 1.0
"""How often a worker asks the store whether the catalogue changed."""


class Catalogue:
    """Items, and a copy re-read only when the store's version changes."""

    def __init__(
        self, items: ItemStore, *, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._items = items
        self._monotonic = monotonic
        self._current: dict[ItemId, Item] = {}
        self._version: int | None = None
        self._checked = float("-inf")
        self._lock = threading.Lock()

    def upsert(self, items: Sequence[Item]) -> int:
        """Insert or replace items; the next read sees them."""
        n = self._items.upsert(items)
        self._checked = float("-inf")
        return n

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
