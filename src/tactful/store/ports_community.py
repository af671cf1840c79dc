"""The communities port: the communities operators define and the memberships people choose.
Re-exported from ``tactful.store.ports``."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Protocol

from tactful.records import Community, Membership
from tactful.types import Decision, EventType, ItemId, Purpose, SubjectId

JoinCheck = Callable[[Mapping[SubjectId, Mapping[Purpose, Decision]]], object]
"""Called inside ``join``'s write with the person's consents (as ``Admit``); raises to refuse."""


class CommunityStore(Protocol):
    def upsert(self, communities: Sequence[Community]) -> int:
        """Insert or replace communities by id in one transaction; returns how many."""
        ...

    def get(self, community_id: str) -> Community | None: ...

    def all(self) -> list[Community]:
        """Every community, by id."""
        ...

    def member_counts(self) -> dict[str, int]:
        """Members per community id (communities without members are absent)."""
        ...

    def join(self, membership: Membership, *, admit: JoinCheck | None = None) -> Membership:
        """Store the membership; joining again keeps the first one (and returns it). An
        unknown community is ``NotFound``. With ``admit``, it is first called with the
        person's consents read inside the write, under their lock (see ``Admit``); it raises
        to refuse, and nothing is stored."""
        ...

    def leave(self, subject: SubjectId, community_id: str) -> bool:
        """Whether there was a membership to remove."""
        ...

    def leave_all(self, subject: SubjectId) -> int:
        """Remove every membership of the person; returns how many."""
        ...

    def memberships(self, subject: SubjectId) -> list[Membership]:
        """The person's memberships, by community id."""
        ...

    def memberships_of(self, subjects: Collection[SubjectId]) -> dict[SubjectId, list[Membership]]:
        """Each asked person's memberships, by community id (everyone asked is a key), in
        one read: the batch path of community messages."""
        ...

    def members(self, community_id: str) -> set[SubjectId]: ...

    def engagement(
        self,
        community_id: str,
        *,
        types: Collection[EventType],
        among: Collection[SubjectId],
    ) -> dict[ItemId, int]:
        """For each item, how many members of the community, of those in ``among``, have a
        stored event of these types on it (which members may count is decided above the
        port: ``among``); items no one of them engaged with are absent."""
        ...
