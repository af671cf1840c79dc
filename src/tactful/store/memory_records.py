"""In-memory twins of the record ports: preferences, the item catalogue, exposures and
operator keys. They share ``MemoryStores``' lock, so a multi-table erase stays atomic."""

from __future__ import annotations

import itertools
import threading
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime

from tactful.errors import Conflict
from tactful.types import ApiKey, Exposure, Item, ItemId, Preferences, SubjectId


class StampBook:
    """The memory twin of the SQL ``subject_stamps`` triggers: per subject, a number that
    changes with every write to what serving reads. Writes create a stamp, deletes only
    change an existing one; numbers never repeat, even after an erase. Callers hold the
    stores' lock."""

    def __init__(self) -> None:
        self._next = itertools.count(1)
        self._stamps: dict[SubjectId, int] = {}

    def written(self, subjects: Iterable[SubjectId]) -> None:
        for subject in set(subjects):
            self._stamps[subject] = next(self._next)

    def removed(self, subjects: Iterable[SubjectId]) -> None:
        self.written(s for s in subjects if s in self._stamps)

    def get(self, subject: SubjectId) -> int | None:
        return self._stamps.get(subject)

    def erase_subject(self, subject: SubjectId) -> int:
        return 1 if self._stamps.pop(subject, None) is not None else 0


class MemoryPreferenceStore:
    def __init__(self, lock: threading.RLock, stamps: StampBook) -> None:
        self._lock = lock
        self._stamps = stamps
        self._prefs: dict[SubjectId, Preferences] = {}

    def get(self, subject: SubjectId) -> Preferences | None:
        with self._lock:
            return self._prefs.get(subject)

    def put(self, subject: SubjectId, prefs: Preferences, *, at: datetime) -> None:
        with self._lock:
            self._prefs[subject] = prefs
            self._stamps.written([subject])

    def erase_subject(self, subject: SubjectId) -> int:
        with self._lock:
            self._stamps.removed([subject])
            return 1 if self._prefs.pop(subject, None) is not None else 0


class MemoryItemStore:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._items: dict[ItemId, Item] = {}
        self._version = 0

    def upsert(self, items: Sequence[Item]) -> int:
        latest = {it.item_id: it for it in items}  # an id repeated keeps its last version
        if not latest:
            return 0
        with self._lock:
            self._items.update(latest)
            self._version += 1
            return len(latest)

    def get(self, item_id: ItemId) -> Item | None:
        with self._lock:
            return self._items.get(item_id)

    def many(self, item_ids: Collection[ItemId]) -> dict[ItemId, Item]:
        with self._lock:
            return {i: self._items[i] for i in item_ids if i in self._items}

    def known(self, item_ids: Collection[ItemId]) -> set[ItemId]:
        with self._lock:
            return {i for i in item_ids if i in self._items}

    def all(self) -> list[Item]:
        with self._lock:
            return sorted(self._items.values(), key=lambda it: it.item_id)

    def version(self) -> int:
        with self._lock:
            return self._version


class MemoryExposureStore:
    """Exposures per subject with row ids that grow as they are logged, as in SQL."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._rows: dict[SubjectId, list[tuple[int, Exposure]]] = defaultdict(list)
        self._ids = itertools.count(1)
        self._tallies: dict[date, int] = defaultdict(int)

    def add(self, exposures: Sequence[Exposure]) -> None:
        with self._lock:
            for x in exposures:
                self._rows[x.subject_id].append((next(self._ids), x))

    def for_subject(self, subject: SubjectId, *, since: datetime | None = None) -> list[Exposure]:
        return [x for _, x in self.rows(subject, since=since)]

    def rows(
        self, subject: SubjectId, *, since: datetime | None = None
    ) -> list[tuple[int, Exposure]]:
        """The subject's exposures with their ids, oldest first."""
        with self._lock:
            found = [r for r in self._rows.get(subject, ()) if since is None or r[1].at >= since]
        return sorted(found, key=lambda r: (r[1].at, r[0]))

    def recent_rows(
        self,
        subject: SubjectId,
        *,
        since: datetime,
        limit: int,
        after_id: int = 0,
        recent_since: datetime | None = None,
    ) -> list[tuple[int, Exposure]]:
        """``recent`` with ids, only those above ``after_id`` or at/after ``recent_since``."""
        newer = [
            (i, replace(x, reasons={}))
            for i, x in self.rows(subject, since=since)
            if i > after_id or (recent_since is not None and x.at >= recent_since)
        ]
        return newer[-limit:] if limit > 0 else []

    def recent(self, subject: SubjectId, *, since: datetime, limit: int) -> list[Exposure]:
        return [x for _, x in self.recent_rows(subject, since=since, limit=limit)]

    def delete(self, *, before: datetime) -> int:
        with self._lock:
            gone = 0
            for subject, rows in list(self._rows.items()):
                kept = [r for r in rows if r[1].at >= before]
                gone += len(rows) - len(kept)
                self._rows[subject] = kept
            return gone

    def erase_subject(self, subject: SubjectId) -> int:
        with self._lock:
            return len(self._rows.pop(subject, []))

    def tally(self, counts: Mapping[date, int]) -> None:
        with self._lock:
            for day, n in counts.items():
                self._tallies[day] += n

    def tallies(self, *, since: date | None = None) -> dict[date, int]:
        with self._lock:
            days = sorted(d for d in self._tallies if since is None or d >= since)
            return {d: self._tallies[d] for d in days}


class MemoryKeyStore:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._keys: dict[str, ApiKey] = {}

    def add(self, key: ApiKey) -> None:
        with self._lock:
            if key.key_hash in self._keys or any(
                k.key_id == key.key_id for k in self._keys.values()
            ):
                raise Conflict(
                    f"an API key with id {key.key_id!r} or the same secret already exists",
                    field="key_id",
                )
            self._keys[key.key_hash] = key

    def by_hash(self, key_hash: str) -> ApiKey | None:
        with self._lock:
            return self._keys.get(key_hash)

    def all(self) -> list[ApiKey]:
        with self._lock:
            return sorted(self._keys.values(), key=lambda k: (k.created_at, k.key_id))
