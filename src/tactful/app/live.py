"""The models a server scores with: loaded once, swapped when a newer version is saved.
Each worker checks the model store at most every ``check_seconds``; scoring never waits on
disk except for the first load."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tactful.recommend.model import Model
from tactful.recommend.scorer import Scorer
from tactful.store import ModelStore


@dataclass(frozen=True, slots=True)
class Loaded:
    version: str
    scorer: Scorer
    manifest: dict[str, Any]


class LiveModels:
    def __init__(
        self,
        store: ModelStore[Model],
        *,
        check_seconds: float = 2.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._check = check_seconds
        self._monotonic = monotonic
        self._loaded: dict[str, Loaded] = {}
        self._checked: dict[str, float] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> Loaded | None:
        """The newest saved model of this name, or None if none was ever trained."""
        now = self._monotonic()
        current = self._loaded.get(name)
        if current is not None and now - self._checked.get(name, 0.0) < self._check:
            return current
        with self._lock:
            self._checked[name] = now
            latest = self._store.latest(name)
            if latest is None:
                self._loaded.pop(name, None)
                return None
            current = self._loaded.get(name)
            if current is None or current.version != latest:
                scorer, manifest = self._store.load(latest)
                current = Loaded(latest, scorer, dict(manifest))
                self._loaded[name] = current
            return current

    def versions(self, names: Sequence[str]) -> tuple[str | None, ...]:
        """The serving version of each of these models (None: never trained)."""
        found = (self.get(name) for name in names)
        return tuple(m.version if m is not None else None for m in found)

    def invalidate(self) -> None:
        """Forget what was checked, so the next ``get`` looks at the store again."""
        with self._lock:
            self._checked.clear()
