"""The in-memory twin of ``CommunityStore``: communities by id and memberships by person."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping, Sequence

from tactful.errors import NotFound
from tactful.records import Community, Membership
from tactful.store.memory_records import StampBook
from tactful.store.ports import EventStore
from tactful.store.ports_community import JoinCheck
from tactful.types import Decision, EventType, ItemId, Purpose, SubjectId


class MemoryCommunityStore:
    def __init__(
        self,
        lock: threading.RLock,
        events: EventStore,
        stamps: StampBook,
        consents: Callable[[Collection[SubjectId]], Mapping[SubjectId, Mapping[Purpose, Decision]]],
    ) -> None:
        self._lock = lock
        self._consents = consents
        self._events = events
        self._stamps = stamps
        self._communities: dict[str, Community] = {}
        self._members: dict[str, dict[SubjectId, Membership]] = {}

    def upsert(self, communities: Sequence[Community]) -> int:
        with self._lock:
            for c in communities:
                self._communities[c.community_id] = c
            return len(communities)

    def get(self, community_id: str) -> Community | None:
        with self._lock:
            return self._communities.get(community_id)

    def all(self) -> list[Community]:
        with self._lock:
            return [self._communities[k] for k in sorted(self._communities)]

    def member_counts(self) -> dict[str, int]:
        with self._lock:
            return {k: len(v) for k, v in self._members.items() if v}

    def join(self, membership: Membership, *, admit: JoinCheck | None = None) -> Membership:
        with self._lock:  # the one lock: no consent change can land while admit decides
            if membership.community_id not in self._communities:
                raise NotFound(f"no community {membership.community_id!r}", field="community_id")
            if admit is not None:
                admit(self._consents([membership.subject_id]))
            found = self._members.setdefault(membership.community_id, {})
            if membership.subject_id not in found:
                self._stamps.written([membership.subject_id])
            return found.setdefault(membership.subject_id, membership)

    def leave(self, subject: SubjectId, community_id: str) -> bool:
        with self._lock:
            left = self._members.get(community_id, {}).pop(subject, None) is not None
            if left:
                self._stamps.removed([subject])
            return left

    def leave_all(self, subject: SubjectId) -> int:
        with self._lock:
            n = sum(m.pop(subject, None) is not None for m in self._members.values())
            if n:
                self._stamps.removed([subject])
            return n

    def memberships(self, subject: SubjectId) -> list[Membership]:
        with self._lock:
            return [
                self._members[k][subject]
                for k in sorted(self._members)
                if subject in self._members[k]
            ]

    def memberships_of(self, subjects: Collection[SubjectId]) -> dict[SubjectId, list[Membership]]:
        with self._lock:
            return {s: self.memberships(s) for s in subjects}

    def members(self, community_id: str) -> set[SubjectId]:
        with self._lock:
            return set(self._members.get(community_id, {}))

    def engagement(
        self,
        community_id: str,
        *,
        types: Collection[EventType],
        among: Collection[SubjectId],
    ) -> dict[ItemId, int]:
        out: dict[ItemId, int] = {}
        allowed = set(among)
        with self._lock:
            for subject in self._members.get(community_id, {}):
                if subject not in allowed:
                    continue
                items = {e.item_id for e in self._events.for_subject(subject, types=types)}
                for item in items - {None}:
                    out[str(item)] = out.get(str(item), 0) + 1
        return out

    def erase_subject(self, subject: SubjectId) -> int:
        return self.leave_all(subject)
